// The --html page in a real browser and the pictures of every lesson.
// Lesson 02's underflow script written as a page, opened in headless
// Chromium through Selenium (browser/check_page.py), stepped with "next" to
// the violation, and checked against the run's own jsonl trace; 04's page of
// its teaching schedule, whose report waits for the last step, whose lanes
// have a legend and whose deciding wakeup is red; and each lesson's --html
// and --svg with no other options, which show the bug a lesson teaches.
// Lesson 02's executable is given after `--`. CTest label `browser`.
#define BOOST_TEST_MODULE browser
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "drive/driver.hpp"
#include "lessons.hpp"

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& file) {
  std::stringstream text;
  text << std::ifstream(file).rdbuf();
  return text.str();
}

// A folder of this test's own, removed at the end.
struct scratch {
  fs::path folder =
      fs::temp_directory_path() / ("cv_lessons_browser_test." + std::to_string(::getpid()));
  scratch() { fs::create_directories(folder); }
  ~scratch() { fs::remove_all(folder); }
};

// What a lesson's main does with these options, in this process: its exit
// code and what it said on stderr; stdout is dropped.
struct ran_main {
  int status;
  std::string said;
};

ran_main run_main(const lesson::definition& lesson, std::vector<std::string> options) {
  options.insert(options.begin(), lesson.name);
  std::vector<char*> argv;
  for (std::string& option : options) {
    argv.push_back(option.data());
  }
  argv.push_back(nullptr);
  std::ostringstream out;
  std::ostringstream err;
  std::streambuf* const old_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* const old_err = std::cerr.rdbuf(err.rdbuf());
  const int status = lesson::main(static_cast<int>(options.size()), argv.data(), lesson);
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  return {status, err.str()};
}

// Runs Debian's python3, which has python3-selenium, whatever python3 comes
// first on PATH, on check_page.py with `arguments`; true when it passed.
bool checked_in_chromium(const std::string& arguments, const fs::path& said) {
  const fs::path checker =
      fs::absolute(fs::path(__FILE__).parent_path() / "browser" / "check_page.py");
  const std::string check = "timeout 150 /usr/bin/python3 '" + checker.string() + "' " + arguments +
                            " >'" + said.string() + "' 2>&1";
  const int checked = std::system(check.c_str());
  BOOST_TEST_MESSAGE(read(said));
  return WIFEXITED(checked) && WEXITSTATUS(checked) == 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_page_of_02s_underflow_shows_at_the_violation_what_the_trace_says,
                     *boost::unit_test::timeout(180)) {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_TEST_REQUIRE(suite.argc > 1, "pass the path of 02_if_wait_bug after --");
  const fs::path lesson = fs::absolute(suite.argv[suite.argc - 1]);
  const scratch here;
  const fs::path page = here.folder / "02_underflow.html";
  const fs::path trace = here.folder / "trace.jsonl";

  std::string run = "timeout 20 '";
  run += lesson.string();
  run += "' --producers 1 --consumers 2 --capacity 1 --items 2 --producer-delay 0";
  run += " --script C1,P1,C2,C1 --html '" + page.string() + "' --trace jsonl >'";
  run += trace.string() + "' 2>/dev/null";
  const int ran = std::system(run.c_str());
  BOOST_TEST_REQUIRE(WIFEXITED(ran));
  BOOST_TEST_REQUIRE(WEXITSTATUS(ran) == 1);  // the violation

  // Built with += : g++ 12 at -O3 warns falsely (-Wrestrict) on "'" + string.
  std::string files = "'";
  files += page.string() + "' '" + trace.string() + "' '";
  files += (here.folder / "screenshot.png").string() + "'";
  BOOST_TEST(checked_in_chromium(files, here.folder / "said.txt"));
}

// 04 with --html alone: the page of its teaching schedule, at 1280x720.
BOOST_AUTO_TEST_CASE(the_page_of_04_keeps_its_report_for_the_last_step_and_draws_its_wakeup_red,
                     *boost::unit_test::timeout(180)) {
  const scratch here;
  const fs::path page = here.folder / "04.html";
  const ran_main ran = run_main(*lessons::find("04"), {"--html", page.string()});
  BOOST_TEST_REQUIRE(ran.status == 3, ran.said);  // the deadlock
  BOOST_TEST(checked_in_chromium(
      "--story '" + page.string() + "' '" + (here.folder / "04.png").string() + "'",
      here.folder / "said.txt"));
}

