// The registry holds exactly the lessons whose files are in samples/, each
// under its file's name: the files register themselves, and nothing else
// lists them.
#define BOOST_TEST_MODULE registry
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "lesson_runs.hpp"

namespace fs = std::filesystem;

namespace {

// The folder of the lessons, the command-line argument after `--`.
fs::path samples_folder() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_TEST_REQUIRE(suite.argc == 2, "pass: samples-folder");
  return suite.argv[1];
}

// What both builds compile as lessons: samples/[0-9][0-9]_*.cpp. (Checked by
// hand: g++ 12 warns inside std::regex under the sanitizers.)
bool is_lesson_file(const std::string& stem) {
  return stem.size() >= 3 && std::isdigit(static_cast<unsigned char>(stem[0])) != 0 &&
         std::isdigit(static_cast<unsigned char>(stem[1])) != 0 && stem[2] == '_';
}
// How a lesson is named: its number, then lower-case words.
bool is_lesson_name(const std::string& name) {
  return is_lesson_file(name) && name.size() > 3 &&
         std::all_of(name.begin() + 3, name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

// The lesson files' names without .cpp, sorted.
std::vector<std::string> lesson_files() {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(samples_folder())) {
    const fs::path& path = entry.path();
    if (path.extension() == ".cpp" && is_lesson_file(path.stem().string())) {
      names.push_back(path.stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> registered_names() {
  std::vector<std::string> names;
  for (const lesson::definition* lesson : lessons::all()) {
    names.push_back(lesson->name);
  }
  return names;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_lesson_file_and_nothing_else_is_registered_under_its_name) {
  const std::vector<std::string> files = lesson_files();
  BOOST_TEST_REQUIRE(!files.empty(), "no lesson files in " << samples_folder());
  BOOST_TEST(registered_names() == files, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(names_are_numbered_uniquely_and_sorted) {
  const std::vector<std::string> names = registered_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    BOOST_TEST_INFO(names[i]);
    BOOST_TEST(is_lesson_name(names[i]));
    if (i > 0) {
      BOOST_TEST_INFO(names[i - 1] << " before " << names[i]);
      BOOST_TEST(names[i - 1].substr(0, 2) < names[i].substr(0, 2));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_lesson_is_found_by_its_number_or_its_name) {
  for (const lesson::definition* lesson : lessons::all()) {
    const std::string name = lesson->name;
    BOOST_TEST_INFO(name);
    BOOST_TEST(lessons::find(name) == lesson);
    BOOST_TEST_INFO(name);
    BOOST_TEST(lessons::find(name.substr(0, 2)) == lesson);
  }
  BOOST_TEST(lessons::find("02_if_wait") == nullptr);
  BOOST_TEST(lessons::find("2") == nullptr);
  BOOST_TEST(&lesson_test::named("02_if_wait_bug") == lessons::find("02"));
  BOOST_CHECK_THROW(lesson_test::named("no_such_lesson"), std::invalid_argument);
}
