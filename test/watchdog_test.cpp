// The watchdog and the script gate: a run that cannot go on is reported and
// ended, with every thread joined, instead of waited out; and the reports
// that say so, from recorded events alone.
#define BOOST_TEST_MODULE watchdog
#include <boost/test/unit_test.hpp>
#include <optional>

#include "lesson.hpp"
#include "lesson_runs.hpp"
#include "show/reports.hpp"
#include "show/story.hpp"

using lesson::outcome;
using lesson_test::named;
using lesson_test::quiet;
using lesson_test::run;

namespace {

// A producer that forgets to notify: whoever waits for its item sleeps on.
struct silent_producer {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.condition.wait(lock);
    }
    s.items.put();
  }
  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.condition.wait(lock);
    }
    s.items.take();
  }
};

const lesson::definition silent =
    lesson::define<silent_producer>({.name = "silent_producer", .idea = "", .shows = ""});

// A consumer that lets the lock go and then waits: Boost refuses the wait.
struct unlocked_wait : silent_producer {
  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    lock.unlock();
    s.condition.wait(lock);
  }
};

const lesson::definition unlocked =
    lesson::define<unlocked_wait>({.name = "unlocked_wait", .idea = "", .shows = ""});

}  // namespace

BOOST_AUTO_TEST_CASE(a_wait_nobody_ends_is_reported_as_a_deadlock, *boost::unit_test::timeout(30)) {
  // The script sends C1 into wait() before P1 puts its only item.
  lesson::settings s = quiet(1, 1, 1, 1);
  s.script = {"C1", "P1"};
  s.stall_timeout_ms = 50;
  const auto r = run(silent, s);
  BOOST_TEST((r.result == outcome::deadlock));
  BOOST_TEST(r.report.find("C1 waits on condition for an item - it could go on") !=
             std::string::npos);
  BOOST_TEST(r.report.find("lost wakeup: a put into an empty buffer notified nobody.") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(counts_that_cannot_meet_are_a_deadlock_with_no_one_to_blame,
                     *boost::unit_test::timeout(30)) {
  // The recipe with a 5-slot buffer: 20 puts, 10 takes. The producer ends up
  // waiting for space that no consumer will make, whatever the interleaving.
  lesson::settings s = named("01_cookbook").defaults;
  s.capacity = 5;
  s.producer_delay_ms = 0;
  s.consumer_delay_ms = 0;
  s.stall_timeout_ms = 50;
  s.trace = lesson::trace_format::none;
  const auto r = run(named("01_cookbook"), s);
  BOOST_TEST((r.result == outcome::deadlock));
  BOOST_TEST(r.figures.produced == 15u);
  BOOST_TEST(r.figures.consumed == 10u);
  BOOST_TEST(r.report.find("P1 waits on condition for a free slot") != std::string::npos);
  BOOST_TEST(r.report.find("no thread can go on") != std::string::npos);
  // Said for what it is: the recipe's quota, not a lost wakeup.
  BOOST_TEST(r.report.find("the consumers took their quota and stopped") != std::string::npos);
  BOOST_TEST(r.kind == lesson::stall_kinds::other_side_finished);
}

BOOST_AUTO_TEST_CASE(a_script_whose_next_thread_never_asks_is_stuck,
                     *boost::unit_test::timeout(30)) {
  // C1 takes the lock and waits on the empty buffer; the script then wants C1
  // again, but C1 is asleep on the condition and P1 is not allowed in. The
  // scheduler sees it at once: no stall timeout is waited out.
  lesson::settings s = quiet(1, 1, 1, 1);
  s.script = {"C1", "C1"};
  s.stall_timeout_ms = 60'000;
  const auto r = run(named("03_while_wait_fix"), s);
  BOOST_TEST((r.result == outcome::stuck));
  BOOST_TEST(r.report ==
             "SCHEDULE STUCK at step 5: decision 2 of 2, C1, cannot be taken: C1 waits on "
             "condition: it cannot take the lock.");
}

BOOST_AUTO_TEST_CASE(a_script_waits_out_a_long_pause, *boost::unit_test::timeout(30)) {
  // P1 sleeps longer than the stall timeout before each put: slow, not stuck.
  lesson::settings s = quiet(1, 1, 1, 2);
  s.script = {"P1", "P1", "C1"};
  s.producer_delay_ms = 150;
  s.stall_timeout_ms = 50;
  BOOST_TEST((run(named("03_while_wait_fix"), s).result == outcome::ok));
}

BOOST_AUTO_TEST_CASE(a_script_names_only_threads_the_run_has, *boost::unit_test::timeout(30)) {
  lesson::settings s = quiet(1, 1, 1, 1);
  s.script = {"C2"};
  BOOST_CHECK_THROW(run(named("03_while_wait_fix"), s), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_run_past_its_script_goes_on_first_come, *boost::unit_test::timeout(30)) {
  lesson::settings s = quiet(2, 2, 1, 500);
  s.script = {"P2", "C2"};
  const auto r = run(named("07_predicate_wait"), s);
  BOOST_TEST((r.result == outcome::ok));
  BOOST_TEST(r.figures.consumed == 1000u);
}

BOOST_AUTO_TEST_CASE(a_wait_without_the_lock_ends_the_run_as_a_violation,
                     *boost::unit_test::timeout(30)) {
  // Free and observed runs alike: the step's exception stops the run, which
  // says why and where; nothing hangs.
  for (const lesson::trace_format trace :
       {lesson::trace_format::none, lesson::trace_format::table}) {
    lesson::settings s = quiet(1, 2, 2, 4);
    s.trace = trace;
    const auto r = run(unlocked, s);
    BOOST_TEST((r.result == outcome::violation));
    BOOST_TEST(r.kind == "a step threw an exception");
    BOOST_TEST(r.report.find("wait() on a lock that is not held") != std::string::npos, r.report);
  }
}

// The reports are functions of what a run recorded: made-up events, no threads.

namespace {

lesson::event made(std::uint64_t step, unsigned worker, lesson::action what) {
  lesson::event e;
  e.step = step;
  e.worker = worker;
  e.action = what;
  e.condition = "condition";
  return e;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_deadlock_report_says_who_waited_without_looking_first) {
  const lesson::cast who(silent, quiet(1, 1, 1, 2));  // P1 is 0, C1 1
  lesson::event notify = made(2, 0, lesson::action::notify_one);
  const std::string report =
      lesson::deadlock_report(who, 1, {{0, "condition", 1}, {1, "condition", 1}}, {notify});
  BOOST_TEST(report.find("C1 began to wait with 1 item in the buffer: it waited without looking "
                         "first.") != std::string::npos,
             report);
  BOOST_TEST(report.find("P1 began") == std::string::npos);
  BOOST_TEST(report.find("wake the wrong kind") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_deadlock_report_names_the_notify_that_woke_the_wrong_thread) {
  const lesson::cast who(silent, quiet(1, 2, 1, 2));  // P1 is 0, C1 1, C2 2
  lesson::event p1_waits = made(1, 0, lesson::action::wait);
  lesson::event take = made(4, 2, lesson::action::take);
  lesson::event notify = made(5, 2, lesson::action::notify_one);
  lesson::event woke = made(6, 1, lesson::action::woke);
  woke.wakeup = {"condition", 2, 5};
  lesson::event again = made(7, 1, lesson::action::wait);
  again.after_futile_wakeup = true;
  const std::vector<lesson::event> recent = {p1_waits, take, notify, woke, again};
  const std::vector<lesson::sleeper> sleepers = {
      {0, "condition"}, {1, "condition"}, {2, "condition"}};
  const std::string report = lesson::deadlock_report(who, 0, sleepers, recent);
  BOOST_TEST(report.find("P1 waits on condition for a free slot - it could go on") !=
             std::string::npos);
  BOOST_TEST(report.find("lost wakeup: a consumer's notify_one woke a consumer.") !=
             std::string::npos);
  BOOST_TEST(report.find("C2's notify_one (step 5) woke C1: it found nothing to do") !=
             std::string::npos);
  BOOST_TEST(report.find("futile wakeup: still empty, waits again on condition") !=
             std::string::npos);
  // The same facts, for the timeline's label: C2's take, its notify and C1's wakeup.
  const std::optional<lesson::lost_wakeup> lost = lesson::lost_wakeup_of(who, 0, sleepers, recent);
  BOOST_TEST_REQUIRE(lost.has_value());
  BOOST_TEST((lost->cause == lesson::lost_cause::woke_other_side));
  BOOST_TEST(lost->asleep->worker == 0u);
  BOOST_TEST_REQUIRE(lost->since.size() == 1u);
  BOOST_TEST(lost->since[0].change == &recent[1]);
  BOOST_TEST(lost->since[0].notify == &recent[2]);
  BOOST_TEST(lost->since[0].woken == &recent[3]);
  BOOST_TEST(lost->since[0].then == &recent[4]);
  BOOST_TEST(lesson::could_go_on(who, 0, {{0, "condition"}, {1, "condition"}}) ==
             std::vector<unsigned>{0});
}

BOOST_AUTO_TEST_CASE(a_deadlock_report_tells_a_used_wakeup_from_a_lost_one) {
  // Two conditions: C1 and C2 wait on not_empty; P1's first put wakes C1,
  // which takes it; P1's second put notifies nobody, and C2 sleeps beside it.
  const lesson::cast who(silent, quiet(1, 2, 2, 2));  // P1 is 0, C1 1, C2 2
  const auto on = [](lesson::event e, const char* condition) {
    e.condition = condition;
    return e;
  };
  lesson::event c1_waits = on(made(1, 1, lesson::action::wait), "not_empty");
  lesson::event c2_waits = on(made(2, 2, lesson::action::wait), "not_empty");
  lesson::event put1 = made(3, 0, lesson::action::put);
  put1.what = {0, 1};
  put1.size = 1;
  lesson::event notify = on(made(4, 0, lesson::action::notify_one), "not_empty");
  lesson::event put2 = made(5, 0, lesson::action::put);
  put2.what = {0, 2};
  put2.size = 2;
  lesson::event woke = on(made(6, 1, lesson::action::woke), "not_empty");
  woke.wakeup = {"not_empty", 0, 4};
  lesson::event take = made(7, 1, lesson::action::take);
  take.what = {0, 1};
  take.size = 1;
  const std::string report = lesson::deadlock_report(
      who, 1, {{2, "not_empty"}}, {c1_waits, c2_waits, put1, notify, put2, woke, take});
  BOOST_TEST(report.find("  C2 waits on not_empty for an item - it could go on") !=
             std::string::npos);
  BOOST_TEST(report.find("  lost wakeup: a put into a non-empty buffer notified nobody.\n"
                         "    After C2 began to wait:\n"
                         "    P1's notify_one (step 4) woke C1, which took P1#1 (step 7).\n"
                         "    P1 put P1#2 (step 5) into a buffer that held 1, and notified "
                         "nobody.\n") != std::string::npos,
             report);
  BOOST_TEST(report.find("nobody is left to wake C2: P1 and C1 have finished.") !=
             std::string::npos);
  BOOST_TEST(report.find("wrong kind") == std::string::npos);
  BOOST_TEST(report.find("found nothing to do") == std::string::npos);
  // The timeline's label blames the same put, from the same events.
  lesson::story told(who);
  const std::vector<lesson::event> events = {c1_waits, c2_waits, put1, notify, put2, woke, take};
  for (const lesson::event& e : events) {
    told.follow(e);
  }
  const lesson::decisive_moment moment = told.told(lesson::outcome::deadlock, report, events);
  BOOST_TEST(moment.because == "P1's put notified nobody: C2 could go on, but is never woken");
  BOOST_TEST(moment.because_step == 5u);
  BOOST_TEST(moment.notify_step == 0u);
}

BOOST_AUTO_TEST_CASE(a_violation_report_names_the_stolen_wakeup) {
  const lesson::cast who(silent, quiet(1, 2, 1, 2));
  lesson::event violation = made(9, 1, lesson::action::violation);
  violation.violation = lesson::violation_kind::underflow;
  const std::string report =
      lesson::violation_report(who, violation, true, {"condition", 0, 4}, {2, 6});
  BOOST_TEST(report.find("VIOLATION at step 9: C1 took from an empty buffer (underflow)") == 0u);
  BOOST_TEST(report.find("after P1's notify (step 4)") != std::string::npos);
  BOOST_TEST(report.find("Stolen wakeup: that notify announced an item, but C2 took it first "
                         "(step 6).") != std::string::npos);
  BOOST_TEST((lesson::cause_of(who, violation, true, {"condition", 0, 4}, {2, 6}) ==
              lesson::violation_cause::stolen_wakeup));
  // C2's take came before the notify: nothing was stolen.
  BOOST_TEST((lesson::cause_of(who, violation, true, {"condition", 0, 4}, {2, 3}) ==
              lesson::violation_cause::unexplained));
  // A consumer's notify announced space.
  BOOST_TEST((lesson::cause_of(who, violation, true, {"condition", 2, 4}, {2, 3}) ==
              lesson::violation_cause::wrong_side));
}

BOOST_AUTO_TEST_CASE(the_table_of_actions_has_one_row_each_in_order) {
  const auto& rows = lesson::every_action();
  BOOST_TEST(rows.size() == static_cast<std::size_t>(lesson::action::done) + 1);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    BOOST_TEST((rows[i].action == static_cast<lesson::action>(i)));
  }
}
