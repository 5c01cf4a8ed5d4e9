// Running a lesson from a test: quiet, with the lesson's code unchanged.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "drive/driver.hpp"
#include "lessons.hpp"
#include "show/assemble.hpp"

namespace lesson_test {

// A lesson by its name, as it registered itself. Call it inside a test, not
// while the program starts: the lessons may not have registered yet.
inline const lesson::definition& named(std::string_view name) {
  if (const lesson::definition* found = lessons::find(name)) {
    return *found;
  }
  throw std::invalid_argument("no lesson named " + std::string(name) + " is registered");
}

// A scenario with no pauses and no trace; tests set what they need.
inline lesson::settings quiet(unsigned producers, unsigned consumers, std::size_t capacity,
                              std::uint64_t items) {
  lesson::settings s;
  s.producers = producers;
  s.consumers = consumers;
  s.capacity = capacity;
  s.items = items;
  s.trace = lesson::trace_format::none;
  return s;
}

inline lesson::run_result run(const lesson::definition& lesson, const lesson::settings& s) {
  std::ostringstream discarded;
  return lesson::run_once(lesson, s, discarded);
}

// The options of each schedule in a lesson's bug_scripts (its --help lists
// them), as the lesson's main reads them. Tests run them without pauses,
// which change how long a scheduled run takes, never what it does.
inline std::vector<std::vector<std::string>> bug_script_options(const lesson::definition& lesson) {
  return lesson::bug_script_options(lesson);
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

}  // namespace lesson_test
