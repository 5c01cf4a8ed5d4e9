// grade: a class graded in sandboxes. The sample class in exercises/class
// against its golden table, with its hostile submissions contained and its
// page checked in headless Chromium (browser/check_page.py --class); the
// limits, each met by a submission written to meet it; odd file names; a
// folder of forty; an empty folder; bad usage. The arguments, after `--`: the tree's folder and
// the grade program (yours beside it).
#define BOOST_TEST_MODULE grade
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

// A scratch folder of this test's own, its compiled files cached in it.
const fs::path& scratch() {
  static const fs::path folder = [] {
    const fs::path made = fs::temp_directory_path() / ("grade test " + std::to_string(getpid()));
    fs::remove_all(made);
    fs::create_directories(made / "cache");
    fs::permissions(made, fs::perms::all);
    return made;
  }();
  return folder;
}

// grade run with `args`, and `environment` ("NAME=value ...") before it.
finished_run grade(const std::vector<std::string>& args, const std::string& environment = "") {
  std::string command(environment + " COLUMNS=120 CV_LESSONS_CACHE=");
  command += quoted((scratch() / "cache").string());
  command += " timeout 900 ";
  command += quoted(argument("grade"));
  for (const std::string& arg : args) {
    command += ' ';
    command += quoted(arg);
  }
  return lesson_test::run_command(command);
}

// The table with each row's time, which varies, made "~".
std::string without_times(const std::string& table) {
  return std::regex_replace(table, std::regex(" +[0-9]+\\.[0-9] s\n"), " ~\n");
}

// A student's file whose steps are lesson 06's, with `before` run first in
// the producer's step: what a hostile or careless submission does.
std::string submission(const std::string& includes, const std::string& before) {
  return includes + R"(
#include "lesson.hpp"
#include "lessons.hpp"
namespace {
struct steps {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    )" + before +
         R"(
    while (s.items.full()) {
      s.not_full.wait(lock);
    }
    s.items.put();
    s.not_empty.notify_one();
  }
  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.not_empty.wait(lock);
    }
    s.items.take();
    s.not_full.notify_one();
  }
};
}  // namespace
const lessons::registration registered(lesson::define<steps>({.name = "x"}));
)";
}

// Names of processes still running whose command line holds `part`.
std::string still_running(const std::string& part) {
  std::string found;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc")) {
    const std::string line = read(entry.path() / "cmdline");
    if (line.find(part) != std::string::npos &&
        entry.path().filename() != std::to_string(getpid())) {
      found += entry.path().filename().string() + " ";
    }
  }
  return found;
}

