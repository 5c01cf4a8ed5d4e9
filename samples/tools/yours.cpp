// yours FILE [options]: checks a student's own buffer, one .cpp file
// anywhere with the shape of a lesson (docs/students.md).
//
//   yours /tmp/me/buffer.cpp                      the verdict: a default run, then
//                                                 every schedule of five small runs
//   yours /tmp/me/buffer.cpp --script P1,C1,C2    any lesson option: run as a lesson
//
// The verdict is "correct on every schedule explored" with the counts, or
// the first failure found: its kind, its shortest schedule, its replay:
// line, and the commands that step through it and draw it. The exit code is
// explore's: 0 correct, 1 a violation, 3 a deadlock (the worse of the two),
// 2 a compile error or bad usage.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/format.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "command_line/options.hpp"
#include "drive/driver.hpp"
#include "drive/explore.hpp"
#include "drive/progress.hpp"
#include "engine/signals.hpp"
#include "engine/worker.hpp"
#include "show/assemble.hpp"
#include "show/columns.hpp"
#include "show/replay.hpp"
#include "student_file.hpp"

namespace {

namespace fs = std::filesystem;

// The assignment's configurations: the smallest runs where each classic bug
// shows (docs/students.md says which shows where), each explored to the end.
struct configuration {
  unsigned producers;
  unsigned consumers;
  std::size_t capacity;
  unsigned spurious;
};
constexpr configuration assignment[] = {
    {1, 2, 1, 0}, {2, 1, 1, 0}, {2, 2, 1, 0}, {2, 2, 2, 0}, {1, 2, 1, 1},
};
constexpr std::uint64_t items_each = 2;
constexpr double seconds_each = 60;
// The whole check, at most: a step that never returns ends it here.
constexpr double most_seconds = 6 * seconds_each + 60;

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string described(const lesson::settings& s, unsigned spurious) {
  return plural(s.producers, "producer", "producers") + " and " +
         plural(s.consumers, "consumer", "consumers") + ", capacity " + std::to_string(s.capacity) +
         ", " + std::to_string(s.items) + " items each" +
         (spurious > 0 ? ", " + plural(spurious, "spurious wakeup", "spurious wakeups") : "");
}

// The commands after a failure: its replay, a page of it, and --play.
void print_commands(const lesson::definition& mine, const lesson::exploration& found,
                    const lesson::explored_outcome& failure, std::ostream& out) {
  const std::string script = lesson::schedule_text(failure.shortest, found.config.producers);
  const std::string replay = lesson::replay_line(mine, found.config, script);
  const std::string command = replay.substr(replay.find(' ') + 1);
  const std::string goal = failure.result == lesson::outcome::violation ? "violation" : "deadlock";
  out << replay << '\n'
      << "as a page: " << command << " --html " << mine.name << "-" << goal << ".html\n"
      << "be the scheduler: " << command.substr(0, command.find(" --producer-delay"))
      << " --play --goal " << goal << '\n';
}

// The failure's report, as the lesson's run of its shortest schedule gives
// it: what happened, where, and why.
void print_report(const lesson::definition& mine, const lesson::exploration& found,
                  const lesson::explored_outcome& failure, std::ostream& out) {
  lesson::settings replayed = found.config;
  std::istringstream decisions(lesson::schedule_text(failure.shortest, found.config.producers));
  for (std::string decision; std::getline(decisions, decision, ',');) {
    replayed.script.push_back(decision);
  }
  replayed.columns = lesson::output_width();
  const lesson::run_result run = lesson::run_unshown(mine, replayed);
  if (run.result != lesson::outcome::ok && !run.report.empty()) {
    out << lesson::wrapped(run.report, lesson::output_width(), 2) << '\n';
  }
}

// One configuration explored: a line, and on a failure its details. The outcome.
lesson::outcome check_one(const lesson::definition& mine, const configuration& c,
                          std::ostream& out) {
  lesson::settings s = lesson::small_settings(mine);
  s.producers = c.producers;
  s.consumers = c.consumers;
  s.capacity = c.capacity;
  s.items = items_each;
  lesson::explore_limits limits;
  limits.spurious = c.spurious;
  limits.seconds = seconds_each;
  lesson::progress shown;
  const lesson::exploration found =
      lesson::explore(mine, s, limits, [&](const lesson::exploration& so_far) {
        shown.show("yours: " + lesson::count_text(so_far.runs) + " runs of " +
                   described(s, c.spurious));
      });
  shown.clear();
  const std::string where = described(found.config, c.spurious);
  // The worst kind of failure; of those, the one with the shortest schedule
  // (the same whichever search came to it first).
  const auto failure = std::min_element(
      found.outcomes.begin(), found.outcomes.end(),
      [&](const lesson::explored_outcome& a, const lesson::explored_outcome& b) {
        const auto rank = [&](const lesson::explored_outcome& o) {
          return std::make_tuple(o.result != found.worst(), o.shortest.size(), o.label);
        };
        return rank(a) < rank(b);
      });
  if (found.worst() == lesson::outcome::ok) {
    out << "  " << where << ": "
        << (found.complete ? "correct on every schedule (" + lesson::count_text(found.schedules()) +
                                 " schedules, " + lesson::count_text(found.states) + " states)"
                           : "no failure in the " + lesson::count_text(found.runs) +
                                 " runs made before " + found.cut_by + " cut the search")
        << '\n';
    return lesson::outcome::ok;
  }
  const bool cycle = found.endless && failure->runs == 0;
  out << "  " << where << ": " << failure->label
      << (cycle ? ", on schedules that never end"
                : ", on " + lesson::count_text(failure->schedules) + " of " +
                      lesson::count_text(found.schedules()) + " schedules")
      << "\n\n"
      << lesson::wrapped_between_decisions(
             mine.name + std::string(" is wrong: ") + failure->label +
                 (cycle ? ". The schedule into the cycle and once round it, "
                        : ". Its shortest schedule, ") +
                 plural(failure->shortest.size(), "decision", "decisions") + ": " +
                 lesson::schedule_text(failure->shortest, found.config.producers),
             lesson::output_width(), 4)
      << '\n';
  print_report(mine, found, *failure, out);
  print_commands(mine, found, *failure, out);
  return found.worst();
}

int verdict(const lesson::definition& mine, std::ostream& out) {
  lesson::touch_boost_thread();
  lesson::stop_runs_on_signals();
  const lesson::run_result first = lesson::run_unshown(mine, mine.defaults);
  out << "yours: " << mine.source_file << "\n  a default run (" << described(mine.defaults, 0)
      << "): "
      << (first.result == lesson::outcome::ok ? "ok"
                                              : lesson::outcome_label(first.result, first.kind))
      << '\n';
  lesson::schedule_count schedules = 0;
  for (const configuration& c : assignment) {
    const lesson::outcome found = check_one(mine, c, out);
    if (found != lesson::outcome::ok) {
      return lesson::exit_code(found);
    }
  }
  if (first.result != lesson::outcome::ok) {
    out << '\n' << first.report << '\n';
    return lesson::exit_code(first.result);
  }
  out << '\n' << mine.name << " is correct on every schedule explored.\n";
  return 0;
}

const char* const help =
    "Usage: yours FILE [options]\n\n"
    "Checks your own buffer: FILE is one .cpp file, anywhere, with the shape of a lesson "
    "(docs/students.md; a copy of any lesson in samples/ is one). It is compiled with the "
    "suite's compiler (a second check of the same file compiles nothing), then, with no "
    "options, run once with its defaults and explored on every schedule of five small runs "
    "(1 producer and 2 consumers, 2 and 1, 2 and 2, each with one slot and 2 items each; 2 "
    "and 2 with two slots; 1 and 2 with a spurious wakeup). It says either that it is correct "
    "on every schedule explored, or the first failure: its kind, its shortest schedule and the "
    "commands that replay it, draw it as a page and let you be the scheduler.\n\n"
    "With options, FILE runs as a lesson does, and every lesson option works: --script, "
    "--trace, --repeat, --play, --html, --svg (see build/bin/01_cookbook --help). explore "
    "FILE and compare FILE 06 take it too.\n\n"
    "Exit code: 0 correct, 1 a violation, 3 a deadlock (the worse of the two when both), 2 "
    "a compile error or bad usage.\n";

// The child process that checks the file, seen from its parent: a crash,
// or a step that never returns (a loop that comes to nothing the harness
// sees), ends the child, not the check, and the parent says what happened.
pid_t checker = 0;

void forward_termination(int signal) {
  if (checker > 0) {
    kill(checker, signal);
  }
}

// In the child: a crash names the thread and the lesson's line it was at
// last, then ends the child as the signal would. Only async-signal-safe calls.
void say_crash(int signal) {
  const char* what = signal == SIGSEGV  ? "a bad pointer (SIGSEGV)"
                     : signal == SIGBUS ? "a bad address (SIGBUS)"
                     : signal == SIGFPE ? "an arithmetic error (SIGFPE)"
                     : signal == SIGILL ? "an illegal instruction (SIGILL)"
                                        : "an abort (SIGABRT)";
  char line[512];
  int length = 0;
  if (const lesson::worker* me = lesson::worker::on_this_thread(); me != nullptr) {
    length = std::snprintf(line, sizeof line,
                           "yours: %s%u's step crashed the program: %s, after line %u of %s\n",
                           me->role == lesson::role::producer ? "P" : "C", me->index + 1, what,
                           static_cast<unsigned>(me->site.line()), me->site.file_name());
  } else {
    length = std::snprintf(line, sizeof line, "yours: the program crashed: %s\n", what);
  }
  (void)!write(STDERR_FILENO, line, static_cast<std::size_t>(std::max(length, 0)));
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

// In the parent: waits for the child, at most `seconds` (0: no limit). The
// child's exit code; 1 for a crash, 3 for a check that did not end.
int waited(const std::string& file, double seconds) {
  std::signal(SIGINT, SIG_IGN);  // the child stops its runs and says so
  std::signal(SIGTERM, forward_termination);
  const auto began = std::chrono::steady_clock::now();
  int status = 0;
  while (waitpid(checker, &status, WNOHANG) == 0) {
    const std::chrono::duration<double> spent = std::chrono::steady_clock::now() - began;
    if (seconds > 0 && spent.count() > seconds) {
      kill(checker, SIGKILL);
      waitpid(checker, &status, 0);
      std::cout << "\n"
                << file << " is wrong: the check did not end in " << seconds
                << " s: a step that never returns (a loop that waits for nothing the harness "
                   "sees, such as for (;;) {}).\n";
      return lesson::exit_code(lesson::outcome::deadlock);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  const int signal = WTERMSIG(status);
  if (signal == SIGINT || signal == SIGTERM) {
    return 128 + signal;
  }
  std::cout << "\n" << file << " is wrong: it crashed the program (signal " << signal << ").\n";
  return lesson::exit_code(lesson::outcome::violation);
}

int checked(const std::vector<std::string>& args, int argc, char* argv[]) {
  const lesson::definition& mine = lessons::load_student_file(args.front());
  if (args.size() > 1) {
    return lesson::main(argc - 1, argv + 1, mine);
  }
  return verdict(mine, std::cout);
}

int yours(int argc, char* argv[]) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args.front() == "--help") {
    if (args.empty()) {
      throw lesson::usage_error("usage: yours FILE [options], e.g. yours /tmp/me/buffer.cpp");
    }
    std::cout << lesson::wrapped(help, lesson::output_width(), 0);
    return 0;
  }
  if (args.front() == "--version") {
    std::cout << lesson::version_text("yours");
    return 0;
  }
  if (!lessons::names_a_file(args.front())) {
    throw lesson::usage_error("FILE is a .cpp file, not " + lesson::quote(args.front()));
  }
  const bool plays = std::find(args.begin(), args.end(), "--play") != args.end();
  std::cout.flush();
  checker = fork();
  if (checker != 0) {
    return checker < 0 ? checked(args, argc, argv)
                       : waited(fs::path(args.front()).stem().string(),
                                plays || args.size() > 1 ? 0 : most_seconds);
  }
  for (const int crash : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) {
    std::signal(crash, say_crash);
  }
  return checked(args, argc, argv);
}

}  // namespace

int main(int argc, char* argv[]) {
  return lesson::tool_main("yours", yours, argc, argv);
}
