// A student's file with a mistake the compiler finds on line 14: the check
// shows the compiler's message with this file's name and line, and exits 2.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    s.items.put();
  }

  static void consume(auto& s) { boost::unique_lock lock(s.mutex) s.items.take(); }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({.name = "does_not_compile"}));
