// Lesson 09: closing the buffer, with a flag set outside the lock.
//
// Lesson 06 with an end: the consumers no longer know how many items will
// come. Each takes until the buffer is closed and empty; the last producer,
// once it has made its items, closes it: it sets `done` and notifies every
// consumer. `done` is a std::atomic<bool>, so the close sets it without the
// lock ("atomic is enough"). It is not. A consumer that has read `done`
// (false) under the lock and not yet begun to wait can have the whole close
// fall in between: the store needs no lock, and its notify_all finds nobody
// waiting. The consumer then waits for a notify that is already gone: a lost
// wakeup. The state a condition waits for must change under its mutex, even
// when it is atomic (cppreference, std::condition_variable).
//
// The window is a few instructions wide, so a free run almost never falls in
// it; the default run is the schedule that does, on every run:
// --producers 1 --consumers 1 --capacity 1 --items 1 --script P1,C1,C1,C1,C1,P1,P1
// (P1 puts its item and comes to its close; C1 takes the item, comes back,
// and reads done, false; before C1 waits, P1 sets done and notifies)
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
    s.done.store(true);  // BUG: without the lock: it can fall between a check and a wait
    s.not_empty.notify_all();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "09_unguarded_close",
    .idea = "lesson 06 closed at the end by a `done` flag set without the lock",
    .shows = "the close falls between a consumer's check and its wait: it sleeps: deadlock, exit 3",
    .teaches = lesson::outcome::deadlock,
    .worst_case = lesson::outcome::deadlock,
    .bug_scripts =
        {
            {.options =
                 "--producers 1 --consumers 1 --capacity 1 --items 1 --script P1,C1,C1,C1,C1,P1,P1",
             .note = "C1 reads done, false; P1 sets done and notifies before C1 waits"},
        },
    .defaults = {.producers = 1,
                 .consumers = 1,
                 .capacity = 1,
                 .items = 1,
                 .producer_delay_ms = 0,
                 .consumer_delay_ms = 0,
                 .script = {"P1", "C1", "C1", "C1", "C1", "P1", "P1"}},
}));
