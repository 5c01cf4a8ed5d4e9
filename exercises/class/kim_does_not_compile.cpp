// Handed in before it compiled: a semicolon is missing.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  struct fields {
    lesson::condition changed{"changed"};
  };

  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex) s.items.put();
    s.changed.notify_all();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.changed.wait(lock);
    }
    s.items.take();
    s.changed.notify_all();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "kim_does_not_compile",
    .defaults = lesson::scenarios::one_slot(),
}));
