// A submission's program, contained: grade runs each student's code through
// bubblewrap (Debian's bwrap) in namespaces of its own, with no network, an
// empty private /tmp and working folder, only the folders it needs and read
// only, as an unprivileged user when grade runs as root, and under limits of
// time, CPU, memory, processes, file size and output. docs/grading.md says
// what this promises and what it does not.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lessons {

struct sandbox_limits {
  double wall_seconds = 420;
  double cpu_seconds = 900;
  std::uint64_t memory_bytes = 2ULL << 30;
  std::uint64_t processes = 256;
  std::uint64_t file_size_bytes = 16ULL << 20;
  std::uint64_t output_bytes = 1ULL << 20;
};

// A folder or file of the machine the sandbox sees, at the same path or another.
struct mapped_path {
  std::string outside;
  std::string inside;
  bool writable = false;
};

struct contained_run {
  bool started = false;     // false: bwrap could not start (output says why)
  int exit_code = -1;       // when it exited
  int signal = 0;           // when a signal ended it
  bool timed_out = false;   // it passed wall_seconds and was killed
  bool output_cut = false;  // it printed more than output_bytes and was killed
  std::string output;       // its standard output and error, as far as the limit
  double seconds = 0;
};

// Runs `command` in a new sandbox that sees /usr, /etc and `paths`, works in
// an empty /work, and is killed with everything it started when it ends or
// passes a limit. `slot` (0, 1, ...) tells sandboxes that run at once apart:
// under root each runs as an unprivileged user of its own, from 61000 up,
// which no other grade on the machine uses while this one runs.
contained_run run_contained(const std::vector<std::string>& command,
                            const std::vector<mapped_path>& paths, const sandbox_limits& limits,
                            unsigned slot);

// The user a sandbox of `slot` runs as, for the folders it must write.
unsigned sandbox_user(unsigned slot);

// Why no sandbox can be made here (no bwrap, or the kernel refuses its
// namespaces), in a line; empty when one can.
std::string why_no_sandbox();

}  // namespace lessons
