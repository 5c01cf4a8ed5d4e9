// One condition for both sides with notify_one: a notify can wake the wrong side.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  struct fields {
    lesson::condition changed{"changed"};
  };

  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.changed.wait(lock);
    }
    s.items.put();
    s.changed.notify_one();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.changed.wait(lock);
    }
    s.items.take();
    s.changed.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "finn_one_condition_notify_one",
    .defaults = lesson::scenarios::one_slot(),
}));
