// The shared buffer every lesson uses: a bounded FIFO of items, and the ledger
// that follows each item from the producer that made it to the consumer that
// took it.
//
// The buffer never trusts its caller. Taking from an empty buffer or putting
// into a full one is refused and reported instead of done, so a buggy lesson
// shows its bug without undefined behaviour.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lesson {

// An item is known by the producer that made it and its number in that
// producer's sequence (1, 2, 3, ...).
// Eight bytes, as a queue of 64-bit values would hold: limits::max_items fits.
struct item {
  std::uint32_t producer = 0;  // 0-based: P1 is 0
  std::uint32_t sequence = 0;  // 1-based
  friend bool operator==(const item&, const item&) = default;
};

std::string describe(const item& it);  // "P1#3"

enum class violation_kind : std::uint8_t {
  underflow,     // took from an empty buffer
  overflow,      // put into a full buffer
  unknown_item,  // an item no producer made
  duplicate,     // an item put or taken twice
  out_of_order,  // a producer's items left in another order than they came
  lost,          // an item put that was neither taken nor left in the buffer
  concurrent,    // a thread came into the buffer while another was in it
};

const char* to_string(violation_kind kind);

// The ledger tallies every item. It is the checker, kept apart from the
// storage so that each kind of violation can be shown to it directly.
//
// While each producer's items are put and taken in their sequence, as in any
// run without a violation, an item's state follows from two numbers per
// producer: the items below `put_below` were put, those below `next_take`
// taken. The first put or take out of sequence switches the ledger to a state
// per item (`itemize`), made from those numbers. So a correct run writes no
// byte per item, only its producer's two numbers, on a cache line of their own.
class ledger {
 public:
  ledger(std::uint32_t producers, std::uint64_t items_per_producer);

  std::optional<violation_kind> on_put(const item& it);
  std::optional<violation_kind> on_take(const item& it);
  // Items put that were neither taken nor are still in `remaining`.
  std::vector<item> lost(const std::vector<item>& remaining) const;

  std::uint64_t puts() const;

 private:
  enum class state : std::uint8_t { unmade, put, taken };
  std::optional<std::size_t> slot(const item& it) const;
  // Every item's state as the counts say, into `states`.
  void fill_from_counts(std::vector<state>& states) const;
  void itemize();
  std::optional<violation_kind> take_itemized(const item& it, std::size_t at);

  std::uint32_t producers_;
  std::uint64_t items_per_producer_;
  struct alignas(64) producer_counts {
    std::uint64_t put_below = 1;
    std::uint64_t next_take = 1;  // the sequence FIFO order expects
  };
  std::vector<producer_counts> counts_;
  bool itemized_ = false;
  std::vector<state> states_;        // room reserved up front, filled by itemize()
  std::uint64_t itemized_puts_ = 0;  // puts made after itemize()
};

// A bounded FIFO. put() and take() check every call against the capacity and
// the ledger; the caller holds the lesson's lock, as it would for any buffer.
class bounded_buffer {
 public:
  bounded_buffer(std::size_t capacity, std::uint32_t producers, std::uint64_t items_per_producer);

  std::size_t capacity() const { return slots_.size(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == slots_.size(); }

  struct take_result {
    std::optional<item> taken;
    std::optional<violation_kind> violation;
  };
  // Stores `it` unless the buffer is full (overflow) or the ledger objects.
  std::optional<violation_kind> put(const item& it);
  // Removes the oldest item unless the buffer is empty (underflow).
  take_result take();

  std::vector<item> contents() const;  // oldest first
  const lesson::ledger& ledger() const { return ledger_; }

 private:
  // The next slot round the ring: a compare, not a division, on every put and take.
  std::size_t after(std::size_t slot) const { return slot + 1 == slots_.size() ? 0 : slot + 1; }

  // Written at every put and take: first, so that an owner can keep them on
  // one cache line with its own (tracked_buffer, in lesson.hpp).
  std::size_t head_ = 0;  // the oldest item
  std::size_t tail_ = 0;  // where the next item goes
  std::size_t size_ = 0;
  std::vector<item> slots_;
  lesson::ledger ledger_;
};

}  // namespace lesson
