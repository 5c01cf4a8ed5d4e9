// The text of the reports that end a run: a violation, a deadlock, a stuck
// script, lost items. Each is a function of what the run recorded, so that a
// test can call it with events it made up, without threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/stop.hpp"
#include "show/describe.hpp"

namespace lesson {

// Why `violation` (an event of action::violation) happened: whether its
// thread had just returned from wait() and from which wakeup, and the last
// move of the kind it tried (the rival that may have stolen its wakeup).
std::string violation_report(const cast& who, const event& violation, bool woke_unserved,
                             const wakeup& last_wakeup, last_move rival);

// What misled the thread, from the same facts: the report words it, the
// timeline labels it.
enum class violation_cause {
  other_kind,       // not an underflow or an overflow: no wakeup to blame
  did_not_wait,     // it moved without waiting first
  let_the_lock_go,  // it checked under the lock, and moved after it let the lock go
  spurious_wakeup,  // nobody notified it
  wrong_side,       // a notify meant for the other side woke it
  stolen_wakeup,    // `rival` moved first, after the notify that woke it
  unexplained,      // woken by the right side, and nobody moved since
};
violation_cause cause_of(const cast& who, const event& violation, bool woke_unserved,
                         const wakeup& last_wakeup, last_move rival);

// A consumer asleep though `done` was set before it began to wait, or null.
const sleeper* waited_after_the_close(const std::vector<sleeper>& sleepers);

// Every live thread waits and nothing moves: who waits on which condition for
// what, who could go on, and why it sleeps (lost_wakeup_of), from the run's
// last events (oldest first). `seen_at_once`: an observed run, whose scheduler knows it
// the moment the last thread sleeps; else the watchdog saw nothing move.
std::string deadlock_report(const cast& who, std::size_t buffer_size,
                            const std::vector<sleeper>& sleepers, const std::vector<event>& recent,
                            bool seen_at_once = false);

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

// A decision of the script that could not be taken when its turn came, in
// one line: at which step, which decision, and why.
std::string schedule_stuck_report(const cast& who, std::uint64_t step, std::size_t index,
                                  const std::string& token, const std::string& why);
// The run ended before the script's decisions from `index` on were taken.
std::string schedule_unused_report(const cast& who, std::size_t index, const std::string& token);

// Items put that no consumer took and the buffer does not hold.
std::string lost_items_report(const std::vector<item>& lost);

// The kind and the report of a stopped run, from the facts the engine gives
// (model/stop.hpp): what a run is handed as its stop_wording.
stop_words words_of_stop(const cast& who, const stop_facts& facts);

}  // namespace lesson
