#include "engine/step_log.hpp"

namespace lesson {

void step_log::push(std::uint64_t step, unsigned tag) {
  const std::uint64_t forward = step - last_;
  const std::uint64_t zigzag = step >= last_ ? forward << 1 : ((last_ - step - 1) << 1) | 1U;
  last_ = step;
  std::uint64_t word = (zigzag << tag_bits) | tag;
  while (word >= 0x80U) {
    bytes_.push_back(static_cast<std::uint8_t>(word | 0x80U));
    word >>= 7;
  }
  bytes_.push_back(static_cast<std::uint8_t>(word));
}

}  // namespace lesson
