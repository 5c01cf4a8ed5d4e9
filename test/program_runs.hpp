// Running a built program from a test, as a shell would: its exit code and
// what it wrote to stdout and stderr, each kept apart.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

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

}  // namespace lesson_test
