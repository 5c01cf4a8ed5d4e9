// Lesson 01 prints the recipe's own lines, so a class can diff it against the
// notebook, and nothing else on stdout but the summary line.
#define BOOST_TEST_MODULE cookbook
#include <boost/test/unit_test.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "drive/driver.hpp"
#include "lesson_runs.hpp"

namespace {}  // namespace

BOOST_AUTO_TEST_CASE(the_port_prints_the_recipes_lines_and_a_summary,
                     *boost::unit_test::timeout(60)) {
  lesson::settings s = lesson_test::named("01_cookbook").defaults;
  s.time_scale = 0.01;
  std::ostringstream out;
  BOOST_TEST(lesson::run_lesson(lesson_test::named("01_cookbook"), s, out, out) == 0);
  const std::vector<std::string> lines = lesson_test::lines_of(out.str());
  BOOST_TEST_REQUIRE(lines.size() >= 2u);

  const std::regex recipe(
      "Producer notify : total items producted ([1-9]|10)|"
      "Producer notify : items producted are ([0-9]|10)|"
      "Producer notify : stop the production!!|"
      "Consumer notify : consumed 1 item|"
      "Consumer notify : items to consume are ([0-9])|"
      "Consumer notify : no item to consume");
  int puts = 0;
  int takes = 0;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    BOOST_TEST_INFO("line " << i + 1 << ": " << lines[i]);
    BOOST_TEST(std::regex_match(lines[i], recipe));
    puts += lines[i].rfind("Producer notify : total items producted", 0) == 0 ? 1 : 0;
    takes += lines[i] == "Consumer notify : consumed 1 item" ? 1 : 0;
  }
  BOOST_TEST(puts == 20);
  BOOST_TEST(takes == 10);
  BOOST_TEST(lines.back().rfind("result: ok produced=20 consumed=10 violations=0 ", 0) == 0);
}

BOOST_AUTO_TEST_CASE(the_recipes_counts_are_the_defaults) {
  const lesson::settings& d = lesson_test::named("01_cookbook").defaults;
  BOOST_TEST(d.producers == 1u);
  BOOST_TEST(d.consumers == 1u);
  BOOST_TEST(d.capacity == 10u);
  BOOST_TEST(d.items == 20u);
  BOOST_TEST(d.producer_delay_ms == 1000.0);
  BOOST_TEST(d.consumer_delay_ms == 3000.0);
  BOOST_TEST((d.trace == lesson::trace_format::cookbook));
}
