// compare A B [options]: runs two lessons with the same options (and script)
// and lays their traces side by side, aligned by step. The first line where
// they part is marked `*`, every violation `!`.
//
//   compare 02 03 --producers 1 --consumers 2 --script C1,P1,C2,C1 --producer-delay 0
//
// With no --script, both run the schedule that shows the bug of the one
// that teaches a bug (the first of its bug_scripts). That lesson follows it
// to its bug. Its neighbour's code may come to other decisions, so it
// follows the schedule as far as it can: from the first decision it cannot
// take, its own defaults decide, and a line says where.
#include <algorithm>
#include <boost/format.hpp>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "command_line/options.hpp"
#include "drive/driver.hpp"
#include "lessons.hpp"
#include "show/assemble.hpp"
#include "show/columns.hpp"
#include "show/describe.hpp"
#include "student_file.hpp"

namespace {

constexpr std::size_t lines_shown = 150;
constexpr std::size_t lines_after_an_end = 6;  // of the longer run, once the shorter has ended

struct traced_run {
  const lesson::definition* lesson = nullptr;
  lesson::settings settings;
  lesson::run_result result;
  std::map<std::uint64_t, std::string> lines;  // by step
  std::set<std::uint64_t> violations;
};

std::string trace_line(std::uint64_t step, const std::string& worker, const std::string& text,
                       std::size_t size, std::size_t capacity) {
  return (boost::format("[%3d] %s %s  %d/%d") % step % worker % text % size % capacity).str();
}

traced_run run_traced(const lesson::definition& lesson, const lesson::settings& s) {
  traced_run run;
  run.lesson = &lesson;
  run.settings = s;
  std::optional<lesson::event> script_end;
  std::string worker_at_script_end;
  run.result = lesson::run_unshown(
      lesson, s, [&](const lesson::event& e, const lesson::run_context& context) {
        if (!lesson::shown_in_text(e)) {
          return;
        }
        const std::string worker = context.cast().name(e.worker);
        run.lines[e.step] =
            trace_line(e.step, worker, lesson::text_of(e, context.cast()), e.size, s.capacity);
        if (e.action == lesson::action::violation) {
          run.violations.insert(e.step);
        }
        if (e.action == lesson::action::script_end) {
          script_end = e;
          worker_at_script_end = worker;
        }
      });
  // Where a run that follows its neighbour's schedule left it, the defaults
  // decide from there: its trace says so at that step.
  if (const auto& left = run.result.left_script; left && script_end) {
    run.lines[script_end->step] = trace_line(
        script_end->step, worker_at_script_end,
        "-- cannot follow decision " + std::to_string(left->index) + ": defaults from here --",
        script_end->size, s.capacity);
  }
  return run;
}

// `text` wrapped to `width`, as lines; a wrapped trace line goes on under its
// words, past "[ 12] ".
std::vector<std::string> wrapped_lines(const std::string& text, std::size_t width) {
  constexpr std::size_t past_the_step = 6;
  std::istringstream in(lesson::wrapped(text, width, past_the_step));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

// Two texts side by side in columns `column` wide, each wrapped in its own.
// The first row carries the marks between them; the rows under it, a bar.
void print_pair(const std::string& left, const std::string& right, std::size_t column,
                const std::string& marks, std::ostream& out) {
  const std::vector<std::string> l = wrapped_lines(left, column);
  const std::vector<std::string> r = wrapped_lines(right, column);
  for (std::size_t row = 0; row < std::max({l.size(), r.size(), std::size_t{1}}); ++row) {
    const std::string shown = row < l.size() ? l[row] : "";
    out << shown << std::string(column - shown.size(), ' ') << (row == 0 ? marks : " |") << ' '
        << (row < r.size() ? r[row] : "") << '\n';
  }
}

// Under the columns: where a run left its neighbour's schedule, then each
// run's summary and report.
void print_endings(const traced_run& a, const traced_run& b, bool scripted, std::size_t width,
                   std::ostream& out) {
  for (const traced_run* run : {&a, &b}) {
    if (const auto& left = run->result.left_script) {
      out << '\n'
          << lesson::wrapped((boost::format("%s cannot follow decision %d of %d, %s (%s): from "
                                            "there its own defaults decide.") %
                              run->lesson->name % left->index % run->settings.script.size() %
                              lesson::to_string(left->wanted, run->settings.producers) % left->why)
                                 .str(),
                             width)
          << '\n';
    }
  }
  for (const traced_run* run : {&a, &b}) {
    out << '\n'
        << lesson::wrapped(
               std::string(run->lesson->name) + ": " +
                   lesson::summary_line(run->result.result, run->result.figures, scripted),
               width)
        << '\n';
    if (!run->result.report.empty()) {
      out << lesson::wrapped(run->result.report, width) << '\n';
    }
  }
}

void side_by_side(const traced_run& a, const traced_run& b, bool scripted, std::ostream& out) {
  const std::size_t width = lesson::output_width();
  const std::size_t column = (width - 3) / 2;
  print_pair(a.lesson->name, b.lesson->name, column, "  ", out);
  out << std::string(column, '-') << "   " << std::string(column, '-') << '\n';
  std::set<std::uint64_t> steps;
  for (const auto& [step, line] : a.lines) {
    steps.insert(step);
  }
  for (const auto& [step, line] : b.lines) {
    steps.insert(step);
  }
  const auto last_step = [](const traced_run& run) {
    return run.lines.empty() ? 0 : run.lines.rbegin()->first;
  };
  const std::uint64_t first_end = std::min(last_step(a), last_step(b));
  const auto ending = [](const traced_run& run) {
    return "== " + std::string(lesson::to_string(run.result.result)) + ", no more steps";
  };
  bool parted = false;
  std::size_t shown = 0;
  std::size_t after_end = 0;
  for (const std::uint64_t step : steps) {
    if (shown == lines_shown || after_end == lines_after_an_end) {
      const std::size_t hidden = steps.size() - shown;
      out << "... " << hidden << (hidden == 1 ? " more step" : " more steps") << " not shown\n";
      break;
    }
    const auto left = a.lines.find(step);
    const auto right = b.lines.find(step);
    std::string l = left == a.lines.end() ? "" : left->second;
    std::string r = right == b.lines.end() ? "" : right->second;
    if (step > first_end) {
      l = l.empty() && after_end == 0 && step > last_step(a) ? ending(a) : l;
      r = r.empty() && after_end == 0 && step > last_step(b) ? ending(b) : r;
      ++after_end;
    }
    const bool violation = a.violations.count(step) + b.violations.count(step) > 0;
    const bool parts_here = !parted && l != r;
    parted = parted || parts_here;
    print_pair(l, r, column, std::string(1, parts_here ? '*' : ' ') + (violation ? '!' : '|'), out);
    ++shown;
  }
  out << "\n* the first line where they part   ! a violation\n";
  print_endings(a, b, scripted, width, out);
}

// The lessons' options but those compare has no use for: it draws its own
// trace of one run of each lesson, from the command line alone.
const lesson::taken_options compare_takes{{
    {"trace", "compare prints its own trace of one run of each lesson"},
    {"svg", "compare prints its own trace of one run of each lesson"},
    {"html", "compare prints its own trace of one run of each lesson"},
    {"repeat", "compare runs each lesson once"},
    {"config", "compare takes its options on the command line"},
    {"play", "play one lesson: 02_if_wait_bug --play"},
    {"goal", "play one lesson: 02_if_wait_bug --play"},
}};

// Of the two, the lesson whose schedule shows a bug: the one that teaches a
// bug, else one that has a bug to show (03 shows 04's deadlock); the first
// when both do. None for two correct lessons.
const lesson::definition* with_a_bug_to_show(const lesson::definition& a,
                                             const lesson::definition& b) {
  for (const bool teaching : {true, false}) {
    for (const lesson::definition* side : {&a, &b}) {
      const bool fits = teaching ? side->teaches != lesson::outcome::ok : !side->correct();
      if (fits && !side->bug_scripts.empty()) {
        return side;
      }
    }
  }
  return nullptr;
}

// The options of the first schedule in a lesson's bug_scripts.
std::vector<std::string> first_bug_script(const lesson::definition& lesson) {
  return lesson.bug_scripts.empty() ? std::vector<std::string>{}
                                    : lesson::options_of(lesson.bug_scripts.front());
}

bool gives_a_script(const std::vector<std::string>& options) {
  return std::any_of(options.begin(), options.end(), [](const std::string& option) {
    return option == "--script" || option.rfind("--script=", 0) == 0;
  });
}

// `lesson` with its first bug script for defaults, and no pauses: they
// change how long a scheduled run takes, never what it does.
lesson::definition with_its_schedule(const lesson::definition& lesson) {
  lesson::definition taught = lesson;
  taught.defaults =
      lesson::parse_command_line(lesson, first_bug_script(lesson), compare_takes).chosen;
  taught.defaults.producer_delay_ms = 0;
  taught.defaults.consumer_delay_ms = 0;
  return taught;
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) {
    text += (text.empty() ? "" : " ") + word;
  }
  return text;
}

// With no --script: the schedule that shows `shown`'s bug, which both lessons
// run with `given` over it. Says so first.
void take_the_schedule_of(const lesson::definition& shown, const std::vector<std::string>& given,
                          lesson::settings& s, std::ostream& out) {
  const std::string options =
      joined(first_bug_script(shown)) + (given.empty() ? "" : " ") + joined(given);
  for (const std::string& token : s.script) {
    if (!lesson::parse_decision(token, s.producers, s.consumers)) {
      throw lesson::usage_error(std::string(shown.name) + "'s schedule (" + options +
                                ") names a thread these options leave out: give --script too");
    }
  }
  // Its neighbour's code may come to other decisions: each follows the
  // schedule as far as it can (`shown` all of it, unless `given` changed it).
  s.follow_script_as_far_as_possible = true;
  out << lesson::wrapped(
             "Both run the schedule that shows " + std::string(shown.name) + "'s bug: " + options,
             lesson::output_width())
      << "\n\n";
}

int compare(int argc, char* argv[]) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "--version") {
    std::cout << lesson::version_text("compare");
    return 0;
  }
  if (!args.empty() && args.front() == "--help") {
    std::cout << "Usage: compare LESSON LESSON [options]\n\n"
                 "Runs both lessons with the same options and prints their traces side by side,\n"
                 "aligned by step. LESSON is a number (02) or a name (02_if_wait_bug).\n\n"
                 "With no --script, both run the schedule that shows the bug of the one that\n"
                 "teaches a bug (the first its --help lists), with no pauses and the options\n"
                 "given over it; the other follows it as far as its code can, then its defaults\n"
                 "decide, and a line says where. With --script, or for two correct lessons, an\n"
                 "option not given takes the first lesson's default, which its --help shows.\n\n"
              << lesson::options_text(compare_takes);
    return 0;
  }
  if (args.size() < 2 || args[0].rfind("--", 0) == 0 || args[1].rfind("--", 0) == 0) {
    throw lesson::usage_error("usage: compare LESSON LESSON [options], e.g. compare 02 03");
  }
  const lesson::definition* a = lessons::find_or_load(args[0]);
  const lesson::definition* b = lessons::find_or_load(args[1]);
  if (a == nullptr || b == nullptr) {
    const auto every = lessons::all();
    throw lesson::usage_error("no lesson " + lesson::quote(a == nullptr ? args[0] : args[1]) +
                              ": give " + std::string(every.front()->name, 2) + " to " +
                              std::string(every.back()->name, 2) +
                              " or a name such as 02_if_wait_bug");
  }
  const std::vector<std::string> given(args.begin() + 2, args.end());
  const lesson::definition* shown = gives_a_script(given) ? nullptr : with_a_bug_to_show(*a, *b);
  const lesson::command_line command =
      lesson::parse_command_line(shown ? with_its_schedule(*shown) : *a, given, compare_takes);
  if (command.what != lesson::command_line::request::run) {
    throw lesson::usage_error("--help and --version come alone, as compare --help");
  }
  lesson::touch_boost_thread();
  lesson::settings s = command.chosen;
  if (shown != nullptr) {
    take_the_schedule_of(*shown, given, s, std::cout);
  }
  s.columns = lesson::output_width();
  side_by_side(run_traced(*a, s), run_traced(*b, s), !s.script.empty(), std::cout);
  return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  return lesson::tool_main("compare", compare, argc, argv);
}