// "s7.cpp". Appended, not "s" + std::to_string(i): g++ 12's false -Wrestrict at -O3.
std::string submission_name(int i) {
  std::string name(1, 's');
  name += std::to_string(i);
  name += ".cpp";
  return name;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_sample_class_gets_its_golden_table_and_its_hostile_files_are_contained,
                     *boost::unit_test::timeout(900)) {
  const fs::path tree = argument("");
  const std::string header_before = read(tree / "common/lesson.hpp");
  const fs::path html = scratch() / "class page";
  const finished_run graded =
      grade({(tree / "exercises/class").string(), "--assignment",
             (tree / "exercises/assignment.conf").string(), "--jobs", "2", "--csv",
             (scratch() / "class.csv").string(), "--html", html.string()});
  BOOST_TEST(graded.status == 0, graded.err);
  BOOST_TEST(graded.err.empty(), graded.err);
  const std::string golden = read(tree / "exercises/class/expected.txt");
  const std::string table = without_times(graded.out);
  BOOST_TEST(table.substr(table.find("student")) == golden);
  // The hostile ones: nothing they tried to write or delete changed, and
  // nothing of them is left running.
  BOOST_TEST(!fs::exists("/etc/cv-lessons-hostile"));
  BOOST_TEST(!fs::exists(tree / "common/cv-lessons-hostile"));
  BOOST_TEST(!fs::exists(scratch() / "cache/cv-lessons-hostile"));
  BOOST_TEST(read(tree / "common/lesson.hpp") == header_before);
  BOOST_TEST(still_running("lou_endless_loop").empty());
  BOOST_TEST(still_running("max_writes_outside").empty());
  // The csv: a row a submission; the page links every failure's page.
  const std::string csv = read(scratch() / "class.csv");
  BOOST_TEST(std::count(csv.begin(), csv.end(), '\n') == 14);
  // The file changes are refused as the first is tried, and the row says which.
  BOOST_TEST(csv.find("max_writes_outside.cpp,refused: tried to change files,refused,,,") !=
             std::string::npos);
  BOOST_TEST(csv.find("P1's step tried to change files (openat /etc/cv-lessons-hostile)") !=
             std::string::npos);
  BOOST_TEST(
      csv.starts_with("student,verdict,kind,configuration,schedule,seconds,detail,replay,page\n"));
  const std::string page = read(html / "index.html");
  const std::regex link("href=\"(pages/[^\"]+)\"");
  int links = 0;
  for (std::sregex_iterator at(page.begin(), page.end(), link), end; at != end; ++at, ++links) {
    BOOST_TEST(fs::is_regular_file(html / (*at)[1].str()), (*at)[1].str());
  }
  BOOST_TEST(links == 6);
  // In a browser: a row each, sorted by a click, each failure's page opens.
  const std::string check = "timeout 150 /usr/bin/python3 " +
                            quoted((tree / "test/browser/check_page.py").string()) + " --class " +
                            quoted((html / "index.html").string()) + " 13 " +
                            quoted((scratch() / "class page.png").string());
  const finished_run browsed = lesson_test::run_command(check);
  BOOST_TEST(browsed.status == 0, browsed.out << browsed.err);
}

BOOST_AUTO_TEST_CASE(each_limit_and_verdict_gets_its_own_row_and_odd_names_are_graded,
                     *boost::unit_test::timeout(600)) {
  const fs::path folder = scratch() / "limits";
  fs::create_directories(folder / "a folder.cpp");
  std::ofstream(folder / "notes.txt") << "not a submission\n";
  std::ofstream(folder / "it's spaced out.cpp") << submission("", "");
  std::ofstream(folder / "-dash.cpp") << submission("", "");
  std::ofstream(folder / "allocates.cpp")
      << submission("#include <vector>\n",
                    "std::vector<char*> kept; for (;;) { kept.push_back(new char[1 << "
                    "20]); kept.back()[0] = 1; }");
  std::ofstream(folder / "prints.cpp")
      << submission("#include <sys/syscall.h>\n#include <unistd.h>\n",
                    "for (;;) { syscall(SYS_write, 1, \"spam\\n\", 5); }");
  // A file of 64 MiB in no folder (memfd), so that the file-size limit, not
  // the refusal of file changes, stops it.
  std::ofstream(folder / "big_file.cpp")
      << submission("#include <sys/mman.h>\n#include <unistd.h>\n",
                    "const int fd = memfd_create(\"big\", 0); (void)!ftruncate(fd, 64 << 20);");
  std::ofstream(folder / "writes_its_folder.cpp")
      << submission("#include <fstream>\n", "std::ofstream(\"log.txt\") << \"produced\\n\";");
  std::ofstream(folder / "deletes.cpp")
      << submission("#include <unistd.h>\n", "(void)unlink(\"/etc/hostname\");");
  std::ofstream(folder / "io_uring.cpp")
      << submission("#include <sys/syscall.h>\n#include <unistd.h>\n",
                    "(void)syscall(SYS_io_uring_setup, 1, nullptr);");
  std::ofstream(folder / "exits.cpp") << submission("#include <cstdlib>\n", "std::exit(0);");
  std::ofstream(folder / "forks.cpp")
      << submission("#include <unistd.h>\n", "for (;;) { (void)fork(); }");
  std::ofstream(folder / "crashes.cpp")
      << submission("", "*static_cast<volatile int*>(nullptr) = 1;");
  std::ofstream(folder / "sleeps.cpp")
      << submission("", "boost::this_thread::sleep_for(boost::chrono::milliseconds(1));");
  fs::copy_file(fs::path(argument("")) / "samples/10_close.cpp", folder / "closes.cpp");
  std::ofstream(folder / "limits.conf") << "time-limit = 20\nmemory-limit = 512\n";
  const finished_run graded =
      grade({folder.string(), "--assignment", (folder / "limits.conf").string(), "--csv",
             (scratch() / "limits.csv").string()});
  BOOST_TEST(graded.status == 0, graded.err);
  const std::string csv = read(scratch() / "limits.csv");
  BOOST_TEST_MESSAGE(csv);
  for (const char* row :
       {"-dash.cpp,correct,", "allocates.cpp,memory", "big_file.cpp,file-size limit,",
        "exits.cpp,no verdict,", "forks.cpp,time limit,", "it's spaced out.cpp,correct,",
        "prints.cpp,output limit,", "crashes.cpp,crash,", "sleeps.cpp,refused: a step sleeps,",
        "writes_its_folder.cpp,refused: tried to change files,refused,,,",
        "P1's step tried to change files (openat log.txt)",
        "deletes.cpp,refused: tried to change files,refused,,,", "/etc/hostname)",
        "io_uring.cpp,refused: tried to change files,refused,,,",
        "P1's step tried to change files (io_uring_setup)",
        "closes.cpp,not the assignment: a close step,"}) {
    BOOST_TEST(csv.find(row) != std::string::npos, row);
  }
  BOOST_TEST(csv.find("notes.txt") == std::string::npos);
  BOOST_TEST(csv.find("a folder.cpp") == std::string::npos);
  BOOST_TEST(still_running("forks.cpp").empty());
}

