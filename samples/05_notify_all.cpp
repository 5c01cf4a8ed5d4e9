// Lesson 05: notify_one becomes notify_all.
//
// Same scenario as lesson 04. notify_all wakes every waiter, so the one that
// can go on is always among them: the condition covers both sides (a covering
// condition). It is correct, and it pays: every other woken thread finds
// nothing to do and waits again. The summary counts the wakeups per item.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.condition.wait(lock);
    }
    s.items.put();
    s.condition.notify_all();  // FIX: wakes every waiter, so the one that can go on too
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.condition.wait(lock);
    }
    s.items.take();
    s.condition.notify_all();  // FIX: wakes every waiter, so the one that can go on too
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "05_notify_all",
    .idea = "notify_one becomes notify_all: wake every waiter",
    .shows = "no deadlock; the summary counts the extra wakeups it pays per item",
    .worst_case = lesson::outcome::ok,
    .defaults = lesson::scenarios::one_slot(),
}));
