// explore LESSON [options]: runs the lesson under every schedule of a small
// configuration and says how each can end, with the shortest schedule that
// shows each failure and its replay: line. See explore.hpp for the search.
//
//   explore 02 --producers 1 --consumers 2 --capacity 1 --items 2
//   explore 01 --consumers 1 --capacity 1 --items 2 --spurious 1
#include "drive/explore.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "command_line/options.hpp"
#include "drive/driver.hpp"
#include "drive/progress.hpp"
#include "engine/signals.hpp"
#include "lessons.hpp"
#include "show/columns.hpp"
#include "show/replace_file.hpp"
#include "show/replay.hpp"
#include "show/reports.hpp"
#include "student_file.hpp"

namespace {

constexpr unsigned max_spurious = 10;
constexpr double max_schedules = 1e9;
constexpr double max_seconds = 86400;

// The lessons' options but those explore decides itself, and explore's own.
const lesson::taken_options& explore_takes() {
  static const lesson::explore_limits defaults;
  static const lesson::taken_options taken{
      .left_out =
          {
              {"trace", "explore shows no run, only how they end"},
              {"svg", "explore shows no run, only how they end"},
              {"html", "explore shows no run, only how they end"},
              {"repeat", "explore runs each schedule once"},
              {"script",
               "explore makes every schedule itself; run the lesson with its replay: line"},
              {"producer-delay", "explore runs without pauses, which change no schedule"},
              {"consumer-delay", "explore runs without pauses, which change no schedule"},
              {"jitter", "explore runs without pauses, which change no schedule"},
              {"time-scale", "explore runs without pauses, which change no schedule"},
              {"seed", "explore runs without pauses, which change no schedule"},
              {"stall-timeout", "explore sees a deadlock at once"},
              {"config", "explore takes its options on the command line"},
              {"play", "explore plays every schedule itself; play one with 02_if_wait_bug --play"},
              {"goal", "explore finds every outcome"},
              {"lines", "explore shows no run, only how they end"},
          },
      .added =
          {
              lesson::added_number("spurious", "N", "up to N spurious wakeups a schedule",
                                   lesson::whole_numbers(0, max_spurious),
                                   std::to_string(defaults.spurious)),
              lesson::added_number("max-schedules", "N", "stop after N runs",
                                   lesson::whole_numbers(1, max_schedules),
                                   std::to_string(defaults.max_runs)),
              lesson::added_number("seconds", "S", "stop after S seconds",
                                   lesson::numbers_above(0, max_seconds),
                                   (boost::format("%g") % defaults.seconds).str()),
              lesson::added_yes_no(
                  "symmetry",
                  "know a state up to renaming the threads of a side: producers run the same "
                  "code, and so do consumers, so a state and the same state with two of them "
                  "swapped have the same futures, explored once; no explores both (the same "
                  "counts, more states)",
                  defaults.symmetry),
              lesson::added_file("csv", "write a row per outcome to FILE"),
          },
      .added_caption = "Explore's own options"};
  return taken;
}

struct request {
  const lesson::definition* lesson = nullptr;
  lesson::settings chosen;
  lesson::explore_limits limits;
  std::string csv_file;
};

request parse(const std::vector<std::string>& args) {
  if (args.empty() || args.front().rfind("--", 0) == 0) {
    throw lesson::usage_error("usage: explore LESSON [options], e.g. explore 02 --consumers 2");
  }
  request r;
  r.lesson = lessons::find_or_load(args.front());
  if (r.lesson == nullptr) {
    const auto every = lessons::all();
    throw lesson::usage_error("no lesson " + lesson::quote(args.front()) + ": give " +
                              std::string(every.front()->name, 2) + " to " +
                              std::string(every.back()->name, 2) +
                              " or a name such as 02_if_wait_bug");
  }
  // Small unless told: the lesson's threads, one slot, two items each.
  lesson::definition small = *r.lesson;
  small.defaults = lesson::small_settings(*r.lesson);
  const lesson::command_line command = lesson::parse_command_line(
      small, std::vector<std::string>(args.begin() + 1, args.end()), explore_takes());
  if (command.what != lesson::command_line::request::run) {
    throw lesson::usage_error("--help and --version come alone, as explore --help");
  }
  r.chosen = command.chosen;
  for (const auto& [name, value] : command.added) {
    if (name == "spurious") {
      r.limits.spurious = static_cast<unsigned>(value.number);
    } else if (name == "max-schedules") {
      r.limits.max_runs = static_cast<std::uint64_t>(value.number);
    } else if (name == "seconds") {
      r.limits.seconds = value.number;
    } else if (name == "symmetry") {
      r.limits.symmetry = value.number != 0;
    } else if (name == "csv") {
      r.csv_file = value.text;
    }
  }
  return r;
}

std::string decisions(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " decision" : " decisions");
}

