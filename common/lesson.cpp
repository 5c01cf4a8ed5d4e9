#include "lesson.hpp"

#include "race_detectors.hpp"

namespace lesson {

tracked_buffer::tracked_buffer(run_context& context)
    : context_(context),
      buffer_(context.config().capacity, context.config().producers, context.config().items) {
  ignored_by_race_detectors(size_seen_);
  context_.attach_buffer(buffer_, size_seen_);
}

bool tracked_buffer::checked(bool checked_full, bool result) const {
  if (context_.observed()) {
    context_.on_check(worker::current(), checked_full, result);
  }
  return result;
}

void tracked_buffer::put() {
  worker& me = worker::current();
  if (context_.stopping()) {
    return;
  }
  const item it{me.index, me.next_sequence};
  if (const auto violation = buffer_.put(it)) {
    context_.on_violation(me, *violation);
    return;
  }
  ++me.next_sequence;
  size_seen_.store(buffer_.size(), std::memory_order_relaxed);
  context_.on_moved(me, it);
}

void tracked_buffer::take() {
  worker& me = worker::current();
  if (context_.stopping()) {
    return;
  }
  const auto result = buffer_.take();
  size_seen_.store(buffer_.size(), std::memory_order_relaxed);
  if (result.violation) {
    context_.on_violation(me, *result.violation);
    return;
  }
  context_.on_moved(me, *result.taken);
}

}  // namespace lesson