// A page or a timeline of a lesson that teaches a bug shows it with no other
// option, following the lesson's first bug script that fits, and says so; the
// page of a run that ends well offers no "to the failure".
BOOST_AUTO_TEST_CASE(every_lessons_page_and_timeline_alone_show_the_bug_it_teaches,
                     *boost::unit_test::timeout(300)) {
  const scratch here;
  const fs::path page = here.folder / "run.html";
  const fs::path timeline = here.folder / "run.svg";
  for (const lesson::definition* lesson : lessons::all()) {
    BOOST_TEST_CONTEXT(lesson->name) {
      fs::remove(page);
      fs::remove(timeline);
      std::vector<std::string> options = {"--html", page.string(), "--svg", timeline.string()};
      if (lesson->teaches == lesson::outcome::ok) {
        // Only quicker: pauses never change what an observed run does, and
        // 01's pacing would take a minute. Runs of 30,000 items are cut to
        // 200 (each took a minute under ThreadSanitizer); 01 keeps its 20,
        // since its consumer takes half of them.
        options.insert(options.end(), {"--producer-delay", "0", "--consumer-delay", "0"});
        if (lesson->defaults.items > 200) {
          options.insert(options.end(), {"--items", "200"});
        }
      }
      const ran_main ran = run_main(*lesson, options);
      const std::string html = read(page);
      const std::string svg = read(timeline);
      const lesson::outcome result = lesson->teaches;
      BOOST_TEST(ran.status == lesson::exit_code(result), ran.said);
      BOOST_TEST(html.find(std::string("Result: <b>") + to_string(result) + "</b>") !=
                 std::string::npos);
      BOOST_TEST(svg.find(std::string("result: ") + to_string(result)) != std::string::npos);
      if (result == lesson::outcome::ok) {
        BOOST_TEST(html.find("id=\"failure\"") == std::string::npos);
        BOOST_TEST(ran.said.empty(), ran.said);
        continue;
      }
      BOOST_TEST(html.find("id=\"failure\"") != std::string::npos);
      // The failure itself: the violation's row and line, the deadlock's report.
      const std::string failure =
          result == lesson::outcome::violation ? "class=\"violation\"" : "DEADLOCK: ";
      BOOST_TEST(html.find(failure) != std::string::npos);
      BOOST_TEST(svg.find(failure) != std::string::npos);
      const std::string said = std::string(lesson->name) +
                               ": the page and the timeline show the lesson's teaching schedule, ";
      BOOST_TEST(ran.said.rfind(said, 0) == 0u, ran.said);
      BOOST_TEST(ran.said.ends_with(lesson::bug_script_options(*lesson).front().back() +
                                    " (give --script free for a free run)\n"),
                 ran.said);
    }
  }
}

// Options that rule out every teaching schedule: the run asked for, and why.
BOOST_AUTO_TEST_CASE(a_page_whose_options_rule_out_the_teaching_schedule_says_why,
                     *boost::unit_test::timeout(120)) {
  const scratch here;
  const fs::path page = here.folder / "run.html";
  const ran_main misfit =
      run_main(*lessons::find("04"), {"--items", "5", "--capacity", "3", "--html", page.string()});
  BOOST_TEST(misfit.said ==
             "04_notify_one_deadlock: the page shows the run asked for, which may show no "
             "failure: its teaching schedule (--items 2 --script C1,C2,wake=C1,P1,wake=C2) "
             "needs --capacity 1, not 3\n");
  // 02's first schedule needs two consumers; its second, the overflow, fits one.
  const ran_main second =
      run_main(*lessons::find("02"), {"--consumers", "1", "--html", page.string()});
  BOOST_TEST(second.status == 1, second.said);
  BOOST_TEST(second.said.find("--producers 2 --consumers 1 --capacity 1 --script P1,P2,C1,P1,P2") !=
                 std::string::npos,
             second.said);
  // A script of one's own, `free` too, is followed as given, without a word.
  const ran_main free = run_main(*lessons::find("04"),
                                 {"--items", "50", "--script", "free", "--html", page.string()});
  BOOST_TEST(free.status == 0, free.said);
  BOOST_TEST(free.said.empty(), free.said);
  BOOST_TEST(read(page).find("id=\"failure\"") == std::string::npos);
}
