// Soak: a million items through each correct lesson (05 to 08, and 10, whose
// consumers run until the buffer is closed), eight producers and eight
// consumers, every item accounted for twice over: the harness's ledger tallies
// each item from put to take, and a checksum over the items taken must equal
// the one over the items made.
#define BOOST_TEST_MODULE soak
#include <boost/test/unit_test.hpp>

#include "lesson_runs.hpp"

namespace {

// A million items through `lesson`; the sums of the items taken and made.
void soak(const lesson::definition& lesson) {
  lesson::settings s = lesson_test::quiet(8, 8, 64, 125'000);
  s.stall_timeout_ms = 10'000;
  // Each item's identity, mixed so that a swap or a duplicate changes the sums.
  const auto key = [](const lesson::item& it) {
    return (static_cast<std::uint64_t>(it.producer) << 40 | it.sequence) * 0x9E3779B97F4A7C15ULL;
  };
  std::uint64_t taken_sum = 0;
  std::uint64_t taken_xor = 0;
  std::ostringstream unused;
  const lesson::run_result r =
      lesson::run_once(lesson, s, unused, [&](const lesson::event& e, const lesson::run_context&) {
        if (e.action == lesson::action::take) {
          taken_sum += key(e.what);
          taken_xor ^= key(e.what);
        }
      });
  std::uint64_t made_sum = 0;
  std::uint64_t made_xor = 0;
  for (std::uint32_t producer = 0; producer < s.producers; ++producer) {
    for (std::uint32_t sequence = 1; sequence <= s.items; ++sequence) {
      made_sum += key({producer, sequence});
      made_xor ^= key({producer, sequence});
    }
  }
  BOOST_TEST_INFO(lesson.name);
  BOOST_TEST((r.result == lesson::outcome::ok));  // the ledger found nothing lost or doubled
  BOOST_TEST_INFO(lesson.name);
  BOOST_TEST(r.figures.produced == 1'000'000u);
  BOOST_TEST_INFO(lesson.name);
  BOOST_TEST(r.figures.consumed == 1'000'000u);
  BOOST_TEST_INFO(lesson.name);
  BOOST_TEST(taken_sum == made_sum);
  BOOST_TEST_INFO(lesson.name);
  BOOST_TEST(taken_xor == made_xor);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_million_items_through_each_correct_lesson_all_accounted_for,
                     *boost::unit_test::timeout(900)) {
  std::size_t soaked = 0;
  for (const lesson::definition* lesson : lessons::all()) {
    if (lesson->correct()) {
      soak(*lesson);
      ++soaked;
    }
  }
  BOOST_TEST(soaked >= 5u);  // 05 to 08 and 10 at least
}
