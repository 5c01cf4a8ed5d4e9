// compare A B [options]: runs two lessons with the same options (and script)
// and lays their traces side by side, aligned by step. The first line where
// they part is marked `*`, every violation `!`.
//
//   compare 02 03 --producers 1 --consumers 2 --script C1,P1,C2,C1 --producer-delay 0
#include <algorithm>
#include <boost/format.hpp>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "assemble.hpp"
#include "columns.hpp"
#include "describe.hpp"
#include "driver.hpp"
#include "lessons.hpp"
#include "options.hpp"

namespace {

constexpr std::size_t lines_shown = 150;
constexpr std::size_t lines_after_an_end = 6;  // of the longer run, once the shorter has ended

struct traced_run {
  const lesson::definition* lesson = nullptr;
  lesson::run_result result;
  std::map<std::uint64_t, std::string> lines;  // by step
  std::set<std::uint64_t> violations;
};

traced_run run_traced(const lesson::definition& lesson, lesson::settings s) {
  traced_run run;
  run.lesson = &lesson;
  run.result = lesson::run_unshown(
      lesson, s, [&run](const lesson::event& e, const lesson::run_context& context) {
        if (!lesson::shown_in_text(e)) {
          return;
        }
        run.lines[e.step] =
            (boost::format("[%3d] %s %s  %d/%d") % e.step % context.cast().name(e.worker) %
             lesson::text_of(e, context.cast()) % e.size % context.config().capacity)
                .str();
        if (e.action == lesson::action::violation) {
          run.violations.insert(e.step);
        }
      });
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

int compare(int argc, char* argv[]) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "--version") {
    std::cout << lesson::version_text("compare");
    return 0;
  }
  if (!args.empty() && args.front() == "--help") {
    std::cout << "Usage: compare LESSON LESSON [options]\n\n"
                 "Runs both lessons with the same options and prints their traces side by side,\n"
                 "aligned by step. LESSON is a number (02) or a name (02_if_wait_bug). An option\n"
                 "not given takes the first lesson's default, which its --help shows.\n\n"
              << lesson::options_text(compare_takes);
    return 0;
  }
  if (args.size() < 2 || args[0].rfind("--", 0) == 0 || args[1].rfind("--", 0) == 0) {
    throw lesson::usage_error("usage: compare LESSON LESSON [options], e.g. compare 02 03");
  }
  const lesson::definition* a = lessons::find(args[0]);
  const lesson::definition* b = lessons::find(args[1]);
  if (a == nullptr || b == nullptr) {
    const auto every = lessons::all();
    throw lesson::usage_error("no lesson " + lesson::quote(a == nullptr ? args[0] : args[1]) +
                              ": give " + std::string(every.front()->name, 2) + " to " +
                              std::string(every.back()->name, 2) +
                              " or a name such as 02_if_wait_bug");
  }
  const lesson::command_line command = lesson::parse_command_line(
      *a, std::vector<std::string>(args.begin() + 2, args.end()), compare_takes);
  if (command.what != lesson::command_line::request::run) {
    throw lesson::usage_error("--help and --version come alone, as compare --help");
  }
  lesson::touch_boost_thread();
  lesson::settings s = command.chosen;
  s.columns = lesson::output_width();
  side_by_side(run_traced(*a, s), run_traced(*b, s), !s.script.empty(), std::cout);
  return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  return lesson::tool_main("compare", compare, argc, argv);
}
