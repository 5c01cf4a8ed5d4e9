// A lesson as the harness knows it: its name, its one idea, its defaults, what
// it teaches, the scripts that show its bug, its plain twin in the benchmark,
// and its producer and consumer steps compiled for free and for observed runs
// (lesson.hpp's define<> fills those in). Everything a tool or a test needs to
// know of a lesson is here, so that a new lesson is one file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/outcome.hpp"
#include "model/settings.hpp"

namespace lesson {

class run_context;

// A configuration small enough for explore to search to the end. A number
// left 0 is explore's own: the lesson's threads, one slot, 2 items a producer.
struct small_configuration {
  unsigned producers = 0;
  unsigned consumers = 0;
  std::size_t capacity = 0;
  std::uint64_t items = 0;
};

// A schedule that shows the lesson's bug on every run: the options that give
// it, and a note saying what happens. The lesson's --help lists them, one
// script a line with its note in brackets; a note too long for that line goes
// on the lines below it, broken where the note has a line break.
struct bug_script {
  const char* options = "";  // such as "--producers 1 --consumers 2 --script C1,P1,C2,C1"
  const char* note = "";     // such as "underflow"
};

struct definition {
  const char* name = "";
  const char* idea = "";          // what changed from the lesson before
  const char* shows = "";         // what a default run shows
  outcome teaches = outcome::ok;  // the outcome of a default run that shows it
  // The worst outcome any interleaving can give it: ok for a correct lesson.
  outcome worst_case = outcome::ok;
  bool correct() const { return worst_case == outcome::ok; }
  std::vector<bug_script> bug_scripts{};  // none for a correct lesson
  // Where explore shows the bug, such as {{.capacity = 2}} for a bug that
  // needs two slots. None named: explore's own configuration, with one slot
  // and with two (explore.hpp's bug_configurations).
  std::vector<small_configuration> bug_shows_at{};
  settings defaults{};
  // The same buffer written without the harness, by its name among bench's
  // variants (samples/bench), such as "06_uninstrumented": bench measures
  // what the harness costs this lesson against it. Empty: none.
  const char* plain_twin = "";
  // The lesson's source file as compiled, as its events name it: define<>
  // fills it in from where the lesson calls it.
  const char* file = "";
  // Whether it has a close step (lessons 09 and 10): define<> fills it in.
  bool closes = false;
  // Free runs: boost::mutex (marked with its holder) and boost::condition_variable.
  void (*run_free)(run_context&) = nullptr;
  // Observed runs, for --script and for traces that show the lock: a lockable
  // around boost::mutex that reports and orders each lock, with
  // boost::condition_variable_any.
  void (*run_observed)(run_context&) = nullptr;
  // The lesson's file, as it was compiled (lessons::registration sets it).
  const char* source_file = "";
  // The command that runs it, where it is not build/bin/NAME: a student's
  // file runs as "build/bin/yours path/to/buffer.cpp".
  const char* program = "";
};

// The options of one bug script, a word each, as a command line gives them.
std::vector<std::string> options_of(const bug_script& script);
// The options of each of the lesson's bug scripts, in order.
std::vector<std::vector<std::string>> bug_script_options(const definition& lesson);
// The lesson's bug scripts as its --help lists them: a line for each script,
// indented two spaces. The notes that fit beside their scripts end in one
// column; the others follow on lines of their own, indented six spaces.
std::string bug_scripts_help(const definition& lesson);

}  // namespace lesson
