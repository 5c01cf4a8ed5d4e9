// A count of waiters, counted only after the wait returns: a notify is lost.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  struct fields {
    lesson::condition not_full{"not_full"};
    lesson::condition not_empty{"not_empty"};
    lesson::counter consumers_waiting;
  };

  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.not_full.wait(lock);
    }
    s.items.put();
    if (s.consumers_waiting > 0) {
      s.not_empty.notify_one();
    }
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.not_empty.wait(lock);
      s.consumers_waiting += 1;
    }
    s.items.take();
    s.not_full.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "ivy_waiter_count_wrong",
    .defaults = lesson::scenarios::one_slot(),
}));
