// Each lesson's behaviour, made deterministic where it can be.
//
// A scripted lock order decides which thread enters the critical section
// next, so the stolen wakeup of lesson 02 happens on every run: the mutex is
// a real boost::mutex behind a gate, the condition a real
// boost::condition_variable_any, and the wakeup really is stolen.
#define BOOST_TEST_MODULE lessons
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "drive/explore.hpp"
#include "lesson.hpp"
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

// The deadlock report tells each run's own story: who waits on which
// condition for what, the conditions the run used, the put, take or close
// that missed and how, and who is left to wake the sleeper.

namespace {

// Lesson 06 with a producer that notifies only when its put made the buffer
// non-empty, as if a put into a non-empty buffer had nobody to wake. With two
// consumers it does: the first put wakes one, which takes one item and is
// done, and the second put leaves the other asleep beside its item.
struct notify_on_first_item {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.not_full.wait(lock);
    }
    s.items.put();
    if (s.items.size() == 1) {
      s.not_empty.notify_one();
    }
  }
  static void consume(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.empty()) {
      s.not_empty.wait(lock);
    }
    s.items.take();
    s.not_full.notify_one();
  }
};

const lesson::definition first_item_only =
    lesson::define<notify_on_first_item>({.name = "notify_on_first_item", .idea = "", .shows = ""});

// Lesson 06 with a producer that notifies its own side's condition.
struct notify_the_wrong_condition : notify_on_first_item {
  static void produce(auto& s) {
    boost::unique_lock lock(s.mutex);
    while (s.items.full()) {
      s.not_full.wait(lock);
    }
    s.items.put();
    s.not_full.notify_one();
  }
};

const lesson::definition wrong_condition = lesson::define<notify_the_wrong_condition>(
    {.name = "notify_the_wrong_condition", .idea = "", .shows = ""});

lesson::run_result scripted(const lesson::definition& lesson, lesson::settings s,
                            std::vector<std::string> script) {
  s.script = std::move(script);
  const lesson::run_result r = run(lesson, s);
  BOOST_TEST_INFO("report:\n" << r.report);
  BOOST_TEST_REQUIRE((r.result == outcome::deadlock));
  return r;
}

// Each of `lines` is one line of `report`, whole, and they come in this order.
void has_lines(const std::string& report, const std::vector<std::string>& lines) {
  const std::vector<std::string> all = lesson_test::lines_of(report);
  auto from = all.begin();
  for (const std::string& line : lines) {
    const auto found = std::find(from, all.end(), line);
    BOOST_TEST_INFO("report:\n" << report);
    BOOST_TEST_REQUIRE((found != all.end()), "no line \"" << line << "\" (in this order)");
    from = found + 1;
  }
}

// Lesson 04's words, true only where one condition serves both sides.
bool tells_lesson_04s_story(const std::string& report) {
  return report.find("wrong kind") != std::string::npos ||
         report.find("found nothing to do") != std::string::npos ||
         report.find("one condition") != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_deadlock_of_04_names_the_consumer_woken_for_the_producer,
                     *boost::unit_test::timeout(60)) {
  for (const char* name : {"04_notify_one_deadlock", "03_while_wait_fix"}) {
    BOOST_TEST_INFO(name);
    const auto r =
        scripted(named(name), quiet(1, 2, 1, 2), {"C1", "C2", "wake=C1", "P1", "wake=C2"});
    has_lines(r.report,
              {"  P1 waits on condition for a free slot - it could go on: the buffer has room",
               "  C2 waits on condition for an item",
               "  one condition: condition, on which both sides wait",
               "  lost wakeup: a consumer's notify_one woke a consumer.",
               "    C1's notify_one (step 22) woke C2: it found nothing to do and waited again.",
               "    P1, which could go on, was never woken.",
               "    notify_one wakes one waiter, any waiter: with one condition for both sides it "
               "can wake the wrong kind.",
               "  nobody is left to wake P1: C2 waits too, and C1 has finished."});
  }
}

