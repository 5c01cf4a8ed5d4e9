// Two conditions, and wait with a predicate, which loops by itself.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  struct fields {
    lesson::condition room{"room"};
    lesson::condition item{"item"};
  };

  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    s.room.wait(lock, [&] { return !s.items.full(); });
    s.items.put();
    s.item.notify_one();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    s.item.wait(lock, [&] { return !s.items.empty(); });
    s.items.take();
    s.room.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "cleo_predicate_wait",
    .defaults = lesson::scenarios::one_slot(),
}));