std::string configuration(const request& r) {
  const lesson::settings& s = r.chosen;
  std::string text = std::string("explore ") + r.lesson->name + ": " + std::to_string(s.producers) +
                     " producer" + (s.producers == 1 ? "" : "s") + ", " +
                     std::to_string(s.consumers) + " consumer" + (s.consumers == 1 ? "" : "s") +
                     ", capacity " + std::to_string(s.capacity) + ", " + std::to_string(s.items) +
                     " item" + (s.items == 1 ? "" : "s") + " per producer, no pauses";
  text += r.limits.spurious == 0
              ? ", no spurious wakeups"
              : ", up to " + std::to_string(r.limits.spurious) + " spurious wakeup" +
                    (r.limits.spurious == 1 ? "" : "s") + " a schedule";
  return text;
}

// How many fail: of the schedules when the search was complete; when it was
// cut, of the runs that ran to an end (not those stopped at a known state),
// for those are all it counted.
std::string verdict(const request& r, const lesson::exploration& found,
                    const lesson::schedule_count& failing) {
  const std::string name = r.lesson->name;
  const std::string cut = found.complete ? "" : " (the search was cut)";
  if (found.endless) {
    return "a run of " + name +
           " can go round a cycle of states for ever, nothing changing (a livelock); " +
           lesson::count_text(failing) + " of the " + lesson::count_text(found.schedules()) +
           " schedules that end fail";
  }
  if (found.worst() == lesson::outcome::ok) {
    return found.complete ? "no schedule explored breaks " + name
                          : "none of the " + lesson::count_text(found.schedules()) +
                                " runs that ran to an end breaks " + name + cut;
  }
  return lesson::count_text(failing) + " of " + lesson::count_text(found.schedules()) +
         (found.complete ? " schedules fail" : " runs that ran to an end fail" + cut) + ", " +
         (r.lesson->correct() ? "though the lesson is meant to be correct"
                              : "as the lesson teaches");
}

// Each failure's shortest schedule, the fewest decisions a script needs for
// it, and its replay: line.
void print_failures(const request& r, const lesson::exploration& found, std::size_t width,
                    std::ostream& out) {
  for (const lesson::explored_outcome& o : found.outcomes) {
    if (o.result == lesson::outcome::ok) {
      continue;
    }
    const std::string script = lesson::schedule_text(o.shortest, r.chosen.producers);
    const std::string fewest = lesson::schedule_text(o.shrunk, r.chosen.producers);
    out << '\n'
        << lesson::wrapped_between_decisions(
               o.label + ": shortest schedule, " + decisions(o.shortest.size()) +
                   (found.complete ? "" : " (of the first run that ended so)") + ": " +
                   (script.empty() ? "none needed" : script),
               width, 2)
        << '\n';
    if (o.shrunk.size() < o.shortest.size()) {
      out << lesson::wrapped_between_decisions(
                 "  the default rules make the rest of it from " + decisions(o.shrunk.size()) +
                     ": " + (fewest.empty() ? "an empty --script" : "--script " + fewest),
                 width, 4)
          << '\n';
    }
    // A command to copy: one line, never wrapped.
    out << lesson::replay_line(*r.lesson, found.config, script) << '\n';
  }
}

