// The threads of an observed run as its scheduler sees them, and the moves
// that carry out a decision: give the lock, let a thread go on from its
// point, wake a waiter. The scheduler (scheduler.hpp) keeps this under its
// lock; a strategy (strategy.hpp) reads it and makes the moves it decides.
#pragma once

#include <boost/thread/condition_variable.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <vector>

#include "model/schedule.hpp"

namespace lesson {

// The two kinds of point (scheduler.hpp): one on the buffer (a check, a put,
// a take) and one on the signalling (a wait, a notify, a flag).
enum class point_kind : std::uint8_t { buffer, signal };

// Why a run stopped for its schedule. `explored`: an explored run reached a
// state the search had seen, whose futures it knows.
struct schedule_trouble {
  enum class kind { deadlock, stuck, explored } what = kind::deadlock;
  std::size_t index = 0;  // stuck: the decision's place in the script, from 1
  decision wanted{};      // stuck: the decision that could not be taken
  std::string why;        // stuck: "C2 is not waiting on condition"
};

// Whom a notify woke, and whether the script decided it.
struct notify_result {
  std::vector<unsigned> woken;  // in the order they waited
  bool scripted = false;        // a wake= of the script was taken
  bool script_done = false;     // ... and it was the script's last
};

struct seating {
  enum class phase { unstarted, running, asking, holding, waiting, done };
  struct seat {
    phase now = phase::unstarted;
    const char* condition = nullptr;     // while waiting
    bool woken = false;                  // since it began to wait
    bool on_its_way = false;             // woken, and not yet holding the lock again
    bool spurious = false;               // that wakeup was spurious
    bool unasked = false;                // holds the lock for a room that woke unasked
    std::uint64_t since = 0;             // when it began to run (for asking) or to wait
    bool granted_by_script = false;      // the decision that gave it the lock
    bool grant_ended_script = false;     // ... was the script's last
    bool spurious_ended_script = false;  // its spurious wakeup was the script's last
    bool paused = false;                 // waits at a point for its turn
    std::source_location point;          // ... there
    point_kind point_of = point_kind::buffer;
    boost::condition_variable turn;  // its turn to start, or the lock
    std::unique_ptr<boost::condition_variable_any> room;
  };

  explicit seating(const std::vector<std::string>& thread_names);

  // The moves. `scripted`: the script decided it; `ended_script`: it was the
  // script's last decision, or the first default after the script was left.
  // Each adds its decision to `taken`, but for a wakeup, which the strategy
  // adds (a notify_all's wakeups are no decision).
  void give_lock(unsigned id, bool scripted, bool ended_script);
  void let_move(unsigned id, bool scripted, bool ended_script);  // from its point
  void wake(unsigned id, bool spurious);
  // Every live thread waits, and none was woken.
  void deadlock() { trouble = schedule_trouble{}; }

  bool waits_unwoken(unsigned id) const {
    return seats[id].now == phase::waiting && !seats[id].woken;
  }
  std::string whereabouts(unsigned id) const;  // "C2 waits on not_full", for a report

  const std::vector<std::string>& names;
  std::vector<seat> seats;
  std::optional<unsigned> holder;
  std::size_t running = 0;  // threads that can move by themselves, the holder among them
  std::uint64_t clock = 0;  // stamps `since`, at moments the run's order fixes
  std::vector<decision> taken;
  std::vector<unsigned> to_wake;  // rooms chosen, to wake once the lock is let go
  std::optional<schedule_trouble> trouble;
};

}  // namespace lesson
