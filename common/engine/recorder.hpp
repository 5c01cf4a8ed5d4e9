// A run's record: its events numbered in the order the lesson's lock put them,
// each worker's tallies and last events, and which notify each wakeup answers.
// It passes each event to the run's sinks; it knows none of them.
#pragma once

#include <array>
#include <atomic>
#include <boost/chrono.hpp>
#include <boost/thread/mutex.hpp>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/owned_mutex.hpp"
#include "engine/step_log.hpp"
#include "engine/worker.hpp"
#include "model/events.hpp"
#include "model/schedule.hpp"
#include "model/stop.hpp"

namespace lesson {

// What a condition remembers about its waiters and notifies, so that each
// wakeup can be traced to a notify. A notify_one that finds a waiter not yet
// notified leaves a token (notify_all one per such waiter). In an observed run
// the token names the waiter the scheduler woke, and only it takes it. In a
// free run each thread that returns from wait() takes the oldest token left
// while it was waiting: with one waiter the match is exact; with several it
// is the order in which they got the lock back. A return with no token is a
// spurious wakeup.
// Guarded by the recorder's guard (the lesson's lock in free runs).
struct condition_record {
  // `workers`: the run's threads. There are never more tokens than threads
  // inside wait(), so the tokens' room is made once, here: a notify and a
  // wakeup move no memory but the condition's own.
  condition_record(const char* condition_name, std::size_t workers) : name(condition_name) {
    tokens.reserve(workers);
  }
  const char* name;
  unsigned unnotified_waiters = 0;
  struct token {
    int notifier;
    std::uint64_t step;
    int woken;  // observed runs: the waiter it is for; -1 in free runs
  };
  std::vector<token> tokens;  // oldest first
};

// A free run with nothing to show its events keeps the lesson's critical
// sections short: under the lock an event gets its step and is written to its
// worker's own log; what only the run's end reads (the figures, the marks of
// the schedule) is added up after the worker has let the lock go.
class recorder final : public unlock_listener {
 public:
  // `stopping`: once set, nothing more is recorded.
  recorder(std::size_t workers, std::vector<event_sink*> sinks, const std::atomic<bool>& stopping);
  recorder(const recorder&) = delete;
  recorder& operator=(const recorder&) = delete;

  // Free runs record under the lesson's own lock, which a step holds already,
  // and number their events with the lock's step counter; observed runs,
  // whose asks for the lock are made without it, under a mutex of the
  // recorder's. Where the bookkeeping waits for the unlock (below), each of
  // `workers` is to tell it; settle() lets go of the lock and the workers.
  void record_under(owned_mutex& lesson_lock, const std::vector<std::unique_ptr<worker>>& workers);
  // Whether each worker's bookkeeping waits until it lets the lock go (a
  // free run with no sinks): then each worker is to tell it (lock_let_go).
  bool books_after_unlock() const { return lesson_lock_ != nullptr && sinks_.empty(); }
  // Called from the lock's unlock, so it must not throw: a booking that
  // runs out of memory is left for settle(), which throws std::bad_alloc.
  void lock_let_go(worker& me) noexcept override;
  // Once the threads are joined: what is left to book is booked, the lock
  // goes with the lesson's steps, and the count stays here.
  void settle(const std::vector<std::unique_ptr<worker>>& workers);
  // The buffer's size as its last put or take left it, for each event.
  void read_size_from(const std::atomic<std::size_t>& size) { buffer_size_ = &size; }
  void start_clock(boost::chrono::steady_clock::time_point started) { started_ = started; }

  // Holds what orders the run's events while one is recorded. `me`: who
  // records, null for the watchdog.
  class guard {
   public:
    explicit guard(const recorder& r, const worker* me = nullptr);
    ~guard();
    guard(const guard&) = delete;
    guard& operator=(const guard&) = delete;

   private:
    owned_mutex* lesson_lock_;  // when this guard took it
    boost::mutex* record_mutex_;
  };

