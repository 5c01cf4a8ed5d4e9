// A student's design that declares a plain int among its fields: state
// explore could not see, so the file does not compile, and the compiler's
// message says which types a field may have.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  struct fields {
    lesson::condition changed{"changed"};
    int waiting = 0;
  };

  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.changed.wait(lock);
    }
    s.items.put();
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

const lessons::registration registered(lesson::define<steps>({.name = "plain_int_field"}));