// The CPU limit, in a folder of its own: a step that spins uses its 10 s of
// CPU long before the 60-s time limit, however busy the machine (its compile
// takes 4 to 7 s of CPU, each of the compiler's processes counted alone).
BOOST_AUTO_TEST_CASE(a_spinning_step_meets_the_cpu_limit, *boost::unit_test::timeout(300)) {
  const fs::path folder = scratch() / "cpu";
  fs::create_directories(folder);
  std::ofstream(folder / "spins.cpp")
      << submission("", "for (volatile unsigned long n = 0;; n = n + 1) {}");
  std::ofstream(folder / "cpu.conf") << "cpu-limit = 10\ntime-limit = 60\n";
  const finished_run graded =
      grade({folder.string(), "--assignment", (folder / "cpu.conf").string(), "--csv",
             (scratch() / "cpu.csv").string()});
  BOOST_TEST(graded.status == 0, graded.err);
  const std::string csv = read(scratch() / "cpu.csv");
  BOOST_TEST(csv.find("spins.cpp,CPU limit,limit,") != std::string::npos, csv);
  BOOST_TEST(still_running("spins.cpp").empty());
}

// Forty submissions, each row its own: 36 that stop the compiler at their
// first line with their own number (quick to grade), and two correct and two
// wrong, which the first job may still be checking when the last is graded.
BOOST_AUTO_TEST_CASE(a_folder_of_forty_keeps_each_row_its_own, *boost::unit_test::timeout(600)) {
  const fs::path tree = argument("");
  const fs::path folder = scratch() / "forty";
  fs::create_directories(folder);
  for (int i = 1; i <= 36; ++i) {
    std::ofstream(folder / submission_name(i)) << "#error student " << i << "\n";
  }
  for (const char* copied : {"ada_two_conditions.cpp", "eve_if_wait.cpp"}) {
    for (const char* prefix : {"a_", "z_"}) {
      fs::copy_file(tree / "exercises/class" / copied, folder / (prefix + std::string(copied)));
    }
  }
  const finished_run graded =
      grade({folder.string(), "--jobs", "3", "--csv", (scratch() / "forty.csv").string()});
  BOOST_TEST(graded.status == 0, graded.err);
  BOOST_TEST(graded.out.find("40 submissions: 2 correct, 36 does not compile, 2 violation") !=
                 std::string::npos,
             graded.out);
  const std::string csv = read(scratch() / "forty.csv");
  // Each row names its own file and number, as the compiler said them:
  // "s7.cpp:1:2: error: #error student 7" (g++), "... error: student 7" (clang).
  for (int i = 1; i <= 36; ++i) {
    const std::string name = submission_name(i);
    const std::size_t at = csv.find("\n" + name + ",does not compile,does not compile,,,");
    BOOST_TEST_REQUIRE(at != std::string::npos, name);
    const std::string row = csv.substr(at + 1, csv.find('\n', at + 1) - at - 1);
    BOOST_TEST(row.find("," + name + ":1:2: error: ") != std::string::npos, row);
    BOOST_TEST(row.find("student " + std::to_string(i) + ",") != std::string::npos, row);
  }
  for (const char* prefix : {"a_", "z_"}) {
    BOOST_TEST(csv.find(prefix + std::string("ada_two_conditions.cpp,correct,")) !=
               std::string::npos);
    BOOST_TEST(csv.find(prefix + std::string("eve_if_wait.cpp,violation: underflow,")) !=
               std::string::npos);
  }
}

