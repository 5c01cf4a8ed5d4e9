// Lesson 11: a consumer that waits first and checks after.
//
// Lesson 03 with one change: the consumer waits before it looks at the
// buffer, as if a notify were kept for it until it waits. It is not. A
// notify wakes a thread that waits at that moment, or nobody: one that comes
// before the wait is gone, and nothing repeats it. The consumer then sleeps
// with items in the buffer, and once the producer waits too (the buffer full)
// or has finished, nothing moves: a lost wakeup, reported as a deadlock.
// Check the state first, under the lock, and wait only while it says so
// (C++ Core Guidelines CP.42: don't wait without a condition).
//
// Every run shows it: --producers 1 --consumers 1 --capacity 1 --script P1,C1
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.condition.wait(lock);
    }
    s.items.put();
    s.condition.notify_one();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    do {  // BUG: waits before it looks: a notify that came before is lost
      s.condition.wait(lock);
    } while (s.items.empty());
    s.items.take();
    s.condition.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "11_wait_without_check",
    .idea = "lesson 03 with the consumer's check after its wait: `do wait while (empty)`",
    .shows = "a consumer asleep beside items whose notify came before it waited: deadlock, exit 3",
    .teaches = lesson::outcome::deadlock,
    .worst_case = lesson::outcome::deadlock,
    .bug_scripts =
        {
            {.options = "--producers 1 --consumers 1 --capacity 1 --script P1,C1",
             .note = "P1 puts and notifies nobody; C1 waits beside the item; P1 waits on\n"
                     "the full slot: nobody is left to notify"},
        },
    .defaults = {.producers = 1,
                 .consumers = 1,
                 .capacity = 10,
                 .items = 20,
                 .producer_delay_ms = 0,
                 .consumer_delay_ms = 10},
}));
