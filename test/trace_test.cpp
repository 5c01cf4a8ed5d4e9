// Scripted runs are deterministic: two runs print the same bytes in every
// trace format, and what they print is kept in test/golden/ as the reference.
// The formats are checked for shape: csv rectangular, every jsonl line JSON,
// the SVG well-formed XML that names every lane, renders (rsvg-convert) and
// points at the moment that decides the run.
//
// To accept a change on purpose: CV_LESSONS_UPDATE_GOLDEN=1 ctest -R trace_test
#define BOOST_TEST_MODULE trace
#include <unistd.h>

#include <boost/algorithm/string/split.hpp>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "command_line/option_table.hpp"
#include "command_line/options.hpp"
#include "drive/driver.hpp"
#include "lesson_runs.hpp"
#include "model/trace_formats.hpp"
#include "show/timeline.hpp"

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

// A class's projector: 80 columns.
constexpr std::size_t projector_columns = 80;

// The scripts of the stolen wakeups, carried on to the end of lesson 03's
// run so that they decide all of it: every lock the run takes is scripted.
lesson::settings underflow_script(trace_format format) {
  lesson::settings s = quiet(1, 2, 1, 2);
  s.script = {"C1", "P1", "C2", "C1", "P1", "C1"};
  s.trace = format;
  s.columns = projector_columns;
  return s;
}

lesson::settings overflow_script(trace_format format) {
  lesson::settings s = quiet(2, 1, 1, 2);
  s.script = {"P1", "P2", "C1", "P1", "P2", "C1", "P2", "C1", "P2", "C1"};
  s.trace = format;
  s.columns = projector_columns;
  return s;
}

// What a lesson prints, trace and report and summary, as its main would.
std::string printed(const lesson::definition& lesson, const lesson::settings& s) {
  std::ostringstream out;
  lesson::run_lesson(lesson, s, out, out);
  return out.str();
}

// A tool's exit code and standard output, in a projector's width.
struct tool_run {
  int exit_code = -1;
  std::string out;
};

tool_run tool_status(const std::string& command) {
  const fs::path out =
      fs::temp_directory_path() / ("cv_lessons_trace_test." + std::to_string(::getpid()));
  const int status = std::system(
      ("COLUMNS=" + std::to_string(projector_columns) + " " + command + " >" + out.string())
          .c_str());
  tool_run run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read(out)};
  fs::remove(out);
  return run;
}

// Runs a tool in a projector's width and returns its standard output.
std::string tool_output(const std::string& command) {
  const tool_run run = tool_status(command);
  BOOST_TEST_INFO(command);
  BOOST_TEST(run.exit_code != -1);
  return run.out;
}

