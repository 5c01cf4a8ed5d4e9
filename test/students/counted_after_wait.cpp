// A student's design whose bug lives in a counter of its own: lesson 08's
// waiter counts, but each waiter counts itself in after wait() returns
// instead of before it waits. A notifier looks at the count, sees nobody,
// and does not notify: the waiter sleeps on (a lost wakeup). explore finds
// it only because the counters are part of the state it knows runs by.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  struct fields {
    lesson::condition room{"room"};
    lesson::condition item{"item"};
    lesson::counter producers_asleep;
    lesson::counter consumers_asleep;
  };

  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.room.wait(lock);
      ++s.producers_asleep;  // BUG: counted after the wait, not before it
    }
    s.items.put();
    if (s.consumers_asleep > 0) {
      --s.consumers_asleep;
      s.item.notify_one();
    }
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.item.wait(lock);
      ++s.consumers_asleep;  // BUG: counted after the wait, not before it
    }
    s.items.take();
    if (s.producers_asleep > 0) {
      --s.producers_asleep;
      s.room.notify_one();
    }
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({.name = "counted_after_wait"}));
