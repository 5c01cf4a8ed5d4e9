// Lesson 08: notify only when someone waits.
//
// Lesson 06 notifies after every put and take, though most of the time no
// thread waits and the notify costs a call for nothing. Here each side counts
// its waiters: a thread adds itself before it waits, and the notifier takes
// one off as it notifies, as boost::sync_bounded_queue does. Counting in the
// notifier matters: if each waiter took itself off after it woke, a waiter
// that was notified but has not run yet would still be counted, and would be
// notified again. Same correctness as 06; fewer notifies. The default run has
// a 64-slot buffer, where waiters are rare: compare its notifies with
// 06_two_conditions --producers 2 --consumers 2 --capacity 64.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      ++s.producers_waiting;  // NEW: counts itself in before it waits
      s.not_full.wait(lock);
    }
    s.items.put();
    if (s.consumers_waiting > 0) {  // NEW: notify only when a consumer waits,
      --s.consumers_waiting;        // and count it out here, as it is notified
      s.not_empty.notify_one();
    }
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      ++s.consumers_waiting;  // NEW: counts itself in before it waits
      s.not_empty.wait(lock);
    }
    s.items.take();
    if (s.producers_waiting > 0) {  // NEW: notify only when a producer waits,
      --s.producers_waiting;        // and count it out here, as it is notified
      s.not_full.notify_one();
    }
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "08_waiter_count",
    .idea = "notify only when someone waits: the notifier counts the waiters down",
    .shows = "correct like 06, with fewer notifies per item",
    .worst_case = lesson::outcome::ok,
    .defaults = {.producers = 2,
                 .consumers = 2,
                 .capacity = 64,
                 .items = 30000,
                 .producer_delay_ms = 0,
                 .consumer_delay_ms = 0,
                 .trace = lesson::trace_format::none},
    .plain_twin = "08_uninstrumented",
}));
