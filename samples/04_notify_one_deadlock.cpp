// Lesson 04: the fixed code of lesson 03, with a buffer of one slot.
//
// The `while` loops are right, yet the run stops for good. With one condition
// for both sides, a consumer's notify_one, meant for the waiting producer, can
// wake the other consumer instead. That consumer finds nothing, waits again,
// and nobody is left to wake the producer: a lost wakeup. Every thread sleeps
// on the condition; the watchdog sees that nothing moves, reports who waits
// for what, and ends the run with exit code 3.
//
// Free runs show it: which waiter notify_one wakes is the library's choice,
// so no lock-order script can force it.
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
    s.condition.notify_one();  // BUG: one condition for both sides: it may wake a producer
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.condition.wait(lock);
    }
    s.items.take();
    s.condition.notify_one();  // BUG: one condition for both sides: it may wake a consumer
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "04_notify_one_deadlock",
    .idea = "lesson 03 with a buffer of one slot",
    .shows = "every thread asleep: the watchdog reports a lost wakeup, exit 3",
    .teaches = lesson::outcome::deadlock,
    .worst_case = lesson::outcome::deadlock,
    .bug_scripts = "  none: notify_one chooses which waiter wakes, and no lock order can choose\n"
                   "  for it. Free runs show it: 200 of 200 default runs deadlocked here.\n",
    .defaults = lesson::scenarios::one_slot(),
}));
