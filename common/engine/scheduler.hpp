// The scheduler of observed runs: it decides, from the schedule (--script)
// and then by default, who gets the lesson's lock when it is free, which
// waiter a notify_one wakes, and when a waiter wakes with no notify, so that
// an observed run is fully determined by its options.
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
// point. Threads start one by one, in
// the order P1..Pn, C1..Cn, for the same reason. Pauses then change how long a run takes, never
// what it does.
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

#include "engine/worker.hpp"
#include "model/schedule.hpp"

namespace lesson {

// Why a run stopped for its schedule. `explored`: an explored run reached a
// state the search had seen, whose futures it knows.
enum class point_kind : std::uint8_t { buffer, signal };

struct schedule_trouble {
  enum class kind { deadlock, stuck, explored } what = kind::deadlock;
  std::size_t index = 0;  // stuck: the decision's place in the script, from 1
  decision wanted{};      // stuck: the decision that could not be taken
  std::string why;        // stuck: "C2 is not waiting on condition"
};

// An explored run (explore.hpp): instead of a script and the defaults, the
// search chooses at each point where the run can go more than one way.
struct exploring {
  // Called with the scheduler's lock held, once for each decision the run
  // takes (so also where there is one way on). `options` are the ways; with
  // `may_stall`, nobody asks for the lock and letting every waiter sleep on
  // is one more (the deadlock). `state` is given where no thread can move by
  // itself: the scheduler's part of the run's state, for the caller to
  // complete; null at a notify_one. Returns the option's index
  // (options.size(): stall), or none to stop the run there.
  std::function<std::optional<std::size_t>(const std::vector<decision>& options, bool may_stall,
                                           std::vector<std::uint64_t>* state)>
      choose;
  unsigned spurious = 0;  // how many spurious wakeups a run may have
};

class scheduler {
 public:
  // `on_trouble` is called, outside the scheduler's lock, by the thread that
  // finds a deadlock or a decision that cannot be taken; `wake_later` when a
  // waiter must wake its own room, which only another thread can do.
  scheduler(const std::vector<std::string>& names, std::vector<decision> script,
            std::function<void(const schedule_trouble&)> on_trouble,
            std::function<void()> wake_later, std::optional<exploring> explore = {});

  // compare's follower: a decision of the script that cannot be taken ends
  // the script there instead of the run, and the defaults decide the rest.
  // Call before start().
  void follow_as_far_as_possible() { lenient_ = true; }
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
  boost::condition_variable_any& room(const worker& me) { return *seats_[me.id].room; }
  // Wakes the room of every waiter whose wakeup had to wait for another thread.
  void wake_deferred();

  struct wakeups {
    std::vector<unsigned> woken;  // in the order they waited
    bool scripted = false;        // a wake= of the script was taken
    bool script_done = false;     // ... and it was the script's last
  };
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
  enum class phase { unstarted, running, asking, holding, waiting, done };
  struct seat {
    phase now = phase::unstarted;
    const char* condition = nullptr;     // while waiting
    bool woken = false;                  // since it began to wait
    bool on_its_way = false;             // woken, and not yet holding the lock again
    bool spurious = false;               // that wakeup was spurious
    bool unasked = false;                // holds the lock for a room that woke unasked
    std::uint64_t since = 0;             // when it began to run (for asking) or to wait
    bool granted_by_script = false;      // the decision that gave it the lock
    bool grant_ended_script = false;     // ... was the script's last
    bool spurious_ended_script = false;  // its spurious wakeup was the script's last
    bool paused = false;                 // waits at a point for its turn
    std::source_location point;          // ... there
    point_kind point_of = point_kind::buffer;
    boost::condition_variable turn;  // its turn to start, or the lock
    std::unique_ptr<boost::condition_variable_any> room;
  };

  // With the lock held: decides, when nobody can move by itself.
  void decide();
  // The same in an explored run, once every thread has started.
  void decide_explored();
  void state_of_seats(std::vector<std::uint64_t>& state) const;
  void give_lock(unsigned id, bool scripted);
  void let_move(unsigned id, bool scripted);  // from its point
  // A thread without the lock waits at a point of this kind.
  bool unguarded_waits(point_kind kind) const;
  void wake(unsigned id, bool spurious);
  bool take_script_decision(decision::kind kind);  // the next is of this kind: taken
  void stuck(const decision& wanted, std::string why);
  // `wanted`, the script's next, cannot be taken: the run is stuck, or, when
  // it follows as far as possible, the script ends here. Returns whether the
  // defaults decide on.
  bool cannot_take(const decision& wanted, std::string why);
  // Whether this default decision is the first after the script was left:
  // it marks the end of the script in the trace.
  bool first_default_after_leaving();
  // The script's next decision, when it is a spurious wakeup, or a lock with
  // someone to take it: taken. Returns whether the script decided (or the
  // run is stuck), false when the defaults decide.
  bool decide_spurious_by_script();
  bool decide_lock_by_script();
  std::string whereabouts(unsigned id) const;  // "C2 waits on not_full", for a report
  // After deciding, with `lock` held: lets it go to wake the rooms chosen
  // (`me` cannot wake its own, inside wait()) and to report a trouble.
  void act_on_decisions(boost::unique_lock<boost::mutex>& lock, const worker* me);

  const std::vector<std::string>& names_;
  const std::vector<decision> script_;
  const std::function<void(const schedule_trouble&)> on_trouble_;
  const std::function<void()> wake_later_;

  mutable boost::mutex mutex_;
  std::vector<seat> seats_;
  std::size_t next_to_start_ = 0;
  std::size_t running_ = 0;  // threads that can move by themselves, the holder among them
  // Signalled when only one thread can move: a holder at a point waits for
  // the others to stop before it looks whether one waits at a point.
  boost::condition_variable settled_;
  std::optional<unsigned> holder_;
  std::uint64_t clock_ = 0;  // stamps `since`, at moments the run's order fixes
  std::size_t cursor_ = 0;   // the script's next decision
  std::vector<decision> taken_;
  std::vector<unsigned> to_wake_;   // rooms chosen, to wake once the lock is let go
  std::vector<unsigned> deferred_;  // rooms to wake from another thread
  std::optional<exploring> explore_;
  unsigned spurious_left_ = 0;  // explored runs
  std::optional<schedule_trouble> trouble_;
  bool trouble_reported_ = false;
  bool lenient_ = false;  // follow_as_far_as_possible
  std::optional<schedule_trouble> left_script_;
  bool leaving_unmarked_ = false;  // the script was left, and no default has marked it yet
  bool stopping_ = false;
};

}  // namespace lesson
