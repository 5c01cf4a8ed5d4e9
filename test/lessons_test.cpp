// Each lesson's behaviour, made deterministic where it can be.
//
// A scripted lock order decides which thread enters the critical section
// next, so the stolen wakeup of lesson 02 happens on every run: the mutex is
// a real boost::mutex behind a gate, the condition a real
// boost::condition_variable_any, and the wakeup really is stolen.
#define BOOST_TEST_MODULE lessons
#include <boost/test/unit_test.hpp>
#include <vector>

#include "lesson_runs.hpp"

using lesson::outcome;
using lesson_test::named;
using lesson_test::quiet;
using lesson_test::run;

namespace {

// C1 waits on an empty buffer; P1 puts and notifies, which wakes C1; before C1
// can take the lock back, C2 takes the item; then C1 returns from wait().
lesson::settings underflow_script() {
  lesson::settings s = quiet(1, 2, 1, 2);
  s.script = {"C1", "P1", "C2", "C1"};
  return s;
}

// P2 waits on a full buffer; C1 takes and notifies, which wakes P2; P1 fills
// the slot first; then P2 returns from wait().
lesson::settings overflow_script() {
  lesson::settings s = quiet(2, 1, 1, 2);
  s.script = {"P1", "P2", "C1", "P1", "P2"};
  return s;
}

// The lessons that check again after every wakeup: no interleaving makes them violate.
std::vector<const lesson::definition*> checking_lessons() {
  std::vector<const lesson::definition*> checking;
  for (const lesson::definition* lesson : lessons::all()) {
    if (lesson->worst_case != outcome::violation) {
      checking.push_back(lesson);
    }
  }
  return checking;
}

}  // namespace

BOOST_AUTO_TEST_CASE(if_wait_underflows_on_the_stolen_wakeup_every_time,
                     *boost::unit_test::timeout(60)) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    const auto r = run(named("02_if_wait_bug"), underflow_script());
    BOOST_TEST_REQUIRE((r.result == outcome::violation));
    BOOST_TEST_REQUIRE(r.figures.violations == 1u);
    BOOST_TEST_REQUIRE(r.report.find("C1 took from an empty buffer") != std::string::npos);
    BOOST_TEST_REQUIRE(r.report.find("C2 took it first") != std::string::npos);
    BOOST_TEST_REQUIRE(r.report.find("Stolen wakeup: ") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(while_wait_survives_the_same_interleaving, *boost::unit_test::timeout(60)) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    const auto r = run(named("03_while_wait_fix"), underflow_script());
    BOOST_TEST_REQUIRE((r.result == outcome::ok));
    BOOST_TEST_REQUIRE(r.figures.consumed == 2u);
    BOOST_TEST_REQUIRE(r.figures.futile_wakeups >= 1u);
  }
}

BOOST_AUTO_TEST_CASE(if_wait_overflows_on_the_stolen_wakeup_every_time,
                     *boost::unit_test::timeout(60)) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    const auto r = run(named("02_if_wait_bug"), overflow_script());
    BOOST_TEST_REQUIRE((r.result == outcome::violation));
    BOOST_TEST_REQUIRE(r.report.find("P2 put into a full buffer") != std::string::npos);
    BOOST_TEST_REQUIRE(r.report.find("P1 filled it first") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(while_wait_survives_the_overflow_interleaving,
                     *boost::unit_test::timeout(60)) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    const auto r = run(named("03_while_wait_fix"), overflow_script());
    BOOST_TEST_REQUIRE((r.result == outcome::ok));
    BOOST_TEST_REQUIRE(r.figures.consumed == 4u);
  }
}

BOOST_AUTO_TEST_CASE(the_recipe_has_the_same_bug_as_lesson_02, *boost::unit_test::timeout(60)) {
  lesson::settings s = underflow_script();
  const auto r = run(named("01_cookbook"), s);
  BOOST_TEST((r.result == outcome::violation));
}

// Checking again after a wakeup, no stolen wakeup makes them violate (11,
// which waits before it checks, can deadlock on one instead).
BOOST_AUTO_TEST_CASE(every_checking_lesson_survives_both_scripts, *boost::unit_test::timeout(60)) {
  for (const lesson::definition* lesson : checking_lessons()) {
    BOOST_TEST_INFO(lesson->name);
    BOOST_TEST((run(*lesson, underflow_script()).result != outcome::violation));
    BOOST_TEST_INFO(lesson->name);
    BOOST_TEST((run(*lesson, overflow_script()).result != outcome::violation));
  }
}

BOOST_AUTO_TEST_CASE(a_consumers_notify_one_can_wake_a_consumer_and_lose_the_wakeup,
                     *boost::unit_test::timeout(120)) {
  // Which waiter notify_one wakes is the library's choice, so no script can
  // force this one; a free run of lesson 04 reaches it almost at once. The
  // test asks for one such run in up to 50, and for the watchdog to end it
  // with the lost wakeup named.
  lesson::settings s = quiet(1, 2, 1, 10000);
  s.stall_timeout_ms = 100;
  lesson::run_result r;
  for (int attempt = 0; attempt < 50 && r.result != outcome::deadlock; ++attempt) {
    r = run(named("04_notify_one_deadlock"), s);
  }
  BOOST_TEST_REQUIRE((r.result == outcome::deadlock));
  BOOST_TEST(r.report.find("lost wakeup") != std::string::npos);
  BOOST_TEST(r.report.find("could go on") != std::string::npos);
  BOOST_TEST(r.figures.violations == 0u);
}

