// The scheduler of observed runs: it decides who gets the lesson's lock when
// it is free, which waiter a notify_one wakes, and when a waiter wakes with
// no notify, so that an observed run is fully determined by its options. What
// it decides comes from its strategy (strategy.hpp): a script and the
// defaults, or a chooser.
//
// It decides only when no thread can move by itself: every live thread asks
// for the lock, waits on a condition, waits at a point or has finished, and
// nobody holds the lock or its holder waits at a point.
//
// A point is a watched operation (a buffer check, a put or take, a wait, a
// notify, a flag's load or store). A thread that comes to one without the
// lock (an unguarded point: code outside the lock that touches what others
// share) always waits there for its turn, as it would for the lock; the
// holder waits at its next point only while such a thread waits, so that the
// unguarded move can fall between any two of the holder's that it could
// change the outcome of: a point on the buffer (a check, a put, a take) and
// one on the signalling (a wait, a notify, a flag) touch different things, so
// the holder stops only at points of the kind the waiting thread is at.
// Lessons that do everything under the lock never have a thread waiting at a
// point. Threads start one by one, in the order P1..Pn, C1..Cn, for the same
// reason. Pauses then change how long a run takes, never what it does.
//
// The lesson's condition is real: each waiter sleeps in a
// boost::condition_variable_any of its own (its "room"), which releases the
// lesson's lock as it sleeps and takes it back through the scheduler when it
// wakes. A notify wakes the room of the waiter the scheduler chose; a
// spurious wakeup is a wakeup of a room that no notify asked for. A room
// that wakes without either (the OS may wake it) is slept again, unseen.
#pragma once

#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <vector>

#include "engine/seating.hpp"
#include "engine/strategy.hpp"
#include "engine/worker.hpp"

namespace lesson {

class scheduler {
 public:
  // `on_trouble` is called, outside the scheduler's lock, by the thread that
  // finds a deadlock or a decision that cannot be taken; `wake_later` when a
  // waiter must wake its own room, which only another thread can do.
  scheduler(const std::vector<std::string>& names, std::unique_ptr<strategy> deciding,
            std::function<void(const schedule_trouble&)> on_trouble,
            std::function<void()> wake_later);

  // Where a run that follows as far as possible left its script: the
  // decision it could not take and why, or the first one left when the run
  // ended before it ("the run ended before it"). None: it followed all of it.
  std::optional<schedule_trouble> left_script() const;

  // The run's threads are ready: the first may start.
  void start();
  // A worker's thread, before its first step: waits until it may start.
  void begin(const worker& me);

  // How a thread came to hold the lock.
  struct grant {
    bool scheduled = false;    // false: a room woke unasked, or the run is stopping
    bool scripted = false;     // the decision came from the script
    bool script_done = false;  // it was the script's last
  };
  // Blocks until the scheduler gives `me` the lock, or the run stops.
  grant acquire(const worker& me);
  // `me` let the lock go (after the lock itself was released).
  void release(const worker& me);
  // `me` comes to a point at `site`: waits there for its turn when it does
  // not hold the lock, or holds it while another thread waits at a point.
  // Returns whether the decision that let it go on was the script's last.
  bool at_point(const worker& me, point_kind kind, const std::source_location& site);
  // Whether `me` holds the lock.
  bool holds(const worker& me) const;
  // `me`, holding the lock, is about to wait on `condition`.
  void will_wait(const worker& me, const char* condition);
  // Whether a notify or a spurious wakeup has woken `me` since it began to wait.
  bool woken(const worker& me);
  boost::condition_variable_any& room(const worker& me) { return *run_.seats[me.id].room; }
  // Wakes the room of every waiter whose wakeup had to wait for another thread.
  void wake_deferred();

  using wakeups = notify_result;
  // `notifier`, holding the lock, notifies one or all waiters on `condition`.
  wakeups notify(const worker& notifier, const char* condition, bool all);
  // Whether `me` last woke with no notify, by the script's spurious=, and
  // whether that was the script's last decision.
  struct spurious_wakeup {
    bool spurious = false;
    bool script_done = false;
  };
  spurious_wakeup woke_spuriously(const worker& me);
  void finished(const worker& me);

  // The run stops: every thread held here is let go.
  void stop();
  // The decisions taken so far, the defaults among them: the complete schedule.
  std::vector<decision> taken() const;
  // The script's decisions not taken, from the first: none when it was used
  // up, or when the run follows it as far as possible (left_script says).
  std::optional<std::size_t> first_untaken() const;

 private:
  using phase = seating::phase;
  using seat = seating::seat;

  // With the lock held: starts the next thread, or has the strategy decide,
  // when nobody can move by itself.
  void decide();
  // A thread without the lock waits at a point of this kind.
  bool unguarded_waits(point_kind kind) const;
  // After deciding, with `lock` held: lets it go to wake the rooms chosen
  // (`me` cannot wake its own, inside wait()) and to report a trouble.
  void act_on_decisions(boost::unique_lock<boost::mutex>& lock, const worker* me);

  const std::unique_ptr<strategy> strategy_;
  const std::function<void(const schedule_trouble&)> on_trouble_;
  const std::function<void()> wake_later_;

  mutable boost::mutex mutex_;
  seating run_;
  std::size_t next_to_start_ = 0;
  // Signalled when only one thread can move: a holder at a point waits for
  // the others to stop before it looks whether one waits at a point.
  boost::condition_variable settled_;
  std::vector<unsigned> deferred_;  // rooms to wake from another thread
  bool trouble_reported_ = false;
  bool stopping_ = false;
};

}  // namespace lesson
