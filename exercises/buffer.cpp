// Your bounded buffer: write produce() and consume() so that no schedule
// breaks them (exercises/assignment.md says what "breaks" means here).
//
// Copy this file anywhere and check it, from the suite's folder:
//
//   mkdir -p /tmp/me && cp exercises/buffer.cpp /tmp/me/buffer.cpp
//   build/bin/yours /tmp/me/buffer.cpp
//
// As it is, it compiles and is wrong: a consumer takes from an empty
// buffer. The check says so, with the shortest schedule that shows it.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  // The shared state your design needs, beside s.mutex and s.items: your
  // own conditions, counters and flags (docs/students.md lists them).
  struct fields {
    lesson::condition changed{"changed"};
  };

  // Puts one item into s.items. TODO: wait while the buffer is full.
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    s.items.put();
    s.changed.notify_one();
  }

  // Takes one item from s.items. TODO: wait while the buffer is empty.
  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    s.items.take();
    s.changed.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "buffer",
    .defaults = lesson::scenarios::one_slot(),
}));
