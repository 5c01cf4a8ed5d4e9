#include "grade/grading.hpp"

#include <unistd.h>

#include <boost/format.hpp>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include "grade/sandbox.hpp"
#include "student_file.hpp"
#include "verdict.hpp"

namespace lessons {

namespace {

namespace fs = std::filesystem;

constexpr const char* work = "/submission/";
constexpr const char* cache_inside = "/cache";
constexpr const char* assignment_inside = "/assignment.conf";
constexpr const char* page_inside = "/page";
constexpr const char* prelude_inside = "/prelude";

// A name a file may have anywhere: the index, then the student's name with
// anything but letters, digits, '.', '-' and '_' made '_'.
std::string slug(const std::string& student, std::size_t index) {
  std::string name = std::to_string(index + 1) + "-";
  for (const char c : fs::path(student).stem().string()) {
    const bool plain = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    name += plain ? c : '_';
  }
  return name;
}

// A folder the sandbox of `slot` writes: owned by its user when grade runs as root.
void give_to_sandbox(const fs::path& folder, unsigned slot) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (getuid() != 0) {
    return;
  }
  const unsigned user = sandbox_user(slot);
  (void)!lchown(folder.c_str(), user, user);
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(folder, error)) {
    (void)!lchown(entry.path().c_str(), user, user);
  }
}

sandbox_limits limits_of(const assignment& task) {
  return {task.time_limit_seconds, task.cpu_limit_seconds,         task.memory_limit_mib << 20,
          task.processes,          task.file_size_limit_mib << 20, task.output_limit_mib << 20};
}

// What every sandbox of a submission sees: the headers, yours, the file.
std::vector<mapped_path> seen(const std::string& path, const std::string& inside,
                              const grading_setup& setup) {
  std::vector<mapped_path> paths{
      {(fs::path(setup.tree) / "common").string(), (fs::path(setup.tree) / "common").string()},
      {(fs::path(setup.tree) / "samples").string(), (fs::path(setup.tree) / "samples").string()},
      {setup.yours, setup.yours},
      {path, inside}};
  if (setup.assignment_file) {
    paths.push_back({*setup.assignment_file, assignment_inside});
  }
  if (!setup.prelude.empty()) {
    paths.push_back({setup.prelude, prelude_inside});
  }
  return paths;
}

// yours in a sandbox: its cache, and the precompiled headers grade made (none: an empty name).
std::vector<std::string> yours_command(const grading_setup& setup, const std::string& inside) {
  const std::string prelude = setup.prelude.empty() ? "" : prelude_inside;
  return {"/usr/bin/env", std::string("CV_LESSONS_CACHE=") + cache_inside,
          "CV_LESSONS_PRELUDE=" + prelude, setup.yours, inside};
}

// `text` as a shell reads it back: quoted when it holds more than plain characters.
std::string shell_quoted(const std::string& text) {
  if (text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                             "._-/+=:,") == std::string::npos) {
    return text;
  }
  std::string quoted = "'";
  for (const char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

// The line of `output` that starts with `start`, without it; empty when none.
std::string line_after(const std::string& output, const std::string& start) {
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (const std::size_t at = line.find(start); at != std::string::npos) {
      return line.substr(at + start.size());
    }
  }
  return "";
}

// The first line of `output` that holds `part`, whole; empty when none.
std::string line_with(const std::string& output, const std::string& part) {
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(part) != std::string::npos) {
      return line;
    }
  }
  return "";
}

// A number of seconds or MiB as a person writes it: 30, 2.5.
std::string number_text(double value) {
  return (boost::format("%g") % value).str();
}

// A sandbox that ended without a verdict: a limit, a crash, or an early exit.
void ended_without_verdict(const contained_run& run, const assignment& task, graded& row) {
  const std::string signal_text = line_after(run.output, "crashed the program (signal ");
  const int signal = run.signal != 0 ? run.signal : std::atoi(signal_text.c_str());
  row.kind = "limit";
  if (run.timed_out) {
    row.verdict = "time limit";
    row.detail = "still running after " + number_text(task.time_limit_seconds) + " s";
  } else if (run.output_cut) {
    row.verdict = "output limit";
    row.detail = "printed more than " + std::to_string(task.output_limit_mib) + " MiB";
  } else if (run.output.find(" tried to change files (") != std::string::npos || signal == SIGSYS) {
    // Stopped at its first try (no_file_changes.hpp): SIGSYS itself when
    // the file kept the signal from its handler.
    row.kind = "refused";
    row.verdict = "refused: tried to change files";
    row.detail = line_after(run.output, "yours: ");
  } else if (run.output.find("bad_alloc") != std::string::npos) {
    row.verdict = "memory limit";
    row.detail = "an allocation failed at " + std::to_string(task.memory_limit_mib) + " MiB";
  } else if (run.output.find("could not start thread") != std::string::npos) {
    row.verdict = "memory or process limit";
    row.detail = line_after(run.output, "yours: ");
  } else if (signal == SIGXCPU) {
    row.verdict = "CPU limit";
  } else if (signal == SIGXFSZ) {
    row.verdict = "file-size limit";
  } else if (signal != 0 || run.exit_code == 1) {
    row.kind = "crash";
    row.verdict = "crash";
    row.detail = line_after(run.output, "yours: ");
  } else {
    row.kind = "no verdict";
    row.verdict = "no verdict";
    std::string said = run.output.substr(0, run.output.find_last_not_of('\n') + 1);
    said = said.substr(said.rfind('\n') + 1);
    row.detail = "the check ended early, exit code " + std::to_string(run.exit_code) +
                 (said.empty() ? "" : ": " + said);
  }
}

