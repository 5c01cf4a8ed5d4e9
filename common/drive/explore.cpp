#include "drive/explore.hpp"

#include <algorithm>
#include <atomic>
#include <boost/chrono.hpp>
#include <boost/format.hpp>
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <boost/thread/thread.hpp>
#include <csignal>
#ifdef __linux__
#include <pthread.h>
#include <sched.h>
#endif
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "drive/driver.hpp"
#include "engine/signals.hpp"
#include "show/assemble.hpp"

namespace lesson {

namespace {

constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
constexpr unsigned most_searchers = 4;
constexpr std::size_t small_capacity = 1;
constexpr std::uint64_t small_items = 2;

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

// A point where the run takes a decision (where no thread could move by
// itself, a state, even with one way on).
struct point {
  std::vector<edge> ways;
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
  // The point known by `key`, made with `ways` ways if new, and whether it is new.
  std::pair<std::uint32_t, bool> point_at(words key, std::size_t ways, bool a_state);
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
  // The ways along the path with the fewest choices to outcome `index`.
  std::vector<std::uint32_t> shortest_ways(std::size_t index) const;
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
  std::vector<std::vector<double>> schedules_;
  std::vector<std::vector<std::uint32_t>> shortest_;  // fewest choices to it
  std::vector<std::vector<std::uint32_t>> by_way_;    // ... taking this way first
};

std::pair<std::uint32_t, bool> graph::point_at(words key, std::size_t ways, bool a_state) {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  const auto [found, added] =
      known_.emplace(std::move(key), static_cast<std::uint32_t>(points_.size()));
  if (added) {
    points_.emplace_back();
    points_.back().ways.resize(ways);
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
// from those of the points its ways lead to (the graph has no cycle: each
// step puts or takes an item).
void graph::count(std::uint32_t at) {
  if (counted_[at]) {
    return;
  }
  const point& p = points_[at];
  const std::size_t kinds = outcomes_.size();
  std::vector<double> schedules(kinds, 0);
  std::vector<std::uint32_t> shortest(kinds, none);
  std::vector<std::uint32_t> by_way(kinds, none);
  const std::uint32_t here = p.ways.size() > 1 ? 1 : 0;  // a choice, if there was more than one way
  for (std::uint32_t way = 0; way < p.ways.size(); ++way) {
    const edge& e = p.ways[way];
    const auto reach = [&](std::size_t kind, double count, std::uint32_t choices) {
      schedules[kind] += count;
      if (choices != none && choices + here < shortest[kind]) {
        shortest[kind] = choices + here;
        by_way[kind] = way;
      }
    };
    if (e.what == edge::to::end) {
      reach(e.target, 1, 0);
    } else if (e.what == edge::to::point) {
      count(e.target);
      for (std::size_t kind = 0; kind < kinds; ++kind) {
        reach(kind, schedules_[e.target][kind], shortest_[e.target][kind]);
      }
    }
  }
  schedules_[at] = std::move(schedules);
  shortest_[at] = std::move(shortest);
  by_way_[at] = std::move(by_way);
  counted_[at] = true;
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
    o.schedules = static_cast<double>(o.runs);  // cut, or no choice at all: the runs made
  }
  if (found.complete && start_->what == edge::to::point) {
    counted_.assign(points_.size(), false);
    schedules_.resize(points_.size());
    shortest_.resize(points_.size());
    by_way_.resize(points_.size());
    count(start_->target);
    for (std::size_t i = 0; i < found.outcomes.size(); ++i) {
      found.outcomes[i].schedules = schedules_[start_->target][i];
    }
  }
  return found;
}

std::vector<std::uint32_t> graph::shortest_ways(std::size_t index) const {
  std::vector<std::uint32_t> ways;
  if (!start_) {
    return ways;
  }
  for (edge e = *start_; e.what == edge::to::point && e.target < counted_.size();) {
    const std::uint32_t way = by_way_[e.target].at(index);
    ways.push_back(way);
    e = points_[e.target].ways[way];
  }
  return ways;
}

// One depth-first search over the decisions of the runs, on the shared
// graph. With `shares` searches, this one takes the ways `share`,
// `share + shares`, ... at the first choice (the split), and ends there.
class search {
 public:
  search(const definition& lesson, const settings& config, const explore_limits& limits,
         graph& shared)
      : lesson_(lesson), config_(config), limits_(limits), graph_(shared) {}

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
  std::optional<std::size_t> choose(std::size_t ways, std::vector<std::uint64_t>* state);
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
  bool stopped_at_known_ = false;
};

std::optional<std::size_t> search::choose(std::size_t ways, std::vector<std::uint64_t>* state) {
  // A point is known by the state, where there is one; a notify_one's choice
  // by the state before it and the ways taken since.
  words key;
  if (state != nullptr) {
    key = std::move(*state);
    key.push_back(0);
  } else {
    key = since_;
    key.push_back(last_state_);
    key.push_back(1);
  }
  const std::optional<step> from =
      depth_ == 0 ? std::nullopt : std::optional<step>(path_[depth_ - 1]);
  std::uint32_t at = none;
  std::uint32_t way = 0;
  if (depth_ < path_.size()) {
    at = path_[depth_].at;
    way = path_[depth_].way;
    if (graph_.point_at(std::move(key), ways, state != nullptr).first != at) {
      graph_.not_deterministic("decision " + std::to_string(depth_ + 1) +
                               " of a path run again came to another state");
    }
  } else {
    const auto [known, added] = graph_.point_at(std::move(key), ways, state != nullptr);
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
  stopped_at_known_ = false;
  const std::size_t planned = path_.size();
  const run_result result =
      run_explored(lesson_, config_,
                   {[this](const std::vector<decision>& options, bool may_stall,
                           std::vector<std::uint64_t>* state) {
                      return choose(options.size() + (may_stall ? 1 : 0), state);
                    },
                    limits_.spurious});
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

// The label of a replay of `schedule`, or "" when the script stuck.
std::string replayed(const definition& lesson, settings s, const std::vector<decision>& schedule) {
  s.script.clear();
  for (const decision& d : schedule) {
    s.script.push_back(to_string(d, s.producers));
  }
  const run_result result = run_unshown(lesson, s);
  return result.result == outcome::stuck ? "" : outcome_label(result.result, result.kind);
}

// The choices alone, when they still end as `label`; else every decision.
std::vector<decision> choices_only(const definition& lesson, const settings& s,
                                   const std::vector<decision>& taken,
                                   const std::vector<bool>& chose, const std::string& label) {
  std::vector<decision> choices;
  for (std::size_t i = 0; i < taken.size(); ++i) {
    if (chose[i]) {
      choices.push_back(taken[i]);
    }
  }
  return replayed(lesson, s, choices) == label ? choices : taken;
}

// The fewest decisions that still end as `label`: the defaults do the rest.
std::vector<decision> shrunk(const definition& lesson, const settings& s,
                             std::vector<decision> schedule, const std::string& label) {
  // One decision at least: a run with no script at all is a free run.
  for (std::size_t length = 1; length < schedule.size(); ++length) {
    const std::vector<decision> prefix(schedule.begin(),
                                       schedule.begin() + static_cast<std::ptrdiff_t>(length));
    if (replayed(lesson, s, prefix) == label) {
      schedule = prefix;
      break;
    }
  }
  for (bool shorter = true; shorter;) {
    shorter = false;
    for (std::size_t i = 0; i < schedule.size() && !shorter; ++i) {
      if (schedule.size() == 1) {
        break;
      }
      std::vector<decision> without = schedule;
      without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
      if (replayed(lesson, s, without) == label) {
        schedule = without;
        shorter = true;
      }
    }
  }
  return schedule;
}

// Keeps the calling thread, and the threads it starts (a run's), on one core
// of those the process may use: the `share`-th. A run's threads hand the lock
// to each other at every decision; on one core a handoff costs a switch, on
// two it also costs an interrupt between the cores. Where the system has no
// such call, the threads go where the system puts them.
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

}  // namespace

double exploration::schedules() const {
  double all = 0;
  for (const explored_outcome& o : outcomes) {
    all += o.schedules;
  }
  return all;
}

outcome exploration::worst() const {
  outcome worst = outcome::ok;
  for (const explored_outcome& o : outcomes) {
    if (exit_code(o.result) > exit_code(worst)) {
      worst = o.result;
    }
  }
  return worst;
}

std::string outcome_label(outcome result, const std::string& kind) {
  const std::string word = to_string(result);
  return kind.empty() ? word : word + ": " + kind;
}

settings explored_settings(settings chosen) {
  chosen.producer_delay_ms = 0;
  chosen.consumer_delay_ms = 0;
  chosen.jitter_percent = 0;
  chosen.script.clear();
  chosen.trace = trace_format::none;
  chosen.svg_file.clear();
  chosen.html_file.clear();
  chosen.repeat = 1;
  return chosen;
}

exploration explore(const definition& lesson, const settings& chosen, const explore_limits& limits,
                    const std::function<void(const exploration&)>& on_progress) {
  const settings config = explored_settings(chosen);
  graph shared(limits);
  std::vector<std::unique_ptr<search>> searches;
  searches.push_back(std::make_unique<search>(lesson, config, limits, shared));
  const std::optional<std::size_t> split = searches.front()->first_run();
  if (split) {
    const unsigned shares = std::clamp(boost::thread::hardware_concurrency(), 1U, most_searchers);
    for (unsigned share = 1; share < shares; ++share) {
      searches.push_back(std::make_unique<search>(lesson, config, limits, shared));
    }
    for (unsigned share = 0; share < shares; ++share) {
      searches[share]->take_share(*searches.front(), *split, share, shares);
    }
  }
  std::atomic<unsigned> searches_done{0};
  {
    boost::mutex mutex;
    boost::condition_variable all_done;
    unsigned running = static_cast<unsigned>(searches.size());
    std::vector<boost::thread> threads;
    for (std::size_t share = 0; share < searches.size(); ++share) {
      threads.emplace_back([&, share, searcher = searches[share].get()] {
        keep_to_one_core(share);
        try {
          searches_done += searcher->run_all() ? 1 : 0;
        } catch (const run_error& e) {
          shared.cut_short(e.what());
        }
        const boost::lock_guard<boost::mutex> lock(mutex);
        --running;
        all_done.notify_all();
      });
    }
    boost::unique_lock<boost::mutex> lock(mutex);
    while (running > 0) {
      all_done.wait_for(lock, boost::chrono::milliseconds(100));
      if (on_progress) {
        exploration so_far;
        so_far.runs = shared.runs();
        so_far.states = shared.states();
        so_far.seconds = shared.seconds();
        on_progress(so_far);
      }
    }
    lock.unlock();
    for (boost::thread& t : threads) {
      t.join();
    }
  }
  if (!shared.failure().empty()) {
    throw run_error(shared.failure());
  }
  exploration found = shared.findings(searches_done == searches.size());
  found.config = config;
  found.limits = limits;
  found.searchers = static_cast<unsigned>(searches.size());
  std::stable_sort(found.outcomes.begin(), found.outcomes.end(),
                   [](const explored_outcome& a, const explored_outcome& b) {
                     return exit_code(a.result) < exit_code(b.result);
                   });
  // Each failure's shortest schedule: the decisions of a run along its path.
  for (explored_outcome& o : found.outcomes) {
    if (o.result == outcome::ok) {
      continue;
    }
    const std::size_t index = shared.index_of(o.label);
    std::vector<decision> taken;
    std::vector<bool> chose;
    if (found.complete) {
      const std::vector<std::uint32_t> ways = shared.shortest_ways(index);
      std::size_t next = 0;
      run_explored(lesson, config,
                   {[&](const std::vector<decision>& options, bool may_stall,
                        std::vector<std::uint64_t>*) -> std::optional<std::size_t> {
                      const std::size_t way = next < ways.size() ? ways[next] : 0;
                      ++next;
                      if (way < options.size()) {
                        taken.push_back(options[way]);
                        chose.push_back(options.size() + (may_stall ? 1 : 0) > 1);
                      }
                      return way;
                    },
                    limits.spurious});
    } else {
      taken = shared.first_run_to(index);
      chose.assign(taken.size(), true);
    }
    o.shortest = choices_only(lesson, config, taken, chose, o.label);
    o.shrunk = shrunk(lesson, config, o.shortest, o.label);
  }
  found.seconds = shared.seconds();
  return found;
}

settings small_settings(const definition& lesson) {
  settings s = lesson.defaults;
  s.capacity = small_capacity;
  s.items = small_items;
  return explored_settings(s);
}

std::vector<settings> bug_configurations(const definition& lesson) {
  const settings small = small_settings(lesson);
  std::vector<settings> where;
  for (const small_configuration& named : lesson.bug_shows_at) {
    settings s = small;
    s.producers = named.producers != 0 ? named.producers : s.producers;
    s.consumers = named.consumers != 0 ? named.consumers : s.consumers;
    s.capacity = named.capacity != 0 ? named.capacity : s.capacity;
    s.items = named.items != 0 ? named.items : s.items;
    where.push_back(s);
  }
  if (where.empty()) {
    for (const std::size_t slots : {std::size_t{1}, std::size_t{2}}) {
      where.push_back(small);
      where.back().capacity = slots;
    }
  }
  return where;
}

bool shows(const exploration& found, outcome kind) {
  return std::any_of(found.outcomes.begin(), found.outcomes.end(),
                     [kind](const explored_outcome& o) { return o.result == kind; });
}

std::optional<settings> where_bug_shows(const definition& lesson, const explore_limits& budget) {
  if (lesson.correct()) {
    return std::nullopt;
  }
  const std::vector<settings> where = bug_configurations(lesson);
  if (!lesson.bug_shows_at.empty()) {
    return where.front();
  }
  touch_boost_thread();
  for (const settings& s : where) {
    if (shows(explore(lesson, s, budget), lesson.worst_case)) {
      return s;
    }
  }
  return std::nullopt;
}

std::string configuration_options(const settings& s, const settings* than) {
  std::string options;
  const auto add = [&options](const char* name, std::uint64_t value, std::uint64_t other) {
    if (value != other) {
      options +=
          std::string(options.empty() ? "" : " ") + "--" + name + ' ' + std::to_string(value);
    }
  };
  const bool all = than == nullptr;
  add("producers", s.producers, all ? 0 : than->producers);
  add("consumers", s.consumers, all ? 0 : than->consumers);
  add("capacity", s.capacity, all ? 0 : than->capacity);
  add("items", s.items, all ? 0 : than->items);
  return options;
}

std::string bug_not_shown(const definition& lesson, const exploration& found) {
  if (lesson.correct() || !found.complete || shows(found, lesson.worst_case)) {
    return "";
  }
  std::string said = std::string(lesson.name) + " declares it can " +
                     (lesson.worst_case == outcome::deadlock ? "deadlock" : "end in a violation") +
                     ", but no schedule of this configuration does";
  explore_limits quick;
  quick.spurious = found.limits.spurious;
  quick.max_runs = 20'000;
  quick.seconds = 2;
  const std::optional<settings> where = where_bug_shows(lesson, quick);
  const std::string options = where ? configuration_options(*where, &found.config) : "";
  return said + (options.empty() ? "." : ": try " + options);
}

std::string wrapped_between_decisions(const std::string& text, std::size_t width,
                                      std::size_t hang) {
  struct piece {
    std::string text;
    bool after_space;  // else it goes on from the piece before, after its comma
  };
  const std::size_t indent = std::min(text.find_first_not_of(' '), text.size());
  std::vector<piece> pieces;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    for (std::size_t from = 0; from < word.size();) {
      const std::size_t end = std::min(word.find(',', from), word.size() - 1) + 1;
      pieces.push_back({word.substr(from, end - from), from == 0});
      from = end;
    }
  }
  std::string lines(indent, ' ');
  std::size_t line_size = indent;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const std::size_t gap = i > 0 && pieces[i].after_space ? 1 : 0;
    if (i > 0 && width > 0 && line_size + gap + pieces[i].text.size() > width) {
      lines += '\n' + std::string(indent + hang, ' ');
      line_size = indent + hang;
    } else if (gap > 0) {
      lines += ' ';
      ++line_size;
    }
    lines += pieces[i].text;
    line_size += pieces[i].text.size();
  }
  return lines;
}

}  // namespace lesson
