// The main function of a lesson and of the tools that run lessons: the
// command line (options.hpp), the runs, the exit code.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "model/definition.hpp"

namespace lesson {

// "NAME (cv-lessons 1.0.0, Boost 1.74)\n", for --version.
std::string version_text(const char* name);
// Call once in main before any run: when the first boost::thread starts
// before main touched Boost.Thread, Boost 1.74's call_once gives helgrind and
// DRD a false positive.
void touch_boost_thread();

// Runs the lesson as its command line says: the trace to `out`, then the
// report, a run that failed its `replay:` line, and the summary last to
// `summary`. Returns the exit code: 0 ok, 1 invariant violation, 3 deadlock,
// 4 the script stuck, 130 or 143 interrupted by SIGINT or SIGTERM; with
// --repeat, the worst run's.
int run_lesson(const definition& lesson, const settings& chosen, std::ostream& out,
               std::ostream& summary);
// A lesson's --help, with the paragraph about --play.
std::string help_text(const definition& lesson);
// A lesson's main: as run_lesson, exit code 2 for bad usage, and
// output_failed_exit_code when its output could not be written. A page or a
// timeline (--html, --svg) with no --script of a lesson that teaches a bug
// follows the first of its bug scripts that the other options leave possible,
// and says so on stderr; or says why it cannot.
int main(int argc, char* argv[], const definition& lesson);
// The main of a tool that runs lessons (compare, scoreboard, explore, bench):
// bad usage and output that could not be written are one line and exit codes
// as for a lesson.
int tool_main(const char* name, int (*body)(int, char*[]), int argc, char* argv[]);

}  // namespace lesson
