// Waits every time, without looking whether it must: the notify may have come already.
#include "lesson.hpp"
#include "lessons.hpp"

namespace {

struct steps {
  struct fields {
    lesson::condition not_full{"not_full"};
    lesson::condition not_empty{"not_empty"};
  };

  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    if (s.items.full()) {
      s.not_full.wait(lock);
    }
    s.items.put();
    s.not_empty.notify_one();
  }

  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    s.not_empty.wait(lock);
    s.items.take();
    s.not_full.notify_one();
  }
};

}  // namespace

const lessons::registration registered(lesson::define<steps>({
    .name = "gus_wait_without_check",
    .defaults = lesson::scenarios::one_slot(),
}));
