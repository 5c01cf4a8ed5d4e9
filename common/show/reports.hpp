// The text of the reports that end a run: a violation, a deadlock
// (deadlock_report.hpp, from the facts of the stall in stall.hpp), a stuck
// script, lost items. Each is a function of what the run recorded, so that a
// test can call it with events it made up, without threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/stop.hpp"
#include "show/deadlock_report.hpp"
#include "show/describe.hpp"
#include "show/stall.hpp"

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
