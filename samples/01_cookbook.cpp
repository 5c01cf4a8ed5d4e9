// Lesson 01: the cookbook recipe "Thread synchronization with a condition",
// ported line for line from Python to Boost.Thread.
//
// One producer puts 20 items, one a second; one consumer takes 10, one every
// three seconds; the buffer holds 10. ONE condition serves both sides, an `if`
// guards each wait(), and every put and take ends with notify_one. It works,
// but by luck: a second consumer breaks it (lesson 02), and so does a
// spurious wakeup, which Boost allows with one thread a side (see --help).
//
// The default trace prints the recipe's own lines, to lay beside the notebook.
// --time-scale 0.01 runs the 30 seconds in 0.3.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);  // condition.acquire()
    if (s.items.full()) {              // BUG: `if`: woken, it puts without looking again (overflow)
      s.condition.wait(lock);
    }
    s.items.put();
    s.condition.notify_one();
  }  // condition.release(): the lock ends with the scope

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
    .name = "01_cookbook",
    .idea = "the recipe, ported faithfully: one condition, `if` around wait(), notify_one",
    .shows = "the notebook's own lines: with one thread a side it works, by luck",
    .worst_case = lesson::outcome::violation,
    .bug_scripts =
        {
            {.options = "--consumers 2 --items 4 --script C1,P1,C2,C1",
             .note = "underflow, as lesson 02"},
            {.options = "--producer-delay 0 --consumer-delay 0 --script C1,spurious=C1,C1",
             .note = "underflow with one thread a side: a spurious wakeup, which `if` trusts"},
        },
    .bug_shows_at = {{.producers = 2, .consumers = 2}},  // explore: one thread a side holds
    .defaults = {.producers = 1,
                 .consumers = 1,
                 .capacity = 10,
                 .items = 20,
                 .producer_delay_ms = 1000,
                 .consumer_delay_ms = 3000,
                 .trace = lesson::trace_format::cookbook,
                 .quota = lesson::consumer_quota::half_the_items},
}));
