// The text of the reports that end a run: a violation, a deadlock, a stuck
// script, lost items. Each is a function of what the run recorded, so that a
// test can call it with events it made up, without threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "describe.hpp"

namespace lesson {

// The last put or take of the run, by any thread.
struct last_move {
  int worker = -1;
  std::uint64_t step = 0;
};

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

// A thread asleep in wait(), for the deadlock report.
struct sleeper {
  unsigned worker;
  const char* condition;
  std::optional<std::size_t> items_when_it_began{};  // the buffer's items as it began to wait
  bool closed_when_it_began = false;  // a consumer that began to wait after `done` was set
};

// A consumer asleep though `done` was set before it began to wait, or null.
const sleeper* waited_after_the_close(const std::vector<sleeper>& sleepers);

// Every live thread waits and nothing moves: who waits for what, who could go
// on, and the notify that went to the wrong thread, from the run's last events
// (oldest first). `seen_at_once`: an observed run, whose scheduler knows it
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

// The notify_one a lost wakeup comes down to: the last one in `recent`, and
// the wakeup it caused there (null when it woke nobody the events show).
struct last_notify {
  const event* notify = nullptr;  // null when `recent` holds no notify_one
  const event* woken = nullptr;
};
last_notify last_notify_one(const std::vector<event>& recent);

// A decision of the script that could not be taken when its turn came, in
// one line: at which step, which decision, and why.
std::string schedule_stuck_report(const cast& who, std::uint64_t step, std::size_t index,
                                  const std::string& token, const std::string& why);
// The run ended before the script's decisions from `index` on were taken.
std::string schedule_unused_report(const cast& who, std::size_t index, const std::string& token);

// Items put that no consumer took and the buffer does not hold.
std::string lost_items_report(const std::vector<item>& lost);

}  // namespace lesson
