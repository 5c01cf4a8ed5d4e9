// scoreboard [options]: runs every lesson with the same options, one row each:
// its verdict, whether that is what the lesson teaches, and what it cost. With
// no options each lesson runs its own classroom scenario.
//
//   scoreboard                       each lesson's defaults, within a minute
//   scoreboard --repeat 20 --time-scale 0.1
#include <algorithm>
#include <boost/format.hpp>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "command_line/options.hpp"
#include "drive/driver.hpp"
#include "drive/progress.hpp"
#include "engine/signals.hpp"
#include "lessons.hpp"
#include "show/assemble.hpp"
#include "show/columns.hpp"
#include "show/reports.hpp"

namespace {

struct row {
  const lesson::definition* lesson = nullptr;
  lesson::outcome_counts runs;
  lesson::tally total;
  std::uint64_t numbers_stalled = 0;  // deadlocks where one side finished its count

  // The run's numbers, not its code, stopped every run the verdict counts: a
  // side finished (the recipe's consumer takes half the items) while the other
  // still waits. Whether the lesson is right is then not the question.
  bool stopped_by_numbers() const {
    return runs.most_seen() == lesson::outcome::deadlock &&
           numbers_stalled == runs[lesson::outcome::deadlock];
  }
  const char* as_taught() const {
    return stopped_by_numbers() ? "n/a" : runs.most_seen() == lesson->teaches ? "yes" : "NO";
  }
};

// `place`: "3 of 8", the lesson's place in the board, for the progress line.
row play(const lesson::definition& lesson, const lesson::settings& s, const std::string& place,
         lesson::progress& shown) {
  row r;
  r.lesson = &lesson;
  while (r.runs.total() < s.repeat && r.runs[lesson::outcome::interrupted] == 0) {
    shown.show((boost::format("scoreboard: %s (lesson %s), run %d of %d") % lesson.name % place %
                (r.runs.total() + 1) % s.repeat)
                   .str());
    const lesson::run_result result = lesson::run_unshown(lesson, s);
    r.runs.add(result.result);
    r.total += result.figures;
    r.numbers_stalled += result.kind == lesson::stall_kinds::other_side_finished ? 1 : 0;
  }
  return r;
}

// One row a lesson, in 80 columns. Violations are not counted apart: a run
// stops at its first, so "runs by verdict" says how many there were.
void print(const std::vector<row>& rows, bool repeated, std::size_t width, std::ostream& out) {
  out << boost::format("%-22s %-11s %-9s %12s %11s %9s\n") % "lesson" % "verdict" % "as taught" %
             "wakeups/item" % "futile/item" % "ms/run";
  for (const row& r : rows) {
    const double items = std::max<double>(1, static_cast<double>(r.total.consumed));
    out << boost::format("%-22s %-11s %-9s %12.2f %11.2f %9.1f\n") % r.lesson->name %
               lesson::to_string(r.runs.most_seen()) % r.as_taught() %
               (static_cast<double>(r.total.wakeups) / items) %
               (static_cast<double>(r.total.futile_wakeups) / items) %
               (r.total.elapsed_ms / static_cast<double>(r.runs.total()));
  }
  for (const row& r : rows) {
    if (r.stopped_by_numbers()) {
      out << lesson::wrapped("n/a " + std::string(r.lesson->name) +
                                 ": not the code's doing: one side finished its count (the "
                                 "recipe's consumer takes half the items) and the other waits "
                                 "for what will never come",
                             width, 4)
          << '\n';
    }
  }
  if (repeated) {
    out << "\nruns by verdict (ok / violation / deadlock):\n";
    for (const row& r : rows) {
      out << boost::format("%-22s %d / %d / %d of %d\n") % r.lesson->name %
                 r.runs[lesson::outcome::ok] % r.runs[lesson::outcome::violation] %
                 r.runs[lesson::outcome::deadlock] % r.runs.total();
    }
  }
}

// The lessons' options but the traces: a row a lesson is all it shows.
const lesson::taken_options scoreboard_takes{{
    {"trace", "the scoreboard shows no traces"},
    {"svg", "the scoreboard shows no traces"},
    {"html", "the scoreboard shows no traces"},
    {"lines", "the scoreboard shows no traces"},
    {"play", "the scoreboard runs every lesson by itself"},
    {"goal", "the scoreboard runs every lesson by itself"},
}};

int scoreboard(int argc, char* argv[]) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<row> rows;
  bool repeated = false;
  bool as_taught = true;
  std::optional<lesson::progress> shown_while_running(std::in_place);
  lesson::progress& shown = *shown_while_running;
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
      for (const std::string& warning : lessons::build_warnings("scoreboard")) {
        std::cerr << warning << '\n';  // a lesson edited and not rebuilt here: the old code runs
      }
      lesson::touch_boost_thread();
      lesson::stop_runs_on_signals();
    }
    repeated = command.chosen.repeat > 1;
    rows.push_back(play(
        *lesson, command.chosen,
        std::to_string(rows.size() + 1) + " of " + std::to_string(lessons::all().size()), shown));
    as_taught = as_taught && std::string(rows.back().as_taught()) != "NO";
    if (rows.back().runs[lesson::outcome::interrupted] > 0) {
      break;
    }
  }
  shown_while_running.reset();  // wiped before the board prints
  print(rows, repeated, lesson::output_width(), std::cout);
  std::cout.flush();
  lesson::end_as_signalled();
  return as_taught ? 0 : 1;
}

}  // namespace

int main(int argc, char* argv[]) {
  return lesson::tool_main("scoreboard", scoreboard, argc, argv);
}
