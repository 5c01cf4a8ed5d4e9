#include "engine/watchdog.hpp"

namespace lesson {

boost::chrono::nanoseconds watchdog::from_ms(double ms) {
  return boost::chrono::nanoseconds(static_cast<std::int64_t>(ms * 1e6));
}

bool watchdog::stalled(const std::vector<std::unique_ptr<worker>>& workers, std::uint64_t progress,
                       boost::chrono::steady_clock::time_point now) {
  std::size_t live = 0;
  std::size_t waiting = 0;
  for (const auto& w : workers) {
    const thread_state state = w->state.load();
    live += state != thread_state::done ? 1 : 0;
    waiting += state == thread_state::waiting ? 1 : 0;
  }
  if (live == 0 || waiting < live) {
    stall_since_.reset();
    return false;
  }
  if (!stall_since_ || progress != stall_progress_) {
    stall_since_ = now;
    stall_progress_ = progress;
    return false;
  }
  return now - *stall_since_ >= from_ms(stall_timeout_ms_);
}

}  // namespace lesson
