// The strategy of a scripted run, and of every observed run without one: the
// script's next decision when it is of the kind the run comes to, else the
// default. The defaults cut nobody short: the holder at a point goes on,
// then a thread at a point, then the one that has asked for the lock
// longest; a notify_one wakes the waiter that has waited longest. A
// spurious wakeup is never a default. A replay is a run of this strategy.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/strategy.hpp"

namespace lesson {

class script_strategy final : public strategy {
 public:
  // `as_far_as_possible` (compare's follower): a decision of the script that
  // cannot be taken ends the script there instead of the run, and the
  // defaults decide the rest.
  script_strategy(std::vector<decision> script, bool as_far_as_possible);

  void decide(seating& run) override;
  notify_result notify(seating& run, const char* condition, bool all,
                       const std::vector<unsigned>& waiters) override;
  std::optional<std::size_t> first_untaken() const override;
  std::optional<schedule_trouble> left_script() const override;

 private:
  // Whether the script's next decision is of this kind; if so it is taken
  // (the caller makes its move), and `ended` says whether it was the last.
  bool take(decision::kind kind, bool& ended);
  // `wanted`, the script's next, cannot be taken: the run is stuck, or, when
  // it follows as far as possible, the script ends here. Returns whether the
  // defaults decide on.
  bool cannot_take(seating& run, const decision& wanted, std::string why);
  // Whether this default decision is the first after the script was left:
  // it marks the end of the script in the trace.
  bool first_default_after_leaving();
  // The script's next decision, when it is a spurious wakeup, or a lock with
  // someone to take it: taken. Returns whether the script decided (or the
  // run is stuck), false when the defaults decide.
  bool decide_spurious(seating& run);
  bool decide_lock(seating& run);
  void decide_by_default(seating& run, std::optional<unsigned> longest_paused,
                         std::optional<unsigned> longest_asking);

  const std::vector<decision> script_;
  const bool lenient_;
  std::size_t cursor_ = 0;  // the script's next decision
  std::optional<schedule_trouble> left_script_;
  bool leaving_unmarked_ = false;  // the script was left, and no default has marked it yet
};

}  // namespace lesson
