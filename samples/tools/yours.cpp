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
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "command_line/input.hpp"
#include "drive/driver.hpp"
#include "engine/signals.hpp"
#include "engine/worker.hpp"
#include "no_file_changes.hpp"
#include "show/columns.hpp"
#include "student_file.hpp"
#include "verdict.hpp"

namespace {

namespace fs = std::filesystem;

// The options of the verdict, which no lesson takes: `yours FILE` with any
// other option runs FILE as a lesson.
struct verdict_request {
  bool asked = true;
  bool compile_only = false;  // --compile: compile and check the file, run nothing
  bool record = false;        // --record: as grade checks it, the verdict as a line at the end
  lessons::assignment task{};
};

verdict_request verdict_asked(const std::vector<std::string>& args) {
  verdict_request request;
  for (std::size_t at = 1; at < args.size() && request.asked; ++at) {
    if (args[at] == "--compile" && args.size() == 2) {
      request.compile_only = true;
    } else if (args[at] == "--record") {
      request.record = true;
    } else if (args[at] == "--assignment" && at + 1 < args.size()) {
      request.task = lessons::read_assignment(args[++at]);
    } else {
      request.asked = false;
    }
  }
  return request;
}

// The whole check, at most: a step that never returns ends it here.
double most_seconds(const lessons::assignment& task) {
  return static_cast<double>(task.configurations.size() + 1) * task.search_seconds + 60;
}

int verdict(const lesson::definition& mine, const verdict_request& request) {
  lesson::touch_boost_thread();
  lesson::stop_runs_on_signals();
  const lessons::verdict found = lessons::check_against(mine, request.task, std::cout);
  if (request.record) {
    std::cout << lessons::record_line(found) << '\n';
  }
  return lesson::exit_code(found.result);
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
    "--assignment FILE checks it against a teacher's assignment file instead "
    "(docs/grading.md): its configurations, items and search time.\n\n"
    "With any other option, FILE runs as a lesson does, and every lesson option works: --script, "
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

int checked(const std::vector<std::string>& args, const verdict_request& request, int argc,
            char* argv[]) {
  if (request.compile_only) {
    lessons::compile_student_file(args.front());
    return 0;
  }
  if (request.record) {
    // As grade checks it: the file's code changes no file (no_file_changes.hpp).
    lessons::forbid_file_changes();
  }
  const lesson::definition& mine = lessons::load_student_file(args.front());
  if (!request.asked) {
    return lesson::main(argc - 1, argv + 1, mine);
  }
  return verdict(mine, request);
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
  const verdict_request request = verdict_asked(args);
  if (request.compile_only) {
    return checked(args, request, argc, argv);
  }
  std::cout.flush();
  checker = fork();
  if (checker != 0) {
    return checker < 0 ? checked(args, request, argc, argv)
                       : waited(fs::path(args.front()).stem().string(),
                                request.asked ? most_seconds(request.task) : 0);
  }
  for (const int crash : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) {
    std::signal(crash, say_crash);
  }
  return checked(args, request, argc, argv);
}

}  // namespace

int main(int argc, char* argv[]) {
  return lesson::tool_main("yours", yours, argc, argv);
}
