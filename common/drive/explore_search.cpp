#include "drive/explore_search.hpp"

#ifdef __linux__
#include <pthread.h>
#include <sched.h>
#endif

#include <numeric>

#include "show/assemble.hpp"

namespace lesson::explore_parts {

std::optional<std::size_t> search::choose(const std::vector<decision>& options, bool may_stall,
                                          explored_state* state) {
  // A point is known by the state, where there is one; a notify_one's choice
  // by the state before it and the ways taken since. Only the run that made
  // a state goes on from it (others stop there), so the ways since are
  // counted as that run's threads are placed.
  words key;
  if (state != nullptr) {
    key = std::move(state->words);
    key.push_back(0);
    place_ = state->place;
  } else {
    key = since_;
    key.push_back(last_state_);
    key.push_back(1);
  }
  const std::optional<step> from =
      depth_ == 0 ? std::nullopt : std::optional<step>(path_[depth_ - 1]);
  std::vector<placed_decision> ways;
  for (const decision& d : options) {
    ways.push_back(placed(d, place_));
  }
  if (may_stall) {
    ways.push_back(stall);
  }
  std::uint32_t at = none;
  std::uint32_t way = 0;
  if (depth_ < path_.size()) {
    at = path_[depth_].at;
    way = path_[depth_].way;
    if (graph_.point_at(std::move(key), std::move(ways), state != nullptr).first != at) {
      graph_.not_deterministic("decision " + std::to_string(depth_ + 1) +
                               " of a path run again came to another state");
    }
  } else {
    const auto [known, added] = graph_.point_at(std::move(key), std::move(ways), state != nullptr);
    graph_.link(from, {edge::to::point, known});
    if (!added) {
      stopped_at_known_ = true;
      return std::nullopt;
    }
    at = known;
    path_.push_back({at, 0});
  }
  ++depth_;
  if (state != nullptr) {
    last_state_ = at;
    since_.clear();
  }
  since_.push_back(way);
  return way;
}

bool search::run_once() {
  depth_ = 0;
  last_state_ = none;
  since_.clear();
  std::iota(place_.begin(), place_.end(), 0U);
  stopped_at_known_ = false;
  const std::size_t planned = path_.size();
  const run_result result =
      run_explored(lesson_, config_,
                   {[this](const std::vector<decision>& options, bool may_stall,
                           explored_state* state) { return choose(options, may_stall, state); },
                    limits_.spurious, limits_.symmetry});
  if (result.result == outcome::interrupted && !stopped_at_known_) {
    graph_.cut_short(result.report);  // a signal: not one of the lesson's ends
    return false;
  }
  if (depth_ < planned && !stopped_at_known_) {
    graph_.not_deterministic("a path run again ended before its decision " +
                             std::to_string(depth_ + 1));
  }
  if (stopped_at_known_) {
    graph_.stopped_at_known();
  } else {
    const std::uint32_t index = graph_.ended(result);
    graph_.link(depth_ == 0 ? std::nullopt : std::optional<step>(path_[depth_ - 1]),
                {edge::to::end, index});
  }
  return backtrack();
}

// On to the next way not yet taken, back to the floor. False when none is left.
bool search::backtrack() {
  while (path_.size() > floor_) {
    step& last = path_.back();
    const unsigned stride = path_.size() - 1 == floor_ && floor_ > 0 ? stride_ : 1;
    if (last.way + stride < graph_.ways_at(last.at)) {
      last.way += stride;
      return true;
    }
    if (path_.size() - 1 == floor_ && floor_ > 0) {
      return false;  // the split: the other ways are the other searches'
    }
    path_.pop_back();
  }
  return false;
}

std::optional<std::size_t> search::first_run() {
  if (!graph_.may_run()) {
    return std::nullopt;
  }
  const bool more = run_once();
  for (std::size_t depth = 0; more && depth < path_.size(); ++depth) {
    if (graph_.ways_at(path_[depth].at) > 1) {
      return depth;
    }
  }
  path_.clear();  // no choice at all: the one run was the one schedule
  return std::nullopt;
}

void search::take_share(const search& first, std::size_t split, unsigned share, unsigned shares) {
  if (share > 0) {
    path_.assign(first.path_.begin(), first.path_.begin() + static_cast<std::ptrdiff_t>(split) + 1);
    path_[split].way = share;
  }
  floor_ = split;
  stride_ = shares;
}

bool search::run_all() {
  bool more = !path_.empty() && path_[floor_].way < graph_.ways_at(path_[floor_].at);
  while (more && graph_.may_run()) {
    more = run_once();
  }
  return !more;
}

void keep_to_one_core(std::size_t share) {
#ifdef __linux__
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) {
    return;
  }
  const auto cores = static_cast<std::size_t>(CPU_COUNT(&allowed));
  std::size_t seen = 0;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed) && seen++ == share % cores) {
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(cpu, &one);
      pthread_setaffinity_np(pthread_self(), sizeof one, &one);
      return;
    }
  }
#else
  (void)share;
#endif
}

}  // namespace lesson::explore_parts
