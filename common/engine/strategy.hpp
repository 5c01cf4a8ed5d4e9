// How an observed run decides: the one interface its scheduler calls. Each
// strategy is in a file of its own. script.hpp follows a --script and then the defaults
// (a replay is a script); explored.hpp lets a chooser decide at each choice,
// which is how explore searches and how --play lets a student choose.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "engine/seating.hpp"

namespace lesson {

class strategy {
 public:
  strategy() = default;
  strategy(const strategy&) = delete;
  strategy& operator=(const strategy&) = delete;
  virtual ~strategy() = default;

  // Every thread has started and none can move by itself: makes one move on
  // `run` (seating.hpp), or sets run.trouble when the run cannot go on.
  // Called with the scheduler's lock held.
  virtual void decide(seating& run) = 0;
  // A thread notifies `condition`, on which `waiters` wait (the longest
  // first): one of them, or every one with `all`. Says whom it wakes, and
  // adds a notify_one's choice to run.taken; the scheduler wakes them.
  virtual notify_result notify(seating& run, const char* condition, bool all,
                               const std::vector<unsigned>& waiters) = 0;

  // A script's decisions not taken, from the first (its place from 1): none
  // when there is no script, when it was used up, or when the run follows it
  // as far as possible (left_script says).
  virtual std::optional<std::size_t> first_untaken() const { return std::nullopt; }
  // Where a run that follows its script as far as possible left it; none
  // when it followed all of it, or has no script.
  virtual std::optional<schedule_trouble> left_script() const { return std::nullopt; }
};

}  // namespace lesson
