// One submission graded: compiled in a sandbox (nothing of it runs), then
// checked against the assignment in another, with the compiled file's cache
// read only; for a failure with a schedule, its step-through page made in a
// third. What each sandbox's end means becomes the row's verdict.
#pragma once

#include <optional>
#include <string>

#include "assignment.hpp"

namespace lessons {

// What every submission's check shares: the programs and the assignment.
struct grading_setup {
  std::string yours;    // build/bin/yours, absolute
  std::string tree;     // the source tree whose headers submissions include
  std::string cache;    // where compiled submissions are kept between runs
  std::string prelude;  // the precompiled headers (student_prelude), read only; empty: none
  std::optional<std::string> assignment_file;  // none: yours' own assignment
  assignment task{};
  std::string pages{};  // --html DIR's folder for step-through pages; empty: none
};

struct graded {
  std::string student;        // the file's name, as in the folder
  std::string verdict;        // "correct", "violation: underflow", "does not compile", ...
  std::string kind;           // the summary's group: correct, violation, deadlock, ...
  std::string configuration;  // where it failed: "1x2 capacity 1"
  std::string schedule;       // its shortest failing schedule
  std::string replay;         // the command that replays it, for the teacher
  std::string detail;         // what the check said of a limit, a crash or a refusal
  std::string page;           // the step-through page, relative to --html DIR
  double seconds = 0;
};

// Grades the file at `path` (a regular .cpp file) in sandboxes of `slot`.
graded grade_submission(const std::string& path, std::size_t index, const grading_setup& setup,
                        unsigned slot);

}  // namespace lessons
