// Lesson 07: the `while` loop written as wait(lock, predicate).
//
// Same code as lesson 06. Boost's wait(lock, predicate) is that loop: it
// checks the predicate, waits while it is false, and checks again after every
// wakeup. The loop cannot be forgotten or written as `if`: this is the idiom to
// use in real code. The run behaves exactly as lesson 06's.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    s.not_full.wait(lock, [&] { return !s.items.full(); });  // NEW: the loop, built in
    s.items.put();
    s.not_empty.notify_one();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    s.not_empty.wait(lock, [&] { return !s.items.empty(); });  // NEW: the loop, built in
    s.items.take();
    s.not_full.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "07_predicate_wait",
    .idea = "the `while` loop written as wait(lock, predicate)",
    .shows = "the idiom for real code; it behaves as lesson 06",
    .worst_case = lesson::outcome::ok,
    .defaults = lesson::scenarios::one_slot(),
    .plain_twin = "06_uninstrumented",
}));
