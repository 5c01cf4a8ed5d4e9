// The lesson's lock in free runs: a boost::mutex that knows which worker holds
// it, so that the harness records under the lesson's own lock (a step holds it
// already) instead of taking one of its own inside every critical section.
// Only the holder can see itself as the holder: it set the mark after it
// locked and clears it before it unlocks.
//
// It also keeps the run's step counter, which only the holder advances: on
// the lock's own cache line, which moves to the core of each new holder
// anyway, numbering an event costs no line of its own.
#pragma once

#include <atomic>
#include <boost/thread/lock_types.hpp>
#include <boost/thread/mutex.hpp>
#include <cstdint>

#include "engine/worker.hpp"

namespace lesson {

// What a lock of the lesson's (free or observed) throws when the thread
// that holds it asks for it again: the second lock would wait for itself
// forever. Boost's lock_error, as a wait on a lock not held throws.
[[noreturn]] void throw_lock_taken_again();

class alignas(64) owned_mutex {
 public:
  owned_mutex();
  void lock();
  void unlock();
  bool held_by(const worker* w) const {
    return w != nullptr && holder_.load(std::memory_order_relaxed) == w;
  }
  // The free run's events so far: advanced by the holder, read by the
  // watchdog without the lock.
  std::atomic<std::uint64_t>& steps() { return steps_; }

  // boost::condition_variable waits on a unique_lock<boost::mutex>: this lends
  // it the mutex inside, marked as not held while the wait releases it.
  class lent_to_wait {
   public:
    explicit lent_to_wait(owned_mutex& m);
    ~lent_to_wait();  // holds the lock again, as wait() does on every return
    lent_to_wait(const lent_to_wait&) = delete;
    lent_to_wait& operator=(const lent_to_wait&) = delete;
    boost::unique_lock<boost::mutex>& lock() { return lock_; }

   private:
    owned_mutex& owned_;
    boost::unique_lock<boost::mutex> lock_;
  };

 private:
  boost::mutex mutex_;
  std::atomic<const worker*> holder_{nullptr};
  std::atomic<std::uint64_t> steps_{0};
};
static_assert(sizeof(owned_mutex) == 64, "the lock, its holder and the step count: one cache line");

}  // namespace lesson
