// A student's busy-wait: no condition, the lock let go and taken again
// until the buffer has room or an item. Correct when the scheduler is fair;
// on a schedule that keeps choosing the spinning thread it spins forever.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      lock.unlock();
      boost::this_thread::yield();
      lock.lock();
    }
    s.items.put();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      lock.unlock();
      boost::this_thread::yield();
      lock.lock();
    }
    s.items.take();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({.name = "busy_wait"}));
