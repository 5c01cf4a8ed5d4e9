// What a run of a lesson gives back once it is over (run.hpp): how it ended,
// its figures, its report and the schedule that decides it again.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/seating.hpp"
#include "model/events.hpp"
#include "model/outcome.hpp"
#include "model/schedule.hpp"
#include "model/stop.hpp"

namespace lesson {

// A run that could not be carried out, such as a thread that could not start.
struct run_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct run_result {
  outcome result = outcome::ok;
  tally figures;
  std::string report;  // why it stopped; empty when it ran to the end
  // What kind of end: a violation's kind ("underflow", "overflow", ...: see
  // to_string(violation_kind)), a deadlock's (stall_kinds in reports.hpp),
  // "signal" or "error" for an interrupted run; empty when it ran to the end.
  std::string kind;
  // The facts the report was written from; none when it ran to the end, or
  // for an error or an explored run stopped at a state already seen.
  std::optional<stop_facts> stopped;
  // The complete schedule that decides this run again: the scheduler's
  // decisions in an observed run, else read from the record. schedule_text
  // (model/schedule.hpp) writes it as a --script value. Empty for a free run
  // in which a thread put or took without the lock: the record orders what
  // is done under the lock only (moved_unlocked).
  std::vector<decision> schedule;
  bool moved_unlocked = false;
  // A run that follows its script as far as possible: where it left it.
  std::optional<schedule_trouble> left_script;
};

}  // namespace lesson
