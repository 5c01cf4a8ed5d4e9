// No condition at all: lets the lock go and takes it again until it may go on.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      lock.unlock();
      lock.lock();
    }
    s.items.put();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      lock.unlock();
      lock.lock();
    }
    s.items.take();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "jo_busy_wait",
    .defaults = lesson::scenarios::one_slot(),
}));
