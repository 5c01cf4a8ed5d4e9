// The recipe's bug: an if around the wait, so a woken consumer does not look again.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  struct fields {
    lesson::condition changed{"changed"};
  };

  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    if (s.items.full()) {
      s.changed.wait(lock);
    }
    s.items.put();
    s.changed.notify_all();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    if (s.items.empty()) {
      s.changed.wait(lock);
    }
    s.items.take();
    s.changed.notify_all();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "eve_if_wait",
    .defaults = lesson::scenarios::one_slot(),
}));
