#include "lesson.hpp"

#include <stdexcept>

#include "engine/race_detectors.hpp"

namespace lesson {

namespace {

thread_local run_context* run_made_here = nullptr;

}  // namespace

run_context& run_being_made() {
  if (run_made_here == nullptr) {
    throw std::logic_error(
        "a lesson::condition, counter or flag is made only as a field of a steps struct's "
        "`fields`, by the run that makes them");
  }
  return *run_made_here;
}

making_run::making_run(run_context& context) : before_(run_made_here) {
  run_made_here = &context;
}

making_run::~making_run() {
  run_made_here = before_;
}

condition::condition(const char* name) {
  run_context& context = run_being_made();
  if (context.observed()) {
    observed_.emplace(context, name);
  } else {
    free_.emplace(context, name);
  }
}

counter::counter() {
  run_being_made().read_fields_with([this](std::vector<std::uint64_t>& state) {
    state.push_back(static_cast<std::uint64_t>(value_));
  });
}

flag::flag() : context_(run_being_made()) {
  context_.read_fields_with(
      [this](std::vector<std::uint64_t>& state) { state.push_back(value_.load() ? 1 : 0); });
}

bool flag::load(std::source_location site) const {
  if (context_.observed()) {
    context_.at_point(worker::current(), point_kind::signal, site);
  }
  return value_.load();
}

void flag::store(bool value, std::source_location site) {
  if (context_.observed()) {
    context_.at_point(worker::current(), point_kind::signal, site);
  }
  value_.store(value);
}

tracked_buffer::tracked_buffer(run_context& context)
    : context_(context),
      buffer_(context.config().capacity, context.config().producers, context.config().items) {
  ignored_by_race_detectors(size_seen_);
  ignored_by_race_detectors(inside_);
  ignored_by_race_detectors(last_in_);
  context_.attach_buffer(buffer_, size_seen_);
}

bool tracked_buffer::checked(bool checked_full, const std::source_location& site) const {
  worker& me = worker::current();
  me.checked_at = site;
  if (!context_.observed()) {
    if (++me.points_in_step > run_context::most_points_in_a_step) {
      context_.endless_step(me);  // a step that spins on the buffer, holding the lock
    }
    if (context_.stopping()) {
      // A step that spins on the buffer holding the lock ends here when the
      // run stops: it never comes to a wait, where the others are interrupted.
      boost::this_thread::interruption_point();
    }
    return checked_full ? buffer_.full() : buffer_.empty();
  }
  context_.at_point(me, point_kind::buffer, site);
  const bool result = checked_full ? buffer_.full() : buffer_.empty();
  context_.on_check(me, checked_full, result);
  return result;
}

bool tracked_buffer::enter(worker& me, bool unlocked, const std::source_location& site) {
  me.site = site;
  if (context_.observed()) {
    context_.at_point(me, point_kind::buffer, site);
  }
  // Relaxed: the count orders nothing, so a race detector still sees the
  // unguarded accesses as the race they are.
  if (inside_.fetch_add(1, std::memory_order_relaxed) > 0) {
    context_.on_violation(me, violation_kind::concurrent, unlocked,
                          last_in_.load(std::memory_order_relaxed));
    leave();
    return false;
  }
  last_in_.store(static_cast<int>(me.id), std::memory_order_relaxed);
  if (context_.observed()) {
    me.inside_buffer = true;
    context_.at_point(me, point_kind::buffer, site);  // inside: here another thread may come in
    me.inside_buffer = false;
  }
  return true;
}

// What put() and take() share: come in, `move` the item, leave, report.
template <class Move>
void tracked_buffer::moving(const std::source_location& site, const Move& move) {
  worker& me = worker::current();
  if (context_.stopping()) {
    return;
  }
  const bool unlocked = !context_.holds_lock(me);
  if (!enter(me, unlocked, site)) {
    return;
  }
  const bounded_buffer::take_result moved = move(me);
  size_seen_.store(buffer_.size(), std::memory_order_relaxed);
  leave();
  if (moved.violation) {
    context_.on_violation(me, *moved.violation, unlocked);
    return;
  }
  context_.on_moved(me, *moved.taken, unlocked);
}

void tracked_buffer::put(std::source_location site) {
  moving(site, [this](worker& me) -> bounded_buffer::take_result {
    const item it{me.index, me.next_sequence};
    if (const auto refused = buffer_.put(it)) {
      return {std::nullopt, refused};
    }
    ++me.next_sequence;
    return {it, std::nullopt};
  });
}

void tracked_buffer::take(std::source_location site) {
  moving(site, [this](worker& /*me*/) { return buffer_.take(); });
}

}  // namespace lesson
