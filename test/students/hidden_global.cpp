// A student's design that keeps a count of waiters in a variable of the
// file's own, outside the steps' fields: explore could not see it, so the
// check refuses the file and says how to declare it.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

unsigned waiting = 0;

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.not_full.wait(lock);
    }
    s.items.put();
    if (waiting > 0) {
      s.not_empty.notify_one();
    }
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      ++waiting;
      s.not_empty.wait(lock);
      --waiting;
    }
    s.items.take();
    s.not_full.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({.name = "hidden_global"}));
