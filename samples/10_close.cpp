// Lesson 10: closing the buffer under the lock.
//
// Lesson 09 with one change: the close takes the lock to set `done`. A
// consumer reads `done` and begins to wait under that same lock (wait()
// lets it go only once the consumer sleeps), so the close comes either
// before the check, which then sees `done`, or after the consumer sleeps,
// and its notify_all wakes it. Every consumer ends, and no item is left.
// This is the close every real queue needs: Boost.Thread's
// sync_bounded_queue::close() does the same.
//
// The schedule that broke lesson 09 (--producers 1 --consumers 1 --capacity 1
// --items 1 --script P1,C1,C1,C1,C1,P1,P1) cannot be followed here: the close
// asks for the lock that C1 holds, and waits until C1 sleeps.
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

  static bool consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty() && !s.done.load()) {
      s.not_empty.wait(lock);
    }
    if (s.items.empty()) {
      return false;  // closed, and nothing left to take
    }
    s.items.take();
    s.not_full.notify_one();
    return true;
  }

  static void close(auto& s) {
    boost::unique_lock lock(s.mutex);  // FIX: no close falls between a check and a wait
    s.done.store(true);
    s.not_empty.notify_all();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "10_close",
    .idea = "the close of lesson 09 made under the lock",
    .shows = "correct: every consumer ends once the buffer is closed and empty",
    .worst_case = lesson::outcome::ok,
    .defaults = lesson::scenarios::one_slot(),
    .plain_twin = "06_uninstrumented",
}));
