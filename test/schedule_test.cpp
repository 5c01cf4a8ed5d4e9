// Schedules: the decisions a script takes (the lock, which waiter wakes, a
// spurious wakeup), what a bad one gets, and the `replay:` line that every
// failed run prints, which must decide the same run again, byte for byte.
#define BOOST_TEST_MODULE schedule
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "command_line/options.hpp"
#include "drive/driver.hpp"
#include "engine/recorder.hpp"
#include "lesson_runs.hpp"
#include "show/replay.hpp"
#include "show/reports.hpp"

using lesson::outcome;
using lesson_test::named;
using lesson_test::quiet;

namespace {

lesson::settings scripted(lesson::settings s, std::vector<std::string> script) {
  s.script = std::move(script);
  return s;
}

// What a lesson prints, as its main would, and how the run ended.
struct printed_run {
  std::string text;
  int exit_code;
};

printed_run print(const lesson::definition& lesson, const lesson::settings& s) {
  std::ostringstream out;
  const int code = lesson::run_lesson(lesson, s, out, out);
  return {out.str(), code};
}

// The settings a replay line asks for, read by the lesson's own parser.
lesson::settings settings_of(const lesson::definition& lesson, const std::string& line) {
  std::istringstream words(line);
  std::string word;
  words >> word >> word;  // "replay:" and the program
  std::vector<std::string> args;
  while (words >> word) {
    args.push_back(word);
  }
  lesson::settings s = lesson::parse_command_line(lesson, args).chosen;
  s.trace = lesson::trace_format::text;
  return s;
}

std::string replay_line_of(const std::string& printed) {
  const std::size_t at = printed.find("replay: ");
  BOOST_TEST_REQUIRE(at != std::string::npos, printed);
  return printed.substr(at, printed.find('\n', at) - at);
}

// A printed run with the file of a long replay removed, and that file's
// name, new at every run, written FILE. The file is named on a `replay whole:`
// line, or on the replay: line itself when no shorter schedule was found.
std::string without_saved_replay(std::string text) {
  for (const std::string marker : {"replay whole: sh ", "replay: sh "}) {
    const std::size_t at = text.find(marker);
    if (at != std::string::npos) {
      const std::size_t from = at + marker.size();
      const std::size_t to = text.find('\n', from);
      std::remove(text.substr(from, to - from).c_str());
      text.replace(from, to - from, "FILE");
    }
  }
  return text;
}

// Runs the replay of a failed run twice: the same verdict and kind, the same
// bytes (but for the name of a long replay's file).
void replays_the_same(const lesson::definition& lesson, const lesson::settings& s,
                      const lesson::run_result& failed) {
  const std::string line =
      lesson::replay_line(lesson, s, lesson::schedule_text(failed.schedule, s.producers));
  const lesson::settings again = settings_of(lesson, line);
  const lesson::run_result first = lesson_test::run(lesson, again);
  BOOST_TEST_INFO(lesson.name << ": " << line << "\n"
                              << failed.report << "\nreplayed:\n"
                              << first.report);
  BOOST_TEST_REQUIRE((first.result == failed.result));
  BOOST_TEST_REQUIRE(first.kind == failed.kind);
  const printed_run one = print(lesson, again);
  const printed_run two = print(lesson, again);
  const std::string first_text = without_saved_replay(one.text);
  const std::string second_text = without_saved_replay(two.text);
  BOOST_TEST_REQUIRE(first_text == second_text);
  BOOST_TEST_REQUIRE(replay_line_of(first_text) == replay_line_of(second_text));
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_lessons_bug_scripts_show_its_bug_on_every_run,
                     *boost::unit_test::timeout(300)) {
  for (const lesson::definition* lesson : lessons::all()) {
    for (const std::vector<std::string>& options : lesson_test::bug_script_options(*lesson)) {
      lesson::settings s = lesson::parse_command_line(*lesson, options).chosen;
      s.producer_delay_ms = 0;
      s.consumer_delay_ms = 0;
      s.trace = lesson::trace_format::none;
      for (int i = 0; i < 200; ++i) {
        const lesson::run_result r = lesson_test::run(*lesson, s);
        BOOST_TEST_INFO(lesson->name << " " << options.back() << ", run " << i + 1);
        BOOST_TEST_REQUIRE((r.result == lesson->worst_case));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_wake_decision_makes_04_deadlock_every_time, *boost::unit_test::timeout(60)) {
  const lesson::settings s = scripted(quiet(1, 2, 1, 2), {"C1", "C2", "wake=C1", "P1", "wake=C2"});
  for (int i = 0; i < 200; ++i) {
    const lesson::run_result r = lesson_test::run(named("04_notify_one_deadlock"), s);
    BOOST_TEST_REQUIRE((r.result == outcome::deadlock));
    BOOST_TEST_REQUIRE(r.kind == lesson::stall_kinds::lost_wakeup);
  }
  // notify_all wakes the producer too.
  BOOST_TEST((lesson_test::run(named("05_notify_all"), s).result == outcome::ok));
}

BOOST_AUTO_TEST_CASE(a_spurious_wakeup_breaks_the_recipes_if_with_one_thread_a_side,
                     *boost::unit_test::timeout(60)) {
  const lesson::settings s = scripted(quiet(1, 1, 10, 20), {"C1", "spurious=C1", "C1"});
  for (int i = 0; i < 200; ++i) {
    const lesson::run_result r = lesson_test::run(named("01_cookbook"), s);
    BOOST_TEST_REQUIRE((r.result == outcome::violation));
    BOOST_TEST_REQUIRE(r.kind == "underflow");
    BOOST_TEST_REQUIRE(r.report.find("a spurious wakeup") != std::string::npos);
  }
  BOOST_TEST((lesson_test::run(named("03_while_wait_fix"), s).result == outcome::ok));
}

BOOST_AUTO_TEST_CASE(a_token_that_is_no_decision_is_bad_usage) {
  for (const std::string bad : {"X1", "C0", "c1", "C01", "wake=", "wake=C9", "spurious=P2",
                                "foo=C1", "wake=C1=C2", "", "C1 "}) {
    BOOST_TEST_INFO("--script C1," << bad);
    try {
      lesson::parse_command_line(named("02_if_wait_bug"),
                                 {"--producers", "1", "--consumers", "2", "--script", "C1," + bad});
      BOOST_FAIL("accepted");
    } catch (const lesson::usage_error& e) {
      const std::string message = e.what();
      BOOST_TEST(message.find("--script") != std::string::npos, message);
      BOOST_TEST(message.find('\'' + bad + '\'') != std::string::npos, message);
      BOOST_TEST(message.find('\n') == std::string::npos);
    }
  }
}

// A schedule is split on every comma, by one function for every caller: an
// empty text or an empty place between commas is a token, which no decision is.
BOOST_AUTO_TEST_CASE(a_schedule_splits_on_every_comma_and_names_threads_p_then_c) {
  using tokens = std::vector<std::string>;
  BOOST_TEST(lesson::split_schedule("C1,P1,wake=C2") == (tokens{"C1", "P1", "wake=C2"}),
             boost::test_tools::per_element());
  BOOST_TEST(lesson::split_schedule("") == tokens{""}, boost::test_tools::per_element());
  BOOST_TEST(lesson::split_schedule("C1,,P1,") == (tokens{"C1", "", "P1", ""}),
             boost::test_tools::per_element());
  const std::vector<lesson::decision> decisions = {{lesson::decision::kind::lock, 2, false},
                                                   {lesson::decision::kind::wake, 0, false},
                                                   {lesson::decision::kind::spurious, 1, false}};
  BOOST_TEST(lesson::schedule_text(decisions, 2) == "C1,wake=P1,spurious=P2");
  for (unsigned id = 0; id < 5; ++id) {
    BOOST_TEST(lesson::worker_named(lesson::name_of_worker(id, 2), 2, 3).value_or(99) == id);
  }
}

BOOST_AUTO_TEST_CASE(a_decision_that_cannot_be_taken_ends_the_run_stuck,
                     *boost::unit_test::timeout(60)) {
  struct case_ {
    const char* lesson;
    std::vector<std::string> script;
    const char* report;
  };
  const std::vector<case_> cases = {
      // C1 waits on the empty buffer: the lock cannot go to it.
      {"03_while_wait_fix",
       {"C1", "C1"},
       "SCHEDULE STUCK at step 5: decision 2 of 2, C1, cannot be taken: C1 waits on condition: "
       "it cannot take the lock."},
      // Nobody waits when P1 notifies.
      {"03_while_wait_fix",
       {"P1", "wake=C1"},
       "SCHEDULE STUCK at step 5: decision 2 of 2, wake=C1, cannot be taken: C1 asks for the "
       "lock: it is not waiting on condition."},
      // P1 asks for the lock; it does not wait.
      {"03_while_wait_fix",
       {"C1", "spurious=P1"},
       "SCHEDULE STUCK at step 5: decision 2 of 2, spurious=P1, cannot be taken: P1 asks for "
       "the lock: it is not waiting."},
      // The run ends before the script does.
      {"06_two_conditions",
       {"P1", "C1", "P1", "C1", "C1"},
       "SCHEDULE STUCK: the run ended before decision 5 of 5, C1, was taken: the rest of the "
       "script never ran."},
  };
  for (const case_& c : cases) {
    const lesson::run_result r =
        lesson_test::run(named(c.lesson), scripted(quiet(1, 1, 1, 2), c.script));
    BOOST_TEST_INFO(c.lesson << " " << c.script.back());
    BOOST_TEST((r.result == outcome::stuck));
    BOOST_TEST(r.report == c.report);
  }
  BOOST_TEST(lesson::exit_code(outcome::stuck) == 4);
  BOOST_TEST(lesson::to_string(outcome::stuck) == std::string("stuck"));
}

BOOST_AUTO_TEST_CASE(every_failed_free_run_replays_to_the_same_verdict,
                     *boost::unit_test::timeout(300)) {
  // 02 with its pauses at a hundredth, 04 with a short stall timeout: free runs.
  lesson::settings paced = named("02_if_wait_bug").defaults;
  paced.time_scale = 0.01;
  paced.trace = lesson::trace_format::none;
  lesson::settings one_slot = named("04_notify_one_deadlock").defaults;
  one_slot.stall_timeout_ms = 50;
  one_slot.trace = lesson::trace_format::none;
  for (const auto& [lesson, s] : {std::pair{&named("02_if_wait_bug"), paced},
                                  std::pair{&named("04_notify_one_deadlock"), one_slot}}) {
    int failed = 0;
    for (int attempt = 0; attempt < 200 && failed < 50; ++attempt) {
      const lesson::run_result r = lesson_test::run(*lesson, s);
      if (r.result == outcome::violation || r.result == outcome::deadlock) {
        ++failed;
        replays_the_same(*lesson, s, r);
      }
    }
    BOOST_TEST(failed == 50);
  }
}

BOOST_AUTO_TEST_CASE(random_failing_configurations_replay_to_the_same_verdict,
                     *boost::unit_test::timeout(300)) {
  std::mt19937 random(20261128);
  const auto between = [&random](unsigned low, unsigned high) {
    return std::uniform_int_distribution<unsigned>(low, high)(random);
  };
  int replayed = 0;
  for (int attempt = 0; attempt < 2000 && replayed < 20; ++attempt) {
    const lesson::definition& lesson =
        named(between(0, 1) == 0 ? "02_if_wait_bug" : "04_notify_one_deadlock");
    lesson::settings s = quiet(between(1, 3), between(1, 3), between(1, 3), between(1, 6));
    s.stall_timeout_ms = 50;
    const lesson::run_result r = lesson_test::run(lesson, s);
    if (r.result == outcome::violation || r.result == outcome::deadlock) {
      ++replayed;
      replays_the_same(lesson, s, r);
    }
  }
  BOOST_TEST(replayed == 20);
}

BOOST_AUTO_TEST_CASE(script_free_is_a_free_run_even_of_a_lesson_whose_default_is_a_schedule,
                     *boost::unit_test::timeout(60)) {
  const lesson::definition& close = named("09_unguarded_close");
  BOOST_TEST_REQUIRE(!close.defaults.script.empty());
  BOOST_TEST(lesson::parse_command_line(close, {"--script", "free"}).chosen.script.empty());
  BOOST_TEST(lesson::parse_command_line(named("02_if_wait_bug"), {"--script", "free"})
                 .chosen.script.empty());
  // A free run of 09 ends by itself, whatever it shows.
  lesson::settings s = lesson::parse_command_line(close, {"--script", "free"}).chosen;
  s.trace = lesson::trace_format::none;
  s.stall_timeout_ms = 50;
  const lesson::run_result r = lesson_test::run(close, s);
  BOOST_TEST((r.result == outcome::ok || r.result == outcome::deadlock));
}

BOOST_AUTO_TEST_CASE(a_free_run_that_moved_outside_the_lock_has_no_replay_but_a_pointer_to_explore,
                     *boost::unit_test::timeout(120)) {
  // Lesson 12's free runs put and take without the lock: their record orders
  // only what was done under it, so no schedule is claimed for them. Free
  // runs fail on most machines, not all (none did in a bare chroot): the
  // first that fails is checked.
  const lesson::definition& unlocked = named("12_unlocked_buffer");
  lesson::settings s = unlocked.defaults;
  s.script.clear();
  s.consumers = 4;
  s.items = 30000;
  s.trace = lesson::trace_format::none;  // the verdict and the replay line, not 30000 steps
  for (int run = 0; run < 20; ++run) {
    const printed_run printed = print(unlocked, s);
    if (printed.exit_code == 0) {
      BOOST_TEST(printed.text.find("replay:") == std::string::npos, printed.text);
      continue;
    }
    BOOST_TEST(printed.exit_code == 1);
    BOOST_TEST(printed.text.find("replay: none: a thread put or took without the lock") !=
                   std::string::npos,
               printed.text);
    BOOST_TEST(printed.text.find("--script") == std::string::npos, printed.text);
    return;
  }
  BOOST_TEST_MESSAGE("no free run of 12 failed here: only the runs that ended ok were checked");
}

BOOST_AUTO_TEST_CASE(a_long_replay_is_shortened_and_kept_whole_in_a_file,
                     *boost::unit_test::timeout(120)) {
  // 209 decisions: a hundred items passed from P1 to C1, then 04's lost
  // wakeup. Its whole replay line would be over 900 characters: the replay:
  // line is then explore's shortest schedule to the same deadlock, and the
  // whole one goes to a file that `sh FILE` runs.
  const lesson::definition& lesson = named("04_notify_one_deadlock");
  std::vector<std::string> script;
  for (int i = 0; i < 100; ++i) {
    script.insert(script.end(), {"P1", "C1"});
  }
  script.insert(script.end(), {"C1", "C2", "wake=C1", "P1", "wake=C2"});
  const lesson::settings s = scripted(quiet(1, 2, 1, 300), script);
  const printed_run printed = print(lesson, s);
  BOOST_TEST_REQUIRE(printed.exit_code == 3, printed.text);

  const std::string shortened = replay_line_of(printed.text);
  BOOST_TEST(shortened.size() <= 400U, shortened);
  const lesson::settings again = settings_of(lesson, shortened);
  BOOST_TEST(again.items == 2U);
  BOOST_TEST(print(lesson, again).exit_code == 3);

  const std::string marker = "replay whole: sh ";
  const std::size_t at = printed.text.find(marker);
  BOOST_TEST_REQUIRE(at != std::string::npos, printed.text);
  const std::string file =
      printed.text.substr(at + marker.size(), printed.text.find('\n', at) - at - marker.size());
  std::ifstream saved(file);
  std::string whole;
  std::getline(saved, whole);
  std::remove(file.c_str());
  BOOST_TEST(whole.rfind("build/bin/04_notify_one_deadlock --producers 1 --consumers 2 "
                         "--capacity 1 --items 300 ",
                         0) == 0,
             whole);
  const lesson::settings replayed = settings_of(lesson, "replay: " + whole);
  BOOST_TEST(replayed.script.size() > 200U);
  BOOST_TEST(print(lesson, replayed).exit_code == 3);
  BOOST_TEST(printed.text.find("209 decisions") != std::string::npos, printed.text);
}

BOOST_AUTO_TEST_CASE(a_short_replay_is_printed_whole, *boost::unit_test::timeout(60)) {
  const lesson::definition& lesson = named("04_notify_one_deadlock");
  const printed_run printed =
      print(lesson, scripted(quiet(1, 2, 1, 2), {"C1", "C2", "wake=C1", "P1", "wake=C2"}));
  BOOST_TEST(printed.exit_code == 3);
  BOOST_TEST(replay_line_of(printed.text).find("--items 2 ") != std::string::npos);
  BOOST_TEST(printed.text.find("replay whole:") == std::string::npos, printed.text);
}

namespace {

// Does nothing with the events it sees: with it, a recorder books each event
// at once, as a run with a trace does.
struct ignoring_sink : lesson::event_sink {
  void on_event(const lesson::event& /*e*/) override {}
};

// Two workers, P1 and C1, as a run makes them.
std::vector<std::unique_ptr<lesson::worker>> two_workers() {
  std::vector<std::unique_ptr<lesson::worker>> workers;
  for (unsigned id = 0; id < 2; ++id) {
    workers.push_back(std::make_unique<lesson::worker>());
    workers.back()->id = id;
    workers.back()->role = id == 0 ? lesson::role::producer : lesson::role::consumer;
  }
  return workers;
}

// The same events, from one thread in a fixed order, as a free run records
// them: C1 waits (the wait lets the lock go inside Boost, where no unlock is
// told), P1 puts and notifies, C1 takes the lock back inside wait(), wakes
// and takes; and P1 once records 70 events in one hold, more than a worker
// keeps (its oldest must be booked before they go). `tell_unlocks`: each
// unlock is told to the recorder, as owned_mutex::unlock tells it.
void record_a_run(lesson::recorder& record, std::vector<std::unique_ptr<lesson::worker>>& workers,
                  bool tell_unlocks) {
  lesson::worker& producer = *workers[0];
  lesson::worker& consumer = *workers[1];
  lesson::condition_record not_empty("not_empty", workers.size());
  const auto unlock = [&](lesson::worker& w) {
    if (tell_unlocks) {
      record.lock_let_go(w);
    }
  };
  for (int round = 0; round < 20; ++round) {
    ++consumer.holds;
    record.waits(consumer, not_empty);
    ++producer.holds;
    record.record(producer, lesson::action::put);
    record.notifies(producer, not_empty, false);
    unlock(producer);
    ++consumer.holds;  // the lock taken back inside wait()
    record.woke(consumer, not_empty);
    record.record(consumer, lesson::action::take);
    unlock(consumer);
  }
  ++producer.holds;
  for (int n = 0; n < 70; ++n) {
    record.record(producer, lesson::action::put);
  }
  unlock(producer);
  ++consumer.holds;
  record.record(consumer, lesson::action::take);
  unlock(consumer);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_free_run_booked_after_each_unlock_keeps_the_same_record,
                     *boost::unit_test::timeout(30)) {
  // A free run with nothing to show it counts and marks its events after the
  // lock is let go; one with a trace does it at once. Both must keep the same
  // figures, last events and schedule (what a report and a replay line read),
  // also for the wait and the wakeup that one hold of C1 spans.
  const std::atomic<bool> stopping{false};
  ignoring_sink shown;
  std::vector<std::unique_ptr<lesson::worker>> later_workers = two_workers();
  std::vector<std::unique_ptr<lesson::worker>> at_once_workers = two_workers();
  lesson::owned_mutex later_lock;
  lesson::owned_mutex at_once_lock;
  lesson::recorder later(2, {}, stopping);
  lesson::recorder at_once(2, {&shown}, stopping);
  later.record_under(later_lock, later_workers);
  at_once.record_under(at_once_lock, at_once_workers);
  BOOST_TEST_REQUIRE(later.books_after_unlock());
  BOOST_TEST_REQUIRE(!at_once.books_after_unlock());

  record_a_run(later, later_workers, true);
  record_a_run(at_once, at_once_workers, false);
  const std::vector<lesson::event> later_recent = later.recent_events();
  const std::vector<lesson::event> at_once_recent = at_once.recent_events();
  later.settle(later_workers);
  at_once.settle(at_once_workers);

  const lesson::tally a = later.figures();
  const lesson::tally b = at_once.figures();
  BOOST_TEST(a.produced == 90U);
  BOOST_TEST(a.produced == b.produced);
  BOOST_TEST(a.consumed == b.consumed);
  BOOST_TEST(a.violations == b.violations);
  BOOST_TEST(a.wakeups == b.wakeups);
  BOOST_TEST(a.futile_wakeups == b.futile_wakeups);
  BOOST_TEST(a.spurious_wakeups == b.spurious_wakeups);
  BOOST_TEST(a.notifies == b.notifies);
  BOOST_TEST(a.steps == b.steps);
  const std::vector<lesson::decision> schedule = later.free_run_schedule();
  const std::vector<lesson::decision> same = at_once.free_run_schedule();
  BOOST_TEST_REQUIRE(schedule.size() == same.size());
  // Each hold of the lock (P1's 21, C1's 41) and each wakeup by notify_one (20).
  BOOST_TEST(schedule.size() == 82U);
  for (std::size_t n = 0; n < schedule.size(); ++n) {
    BOOST_TEST((schedule[n].what == same[n].what && schedule[n].worker == same[n].worker));
  }
  BOOST_TEST_REQUIRE(later_recent.size() == at_once_recent.size());
  for (std::size_t n = 0; n < later_recent.size(); ++n) {
    BOOST_TEST(later_recent[n].step == at_once_recent[n].step);
    BOOST_TEST((later_recent[n].action == at_once_recent[n].action));
  }
}
