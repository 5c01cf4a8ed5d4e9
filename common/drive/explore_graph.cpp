#include "drive/explore_graph.hpp"

#include <boost/format.hpp>
#include <csignal>

#include "engine/signals.hpp"

namespace lesson::explore_parts {

placed_decision placed(const decision& d, const std::vector<unsigned>& place) {
  return (static_cast<std::uint32_t>(d.what) << 24U) | place.at(d.worker);
}

std::pair<std::uint32_t, bool> graph::point_at(words key, std::vector<placed_decision> ways,
                                               bool a_state) {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  const auto [found, added] =
      known_.emplace(std::move(key), static_cast<std::uint32_t>(points_.size()));
  if (added) {
    points_.emplace_back();
    points_.back().ways.resize(ways.size());
    points_.back().decisions = std::move(ways);
    states_ += a_state ? 1 : 0;
  }
  return {found->second, added};
}

std::size_t graph::ways_at(std::uint32_t at) const {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  return points_[at].ways.size();
}

void graph::link(const std::optional<step>& from, const edge& to) {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  if (from) {
    points_[from->at].ways[from->way] = to;
  } else {
    start_ = to;
  }
}

std::uint32_t graph::ended(const run_result& result) {
  const std::string label = outcome_label(result.result, result.kind);
  const boost::lock_guard<boost::mutex> lock(mutex_);
  std::size_t index = 0;
  while (index < outcomes_.size() && outcomes_[index].label != label) {
    ++index;
  }
  if (index == outcomes_.size()) {
    explored_outcome added;
    added.label = label;
    added.result = result.result;
    outcomes_.push_back(added);
    first_run_to_.push_back(result.schedule);
  }
  ++outcomes_[index].runs;
  return static_cast<std::uint32_t>(index);
}

void graph::not_deterministic(const std::string& why) {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  if (not_deterministic_.empty()) {
    not_deterministic_ = why;
  }
}

bool graph::may_run() {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  if (!cut_by_.empty()) {
    return false;
  }
  if (const int signal = caught_signal(); signal != 0) {
    cut_by_ = signal == SIGINT ? "SIGINT" : "SIGTERM";
  } else if (runs_ >= limits_.max_runs) {
    cut_by_ = "--max-schedules " + std::to_string(limits_.max_runs);
  } else if (seconds() >= limits_.seconds) {
    cut_by_ = (boost::format("--seconds %g") % limits_.seconds).str();
  }
  if (cut_by_.empty()) {
    ++runs_;
  }
  return cut_by_.empty();
}

void graph::cut_short(const std::string& why) {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  const int signal = caught_signal();
  if (signal == 0 && failure_.empty()) {
    failure_ = why;
  }
  if (cut_by_.empty()) {
    cut_by_ = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "an error";
  }
}

// The schedules from point `at` to each outcome, and the fewest choices,
// from those of the points its ways lead to. A way back to a point on the
// path to `at` closes a cycle: a run can go round it for ever, and nothing
// changes on the way (a busy-wait). It is kept in cycle_ and counts nothing.
void graph::count(std::uint32_t at) {
  if (counted_[at]) {
    return;
  }
  on_path_[at] = true;
  const point& p = points_[at];
  const std::size_t kinds = outcomes_.size();
  std::vector<schedule_count> schedules(kinds, 0);
  std::vector<std::uint32_t> shortest(kinds, none);
  std::vector<std::uint32_t> by_way(kinds, none);
  const std::uint32_t here = p.ways.size() > 1 ? 1 : 0;  // a choice, if there was more than one way
  for (std::uint32_t way = 0; way < p.ways.size(); ++way) {
    const edge& e = p.ways[way];
    const auto reach = [&](std::size_t kind, const schedule_count& count, std::uint32_t choices) {
      schedules[kind] += count;
      if (choices != none && choices + here < shortest[kind]) {
        shortest[kind] = choices + here;
        by_way[kind] = way;
      }
    };
    if (e.what == edge::to::end) {
      reach(e.target, 1, 0);
    } else if (e.what == edge::to::point && on_path_[e.target]) {
      if (cycle_.empty()) {
        for (const step& taken : trail_) {
          cycle_.push_back(points_[taken.at].decisions.at(taken.way));
        }
        cycle_.push_back(p.decisions.at(way));
      }
    } else if (e.what == edge::to::point) {
      trail_.push_back({at, way});
      count(e.target);
      trail_.pop_back();
      for (std::size_t kind = 0; kind < kinds; ++kind) {
        reach(kind, schedules_[e.target][kind], shortest_[e.target][kind]);
      }
    }
  }
  schedules_[at] = std::move(schedules);
  shortest_[at] = std::move(shortest);
  by_way_[at] = std::move(by_way);
  counted_[at] = true;
  on_path_[at] = false;
}

exploration graph::findings(bool complete) {
  exploration found;
  found.runs = runs_;
  found.stopped = stopped_;
  found.states = states_;
  found.cut_by = cut_by_;
  found.complete = complete && cut_by_.empty() && start_.has_value();
  found.not_deterministic = not_deterministic_;
  found.outcomes = outcomes_;
  for (explored_outcome& o : found.outcomes) {
    o.schedules = o.runs;  // cut, or no choice at all: the runs made
  }
  if (found.complete && start_->what == edge::to::point) {
    counted_.assign(points_.size(), false);
    on_path_.assign(points_.size(), false);
    schedules_.resize(points_.size());
    shortest_.resize(points_.size());
    by_way_.resize(points_.size());
    count(start_->target);
    for (std::size_t i = 0; i < found.outcomes.size(); ++i) {
      found.outcomes[i].schedules = schedules_[start_->target][i];
    }
    if (!cycle_.empty()) {
      explored_outcome livelock;
      livelock.label = outcome_label(outcome::deadlock, livelock_kind);
      livelock.result = outcome::deadlock;
      found.outcomes.push_back(livelock);
      found.endless = true;
      if (outcomes_.empty() || outcomes_.back().label != livelock.label) {
        outcomes_.push_back(livelock);
        first_run_to_.emplace_back();
      }
    }
  }
  return found;
}

std::vector<placed_decision> graph::shortest_path(std::size_t index) const {
  std::vector<placed_decision> path;
  if (!start_) {
    return path;
  }
  if (!cycle_.empty() &&
      outcomes_.at(index).label == outcome_label(outcome::deadlock, livelock_kind)) {
    return cycle_;
  }
  for (edge e = *start_; e.what == edge::to::point && e.target < counted_.size();) {
    const std::uint32_t way = by_way_[e.target].at(index);
    path.push_back(points_[e.target].decisions.at(way));
    e = points_[e.target].ways[way];
  }
  return path;
}

}  // namespace lesson::explore_parts
