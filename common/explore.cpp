#include "explore.hpp"

#include <algorithm>
#include <atomic>
#include <boost/chrono.hpp>
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <boost/thread/thread.hpp>
#include <csignal>
#include <limits>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "assemble.hpp"
#include "signals.hpp"

namespace lesson {

namespace {

constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
constexpr unsigned most_searchers = 4;

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

// "C1,P1,wake=C2" as its tokens.
std::vector<std::string> split_schedule(const std::string& text) {
  std::vector<std::string> tokens;
  for (std::size_t from = 0; from < text.size();) {
    const std::size_t comma = std::min(text.find(',', from), text.size());
    tokens.push_back(text.substr(from, comma - from));
    from = comma + 1;
  }
  return tokens;
}

// A decision's way on: not yet taken, to a choice point, or to a run's end.
struct edge {
  enum class to : std::uint8_t { unexplored, point, end } what = to::unexplored;
  std::uint32_t target = 0;  // the point's index, or the outcome's
};

// A point where the run takes a decision (where no thread could move by
// itself, a state, even with one way on).
struct point {
  std::vector<edge> ways;
  bool done = false;                    // every way explored, and the counts below made
  std::vector<double> schedules;        // by outcome, once done
  std::vector<std::uint32_t> shortest;  // by outcome: fewest choices to it, once done
  std::vector<std::uint32_t> by_way;    // ... taking this way first
};

// What the searches share: the limits and how far they have come.
struct common_ground {
  explicit common_ground(const explore_limits& given) : limits(given) {}
  const explore_limits& limits;
  const boost::chrono::steady_clock::time_point began = boost::chrono::steady_clock::now();
  std::atomic<std::uint64_t> runs{0};
  std::atomic<std::uint64_t> states{0};
  boost::mutex mutex;
  std::string cut_by;  // the first limit reached, under `mutex`

  double seconds() const {
    return boost::chrono::duration<double>(boost::chrono::steady_clock::now() - began).count();
  }
  // Whether another run may be made; if not, which limit says so.
  bool may_run() {
    const boost::lock_guard<boost::mutex> lock(mutex);
    if (!cut_by.empty()) {
      return false;
    }
    if (const int signal = caught_signal(); signal != 0) {
      cut_by = signal == SIGINT ? "SIGINT" : "SIGTERM";
    } else if (runs.fetch_add(1) >= limits.max_runs) {
      cut_by = "--max-schedules " + std::to_string(limits.max_runs);
    } else if (seconds() >= limits.seconds) {
      cut_by = "--seconds " + std::to_string(static_cast<std::uint64_t>(limits.seconds));
    }
    return cut_by.empty();
  }
};

// One depth-first search over the decisions of the runs; searcher `share` of
// `shares` takes only its share of the ways at the first real choice.
class search {
 public:
  search(const definition& lesson, const settings& config, unsigned share, unsigned shares,
         common_ground& common)
      : lesson_(lesson), common_(common), share_(share), shares_(shares) {
    found_.config = config;
    found_.limits = common.limits;
  }

  // Runs until every schedule of its share is explored or a limit is reached.
  void run_all();
  const exploration& found() const { return found_; }
  // Whether it took a share of a choice: with no choice at all, only the first does.
  bool had_a_share() const { return share_ == 0 || split_depth_.has_value(); }
  const std::unordered_map<words, std::uint32_t, words_hash>& known() const { return known_; }
  // The path with the fewest choices to outcome `label` (the first, in the
  // order of the ways, of those as short): its choices and ways. None when
  // this search did not end so.
  struct path_to {
    std::uint32_t choices = 0;
    std::vector<std::uint32_t> ways;
    bool operator<(const path_to& other) const {
      return choices != other.choices ? choices < other.choices : ways < other.ways;
    }
  };
  std::optional<path_to> shortest_to(const std::string& label) const;
  // The decisions of the run along it, every one, and which of them were
  // choices (more than one way on); when the search was cut, those of the
  // first run that ended so.
  std::vector<decision> shortest_schedule(const std::string& label, std::vector<bool>& chose);

