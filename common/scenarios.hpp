// The scenarios that several lessons run by default, named once, so that two
// neighbouring lessons differ in their code and not in their numbers.
#pragma once

#include "model/settings.hpp"

namespace lesson::scenarios {

// Lessons 02 and 03: one producer, a put every tenth of a second, and two
// consumers that race for each item: the buffer stays near empty.
inline settings two_consumers_paced() {
  return {.producers = 1,
          .consumers = 2,
          .capacity = 10,
          .items = 20,
          .producer_delay_ms = 100,
          .consumer_delay_ms = 0};
}

// Lessons 04 to 07: one slot, no pauses, many items: a waiter at almost every
// step, where a notify that wakes the wrong thread shows at once.
inline settings one_slot() {
  return {.producers = 1,
          .consumers = 2,
          .capacity = 1,
          .items = 30000,
          .producer_delay_ms = 0,
          .consumer_delay_ms = 0,
          .trace = trace_format::none};
}

}  // namespace lesson::scenarios
