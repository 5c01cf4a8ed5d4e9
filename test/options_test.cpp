// The command line: every class of bad input is refused with a message that
// names the option (exit code 2), and good input sets what it says.
#define BOOST_TEST_MODULE options
#include "command_line/options.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "command_line/option_table.hpp"
#include "drive/driver.hpp"
#include "lesson_runs.hpp"
#include "model/outcome.hpp"
#include "program_runs.hpp"
#include "show/columns.hpp"
#include "show/source_text.hpp"

using lesson::command_line;
using lesson::parse_command_line;
using lesson::usage_error;
using lesson_test::named;
namespace fs = std::filesystem;

namespace {

command_line parse(const std::vector<std::string>& args) {
  return parse_command_line(named("02_if_wait_bug"), args);
}

// The message a refused command line gets; fails the test if it was accepted.
std::string refusal(const std::vector<std::string>& args) {
  try {
    parse(args);
  } catch (const usage_error& e) {
    return e.what();
  }
  BOOST_FAIL("accepted a bad command line");
  return "";
}

// The executables the tests run, given after `--` in this order.
enum class executable { lesson_02, compare, explore, scoreboard };

// The program's path among the test's arguments, found by its file name:
// CMake passes them in the order it is told, b2 in an order of its own.
std::string path_of(executable which) {
  const char* const names[] = {"02_if_wait_bug", "compare", "explore", "scoreboard"};
  const char* const name = names[static_cast<int>(which)];
  const auto& suite = boost::unit_test::framework::master_test_suite();
  for (int i = 1; i < suite.argc; ++i) {
    if (fs::path(suite.argv[i]).filename() == name) {
      return suite.argv[i];
    }
  }
  BOOST_TEST_REQUIRE(false,
                     "pass the paths of the 02_if_wait_bug, compare, explore and "
                     "scoreboard executables; "
                         << name << " is missing");
  return "";
}

struct bad_input {
  std::vector<std::string> args;
  std::string named;  // what the message must name
  executable program = executable::lesson_02;
};

}  // namespace

BOOST_AUTO_TEST_CASE(defaults_are_the_lessons_own) {
  const command_line c = parse({});
  BOOST_TEST((c.what == command_line::request::run));
  BOOST_TEST(c.chosen.consumers == 2u);
  BOOST_TEST(c.chosen.capacity == 10u);
  BOOST_TEST(c.chosen.producer_delay_ms == 100.0);
}

BOOST_AUTO_TEST_CASE(options_override_the_defaults) {
  const command_line c = parse({"--producers",
                                "8",
                                "--consumers=8",
                                "--capacity",
                                "1",
                                "--items",
                                "20000",
                                "--producer-delay",
                                "0",
                                "--consumer-delay",
                                "0.5",
                                "--time-scale",
                                "0.01",
                                "--stall-timeout",
                                "250",
                                "--trace",
                                "cookbook",
                                "--repeat",
                                "3",
                                "--seed",
                                "42",
                                "--jitter",
                                "20",
                                "--script",
                                "C1,P1,C2,C1"});
  BOOST_TEST(c.chosen.producers == 8u);
  BOOST_TEST(c.chosen.consumers == 8u);
  BOOST_TEST(c.chosen.capacity == 1u);
  BOOST_TEST(c.chosen.items == 20000u);
  BOOST_TEST(c.chosen.producer_delay_ms == 0.0);
  BOOST_TEST(c.chosen.consumer_delay_ms == 0.5);
  BOOST_TEST(c.chosen.time_scale == 0.01);
  BOOST_TEST(c.chosen.stall_timeout_ms == 250.0);
  BOOST_TEST((c.chosen.trace == lesson::trace_format::cookbook));
  BOOST_TEST(c.trace_given);
  BOOST_TEST(c.chosen.repeat == 3u);
  BOOST_TEST(c.chosen.seed == 42u);
  BOOST_TEST(c.chosen.jitter_percent == 20u);
  BOOST_TEST(c.chosen.script.size() == 4u);
}

BOOST_AUTO_TEST_CASE(help_and_version_are_requests) {
  BOOST_TEST((parse({"--help"}).what == command_line::request::help));
  BOOST_TEST((parse({"--version"}).what == command_line::request::version));
  const std::string help = lesson::help_text(named("02_if_wait_bug"));
  BOOST_TEST(help.find("--script") != std::string::npos);
  BOOST_TEST(help.find("C1,P1,C2,C1") != std::string::npos);
  BOOST_TEST(help.find("1 to 256") != std::string::npos);
  BOOST_TEST(help.find("(default 2)") != std::string::npos);  // a lesson shows its own defaults
}