// The count of each outcome, and what a cycle of states means for them.
void print_outcomes(const lesson::exploration& found, std::size_t width, std::ostream& out) {
  out << '\n'
      << lesson::wrapped(found.complete
                             ? "Schedules by outcome, counted over the states (in brackets, the "
                               "runs that went on to that end):"
                             : "Runs by outcome (the search was cut: only the runs made count):",
                         width)
      << '\n';
  std::size_t label_width = 28;
  for (const lesson::explored_outcome& o : found.outcomes) {
    label_width = std::max(label_width, o.label.size());
  }
  for (const lesson::explored_outcome& o : found.outcomes) {
    const bool cycle = found.endless && o.schedules == 0 && o.runs == 0;
    out << "  " << o.label << std::string(label_width - o.label.size(), ' ')
        << boost::format(" %15s  (%d)\n") %
               (cycle ? std::string("no end") : lesson::count_text(o.schedules)) % o.runs;
  }
  if (found.endless) {
    out << '\n'
        << lesson::wrapped(
               "A cycle of states: a run can go round it for ever and nothing "
               "changes (a busy-wait that lets the lock go and takes it again, "
               "chosen every time). Schedules are infinitely many; the counts are "
               "of those that end.",
               width)
        << '\n';
  }
}

// `bug_not_shown`: lesson::bug_not_shown's sentence, printed last, or "".
void print(const request& r, const lesson::exploration& found, const std::string& bug_not_shown,
           std::ostream& out) {
  const std::size_t width = lesson::output_width();
  out << lesson::wrapped(configuration(r), width, 4) << '\n';
  out << lesson::wrapped(
             (boost::format("%d runs (%d of them stopped at a state already explored), %d states, "
                            "%.2f s, %.0f runs a second on %d core%s") %
              found.runs % found.stopped % found.states % found.seconds %
              (found.seconds > 0 ? static_cast<double>(found.runs) / found.seconds : 0) %
              found.searchers % (found.searchers == 1 ? "" : "s"))
                 .str(),
             width, 4)
      << '\n';
  print_outcomes(found, width, out);
  print_failures(r, found, width, out);
  if (!found.not_deterministic.empty()) {
    out << "\nWARNING: not deterministic: " << found.not_deterministic
        << ". The counts are not to be trusted.\n";
  }
  lesson::schedule_count failing = 0;
  for (const lesson::explored_outcome& o : found.outcomes) {
    if (o.result != lesson::outcome::ok) {
      failing += o.schedules;
    }
    if (o.label == std::string("deadlock: ") + lesson::stall_kinds::other_side_finished) {
      out << '\n'
          << lesson::wrapped(o.label + ": not the code's doing: one side finished its count (" +
                                 (r.chosen.quota == lesson::consumer_quota::half_the_items
                                      ? "the recipe's consumers take half the items"
                                      : "more items than the other side takes") +
                                 ") and the other waits for what will never come.",
                             width, 2)
          << '\n';
    }
  }
  out << '\n' << lesson::wrapped("result: " + verdict(r, found, failing) + ".", width, 8) << '\n';
  out << (found.complete
              ? "The search was complete: every schedule explored.\n"
              : "The search was cut by " + found.cut_by + ": not every schedule was explored.\n");
  if (!bug_not_shown.empty()) {
    out << lesson::wrapped(bug_not_shown, width, 4) << '\n';
  }
}

void write_csv(const request& r, const lesson::exploration& found) {
  std::ostringstream csv;
  csv << "lesson,producers,consumers,capacity,items,spurious,outcome,schedules,runs,"
         "shortest_decisions,shortest_schedule,shrunk_decisions,shrunk_schedule,complete,states,"
         "all_runs,seconds\n";
  for (const lesson::explored_outcome& o : found.outcomes) {
    const bool failure = o.result != lesson::outcome::ok;
    csv << r.lesson->name << ',' << r.chosen.producers << ',' << r.chosen.consumers << ','
        << r.chosen.capacity << ',' << r.chosen.items << ',' << r.limits.spurious << ',' << o.label
        << ',' << lesson::count_text(o.schedules, false) << ',' << o.runs << ','
        << (failure ? std::to_string(o.shortest.size()) : "") << ",\""
        << (failure ? lesson::schedule_text(o.shortest, r.chosen.producers) : "") << "\","
        << (failure ? std::to_string(o.shrunk.size()) : "") << ",\""
        << (failure ? lesson::schedule_text(o.shrunk, r.chosen.producers) : "") << "\","
        << (found.complete ? "yes" : "no") << ',' << found.states << ',' << found.runs << ','
        << boost::format("%.3f") % found.seconds << '\n';
  }
  lesson::replace_file(r.csv_file, csv.str(), "--csv");
}

