// A correct student design with fields of its own, of every kind: two
// conditions of its own names, a waiter count kept as lesson 08 keeps it
// (counted in before the wait, out by the notifier), and a flag that says a
// producer is between its check and its put, read by nobody but explore.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  struct fields {
    lesson::condition space{"space"};
    lesson::condition data{"data"};
    lesson::counter consumers_asleep;
    lesson::flag putting;
  };

  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    s.space.wait(lock, [&] { return !s.items.full(); });
    s.putting.store(true);
    s.items.put();
    s.putting.store(false);
    if (s.consumers_asleep > 0) {
      --s.consumers_asleep;
      s.data.notify_one();
    }
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      ++s.consumers_asleep;
      s.data.wait(lock);
    }
    s.items.take();
    s.space.notify_all();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({.name = "own_fields"}));
