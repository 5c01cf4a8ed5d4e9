// scoreboard [options]: runs every lesson with the same options, one row each:
// its verdict, whether that is what the lesson teaches, and what it cost. With
// no options each lesson runs its own classroom scenario.
//
//   scoreboard                       each lesson's defaults, within a minute
//   scoreboard --repeat 20 --time-scale 0.1
#include <algorithm>
#include <boost/format.hpp>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "assemble.hpp"
#include "driver.hpp"
#include "lessons.hpp"
#include "options.hpp"
#include "signals.hpp"

namespace {

struct row {
  const lesson::definition* lesson = nullptr;
  unsigned runs = 0;
  unsigned by_outcome[4] = {0, 0, 0, 0};
  lesson::tally total;

  unsigned count(lesson::outcome o) const { return by_outcome[static_cast<int>(o)]; }
  lesson::outcome most_seen() const {
    const auto most = std::max_element(std::begin(by_outcome), std::end(by_outcome));
    return static_cast<lesson::outcome>(most - std::begin(by_outcome));
  }
};

row play(const lesson::definition& lesson, lesson::settings s) {
  s.trace = lesson::trace_format::none;
  s.svg_file.clear();
  row r;
  r.lesson = &lesson;
  std::ostringstream unused;
  for (unsigned run = 0; run < s.repeat; ++run) {
    const lesson::run_result result = lesson::run_once(lesson, s, unused);
    ++r.runs;
    ++r.by_outcome[static_cast<int>(result.result)];
    r.total += result.figures;
    if (result.result == lesson::outcome::interrupted) {
      break;
    }
  }
  return r;
}

void print(const std::vector<row>& rows, bool repeated, std::ostream& out) {
  out << boost::format("%-24s %-14s %-9s %10s %13s %12s %11s\n") % "lesson" % "verdict" %
             "as taught" % "violations" % "wakeups/item" % "futile/item" % "elapsed_ms";
  for (const row& r : rows) {
    const double items = std::max<double>(1, static_cast<double>(r.total.consumed));
    const lesson::outcome verdict = r.most_seen();
    std::string shown = lesson::to_string(verdict);
    if (repeated) {
      shown = (boost::format("%s %d/%d") % shown % r.count(verdict) % r.runs).str();
    }
    out << boost::format("%-24s %-14s %-9s %10d %13.2f %12.2f %11.1f\n") % r.lesson->name % shown %
               (verdict == r.lesson->teaches ? "yes" : "NO") % r.total.violations %
               (static_cast<double>(r.total.wakeups) / items) %
               (static_cast<double>(r.total.futile_wakeups) / items) %
               (r.total.elapsed_ms / r.runs);
  }
  if (repeated) {
    out << "\nruns by verdict (ok / violation / deadlock):\n";
    for (const row& r : rows) {
      out << boost::format("%-24s %d / %d / %d of %d\n") % r.lesson->name %
                 r.count(lesson::outcome::ok) % r.count(lesson::outcome::violation) %
                 r.count(lesson::outcome::deadlock) % r.runs;
    }
  }
}

// The lessons' options but the traces: a row a lesson is all it shows.
const lesson::taken_options scoreboard_takes{{
    {"trace", "the scoreboard shows no traces"},
    {"svg", "the scoreboard shows no traces"},
}};

int scoreboard(int argc, char* argv[]) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<row> rows;
  bool repeated = false;
  bool as_taught = true;
  for (const lesson::definition* lesson : lessons::all()) {
    lesson::command_line command;
    try {
      command = lesson::parse_command_line(*lesson, args, scoreboard_takes);
    } catch (const lesson::usage_error& e) {
      throw lesson::usage_error(std::string(lesson->name) + ": " + e.what());
    }
    if (command.what == lesson::command_line::request::version) {
      std::cout << lesson::version_text("scoreboard");
      return 0;
    }
    if (command.what != lesson::command_line::request::run) {
      std::cout << "Usage: scoreboard [options]\n\n"
                   "Runs every lesson with the same options, a row each: its verdict, whether\n"
                   "that is what the lesson teaches, violations, wakeups and futile wakeups per\n"
                   "item, and the time a run took. Each lesson runs with its own defaults, which\n"
                   "its --help shows, unless an option is given.\n\n"
                << lesson::options_text(scoreboard_takes);
      return 0;
    }
    if (rows.empty()) {
      lesson::touch_boost_thread();
      lesson::stop_runs_on_signals();
    }
    repeated = command.chosen.repeat > 1;
    rows.push_back(play(*lesson, command.chosen));
    as_taught = as_taught && rows.back().most_seen() == lesson->teaches;
    if (rows.back().count(lesson::outcome::interrupted) > 0) {
      break;
    }
  }
  print(rows, repeated, std::cout);
  std::cout.flush();
  lesson::end_as_signalled();
  return as_taught ? 0 : 1;
}

}  // namespace

int main(int argc, char* argv[]) {
  return lesson::tool_main("scoreboard", scoreboard, argc, argv);
}
