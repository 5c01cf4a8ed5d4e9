#include "drive/explore.hpp"

#include <algorithm>
#include <atomic>
#include <boost/chrono.hpp>
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <boost/thread/thread.hpp>
#include <memory>
#include <numeric>
#include <optional>
#include <sstream>

#include "drive/driver.hpp"
#include "drive/explore_search.hpp"
#include "engine/signals.hpp"
#include "show/assemble.hpp"

namespace lesson {

namespace {

constexpr unsigned most_searchers = 4;

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

// The searches: the first makes the first run; when that run came to a
// choice, one search for each core (up to most_searchers) shares the graph,
// each taking its share of the ways at that first choice.
std::vector<std::unique_ptr<explore_parts::search>> searches_of(const definition& lesson,
                                                                const settings& config,
                                                                const explore_limits& limits,
                                                                explore_parts::graph& shared) {
  std::vector<std::unique_ptr<explore_parts::search>> searches;
  searches.push_back(std::make_unique<explore_parts::search>(lesson, config, limits, shared));
  const std::optional<std::size_t> split = searches.front()->first_run();
  if (split) {
    const unsigned shares = std::clamp(boost::thread::hardware_concurrency(), 1U, most_searchers);
    for (unsigned share = 1; share < shares; ++share) {
      searches.push_back(std::make_unique<explore_parts::search>(lesson, config, limits, shared));
    }
    for (unsigned share = 0; share < shares; ++share) {
      searches[share]->take_share(*searches.front(), *split, share, shares);
    }
  }
  return searches;
}

// Runs every search on a thread of its own, each kept to one core, and
// reports progress about ten times a second until all are over. Returns
// whether each explored its whole part.
bool run_searches(const std::vector<std::unique_ptr<explore_parts::search>>& searches,
                  explore_parts::graph& shared,
                  const std::function<void(const exploration&)>& on_progress) {
  std::atomic<unsigned> searches_done{0};
  boost::mutex mutex;
  boost::condition_variable all_done;
  unsigned running = static_cast<unsigned>(searches.size());
  std::vector<boost::thread> threads;
  {
    const signals_kept_from_new_threads signals_elsewhere;
    for (std::size_t share = 0; share < searches.size(); ++share) {
      threads.emplace_back([&, share, searcher = searches[share].get()] {
        explore_parts::keep_to_one_core(share);
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
  return searches_done == searches.size();
}

// Which of `options` takes `wanted`, a decision of the graph's path whose
// thread is named by its place in the state's words (options.size(): stall).
// This run's threads may stand at other places than those of the run that
// made the point: `place` says where they stand in this one.
std::size_t way_of(explore_parts::placed_decision wanted, const std::vector<decision>& options,
                   const std::vector<unsigned>& place) {
  for (std::size_t way = 0; way < options.size(); ++way) {
    if (explore_parts::placed(options[way], place) == wanted) {
      return way;
    }
  }
  return options.size();
}

// A failure's shortest schedule: the decisions of a run along the path with
// the fewest choices to it when the search was complete, else those of the
// first run that ended so; then the same shrunk to the fewest decisions.
void shortest_schedules(const definition& lesson, const exploration& found,
                        const explore_parts::graph& shared, explored_outcome& o) {
  const std::size_t index = shared.index_of(o.label);
  // A cycle's path goes into it and once round; the run stops there, for
  // after it the run could go round again.
  const bool cycle = o.label == outcome_label(outcome::deadlock, livelock_kind);
  std::vector<decision> taken;
  std::vector<bool> chose;
  if (found.complete) {
    const std::vector<explore_parts::placed_decision> path = shared.shortest_path(index);
    std::size_t next = 0;
    std::vector<unsigned> place(found.config.producers + found.config.consumers);
    std::iota(place.begin(), place.end(), 0U);
    run_explored(lesson, found.config,
                 {[&](const std::vector<decision>& options, bool may_stall,
                      explored_state* state) -> std::optional<std::size_t> {
                    if (state != nullptr) {
                      place = state->place;
                    }
                    if (cycle && next == path.size()) {
                      return std::nullopt;
                    }
                    const std::size_t way =
                        next < path.size() ? way_of(path[next], options, place) : 0;
                    ++next;
                    if (way < options.size()) {
                      taken.push_back(options[way]);
                      chose.push_back(options.size() + (may_stall ? 1 : 0) > 1);
                    }
                    return way;
                  },
                  found.limits.spurious, found.limits.symmetry});
  } else {
    taken = shared.first_run_to(index);
    chose.assign(taken.size(), true);
  }
  if (cycle) {
    for (std::size_t i = 0; i < taken.size(); ++i) {
      if (chose[i]) {
        o.shortest.push_back(taken[i]);
      }
    }
    o.shrunk = o.shortest;
    return;
  }
  o.shortest = choices_only(lesson, found.config, taken, chose, o.label);
  o.shrunk = shrunk(lesson, found.config, o.shortest, o.label);
}

}  // namespace

schedule_count exploration::schedules() const {
  schedule_count all = 0;
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
  explore_parts::graph shared(limits);
  const std::vector<std::unique_ptr<explore_parts::search>> searches =
      searches_of(lesson, config, limits, shared);
  const bool all_done = run_searches(searches, shared, on_progress);
  if (!shared.failure().empty()) {
    throw run_error(shared.failure());
  }
  exploration found = shared.findings(all_done);
  found.config = config;
  found.limits = limits;
  found.searchers = static_cast<unsigned>(searches.size());
  std::stable_sort(found.outcomes.begin(), found.outcomes.end(),
                   [](const explored_outcome& a, const explored_outcome& b) {
                     return exit_code(a.result) < exit_code(b.result);
                   });
  for (explored_outcome& o : found.outcomes) {
    if (o.result != outcome::ok) {
      shortest_schedules(lesson, found, shared, o);
    }
  }
  found.seconds = shared.seconds();
  return found;
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
