// How a run stopped before its end, or ended wrong: the facts the engine
// hands back, from which show/reports.hpp writes the report's words. The
// engine writes no words itself; it is given the function that does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/cast.hpp"
#include "model/events.hpp"

namespace lesson {

// The last put or take of the run, by any thread.
struct last_move {
  int worker = -1;
  std::uint64_t step = 0;
};

// A thread asleep in wait(), for the deadlock report.
struct sleeper {
  unsigned worker;
  const char* condition;
  std::optional<std::size_t> items_when_it_began{};  // the buffer's items as it began to wait
  bool closed_when_it_began = false;  // a consumer that began to wait after `done` was set
};

// A thread broke the buffer's rules (`violation`, an event of
// action::violation). Whether its thread had just returned from wait() and
// from which wakeup, and the last move of the kind it tried: the rival that
// may have stolen its wakeup.
struct violation_stop {
  event violation;
  bool woke_unserved = false;
  wakeup last_wakeup;
  last_move rival;
};

// Every live thread waits and nothing moves. `recent`: the run's last events,
// oldest first. `seen_at_once`: an observed run, whose scheduler knows it the
// moment the last thread sleeps; else the watchdog saw nothing move.
struct deadlock_stop {
  std::size_t buffer_size = 0;
  std::vector<sleeper> sleepers;
  std::vector<event> recent;
  bool seen_at_once = false;
};

// Decision `index` of the script (from 1), `token`, could not be taken at
// step `step`, for the reason `why`.
struct script_stuck_stop {
  std::uint64_t step = 0;
  std::size_t index = 0;
  std::string token;
  std::string why;
};

// The run ended before the script's decisions from `index` (`token`) on were taken.
struct script_unused_stop {
  std::size_t index = 0;
  std::string token;
};

// Items put that no consumer took and the buffer does not hold.
struct items_lost_stop {
  std::vector<item> lost;
};

// A SIGINT or a SIGTERM stopped the run.
struct signal_stop {
  int signal = 0;
};

using stop_facts = std::variant<violation_stop, deadlock_stop, script_stuck_stop,
                                script_unused_stop, items_lost_stop, signal_stop>;

// What is said of a stopped run: the kind of its end (run_result::kind) and
// its report.
struct stop_words {
  std::string kind;
  std::string report;
};

// Writes stop_words for the facts of a run of `who`: show/reports.hpp's
// words_of_stop, handed to the run by whoever starts it.
using stop_wording = std::function<stop_words(const cast& who, const stop_facts& facts)>;

}  // namespace lesson
