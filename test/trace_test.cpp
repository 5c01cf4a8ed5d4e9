// Scripted runs are deterministic: two runs print the same bytes in every
// trace format, and what they print is kept in test/golden/ as the reference.
// The formats are checked for shape: csv rectangular, every jsonl line JSON,
// the SVG well-formed XML that names every lane.
//
// To accept a change on purpose: CV_LESSONS_UPDATE_GOLDEN=1 ctest -R trace_test
#define BOOST_TEST_MODULE trace
#include <unistd.h>

#include <boost/algorithm/string/split.hpp>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "driver.hpp"
#include "lesson_runs.hpp"

namespace fs = std::filesystem;
using lesson::trace_format;
using lesson_test::named;
using lesson_test::quiet;

namespace {

// The command-line arguments after `--`: the golden folder, then the compare
// and scoreboard executables.
std::string argument(int index) {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_TEST_REQUIRE(suite.argc == 4, "pass: golden-folder compare scoreboard");
  return suite.argv[index];
}

std::string read(const fs::path& path) {
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

// Compares `text` with the golden file, or rewrites the file on request.
void matches_golden(const std::string& name, const std::string& text) {
  const fs::path golden = fs::path(argument(1)) / name;
  if (std::getenv("CV_LESSONS_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden) << text;
    return;
  }
  BOOST_TEST_INFO("golden file " << golden);
  BOOST_TEST(read(golden) == text);
}

// The scripts of the stolen wakeups, carried on to the end of lesson 03's
// run so that they decide all of it: every lock the run takes is scripted.
lesson::settings underflow_script(trace_format format) {
  lesson::settings s = quiet(1, 2, 1, 2);
  s.script = {"C1", "P1", "C2", "C1", "P1", "C1"};
  s.trace = format;
  return s;
}

lesson::settings overflow_script(trace_format format) {
  lesson::settings s = quiet(2, 1, 1, 2);
  s.script = {"P1", "P2", "C1", "P1", "P2", "C1", "P2", "C1", "P2", "C1"};
  s.trace = format;
  return s;
}

// What a lesson prints, trace and report and summary, as its main would.
std::string printed(const lesson::definition& lesson, const lesson::settings& s) {
  std::ostringstream out;
  lesson::run_lesson(lesson, s, out, out);
  return out.str();
}

// Runs a tool with COLUMNS=100 and returns its standard output.
std::string tool_output(const std::string& command) {
  const fs::path out =
      fs::temp_directory_path() / ("cv_lessons_trace_test." + std::to_string(::getpid()));
  const int status = std::system(("COLUMNS=100 " + command + " >" + out.string()).c_str());
  BOOST_TEST_INFO(command);
  BOOST_TEST(WIFEXITED(status));
  const std::string text = read(out);
  fs::remove(out);
  return text;
}

const trace_format golden_formats[] = {trace_format::text, trace_format::table, trace_format::csv};

}  // namespace

BOOST_AUTO_TEST_CASE(scripted_traces_are_the_same_bytes_every_run,
                     *boost::unit_test::timeout(120)) {
  const trace_format all[] = {trace_format::text, trace_format::table, trace_format::csv,
                              trace_format::jsonl, trace_format::cookbook};
  for (const lesson::definition* lesson : {&named("02_if_wait_bug"), &named("03_while_wait_fix")}) {
    for (const trace_format format : all) {
      for (const auto& scenario : {underflow_script(format), overflow_script(format)}) {
        const std::string first = printed(*lesson, scenario);
        for (int again = 0; again < 20; ++again) {
          BOOST_TEST_INFO(lesson->name << " in " << lesson::to_string(format));
          BOOST_TEST_REQUIRE(printed(*lesson, scenario) == first);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(scripted_traces_match_their_golden_files, *boost::unit_test::timeout(60)) {
  for (const lesson::definition* lesson : {&named("02_if_wait_bug"), &named("03_while_wait_fix")}) {
    for (const trace_format format : golden_formats) {
      const std::string suffix = std::string(".") + lesson::to_string(format);
      matches_golden(std::string(lesson->name) + ".underflow" + suffix,
                     printed(*lesson, underflow_script(format)));
      matches_golden(std::string(lesson->name) + ".overflow" + suffix,
                     printed(*lesson, overflow_script(format)));
    }
  }
}

BOOST_AUTO_TEST_CASE(compare_output_matches_its_golden_file, *boost::unit_test::timeout(60)) {
  matches_golden("compare.02.03.underflow.txt",
                 tool_output(argument(2) + " 02 03 --producers 1 --consumers 2 --capacity 1 "
                                           "--items 2 --producer-delay 0 "
                                           "--script C1,P1,C2,C1,P1,C1"));
}

BOOST_AUTO_TEST_CASE(scoreboard_verdicts_match_their_golden_file, *boost::unit_test::timeout(120)) {
  // The verdict columns only: the figures after them include times.
  const std::string board = tool_output(argument(3) +
                                        " --producers 1 --consumers 2 --capacity 1 --items 2 "
                                        "--producer-delay 0 --script C1,P1,C2,C1");
  std::string verdicts;
  for (const std::string& line : lesson_test::lines_of(board)) {
    verdicts += line.substr(0, std::min<std::size_t>(line.size(), 50)) + '\n';
  }
  matches_golden("scoreboard.underflow.txt", verdicts);
}

namespace {

// A free run's records, in `format`; its report and summary go to `summary`.
std::vector<std::string> records(const lesson::definition& lesson, lesson::settings s,
                                 trace_format format, std::ostream& summary) {
  s.trace = format;
  std::ostringstream out;
  lesson::run_lesson(lesson, s, out, summary);
  return lesson_test::lines_of(out.str());
}

}  // namespace

BOOST_AUTO_TEST_CASE(csv_is_rectangular, *boost::unit_test::timeout(60)) {
  std::ostringstream summary;
  const std::vector<std::string> lines =
      records(named("06_two_conditions"), quiet(2, 2, 2, 50), trace_format::csv, summary);
  BOOST_TEST_REQUIRE(lines.size() > 100u);
  const auto fields = [](const std::string& line) {
    return static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1;
  };
  BOOST_TEST(lines.front().rfind("step,time_ms,thread,action,detail,condition,buffer_size,", 0) ==
             0u);
  for (const std::string& line : lines) {
    BOOST_TEST_REQUIRE(fields(line) == fields(lines.front()));
  }
  BOOST_TEST(summary.str().find("result: ok") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_jsonl_line_is_a_json_object, *boost::unit_test::timeout(60)) {
  std::ostringstream summary;
  const std::vector<std::string> lines =
      records(named("05_notify_all"), quiet(2, 2, 1, 50), trace_format::jsonl, summary);
  BOOST_TEST_REQUIRE(lines.size() > 100u);
  for (const std::string& line : lines) {
    boost::property_tree::ptree record;
    std::istringstream in(line);
    BOOST_REQUIRE_NO_THROW(boost::property_tree::read_json(in, record));
    BOOST_TEST_REQUIRE(record.get<unsigned>("step") > 0u);
    BOOST_TEST_REQUIRE(!record.get<std::string>("thread").empty());
    BOOST_TEST_REQUIRE(record.get_child("states").size() == 4u);
  }
}

BOOST_AUTO_TEST_CASE(the_svg_is_well_formed_and_names_every_lane, *boost::unit_test::timeout(60)) {
  const fs::path svg =
      fs::temp_directory_path() / ("cv_lessons_trace_test." + std::to_string(::getpid()) + ".svg");
  for (const auto& [lesson, s] :
       {std::make_pair(&named("02_if_wait_bug"), underflow_script(trace_format::none)),
        std::make_pair(&named("04_notify_one_deadlock"), quiet(1, 2, 1, 30000))}) {
    lesson::settings drawn = s;
    drawn.svg_file = svg.string();
    drawn.stall_timeout_ms = 100;
    lesson_test::run(*lesson, drawn);
    boost::property_tree::ptree document;
    BOOST_REQUIRE_NO_THROW(boost::property_tree::read_xml(svg.string(), document));
    std::set<std::string> lanes;
    for (const auto& [tag, node] : document.get_child("svg")) {
      if (tag == "text" && node.get<std::string>("<xmlattr>.class", "") == "lane") {
        lanes.insert(node.get_value<std::string>());
      }
    }
    BOOST_TEST_INFO(lesson->name);
    BOOST_TEST((lanes == std::set<std::string>{"P1", "C1", "C2"}));
    const std::string text = read(svg);
    BOOST_TEST(text.find(lesson == &named("02_if_wait_bug") ? "VIOLATION at step" : "DEADLOCK") !=
               std::string::npos);
    BOOST_TEST(text.find("holds the lock") != std::string::npos);  // the legend
  }
  fs::remove(svg);
}

BOOST_AUTO_TEST_CASE(repeated_csv_has_one_header_and_a_run_column, *boost::unit_test::timeout(60)) {
  lesson::settings s = quiet(2, 2, 2, 5);
  s.repeat = 3;
  std::ostringstream summary;
  const std::vector<std::string> lines =
      records(named("06_two_conditions"), s, trace_format::csv, summary);
  BOOST_TEST_REQUIRE(lines.size() > 3u);
  BOOST_TEST(lines.front().rfind("run,step,time_ms,thread,", 0) == 0u);
  std::set<std::string> runs;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    BOOST_TEST_REQUIRE(lines[i].rfind("run,", 0) != 0u);
    runs.insert(lines[i].substr(0, lines[i].find(',')));
  }
  BOOST_TEST((runs == std::set<std::string>{"1", "2", "3"}));
}

BOOST_AUTO_TEST_CASE(the_scoreboard_does_not_blame_the_recipe_for_its_quota,
                     *boost::unit_test::timeout(120)) {
  // With 3 slots the recipe's producer waits for space after its consumer took
  // its 10 items and stopped: the numbers stopped it, not the code.
  const std::vector<std::string> board = lesson_test::lines_of(
      tool_output(argument(3) + " --capacity 3 --items 20 --time-scale 0.001 --stall-timeout 100"));
  BOOST_TEST_REQUIRE(board.size() > 2u);
  BOOST_TEST(board[1].rfind("01_cookbook              deadlock       n/a", 0) == 0u, board[1]);
}