// "02" as the lesson's whole name.
const char* named_by_number(const char* number) {
  return lessons::find(number)->name;
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

BOOST_AUTO_TEST_CASE(decided_wakeups_match_their_golden_files, *boost::unit_test::timeout(60)) {
  // 04: C1's notify_one wakes C2 rather than the producer. 01: a spurious
  // wakeup with one thread a side.
  lesson::settings lost_wakeup = quiet(1, 2, 1, 2);
  lost_wakeup.script = {"C1", "C2", "wake=C1", "P1", "wake=C2"};
  lesson::settings spurious = quiet(1, 1, 10, 20);
  spurious.script = {"C1", "spurious=C1", "C1"};
  for (const trace_format format : {trace_format::text, trace_format::table}) {
    const std::string suffix = std::string(".") + lesson::to_string(format);
    lost_wakeup.trace = format;
    spurious.trace = format;
    lost_wakeup.columns = projector_columns;
    spurious.columns = projector_columns;
    matches_golden("04_notify_one_deadlock.wake" + suffix,
                   printed(named("04_notify_one_deadlock"), lost_wakeup));
    matches_golden("01_cookbook.spurious" + suffix, printed(named("01_cookbook"), spurious));
  }
}

// Every lesson's bug scripts (its --help lists them), a lesson added later too:
// its text trace, report and replay line, as a class sees them.
BOOST_AUTO_TEST_CASE(every_lessons_bug_scripts_match_their_golden_text_traces,
                     *boost::unit_test::timeout(60)) {
  for (const lesson::definition* lesson : lessons::all()) {
    const auto scripts = lesson_test::bug_script_options(*lesson);
    for (std::size_t i = 0; i < scripts.size(); ++i) {
      lesson::settings s = lesson::parse_command_line(*lesson, scripts[i]).chosen;
      s.producer_delay_ms = 0;
      s.consumer_delay_ms = 0;
      s.trace = trace_format::text;
      s.columns = projector_columns;
      matches_golden(std::string(lesson->name) + ".bug" + std::to_string(i + 1) + ".text",
                     printed(*lesson, s));
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

// A neighbour pair as the README names it, and how each side's run ends
// when compare runs with no options.
struct neighbours {
  const char* a;
  const char* b;
  const char* a_ends;  // ok, violation or deadlock
  const char* b_ends;
};

// Every pair of neighbours the README names (its lesson table, its compare
// commands): with no options, neither side is stuck, and the side with the
// bug shows it, on the schedule that shows it (no --script: scripted runs,
// the same every time).
BOOST_AUTO_TEST_CASE(compare_with_no_options_shows_every_neighbours_bug,
                     *boost::unit_test::timeout(300)) {
  const neighbours pairs[] = {
      {"01", "02", "violation", "violation"},  // the same code: 01 breaks with two consumers
      {"02", "03", "violation", "ok"},
      {"03", "04", "deadlock", "deadlock"},  // the same code: 03 with one slot is 04
      {"04", "05", "deadlock", "ok"},
      {"05", "06", "ok", "ok"},
      {"06", "07", "ok", "ok"},
      {"07", "08", "ok", "ok"},
      {"06", "09", "ok", "deadlock"},
      {"08", "09", "ok", "deadlock"},
      {"09", "10", "deadlock", "ok"},
      {"03", "11", "ok", "deadlock"},
      {"06", "12", "ok", "violation"},
      {"10", "09", "ok", "deadlock"},  // either order
  };
  // Two correct lessons run 30,000 items each by default: under a sanitizer
  // (the presets build with g++, which says so in these macros), about a
  // minute a pair, so there 3,000: still thousands of waits and wakeups.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  const std::string fewer_when_both_correct = " --items 3000";
#else
  const std::string fewer_when_both_correct;
#endif
  for (const neighbours& pair : pairs) {
    const bool both_correct = std::string(pair.a_ends) == "ok" && std::string(pair.b_ends) == "ok";
    const std::string command =
        argument(2) + " " + pair.a + " " + pair.b + (both_correct ? fewer_when_both_correct : "");
    const tool_run run = tool_status(command);
    BOOST_TEST_INFO(command << "\n" << run.out);
    BOOST_TEST(run.exit_code == 0);
    BOOST_TEST(run.out.find("result: stuck") == std::string::npos);
    BOOST_TEST(run.out.find(std::string(named_by_number(pair.a)) + ": result: " + pair.a_ends) !=
               std::string::npos);
    BOOST_TEST(run.out.find(std::string(named_by_number(pair.b)) + ": result: " + pair.b_ends) !=
               std::string::npos);
    for (const std::string& line : lesson_test::lines_of(run.out)) {
      BOOST_TEST(line.size() <= projector_columns, line);
    }
  }
}

// 09's schedule lets P1 close between C1's check and its wait: decisions 4
// and 5 move C1 on from one watched point to the next, which 09's close,
// made without the lock, can come between. In 10 the close takes the lock,
// so C1 goes from its check to its wait in one move: at decision 4 it
// already waits. 10 leaves the schedule there, and compare says so.
BOOST_AUTO_TEST_CASE(compare_says_where_a_neighbour_leaves_the_schedule,
                     *boost::unit_test::timeout(60)) {
  const tool_run run = tool_status(argument(2) + " 09 10");
  BOOST_TEST_INFO(run.out);
  BOOST_TEST(run.out.find("Both run the schedule that shows 09_unguarded_close's bug: "
                          "--producers 1") != std::string::npos);
  BOOST_TEST(run.out.find("10_close cannot follow decision 4 of 7, C1 (C1 waits on not_empty") !=
             std::string::npos);
  // In 10's column, wrapped in it: "-- cannot follow decision 4: defaults from here --".
  BOOST_TEST(run.out.find("-- cannot follow decision 4:") != std::string::npos);
  // The lesson the schedule is for follows all of it.
  BOOST_TEST(run.out.find("09_unguarded_close cannot follow") == std::string::npos);
}

// A script given on the command line is run as given: a neighbour that
// cannot follow it is stuck, a true answer.
BOOST_AUTO_TEST_CASE(compare_with_a_script_runs_it_as_given, *boost::unit_test::timeout(60)) {
  const tool_run run = tool_status(argument(2) + " 09 10 --script P1,C1,C1,C1,C1,P1,P1");
  BOOST_TEST_INFO(run.out);
  BOOST_TEST(run.exit_code == 0);
  BOOST_TEST(run.out.find("10_close: result: stuck") != std::string::npos);
  BOOST_TEST(run.out.find("Both run the schedule") == std::string::npos);
}

// The scheduler's lenient mode on its own: 10 on 09's schedule takes its
// first three decisions, leaves the fourth, and ends by its defaults.
BOOST_AUTO_TEST_CASE(a_run_that_follows_as_far_as_possible_is_never_stuck,
                     *boost::unit_test::timeout(60)) {
  lesson::settings s = quiet(1, 1, 1, 1);
  s.script = {"P1", "C1", "C1", "C1", "C1", "P1", "P1"};
  BOOST_TEST((lesson_test::run(named("10_close"), s).result == lesson::outcome::stuck));
  s.follow_script_as_far_as_possible = true;
  const lesson::run_result followed = lesson_test::run(named("10_close"), s);
  BOOST_TEST((followed.result == lesson::outcome::ok));
  BOOST_TEST_REQUIRE(followed.left_script.has_value());
  BOOST_TEST(followed.left_script->index == 4U);
  BOOST_TEST(lesson::schedule_text(followed.schedule, s.producers).rfind("P1,C1,C1,", 0) == 0U);
  // 09 follows its own schedule to the end, and deadlocks as it teaches.
  const lesson::run_result own = lesson_test::run(named("09_unguarded_close"), s);
  BOOST_TEST((own.result == lesson::outcome::deadlock));
  BOOST_TEST(!own.left_script.has_value());
}

// Each kind of decision that cannot be taken, on 06 with C1 and C2 waiting
// for an item: a wakeup of a thread that does not wait (P1 notifies), a
// spurious wakeup of one that does not wait (P1 asks for the lock), a lock
// for one that waits. Followed as far as possible, the run leaves the script
// there and ends by its defaults.
BOOST_AUTO_TEST_CASE(every_kind_of_decision_can_be_left, *boost::unit_test::timeout(60)) {
  const std::vector<std::string> scripts[] = {
      {"C1", "C2", "P1", "wake=P1", "C1"},
      {"C1", "C2", "spurious=P1", "P1"},
      {"C1", "C2", "C1", "P1"},
  };
  for (const auto& script : scripts) {
    lesson::settings s = quiet(1, 2, 1, 2);
    s.script = script;
    BOOST_TEST_INFO(s.script.at(2) << ", " << s.script.at(3));
    BOOST_TEST((lesson_test::run(named("06_two_conditions"), s).result == lesson::outcome::stuck));
    s.follow_script_as_far_as_possible = true;
    const lesson::run_result followed = lesson_test::run(named("06_two_conditions"), s);
    BOOST_TEST((followed.result == lesson::outcome::ok));
    BOOST_TEST_REQUIRE(followed.left_script.has_value());
    BOOST_TEST(followed.left_script->index == (script.size() == 5 ? 4U : 3U));
  }
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

BOOST_AUTO_TEST_CASE(each_event_of_the_lessons_code_carries_its_source_line,
                     *boost::unit_test::timeout(60)) {
  std::ostringstream summary;
  lesson::settings s = underflow_script(trace_format::jsonl);
  s.columns = 0;  // the report's lines unwrapped
  std::ostringstream out;
  lesson::run_lesson(named("02_if_wait_bug"), s, out, summary);
  std::map<std::string, unsigned> line_of;  // C1's first line of each action
  for (const std::string& line : lesson_test::lines_of(out.str())) {
    boost::property_tree::ptree record;
    std::istringstream in(line);
    boost::property_tree::read_json(in, record);
    const std::string action = record.get<std::string>("action");
    const auto file = record.get_optional<std::string>("file");
    BOOST_TEST_INFO(line);
    if (action == "ask" || action == "lock" || action == "unlock" || action == "done" ||
        action == "script_end") {
      BOOST_TEST(!file);  // the lock's own events: no call of the lesson made them
      continue;
    }
    BOOST_TEST(file.value_or("") == "02_if_wait_bug.cpp");
    if (record.get<std::string>("thread") == "C1") {
      line_of.emplace(action, record.get<unsigned>("line"));
    }
  }
  // 02's consumer: the check, the wait in its `if`, then the take that underflows.
  BOOST_TEST_REQUIRE(line_of.count("check") + line_of.count("wait") + line_of.count("woke") +
                         line_of.count("violation") ==
                     4u);
  BOOST_TEST(line_of["check"] < line_of["wait"]);
  BOOST_TEST(line_of["woke"] == line_of["wait"]);
  BOOST_TEST(line_of["wait"] < line_of["violation"]);
  // The report quotes both: the line that did it and the one that should have caught it.
  const std::string quoted =
      "The take: 02_if_wait_bug.cpp:" + std::to_string(line_of["violation"]) +
      "; its check: 02_if_wait_bug.cpp:" + std::to_string(line_of["check"]) + ".";
  BOOST_TEST(summary.str().find(quoted) != std::string::npos, summary.str());

  // --lines yes: the text and the table show the same lines, the lock's own steps none.
  for (const trace_format format : {trace_format::text, trace_format::table}) {
    lesson::settings with_lines = underflow_script(format);
    with_lines.source_lines = true;
    const std::string shown = printed(named("02_if_wait_bug"), with_lines);
    BOOST_TEST_INFO(shown);
    const std::string wait_line = ":" + std::to_string(line_of["wait"]);
    BOOST_TEST(shown.find((format == trace_format::text ? "C1  " : " ") + wait_line) !=
               std::string::npos);
    if (format == trace_format::text) {
      BOOST_TEST(shown.find("line N of 02_if_wait_bug.cpp made that step") != std::string::npos);
    } else {
      BOOST_TEST(shown.find(" step line ") != std::string::npos);
      BOOST_TEST(std::regex_search(shown, std::regex("\\n +[0-9]+ {7}[^ ].*asks lock")));
    }
  }
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

// Every trace format is one row of one table (model/trace_formats.hpp): its
// name is what --trace takes, what to_string gives back and what --help
// lists; `none` alone makes no tracer; csv and jsonl alone write records.
BOOST_AUTO_TEST_CASE(every_trace_format_is_one_row_of_the_table) {
  const std::vector<lesson::trace_format_row>& rows = lesson::trace_formats();
  BOOST_TEST(rows.size() == 6u);
  const std::string help = lesson::help_for(*lesson::find_option("trace"), nullptr);
  for (const lesson::trace_format_row& row : rows) {
    BOOST_TEST_INFO("--trace " << row.name);
    BOOST_TEST(lesson::trace_format_named(row.name) == &row);
    BOOST_TEST(&lesson::row_of(row.format) == &row);
    BOOST_TEST(std::string(lesson::to_string(row.format)) == row.name);
    BOOST_TEST(help.find(row.name) != std::string::npos);
    BOOST_TEST((row.make == nullptr) == (row.format == trace_format::none));
    const lesson::command_line line =
        lesson::parse_command_line(named("02_if_wait_bug"), {"--trace", row.name});
    BOOST_TEST((line.chosen.trace == row.format));
  }
  BOOST_TEST(lesson::trace_format_named("xml") == nullptr);
  BOOST_TEST(lesson::formats_writing_records() == "csv and jsonl");
  BOOST_TEST(lesson::formats_writing_records("the replay: line") ==
             "csv, jsonl and the replay: line");
}

BOOST_AUTO_TEST_CASE(csv_is_rectangular, *boost::unit_test::timeout(60)) {
  std::ostringstream summary;
  const std::vector<std::string> lines =
      records(named("06_two_conditions"), quiet(2, 2, 2, 50), trace_format::csv, summary);
  BOOST_TEST_REQUIRE(lines.size() > 100u);
  const auto fields = [](const std::string& line) {
    return static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1;
  };
  BOOST_TEST(lines.front().rfind(
                 "step,time_ms,thread,action,detail,condition,file,line,buffer_size,", 0) == 0u);
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

namespace {

// A run drawn with --svg, the SVG's text and its XML.
struct drawn_run {
  lesson::run_result run;
  std::string text;
  boost::property_tree::ptree svg;
};

const fs::path svg_file =
    fs::temp_directory_path() / ("cv_lessons_trace_test." + std::to_string(::getpid()) + ".svg");

drawn_run draw(const lesson::definition& lesson, lesson::settings s) {
  s.svg_file = svg_file.string();
  s.stall_timeout_ms = 100;
  drawn_run drawn{lesson_test::run(lesson, s), read(svg_file), {}};
  BOOST_TEST_INFO(lesson.name);
  BOOST_REQUIRE_NO_THROW(boost::property_tree::read_xml(svg_file.string(), drawn.svg));
  return drawn;
}

// The <text> elements of class `kind`, in order.
std::vector<std::string> texts_of(const drawn_run& drawn, const std::string& kind) {
  std::vector<std::string> found;
  for (const auto& [tag, node] : drawn.svg.get_child("svg")) {
    if (tag == "text" && node.get<std::string>("<xmlattr>.class", "") == kind) {
      found.push_back(node.get_value<std::string>());
    }
  }
  return found;
}

std::size_t count_of(const std::string& text, const std::string& wanted) {
  std::size_t count = 0;
  for (auto at = text.find(wanted); at != std::string::npos; at = text.find(wanted, at + 1)) {
    ++count;
  }
  return count;
}

// The checks every drawing passes: a lane per thread, a one-line legend, no
// temporary left beside the file, and rsvg-convert (Debian: librsvg2-bin)
// renders it without a word to a PNG of a size a slide can take.
void check_drawing(const drawn_run& drawn, const std::set<std::string>& lanes) {
  const auto lane_names = texts_of(drawn, "lane");
  BOOST_TEST((std::set<std::string>(lane_names.begin(), lane_names.end()) == lanes));
  BOOST_TEST(count_of(drawn.text, "class=\"legend\"") == 1u);
  BOOST_TEST(drawn.text.find("holds the lock") != std::string::npos);
  for (const auto& entry : fs::directory_iterator(svg_file.parent_path())) {
    BOOST_TEST(entry.path().filename().string().rfind(svg_file.filename().string() + ".tmp", 0) ==
               std::string::npos);
  }
  const fs::path png = fs::path(svg_file).replace_extension(".png");
  const fs::path errors = fs::path(svg_file).replace_extension(".err");
  const int status = std::system(("rsvg-convert '" + svg_file.string() + "' -o '" + png.string() +
                                  "' 2>'" + errors.string() + "'")
                                     .c_str());
  BOOST_TEST_REQUIRE(WIFEXITED(status));
  BOOST_TEST_REQUIRE(WEXITSTATUS(status) == 0, "rsvg-convert failed: " << read(errors));
  BOOST_TEST(read(errors).empty());
  // A PNG starts with its signature and the IHDR chunk: width, then height,
  // each four bytes, most significant first.
  const std::string header = read(png).substr(0, 24);
  BOOST_TEST_REQUIRE(header.size() == 24u);
  BOOST_TEST(header.substr(0, 8) == "\x89PNG\r\n\x1a\n");
  BOOST_TEST(header.substr(12, 4) == "IHDR");
  const auto number = [&](std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = at; i < at + 4; ++i) {
      value = value << 8 | static_cast<unsigned char>(header[i]);
    }
    return value;
  };
  BOOST_TEST(number(16) >= 700u);
  BOOST_TEST(number(16) <= 2400u);
  BOOST_TEST(number(20) >= 200u);
  BOOST_TEST(number(20) <= 800u);
  fs::remove(png);
  fs::remove(errors);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_svg_of_a_stolen_wakeup_points_at_the_steal,
                     *boost::unit_test::timeout(60)) {
  const drawn_run drawn = draw(named("02_if_wait_bug"), underflow_script(trace_format::none));
  check_drawing(drawn, {"P1", "C1", "C2"});
  // P1's notify woke C1: the one wakeup, and the one that decides the run.
  BOOST_TEST(count_of(drawn.text, "class=\"wakeup\"") == 1u);
  BOOST_TEST(drawn.text.find("id=\"decisive-wakeup\"") != std::string::npos);
  BOOST_TEST(texts_of(drawn, "because") ==
             std::vector<std::string>{"C2 takes P1#1 first: C1's wakeup is stolen"});
  BOOST_TEST(texts_of(drawn, "verdict") ==
             std::vector<std::string>{"VIOLATION at step " +
                                      std::to_string(drawn.run.figures.steps) +
                                      ": underflow by C1"});
  // The red line stands beside the `!` mark, not on it.
  double mark_x = 0;
  double line_x = 0;
  for (const auto& [tag, node] : drawn.svg.get_child("svg")) {
    if (tag == "text" && node.get_value<std::string>() == "!") {
      mark_x = node.get<double>("<xmlattr>.x");
    } else if (tag == "line" && node.get<std::string>("<xmlattr>.class", "") == "violation") {
      line_x = node.get<double>("<xmlattr>.x1");
    }
  }
  BOOST_TEST(mark_x > 0);
  BOOST_TEST(line_x - mark_x >= 10);
  fs::remove(svg_file);
}

BOOST_AUTO_TEST_CASE(the_svg_of_a_deadlock_points_at_the_notify_the_report_names,
                     *boost::unit_test::timeout(120)) {
  // The schedule in which C1's notify_one wakes C2 rather than the producer.
  lesson::settings s = quiet(1, 2, 1, 2);
  s.script = {"C1", "C2", "wake=C1", "P1", "wake=C2"};
  const drawn_run drawn = draw(named("04_notify_one_deadlock"), s);
  BOOST_TEST_REQUIRE((drawn.run.result == lesson::outcome::deadlock));
  check_drawing(drawn, {"P1", "C1", "C2"});
  BOOST_TEST(count_of(drawn.text, "class=\"wakeup\"") >= 1u);
  BOOST_TEST(texts_of(drawn, "verdict") ==
             std::vector<std::string>{"DEADLOCK: every thread waits, nothing moves"});
  // The label names the notify_one the watchdog's report blames, and the
  // red arrow starts at its step.
  const std::vector<std::string> because = texts_of(drawn, "because");
  BOOST_TEST_REQUIRE(because.size() == 1u);
  BOOST_TEST_INFO("report: " << drawn.run.report);
  std::smatch blamed;
  if (std::regex_search(drawn.run.report, blamed,
                        std::regex(R"((\w+)'s notify_one \(step (\d+)\) woke (\w+):)"))) {
    BOOST_TEST(because.front().rfind(
                   blamed[1].str() + "'s notify_one woke " + blamed[3].str() + ", a ", 0) == 0u);
    BOOST_TEST(drawn.text.find(blamed[1].str() + "'s notify at step " + blamed[2].str() + " woke " +
                               blamed[3].str()) != std::string::npos);
    BOOST_TEST(drawn.text.find("id=\"decisive-wakeup\"") != std::string::npos);
  } else {
    BOOST_TEST_REQUIRE(std::regex_search(
        drawn.run.report, blamed, std::regex(R"((\w+)'s notify_one \(step \d+\) woke nobody)")));
    BOOST_TEST(because.front().rfind(blamed[1].str() + "'s notify_one woke nobody", 0) == 0u);
  }
  fs::remove(svg_file);
}

BOOST_AUTO_TEST_CASE(every_wakeup_gets_an_arrow_and_a_spurious_one_a_word) {
  // Made-up events, no threads: P1's notify_all wakes C1 and C2; later C2
  // wakes with nobody having notified.
  const lesson::cast who(named("03_while_wait_fix"), quiet(1, 2, 1, 2));  // P1 0, C1 1, C2 2
  lesson::timeline drawing(who, svg_file.string());
  std::uint64_t step = 0;
  const auto happens = [&](unsigned worker, lesson::action what, int notifier = -1,
                           std::uint64_t notify_step = 0) {
    lesson::event e;
    e.step = ++step;
    e.worker = worker;
    e.action = what;
    e.condition = "condition";
    e.wakeup = {"condition", notifier, notify_step};
    drawing.on_event(e);
  };
  happens(1, lesson::action::wait);
  happens(2, lesson::action::wait);
  happens(0, lesson::action::put);
  happens(0, lesson::action::notify_all);
  happens(1, lesson::action::woke, 0, 4);
  happens(1, lesson::action::take);
  happens(2, lesson::action::woke, 0, 4);
  happens(2, lesson::action::wait);
  happens(2, lesson::action::woke);
  happens(2, lesson::action::wait);
  drawing.end(lesson::outcome::ok, "");
  const std::string text = read(svg_file);
  BOOST_TEST(count_of(text, "class=\"wakeup\"") == 2u);
  BOOST_TEST(count_of(text, "class=\"spurious\">spurious<") == 1u);
  BOOST_TEST(text.find("P1's notify at step 4 woke C2 at step 7") != std::string::npos);
  fs::remove(svg_file);
}

BOOST_AUTO_TEST_CASE(an_svg_that_cannot_be_written_leaves_nothing_and_says_why,
                     *boost::unit_test::timeout(60)) {
  // FILE is a folder: the temporary is written, the rename over FILE fails.
  const fs::path folder =
      fs::temp_directory_path() / ("cv_lessons_trace_test." + std::to_string(::getpid()) + ".d");
  const fs::path file = folder / "run.svg";
  fs::create_directories(file);
  std::ofstream(file / "keep") << "not a slide";
  lesson::settings s = underflow_script(trace_format::none);
  s.svg_file = file.string();
  try {
    lesson_test::run(named("02_if_wait_bug"), s);
    BOOST_ERROR("the run replaced a folder with its SVG");
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    BOOST_TEST(message.rfind("--svg: cannot write " + s.svg_file + ": ", 0) == 0u, message);
    BOOST_TEST(message.find(std::strerror(EISDIR)) != std::string::npos, message);
    BOOST_TEST(message.find('\n') == std::string::npos);
  }
  std::set<std::string> left;
  for (const auto& entry : fs::directory_iterator(folder)) {
    left.insert(entry.path().filename().string());
  }
  BOOST_TEST((left == std::set<std::string>{"run.svg"}));
  BOOST_TEST(read(file / "keep") == "not a slide");
  fs::remove_all(folder);
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
  BOOST_TEST(board[1].rfind("01_cookbook            deadlock    n/a", 0) == 0u, board[1]);
}
