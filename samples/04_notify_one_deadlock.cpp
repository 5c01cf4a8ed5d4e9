// Lesson 04: the fixed code of lesson 03, with a buffer of one slot.
//
// The `while` loops are right, yet the run stops for good. With one condition
// for both sides, a consumer's notify_one, meant for the waiting producer, can
// wake the other consumer instead. That consumer finds nothing, waits again,
// and nobody is left to wake the producer: a lost wakeup. Every thread sleeps
// on the condition; the harness sees it (the watchdog when nothing moves, the
// scheduler of a scripted run at once), reports who waits for what, and ends
// the run with exit code 3.
//
// Free runs show it when Boost and the OS wake the wrong waiter; a schedule
// with wake= (see --help) shows it on every run.
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
    .bug_scripts =
        {
            {.options = "--items 2 --script C1,C2,wake=C1,P1,wake=C2",
             .note = "C1's notify_one wakes C2, not the waiting producer: deadlock"},
        },
    .defaults = lesson::scenarios::one_slot(),
}));
