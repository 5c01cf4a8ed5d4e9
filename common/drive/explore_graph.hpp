// explore's graph of states (explore.hpp): the points where its runs took a
// decision, shared by every search, and what it counts over them at the
// end: the schedules each outcome covers and the shortest path to each.
#pragma once

#include <atomic>
#include <boost/chrono.hpp>
#include <boost/thread/mutex.hpp>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "drive/explore.hpp"
#include "engine/run.hpp"

namespace lesson::explore_parts {

// No point, or no count of choices yet.
constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

// A state, or a choice point, written as numbers: the key the graph knows it by.
using words = std::vector<std::uint64_t>;

// Where a state or a choice point is found again: its words, exactly (a hash
// of them alone could merge two states, and prune a future unexplored).
struct words_hash {
  std::size_t operator()(const words& key) const {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const std::uint64_t w : key) {
      h = (h ^ w) * 0x100000001b3ULL;
      h ^= h >> 29U;
    }
    return static_cast<std::size_t>(h);
  }
};

// A decision's way on: not yet taken, to a choice point, or to a run's end.
struct edge {
  enum class to : std::uint8_t { unexplored, point, end } what = to::unexplored;
  std::uint32_t target = 0;  // the point's index, or the outcome's
};

// A way's decision with its thread named by its place in the state's words
// (explored_state::place), the same for every run that comes to the point
// however its threads are named: kind << 24 | place; `stall` for letting
// every waiter sleep on.
using placed_decision = std::uint32_t;
constexpr placed_decision stall = none;
placed_decision placed(const decision& d, const std::vector<unsigned>& place);

// A point where the run takes a decision (where no thread could move by
// itself, a state, even with one way on).
struct point {
  std::vector<edge> ways;
  std::vector<placed_decision> decisions;  // by way, as the run that made the point took them
};

// The graph of points the searches share, under its mutex: a search that
// comes to a point another has made stops there, whether or not that one is
// done with it; the counts are made over the whole graph at the end.
class graph {
 public:
  explicit graph(const explore_limits& limits) : limits_(limits) {}

  struct step {
    std::uint32_t at;
    std::uint32_t way;
  };
  // The point known by `key`, made with these ways if new, and whether it is new.
  std::pair<std::uint32_t, bool> point_at(words key, std::vector<placed_decision> ways,
                                          bool a_state);
  std::size_t ways_at(std::uint32_t at) const;
  // The way `from` took leads `to` (from the start, without `from`).
  void link(const std::optional<step>& from, const edge& to);
  // A run that ended: its outcome's index.
  std::uint32_t ended(const run_result& result);
  void not_deterministic(const std::string& why);
  void stopped_at_known() {
    const boost::lock_guard<boost::mutex> lock(mutex_);
    ++stopped_;
  }

  // Whether another run may be made; if not, which limit says so.
  bool may_run();
  // A run was interrupted (a signal) or could not be made (`why`): no more runs.
  void cut_short(const std::string& why);
  const std::string& failure() const { return failure_; }
  double seconds() const {
    return boost::chrono::duration<double>(boost::chrono::steady_clock::now() - began_).count();
  }
  std::uint64_t runs() const { return runs_.load(); }
  std::uint64_t states() const { return states_.load(); }

  // Once every search is over: the findings, counted over the graph when complete.
  exploration findings(bool complete);
  // The decisions along the path with the fewest choices to outcome `index`.
  std::vector<placed_decision> shortest_path(std::size_t index) const;
  std::size_t index_of(const std::string& label) const {
    std::size_t index = 0;
    while (outcomes_.at(index).label != label) {
      ++index;
    }
    return index;
  }
  // The schedule of the first run that ended as outcome `index`.
  const std::vector<decision>& first_run_to(std::size_t index) const {
    return first_run_to_.at(index);
  }

 private:
  void count(std::uint32_t at);

  const explore_limits& limits_;
  const boost::chrono::steady_clock::time_point began_ = boost::chrono::steady_clock::now();
  std::atomic<std::uint64_t> runs_{0};
  std::atomic<std::uint64_t> states_{0};

  mutable boost::mutex mutex_;
  std::string cut_by_;
  std::unordered_map<words, std::uint32_t, words_hash> known_;
  std::vector<point> points_;
  std::optional<edge> start_;
  std::vector<explored_outcome> outcomes_;           // as first seen
  std::vector<std::vector<decision>> first_run_to_;  // by outcome
  std::string not_deterministic_;
  std::string failure_;  // a run that could not be made, such as a thread that did not start
  std::uint64_t stopped_ = 0;

  // The counts, made at the end, by point and outcome.
  std::vector<bool> counted_;
  std::vector<bool> on_path_;  // the points count() is inside, from the start
  std::vector<step> trail_;    // the ways it took to the point it counts
  // The first cycle count() found: the decisions from the start into it and
  // once round it. Empty when the graph has none.
  std::vector<placed_decision> cycle_;
  std::vector<std::vector<schedule_count>> schedules_;
  std::vector<std::vector<std::uint32_t>> shortest_;  // fewest choices to it
  std::vector<std::vector<std::uint32_t>> by_way_;    // ... taking this way first
};

}  // namespace lesson::explore_parts
