// Lesson 03: `if` becomes `while`.
//
// Same scenario as lesson 02. A woken consumer checks the buffer again before
// it takes; if the buffer is still empty it waits again. Such a wakeup is
// futile: it cost a context switch and found nothing to do. The summary line
// counts them (futile_wakeups). No run violates the buffer any more.
//
// The script that broke lesson 02 every time: --producers 1 --consumers 2
// --script C1,P1,C2,C1. Here C1 wakes, finds nothing, and waits again.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {  // FIX: `while`, not `if`: a woken producer looks again
      s.condition.wait(lock);
    }
    s.items.put();
    s.condition.notify_one();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {  // FIX: `while`, not `if`: a woken consumer looks again
      s.condition.wait(lock);
    }
    s.items.take();
    s.condition.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "03_while_wait_fix",
    .idea = "`if` becomes `while`: a woken thread checks again",
    .shows = "no violation; each futile wakeup (woke, still empty, waited again) is counted",
    .worst_case = lesson::outcome::deadlock,
    .bug_scripts =
        {
            {.options = "--capacity 1 --items 2 --script C1,C2,wake=C1,P1,wake=C2",
             .note = "`while` is not enough: one slot, and a consumer's notify_one wakes\n"
                     "the other consumer, not the producer: deadlock, lesson 04"},
        },
    .defaults = lesson::scenarios::two_consumers_paced(),
}));