// grade precompiles the harness's headers once, before any submission, and
// each sandbox reads that copy: here a planted one, which stops the compile
// that includes it. (With clang nothing is precompiled.)
BOOST_AUTO_TEST_CASE(the_sandboxes_read_the_precompiled_headers, *boost::unit_test::timeout(300)) {
#if defined(__GNUC__) && !defined(__clang__)
  const fs::path folder = scratch() / "prelude";
  fs::create_directories(folder);
  fs::copy_file(fs::path(argument("")) / "exercises/class/ada_two_conditions.cpp",
                folder / "ada.cpp");
  const fs::path planted = lesson_test::planted_prelude(scratch() / "planted prelude");
  const finished_run graded =
      grade({folder.string(), "--csv", (scratch() / "prelude.csv").string()},
            "CV_LESSONS_PRELUDE=" + quoted(planted.string()));
  BOOST_TEST(graded.status == 0, graded.err);
  const std::string csv = read(scratch() / "prelude.csv");
  BOOST_TEST(csv.find("ada.cpp,does not compile,") != std::string::npos, csv);
  BOOST_TEST(csv.find("the prelude was included") != std::string::npos, csv);
#else
  BOOST_TEST(true);
#endif
}

BOOST_AUTO_TEST_CASE(an_empty_folder_and_bad_usage, *boost::unit_test::timeout(120)) {
  fs::create_directories(scratch() / "empty");
  const finished_run empty = grade({(scratch() / "empty").string()});
  BOOST_TEST(empty.status == 0, empty.err);
  BOOST_TEST(empty.out.find("grade: no .cpp files in") == 0, empty.out);

  std::ofstream(scratch() / "bad.conf") << "# a comment\nitems = many\n";
  const std::vector<std::pair<std::vector<std::string>, std::string>> bad{
      {{}, "grade: SUBMISSIONS_DIR: expected a folder of .cpp files"},
      {{"/nonexistent"}, "grade: SUBMISSIONS_DIR: '/nonexistent' is not a folder"},
      {{scratch().string(), "--jobs", "0"},
       "grade: --jobs: expected a whole number from 1 to 64, got '0'"},
      {{scratch().string(), "--assignment", (scratch() / "bad.conf").string()},
       "bad.conf:2: --items: expected a whole number from 1 to 16, got 'many'"},
      {{scratch().string(), "--colour"}, "grade: unknown option '--colour'"},
  };
  for (const auto& [args, message] : bad) {
    const finished_run run = grade(args);
    BOOST_TEST(run.status == 2, message);
    BOOST_TEST(run.err.find(message) != std::string::npos, run.err);
    BOOST_TEST(std::count(run.err.begin(), run.err.end(), '\n') == 1, run.err);
  }
}
