// The --html page in a real browser: lesson 02's underflow script written as a
// page, opened in headless Chromium through Selenium (browser/check_page.py),
// stepped with "next" to the violation, and checked against the run's own
// jsonl trace; its screenshot must not be blank. Lesson 02's executable is
// given after `--`. CTest label `browser`.
#define BOOST_TEST_MODULE browser
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

BOOST_AUTO_TEST_CASE(the_page_of_02s_underflow_shows_at_the_violation_what_the_trace_says,
                     *boost::unit_test::timeout(180)) {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_TEST_REQUIRE(suite.argc > 1, "pass the path of 02_if_wait_bug after --");
  const fs::path lesson = fs::absolute(suite.argv[suite.argc - 1]);
  const fs::path checker =
      fs::absolute(fs::path(__FILE__).parent_path() / "browser" / "check_page.py");
  const fs::path folder =
      fs::temp_directory_path() / ("cv_lessons_browser_test." + std::to_string(::getpid()));
  fs::create_directories(folder);
  const fs::path page = folder / "02_underflow.html";
  const fs::path trace = folder / "trace.jsonl";
  const fs::path said = folder / "said.txt";

  std::string run = "timeout 20 '";
  run += lesson.string();
  run += "' --producers 1 --consumers 2 --capacity 1 --items 2 --producer-delay 0";
  run += " --script C1,P1,C2,C1 --html '" + page.string() + "' --trace jsonl >'";
  run += trace.string() + "' 2>/dev/null";
  const int ran = std::system(run.c_str());
  BOOST_TEST_REQUIRE(WIFEXITED(ran));
  BOOST_TEST_REQUIRE(WEXITSTATUS(ran) == 1);  // the violation

  // Debian's python3, which has python3-selenium, whatever python3 comes first on PATH.
  std::string check = "timeout 150 /usr/bin/python3 '";
  check += checker.string() + "' '" + page.string() + "' '" + trace.string() + "' '";
  check += (folder / "screenshot.png").string() + "' >'" + said.string() + "' 2>&1";
  const int checked = std::system(check.c_str());
  std::stringstream words;
  words << std::ifstream(said).rdbuf();
  BOOST_TEST_MESSAGE(words.str());
  BOOST_TEST((WIFEXITED(checked) && WEXITSTATUS(checked) == 0), words.str());
  fs::remove_all(folder);
}
