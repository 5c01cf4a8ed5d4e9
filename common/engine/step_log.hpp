// A log of step numbers, each with a small tag, kept in about two bytes an
// entry: a free run's schedule marks one or two decisions an item, and a run
// may move a hundred million items.
#pragma once

#include <cstdint>
#include <deque>

namespace lesson {

class step_log {
 public:
  static constexpr unsigned tag_bits = 2;

  // `tag` < 4. Steps come mostly in increasing order; any order is kept.
  void push(std::uint64_t step, unsigned tag);

  // Calls `seen(step, tag)` for each entry, in the order they were pushed.
  template <class Seen>
  void each(const Seen& seen) const {
    std::uint64_t step = 0;
    auto byte = bytes_.begin();
    while (byte != bytes_.end()) {
      std::uint64_t word = 0;
      for (unsigned shift = 0;; shift += 7) {
        word |= std::uint64_t{*byte & 0x7FU} << shift;
        if ((*byte++ & 0x80U) == 0) {
          break;
        }
      }
      const unsigned tag = word & ((1U << tag_bits) - 1);
      const std::uint64_t zigzag = word >> tag_bits;
      step += (zigzag & 1U) != 0 ? -(zigzag >> 1) - 1 : zigzag >> 1;
      seen(step, tag);
    }
  }

 private:
  // Each entry: its step's difference from the last (zigzag: a small step
  // back is a small number too) and its tag, seven bits a byte, the high bit
  // set on every byte but the last. A deque grows without copying.
  std::deque<std::uint8_t> bytes_;
  std::uint64_t last_ = 0;
};

}  // namespace lesson
