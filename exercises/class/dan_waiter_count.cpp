// Two conditions, and a notify only when someone waits: a count of waiters.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  struct fields {
    lesson::condition not_full{"not_full"};
    lesson::condition not_empty{"not_empty"};
    lesson::counter producers_waiting;
    lesson::counter consumers_waiting;
  };

  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.producers_waiting += 1;
      s.not_full.wait(lock);
      s.producers_waiting -= 1;
    }
    s.items.put();
    if (s.consumers_waiting > 0) {
      s.not_empty.notify_one();
    }
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.consumers_waiting += 1;
      s.not_empty.wait(lock);
      s.consumers_waiting -= 1;
    }
    s.items.take();
    if (s.producers_waiting > 0) {
      s.not_full.notify_one();
    }
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "dan_waiter_count",
    .defaults = lesson::scenarios::one_slot(),
}));
