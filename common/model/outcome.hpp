// How a run ends, the exit code that says it, and runs counted by how they ended.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace lesson {

// stuck: a scripted decision could not be taken when its turn came.
enum class outcome { ok, violation, deadlock, stuck, interrupted };

const char* to_string(outcome o);
// The exit code that says how a run ended: 0 ok, 1 an invariant violation
// shown, 3 a deadlock detected, 4 the script stuck. An interrupted run exits
// as a shell reports a program that a signal ended, 128 + the signal's
// number (130 for SIGINT, 143 for SIGTERM); the caller names the signal it
// caught, or none (0) for a run stopped by an error. Either way an
// interrupted run has the highest code, so comparing codes finds the worst
// outcome. (2, bad usage, is said before any run.)
int exit_code(outcome o, int signal = 0);
// The exit code of a program whose output (standard output or a file it was
// asked to write) could not be written, whatever its runs showed.
constexpr int output_failed_exit_code = 5;

class outcome_counts {
 public:
  void add(outcome o) { ++counts_[index(o)]; }
  std::uint64_t operator[](outcome o) const { return counts_[index(o)]; }
  std::uint64_t total() const;
  outcome most_seen() const;  // the first of the most frequent, in the order of `outcome`
  outcome worst() const;      // the one with the highest exit code

 private:
  static std::size_t index(outcome o) { return static_cast<std::size_t>(o); }
  std::array<std::uint64_t, 5> counts_{};
};

}  // namespace lesson
