// What a student's buffer is checked against: the small runs explored on
// every schedule, and, when a class is graded, the limits each submission
// runs under. yours checks the built-in one unless given a file; grade
// reads one from a file (exercises/assignment.conf is the exercise's).
//
// The file is Program_options' config syntax, `name = value`, a # starts a
// comment:
//   configuration = 1x2 capacity 1             producers x consumers, slots
//   configuration = 1x2 capacity 1 spurious 1  with a spurious wakeup
//   items = 2                                  per producer
//   search-seconds = 60                        each search's limit
//   closes = no                                whether the design closes its buffer
//   time-limit = 420                           per submission, seconds
//   cpu-limit = 900                            per process, CPU seconds
//   memory-limit = 2048                        per process, MiB of address space
//   processes = 256                            threads and processes at once
//   file-size-limit = 16                       MiB, any file it writes
//   output-limit = 1                           MiB it may print
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lessons {

struct explored_configuration {
  unsigned producers;
  unsigned consumers;
  std::size_t capacity;
  unsigned spurious;
};

struct assignment {
  std::vector<explored_configuration> configurations{
      {1, 2, 1, 0}, {2, 1, 1, 0}, {2, 2, 1, 0}, {2, 2, 2, 0}, {1, 2, 1, 1}};
  std::uint64_t items = 2;
  double search_seconds = 60;
  bool closes = false;
  // The limits of one submission's check, when grade runs it contained.
  double time_limit_seconds = 420;
  double cpu_limit_seconds = 900;
  std::uint64_t memory_limit_mib = 2048;
  std::uint64_t processes = 256;
  std::uint64_t file_size_limit_mib = 16;
  std::uint64_t output_limit_mib = 1;
};

// The assignment in `path`. Throws lesson::usage_error, one line naming the
// file, its line and the setting: "a.conf:3: items: 'x' is not a whole
// number from 1 to 16".
assignment read_assignment(const std::string& path);

// "1x2 capacity 1", "1x2 capacity 1 spurious 1": as the file writes it.
std::string configuration_text(const explored_configuration& c);

}  // namespace lessons
