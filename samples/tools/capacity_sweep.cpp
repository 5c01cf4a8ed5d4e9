// capacity_sweep [options]: the bug a bigger buffer hides. For each capacity,
// the fewest threads with which lesson 04's lost wakeup shows, found by
// exploring every schedule of each configuration in order of its thread
// count; at those configurations, the proof that 05 holds, and how many free
// runs of 04 deadlock. A table a teacher can print live.
//
//   capacity_sweep                      capacities 1 to 3, up to 6 threads
//   capacity_sweep --capacities 2 --free-runs 100
#include <boost/format.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "command_line/options.hpp"
#include "drive/driver.hpp"
#include "drive/explore.hpp"
#include "drive/progress.hpp"
#include "engine/signals.hpp"
#include "lessons.hpp"
#include "show/assemble.hpp"
#include "show/columns.hpp"
#include "show/replay.hpp"

namespace {

constexpr const char* bug_lesson = "04";
constexpr const char* fixed_lesson = "05";
// A free run that deadlocks is declared so after this long with every thread
// waiting and nothing happening.
constexpr double free_run_stall_ms = 100;

struct request {
  std::size_t capacities = 3;
  unsigned max_threads = 6;
  unsigned free_runs = 1000;
  double seconds = 60;  // for each search
};

// Every lesson option is the sweep's to choose.
lesson::taken_options sweep_takes() {
  static const request defaults;
  lesson::taken_options taken{
      .added =
          {
              lesson::added_number("capacities", "N", "sweep the capacities 1 to N",
                                   lesson::whole_numbers(1, 6),
                                   std::to_string(defaults.capacities)),
              lesson::added_number(
                  "max-threads", "N", "search configurations of up to N threads in all",
                  lesson::whole_numbers(2, 8), std::to_string(defaults.max_threads)),
              lesson::added_number(
                  "free-runs", "N", "free runs of 04 at each configuration where it deadlocks",
                  lesson::whole_numbers(0, 100'000), std::to_string(defaults.free_runs)),
              lesson::added_number("seconds", "S", "stop each search after S seconds",
                                   lesson::numbers_above(0, 86'400),
                                   (boost::format("%g") % defaults.seconds).str()),
          },
      .added_caption = "The sweep's options"};
  for (const lesson::option_spec& option : lesson::option_table()) {
    taken.left_out.emplace(option.name, "the sweep chooses every configuration itself");
  }
  return taken;
}

request parse(const std::vector<std::string>& args) {
  const lesson::command_line command =
      lesson::parse_command_line(*lessons::find(bug_lesson), args, sweep_takes());
  request r;
  for (const auto& [name, value] : command.added) {
    if (name == "capacities") {
      r.capacities = static_cast<std::size_t>(value.number);
    } else if (name == "max-threads") {
      r.max_threads = static_cast<unsigned>(value.number);
    } else if (name == "free-runs") {
      r.free_runs = static_cast<unsigned>(value.number);
    } else if (name == "seconds") {
      r.seconds = value.number;
    }
  }
  return r;
}

// A configuration of `producers` and `consumers` at `capacity`: two items a
// producer, or more when that leaves a consumer nothing to take (one
// producer and four consumers: four items).
lesson::settings configuration(unsigned producers, unsigned consumers, std::size_t capacity) {
  lesson::settings s = lesson::small_settings(*lessons::find(bug_lesson));
  s.producers = producers;
  s.consumers = consumers;
  s.capacity = capacity;
  s.items = std::max<std::uint64_t>(2, (consumers + producers - 1) / producers);
  return s;
}

std::string shape(const lesson::settings& s) {
  return (boost::format("%dx%d, %d items a producer") % s.producers % s.consumers % s.items).str();
}

double share(const lesson::schedule_count& part, const lesson::schedule_count& whole) {
  return whole == 0 ? 0 : 100 * part.convert_to<double>() / whole.convert_to<double>();
}

// What the sweep found at one configuration where 04 deadlocks.
struct finding {
  lesson::settings config;
  lesson::exploration bug;
  lesson::exploration fixed;
  unsigned free_runs = 0;
  unsigned free_deadlocks = 0;
};

struct sweep {
  explicit sweep(const request& r) : asked(r) {}
  request asked;
  lesson::progress shown;
  bool interrupted = false;

  lesson::exploration search(const char* name, const lesson::settings& s) {
    lesson::explore_limits limits;
    limits.seconds = asked.seconds;
    const lesson::exploration found = lesson::explore(
        *lessons::find(name), s, limits, [this, name, &s](const lesson::exploration& so_far) {
          shown.show((boost::format("capacity_sweep: explore %s at capacity %d, %s: %d states, "
                                    "%.0f s") %
                      name % s.capacity % shape(s) % so_far.states % so_far.seconds)
                         .str());
        });
    interrupted = interrupted || found.cut_by == "SIGINT" || found.cut_by == "SIGTERM";
    return found;
  }

  // Free runs: real threads, no pauses, no scheduler deciding anything.
  void run_freely(finding& f) {
    lesson::settings s = f.config;
    s.stall_timeout_ms = free_run_stall_ms;
    for (unsigned run = 1; run <= asked.free_runs && !interrupted; ++run) {
      shown.show((boost::format("capacity_sweep: free run %d of %d at capacity %d, %s") % run %
                  asked.free_runs % s.capacity % shape(s))
                     .str());
      const lesson::outcome result = lesson::run_unshown(*lessons::find(bug_lesson), s).result;
      interrupted = result == lesson::outcome::interrupted;
      f.free_runs += interrupted ? 0 : 1;
      f.free_deadlocks += result == lesson::outcome::deadlock ? 1 : 0;
    }
  }
};

// The schedules that end as `wanted` says.
lesson::schedule_count ending(const lesson::exploration& found, bool (*wanted)(lesson::outcome)) {
  lesson::schedule_count count = 0;
  for (const lesson::explored_outcome& o : found.outcomes) {
    count += wanted(o.result) ? o.schedules : 0;
  }
  return count;
}

bool deadlock(lesson::outcome o) {
  return o == lesson::outcome::deadlock;
}
bool failure(lesson::outcome o) {
  return o != lesson::outcome::ok;
}

std::string searched(const lesson::exploration& found) {
  return (boost::format("%s states, %.2f s%s") % lesson::count_text(found.states) % found.seconds %
          (found.complete ? "" : ", cut by " + found.cut_by))
      .str();
}

// One configuration's line, and for a deadlock its shortest schedule, its
// replay: line, 05 at the same configuration and the free runs.
void print(const lesson::settings& s, const lesson::exploration& bug, const finding* f,
           std::size_t width, std::ostream& out) {
  const lesson::schedule_count failing = ending(bug, deadlock);
  const std::string verdict =
      failing == 0
          ? std::string(bug.complete ? "no schedule deadlocks" : "none seen")
          : (boost::format("%s of %s schedules deadlock (%.2g%%)") % lesson::count_text(failing) %
             lesson::count_text(bug.schedules()) % share(failing, bug.schedules()))
                .str();
  out << lesson::wrapped("    " + shape(s) + ": " + verdict + "; " + searched(bug), width, 4)
      << '\n';
  if (f == nullptr) {
    return;
  }
  for (const lesson::explored_outcome& o : bug.outcomes) {
    if (o.result == lesson::outcome::deadlock) {
      const std::string script = lesson::schedule_text(o.shortest, s.producers);
      out << lesson::wrapped_between_decisions("      shortest: " + script, width, 4) << '\n'
          << "      " << lesson::replay_line(*lessons::find(bug_lesson), bug.config, script)
          << '\n';
    }
  }
  const lesson::schedule_count fixed_failing = ending(f->fixed, failure);
  const std::string fixed_verdict =
      fixed_failing != 0 ? lesson::count_text(fixed_failing) + " of its " +
                               lesson::count_text(f->fixed.schedules()) + " schedules FAIL"
      : f->fixed.complete
          ? "holds: none of its " + lesson::count_text(f->fixed.schedules()) + " schedules fails"
          : "none of the runs made fails (the search was cut)";
  out << lesson::wrapped("      05_notify_all " + fixed_verdict + "; " + searched(f->fixed), width,
                         4)
      << '\n'
      << "      free runs of 04: " << lesson::count_text(f->free_deadlocks) << " of "
      << lesson::count_text(f->free_runs) << " deadlocked\n";
}

// One capacity: the thread counts in order, every split of each, up to the
// first count at which 04 deadlocks. Returns what it found at that count.
std::vector<finding> sweep_capacity(sweep& w, std::size_t capacity, std::size_t width,
                                    std::ostream& out) {
  out << "\ncapacity " << capacity << '\n';
  for (unsigned threads = 2; threads <= w.asked.max_threads && !w.interrupted; ++threads) {
    out << "  " << threads << " threads (producers x consumers):\n";
    std::vector<finding> found;
    for (unsigned producers = 1; producers < threads && !w.interrupted; ++producers) {
      finding f;
      f.config = configuration(producers, threads - producers, capacity);
      f.bug = w.search(bug_lesson, f.config);
      const bool shows = ending(f.bug, deadlock) != 0;
      if (shows && !w.interrupted) {
        f.fixed = w.search(fixed_lesson, f.config);
        w.run_freely(f);
      }
      w.shown.clear();
      print(f.config, f.bug, shows ? &f : nullptr, width, out);
      if (shows) {
        found.push_back(f);
      }
    }
    if (!found.empty()) {
      return found;
    }
  }
  out << "  04 deadlocks in no configuration of up to " << w.asked.max_threads << " threads\n";
  return {};
}

// The table: each capacity's fewest threads and how rare the deadlock is there.
void print_summary(const std::vector<std::vector<finding>>& by_capacity, std::ostream& out) {
  out << "\nThe fewest threads that show 04's lost wakeup, and how rarely it shows there:\n"
      << boost::format("  %8s  %7s  %-24s  %9s  %s\n") % "capacity" % "threads" %
             "producers x consumers" % "schedules" % "free runs deadlocked";
  for (std::size_t at = 0; at < by_capacity.size(); ++at) {
    if (by_capacity[at].empty()) {
      out << "  capacity " << at + 1 << ": not shown\n";
    }
    for (const finding& f : by_capacity[at]) {
      const lesson::schedule_count failing = ending(f.bug, deadlock);
      out << boost::format("  %8d  %7d  %-24s  %8.2g%%  %s of %s\n") % f.config.capacity %
                 (f.config.producers + f.config.consumers) % shape(f.config) %
                 share(failing, f.bug.schedules()) % lesson::count_text(f.free_deadlocks) %
                 lesson::count_text(f.free_runs);
    }
  }
}

int capacity_sweep(int argc, char* argv[]) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "--version") {
    std::cout << lesson::version_text("capacity_sweep");
    return 0;
  }
  if (!args.empty() && args.front() == "--help") {
    std::cout << lesson::wrapped(
                     "Usage: capacity_sweep [options]\n\n"
                     "The bug a bigger buffer hides. For each capacity, explores lesson 04 "
                     "(notify_one with one condition) under every schedule of each "
                     "configuration, in order of its thread count (2 items a producer, or "
                     "enough for each consumer to take one), up to the fewest threads with "
                     "which it deadlocks; there it shows the shortest schedule and its replay: "
                     "line, explores 05 (notify_all) to show that no schedule fails, and counts "
                     "how many free runs of 04 deadlock. Capacities 1 to 3 take about "
                     "four minutes here, 1 and 2 about half a minute.\n\n"
                     "Exit code: 0 done, 1 a schedule of 05 fails, 2 bad usage, 5 output not "
                     "written, 130 or 143 interrupted.\n",
                     lesson::output_width(), 0)
              << '\n'
              << lesson::options_text(sweep_takes());
    return 0;
  }
  sweep w(parse(args));
  lesson::touch_boost_thread();
  lesson::stop_runs_on_signals();
  const std::size_t width = lesson::output_width();
  std::cout << lesson::wrapped(
                   "capacity_sweep: where lesson 04's lost wakeup shows, every schedule "
                   "explored, capacities 1 to " +
                       std::to_string(w.asked.capacities),
                   width, 4)
            << '\n';
  std::vector<std::vector<finding>> by_capacity;
  bool fixed_fails = false;
  for (std::size_t capacity = 1; capacity <= w.asked.capacities && !w.interrupted; ++capacity) {
    by_capacity.push_back(sweep_capacity(w, capacity, width, std::cout));
    for (const finding& f : by_capacity.back()) {
      fixed_fails = fixed_fails || ending(f.fixed, failure) != 0;
    }
  }
  if (w.interrupted) {
    std::cout.flush();
    lesson::end_as_signalled();
    return lesson::exit_code(lesson::outcome::interrupted, lesson::caught_signal());
  }
  print_summary(by_capacity, std::cout);
  return fixed_fails ? 1 : 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  return lesson::tool_main("capacity_sweep", capacity_sweep, argc, argv);
}
