// explore: every schedule of a small run of a lesson, on its real threads.
//
// Each run is a real, observed run of the lesson's code (scheduler.hpp) in
// which the search, not a script, decides: which asking thread takes the free
// lock, which waiter a notify_one wakes, and (up to a budget) which waiter
// wakes spuriously. The search is depth-first over those decisions, each run
// replaying a path and taking one way more, and it visits states rather than
// paths: wherever no thread can move by itself, the run's state (the
// buffer's items; each thread's place, the wait() it is in by file and line,
// and its items left; each condition's waiters and who of them has been
// woken; the lesson's own shared fields; the spurious wakeups left;
// run_context::state_of_run and scheduler::state_of_seats) is looked up, and
// a run that comes to a state already known stops there. That is sound
// because an observed run is a function of that state and the decisions
// after it: two runs in one state have the same futures. The schedules each
// outcome covers are counted over the graph of states at the end, not run
// one by one. One search a core shares the graph: each takes its share of
// the ways at the first choice, and keeps its runs' threads on its core.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "definition.hpp"
#include "schedule.hpp"

namespace lesson {

struct explore_limits {
  unsigned spurious = 0;                // spurious wakeups a schedule may have
  std::uint64_t max_runs = 10'000'000;  // --max-schedules: the runs it may make
  double seconds = 60;                  // --seconds
};

// One way a run ends: "ok", "violation: underflow", "deadlock: lost wakeup".
struct explored_outcome {
  std::string label;
  outcome result = outcome::ok;
  // Every schedule that ends so, counted over the graph of states (a run that
  // stops at a known state counts every schedule on from it).
  double schedules = 0;
  std::uint64_t runs = 0;  // the runs that went on to this end
  // A failure's shortest schedule: the path with the fewest choices to it
  // (of the first run that ended so, when the search was cut), every choice
  // spelled out, as a --script; then `shrunk`, the fewest decisions a script
  // needs, the defaults (longest asker, longest waiter) making the rest.
  std::vector<decision> shortest;
  std::vector<decision> shrunk;
};

struct exploration {
  settings config;  // as run: no pauses
  explore_limits limits;
  std::uint64_t runs = 0;     // the runs made
  std::uint64_t stopped = 0;  // of those, stopped at a state already explored
  std::uint64_t states = 0;   // distinct states where no thread could move by itself
  unsigned searchers =
      1;                  // searches run at once, one a core, each on its share of the first choice
  bool complete = false;  // every schedule explored
  std::string cut_by;     // when not: "--max-schedules 100", "--seconds 60", "SIGINT"
  double seconds = 0;
  std::vector<explored_outcome> outcomes;  // as first seen
  // A prefix of decisions, run again, reached another state: the lesson's
  // code depends on something the state leaves out. Empty when none did.
  std::string not_deterministic;

  double schedules() const;
  outcome worst() const;  // ok, violation or deadlock
};

// What explore runs for `chosen`: the same threads, buffer and items, no pauses.
settings explored_settings(settings chosen);
// `on_progress` is called about ten times a second with the runs and states
// so far, for a progress line.
exploration explore(const definition& lesson, const settings& chosen, const explore_limits& limits,
                    const std::function<void(const exploration&)>& on_progress = {});
// "violation: underflow", as explore labels a run's end.
std::string outcome_label(outcome result, const std::string& kind);

}  // namespace lesson
