#include "gate.hpp"

#include <boost/thread/thread.hpp>

#include "watchdog.hpp"

namespace lesson {

lock_gate::lock_gate(std::vector<unsigned> script) : script_(std::move(script)) {}

bool lock_gate::script_left() const {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  return cursor_ < script_.size();
}

std::optional<lock_gate::stuck> lock_gate::await_turn(
    const worker& me, const std::vector<std::unique_ptr<worker>>& workers, const recorder& record,
    const std::atomic<bool>& stopping, double stall_timeout_ms) {
  // The gate is not an interruption point: condition_variable_any re-takes
  // the lock here while an interruption unwinds.
  const boost::this_thread::disable_interruption keep_going;
  boost::unique_lock<boost::mutex> lock(mutex_);
  auto since = boost::chrono::steady_clock::now();
  std::size_t cursor_seen = cursor_;
  std::uint64_t progress_seen = record.progress();
  while (!stopping.load() && cursor_ < script_.size() && script_[cursor_] != me.id) {
    turn_changed_.wait_for(lock, watchdog::tick);
    if (stopping.load() || cursor_ >= script_.size()) {
      break;
    }
    const worker& awaited = *workers[script_[cursor_]];
    const auto now = boost::chrono::steady_clock::now();
    if (awaited.state.load() == thread_state::running || cursor_ != cursor_seen ||
        record.progress() != progress_seen) {
      since = now;
      cursor_seen = cursor_;
      progress_seen = record.progress();
      continue;
    }
    if (now - since >= watchdog::from_ms(stall_timeout_ms)) {
      return stuck{cursor_ + 1, awaited.id, awaited.waiting_on.load()};
    }
  }
  return std::nullopt;
}

bool lock_gate::took_turn(const worker& me) {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  if (cursor_ < script_.size() && script_[cursor_] == me.id) {
    ++cursor_;
    turn_changed_.notify_all();
    return cursor_ == script_.size();
  }
  return false;
}

std::optional<lock_gate::stuck> lock_gate::next_turn() const {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  if (cursor_ >= script_.size()) {
    return std::nullopt;
  }
  return stuck{cursor_ + 1, script_[cursor_], nullptr};
}

void lock_gate::release_all() {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  turn_changed_.notify_all();
}

}  // namespace lesson
