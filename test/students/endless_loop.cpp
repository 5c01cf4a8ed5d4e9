// A student's step that spins, holding the lock, until an item comes: no
// other thread can ever put one, and the step never returns.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.not_full.wait(lock);
    }
    s.items.put();
    s.not_empty.notify_one();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
    }
    s.items.take();
    s.not_full.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({.name = "endless_loop"}));