BOOST_AUTO_TEST_CASE(covering_and_split_conditions_move_every_item_under_8x8_stress,
                     *boost::unit_test::timeout(240)) {
  const lesson::definition* const stressed[] = {
      &named("05_notify_all"), &named("06_two_conditions"), &named("07_predicate_wait"),
      &named("08_waiter_count")};
  for (const lesson::definition* lesson : stressed) {
    const auto r = run(*lesson, quiet(8, 8, 1, 20000));
    BOOST_TEST_INFO(lesson->name);
    BOOST_TEST((r.result == outcome::ok));
    BOOST_TEST(r.figures.produced == 160000u);
    BOOST_TEST(r.figures.consumed == 160000u);
    BOOST_TEST(r.figures.violations == 0u);
  }
}

BOOST_AUTO_TEST_CASE(counting_waiters_saves_the_notifies_nobody_waits_for,
                     *boost::unit_test::timeout(120)) {
  // With 64 slots a thread rarely has to wait: 06 notifies twice an item
  // regardless, 08 only when its count says someone waits.
  const auto every_time = run(named("06_two_conditions"), quiet(2, 2, 64, 5000));
  const auto counted = run(named("08_waiter_count"), quiet(2, 2, 64, 5000));
  BOOST_TEST_REQUIRE((every_time.result == outcome::ok));
  BOOST_TEST_REQUIRE((counted.result == outcome::ok));
  BOOST_TEST(every_time.figures.notifies == 20000u);
  BOOST_TEST(counted.figures.notifies < every_time.figures.notifies);
}

BOOST_AUTO_TEST_CASE(two_conditions_waste_fewer_wakeups_than_one_covering_condition,
                     *boost::unit_test::timeout(120)) {
  // Counts, not times: notify_all wakes threads that can do nothing.
  const auto covering = run(named("05_notify_all"), quiet(1, 4, 1, 5000));
  const auto split = run(named("06_two_conditions"), quiet(1, 4, 1, 5000));
  BOOST_TEST_REQUIRE((covering.result == outcome::ok));
  BOOST_TEST_REQUIRE((split.result == outcome::ok));
  BOOST_TEST(covering.figures.futile_wakeups > split.figures.futile_wakeups);
}

namespace {

// A lesson's own classroom scenario, with its pauses scaled down.
lesson::settings defaults_of(const lesson::definition& lesson) {
  lesson::settings s = lesson.defaults;
  s.time_scale = 0.01;
  s.stall_timeout_ms = 100;
  s.trace = lesson::trace_format::none;
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_checking_lessons_defaults_are_correct_on_every_run,
                     *boost::unit_test::timeout(120)) {
  for (const lesson::definition* lesson : checking_lessons()) {
    if (lesson->teaches != outcome::ok) {
      continue;  // a default run that shows a deadlock: below
    }
    const auto r = run(*lesson, defaults_of(*lesson));
    BOOST_TEST_INFO(lesson->name);
    BOOST_TEST((r.result == outcome::ok));
    BOOST_TEST(r.figures.consumed == lesson->defaults.items * lesson->defaults.producers);
  }
}

BOOST_AUTO_TEST_CASE(the_recipes_own_scenario_works, *boost::unit_test::timeout(60)) {
  const auto r = run(named("01_cookbook"), defaults_of(named("01_cookbook")));
  BOOST_TEST((r.result == outcome::ok));
  BOOST_TEST(r.figures.produced == 20u);
  BOOST_TEST(r.figures.consumed == 10u);
}

BOOST_AUTO_TEST_CASE(the_bug_lessons_defaults_show_their_bug, *boost::unit_test::timeout(120)) {
  // Free runs, so each gets up to 20 tries; each run ends by itself.
  const auto shows = [](const lesson::definition& lesson, outcome expected) {
    for (int attempt = 0; attempt < 20; ++attempt) {
      if (run(lesson, defaults_of(lesson)).result == expected) {
        return true;
      }
    }
    return false;
  };
  BOOST_TEST(shows(named("02_if_wait_bug"), outcome::violation));
  BOOST_TEST(shows(named("04_notify_one_deadlock"), outcome::deadlock));
}

BOOST_AUTO_TEST_CASE(a_violation_is_the_last_step_a_run_records, *boost::unit_test::timeout(120)) {
  // Free runs with the lock observed (the table trace): the run stops at the
  // violation, so no thread records after it, whatever the interleaving.
  lesson::settings s = defaults_of(named("02_if_wait_bug"));
  s.trace = lesson::trace_format::table;
  for (int attempt = 0; attempt < 60; ++attempt) {
    lesson::event last;
    std::ostringstream table;
    const auto r =
        lesson::run_once(named("02_if_wait_bug"), s, table,
                         [&](const lesson::event& e, const lesson::run_context&) { last = e; });
    if (r.result != outcome::violation) {
      continue;
    }
    BOOST_TEST_INFO("run " << attempt << ":\n" << r.report);
    BOOST_TEST_REQUIRE((last.action == lesson::action::violation));
    BOOST_TEST_REQUIRE(last.step == r.figures.steps);
    BOOST_TEST_REQUIRE(r.report.find("VIOLATION at step " + std::to_string(last.step) + ":") == 0u);
  }
}
