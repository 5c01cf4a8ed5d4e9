#include "model/buffer.hpp"

#include <algorithm>
#include <boost/format.hpp>

namespace lesson {

std::string describe(const item& it) {
  return (boost::format("P%d#%d") % (it.producer + 1) % it.sequence).str();
}

const char* to_string(violation_kind kind) {
  switch (kind) {
    case violation_kind::underflow:
      return "underflow";
    case violation_kind::overflow:
      return "overflow";
    case violation_kind::unknown_item:
      return "unknown item";
    case violation_kind::duplicate:
      return "duplicate";
    case violation_kind::out_of_order:
      return "out of order";
    case violation_kind::lost:
      return "lost item";
    case violation_kind::concurrent:
      return "two threads in the buffer";
  }
  return "violation";
}

ledger::ledger(std::uint32_t producers, std::uint64_t items_per_producer)
    : producers_(producers), items_per_producer_(items_per_producer), counts_(producers) {
  // Reserved, not filled: untouched pages cost no memory, and itemize(),
  // which may run under the lesson's lock, allocates nothing.
  states_.reserve(static_cast<std::size_t>(producers) * items_per_producer);
}

std::optional<std::size_t> ledger::slot(const item& it) const {
  if (it.producer >= producers_ || it.sequence < 1 || it.sequence > items_per_producer_) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(it.producer) * items_per_producer_ + (it.sequence - 1);
}

void ledger::fill_from_counts(std::vector<state>& states) const {
  states.assign(static_cast<std::size_t>(producers_) * items_per_producer_, state::unmade);
  for (std::uint32_t p = 0; p < producers_; ++p) {
    const auto first = states.begin() + static_cast<std::ptrdiff_t>(p * items_per_producer_);
    std::fill_n(first, counts_[p].put_below - 1, state::put);
    std::fill_n(first, counts_[p].next_take - 1, state::taken);
  }
}

void ledger::itemize() {
  fill_from_counts(states_);  // within the room reserved: nothing is allocated
  itemized_ = true;
}

std::optional<violation_kind> ledger::on_put(const item& it) {
  const auto at = slot(it);
  if (!at) {
    return violation_kind::unknown_item;
  }
  if (!itemized_) {
    std::uint64_t& below = counts_[it.producer].put_below;
    if (it.sequence < below) {
      return violation_kind::duplicate;
    }
    if (it.sequence == below) {
      ++below;
      return std::nullopt;
    }
    itemize();  // a put ahead of its sequence
  }
  if (states_[*at] != state::unmade) {
    return violation_kind::duplicate;
  }
  states_[*at] = state::put;
  ++itemized_puts_;
  return std::nullopt;
}

std::optional<violation_kind> ledger::on_take(const item& it) {
  const auto at = slot(it);
  if (!at) {
    return violation_kind::unknown_item;
  }
  if (!itemized_) {
    producer_counts& counts = counts_[it.producer];
    std::uint64_t& expected = counts.next_take;
    if (it.sequence >= counts.put_below) {
      return violation_kind::unknown_item;  // never put
    }
    if (it.sequence < expected) {
      return violation_kind::duplicate;
    }
    if (it.sequence == expected) {
      ++expected;
      return std::nullopt;
    }
    itemize();  // an item put, taken before an older one of its producer
  }
  return take_itemized(it, *at);
}

std::optional<violation_kind> ledger::take_itemized(const item& it, std::size_t at) {
  if (states_[at] == state::unmade) {
    return violation_kind::unknown_item;
  }
  if (states_[at] == state::taken) {
    return violation_kind::duplicate;
  }
  states_[at] = state::taken;
  auto& expected = counts_[it.producer].next_take;
  const bool in_order = it.sequence == expected;
  expected = std::max<std::uint64_t>(expected, it.sequence + std::uint64_t{1});
  if (!in_order) {
    return violation_kind::out_of_order;
  }
  return std::nullopt;
}

std::uint64_t ledger::puts() const {
  std::uint64_t puts = itemized_puts_;
  for (const producer_counts& counts : counts_) {
    puts += counts.put_below - 1;  // the puts made in sequence, before any itemize()
  }
  return puts;
}

std::vector<item> ledger::lost(const std::vector<item>& remaining) const {
  std::vector<state> seen = states_;
  if (!itemized_) {
    fill_from_counts(seen);
  }
  for (const item& it : remaining) {
    if (const auto at = slot(it); at && seen[*at] == state::put) {
      seen[*at] = state::taken;
    }
  }
  std::vector<item> result;
  for (std::size_t at = 0; at < seen.size(); ++at) {
    if (seen[at] == state::put) {
      result.push_back(item{static_cast<std::uint32_t>(at / items_per_producer_),
                            static_cast<std::uint32_t>(at % items_per_producer_ + 1)});
    }
  }
  return result;
}

bounded_buffer::bounded_buffer(std::size_t capacity, std::uint32_t producers,
                               std::uint64_t items_per_producer)
    : slots_(capacity), ledger_(producers, items_per_producer) {}

std::optional<violation_kind> bounded_buffer::put(const item& it) {
  if (full()) {
    return violation_kind::overflow;
  }
  if (const auto refused = ledger_.on_put(it)) {
    return refused;
  }
  slots_[tail_] = it;
  tail_ = after(tail_);
  ++size_;
  return std::nullopt;
}

bounded_buffer::take_result bounded_buffer::take() {
  if (empty()) {
    return {std::nullopt, violation_kind::underflow};
  }
  const item oldest = slots_[head_];
  head_ = after(head_);
  --size_;
  return {oldest, ledger_.on_take(oldest)};
}

std::vector<item> bounded_buffer::contents() const {
  std::vector<item> result;
  result.reserve(size_);
  for (std::size_t i = 0; i < size_; ++i) {
    result.push_back(slots_[(head_ + i) % slots_.size()]);
  }
  return result;
}

}  // namespace lesson
