// Hostile: a step that loops for ever on nothing the checker sees.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    for (volatile unsigned long spin = 0;; spin = spin + 1) {
    }
    s.items.put();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    s.items.take();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "lou_endless_loop",
    .defaults = lesson::scenarios::one_slot(),
}));
