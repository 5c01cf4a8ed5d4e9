// A producer (P1..Pn) or consumer (C1..Cn) thread, as the harness keeps it.
#pragma once

#include <atomic>
#include <boost/chrono.hpp>
#include <cstdint>
#include <random>
#include <source_location>

#include "model/events.hpp"

namespace lesson {

enum class thread_state { running, waiting, done };

struct worker;

// What a free run does for a worker each time it has let the lesson's lock go:
// the recorder's bookkeeping that need not hold up the threads waiting for it.
class unlock_listener {
 public:
  virtual void lock_let_go(worker& me) noexcept = 0;

 protected:
  ~unlock_listener() = default;
};

// Each on cache lines of its own: its thread writes it at every step.
struct alignas(64) worker {
  lesson::role role = role::producer;
  unsigned index = 0;  // within its role
  unsigned id = 0;     // producers first, then consumers: its place in the run's cast

  std::atomic<thread_state> state{thread_state::running};
  std::atomic<const char*> waiting_on{nullptr};  // the condition's name while in wait()
  std::atomic<std::size_t> items_at_wait{0};     // the buffer's items as it last began to wait
  std::atomic<bool> closed_at_wait{false};       // ... and whether `done` was set then

  // Touched only by the worker's own thread.
  std::uint64_t puts_left = 0;  // a producer's items not yet put
  // The consumers' takes left, shared and guarded by the lesson's lock. A
  // consumer claims the take of its next step as its step lets the lock go,
  // so that the claims follow the lock's order, which a schedule fixes.
  std::uint64_t* takes_left = nullptr;
  bool has_take = false;            // a consumer's next step has its take
  bool claims_at_unlock = false;    // the step under way claims the next one
  std::uint32_t next_sequence = 1;  // of the next item a producer makes
  bool woke_unserved = false;       // returned from wait() and has not put or taken since
  bool inside_wait = false;         // the lock goes and comes back inside wait(), not by a step
  bool inside_buffer = false;       // in the buffer's put() or take()
  bool closing = false;             // in the lesson's close step (09, 10)
  // Observed runs: how often its step has asked for the lock outside wait(),
  // the lesson's line of the step's latest point (none at its start) and how
  // many points the step has passed. With `closing`, the first two say where
  // in its code a thread is: a step that lets the lock go and asks again at
  // the same line, with nothing else changed, is where it was (a busy-wait
  // goes round a cycle of states).
  std::uint32_t asks_in_step = 0;
  std::source_location step_site;
  std::uint64_t points_in_step = 0;
  std::source_location wait_site;  // the lesson's line that called wait(), while inside it
  // The lesson's line of its latest call on the buffer, a condition or a flag
  // (what its events report), and of its latest full() or empty().
  std::source_location site;
  std::source_location checked_at;

  std::uint64_t wait_step = 0;  // when it last began to wait
  std::uint64_t holds = 0;      // free runs: how many times it has taken the lesson's lock
  unlock_listener* after_unlock = nullptr;     // free runs: told after each unlock
  decided_by last_grant = decided_by::nobody;  // observed runs: how it came to hold the lock
  lesson::wakeup last_wakeup;                  // the wakeup it last returned from, for the reports
  boost::chrono::steady_clock::time_point finished{};  // read after the join
  std::mt19937_64 random;

  // At the start of each step, and of a close.
  void begin_step() {
    asks_in_step = 0;
    step_site = {};
    points_in_step = 0;
  }

  // With the lesson's lock held, as a consumer's step lets it go: claims the
  // take of its next step, if one is left.
  void claim_next_take();

  // The worker whose thread this is: throws outside a worker's thread.
  static worker& current();
  // The same, or null outside a worker's thread.
  static worker* on_this_thread();
  // Marks this thread as `w`'s, for the rest of its life.
  static void run_here(worker& w);
};

}  // namespace lesson