  // With a guard held: records an event of `me`, `fill(event&)` adding what
  // the action has to say, and passes it on. Null once the run is stopping.
  template <class Fill>
  const event* record_held(const worker& me, action what, const Fill& fill) {
    event* e = add(me, what);
    if (e != nullptr) {
      fill(*e);
      publish(me, *e);
    }
    return e;
  }
  // Tells the sinks that the run begins (before its threads start) and how
  // it ended (after they are joined).
  void begin();
  void end(outcome result, const std::string& report);

  // The same, taking the guard: an event with nothing more to say.
  void record(const worker& me, action what);

  // The reports from the lesson's conditions, each recorded with its bookkeeping.
  // In observed runs the scheduler says who a notify woke (`woken`), and
  // which decisions came from the script.
  void waits(worker& me, condition_record& condition);
  void woke(worker& me, condition_record& condition, decided_by lock_decided = decided_by::nobody);
  void notifies(worker& me, condition_record& condition, bool all,
                const std::vector<unsigned>* woken = nullptr,
                decided_by decided = decided_by::nobody);

  // A free run's schedule, read from its record: the order in which the
  // threads took the lock, whom each notify_one woke, and each wakeup no notify
  // explains. Run again as a script, it decides the same interleaving.
  std::vector<decision> free_run_schedule() const;

  std::uint64_t progress() const { return steps_->load(); }  // events so far
  std::size_t buffer_size() const;
  tally figures() const;  // summed over the workers, once they are joined
  // With a guard held: the run's last 64 events, oldest first, and its last put or take.
  std::vector<event> recent_events() const;
  last_move latest(action put_or_take) const;

 private:
  event* add(const worker& me, action what);
  void publish(const worker& me, const event& e);
  double elapsed_ms() const;

  std::vector<event_sink*> sinks_;
  const std::atomic<bool>& stopping_;
  owned_mutex* lesson_lock_ = nullptr;
  mutable boost::mutex record_mutex_;
  const std::atomic<std::size_t>* buffer_size_ = nullptr;
  boost::chrono::steady_clock::time_point started_;

  // The events so far, advanced under the guard at every event: the lesson's
  // lock's counter in free runs (owned_mutex), this one in observed runs. The
  // watchdog reads it to see that nothing moves.
  alignas(64) std::atomic<std::uint64_t> observed_steps_{0};
  std::atomic<std::uint64_t>* steps_ = &observed_steps_;

  // What is recorded of each worker, by its own thread: its events under the
  // guard, its figures and schedule marks (book) under it or after it; its
  // own cache lines, so that counting does not bounce them between cores.
  struct alignas(64) worker_record {
    tally figures;
    std::array<event, 64> recent{};  // its last events, for the deadlock report
    // Whether each of them is the first of a new hold of the lock (see
    // infer_schedule), as seen when it was recorded.
    std::array<bool, 64> new_hold{};
    std::uint64_t recorded = 0;
    std::uint64_t booked = 0;      // events counted and marked: the rest wait for book()
    bool short_of_memory = false;  // a booking after the unlock could not grow the marks
    std::uint64_t last_put_step = 0;
    std::uint64_t last_take_step = 0;
    // A free run's schedule, this worker's part (infer_schedule): its
    // decisions by step, tagged with their decision::kind, and the notify_one
    // steps whose wakeup it was. Each worker keeps its own, so that inferring
    // the schedule writes no line another thread writes too.
    step_log marks;
    step_log woken_by_notify_at;
    std::uint64_t holds_seen = 0;  // its lock count at its last event
  };
  alignas(64) std::vector<worker_record> records_;  // by worker id, read-only during the run

  // Counts and marks the worker's events not yet booked.
  void book(worker_record& mine);
  void infer_schedule(worker_record& mine, const event& e, bool new_hold);
};

}  // namespace lesson
