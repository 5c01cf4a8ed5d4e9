#include "verdict.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>
#include <tuple>
#include <vector>

#include "drive/driver.hpp"
#include "drive/explore.hpp"
#include "drive/progress.hpp"
#include "show/assemble.hpp"
#include "show/columns.hpp"
#include "show/replay.hpp"

namespace lessons {

namespace {

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string described(const lesson::settings& s, unsigned spurious) {
  return plural(s.producers, "producer", "producers") + " and " +
         plural(s.consumers, "consumer", "consumers") + ", capacity " + std::to_string(s.capacity) +
         ", " + std::to_string(s.items) + " items each" +
         (spurious > 0 ? ", " + plural(spurious, "spurious wakeup", "spurious wakeups") : "");
}

// The commands after a failure: its replay, a page of it, and --play.
void print_commands(const lesson::definition& mine, const std::string& replay,
                    lesson::outcome result, std::ostream& out) {
  const std::string command = replay.substr(replay.find(' ') + 1);
  const std::string goal = result == lesson::outcome::violation ? "violation" : "deadlock";
  out << replay << '\n'
      << "as a page: " << command << " --html " << mine.name << "-" << goal << ".html\n"
      << "be the scheduler: " << command.substr(0, command.find(" --producer-delay"))
      << " --play --goal " << goal << '\n';
}

// The failure's report, as the lesson's run of its shortest schedule gives
// it: what happened, where, and why.
void print_report(const lesson::definition& mine, const lesson::settings& config,
                  const std::string& schedule, std::ostream& out) {
  lesson::settings replayed = config;
  std::istringstream decisions(schedule);
  for (std::string decision; std::getline(decisions, decision, ',');) {
    replayed.script.push_back(decision);
  }
  replayed.columns = lesson::output_width();
  const lesson::run_result run = lesson::run_unshown(mine, replayed);
  if (run.result != lesson::outcome::ok && !run.report.empty()) {
    out << lesson::wrapped(run.report, lesson::output_width(), 2) << '\n';
  }
}

// The worst kind of failure; of those, the one with the shortest schedule
// (the same whichever search came to it first).
const lesson::explored_outcome& chosen_failure(const lesson::exploration& found) {
  return *std::min_element(
      found.outcomes.begin(), found.outcomes.end(),
      [&](const lesson::explored_outcome& a, const lesson::explored_outcome& b) {
        const auto rank = [&](const lesson::explored_outcome& o) {
          return std::make_tuple(o.result != found.worst(), o.shortest.size(), o.label);
        };
        return rank(a) < rank(b);
      });
}

// A failure found: its line, its schedule, its report and its commands.
verdict failed(const lesson::definition& mine, const lesson::exploration& found,
               const explored_configuration& c, std::ostream& out) {
  const lesson::explored_outcome& failure = chosen_failure(found);
  const bool cycle = found.endless && failure.runs == 0;
  verdict v{found.worst(), failure.label, configuration_text(c),
            lesson::schedule_text(failure.shortest, found.config.producers), ""};
  out << "  " << described(found.config, c.spurious) << ": " << failure.label
      << (cycle ? ", on schedules that never end"
                : ", on " + lesson::count_text(failure.schedules) + " of " +
                      lesson::count_text(found.schedules()) + " schedules")
      << "\n\n"
      << lesson::wrapped_between_decisions(
             mine.name + std::string(" is wrong: ") + failure.label +
                 (cycle ? ". The schedule into the cycle and once round it, "
                        : ". Its shortest schedule, ") +
                 plural(failure.shortest.size(), "decision", "decisions") + ": " + v.schedule,
             lesson::output_width(), 4)
      << '\n';
  print_report(mine, found.config, v.schedule, out);
  const std::string replay = lesson::replay_line(mine, found.config, v.schedule);
  v.replay_options = replay.substr(std::min(replay.find(" --producers ") + 1, replay.size()));
  print_commands(mine, replay, v.result, out);
  return v;
}

// One configuration explored: a line, and on a failure its details.
verdict check_one(const lesson::definition& mine, const assignment& task,
                  const explored_configuration& c, std::ostream& out) {
  lesson::settings s = lesson::small_settings(mine);
  s.producers = c.producers;
  s.consumers = c.consumers;
  s.capacity = c.capacity;
  s.items = task.items;
  lesson::explore_limits limits;
  limits.spurious = c.spurious;
  limits.seconds = task.search_seconds;
  lesson::progress shown;
  const lesson::exploration found =
      lesson::explore(mine, s, limits, [&](const lesson::exploration& so_far) {
        shown.show("yours: " + lesson::count_text(so_far.runs) + " runs of " +
                   described(s, c.spurious));
      });
  shown.clear();
  if (found.worst() != lesson::outcome::ok) {
    return failed(mine, found, c, out);
  }
  out << "  " << described(found.config, c.spurious) << ": "
      << (found.complete ? "correct on every schedule (" + lesson::count_text(found.schedules()) +
                               " schedules, " + lesson::count_text(found.states) + " states)"
                         : "no failure in the " + lesson::count_text(found.runs) +
                               " runs made before " + found.cut_by + " cut the search")
      << '\n';
  return {};
}

}  // namespace

verdict check_against(const lesson::definition& mine, const assignment& task, std::ostream& out) {
  if (task.closes != mine.closes) {
    const std::string label =
        task.closes ? "not the assignment: no close step" : "not the assignment: a close step";
    out << "yours: " << mine.source_file << "\n  " << label
        << (task.closes ? ": the assignment's buffer closes (static void close(auto& s))"
                        : ": the assignment's buffer does not close")
        << '\n';
    return {lesson::outcome::violation, label, "", "", ""};
  }
  const lesson::run_result first = lesson::run_unshown(mine, mine.defaults);
  out << "yours: " << mine.source_file << "\n  a default run (" << described(mine.defaults, 0)
      << "): "
      << (first.result == lesson::outcome::ok ? "ok"
                                              : lesson::outcome_label(first.result, first.kind))
      << '\n';
  for (const explored_configuration& c : task.configurations) {
    if (verdict found = check_one(mine, task, c, out); found.result != lesson::outcome::ok) {
      return found;
    }
  }
  if (first.result != lesson::outcome::ok) {
    out << '\n' << first.report << '\n';
    return {first.result, lesson::outcome_label(first.result, first.kind), "default run", "", ""};
  }
  out << '\n' << mine.name << " is correct on every schedule explored.\n";
  return {lesson::outcome::ok, "correct on every schedule explored", "", "", ""};
}

std::string record_line(const verdict& found) {
  std::string line = "record";
  for (const std::string& field : {std::string(lesson::to_string(found.result)), found.label,
                                   found.configuration, found.schedule, found.replay_options}) {
    line += '\t';
    line += field;
  }
  return line;
}

std::optional<verdict> read_record(const std::string& output) {
  const std::size_t at = output.rfind("record\t");
  if (at == std::string::npos || (at > 0 && output[at - 1] != '\n')) {
    return std::nullopt;
  }
  std::istringstream line(output.substr(at, output.find('\n', at) - at));
  std::vector<std::string> fields;
  for (std::string field; std::getline(line, field, '\t');) {
    fields.push_back(field);
  }
  fields.resize(6);
  verdict found{lesson::outcome::ok, fields[2], fields[3], fields[4], fields[5]};
  for (const lesson::outcome o : {lesson::outcome::violation, lesson::outcome::deadlock}) {
    if (fields[1] == lesson::to_string(o)) {
      found.result = o;
    }
  }
  return found;
}

}  // namespace lessons
