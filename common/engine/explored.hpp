// The strategy of an explored run: wherever the run can go more than one way,
// a chooser decides (explore's search, or the student at --play), and sees
// the state of the run where no thread can move by itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "engine/strategy.hpp"

namespace lesson {

// What an explored run is given: the chooser, and how many spurious wakeups
// it may have.
struct exploring {
  // Called with the scheduler's lock held, once for each decision the run
  // takes (so also where there is one way on). `options` are the ways; with
  // `may_stall`, nobody asks for the lock and letting every waiter sleep on
  // is one more (the deadlock). `state` is given where no thread can move by
  // itself: the scheduler's part of the run's state, for the caller to
  // complete; null at a notify_one. Returns the option's index
  // (options.size(): stall), or none to stop the run there.
  std::function<std::optional<std::size_t>(const std::vector<decision>& options, bool may_stall,
                                           std::vector<std::uint64_t>* state)>
      choose;
  unsigned spurious = 0;  // how many spurious wakeups a run may have
};

class explored_strategy final : public strategy {
 public:
  explicit explored_strategy(exploring chooser)
      : chooser_(std::move(chooser)), spurious_left_(chooser_.spurious) {}

  void decide(seating& run) override;
  notify_result notify(seating& run, const char* condition, bool all,
                       const std::vector<unsigned>& waiters) override;

 private:
  // The ways the run may go on: who may take or keep the lock, then who may
  // wake spuriously. Sets `anyone_waits`.
  std::vector<decision> options(const seating& run, bool& anyone_waits) const;
  // What the scheduler knows of each thread where none can move by itself.
  void state_of_seats(const seating& run, std::vector<std::uint64_t>& state) const;

  const exploring chooser_;
  unsigned spurious_left_;
};

}  // namespace lesson
