// explore's depth-first search (explore.hpp): the runs it makes, each
// replaying a path and taking one way more, on the graph of states that
// several searches share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "drive/explore_graph.hpp"

namespace lesson::explore_parts {

// One depth-first search over the decisions of the runs, on the shared
// graph. With `shares` searches, this one takes the ways `share`,
// `share + shares`, ... at the first choice (the split), and ends there.
class search {
 public:
  search(const definition& lesson, const settings& config, const explore_limits& limits,
         graph& shared)
      : lesson_(lesson),
        config_(config),
        limits_(limits),
        graph_(shared),
        place_(config.producers + config.consumers) {}

  // Runs until its part is explored (true) or a limit is reached.
  bool run_all();
  // The first run: up to the split, the depth of the first choice, if any.
  std::optional<std::size_t> first_run();
  // This search's part: ways `share`, `share + shares`, ... at the split,
  // on the path of `first` to it.
  void take_share(const search& first, std::size_t split, unsigned share, unsigned shares);

 private:
  using step = graph::step;
  bool run_once();  // false when its part is explored
  std::optional<std::size_t> choose(const std::vector<decision>& options, bool may_stall,
                                    explored_state* state);
  bool backtrack();

  const definition& lesson_;
  const settings& config_;
  const explore_limits& limits_;
  graph& graph_;
  std::vector<step> path_;  // the decisions the next run takes, from the start
  std::size_t floor_ = 0;   // the depth it ends at: the split's, or 0
  unsigned stride_ = 1;     // at the split

  // The run under way.
  std::size_t depth_ = 0;
  std::uint32_t last_state_ = none;  // the last point where no thread could move
  words since_;                      // the ways taken after it
  std::vector<unsigned> place_;      // its threads' places in the last state's words
  bool stopped_at_known_ = false;
};

// Keeps the calling thread, and the threads it starts (a run's), on one core
// of those the process may use: the `share`-th. A run's threads hand the lock
// to each other at every decision; on one core a handoff costs a switch, on
// two it also costs an interrupt between the cores. Where the system has no
// such call, the threads go where the system puts them.
void keep_to_one_core(std::size_t share);

}  // namespace lesson::explore_parts
