#include "drive/driver.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/format.hpp>
#include <boost/thread/thread.hpp>
#include <boost/version.hpp>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <vector>

#include "command_line/option_table.hpp"
#include "command_line/options.hpp"
#include "command_line/output_check.hpp"
#include "drive/explore.hpp"
#include "drive/play.hpp"
#include "drive/progress.hpp"
#include "engine/signals.hpp"
#include "model/outcome.hpp"
#include "show/assemble.hpp"
#include "show/columns.hpp"
#include "show/describe.hpp"
#include "show/replace_file.hpp"
#include "show/replay.hpp"

namespace lesson {

namespace {

constexpr const char* suite_version = "1.0.0";
constexpr std::size_t summary_hang = 8;  // a wrapped summary goes on under "result: "

// A run worth running again: it failed for a reason the schedule decides.
bool replayable(const run_result& r) {
  return (r.result == outcome::violation || r.result == outcome::deadlock) && !r.schedule.empty();
}

// What stands for the replay line of a failed free run that cannot have one.
std::string no_replay_line(const definition& lesson) {
  return std::string(
             "replay: none: a thread put or took without the lock, and a free run records "
             "the order of what is done under it only; `explore ") +
         lesson.name + "` finds schedules that show this failure on every run";
}

// A replay line longer than this is not printed whole: a free run that failed
// after thousands of decisions would fill the screen with one line.
constexpr std::size_t longest_replay_shown = 400;

// The whole replay command in a new file of the temporary folder, whose path
// it returns; empty when it could not be written whole.
std::string saved_replay(const definition& lesson, const std::string& command) {
  std::string path =
      (std::filesystem::temp_directory_path() / (std::string(lesson.name) + ".replay.XXXXXX"))
          .string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) {
    return "";
  }
  ::close(fd);
  std::ofstream file(path);
  file << command << '\n';
  file.close();
  if (!file) {
    std::filesystem::remove(path);
    return "";
  }
  return path;
}

// The fewest decisions to the same end as `r`, with the same threads and
// buffer and at most 2 items, from a search that explores every schedule
// within 100,000 runs and 5 seconds; empty when that search finds none or is
// cut (the failure may need more items, or more threads than it can explore).
std::string shortened_replay(const definition& lesson, const settings& chosen,
                             const run_result& r) {
  settings small = chosen;
  small.items = std::min<std::uint64_t>(chosen.items, 2);
  explore_limits quick;
  quick.max_runs = 100'000;
  quick.seconds = 5;
  const exploration found = explore(lesson, small, quick);
  if (!found.complete) {
    return "";  // a cut search's shortest depends on timing: the replay must not
  }
  const std::string label = outcome_label(r.result, r.kind);
  for (const explored_outcome& o : found.outcomes) {
    if (o.label == label && !o.shrunk.empty()) {
      return replay_line(lesson, found.config, schedule_text(o.shrunk, small.producers));
    }
  }
  return "";
}

// A failed run's replay: line, whole when it is short enough to read. A
// longer one is written to a file, run again by `sh FILE`; the replay: line
// is then the same failure in the fewest decisions explore finds, when it
// finds one, else `sh FILE`.
std::string replay_text(const definition& lesson, const settings& chosen, const run_result& r) {
  const std::string whole =
      replay_line(lesson, chosen, schedule_text(r.schedule, chosen.producers));
  if (whole.size() <= longest_replay_shown) {
    return whole;  // a command: never wrapped
  }
  const std::string file = saved_replay(lesson, whole.substr(std::string("replay: ").size()));
  if (file.empty()) {
    return whole;
  }
  const std::size_t decisions = r.schedule.size();
  const std::string own =
      (boost::format("this run's own schedule has %d decisions") % decisions).str();
  const std::string shortened = shortened_replay(lesson, chosen, r);
  if (shortened.empty()) {
    return "replay: sh " + file + "\n" +
           wrapped("  (" + own + ": that file runs them again)", chosen.columns, 3);
  }
  return shortened + "\n" +
         wrapped("  (the same " + outcome_label(r.result, r.kind) +
                     " in the fewest decisions explore found, with at most 2 items; " + own +
                     ": the next line runs them again)",
                 chosen.columns, 3) +
         "\nreplay whole: sh " + file;
}

// The options that decide what a scripted run does; the others change how
// long it takes (the pauses) or how it is shown.
constexpr const char* deciding_options[] = {"producers", "consumers", "capacity", "items"};

std::string shown_value(const char* option, const settings& chosen) {
  return find_option(option)->shown_default(chosen);
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) {
    text += (text.empty() ? "" : " ") + word;
  }
  return text;
}