// No estimate of the share done: the graph's size is known only when it has
// been explored. What is known is when --seconds will end it at the latest.
std::string progress_line(const request& r, const lesson::exploration& so_far) {
  return (boost::format("explore: %s runs, %s states, %.0f runs a second, %.0f s of at most %g") %
          lesson::count_text(so_far.runs) % lesson::count_text(so_far.states) %
          (so_far.seconds > 0 ? static_cast<double>(so_far.runs) / so_far.seconds : 0) %
          so_far.seconds % r.limits.seconds)
      .str();
}

int explore(int argc, char* argv[]) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "--version") {
    std::cout << lesson::version_text("explore");
    return 0;
  }
  if (!args.empty() && args.front() == "--help") {
    std::cout << lesson::wrapped(
                     "Usage: explore LESSON [options]\n\n"
                     "Runs the lesson under every schedule of the configuration the options "
                     "give: at each point where several threads ask for the free lock, each of "
                     "them; at each notify_one with several waiters, each of them; with "
                     "--spurious N, up to N spurious wakeups wherever a thread waits. Each "
                     "schedule is a real run of the lesson's threads, without pauses. A run "
                     "that reaches a state already explored stops there: the schedules on from "
                     "it are counted, not run again. Prints how many schedules end each way "
                     "and, for each failure, the shortest schedule that shows it with its "
                     "replay: line. LESSON is a number (02) or a name (02_if_wait_bug).\n\n"
                     "Keep the configuration small: an option not given is the lesson's own "
                     "for --producers and --consumers, and 1 slot and 2 items a producer for "
                     "--capacity and --items. Two threads a side is about 400 states and a "
                     "fifth of a second; three a side, about 5,000 states and 5 to 10 s; four "
                     "a side, a minute or more.\n\n"
                     "Exit code: 0 no schedule explored fails, 1 one violates, 3 one deadlocks "
                     "(the worse of the two), 6 every schedule was explored and none shows the "
                     "bug the lesson declares (it says where the bug shows, when it finds "
                     "that), 2 bad usage, 5 output not written, 130 or 143 interrupted.\n",
                     lesson::output_width(), 0)
              << '\n'
              << lesson::options_text(explore_takes());
    return 0;
  }
  for (const std::string& warning : lessons::build_warnings("explore")) {
    std::cerr << warning << '\n';  // a lesson edited and not rebuilt here: the old code runs
  }
  const request r = parse(args);
  lesson::touch_boost_thread();
  lesson::stop_runs_on_signals();
  lesson::progress shown;
  const lesson::exploration found = lesson::explore(
      *r.lesson, r.chosen, r.limits,
      [&](const lesson::exploration& so_far) { shown.show(progress_line(r, so_far)); });
  shown.clear();
  const std::string bug_not_shown = lesson::bug_not_shown(*r.lesson, found);
  print(r, found, bug_not_shown, std::cout);
  if (!r.csv_file.empty()) {
    write_csv(r, found);
  }
  if (found.cut_by == "SIGINT" || found.cut_by == "SIGTERM") {
    std::cout.flush();
    lesson::end_as_signalled();  // as a lesson does: a calling script stops too
    return lesson::exit_code(lesson::outcome::interrupted, lesson::caught_signal());
  }
  return bug_not_shown.empty() ? lesson::exit_code(found.worst()) : lesson::exit_bug_not_shown;
}

}  // namespace

int main(int argc, char* argv[]) {
  return lesson::tool_main("explore", explore, argc, argv);
}
