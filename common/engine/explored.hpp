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
#include "model/buffer.hpp"

namespace lesson {

// A run's state where no thread can move by itself: what decides the rest of
// the run. The scheduler and the run each write their part of it; settle()
// then makes `words`, the key two runs that end alike share.
struct explored_state {
  std::vector<std::uint64_t> shared;                  // what belongs to no thread
  std::vector<std::vector<std::uint64_t>> of_thread;  // by thread: P1, P2, ..., C1, ...
  std::vector<item> items;                            // the buffer, oldest first

  std::vector<std::uint64_t> words;
  // Each thread's place in `words`. Without symmetry, its own number. With
  // it, the threads of each side are put in one order that does not depend
  // on their names (sorted by their part of the state and their items in the
  // buffer), and the items renamed with their producers: a state and the same
  // state with producers (or consumers) renamed have the same words, and
  // their futures are the same up to that renaming.
  std::vector<unsigned> place;

  void settle(unsigned producers, bool symmetry);
};

// What an explored run is given: the chooser, how many spurious wakeups it
// may have, and whether its states are known up to a renaming of threads.
struct exploring {
  // Called with the scheduler's lock held, once for each decision the run
  // takes (so also where there is one way on). `options` are the ways; with
  // `may_stall`, nobody asks for the lock and letting every waiter sleep on
  // is one more (the deadlock). `state` is given, settled, where no thread
  // can move by itself; null at a notify_one. Returns the option's index
  // (options.size(): stall), or none to stop the run there.
  std::function<std::optional<std::size_t>(const std::vector<decision>& options, bool may_stall,
                                           explored_state* state)>
      choose;
  unsigned spurious = 0;  // how many spurious wakeups a run may have
  bool symmetry = false;
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
  void state_of_seats(const seating& run, explored_state& state) const;

  const exploring chooser_;
  unsigned spurious_left_;
};

}  // namespace lesson
