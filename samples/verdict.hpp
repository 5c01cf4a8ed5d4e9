// The verdict on a student's buffer: a default run, then every schedule of
// the assignment's small runs. yours prints it for the student; grade has
// each submission's check print it too, with a record line it reads back.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "assignment.hpp"
#include "model/definition.hpp"

namespace lessons {

struct verdict {
  lesson::outcome result = lesson::outcome::ok;
  // "correct on every schedule explored", "violation: underflow", "deadlock: lost wakeup".
  std::string label;
  // Where it failed: "1x2 capacity 1", or "default run"; empty when correct.
  std::string configuration;
  // The shortest failing schedule, "C1,P1,C2,C1"; empty when none.
  std::string schedule;
  // The options that replay it after `yours FILE`; empty when none.
  std::string replay_options;
};

// Checks `mine` against `task`, printing what it finds to `out`: a line per
// configuration, and for the first failure its schedule, the report of a run
// of it and the commands that replay it, draw it and play it.
verdict check_against(const lesson::definition& mine, const assignment& task, std::ostream& out);

// The verdict as one line for a program to read back:
// "record<TAB>RESULT<TAB>LABEL<TAB>CONFIGURATION<TAB>SCHEDULE<TAB>OPTIONS".
std::string record_line(const verdict& found);
// The last record line in `output`; none when it has none.
std::optional<verdict> read_record(const std::string& output);

}  // namespace lessons
