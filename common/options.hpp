// The command line every lesson shares (Boost.Program_options), and the main
// function that runs a lesson with it.
#pragma once

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

#include "assemble.hpp"
#include "signals.hpp"

namespace lesson {

// Bad input: the message names the option and what it accepts. Exit code 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct command_line {
  enum class request { run, help, version } what = request::run;
  settings chosen;
  bool trace_given = false;
};

// Throws usage_error.
command_line parse_command_line(const definition& lesson, const std::vector<std::string>& args);
std::string help_text(const definition& lesson);
// The options alone, with `lesson`'s defaults, for tools that run lessons.
std::string options_text(const definition& lesson);
// "NAME (cv-lessons 1.0.0, Boost 1.74)\n", for --version.
std::string version_text(const char* name);
// Call once in main before any run (see options.cpp).
void touch_boost_thread();

// Runs the lesson as its command line says: the trace to `out`, then the
// report and one summary line last to `summary`. Returns the exit code
// (GUIDE section 3).
int run_lesson(const definition& lesson, const settings& chosen, std::ostream& out,
               std::ostream& summary);
int main(int argc, char* argv[], const definition& lesson);
// The main of a tool that runs lessons (compare, scoreboard, bench): bad
// usage is one line and exit 2, as for a lesson.
int tool_main(const char* name, int (*body)(int, char*[]), int argc, char* argv[]);

}  // namespace lesson
