#include "engine/step_log.hpp"

#include <cassert>

namespace lesson {

void step_log::push(std::uint64_t step, unsigned tag) {
  assert(tag < (1U << tag_bits));
  const std::uint64_t forward = step - last_;
  const std::uint64_t zigzag = step >= last_ ? forward << 1 : ((last_ - step - 1) << 1) | 1U;
  assert(zigzag >> (64 - tag_bits) == 0);  // a run has far fewer than 2^61 steps
  last_ = step;
  std::uint64_t word = (zigzag << tag_bits) | tag;
  while (word >= 0x80U) {
    bytes_.push_back(static_cast<std::uint8_t>(word | 0x80U));
    word >>= 7;
  }
  bytes_.push_back(static_cast<std::uint8_t>(word));
}

}  // namespace lesson
