// grade SUBMISSIONS_DIR [options]: grades a class, every .cpp file in the
// folder a student's buffer, each compiled and checked on every schedule of
// the assignment in a sandbox of its own (samples/grade/sandbox.hpp).
//
//   grade exercises/class                   the table and its summary
//   grade exercises/class --csv grades.csv --html report
//
// Exit code 0 when every submission was graded, whatever its verdict; 2 for
// bad usage or where no sandbox can be made; 5 when output cannot be written.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "command_line/input.hpp"
#include "drive/driver.hpp"
#include "drive/progress.hpp"
#include "grade/class_report.hpp"
#include "grade/grading.hpp"
#include "grade/sandbox.hpp"
#include "show/columns.hpp"
#include "show/replace_file.hpp"
#include "student_file.hpp"

namespace {

namespace fs = std::filesystem;

const char* const help =
    "Usage: grade SUBMISSIONS_DIR [--assignment FILE] [--jobs N] [--csv FILE] [--html DIR]\n\n"
    "Grades a class: every .cpp file in SUBMISSIONS_DIR is a student's buffer, with the shape "
    "of a lesson (docs/students.md). Each is compiled, then checked as yours checks it, on "
    "every schedule of the assignment's small runs, in a sandbox of its own: no network, no "
    "other file of the machine to write, and limits of time, CPU, memory, processes, file size "
    "and output (docs/grading.md). It prints a row a submission: the student (the file's "
    "name), the verdict, where it failed and its shortest schedule, and the time it took; "
    "then how many of each verdict.\n\n"
    "  --assignment FILE  the configurations and limits (exercises/assignment.conf); "
    "without it, yours' own\n"
    "  --jobs N           submissions graded at once, 1 to 64 (default: the cores)\n"
    "  --csv FILE         the table as csv, a row a submission\n"
    "  --html DIR         a class page, DIR/index.html, linking each failure's page\n\n"
    "Exit code: 0 every submission graded (whatever the verdicts), 2 bad usage or no sandbox, "
    "5 output not written.\n";

struct request {
  std::string folder;
  std::optional<std::string> assignment_file;
  unsigned jobs = std::clamp(std::thread::hardware_concurrency(), 1U, 64U);
  std::string csv;
  std::string html;
};

std::string value_of(const std::vector<std::string>& args, std::size_t& at) {
  if (at + 1 >= args.size()) {
    throw lesson::usage_error(args[at] + ": expected a value");
  }
  return args[++at];
}

unsigned jobs_of(const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 2 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  const unsigned jobs = digits ? static_cast<unsigned>(std::stoul(text)) : 0;
  if (jobs < 1 || jobs > 64) {
    throw lesson::usage_error("--jobs: expected a whole number from 1 to 64, got " +
                              lesson::quote(text));
  }
  return jobs;
}

void check_writable(const char* option, const std::string& path) {
  if (const std::string why = lesson::why_not_writable(path); !why.empty()) {
    throw lesson::usage_error(std::string(option) + ": cannot write " + lesson::quote(path) + ": " +
                              why);
  }
}

request parsed(const std::vector<std::string>& args) {
  request r;
  for (std::size_t at = 0; at < args.size(); ++at) {
    const std::string& arg = args[at];
    if (arg == "--assignment") {
      r.assignment_file = fs::absolute(value_of(args, at)).string();
    } else if (arg == "--jobs") {
      r.jobs = jobs_of(value_of(args, at));
    } else if (arg == "--csv") {
      r.csv = value_of(args, at);
      check_writable("--csv", r.csv);
    } else if (arg == "--html") {
      r.html = value_of(args, at);
    } else if (arg.starts_with("-") || !r.folder.empty()) {
      throw lesson::usage_error("unknown option " + lesson::quote(arg) +
                                "; grade takes SUBMISSIONS_DIR, --assignment, --jobs, --csv and "
                                "--html");
    } else {
      r.folder = arg;
    }
  }
  std::error_code error;
  if (r.folder.empty()) {
    throw lesson::usage_error("SUBMISSIONS_DIR: expected a folder of .cpp files");
  }
  if (!fs::is_directory(r.folder, error)) {
    throw lesson::usage_error("SUBMISSIONS_DIR: " + lesson::quote(r.folder) + " is not a folder");
  }
  return r;
}

// The folder's .cpp files that are regular files, by name.
std::vector<fs::path> submissions_in(const std::string& folder) {
  std::vector<fs::path> found;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    if (entry.is_regular_file(error) && lessons::names_a_file(entry.path().filename().string())) {
      found.push_back(entry.path());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

lessons::grading_setup setup_of(const request& r) {
  lessons::grading_setup setup;
  std::error_code error;
  setup.yours = (fs::read_symlink("/proc/self/exe", error).parent_path() / "yours").string();
  if (!fs::is_regular_file(setup.yours, error)) {
    throw lesson::usage_error("no yours beside grade, at " + lesson::quote(setup.yours));
  }
  setup.tree = CV_LESSONS_SOURCE_ROOT;
  setup.cache = lessons::cache_folder();
  // Made once here, before any submission, and read by every sandbox.
  setup.prelude = lessons::student_prelude();
  setup.assignment_file = r.assignment_file;
  if (r.assignment_file) {
    setup.task = lessons::read_assignment(*r.assignment_file);
  }
  if (!r.html.empty()) {
    fs::create_directories(r.html, error);
    check_writable("--html", (fs::path(r.html) / "index.html").string());
    setup.pages = fs::absolute(r.html).string();
  }
  return setup;
}

// Grades them all, `jobs` at once, showing progress on a terminal.
std::vector<lessons::graded> graded_all(const std::vector<fs::path>& files,
                                        const lessons::grading_setup& setup, unsigned jobs) {
  std::vector<lessons::graded> rows(files.size());
  std::atomic<std::size_t> next{0};
  std::mutex shown_lock;
  std::size_t done = 0;
  lesson::progress shown;
  const auto job = [&](unsigned slot) {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      rows[i] = lessons::grade_submission(files[i].string(), i, setup, slot);
      const std::scoped_lock hold(shown_lock);
      shown.show("grade: " + std::to_string(++done) + " of " + std::to_string(files.size()) +
                 " graded, the latest " + rows[i].student);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned slot = 0; slot < std::min<std::size_t>(jobs, files.size()); ++slot) {
    lessons::sandbox_user(slot);  // claimed here, where a failure is grade's error line
    threads.emplace_back(job, slot);
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  shown.clear();
  return rows;
}

void write_reports(const request& r, const std::vector<lessons::graded>& rows) {
  if (!r.csv.empty()) {
    std::ostringstream csv;
    lessons::write_csv(rows, csv);
    lesson::replace_file(r.csv, csv.str(), "--csv");
  }
  if (!r.html.empty()) {
    std::ostringstream html;
    lessons::write_class_page(rows, "Grades: " + fs::path(r.folder).filename().string(), html);
    lesson::replace_file((fs::path(r.html) / "index.html").string(), html.str(), "--html");
  }
}

int grade(int argc, char* argv[]) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && args.front() == "--help") {
    std::cout << lesson::wrapped(help, lesson::output_width(), 0);
    return 0;
  }
  if (args.size() == 1 && args.front() == "--version") {
    std::cout << lesson::version_text("grade");
    return 0;
  }
  const request r = parsed(args);
  const lessons::grading_setup setup = setup_of(r);
  if (const std::string why = lessons::why_no_sandbox(); !why.empty()) {
    throw lesson::usage_error(why);
  }
  const std::vector<fs::path> files = submissions_in(r.folder);
  const std::vector<lessons::graded> rows = graded_all(files, setup, r.jobs);
  if (files.empty()) {
    std::cout << "grade: no .cpp files in " << lesson::quote(r.folder) << '\n';
  } else {
    lessons::print_table(rows, lesson::output_width(), std::cout);
  }
  write_reports(r, rows);
  return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  return lesson::tool_main("grade", grade, argc, argv);
}