// The run a page or a timeline shows, and the line said about it first.
struct pictured_run {
  command_line command;
  std::string said;
};

// A page or a timeline of a lesson that teaches a bug shows the bug: with no
// --script given, `args` with the first of the lesson's bug scripts whose
// deciding options the command line does not set otherwise, and the options
// that script needs. When none fits, the run asked for, and why.
pictured_run with_teaching_schedule(const definition& lesson, const std::vector<std::string>& args,
                                    const command_line& asked) {
  const settings& c = asked.chosen;
  if ((c.html_file.empty() && c.svg_file.empty()) || lesson.teaches == outcome::ok ||
      asked.given.count("script") > 0) {
    return {asked, ""};
  }
  const std::string pictures = c.svg_file.empty()    ? "the page shows"
                               : c.html_file.empty() ? "the timeline shows"
                                                     : "the page and the timeline show";
  std::string first_misfit;
  for (const std::vector<std::string>& options : bug_script_options(lesson)) {
    const command_line schedule = parse_command_line(lesson, options);
    std::vector<std::string> teaching = args;
    std::string misfit;
    for (const char* option : deciding_options) {
      const std::string needed = shown_value(option, schedule.chosen);
      if (asked.given.count(option) == 0) {
        teaching.insert(teaching.end(), {std::string("--") + option, needed});
      } else if (shown_value(option, c) != needed && misfit.empty()) {
        misfit = (boost::format("its teaching schedule (%s) needs --%s %s, not %s") %
                  joined(options) % option % needed % shown_value(option, c))
                     .str();
      }
    }
    if (misfit.empty()) {
      teaching.insert(teaching.end(), {"--script", shown_value("script", schedule.chosen)});
      return {parse_command_line(lesson, teaching), pictures + " the lesson's teaching schedule, " +
                                                        joined(options) +
                                                        " (give --script free for a free run)"};
    }
    first_misfit = first_misfit.empty() ? misfit : first_misfit;
  }
  return {asked, pictures + " the run asked for, which may show no failure: " + first_misfit};
}

}  // namespace

std::string help_text(const definition& lesson) {
  return help_text(lesson, how_to_play(lesson));
}

std::string version_text(const char* name) {
  return (boost::format("%s (cv-lessons %s, Boost %d.%d)\n") % name % suite_version %
          (BOOST_VERSION / 100000) % (BOOST_VERSION / 100 % 1000))
      .str();
}

void touch_boost_thread() {
  // Any Boost.Thread call runs the call_once that sets up its thread data:
  // here, in the main thread, before a worker can start.
  boost::this_thread::interruption_enabled();
}

