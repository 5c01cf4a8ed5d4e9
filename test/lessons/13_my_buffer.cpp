// A lesson a student wrote, kept as a test fixture and not in samples/: it is
// compiled into explore_test only. It copies lesson 06 and notifies only when
// the buffer changes from empty or from full. With one slot every put and
// take is such a change, so it behaves as 06 and no schedule breaks it; with
// two slots a put into a buffer that has an item notifies nobody, and a
// consumer can wait beside that item forever. Its declared deadlock shows
// only at capacity 2, and it names no configuration: explore_test checks that
// the tests, explore and its --help find where the bug shows.
//
// The student's comment:
// Lesson 13: my buffer: notify only when the buffer changes between empty
// and not empty, or full and not full.
//
// Lesson 06 notifies after every put and take. A waiter can only be waiting
// for the buffer to stop being empty (or full), so a put into a buffer that
// already had items should not need to notify anyone.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.not_full.wait(lock);
    }
    const bool was_empty = s.items.empty();
    s.items.put();
    if (was_empty) {  // NEW: only a put into an empty buffer notifies
      s.not_empty.notify_one();
    }
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.not_empty.wait(lock);
    }
    const bool was_full = s.items.full();
    s.items.take();
    if (was_full) {  // NEW: only a take from a full buffer notifies
      s.not_full.notify_one();
    }
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "13_my_buffer",
    .idea = "notify only on the change from empty or from full",
    .shows = "fewer notifies than 06, but a waiter can miss its notify",
    .worst_case = lesson::outcome::deadlock,
    .defaults = lesson::scenarios::one_slot(),
}));
