// The watchdog of free runs: when every live thread waits on a condition and
// no event has been recorded for the stall timeout, the run is deadlocked.
#pragma once

#include <boost/chrono.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/worker.hpp"

namespace lesson {

class watchdog {
 public:
  // How often it looks. It polls rather than wait on a condition with a
  // timeout: a timed wait that a notify races with makes helgrind report glibc.
  static constexpr boost::chrono::milliseconds tick{5};
  static boost::chrono::nanoseconds from_ms(double ms);

  explicit watchdog(double stall_timeout_ms) : stall_timeout_ms_(stall_timeout_ms) {}
  // Whether the run has stalled: every live worker waits, and `progress` (the
  // events recorded) has not changed for the stall timeout up to `now`.
  bool stalled(const std::vector<std::unique_ptr<worker>>& workers, std::uint64_t progress,
               boost::chrono::steady_clock::time_point now);
  // Forgets a stall in the making, while another part of the run watches.
  void reset() { stall_since_.reset(); }

 private:
  double stall_timeout_ms_;
  std::uint64_t stall_progress_ = 0;
  std::optional<boost::chrono::steady_clock::time_point> stall_since_;
};

}  // namespace lesson