BOOST_AUTO_TEST_CASE(the_deadlock_of_03_with_two_producers_names_the_producer_woken,
                     *boost::unit_test::timeout(60)) {
  const auto r = scripted(named("03_while_wait_fix"), quiet(2, 2, 1, 2),
                          {"P1", "P1", "P2", "C1", "wake=P1", "C1", "C2", "wake=P2"});
  has_lines(r.report, {"  lost wakeup: a producer's notify_one woke a producer.",
                       "    C1 and C2, which could go on, were never woken.",
                       "  nobody is left to wake C1 and C2: P2 waits too, and P1 has finished."});
  BOOST_TEST(r.report.find("woke P2: it found nothing to do and waited again.") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_deadlock_of_09_names_the_close_between_check_and_wait,
                     *boost::unit_test::timeout(60)) {
  const lesson::definition& lesson = named("09_unguarded_close");
  lesson::settings s = lesson.defaults;
  s.trace = lesson::trace_format::none;
  const auto r = scripted(lesson, s, lesson.defaults.script);
  has_lines(r.report,
            {"  C1 waits on not_empty for an item or the close - it could go on: done is set",
             "  conditions: not_empty, on which consumers wait; not_full, on which nobody waited",
             "  lost wakeup: C1 began to wait after done was set. It had read done (false) under "
             "the lock; the close, made without the lock, came between that check and the wait, "
             "and its notify_all found nobody waiting.",
             "  nobody is left to wake C1: P1 has finished."});
  BOOST_TEST(!tells_lesson_04s_story(r.report));
}

BOOST_AUTO_TEST_CASE(the_deadlock_of_11_names_the_wait_without_a_look,
                     *boost::unit_test::timeout(60)) {
  const auto r = scripted(named("11_wait_without_check"), quiet(1, 1, 1, 20), {"P1", "C1"});
  has_lines(r.report,
            {"  P1 waits on condition for a free slot",
             "  C1 waits on condition for an item - it could go on: the buffer has items",
             "  one condition: condition, on which both sides wait",
             "  lost wakeup: C1 began to wait with 1 item in the buffer: it waited without "
             "looking first.",
             "  nobody is left to wake C1: P1 waits too."});
  BOOST_TEST(r.report.find("wrong kind") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_put_into_a_non_empty_buffer_that_notifies_nobody_can_deadlock,
                     *boost::unit_test::timeout(120)) {
  // explore finds it: two slots, one producer, two consumers.
  lesson::settings s = quiet(1, 2, 2, 2);
  const lesson::exploration explored = lesson::explore(first_item_only, s, {});
  BOOST_TEST((explored.worst() == outcome::deadlock));
  // The schedule: both consumers wait; P1's first put wakes C1; its second
  // put, into a non-empty buffer, notifies nobody; C1 takes one item and is
  // done, and C2 sleeps beside the other.
  const auto r = scripted(first_item_only, s, {"C1", "C2", "P1", "wake=C1", "P1"});
  has_lines(r.report,
            {"  C2 waits on not_empty for an item - it could go on: the buffer has items",
             "  conditions: not_empty, on which consumers wait; not_full, on which nobody waited",
             "  lost wakeup: a put into a non-empty buffer notified nobody.",
             "    After C2 began to wait:",
             "    P1's notify_one (step 13) woke C1, which took "
             "P1#1 (step 24).",
             "    P1 put P1#2 (step 19) into a buffer that held 1, and notified nobody.",
             "    C2, which could go on, was never woken.",
             "  nobody is left to wake C2: P1 and C1 have finished."});
  // Not lesson 04's story: the notify that woke C1 was used, and the lesson
  // has a condition for each side.
  BOOST_TEST(!tells_lesson_04s_story(r.report));
}

BOOST_AUTO_TEST_CASE(a_notify_on_the_wrong_condition_is_named, *boost::unit_test::timeout(60)) {
  const auto r = scripted(wrong_condition, quiet(1, 1, 1, 1), {"C1", "P1"});
  has_lines(r.report, {"  C1 waits on not_empty for an item - it could go on: the buffer has items",
                       "  lost wakeup: P1's put notified not_full, but C1 waits on not_empty.",
                       "    P1 put P1#1 (step 9); its notify_one(not_full) woke nobody.",
                       "  nobody is left to wake C1: P1 has finished."});
  BOOST_TEST(!tells_lesson_04s_story(r.report));
}