 private:
  struct step {
    std::uint32_t at;
    std::uint32_t way;
  };
  bool run_once();  // false when every schedule of its share is explored
  std::optional<std::size_t> choose(std::size_t ways, std::vector<std::uint64_t>* state);
  std::uint32_t add_point(std::size_t ways);
  void link(const edge& to);
  void finish(point& p);
  std::uint32_t outcome_index(const run_result& result);
  bool backtrack();

  const definition& lesson_;
  common_ground& common_;
  const unsigned share_;
  const unsigned shares_;
  exploration found_;
  std::unordered_map<words, std::uint32_t, words_hash> known_;
  std::vector<point> points_;
  std::vector<step> path_;  // the decisions the next run takes, from the start
  std::optional<edge> start_;
  std::optional<std::size_t> split_depth_;  // the first choice, where the shares part
  std::vector<std::string> first_run_to_;   // by outcome: the schedule of the first run that ended so

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
  const auto known = known_.find(key);
  std::uint32_t at = none;
  std::uint32_t way = 0;
  if (depth_ < path_.size()) {
    at = path_[depth_].at;
    way = path_[depth_].way;
    if ((known == known_.end() || known->second != at) && found_.not_deterministic.empty()) {
      found_.not_deterministic = "decision " + std::to_string(depth_ + 1) +
                                 " of a path run again came to another state";
    }
  } else if (known != known_.end()) {
    link({edge::to::point, known->second});
    stopped_at_known_ = true;
    return std::nullopt;
  } else {
    at = add_point(ways);
    known_.emplace(std::move(key), at);
    if (state != nullptr) {
      ++found_.states;
      ++common_.states;
    }
    link({edge::to::point, at});
    if (ways > 1 && !split_depth_) {
      split_depth_ = depth_;
      way = share_;
    }
    path_.push_back({at, way});
    if (way >= ways) {
      stopped_at_known_ = true;  // no way of this share: nothing to explore here
      return std::nullopt;
    }
  }
  ++depth_;
  if (state != nullptr) {
    last_state_ = at;
    since_.clear();
  }
  since_.push_back(way);
  return way;
}

std::uint32_t search::add_point(std::size_t ways) {
  points_.emplace_back();
  points_.back().ways.resize(ways);
  return static_cast<std::uint32_t>(points_.size() - 1);
}

// The way the run just took leads `to`.
void search::link(const edge& to) {
  if (depth_ == 0) {
    start_ = to;
  } else {
    const step& last = path_[depth_ - 1];
    points_[last.at].ways[last.way] = to;
  }
}

std::uint32_t search::outcome_index(const run_result& result) {
  const std::string label = outcome_label(result.result, result.kind);
  for (std::size_t i = 0; i < found_.outcomes.size(); ++i) {
    if (found_.outcomes[i].label == label) {
      return static_cast<std::uint32_t>(i);
    }
  }
  explored_outcome added;
  added.label = label;
  added.result = result.result;
  found_.outcomes.push_back(added);
  first_run_to_.push_back(result.schedule);
  return static_cast<std::uint32_t>(found_.outcomes.size() - 1);
}

void search::run_all() {
  for (bool more = true; more && common_.may_run();) {
    more = run_once();
  }
  found_.complete = path_.empty() && start_.has_value();
  if (found_.complete && start_->what == edge::to::point) {
    const point& start = points_[start_->target];
    for (std::size_t i = 0; i < found_.outcomes.size(); ++i) {
      found_.outcomes[i].schedules = i < start.schedules.size() ? start.schedules[i] : 0;
    }
  } else {
    // No choice at all (the one run is the one schedule), or cut: the runs made.
    for (explored_outcome& o : found_.outcomes) {
      o.schedules = static_cast<double>(o.runs);
    }
  }
}

bool search::run_once() {
  depth_ = 0;
  last_state_ = none;
  since_.clear();
  stopped_at_known_ = false;
  const std::size_t planned = path_.size();
  const run_result result = run_explored(
      lesson_, found_.config,
      {[this](const std::vector<decision>& options, bool may_stall,
              std::vector<std::uint64_t>* state) {
         return choose(options.size() + (may_stall ? 1 : 0), state);
       },
       found_.limits.spurious});
  ++found_.runs;
  if (depth_ < planned && !stopped_at_known_ && found_.not_deterministic.empty()) {
    found_.not_deterministic =
        "a path run again ended before its decision " + std::to_string(depth_ + 1);
  }
  if (stopped_at_known_) {
    ++found_.stopped;
  } else {
    const std::uint32_t index = outcome_index(result);
    ++found_.outcomes[index].runs;
    link({edge::to::end, index});
  }
  return backtrack();
}

// On to the next way not yet taken, finishing the points whose ways are all
// explored. False when none is left.
bool search::backtrack() {
  while (!path_.empty()) {
    step& last = path_.back();
    point& p = points_[last.at];
    const unsigned stride = split_depth_ == path_.size() - 1 ? shares_ : 1;
    if (last.way + stride < p.ways.size()) {
      last.way += stride;
      return true;
    }
    finish(p);
    path_.pop_back();
  }
  return false;
}

void search::finish(point& p) {
  const std::size_t kinds = found_.outcomes.size();
  p.schedules.assign(kinds, 0);
  p.shortest.assign(kinds, none);
  p.by_way.assign(kinds, none);
  const std::uint32_t here = p.ways.size() > 1 ? 1 : 0;  // a choice, if there was more than one way
  for (std::uint32_t way = 0; way < p.ways.size(); ++way) {
    const edge& e = p.ways[way];
    const auto reach = [&](std::size_t kind, double schedules, std::uint32_t choices) {
      p.schedules[kind] += schedules;
      if (choices != none && choices + here < p.shortest[kind]) {
        p.shortest[kind] = choices + here;
        p.by_way[kind] = way;
      }
    };
    if (e.what == edge::to::end) {
      reach(e.target, 1, 0);
    } else if (e.what == edge::to::point && points_[e.target].done) {
      const point& next = points_[e.target];
      for (std::size_t kind = 0; kind < next.schedules.size(); ++kind) {
        reach(kind, next.schedules[kind], next.shortest[kind]);
      }
    }
    // A way back to a point not done would close a cycle; the lessons' states
    // cannot, each step putting or taking an item. Another share's way is
    // left unexplored here, and counted by its own search.
  }
  p.done = true;
}

std::optional<search::path_to> search::shortest_to(const std::string& label) const {
  const auto o = std::find_if(found_.outcomes.begin(), found_.outcomes.end(),
                              [&label](const explored_outcome& e) { return e.label == label; });
  if (o == found_.outcomes.end()) {
    return std::nullopt;
  }
  path_to path;
  if (!found_.complete || start_->what != edge::to::point) {
    return path;
  }
  const auto index = static_cast<std::size_t>(o - found_.outcomes.begin());
  const point& start = points_[start_->target];
  path.choices = start.shortest.at(index);
  for (edge e = *start_; e.what == edge::to::point;) {
    const point& p = points_[e.target];
    path.ways.push_back(p.by_way[index]);
    e = p.ways[p.by_way[index]];
  }
  return path;
}

std::vector<decision> search::shortest_schedule(const std::string& label, std::vector<bool>& chose) {
  std::vector<decision> taken;
  chose.clear();
  if (!found_.complete) {
    // The first run that ended so; which decisions were choices is not kept.
    std::size_t index = 0;
    while (found_.outcomes[index].label != label) {
      ++index;
    }
    for (const std::string& token : split_schedule(first_run_to_[index])) {
      taken.push_back(*parse_decision(token, found_.config.producers, found_.config.consumers));
      chose.push_back(true);
    }
    return taken;
  }
  const std::vector<std::uint32_t> ways = shortest_to(label)->ways;
  std::size_t next = 0;
  run_explored(lesson_, found_.config,
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
                found_.limits.spurious});
  return taken;
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
  for (std::size_t length = 0; length < schedule.size(); ++length) {
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

// The searches' findings as one: the states they share counted once.
exploration merged(const std::vector<std::unique_ptr<search>>& searches) {
  exploration all = searches.front()->found();
  all.searchers = static_cast<unsigned>(searches.size());
  all.outcomes.clear();
  all.runs = 0;
  all.stopped = 0;
  all.complete = true;
  std::unordered_set<words, words_hash> states;
  for (const auto& s : searches) {
    const exploration& part = s->found();
    all.runs += part.runs;
    if (!s->had_a_share()) {
      continue;
    }
    all.stopped += part.stopped;
    all.complete = all.complete && part.complete;
    if (all.not_deterministic.empty()) {
      all.not_deterministic = part.not_deterministic;
    }
    for (const auto& [key, at] : s->known()) {
      if (key.back() == 0) {
        states.insert(key);
      }
    }
    for (const explored_outcome& o : part.outcomes) {
      auto same = std::find_if(all.outcomes.begin(), all.outcomes.end(),
                               [&o](const explored_outcome& e) { return e.label == o.label; });
      if (same == all.outcomes.end()) {
        explored_outcome added;
        added.label = o.label;
        added.result = o.result;
        same = all.outcomes.insert(all.outcomes.end(), added);
      }
      same->schedules += o.schedules;
      same->runs += o.runs;
    }
  }
  all.states = states.size();
  std::sort(all.outcomes.begin(), all.outcomes.end(),
            [](const explored_outcome& a, const explored_outcome& b) {
              return exit_code(a.result) != exit_code(b.result)
                         ? exit_code(a.result) < exit_code(b.result)
                         : a.label < b.label;
            });
  return all;
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
  chosen.repeat = 1;
  return chosen;
}

exploration explore(const definition& lesson, const settings& chosen, const explore_limits& limits,
                    const std::function<void(const exploration&)>& on_progress) {
  const settings config = explored_settings(chosen);
  common_ground common(limits);
  const unsigned shares = std::clamp(boost::thread::hardware_concurrency(), 1U, most_searchers);
  std::vector<std::unique_ptr<search>> searches;
  for (unsigned share = 0; share < shares; ++share) {
    searches.push_back(std::make_unique<search>(lesson, config, share, shares, common));
  }
  {
    boost::mutex mutex;
    boost::condition_variable all_done;
    unsigned running = shares;
    std::vector<boost::thread> threads;
    for (const auto& s : searches) {
      threads.emplace_back([&, searcher = s.get()] {
        searcher->run_all();
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
        so_far.runs = common.runs.load();
        so_far.states = common.states.load();
        so_far.seconds = common.seconds();
        on_progress(so_far);
      }
    }
    lock.unlock();
    for (boost::thread& t : threads) {
      t.join();
    }
  }
  exploration found = merged(searches);
  found.cut_by = common.cut_by;
  found.complete = found.complete && found.cut_by.empty();
  // Each failure's shortest schedule, from the search that found the shortest.
  for (explored_outcome& o : found.outcomes) {
    if (o.result == outcome::ok) {
      continue;
    }
    search* best = nullptr;
    std::optional<search::path_to> shortest;
    for (const auto& s : searches) {
      const auto path = s->had_a_share() ? s->shortest_to(o.label) : std::nullopt;
      if (path && (!shortest || *path < *shortest)) {
        best = s.get();
        shortest = path;
      }
    }
    std::vector<bool> chose;
    const std::vector<decision> taken = best->shortest_schedule(o.label, chose);
    o.shortest = choices_only(lesson, config, taken, chose, o.label);
    o.shrunk = shrunk(lesson, config, o.shortest, o.label);
  }
  found.seconds = common.seconds();
  return found;
}

}  // namespace lesson
