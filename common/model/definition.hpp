// A lesson as the harness knows it: its name, its one idea, its defaults, what
// it teaches, and its producer and consumer steps compiled for free and for
// observed runs (lesson.hpp's define<> fills those in).
#pragma once

#include <cstddef>
#include <cstdint>
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

struct definition {
  const char* name = "";
  const char* idea = "";          // what changed from the lesson before
  const char* shows = "";         // what a default run shows
  outcome teaches = outcome::ok;  // the outcome of a default run that shows it
  // The worst outcome any interleaving can give it: ok for a correct lesson.
  outcome worst_case = outcome::ok;
  bool correct() const { return worst_case == outcome::ok; }
  const char* bug_scripts = "";  // lines of options that show the lesson's bug on every run
  // Where explore shows the bug, such as {{.capacity = 2}} for a bug that
  // needs two slots. None named: explore's own configuration, with one slot
  // and with two (explore.hpp's bug_configurations).
  std::vector<small_configuration> bug_shows_at{};
  settings defaults{};
  // The lesson's source file as compiled, as its events name it: define<>
  // fills it in from where the lesson calls it.
  const char* file = "";
  // Free runs: boost::mutex (marked with its holder) and boost::condition_variable.
  void (*run_free)(run_context&) = nullptr;
  // Observed runs, for --script and for traces that show the lock: a lockable
  // around boost::mutex that reports and orders each lock, with
  // boost::condition_variable_any.
  void (*run_observed)(run_context&) = nullptr;
  // The lesson's file, as it was compiled (lessons::registration sets it).
  const char* source_file = "";
};

}  // namespace lesson
