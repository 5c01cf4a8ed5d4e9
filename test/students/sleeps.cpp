// A student's step that sleeps "to let the other thread go first".
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
      s.not_empty.wait(lock);
    }
    boost::this_thread::sleep_for(boost::chrono::milliseconds(1));
    s.items.take();
    s.not_full.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({.name = "sleeps"}));
