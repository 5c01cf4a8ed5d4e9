// Lesson 12: the lock let go around the buffer.
//
// Lesson 06 with one change: once its check has passed, each step lets the
// lock go, puts or takes, and takes the lock again to notify ("the condition
// was checked, so the buffer is safe"). It is not: what a check finds holds
// only while the lock is held. Another consumer may take the item this one
// saw, or come into the buffer while this one is in it. That second thing is
// a data race, the one bug of this suite that ThreadSanitizer and helgrind
// report; on 02 and 04 they are silent: those are logic errors, not races.
// (OSTEP's condition-variable homework calls this variant extra-unlock.)
//
// Every run shows it: --producers 1 --consumers 2 --capacity 1 --items 2
// --script P1,P1,P1,C1,C1,C2 (the lock to P1, which puts; the lock to C1,
// which lets it go and comes into the buffer; the lock to C2 while C1 is in
// there: C2 sees the same item)
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.not_full.wait(lock);
    }
    lock.unlock();  // BUG: the slot it saw free may be filled before it puts
    s.items.put();
    lock.lock();
    s.not_empty.notify_one();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.not_empty.wait(lock);
    }
    lock.unlock();  // BUG: the item it saw may be taken before it takes
    s.items.take();
    lock.lock();
    s.not_full.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "12_unlocked_buffer",
    .idea = "lesson 06 with the lock let go around the put and the take",
    .shows = "two consumers take one item, or two threads are in the buffer at once: exit 1",
    .teaches = lesson::outcome::violation,
    .worst_case = lesson::outcome::violation,
    .bug_scripts =
        {
            {.options =
                 "--producers 1 --consumers 2 --capacity 1 --items 2 --script P1,P1,P1,C1,C1,C2",
             .note = "P1 puts; C1 sees the item, lets the lock go and comes into the buffer;\n"
                     "C2 sees the same item before C1 has taken it: underflow"},
            {.options =
                 "--producers 1 --consumers 2 --capacity 1 --items 2 --script P1,P1,P1,C1,C2",
             .note = "C2 comes into the buffer while C1 is in it: two threads in the buffer"},
        },
    // A schedule: free runs (--script free --consumers 4 --items 30000) show
    // the race on most machines, but not all (none in a bare chroot here).
    .defaults = {.producers = 1,
                 .consumers = 2,
                 .capacity = 1,
                 .items = 2,
                 .producer_delay_ms = 0,
                 .consumer_delay_ms = 0,
                 .script = {"P1", "P1", "P1", "C1", "C1", "C2"}},
}));
