// Running a built program from a test, as a shell would: its exit code and
// what it wrote to stdout and stderr, each kept apart.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace lesson_test {

struct finished_run {
  int status;
  std::string out;
  std::string err;
};

// `command` is run by sh; put it under timeout so that a hang fails the test.
inline finished_run run_command(const std::string& command) {
  const std::string stem = (std::filesystem::temp_directory_path() /
                            ("cv_lessons_test_run." + std::to_string(::getpid())))
                               .string();
  const int status = std::system((command + " >'" + stem + ".out' 2>'" + stem + ".err'").c_str());
  std::stringstream out;
  std::stringstream err;
  out << std::ifstream(stem + ".out").rdbuf();
  err << std::ifstream(stem + ".err").rdbuf();
  std::filesystem::remove(stem + ".out");
  std::filesystem::remove(stem + ".err");
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out.str(), err.str()};
}

// A file's whole text; empty when it cannot be read.
inline std::string read(const std::filesystem::path& file) {
  std::stringstream text;
  text << std::ifstream(file, std::ios::binary).rdbuf();
  return text.str();
}

// `word` quoted for sh. Appended, not "'" + word: that trips g++ 12's false
// -Wrestrict at b2's -O3, and a warning is an error here.
inline std::string quoted(const std::string& word) {
  std::string text(1, '\'');
  text += word;
  text += '\'';
  return text;
}

// An argument of the test after `--`: the first that is a folder when `name`
// is empty, else the program called `name`.
inline std::string argument(const std::string& name) {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  for (int i = 1; i < suite.argc; ++i) {
    const std::filesystem::path given(suite.argv[i]);
    if (name.empty() ? std::filesystem::is_directory(given) : given.filename() == name) {
      return suite.argv[i];
    }
  }
  BOOST_TEST_REQUIRE(false, (name.empty() ? "the tree's folder" : name) << " is not among the "
                                                                           "arguments");
  return "";
}

// A folder of precompiled headers of the tests' own (CV_LESSONS_PRELUDE):
// not a real copy, so the compiler reads the header, whose #error stops any
// compile that includes it with "the prelude was included".
inline std::filesystem::path planted_prelude(const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "student_prelude.hpp") << "#error the prelude was included\n";
  std::ofstream(folder / "student_prelude.hpp.gch") << "not a precompiled header\n";
  return folder;
}

}  // namespace lesson_test