namespace {

const std::string long_value(100'000, '0');

const bad_input command_line_cases[] = {
    {{"--bogus"}, "--bogus"},                                   // unknown option
    {{"--capacity"}, "--capacity"},                             // missing value
    {{"--capacity", "ten"}, "--capacity"},                      // not a number
    {{"--capacity", "1.5"}, "--capacity"},                      // not a whole number
    {{"--items=-5"}, "--items"},                                // negative
    {{"--items", "-5"}, "--items"},                             // negative, read as an option
    {{"--producer-delay=-1"}, "--producer-delay"},              // negative delay
    {{"--capacity", "0"}, "--capacity"},                        // zero makes no sense
    {{"--producers", "0"}, "--producers"},                      //
    {{"--consumers", "0"}, "--consumers"},                      //
    {{"--producers", "257"}, "--producers"},                    // absurd sizes
    {{"--capacity", "1000001"}, "--capacity"},                  //
    {{"--items", "99999999999"}, "--items"},                    //
    {{"--producers", "256", "--items", "1000000"}, "--items"},  // too many in all
    {{"--consumer-delay", "1e9"}, "--consumer-delay"},          //
    {{"--time-scale", "0"}, "--time-scale"},                    // at or below zero
    {{"--time-scale=-1"}, "--time-scale"},                      //
    {{"--time-scale", "nan"}, "--time-scale"},                  //
    {{"--time-scale", "inf"}, "--time-scale"},                  //
    {{"--time-scale", "0x1p-3"}, "--time-scale"},               // hex
    {{"--time-scale", "1e3"}, "--time-scale"},                  // out of range, however written
    {{"--capacity", "1e3"}, "--capacity"},                      // a whole number has no exponent
    {{"--stall-timeout", "0"}, "--stall-timeout"},              //
    {{"--repeat", "0"}, "--repeat"},                            //
    {{"--jitter", "101"}, "--jitter"},                          //
    {{"--trace", "xml"}, "--trace"},                            // unknown format
    {{"--script", "C3"}, "--script"},                           // a thread the run lacks
    {{"--script", "C1,,P1"}, "--script"},                       //
    {{"--script", "X1"}, "--script"},                           //
    {{"--capacity", "1", "--capacity", "2"}, "--capacity"},     // given twice
    {{"stray"}, "stray"},                                       // a stray word
    {{"--capacity", "4", "extra"}, "extra"},                    //
    {{"--seed", "4294967296"}, "--seed"},                       //
    // A file that cannot be written, and the system's reason.
    {{"--svg", "/nonexistent/dir/run.svg"},
     "--svg: cannot write '/nonexistent/dir/run.svg': " + std::string(std::strerror(ENOENT))},
    {{"--svg", "/dev/null/run.svg"},
     "--svg: cannot write '/dev/null/run.svg': " + std::string(std::strerror(ENOTDIR))},
    {{"--svg", "/"}, "--svg: cannot write '/': " + std::string(std::strerror(EISDIR))},
    {{"--lines", "maybe"}, "--lines: expected yes or no, got 'maybe'"},
    {{"--goal", "ok"}, "--goal: expected violation or deadlock, got 'ok'"},
    {{"--html", "/nonexistent/dir/run.html"},
     "--html: cannot write '/nonexistent/dir/run.html': " + std::string(std::strerror(ENOENT))},
    {{"--svg", "/dev/null"}, "--svg: cannot write '/dev/null': a character device, not a regular"},
    {{"--config", "/nonexistent/lesson.cfg"}, "--config"},  // a file that cannot be read
    // A long value is quoted cut, with its length, wherever it comes.
    {{"--capacity", long_value},
     "--capacity: expected a whole number from 1 to 1000000, got '" + std::string(57, '0') +
         "...' (100000 characters)"},
    {{"--time-scale=" + long_value}, "...' (100000 characters)"},
    {{"--" + long_value}, "unrecognised option '--000"},
    {{long_value}, "...' (100000 characters): every option starts with --"},
    {{"--script", "C1," + long_value}, "...' (100000 characters)"},
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_number_that_need_not_be_whole_may_have_an_exponent) {
  const command_line c = parse({"--time-scale", "1e-3", "--consumer-delay", "2.5E2",
                                "--producer-delay", "1.5e+1", "--stall-timeout", ".5e3"});
  BOOST_TEST(c.chosen.time_scale == 1e-3);
  BOOST_TEST(c.chosen.consumer_delay_ms == 250.0);
  BOOST_TEST(c.chosen.producer_delay_ms == 15.0);
  BOOST_TEST(c.chosen.stall_timeout_ms == 500.0);
  for (const std::string bad : {"1e", "e3", "1e+", "1e-3.5", "-1e-3", "+1e-3", "1e-3x", "1e-999"}) {
    BOOST_TEST(refusal({"--time-scale", bad}) ==
               "--time-scale: expected a number above 0 and at most 100, got '" + bad + "'");
  }
}

BOOST_AUTO_TEST_CASE(every_class_of_bad_input_is_refused_naming_the_option) {
  for (const bad_input& bad : command_line_cases) {
    const std::string message = refusal(bad.args);
    BOOST_TEST_INFO("args: " << bad.args.front() << "; message: " << message);
    BOOST_TEST(message.find(bad.named) != std::string::npos);
    BOOST_TEST(message.find('\n') == std::string::npos);
    BOOST_TEST(message.size() < 250u);
  }
}

namespace {

// What a program printed, and its exit code.
using lesson_test::finished_run;

// Runs a program under timeout: one that would hang fails the test instead.
finished_run run_program(executable which, const std::vector<std::string>& args) {
  std::string command = "timeout 20 '" + path_of(which) + "'";
  for (const std::string& arg : args) {
    command += " '" + arg + "'";
  }
  return lesson_test::run_command(command);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_executable_answers_bad_input_with_exit_2_and_one_line,
                     *boost::unit_test::timeout(30)) {
  const auto [status, out, err] = run_program(executable::lesson_02, {"--capacity", "0"});
  BOOST_TEST(status == 2);
  BOOST_TEST(err ==
             "02_if_wait_bug: --capacity: expected a whole number from 1 to 1000000, got '0' "
             "(see --help)\n");
}

BOOST_AUTO_TEST_CASE(the_executable_refuses_every_bad_input_with_exit_2_and_one_line,
                     *boost::unit_test::timeout(120)) {
  // The command-line cases above, and config files with the same faults.
  const fs::path folder =
      fs::temp_directory_path() / ("cv_lessons_options_test." + std::to_string(::getpid()));
  fs::create_directories(folder);
  const auto config = [&](const std::string& name, const std::string& text) {
    std::ofstream((folder / name).string()) << text;
    return (folder / name).string();
  };
  std::vector<bad_input> cases(std::begin(command_line_cases), std::end(command_line_cases));
  const std::vector<bad_input> files = {
      {{"--config", config("zero.cfg", "producers = 2\ncapacity = 0\n")}, "zero.cfg:2: --capacity"},
      {{"--config", config("word.cfg", "items = many\n")}, "word.cfg:1: --items"},
      {{"--config", config("negative.cfg", "# pacing\nconsumer-delay = -3\n")},
       "negative.cfg:2: --consumer-delay"},
      {{"--config", config("scale.cfg", "time-scale = 0\n")}, "scale.cfg:1: --time-scale"},
      {{"--config", config("trace.cfg", "trace = html\n")}, "trace.cfg:1: --trace"},
      {{"--config", config("script.cfg", "script = C1,C9\n")}, "script.cfg:1: --script"},
      {{"--config", config("unknown.cfg", "speed = 3\n")}, "unknown.cfg:1: unknown option 'speed'"},
      {{"--config", config("help.cfg", "help = yes\n")}, "help.cfg:1: unknown option 'help'"},
      {{"--config", config("twice.cfg", "capacity = 1\ncapacity = 2\n")},
       "twice.cfg:2: 'capacity'"},
      {{"--config", config("syntax.cfg", "capacity 4\n")}, "syntax.cfg:1: expected name = value"},
      {{"--config", folder.string()}, "--config"},  // a folder, not a file
  };
  // What got through a first class: /dev/zero was read until memory ran out
  // and a FIFO blocked; a long value came back whole; checking --svg created
  // it, so that a refused run left an empty file; the tools refused options
  // their --help listed.
  const fs::path fifo = folder / "lesson.fifo";
  BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string svg = (folder / "new.svg").string();
  const std::vector<bad_input> since = {
      {{"--config", "/dev/zero"}, "--config: '/dev/zero' is a character device, not a regular"},
      {{"--config", fifo.string()}, "lesson.fifo' is a FIFO, not a regular file"},
      {{"--config", config("large.cfg", std::string(lesson::limits::max_config_bytes + 1, '#'))},
       "large.cfg' is larger than 1048576 bytes"},
      {{"--config", config("long.cfg", "capacity = " + std::string(1'000'000, '0'))},
       "long.cfg:1: --capacity: expected a whole number from 1 to 1000000, got '000"},
      {{"--config", config("name.cfg", long_value + " = 1\n")}, "name.cfg:1: unknown option '000"},
      {{"--config", config("line.cfg", long_value + "\n")}, "line.cfg:1: expected name = value"},
      {{"--svg", svg, "--script", "C9"}, "--script"},
      {{"--capacity", "0", "--svg", svg}, "--capacity"},
      {{"02", "03", "--svg", svg}, "compare: --svg: ", executable::compare},
      {{"02", "03", "--trace", "none"}, "compare: --trace: ", executable::compare},
      {{"02", "03", "--repeat", "2"}, "compare: --repeat: ", executable::compare},
      {{"02", "03", "--config", config("empty.cfg", "")},
       "compare: --config: ",
       executable::compare},
      {{"--svg", svg}, "--svg: the scoreboard shows no traces", executable::scoreboard},
      {{"--config", config("traced.cfg", "trace = table\n")},
       "traced.cfg:1: --trace: the scoreboard shows no traces",
       executable::scoreboard},
      // explore, new since: its own options and those it decides itself.
      {{"99"}, "explore: no lesson '99'", executable::explore},
      {{"--spurious", "1"}, "explore: usage: explore LESSON", executable::explore},
      {{"02", "--spurious", "x"},
       "explore: --spurious: expected a whole number from 0 to 10",
       executable::explore},
      {{"02", "--spurious", "11"}, "explore: --spurious: ", executable::explore},
      {{"02", "--max-schedules", "0"}, "explore: --max-schedules: ", executable::explore},
      {{"02", "--seconds", "-1"}, "explore: --seconds: ", executable::explore},
      {{"02", "--seconds"}, "explore: --seconds: expected a value", executable::explore},
      {{"02", "--csv", (folder / "none" / "x.csv").string()},
       "explore: --csv: cannot write",
       executable::explore},
      {{"02", "--script", "C1"},
       "explore: --script: explore makes every schedule",
       executable::explore},
      {{"02", "--producer-delay", "5"}, "explore: --producer-delay: ", executable::explore},
      {{"02", "--producers", "0"}, "explore: --producers: ", executable::explore},
  };
  cases.insert(cases.end(), files.begin(), files.end());
  cases.insert(cases.end(), since.begin(), since.end());
  BOOST_TEST(cases.size() >= 30u);
  for (const bad_input& bad : cases) {
    const auto [status, out, err] = run_program(bad.program, bad.args);
    BOOST_TEST_INFO("args: " << bad.args.front() << " " << bad.args.back() << "; stderr: " << err);
    BOOST_TEST(status == 2);
    BOOST_TEST(std::count(err.begin(), err.end(), '\n') == 1);
    BOOST_TEST(err.size() < 300u);
    BOOST_TEST(err.find(bad.named) != std::string::npos);
    BOOST_TEST(!fs::exists(svg));
  }
  fs::remove_all(folder);
}

BOOST_AUTO_TEST_CASE(a_message_quotes_input_on_one_line_and_cuts_it_with_its_length) {
  using lesson::quote;
  BOOST_TEST(quote("ten") == "'ten'");
  BOOST_TEST(quote("a\nb\x7f") == "'a\\x0Ab\\x7F'");
  const std::string sixty(lesson::quoted_chars_at_most, '0');
  BOOST_TEST(quote(sixty) == "'" + sixty + "'");
  BOOST_TEST(quote(sixty + "0") == "'" + sixty.substr(3) + "...' (61 characters)");
  // Cut between characters, never inside one: 60 two-byte characters and one more.
  std::string accents;
  for (std::size_t i = 0; i <= lesson::quoted_chars_at_most; ++i) {
    accents += "\u00e9";
  }
  BOOST_TEST(quote(accents) == "'" + accents.substr(0, 2 * 57) + "...' (61 characters)");
}

BOOST_AUTO_TEST_CASE(a_config_file_may_fill_the_limit_and_start_with_a_byte_order_mark) {
  const fs::path file =
      fs::temp_directory_path() / ("cv_lessons_options_test.bom." + std::to_string(::getpid()));
  std::string text =
      "\xEF\xBB\xBF"
      "capacity = 3\n# ";
  text += std::string(lesson::limits::max_config_bytes - text.size() - 1, '.') + "\n";
  std::ofstream(file.string()) << text;
  BOOST_TEST(fs::file_size(file) == lesson::limits::max_config_bytes);
  const command_line c = parse({"--config", file.string()});
  fs::remove(file);
  BOOST_TEST(c.chosen.capacity == 3u);
}

BOOST_AUTO_TEST_CASE(each_tool_lists_the_options_it_takes_and_no_defaults_of_a_lesson,
                     *boost::unit_test::timeout(60)) {
  // Before, both listed every option with lesson 02's or 01's defaults; the
  // options they leave out are refused (see the bad input above).
  const std::pair<executable, std::vector<std::string>> tools[] = {
      {executable::compare, {"trace", "svg", "html", "repeat", "config", "play", "goal"}},
      {executable::scoreboard, {"trace", "svg", "html", "lines", "play", "goal"}},
  };
  for (const auto& [program, left_out] : tools) {
    const finished_run help = run_program(program, {"--help"});
    BOOST_TEST(help.status == 0);
    BOOST_TEST(help.out.find("(default") == std::string::npos);
    for (const lesson::option_spec& option : lesson::option_table()) {
      const std::string name = option.name;
      BOOST_TEST_INFO("--" << name << " in:\n" << help.out);
      BOOST_TEST((help.out.find("  --" + name + " ") != std::string::npos) ==
                 (std::find(left_out.begin(), left_out.end(), name) == left_out.end()));
    }
  }
  BOOST_TEST(run_program(executable::scoreboard, {"--help"}).out.find("its own defaults") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_command_line_wins_over_a_config_file) {
  const fs::path file =
      fs::temp_directory_path() / ("cv_lessons_options_test.cfg." + std::to_string(::getpid()));
  std::ofstream(file.string()) << "# a classroom scenario\nproducers = 2\ncapacity = 1\n"
                                  "script = P1,P2,C1,P1,P2\ntrace = table\n";
  const command_line c = parse({"--config", file.string(), "--capacity", "3"});
  fs::remove(file);
  BOOST_TEST(c.chosen.producers == 2u);
  BOOST_TEST(c.chosen.capacity == 3u);
  BOOST_TEST(c.chosen.script.size() == 5u);
  BOOST_TEST((c.chosen.trace == lesson::trace_format::table));
}

// Whether the process comes to run `wanted` threads within 30 s (read from
// /proc), false if it ends first.
bool threads_reach(pid_t process, int wanted) {
  const std::string status = "/proc/" + std::to_string(process) + "/status";
  for (int tries = 0; tries < 3000; ++tries) {
    std::ifstream in(status);
    if (!in) {
      return false;
    }
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("Threads:", 0) == 0 && std::stoi(line.substr(8)) >= wanted) {
        return true;
      }
    }
    ::usleep(10'000);
  }
  return false;
}

BOOST_AUTO_TEST_CASE(a_signal_stops_a_run_within_a_second, *boost::unit_test::timeout(120)) {
  // A run that would take 100 s and cannot fail before (02 with one consumer
  // has nobody to steal a wakeup), stopped by SIGINT and by SIGTERM: it joins
  // its threads, prints `result: interrupted` and dies of the signal, which a
  // shell reports as exit 130 or 143. A search that would take half a minute
  // prints what it found, says the signal cut it, and dies of it too.
  struct stopped_program {
    std::string path;
    std::vector<const char*> args;
    const char* says;
  };
  const stopped_program programs[] = {
      {path_of(executable::lesson_02),
       {"--consumers", "1", "--producer-delay", "1000", "--items", "100"},
       "result: interrupted"},
      {path_of(executable::explore),
       {"06", "--producers", "3", "--consumers", "2"},
       "The search was cut by SIG"},
  };
  for (const auto& [program, args, says] : programs) {
    for (const int signal : {SIGINT, SIGTERM}) {
      const fs::path out =
          fs::temp_directory_path() / ("cv_lessons_options_test.out." + std::to_string(::getpid()));
      std::vector<char*> argv = {const_cast<char*>(program.c_str())};
      for (const char* arg : args) {
        argv.push_back(const_cast<char*>(arg));
      }
      argv.push_back(nullptr);
      const pid_t child = ::fork();
      if (child == 0) {
        const int file = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(file, STDOUT_FILENO);
        ::execv(program.c_str(), argv.data());
        ::_exit(127);
      }
      // A handshake, not a guess: the signal goes once the run's threads
      // are running (at least four: the main one, the signal listener and
      // a worker or two), however slowly the program starts (a sanitizer, a
      // busy machine).
      BOOST_TEST_REQUIRE(threads_reach(child, 4), "the program never started its run");
      const auto sent = std::chrono::steady_clock::now();
      ::kill(child, signal);
      int status = 0;
      ::waitpid(child, &status, 0);
      const auto took = std::chrono::steady_clock::now() - sent;
      std::stringstream text;
      text << std::ifstream(out).rdbuf();
      fs::remove(out);
      BOOST_TEST_INFO("signal " << signal << "; output:\n" << text.str());
      BOOST_TEST(WIFSIGNALED(status));
      BOOST_TEST((WIFSIGNALED(status) && WTERMSIG(status) == signal));
      BOOST_TEST((took < std::chrono::seconds(1)));
      BOOST_TEST(text.str().find(says) != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_thread_that_cannot_start_ends_the_run_with_exit_2_and_one_line,
                     *boost::unit_test::timeout(60)) {
  // The run in a child process whose user may have 3 tasks: its main thread
  // and two workers start, the third cannot. The started ones are joined and
  // the run says why in one line. Root is not held to the limit, so a child
  // of root first becomes nobody.
  int err[2];
  BOOST_TEST_REQUIRE(::pipe(err) == 0);
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(err[0]);
    ::dup2(err[1], STDERR_FILENO);
    const int nowhere = ::open("/dev/null", O_WRONLY);
    ::dup2(nowhere, STDOUT_FILENO);
    if (::geteuid() == 0 &&
        (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)) {
      ::_exit(126);
    }
    const rlimit three_tasks{3, 3};
    ::setrlimit(RLIMIT_NPROC, &three_tasks);
    std::vector<std::string> words = {"02_if_wait_bug", "--producers", "2", "--consumers", "2",
                                      "--trace",        "none"};
    std::vector<char*> argv;
    for (std::string& word : words) {
      argv.push_back(word.data());
    }
    argv.push_back(nullptr);
    const int code =
        lesson::main(static_cast<int>(words.size()), argv.data(), named("02_if_wait_bug"));
    std::cout.flush();
    ::_exit(code);
  }
  ::close(err[1]);
  std::string text;
  char chunk[512];
  for (ssize_t got; (got = ::read(err[0], chunk, sizeof chunk)) > 0;) {
    text.append(chunk, static_cast<std::size_t>(got));
  }
  ::close(err[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  BOOST_TEST_INFO("stderr: " << text);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 2);
  BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 1);
  BOOST_TEST(text.find("02_if_wait_bug: could not start thread") == 0);
}

BOOST_AUTO_TEST_CASE(progress_shows_on_a_terminal_only, *boost::unit_test::timeout(60)) {
  // Captured: nothing but the results, so that saved outputs stay as they are.
  const finished_run captured =
      run_program(executable::lesson_02, {"--repeat", "3", "--time-scale", "0.01"});
  BOOST_TEST(captured.err.empty(), captured.err);
  BOOST_TEST(captured.out.find("02_if_wait_bug: run 1 of 3") == std::string::npos);
  // On a terminal (script(1) gives the program one): the run it is on, on stderr.
  const fs::path typescript =
      fs::temp_directory_path() / ("cv_lessons_options_test.tty." + std::to_string(::getpid()));
  const std::string command = "timeout 20 script -qec \"'" + path_of(executable::lesson_02) +
                              "' --repeat 3 --time-scale 0.01\" /dev/null >'" +
                              typescript.string() + "'";
  BOOST_TEST_REQUIRE(std::system(command.c_str()) != -1);
  std::stringstream shown;
  shown << std::ifstream(typescript).rdbuf();
  fs::remove(typescript);
  BOOST_TEST(shown.str().find("02_if_wait_bug: run 1 of 3") != std::string::npos, shown.str());
  BOOST_TEST(shown.str().find("3 runs: ") != std::string::npos);
}

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();  // script(1)'s terminal ends lines with "\r\n"
    }
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) {
    words.push_back(word);
  }
  return words;
}

// The widest line but a `replay:` line, a command to copy whole.
std::size_t widest_line(const std::string& text) {
  std::size_t widest = 0;
  for (const std::string& line : lines_of(text)) {
    if (line.rfind("replay: ", 0) != 0) {
      widest = std::max(widest, line.size());
    }
  }
  return widest;
}

// A program's run with COLUMNS set to `columns`.
finished_run run_in_columns(const std::string& columns, executable which,
                            const std::vector<std::string>& args) {
  ::setenv("COLUMNS", columns.c_str(), 1);
  finished_run run = run_program(which, args);
  ::unsetenv("COLUMNS");
  return run;
}

const std::vector<std::string> stolen_wakeup{"--producers", "1",           "--consumers",      "2",
                                             "--capacity",  "1",           "--items",          "2",
                                             "--script",    "C1,P1,C2,C1", "--producer-delay", "0"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

}  // namespace

BOOST_AUTO_TEST_CASE(wrapping_keeps_every_word_and_fits_the_width) {
  using lesson::wrapped;
  BOOST_TEST(wrapped("short line\n", 80) == "short line\n");
  BOOST_TEST(wrapped("no limit at all, however long", 0) == "no limit at all, however long");
  BOOST_TEST(wrapped("  one two three four", 12) == "  one two\n    three\n    four");
  BOOST_TEST(wrapped("result: ok produced=20 consumed=20", 20, 8) ==
             "result: ok\n        produced=20\n        consumed=20");
  // A word longer than a line is split, not cut.
  BOOST_TEST(wrapped("abcdefghij", 4, 0) == "abcd\nefgh\nij");
  // A drawn buffer stays whole.
  BOOST_TEST(wrapped("took (underflow)  |....| 0/4", 20) == "took (underflow)\n  |....| 0/4");
  const std::string many = "a long line of words that goes on and on, past any projector's edge";
  for (std::size_t width = 14; width < 80; ++width) {  // the longest word fits, indented
    BOOST_TEST(widest_line(wrapped(many, width)) <= width);
    BOOST_TEST(words_of(wrapped(many, width)) == words_of(many));
  }
}

BOOST_AUTO_TEST_CASE(lessons_and_tools_fit_the_width_and_wrap_rather_than_cut,
                     *boost::unit_test::timeout(120)) {
  for (const char* trace : {"text", "table"}) {
    const std::vector<std::string> args = with(stolen_wakeup, {"--trace", trace});
    const finished_run unlimited = run_in_columns("1000", executable::lesson_02, args);
    for (const std::size_t columns : {80, 120}) {
      const finished_run fitted =
          run_in_columns(std::to_string(columns), executable::lesson_02, args);
      BOOST_TEST_INFO(trace << " in " << columns << " columns:\n" << fitted.out);
      BOOST_TEST(fitted.status == 1);
      BOOST_TEST(widest_line(fitted.out) <= columns);
      if (std::string(trace) ==
          "text") {  // the table may write a count for a list that does not fit
        BOOST_TEST(words_of(fitted.out) == words_of(unlimited.out));
      }
    }
  }
  // A free run (with times) and its report, and the tools.
  for (const std::size_t columns : {80, 120}) {
    const std::string width = std::to_string(columns);
    const finished_run free_run = run_in_columns(width, executable::lesson_02, {});
    BOOST_TEST(widest_line(free_run.out) <= columns, free_run.out);
    BOOST_TEST(free_run.out.find("VIOLATION at step") != std::string::npos);
    const finished_run side_by_side =
        run_in_columns(width, executable::compare, with({"02", "03"}, stolen_wakeup));
    BOOST_TEST(widest_line(side_by_side.out) <= columns, side_by_side.out);
    BOOST_TEST(side_by_side.out.find('~') == std::string::npos);
    BOOST_TEST(side_by_side.out.find("Stolen wakeup") != std::string::npos);
    const finished_run board = run_in_columns(width, executable::scoreboard, stolen_wakeup);
    BOOST_TEST(widest_line(board.out) <= columns, board.out);
    BOOST_TEST(widest_line(run_in_columns(width, executable::lesson_02, {"--help"}).out) <=
               columns);
  }
}

BOOST_AUTO_TEST_CASE(explore_says_how_every_schedule_ends_and_exits_by_the_worst,
                     *boost::unit_test::timeout(120)) {
  const fs::path csv = fs::temp_directory_path() /
                       ("cv_lessons_options_test.explore." + std::to_string(::getpid()) + ".csv");
  const std::vector<std::string> small = {"--producers", "1", "--consumers", "2",
                                          "--capacity",  "1", "--items",     "2"};
  const finished_run bug =
      run_in_columns("80", executable::explore, with({"02", "--csv", csv.string()}, small));
  BOOST_TEST(bug.status == 1);
  BOOST_TEST(widest_line(bug.out) <= 80u, bug.out);
  BOOST_TEST(bug.out.find("violation: underflow: shortest schedule, 4 decisions: C1,P1,C2,C1") !=
                 std::string::npos,
             bug.out);
  BOOST_TEST(bug.out.find("--script C1,P1,C2,C1") != std::string::npos);
  BOOST_TEST(bug.out.find("12 of 40 schedules fail") != std::string::npos);
  BOOST_TEST(lesson_test::lines_of(bug.out).back() ==
             "The search was complete: every schedule explored.");
  std::stringstream rows;
  rows << std::ifstream(csv.string()).rdbuf();
  const std::vector<std::string> lines = lesson_test::lines_of(rows.str());
  BOOST_TEST_REQUIRE(lines.size() == 3u);
  BOOST_TEST(lines[0].rfind("lesson,producers,consumers,capacity,items,spurious,outcome,", 0) == 0);
  BOOST_TEST(lines[1].rfind("02_if_wait_bug,1,2,1,2,0,ok,28,", 0) == 0);
  BOOST_TEST(lines[2].rfind("02_if_wait_bug,1,2,1,2,0,violation: underflow,12,", 0) == 0);
  fs::remove(csv);
  BOOST_TEST(run_program(executable::explore, with({"04"}, small)).status == 3);
  const finished_run fixed = run_program(executable::explore, with({"05"}, small));
  BOOST_TEST(fixed.status == 0);
  BOOST_TEST(fixed.out.find("no schedule explored breaks 05_notify_all") != std::string::npos);
  const finished_run cut = run_program(executable::explore, {"05", "--max-schedules", "2"});
  BOOST_TEST(cut.status == 0);
  BOOST_TEST(
      lesson_test::lines_of(cut.out).back().find("cut by --max-schedules 2") != std::string::npos,
      cut.out);
  BOOST_TEST(run_program(executable::explore, {"--help"}).status == 0);
  BOOST_TEST(run_program(executable::explore, {"--version"}).out.rfind("explore (", 0) == 0);
}

BOOST_AUTO_TEST_CASE(csv_and_jsonl_are_never_wrapped, *boost::unit_test::timeout(60)) {
  for (const char* format : {"csv", "jsonl"}) {
    const std::vector<std::string> args = with(stolen_wakeup, {"--trace", format});
    const finished_run narrow = run_in_columns("40", executable::lesson_02, args);
    BOOST_TEST(narrow.out == run_in_columns("1000", executable::lesson_02, args).out);
    BOOST_TEST(widest_line(narrow.out) > 40);
  }
}

BOOST_AUTO_TEST_CASE(the_width_is_80_off_a_terminal_and_the_terminals_on_one,
                     *boost::unit_test::timeout(60)) {
  ::unsetenv("COLUMNS");
  const finished_run captured = run_program(executable::lesson_02, stolen_wakeup);
  BOOST_TEST(widest_line(captured.out) <= 80);
  // The summary is longer than 80 columns: it wraps under "result: ".
  BOOST_TEST(captured.out.find("\n        notifies=") != std::string::npos, captured.out);
  // A terminal 150 columns wide (script(1) gives the program one) fits it whole.
  const fs::path typescript =
      fs::temp_directory_path() / ("cv_lessons_options_test.cols." + std::to_string(::getpid()));
  std::string command = "stty cols 150 rows 50; '" + path_of(executable::lesson_02) + "'";
  for (const std::string& arg : stolen_wakeup) {
    command += ' ' + arg;
  }
  BOOST_TEST_REQUIRE(std::system(("timeout 20 script -qec \"" + command + "\" /dev/null >'" +
                                  typescript.string() + "'")
                                     .c_str()) != -1);
  std::stringstream shown;
  shown << std::ifstream(typescript).rdbuf();
  fs::remove(typescript);
  BOOST_TEST(widest_line(shown.str()) > 100, shown.str());
  BOOST_TEST(widest_line(shown.str()) <= 150);
}

BOOST_AUTO_TEST_CASE(a_script_naming_a_thread_the_run_lacks_names_the_threads_it_has) {
  BOOST_TEST(refusal({"--script", "C3", "--consumers", "2", "--producers", "1"}) ==
             "--script: decision 1, 'C3': there is no C3 in this run (threads: P1, C1, C2)");
  BOOST_TEST(refusal({"--script", "C1,P1,wake=P3", "--producers", "2", "--consumers", "3"}) ==
             "--script: decision 3, 'wake=P3': there is no P3 in this run (threads: P1, P2, "
             "C1 to C3)");
  BOOST_TEST(refusal({"--script", "C1,,P1", "--producers", "1", "--consumers", "1"}) ==
             "--script: decision 2, '': not a decision: write T, wake=T or spurious=T, T one of "
             "this run's threads (P1, C1), separated by commas");
}

namespace {

// Where a child's standard output goes.
enum class stdout_to { full_device, closed_pipe, null_device };

// Runs a program with its standard output as told, its files no larger than
// `file_limit` bytes (a write past it fails with EFBIG, SIGXFSZ ignored), and
// its standard error read through a pipe.
finished_run run_writing_to(stdout_to where, executable which, const std::vector<std::string>& args,
                            rlim_t file_limit = RLIM_INFINITY) {
  int err[2];
  int out[2];
  BOOST_TEST_REQUIRE(::pipe(err) == 0);
  BOOST_TEST_REQUIRE(::pipe(out) == 0);
  ::close(out[0]);  // nobody will read: every write to out[1] fails with EPIPE
  const std::string path = path_of(which);
  std::vector<std::string> words{"timeout", "20", path};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& word : words) {
    argv.push_back(word.data());
  }
  argv.push_back(nullptr);
  const pid_t child = ::fork();
  BOOST_TEST_REQUIRE(child >= 0);
  if (child == 0) {
    const int target =
        where == stdout_to::closed_pipe
            ? out[1]
            : ::open(where == stdout_to::full_device ? "/dev/full" : "/dev/null", O_WRONLY);
    ::dup2(target, STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    std::signal(SIGPIPE, SIG_DFL);  // as a shell starts it: a program must ignore it itself
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{file_limit, file_limit};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(err[1]);
  ::close(out[1]);
  std::string text;
  char chunk[512];
  for (ssize_t got; (got = ::read(err[0], chunk, sizeof chunk)) > 0;) {
    text.append(chunk, static_cast<std::size_t>(got));
  }
  ::close(err[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, "", text};
}

const std::vector<std::string> small_search{
    "02", "--producers", "1", "--consumers", "2", "--capacity", "1", "--items", "2"};

}  // namespace

BOOST_AUTO_TEST_CASE(output_that_cannot_be_written_is_said_in_one_line_with_exit_code_5,
                     *boost::unit_test::timeout(180)) {
  BOOST_TEST(lesson::output_failed_exit_code == 5);
  const struct {
    executable program;
    const char* name;
    std::vector<std::string> args;
  } programs[] = {
      {executable::lesson_02, "02_if_wait_bug", stolen_wakeup},
      {executable::lesson_02, "02_if_wait_bug", with(stolen_wakeup, {"--trace", "csv"})},
      {executable::lesson_02, "02_if_wait_bug", {"--help"}},
      {executable::compare, "compare", with({"02", "03"}, stolen_wakeup)},
      {executable::explore, "explore", small_search},
      {executable::scoreboard, "scoreboard", stolen_wakeup},
  };
  for (const auto& p : programs) {
    for (const auto& [where, reason] :
         {std::pair{stdout_to::full_device, ENOSPC}, std::pair{stdout_to::closed_pipe, EPIPE}}) {
      const finished_run run = run_writing_to(where, p.program, p.args);
      BOOST_TEST_INFO(p.name << ' ' << p.args.front()
                             << (reason == EPIPE ? " | closed" : " > full"));
      BOOST_TEST(run.status == lesson::output_failed_exit_code);
      BOOST_TEST_REQUIRE(!run.err.empty());
      BOOST_TEST(lesson_test::lines_of(run.err).back() ==
                 std::string(p.name) +
                     ": cannot write to standard output: " + std::strerror(reason));
      // The summary of a csv trace goes to stderr: it and the one line, no more.
      BOOST_TEST(run.err.find("cannot write", run.err.find("cannot write") + 1) ==
                 std::string::npos);
    }
    // The same run with its output written is no failure of its own.
    BOOST_TEST(run_writing_to(stdout_to::null_device, p.program, p.args).status !=
               lesson::output_failed_exit_code);
  }
}

BOOST_AUTO_TEST_CASE(a_file_that_cannot_be_written_whole_is_said_and_left_out,
                     *boost::unit_test::timeout(120)) {
  const fs::path folder =
      fs::temp_directory_path() / ("cv_lessons_options_test.files." + std::to_string(::getpid()));
  fs::create_directories(folder);
  const auto file = [&](const char* name) { return (folder / name).string(); };
  const struct {
    executable program;
    std::vector<std::string> args;
    std::string said;
  } cases[] = {
      {executable::lesson_02, with(stolen_wakeup, {"--svg", file("run.svg")}),
       "02_if_wait_bug: --svg: cannot write " + file("run.svg")},
      {executable::lesson_02, with(stolen_wakeup, {"--html", file("run.html")}),
       "02_if_wait_bug: --html: cannot write " + file("run.html")},
      {executable::explore, with(small_search, {"--csv", file("runs.csv")}),
       "explore: --csv: cannot write " + file("runs.csv")},
  };
  for (const auto& c : cases) {
    // 100 bytes a file: the first write of each is longer.
    const finished_run run = run_writing_to(stdout_to::null_device, c.program, c.args, 100);
    BOOST_TEST_INFO(c.said);
    BOOST_TEST(run.status == lesson::output_failed_exit_code);
    BOOST_TEST_REQUIRE(!run.err.empty());
    BOOST_TEST(lesson_test::lines_of(run.err).back() == c.said + ": " + std::strerror(EFBIG));
    BOOST_TEST(fs::is_empty(folder), "a partial file was left in " << folder);
  }
  fs::remove_all(folder);
}

BOOST_AUTO_TEST_CASE(a_lesson_copied_elsewhere_still_shows_its_code,
                     *boost::unit_test::timeout(60)) {
  const fs::path folder =
      fs::temp_directory_path() / ("cv_lessons_options_test.copy." + std::to_string(::getpid()));
  fs::create_directories(folder);
  const fs::path copy = folder / "02_if_wait_bug";
  fs::copy_file(path_of(executable::lesson_02), copy);
  std::string command =
      "cd '" + folder.string() + "' && timeout 20 ./02_if_wait_bug --html page.html";
  for (const std::string& arg : stolen_wakeup) {
    command += " '" + arg + "'";
  }
  BOOST_TEST(WEXITSTATUS(std::system((command + " >out 2>err").c_str())) == 1);
  std::stringstream page;
  page << std::ifstream(folder / "page.html").rdbuf();
  BOOST_TEST(page.str().find("s.items.take();") != std::string::npos);
  std::stringstream err;
  err << std::ifstream(folder / "err").rdbuf();
  BOOST_TEST(err.str().empty(), err.str());
  fs::remove_all(folder);
}

BOOST_AUTO_TEST_CASE(a_lesson_source_not_found_is_said_once_with_where_it_looked) {
  // Where it was compiled is gone: found again from the test's own folder or
  // the working folder, as a build moved with its source tree finds it.
  const std::vector<std::string> moved =
      lesson::lesson_source("/moved/away/samples/02_if_wait_bug.cpp");
  BOOST_TEST_REQUIRE(moved.size() > 10u);
  BOOST_TEST(moved[1].rfind("// Lesson 02", 0) == 0u, moved[1]);
  // Nowhere: nothing shown, and one line that says where it looked.
  std::ostringstream said;
  std::streambuf* const stderr_buffer = std::cerr.rdbuf(said.rdbuf());
  const std::vector<std::string> missing = lesson::lesson_source("/moved/away/samples/99_none.cpp");
  lesson::lesson_source("/moved/away/samples/99_none.cpp");
  std::cerr.rdbuf(stderr_buffer);
  const std::string line = said.str();
  BOOST_TEST(missing.empty());
  BOOST_TEST(std::count(line.begin(), line.end(), '\n') == 1, line);
  BOOST_TEST(line.find("the lesson's code is not shown: no /moved/away/samples/99_none.cpp, ") !=
                 std::string::npos,
             line);
  BOOST_TEST(line.find("samples/99_none.cpp; run the program from the folder it was built "
                       "in") != std::string::npos,
             line);
}
