// Lesson 06: two conditions, one for each side, and notify_one again.
//
// Same scenario as lesson 05. Producers wait on `not_full` and consumers on
// `not_empty`; a producer notifies `not_empty` and a consumer `not_full`. A
// notify now reaches only threads that wait for what it announces, so one
// waiter is enough: correct like lesson 05, without its wasted wakeups.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.not_full.wait(lock);  // FIX: producers wait on a condition of their own
    }
    s.items.put();
    s.not_empty.notify_one();  // FIX: reaches only consumers, so notify_one is enough
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.not_empty.wait(lock);  // FIX: consumers wait on a condition of their own
    }
    s.items.take();
    s.not_full.notify_one();  // FIX: reaches only producers, so notify_one is enough
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "06_two_conditions",
    .idea = "two conditions, not_full and not_empty, with notify_one",
    .shows = "correct, and no notify goes to the wrong side: fewer futile wakeups than 05",
    .worst_case = lesson::outcome::ok,
    .defaults = lesson::scenarios::one_slot(),
    .plain_twin = "06_uninstrumented",
}));
