// The queues the benchmark measures without the lessons' harness: lesson 06
// and lesson 08 written plainly with Boost, lesson 06 with the standard
// library, and Boost's own sync_bounded_queue. The same code is compiled into
// bench and, with BOOST_THREAD_DONT_PROVIDE_INTERRUPTIONS, into
// bench_no_interruptions, to measure what Boost.Thread's interruption support
// costs each wait and notify.
#pragma once

#include <sys/resource.h>

#include <atomic>
#include <boost/chrono.hpp>
#include <boost/thread/barrier.hpp>
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <boost/thread/thread.hpp>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

// Boost 1.74's sync_bounded_queue.hpp uses lock_guard without including it.
#include <boost/thread/lock_guard.hpp>
// (kept apart so that include sorting leaves lock_guard first)
#include <boost/thread/concurrent_queues/sync_bounded_queue.hpp>

namespace bench {

struct config {
  unsigned producers = 1;
  unsigned consumers = 1;
  std::size_t capacity = 1;
  std::uint64_t items = 10000;  // in all
};

// One measurement. Counts are per run; a queue that cannot count says so.
struct sample {
  double seconds = 0;
  double cpu_us = 0;
  bool counted = false;
  std::uint64_t wakeups = 0;
  std::uint64_t futile_wakeups = 0;
  std::uint64_t notifies = 0;
  bool every_item_once = false;  // the checksums matched
};

inline double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// The items handed out: producer p puts p, p + P, p + 2P, ... below `items`.
// Consumers sum what they take, and the sums of the values and of their
// squares must come out as for 0..items-1: an item lost, or taken twice,
// changes them.
template <class Put, class Take>
sample move_items(const config& c, Put put, Take take) {
  boost::barrier start(c.producers + c.consumers + 1);
  std::atomic<std::uint64_t> sum{0};
  std::atomic<std::uint64_t> sum_of_squares{0};
  std::vector<boost::thread> threads;
  for (unsigned p = 0; p < c.producers; ++p) {
    threads.emplace_back([&, p] {
      start.wait();
      for (std::uint64_t value = p; value < c.items; value += c.producers) {
        put(value);
      }
    });
  }
  for (unsigned k = 0; k < c.consumers; ++k) {
    const std::uint64_t share = c.items / c.consumers + (k < c.items % c.consumers ? 1 : 0);
    threads.emplace_back([&, share] {
      start.wait();
      std::uint64_t mine = 0;
      std::uint64_t mine_squared = 0;
      for (std::uint64_t i = 0; i < share; ++i) {
        const std::uint64_t value = take();
        mine += value;
        mine_squared += value * value;
      }
      sum += mine;
      sum_of_squares += mine_squared;
    });
  }
  const double cpu_before = cpu_seconds();
  const auto began = boost::chrono::steady_clock::now();
  start.wait();
  for (auto& t : threads) {
    t.join();
  }
  sample s;
  s.seconds = boost::chrono::duration<double>(boost::chrono::steady_clock::now() - began).count();
  s.cpu_us = (cpu_seconds() - cpu_before) * 1e6;
  const std::uint64_t n = c.items;
  s.every_item_once = sum == n * (n - 1) / 2 && sum_of_squares == (n - 1) * n * (2 * n - 1) / 6;
  return s;
}

// Lesson 06 (or, with count_waiters, lesson 08) without the harness, on any
// mutex, lock and condition variable. Counts under the lock cost a few adds.
template <class Mutex, template <class> class Lock, class Condition, bool count_waiters,
          bool notify_after_unlock>
class plain_queue {
 public:
  explicit plain_queue(std::size_t capacity) : slots_(capacity) {}

  void put(std::uint64_t value) {
    Lock<Mutex> lock(mutex_);
    wait_while(
        lock, not_full_, [&] { return size_ == slots_.size(); }, producers_waiting_);
    slots_[tail_] = value;
    tail_ = after(tail_);
    ++size_;
    notify(lock, not_empty_, consumers_waiting_);
  }

  std::uint64_t take() {
    Lock<Mutex> lock(mutex_);
    wait_while(
        lock, not_empty_, [&] { return size_ == 0; }, consumers_waiting_);
    const std::uint64_t value = slots_[head_];
    head_ = after(head_);
    --size_;
    notify(lock, not_full_, producers_waiting_);
    return value;
  }

  void add_counts(sample& s) const {
    s.counted = true;
    s.wakeups = wakeups_;
    s.futile_wakeups = futile_;
    s.notifies = notifies_;
  }

 private:
  template <class Blocked>
  void wait_while(Lock<Mutex>& lock, Condition& condition, Blocked blocked, unsigned& waiting) {
    bool woke = false;
    while (blocked()) {
      futile_ += woke ? 1 : 0;
      waiting += count_waiters ? 1 : 0;
      condition.wait(lock);
      ++wakeups_;
      woke = true;
    }
  }

  void notify(Lock<Mutex>& lock, Condition& condition, unsigned& waiting) {
    if (count_waiters) {
      if (waiting == 0) {
        return;
      }
      --waiting;
    }
    ++notifies_;
    if (notify_after_unlock) {
      lock.unlock();
    }
    condition.notify_one();
  }

  std::size_t after(std::size_t slot) const { return slot + 1 == slots_.size() ? 0 : slot + 1; }

  Mutex mutex_;
  Condition not_full_;
  Condition not_empty_;
  std::vector<std::uint64_t> slots_;
  std::size_t head_ = 0;
  std::size_t tail_ = 0;
  std::size_t size_ = 0;
  unsigned producers_waiting_ = 0;
  unsigned consumers_waiting_ = 0;
  std::uint64_t wakeups_ = 0;
  std::uint64_t futile_ = 0;
  std::uint64_t notifies_ = 0;
};

template <class Queue>
sample run_plain(const config& c) {
  Queue queue(c.capacity);
  sample s = move_items(
      c, [&](std::uint64_t v) { queue.put(v); }, [&] { return queue.take(); });
  queue.add_counts(s);
  return s;
}

using boost_06 =
    plain_queue<boost::mutex, boost::unique_lock, boost::condition_variable, false, false>;
using boost_08 =
    plain_queue<boost::mutex, boost::unique_lock, boost::condition_variable, true, false>;
using boost_08_unlock_first =
    plain_queue<boost::mutex, boost::unique_lock, boost::condition_variable, true, true>;
using std_06 = plain_queue<std::mutex, std::unique_lock, std::condition_variable, false, false>;

inline sample run_sync_bounded_queue(const config& c) {
  boost::sync_bounded_queue<std::uint64_t> queue(c.capacity);
  return move_items(
      c, [&](std::uint64_t v) { queue.push_back(v); }, [&] { return queue.pull_front(); });
}

}  // namespace bench
