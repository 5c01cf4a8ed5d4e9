#include "show/replay.hpp"

#include <boost/format.hpp>

namespace lesson {

namespace {

std::string& program_path() {
  static std::string path;
  return path;
}

}  // namespace

void remember_program_path(const std::string& path) {
  program_path() = path;
}

std::string replay_line(const definition& lesson, const settings& chosen,
                        const std::string& schedule) {
  std::string program = *lesson.program != '\0' ? lesson.program : program_path();
  if (program.empty()) {
    program.append("build/bin/").append(lesson.name);
  }
  return (boost::format("replay: %s --producers %d --consumers %d --capacity %d --items %d "
                        "--producer-delay 0 --consumer-delay 0 --script %s") %
          program % chosen.producers % chosen.consumers % chosen.capacity % chosen.items % schedule)
      .str();
}

}  // namespace lesson