int run_lesson(const definition& lesson, const settings& chosen, std::ostream& out,
               std::ostream& summary) {
  touch_boost_thread();
  if (chosen.repeat == 1) {
    const run_result r = run_once(lesson, chosen, out);
    if (!r.report.empty()) {
      summary << wrapped(r.report, chosen.columns) << '\n';
    }
    if (replayable(r)) {
      summary << replay_text(lesson, chosen, r) << '\n';
    } else if (r.moved_unlocked && r.result != outcome::ok) {
      summary << wrapped(no_replay_line(lesson), chosen.columns, 2) << '\n';
    }
    summary << wrapped(summary_line(r.result, r.figures, !chosen.script.empty()), chosen.columns,
                       summary_hang)
            << std::endl;
    return exit_code(r.result, caught_signal());
  }

  outcome_counts counts;
  tally total;
  std::set<outcome> reported;
  settings this_run = chosen;
  progress shown;
  while (counts.total() < chosen.repeat && counts[outcome::interrupted] == 0) {
    this_run.run_number = static_cast<unsigned>(counts.total()) + 1;
    shown.show((boost::format("%s: run %d of %d: %d ok, %d violation, %d deadlock") % lesson.name %
                this_run.run_number % chosen.repeat % counts[outcome::ok] %
                counts[outcome::violation] % counts[outcome::deadlock])
                   .str());
    const run_result r = run_once(lesson, this_run, out);
    counts.add(r.result);
    total += r.figures;
    if (r.result != outcome::ok && reported.insert(r.result).second) {
      shown.clear();
      summary << "run " << counts.total() << " of " << chosen.repeat << ", the first "
              << to_string(r.result) << ":\n"
              << wrapped(r.report, chosen.columns) << '\n';
      if (replayable(r)) {
        summary << replay_text(lesson, chosen, r) << '\n';
      } else if (r.moved_unlocked && r.result != outcome::ok) {
        summary << wrapped(no_replay_line(lesson), chosen.columns, 2) << '\n';
      }
    }
  }
  shown.clear();
  const outcome worst = counts.worst();
  summary << (boost::format("%d runs: %d ok, %d violation, %d deadlock%s%s\n") % counts.total() %
              counts[outcome::ok] % counts[outcome::violation] % counts[outcome::deadlock] %
              (counts[outcome::stuck] > 0
                   ? (boost::format(", %d stuck") % counts[outcome::stuck]).str()
                   : std::string()) %
              (counts[outcome::interrupted] > 0 ? ", the last one interrupted" : ""))
          << wrapped(summary_line(worst, total, !chosen.script.empty()), chosen.columns,
                     summary_hang)
          << std::endl;
  return exit_code(worst, caught_signal());
}

namespace {

int run_main(int argc, char* argv[], const definition& lesson) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const command_line command = parse_command_line(lesson, args);
    switch (command.what) {
      case command_line::request::help:
        std::cout << wrapped(help_text(lesson), output_width());
        return 0;
      case command_line::request::version:
        std::cout << version_text(lesson.name);
        return 0;
      case command_line::request::play:
        remember_program_path(argv[0]);
        stop_runs_on_signals();
        return play(lesson, command.chosen, STDIN_FILENO, std::cout);
      case command_line::request::run:
        break;
    }
    remember_program_path(argv[0]);
    stop_runs_on_signals();
    const pictured_run pictured = with_teaching_schedule(lesson, args, command);
    if (!pictured.said.empty()) {
      std::cerr << lesson.name << ": " << pictured.said << '\n';
    }
    settings chosen = pictured.command.chosen;
    chosen.columns = output_width();
    if (chosen.repeat > 1 && !command.trace_given) {
      chosen.trace = trace_format::none;
    }
    const bool records = row_of(chosen.trace).writes_records;
    const int status = run_lesson(lesson, chosen, std::cout, records ? std::cerr : std::cout);
    end_as_signalled();
    return status;
  } catch (const usage_error& e) {
    std::cerr << lesson.name << ": " << e.what() << " (see --help)\n";
    return 2;
  } catch (const output_error& e) {
    std::cerr << lesson.name << ": " << e.what() << '\n';
    return output_failed_exit_code;
  } catch (const std::exception& e) {
    std::cerr << lesson.name << ": " << e.what() << '\n';
    return 2;
  }
}

}  // namespace

int main(int argc, char* argv[], const definition& lesson) {
  watch_standard_output();
  return checked_exit(lesson.name, run_main(argc, argv, lesson));
}

int tool_main(const char* name, int (*body)(int, char*[]), int argc, char* argv[]) {
  watch_standard_output();
  int status = 2;
  try {
    status = body(argc, argv);
  } catch (const usage_error& e) {
    std::cerr << name << ": " << e.what() << " (see --help)\n";
  } catch (const output_error& e) {
    std::cerr << name << ": " << e.what() << '\n';
    status = output_failed_exit_code;
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << '\n';
  }
  return checked_exit(name, status);
}

}  // namespace lesson
