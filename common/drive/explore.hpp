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
// run_context::state_of_run and explored_strategy::state_of_seats) is looked up, and
// a run that comes to a state already known stops there. That is sound
// because an observed run is a function of that state and the decisions
// after it: two runs in one state have the same futures. The schedules each
// outcome covers are counted over the graph of states at the end, not run
// one by one. Several searches, one for each core, share the graph: each
// takes its share of the ways at the first choice, and keeps its runs'
// threads on its own core. The graph is in explore_graph.hpp, the search in
// explore_search.hpp.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/definition.hpp"
#include "model/schedule.hpp"

namespace lesson {

// A count of schedules: exact at any size (at four threads a side they pass
// 2^64, and a double stops counting exactly at 2^53).
using schedule_count = boost::multiprecision::cpp_int;

struct explore_limits {
  unsigned spurious = 0;                // spurious wakeups a schedule may have
  std::uint64_t max_runs = 10'000'000;  // --max-schedules: the runs it may make
  double seconds = 60;                  // --seconds
  bool symmetry = true;  // --symmetry: a state known up to renaming threads of a side
};

// One way a run ends: "ok", "violation: underflow", "deadlock: lost wakeup".
struct explored_outcome {
  std::string label;
  outcome result = outcome::ok;
  // Every schedule that ends so, counted over the graph of states (a run that
  // stops at a known state counts every schedule on from it).
  schedule_count schedules = 0;
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
  // The searches run at once, one for each core, each on its share of the first choice.
  unsigned searchers = 1;
  bool complete = false;  // every schedule explored
  std::string cut_by;     // when not: "--max-schedules 100", "--seconds 60", "SIGINT"
  double seconds = 0;
  std::vector<explored_outcome> outcomes;  // as first seen
  // A cycle of states: a run can go round it for ever, and nothing changes
  // (a busy-wait that lets the lock go and takes it again). Then there are
  // infinitely many schedules: the counts are of those that end, and the
  // livelock outcome (label "deadlock: livelock ...") counts none.
  bool endless = false;
  // A prefix of decisions, run again, reached another state: the lesson's
  // code depends on something the state leaves out. Empty when none did.
  std::string not_deterministic;

  schedule_count schedules() const;
  outcome worst() const;  // ok, violation or deadlock
};

// What explore runs for `chosen`: the same threads, buffer and items, no pauses.
settings explored_settings(settings chosen);
// `on_progress` is called about ten times a second with the runs and states
// so far, for a progress line.
exploration explore(const definition& lesson, const settings& chosen, const explore_limits& limits,
                    const std::function<void(const exploration&)>& on_progress = {});
// A count of schedules, every digit of it: in groups of three for a person
// (7,973,222,400), plain for a csv.
std::string count_text(const schedule_count& schedules, bool grouped = true);
// The kind of the outcome of a cycle of states, found when every schedule
// was explored (exploration::endless).
constexpr const char* livelock_kind = "livelock: a cycle of states where nothing changes";
// "violation: underflow", as explore labels a run's end.
std::string outcome_label(outcome result, const std::string& kind);

// explore's own configuration of `lesson`, when no option says otherwise: the
// lesson's threads, one slot, 2 items a producer, no pauses.
settings small_settings(const definition& lesson);
// Where the lesson's declared bug (its worst_case) can show: each
// configuration it names in bug_shows_at, on small_settings; when it names
// none, small_settings with one slot and with two.
std::vector<settings> bug_configurations(const definition& lesson);
// Whether an outcome of `kind` (violation, deadlock) is among those found.
bool shows(const exploration& found, outcome kind);
// The first of bug_configurations where the bug shows: one the lesson names,
// as named (the tests explore each); else the first where a search within
// `budget` finds it. None for a correct lesson, or when no search finds it.
std::optional<settings> where_bug_shows(const definition& lesson, const explore_limits& budget);
// "--producers 1 --consumers 2 --capacity 2 --items 2", of those that differ
// from `than`; all four when `than` is null.
std::string configuration_options(const settings& s, const settings* than = nullptr);

// `text`, one line, wrapped to `width` at spaces as lesson::wrapped wraps it,
// but a schedule in it (C1,P1,wake=C2) is broken only after a comma: never
// inside a decision. A continuation line is indented by the line's own
// indentation and `hang` more; words are one space apart. A width of 0
// leaves it on one line.
std::string wrapped_between_decisions(const std::string& text, std::size_t width, std::size_t hang);

// explore's exit code when its search was complete and showed none of the bug
// the lesson declares: the configuration is too small for it, or the lesson
// is not what it declares (a bug fixed, worst_case not).
constexpr int exit_bug_not_shown = 6;
// The sentence explore prints then; "" when the lesson declares no bug, the
// search was cut, or it showed the bug. It names where the bug does show when
// a short search finds it: "13_my_buffer declares it can deadlock, but no
// schedule of this configuration does: try --capacity 2".
std::string bug_not_shown(const definition& lesson, const exploration& found);

}  // namespace lesson
