// No run can hang: random configurations of every lesson, free and scripted,
// each of which must end by itself with exit code 0, 1 or 3. No lesson does
// worse than its worst case: the correct lessons never violate and never
// deadlock on their own, those whose worst case is a deadlock never violate.
// Every run that ends well has moved every item exactly once.
//
// The seed is printed; CV_LESSONS_SEED=N reproduces a failing run.
#define BOOST_TEST_MODULE robustness
#include <boost/chrono.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>

#include "lesson_runs.hpp"

using lesson::outcome;

namespace {

std::uint64_t chosen_seed() {
  if (const char* given = std::getenv("CV_LESSONS_SEED")) {
    return std::strtoull(given, nullptr, 10);
  }
  return std::random_device{}();
}

// A random scenario within the README's ranges: 1 to 8 threads a side, 1 to 16
// slots, 1 to 2000 items (log-uniform, so most runs are short), pauses of 0 to
// 2 ms in a quarter of the runs, a lock-order script in a third.
lesson::settings random_settings(const lesson::definition& lesson, std::mt19937_64& random) {
  const auto between = [&](std::uint64_t low, std::uint64_t high) {
    return std::uniform_int_distribution<std::uint64_t>(low, high)(random);
  };
  lesson::settings s = lesson.defaults;  // keeps 01's quota
  s.producers = static_cast<unsigned>(between(1, 8));
  s.consumers = static_cast<unsigned>(between(1, 8));
  s.capacity = between(1, 16);
  s.items = static_cast<std::uint64_t>(
      std::exp(std::uniform_real_distribution<double>(0, std::log(2000.0))(random)));
  const bool paced = between(0, 3) == 0;
  s.producer_delay_ms = paced ? std::uniform_real_distribution<double>(0, 2)(random) : 0;
  s.consumer_delay_ms = paced ? std::uniform_real_distribution<double>(0, 2)(random) : 0;
  if (paced) {
    s.items = std::min<std::uint64_t>(s.items, 200);
  }
  s.jitter_percent = static_cast<unsigned>(between(0, 50));
  s.seed = random();
  s.time_scale = 1;
  s.stall_timeout_ms = 200;
  s.trace = lesson::trace_format::none;
  s.repeat = 1;
  s.script.clear();  // a lesson's default schedule (09, 12) fits its default threads only
  if (between(0, 2) == 0) {
    const std::size_t steps = between(1, 12);
    for (std::size_t i = 0; i < steps; ++i) {
      const bool producer = between(0, 1) == 0;
      std::string name(1, producer ? 'P' : 'C');
      name += std::to_string(between(1, producer ? s.producers : s.consumers));
      s.script.push_back(name);
    }
  }
  return s;
}

std::string describe(const lesson::settings& s) {
  std::ostringstream text;
  text << "--producers " << s.producers << " --consumers " << s.consumers << " --capacity "
       << s.capacity << " --items " << s.items << " --producer-delay " << s.producer_delay_ms
       << " --consumer-delay " << s.consumer_delay_ms << " --jitter " << s.jitter_percent
       << " --seed " << s.seed;
  if (!s.script.empty()) {
    text << " --script ";
    for (std::size_t i = 0; i < s.script.size(); ++i) {
      text << (i == 0 ? "" : ",") << s.script[i];
    }
  }
  return text.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_random_run_hangs_and_the_correct_lessons_always_succeed,
                     *boost::unit_test::timeout(900)) {
  const std::uint64_t seed = chosen_seed();
  BOOST_TEST_MESSAGE("seed " << seed << ": CV_LESSONS_SEED=" << seed << " repeats these runs");
  std::mt19937_64 random(seed);
  constexpr unsigned runs = 240;
  const auto all = lessons::all();
  for (unsigned i = 0; i < runs; ++i) {
    const lesson::definition& lesson = *all[i % all.size()];
    const lesson::settings s = random_settings(lesson, random);
    // When the run last moved: it must end within the stall timeout plus 2 s
    // of that, however slow the machine (or a sanitizer) makes the moving.
    double last_event_ms = 0;
    const auto began = boost::chrono::steady_clock::now();
    std::ostringstream unused;
    const lesson::run_result r = lesson::run_once(
        lesson, s, unused,
        [&](const lesson::event& e, const lesson::run_context&) { last_event_ms = e.ms; });
    const double elapsed_ms =
        boost::chrono::duration<double, boost::milli>(boost::chrono::steady_clock::now() - began)
            .count();
    const std::uint64_t takes = s.quota == lesson::consumer_quota::every_item
                                    ? s.items * s.producers
                                    : s.items * s.producers / 2;
    // A run may also sit in its pauses, longer than the stall timeout.
    const double longest_pause_ms =
        std::max(s.producer_delay_ms, s.consumer_delay_ms) * (1 + s.jitter_percent / 100.0);
    BOOST_TEST_INFO("seed " << seed << ", run " << i << ": " << lesson.name << ' ' << describe(s)
                            << " -> " << lesson::to_string(r.result) << ", " << elapsed_ms
                            << " ms\n"
                            << r.report);
    BOOST_TEST_REQUIRE((r.result == outcome::ok || r.result == outcome::violation ||
                        r.result == outcome::deadlock || r.result == outcome::stuck));
    BOOST_TEST_INFO("seed " << seed << ", run " << i << ": " << lesson.name << ' ' << describe(s));
    BOOST_TEST_REQUIRE(elapsed_ms - last_event_ms <= longest_pause_ms + s.stall_timeout_ms + 2000);
    if (lesson.worst_case != outcome::violation) {
      BOOST_TEST_INFO("seed " << seed << ", run " << i << ": " << lesson.name << ' ' << describe(s)
                              << '\n'
                              << r.report);
      BOOST_TEST_REQUIRE((r.result != outcome::violation));
    }
    if (lesson.correct()) {
      // A script may ask for a thread that cannot come; the lesson is not to blame.
      const bool script_stuck = r.result == outcome::stuck;
      BOOST_TEST_INFO("seed " << seed << ", run " << i << ": " << lesson.name << ' ' << describe(s)
                              << '\n'
                              << r.report);
      BOOST_TEST_REQUIRE((r.result == outcome::ok || script_stuck));
    }
    if (r.result == outcome::ok) {
      BOOST_TEST_INFO("seed " << seed << ", run " << i << ": " << lesson.name << ' '
                              << describe(s));
      BOOST_TEST_REQUIRE(r.figures.produced == s.items * s.producers);
      BOOST_TEST_REQUIRE(r.figures.consumed == takes);
      BOOST_TEST_REQUIRE(r.figures.violations == 0u);
    }
  }
}
