// yours: a student's own file, anywhere, checked on every schedule
// (docs/students.md). The files are the starter in exercises/, copies of
// lessons, and the designs in test/students/, each copied to a scratch
// folder outside the tree, one with a space in its name. The arguments,
// after `--`: the tree's folder and the yours, explore and compare programs.
#define BOOST_TEST_MODULE yours
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "program_runs.hpp"

namespace fs = std::filesystem;
using lesson_test::argument;
using lesson_test::finished_run;
using lesson_test::quoted;
using lesson_test::read;

namespace {

// A scratch folder of this test's own, outside the tree, with a space in its
// name; its compiled files are cached in it too.
const fs::path& scratch() {
  static const fs::path folder = [] {
    const fs::path made = fs::temp_directory_path() / ("yours test " + std::to_string(getpid()));
    fs::remove_all(made);
    fs::create_directories(made / "cache");
    return made;
  }();
  return folder;
}

// `text` written to the scratch folder as `name`: its path.
fs::path student_file(const std::string& name, const std::string& text) {
  const fs::path file = scratch() / name;
  std::ofstream(file) << text;
  return file;
}

fs::path tree_file(const std::string& relative) {
  return fs::path(argument("")) / relative;
}

finished_run run(const std::string& program, const std::vector<std::string>& args) {
  std::string command("CV_LESSONS_CACHE=");
  command += quoted((scratch() / "cache").string());
  command += " timeout 600 ";
  command += quoted(argument(program));
  for (const std::string& arg : args) {
    command += ' ';
    command += quoted(arg);
  }
  return lesson_test::run_command(command);
}

// The starter with the steps struct of lesson `lesson_file` in place of its own.
std::string starter_filled_with(const std::string& lesson_file) {
  const std::string starter = read(tree_file("exercises/buffer.cpp"));
  const std::string lesson = read(tree_file("samples/" + lesson_file));
  const std::string from = "struct steps {";
  const std::string to = "};\n\n}  // namespace";
  const std::string steps = lesson.substr(lesson.find(from), lesson.find(to) - lesson.find(from));
  return starter.substr(0, starter.find(from)) + steps + starter.substr(starter.find(to));
}

// `text` with each run of spaces and line breaks made one space: a report
// wraps its sentences to the terminal's width.
std::string one_line(const std::string& text) {
  return std::regex_replace(std::regex_replace(text, std::regex("[ \n]+"), " "),
                            std::regex(", (?=[CP][0-9]|wake=|spurious=)"), ",");
}

// explore's count of schedules that end `label` in its output, as printed.
std::string explore_count(const std::string& out, const std::string& label) {
  std::smatch found;
  const std::regex row("\n  " + label + " +([0-9,]+)  \\(");
  return std::regex_search(out, found, row) ? found[1].str() : "none";
}

// explore's shortest schedule for `label`.
std::string explore_shortest(const std::string& out, const std::string& label) {
  std::smatch found;
  const std::string text = one_line(out);
  const std::regex row(label + ": shortest schedule, [0-9]+ decisions?: ([^ ]+)");
  return std::regex_search(text, found, row) ? found[1].str() : "none";
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_starter_compiles_and_is_wrong, *boost::unit_test::timeout(300)) {
  const fs::path file = student_file("starter.cpp", read(tree_file("exercises/buffer.cpp")));
  const finished_run checked = run("yours", {file.string()});
  BOOST_TEST(checked.status == 1, checked.out << checked.err);
  BOOST_TEST(checked.out.find("starter is wrong: violation: underflow") != std::string::npos,
             checked.out);
  BOOST_TEST(checked.out.find("replay: ") != std::string::npos);
}

// The Done-when of the issue: the starter filled with lesson 06's steps is
// correct, with the counts explore gives lesson 06 at each configuration.
BOOST_AUTO_TEST_CASE(the_starter_with_06s_steps_is_correct_with_06s_counts,
                     *boost::unit_test::timeout(300)) {
  const fs::path file = student_file("buffer.cpp", starter_filled_with("06_two_conditions.cpp"));
  const finished_run checked = run("yours", {file.string()});
  BOOST_TEST(checked.status == 0, checked.out << checked.err);
  BOOST_TEST(checked.out.find("buffer is correct on every schedule explored") != std::string::npos,
             checked.out);
  struct configuration {
    std::string producers, consumers, capacity, spurious, described;
  };
  const std::vector<configuration> configurations{
      {"1", "2", "1", "0", "1 producer and 2 consumers, capacity 1, 2 items each: "},
      {"2", "1", "1", "0", "2 producers and 1 consumer, capacity 1, 2 items each: "},
      {"2", "2", "1", "0", "2 producers and 2 consumers, capacity 1, 2 items each: "},
      {"2", "2", "2", "0", "2 producers and 2 consumers, capacity 2, 2 items each: "},
      {"1", "2", "1", "1",
       "1 producer and 2 consumers, capacity 1, 2 items each, 1 spurious wakeup: "}};
  for (const configuration& c : configurations) {
    const finished_run lesson =
        run("explore", {"06", "--producers", c.producers, "--consumers", c.consumers, "--capacity",
                        c.capacity, "--items", "2", "--spurious", c.spurious});
    const std::string expected = c.described + "correct on every schedule (" +
                                 explore_count(lesson.out, "ok") + " schedules";
    BOOST_TEST(checked.out.find(expected) != std::string::npos, expected << "\n" << checked.out);
  }
}

// A copy of a lesson, anywhere, is a student's file: the buggy ones fail as
// explore says they do, with the same shortest schedule.
BOOST_AUTO_TEST_CASE(copies_of_buggy_lessons_fail_as_explore_says,
                     *boost::unit_test::timeout(600)) {
  struct bug {
    std::string file, label;
    int status;
  };
  for (const bug& b :
       std::vector<bug>{{"02_if_wait_bug.cpp", "violation: underflow", 1},
                        {"04_notify_one_deadlock.cpp", "deadlock: lost wakeup", 3},
                        {"11_wait_without_check.cpp", "deadlock: lost wakeup", 3},
                        {"12_unlocked_buffer.cpp", "violation: two threads in the buffer", 1}}) {
    const fs::path file = student_file(b.file, read(tree_file("samples/" + b.file)));
    const finished_run checked = run("yours", {file.string()});
    BOOST_TEST(checked.status == b.status, b.file << "\n" << checked.out << checked.err);
    BOOST_TEST(checked.out.find(" is wrong: " + b.label) != std::string::npos, checked.out);
    const finished_run lesson =
        run("explore", {b.file.substr(0, 2), "--producers", "1", "--consumers", "2", "--capacity",
                        "1", "--items", "2"});
    const std::string shortest = explore_shortest(lesson.out, b.label);
    BOOST_TEST(one_line(checked.out).find("Its shortest schedule") != std::string::npos);
    BOOST_TEST(one_line(checked.out).find(": " + shortest + " ") != std::string::npos,
               b.file << ": " << shortest << "\n"
                      << checked.out);
  }
}

// The state-visibility rule: a bug that lives in a counter of the design's
// own is found, with symmetry and without.
BOOST_AUTO_TEST_CASE(a_bug_in_a_counter_of_its_own_is_found, *boost::unit_test::timeout(300)) {
  const fs::path file = student_file("counted_after_wait.cpp",
                                     read(tree_file("test/students/counted_after_wait.cpp")));
  for (const std::string symmetry : {"yes", "no"}) {
    const finished_run explored = run(
        "explore", {file.string(), "--producers", "1", "--consumers", "2", "--symmetry", symmetry});
    BOOST_TEST(explored.status == 3, explored.out << explored.err);
    BOOST_TEST(explored.out.find("deadlock: lost wakeup") != std::string::npos, explored.out);
  }
  BOOST_TEST(run("yours", {file.string()}).status == 3);
}

BOOST_AUTO_TEST_CASE(fields_of_every_kind_are_correct_and_counted_alike,
                     *boost::unit_test::timeout(300)) {
  const fs::path file =
      student_file("own_fields.cpp", read(tree_file("test/students/own_fields.cpp")));
  const finished_run checked = run("yours", {file.string()});
  BOOST_TEST(checked.status == 0, checked.out << checked.err);
  std::string counts[2];
  for (int i = 0; i < 2; ++i) {
    const finished_run explored = run("explore", {file.string(), "--producers", "2", "--consumers",
                                                  "2", "--symmetry", i == 0 ? "yes" : "no"});
    BOOST_TEST(explored.status == 0, explored.out << explored.err);
    counts[i] = explore_count(explored.out, "ok");
  }
  BOOST_TEST(counts[0] == counts[1]);
  BOOST_TEST(counts[0] != "none");
}

BOOST_AUTO_TEST_CASE(state_explore_cannot_see_is_refused, *boost::unit_test::timeout(300)) {
  const fs::path global =
      student_file("hidden_global.cpp", read(tree_file("test/students/hidden_global.cpp")));
  const finished_run refused = run("yours", {global.string()});
  BOOST_TEST(refused.status == 2);
  BOOST_TEST(refused.err.find("hidden_global.cpp:9: `(anonymous namespace)::waiting`") !=
                 std::string::npos,
             refused.err);
  BOOST_TEST(refused.err.find("lesson::counter") != std::string::npos, refused.err);
  const fs::path field =
      student_file("plain_int_field.cpp", read(tree_file("test/students/plain_int_field.cpp")));
  const finished_run not_compiled = run("yours", {field.string()});
  BOOST_TEST(not_compiled.status == 2);
  BOOST_TEST(
      not_compiled.err.find("must be a lesson::condition, lesson::counter or lesson::flag") !=
          std::string::npos,
      not_compiled.err);
}

BOOST_AUTO_TEST_CASE(a_compile_error_is_shown_with_the_students_line,
                     *boost::unit_test::timeout(300)) {
  const fs::path file =
      student_file("does_not_compile.cpp", read(tree_file("test/students/does_not_compile.cpp")));
  const finished_run checked = run("yours", {file.string()});
  BOOST_TEST(checked.status == 2);
  BOOST_TEST(checked.err.find(file.string() + ":14:") != std::string::npos, checked.err);
  BOOST_TEST(checked.err.find("yours: does_not_compile.cpp does not compile") != std::string::npos,
             checked.err);
}

// The second check of a file compiles nothing: the cache keeps one build of
// it, untouched.
BOOST_AUTO_TEST_CASE(a_second_check_compiles_nothing, *boost::unit_test::timeout(300)) {
  const fs::path file =
      student_file("cached.cpp", read(tree_file("samples/06_two_conditions.cpp")));
  const auto builds = [] {
    std::vector<std::pair<fs::path, fs::file_time_type>> found;
    for (const auto& entry : fs::directory_iterator(scratch() / "cache" / "yours")) {
      found.emplace_back(entry.path(), entry.last_write_time());
    }
    std::sort(found.begin(), found.end());
    return found;
  };
  BOOST_TEST(run("yours", {file.string(), "--trace", "none"}).status == 0);
  const auto first = builds();
  BOOST_TEST(run("yours", {file.string(), "--trace", "none"}).status == 0);
  BOOST_TEST((builds() == first));
  std::ofstream(file, std::ios::app) << "// changed\n";
  BOOST_TEST(run("yours", {file.string(), "--trace", "none"}).status == 0);
  BOOST_TEST(builds().size() == first.size() + 1);
}

// The harness's headers are precompiled once per cache (with GCC), older
// copies removed; each compile includes them first, unless the file does not
// include lesson.hpp.
BOOST_AUTO_TEST_CASE(the_harness_headers_are_precompiled_once, *boost::unit_test::timeout(300)) {
  const fs::path cache = scratch() / "prelude cache";
  fs::create_directories(cache / "prelude" / "stale");
  fs::create_directories(cache / "prelude" / "99.building");
  const std::string steps = starter_filled_with("06_two_conditions.cpp");
  const auto compile = [](const std::string& environment, const fs::path& file) {
    return lesson_test::run_command(environment + " timeout 600 " + quoted(argument("yours")) +
                                    " " + quoted(file.string()) + " --compile");
  };
  const std::string in_cache = "CV_LESSONS_CACHE=" + quoted(cache.string());
  BOOST_TEST(compile(in_cache, student_file("precompiled.cpp", steps)).status == 0);
  std::vector<fs::path> copies;
  for (const auto& entry : fs::directory_iterator(cache / "prelude")) {
    if (entry.is_directory() && fs::exists(entry.path() / "student_prelude.hpp.gch")) {
      copies.push_back(entry.path());
    }
  }
#if defined(__GNUC__) && !defined(__clang__)
  BOOST_TEST(copies.size() == 1u);
  BOOST_TEST(!fs::exists(cache / "prelude" / "stale"));
  BOOST_TEST(!fs::exists(cache / "prelude" / "99.building"));
  const fs::path planted = lesson_test::planted_prelude(scratch() / "planted prelude");
  const std::string with_planted = in_cache + " CV_LESSONS_PRELUDE=" + quoted(planted.string());
  const finished_run included = compile(with_planted, student_file("planted.cpp", steps));
  BOOST_TEST(included.status == 2);
  BOOST_TEST(included.err.find("the prelude was included") != std::string::npos, included.err);
  const fs::path plain = student_file("plain.cpp", "int plain() { return 1; }\n");
  BOOST_TEST(compile(with_planted, plain).status == 0);
#else
  BOOST_TEST(copies.empty());  // clang: no precompiled headers
#endif
}

BOOST_AUTO_TEST_CASE(every_lesson_option_and_compare_take_the_file,
                     *boost::unit_test::timeout(300)) {
  const fs::path file = student_file("buffer.cpp", starter_filled_with("02_if_wait_bug.cpp"));
  const finished_run scripted =
      run("yours", {file.string(), "--producers", "1", "--consumers", "2", "--producer-delay", "0",
                    "--script", "C1,P1,C2,C1", "--trace", "text"});
  BOOST_TEST(scripted.status == 1, scripted.out << scripted.err);
  BOOST_TEST(scripted.out.find("underflow") != std::string::npos);
  BOOST_TEST(scripted.out.find("replay: ") != std::string::npos);
  BOOST_TEST(scripted.out.find(file.filename().string()) != std::string::npos);
  const fs::path page = scratch() / "page.html";
  BOOST_TEST(run("yours", {file.string(), "--producers", "1", "--consumers", "2", "--script",
                           "C1,P1,C2,C1", "--html", page.string()})
                 .status == 1);
  BOOST_TEST(read(page).find("<html") != std::string::npos);
  const fs::path timeline = scratch() / "run.svg";
  BOOST_TEST(run("yours", {file.string(), "--producers", "1", "--consumers", "2", "--script",
                           "C1,P1,C2,C1", "--svg", timeline.string()})
                 .status == 1);
  BOOST_TEST(read(timeline).find("<svg") != std::string::npos);
  const finished_run repeated =
      run("yours", {file.string(), "--repeat", "3", "--items", "50", "--time-scale", "0.01"});
  BOOST_TEST((repeated.status == 0 || repeated.status == 1), repeated.out << repeated.err);
  BOOST_TEST(repeated.out.find("3 runs") != std::string::npos, repeated.out);
  const finished_run side_by_side = run("compare", {"03", file.string()});
  BOOST_TEST(side_by_side.status == 0, side_by_side.out << side_by_side.err);
  BOOST_TEST(side_by_side.out.find("buffer") != std::string::npos, side_by_side.out);
}

BOOST_AUTO_TEST_CASE(bad_usage_is_one_line_and_exit_2, *boost::unit_test::timeout(120)) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{}, {"buffer.txt"}, {"/no/such/buffer.cpp"}}) {
    const finished_run refused = run("yours", args);
    BOOST_TEST(refused.status == 2);
    BOOST_TEST(std::count(refused.err.begin(), refused.err.end(), '\n') == 1, refused.err);
  }
  BOOST_TEST(run("yours", {"--help"}).out.find("Usage: yours FILE") == 0);
}