// The verdict on a file yours refused, from its words: "sleeps.cpp:22: a
// step sleeps (nanosleep): why" is "refused: a step sleeps".
std::string refusal(const std::string& said) {
  if (said.find("shared state explore cannot see") != std::string::npos) {
    return "refused: shared state outside its fields";
  }
  const std::size_t after_line = said.find(": ");
  const std::string reason = after_line == std::string::npos ? said : said.substr(after_line + 2);
  const std::string what = reason.substr(0, reason.find_first_of("(:"));
  return "refused: " + what.substr(0, what.find_last_not_of(' ') + 1);
}

// Compiles the submission, its cache writable; nothing of it runs. False
// when it does not compile or is refused (the row says which).
bool compiled(const std::string& path, const std::string& inside, const fs::path& cache,
              const grading_setup& setup, unsigned slot, graded& row) {
  give_to_sandbox(cache, slot);
  std::vector<mapped_path> paths = seen(path, inside, setup);
  paths.push_back({cache.string(), cache_inside, true});
  std::vector<std::string> command = yours_command(setup, inside);
  command.emplace_back("--compile");
  const contained_run run = run_contained(command, paths, limits_of(setup.task), slot);
  if (run.exit_code == 0) {
    return true;
  }
  if (run.exit_code == 2 && run.output.find(" does not compile: ") != std::string::npos) {
    row.kind = row.verdict = "does not compile";
    row.detail = line_with(run.output, "error: ");
  } else if (run.exit_code == 2) {
    row.kind = "refused";
    const std::string said = line_after(run.output, "yours: ");
    row.detail = said.substr(0, said.rfind(" (see --help)"));
    row.verdict = refusal(row.detail);
  } else {
    ended_without_verdict(run, setup.task, row);
    row.verdict += " while compiling";
  }
  return false;
}

void checked(const std::string& path, const std::string& inside, const fs::path& cache,
             const grading_setup& setup, unsigned slot, graded& row) {
  std::vector<mapped_path> paths = seen(path, inside, setup);
  paths.push_back({cache.string(), cache_inside, false});
  std::vector<std::string> command = yours_command(setup, inside);
  if (setup.assignment_file) {
    command.insert(command.end(), {"--assignment", assignment_inside});
  }
  command.emplace_back("--record");
  const contained_run run = run_contained(command, paths, limits_of(setup.task), slot);
  const std::optional<verdict> found = read_record(run.output);
  if (!found || run.timed_out || run.output_cut) {
    ended_without_verdict(run, setup.task, row);
    return;
  }
  row.verdict = found->result == lesson::outcome::ok ? "correct" : found->label;
  row.kind = found->result == lesson::outcome::ok             ? "correct"
             : found->label.starts_with("not the assignment") ? "not the assignment"
                                                              : lesson::to_string(found->result);
  row.configuration = found->configuration;
  row.schedule = found->schedule;
  if (!found->replay_options.empty()) {
    row.replay = "build/bin/yours " + shell_quoted(path) + " " + found->replay_options;
  }
}

// The failure's step-through page, made by a run of its schedule.
void paged(const std::string& path, const std::string& inside, const fs::path& cache,
           const grading_setup& setup, unsigned slot, std::size_t index, graded& row) {
  const std::string options = row.replay.substr(row.replay.find(" --producers ") + 1);
  std::istringstream words(options);
  std::vector<std::string> command = yours_command(setup, inside);
  command.insert(command.end(), std::istream_iterator<std::string>(words), {});
  const std::string name = slug(row.student, index);
  command.insert(command.end(),
                 {"--trace", "none", "--html", std::string(page_inside) + "/" + name + ".html"});
  const fs::path folder = fs::path(setup.pages) / "pages" / name;
  give_to_sandbox(folder, slot);
  std::vector<mapped_path> paths = seen(path, inside, setup);
  paths.push_back({cache.string(), cache_inside, false});
  paths.push_back({folder.string(), page_inside, true});
  run_contained(command, paths, limits_of(setup.task), slot);
  std::error_code error;
  if (fs::is_regular_file(folder / (name + ".html"), error)) {
    row.page = "pages/" + name + "/" + name + ".html";
  }
}

}  // namespace

graded grade_submission(const std::string& path, std::size_t index, const grading_setup& setup,
                        unsigned slot) {
  graded row;
  row.student = fs::path(path).filename().string();
  const auto began = std::chrono::steady_clock::now();
  std::ifstream in(path, std::ios::binary);
  const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // A cache folder for this name and content: the compiled file names its
  // source, so two students' identical files are two builds, each its own.
  const fs::path cache =
      fs::path(setup.cache) / "grade" / content_digest(row.student + '\n' + content);
  const std::string inside = work + row.student;
  if (compiled(path, inside, cache, setup, slot, row)) {
    checked(path, inside, cache, setup, slot, row);
    if (!setup.pages.empty() && !row.schedule.empty() && !row.replay.empty()) {
      paged(path, inside, cache, setup, slot, index, row);
    }
  }
  // The sandbox's folder means nothing to the teacher: the file's name is enough.
  for (std::size_t at = row.detail.find(work); at != std::string::npos;
       at = row.detail.find(work)) {
    row.detail.erase(at, std::string(work).size());
  }
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  return row;
}

}  // namespace lessons
