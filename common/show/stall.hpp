// What a stall is made of, for the deadlock report and the timeline: the
// threads asleep in wait(), which of them could go on, whether the other side
// has finished, and the lost wakeup that left a thread asleep. Each is a
// function of the run's last events, without threads.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "model/stop.hpp"
#include "show/describe.hpp"

namespace lesson {

// Whether two events name the same condition variable (by its name in the
// lesson: "not_empty").
bool same_condition(const char* a, const char* b);

// A consumer asleep though `done` was set before it began to wait, or null.
const sleeper* waited_after_the_close(const std::vector<sleeper>& sleepers);

// The kinds of stall a deadlock report tells apart (run_result::kind).
namespace stall_kinds {
inline constexpr const char* lost_wakeup = "lost wakeup";  // a thread that could go on sleeps
inline constexpr const char* other_side_finished = "other side finished";  // the numbers did it
inline constexpr const char* nothing_to_wait_for = "nothing to wait for";
}  // namespace stall_kinds
// Which of them a stall is: the same facts the deadlock report gives.
const char* stall_kind(const cast& who, std::size_t buffer_size,
                       const std::vector<sleeper>& sleepers);

// When every waiter is on one side and the other side has finished: why what
// they wait for will never come, in a sentence; null otherwise.
const char* finished_side(const cast& who, const std::vector<sleeper>& sleepers);

// The first sleeper that began to wait when it could already have gone on: it
// waited without looking (lesson 11). Null when each looked first.
const sleeper* waited_without_looking(const cast& who, const std::vector<sleeper>& sleepers);
// The sleepers that could go on: a producer with room, a consumer with items.
std::vector<unsigned> could_go_on(const cast& who, std::size_t buffer_size,
                                  const std::vector<sleeper>& sleepers);

// Something a sleeper could use that came after it began to wait (a put for
// a consumer, a take for a producer, the close for a consumer), and what its
// thread notified with it, as the run's last events show it.
struct announcement {
  const event* change = nullptr;  // the put, take or close
  // The notify its thread made after it, before its next move: the one on the
  // sleeper's condition when it made several. Null when it made none.
  const event* notify = nullptr;
  const event* woken = nullptr;  // the wakeup that notify caused; null: none the events show
  const event* then = nullptr;   // what the woken thread did next: a put, a take or a wait
};

// Why a thread that could go on sleeps.
enum class lost_cause {
  closed_before_wait,      // the close came between its check of done and its wait
  waited_without_looking,  // what it waits for was there when it began to wait
  notified_nobody,         // a put, take or close it could use came with no notify
  other_condition,         // ... with a notify on a condition it does not wait on
  woke_other_side,         // ... with a notify_one that woke a thread of the other side
  unexplained,             // none of these, in the events kept
};

struct lost_wakeup {
  lost_cause cause = lost_cause::unexplained;
  const sleeper* asleep = nullptr;  // whose story it is: a sleeper that could go on
  // What came after it began to wait, oldest first (for the last three causes).
  std::vector<announcement> since;
  std::size_t culprit = 0;  // the one in `since` that reached nobody of its side
};

// The lost wakeup of a stall, from the run's last events (oldest first), which
// the answer points into; none when no sleeper could go on.
std::optional<lost_wakeup> lost_wakeup_of(const cast& who, std::size_t buffer_size,
                                          const std::vector<sleeper>& sleepers,
                                          const std::vector<event>& recent);

}  // namespace lesson
