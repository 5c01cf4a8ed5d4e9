// Lesson 02: the recipe's code, unchanged, with a second consumer.
//
// A consumer can now return from wait() to an empty buffer. The notify that
// woke it was a hint, not a hand-off (Mesa semantics): it may have announced
// space rather than an item (one condition serves both sides), another
// consumer may have taken the item first (a stolen wakeup), or nobody notified
// at all (a spurious wakeup). The `if` does not look again; the buffer catches
// the take from an empty buffer and the run ends with exit code 1.
//
// Every run shows it: --producers 1 --consumers 2 --script C1,P1,C2,C1
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    if (s.items.full()) {  // BUG: `if`: woken, it puts without looking again (overflow)
      s.condition.wait(lock);
    }
    s.items.put();
    s.condition.notify_one();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    if (s.items.empty()) {  // BUG: `if`: woken, it takes without looking again (underflow)
      s.condition.wait(lock);
    }
    s.items.take();
    s.condition.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "02_if_wait_bug",
    .idea = "the same code with a second consumer",
    .shows = "a consumer that wakes to an empty buffer and takes anyway: underflow, exit 1",
    .teaches = lesson::outcome::violation,
    .worst_case = lesson::outcome::violation,
    .bug_scripts =
        {
            {.options = "--producers 1 --consumers 2 --script C1,P1,C2,C1", .note = "underflow"},
            {.options = "--producers 2 --consumers 1 --capacity 1 --script P1,P2,C1,P1,P2",
             .note = "overflow"},
        },
    .defaults = lesson::scenarios::two_consumers_paced(),
}));