// What students really write: each ends with a verdict that names it, and
// the line where it is known; none hangs the check.
BOOST_AUTO_TEST_CASE(what_students_really_write_gets_a_verdict, *boost::unit_test::timeout(900)) {
  struct written {
    std::string file;
    int status;
    std::vector<std::string> said;  // each in the output, stdout and stderr together
  };
  const std::vector<written> cases{
      {"busy_wait.cpp", 3, {"livelock: a cycle of states", "never end", "replay: "}},
      {"wait_unlocked.cpp",
       1,
       {"a step threw an exception", "wait() on a lock that is not held", "wait_unlocked.cpp:21"}},
      {"locked_twice.cpp", 1, {"the lock taken again by the thread that holds it"}},
      {"endless_loop.cpp", 3, {"livelock: a step that never ends"}},
      {"throws.cpp", 1, {"a step threw an exception", "std::runtime_error: the buffer is empty"}},
      {"null_pointer.cpp", 1, {"crashed the program", "a bad pointer (SIGSEGV)", "after line 22"}},
      {"sleeps.cpp", 2, {"sleeps.cpp:22: a step sleeps"}},
      {"own_thread.cpp", 2, {"own_thread.cpp:24: a step starts a thread of its own"}},
      {"prints.cpp", 2, {"prints.cpp:25: a step prints"}},
  };
  for (const written& w : cases) {
    const fs::path file = student_file(w.file, read(tree_file("test/students/" + w.file)));
    const finished_run checked = run("yours", {file.string()});
    BOOST_TEST(checked.status == w.status, w.file << "\n" << checked.out << checked.err);
    for (const std::string& words : w.said) {
      BOOST_TEST(one_line(checked.out + checked.err).find(words) != std::string::npos,
                 w.file << ": " << words << "\n"
                        << checked.out << checked.err);
    }
  }
}
