// How a run ends, the exit code that says it, and runs counted by how they ended.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace lesson {

// stuck: a scripted decision could not be taken when its turn came.
enum class outcome { ok, violation, deadlock, stuck, interrupted };

const char* to_string(outcome o);
// 0 ok, 1 an invariant violation shown, 3 a deadlock detected, 4 the script
// stuck, 128 + the signal when a signal interrupted the run. (2, bad usage, is
// said before any run.)
int exit_code(outcome o);
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
