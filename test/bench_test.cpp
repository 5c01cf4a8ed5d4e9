// The benchmark's queues and its check: each queue moves every item exactly
// once, and the checksums catch an item that is duplicated in place of another.
// What it measures: the correct lessons and the plain twins they name.
#define BOOST_TEST_MODULE bench
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "bench_kernels.hpp"
#include "bench_variants.hpp"
#include "lessons.hpp"

namespace {

const bench::config small{2, 3, 4, 3000};

void moves_every_item_once(const bench::sample& s, bool counted) {
  BOOST_TEST(s.every_item_once);
  BOOST_TEST(s.counted == counted);
  BOOST_TEST(s.seconds > 0.0);
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_queue_moves_every_item_once, *boost::unit_test::timeout(60)) {
  moves_every_item_once(bench::run_sync_bounded_queue(small), false);
  moves_every_item_once(bench::run_plain<bench::boost_06>(small), true);
  moves_every_item_once(bench::run_plain<bench::boost_08>(small), true);
  moves_every_item_once(bench::run_plain<bench::boost_08_unlock_first>(small), true);
  moves_every_item_once(bench::run_plain<bench::std_06>(small), true);
}

BOOST_AUTO_TEST_CASE(counting_waiters_notifies_no_more_than_every_time,
                     *boost::unit_test::timeout(60)) {
  const bench::config roomy{2, 2, 64, 20000};
  const bench::sample every_time = bench::run_plain<bench::boost_06>(roomy);
  const bench::sample counted = bench::run_plain<bench::boost_08>(roomy);
  BOOST_TEST(every_time.notifies == 2 * roomy.items);
  BOOST_TEST(counted.notifies <= every_time.notifies);
}

BOOST_AUTO_TEST_CASE(the_checksums_catch_a_duplicated_item, *boost::unit_test::timeout(60)) {
  boost::sync_bounded_queue<std::uint64_t> queue(4);
  const bench::sample s = bench::move_items(
      small, [&](std::uint64_t v) { queue.push_back(v == 7 ? 0 : v); },
      [&] { return queue.pull_front(); });
  BOOST_TEST(!s.every_item_once);
}

// What bench measures comes from the lessons' definitions: every correct
// lesson, beside the plain twin it names, which must be one of bench's queues.
BOOST_AUTO_TEST_CASE(bench_measures_every_correct_lesson_beside_the_twin_it_names) {
  const std::vector<bench::variant> all = bench::variants("bench_no_interruptions");
  const auto find = [&all](const std::string& name) {
    return std::find_if(all.begin(), all.end(),
                        [&name](const bench::variant& v) { return v.name == name; });
  };
  for (const lesson::definition* lesson : lessons::all()) {
    BOOST_TEST_INFO(lesson->name);
    const auto measured = find(lesson->name);
    BOOST_TEST((measured != all.end()) == lesson->correct());
    if (measured != all.end()) {
      BOOST_TEST(measured->twin == lesson->plain_twin);
    }
    if (*lesson->plain_twin != '\0') {
      BOOST_TEST_INFO(lesson->name << "'s twin " << lesson->plain_twin);
      BOOST_TEST((find(lesson->plain_twin) != all.end()));
    }
  }
  BOOST_TEST(find("06_two_conditions")->twin == "06_uninstrumented");
  BOOST_TEST(find("08_waiter_count")->twin == "08_uninstrumented");
  BOOST_TEST(find("05_notify_all")->twin.empty());
}

// checks_only, the floor under the harness's cost: the plain 06 on the suite's
// checked buffer, measured against 06's twin, moves every item once, its
// ledger finding nothing.
BOOST_AUTO_TEST_CASE(checks_only_moves_every_item_once_against_06s_twin,
                     *boost::unit_test::timeout(60)) {
  const std::vector<bench::variant> all = bench::variants("bench_no_interruptions");
  const auto checks_only = std::find_if(
      all.begin(), all.end(), [](const bench::variant& v) { return v.name == "checks_only"; });
  BOOST_TEST_REQUIRE((checks_only != all.end()));
  BOOST_TEST(checks_only->twin == "06_uninstrumented");
  moves_every_item_once(checks_only->run(small), false);
  moves_every_item_once(checks_only->run(bench::config{1, 1, 64, 20000}), false);
}
