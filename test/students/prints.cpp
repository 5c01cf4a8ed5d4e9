// A student's step that prints what it does.
#include <iostream>

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
    s.items.take();
    std::cout << "took one\n";
    s.not_full.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({.name = "prints"}));
