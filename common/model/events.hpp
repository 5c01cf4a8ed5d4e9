// What a run records: an event for each thing a thread does with the lock, the
// buffer or a condition, and the tallies the summary line adds up. Plain data:
// the words for each action are in one table (describe.hpp), and whatever
// shows a run (a trace, the timeline, a test's observer) is an event_sink.
#pragma once

#include <cstdint>
#include <string>

#include "model/buffer.hpp"
#include "model/outcome.hpp"

namespace lesson {

enum class role { producer, consumer };
const char* to_string(role r);

enum class action : std::uint8_t {
  ask,        // asks for the lock (observed runs without a script)
  lock,       // holds the lock (observed runs)
  check,      // tests full() or empty() (observed runs)
  read_flag,  // reads `done` (observed runs; lessons 09, 10)
  wait,       // waits on a condition, which releases the lock
  woke,       // returned from wait(), holding the lock again
  put,
  take,
  notify_one,
  notify_all,
  close,   // sets the flag that says no more items will come (lessons 09, 10)
  unlock,  // (observed runs)
  violation,
  script_end,  // the script is used up: defaults decide from here
  done,
};

// Who took a decision of an observed run: its script, or the default.
enum class decided_by : std::uint8_t { nobody, script, default_rule };

// The wakeup a thread last returned from: whose notify, at which step.
struct wakeup {
  const char* condition = "";
  int notifier = -1;  // worker id, -1 for a spurious wakeup
  std::uint64_t notify_step = 0;
  bool spurious() const { return notifier < 0; }
};

struct event {  // 96 bytes, ordered to pack: each worker keeps its last 64
  std::uint64_t step = 0;
  double ms = -1;  // since the run began; -1 when nothing shows times
  const char* condition = "";
  // The lesson's call that made it (wait, notify, put, take, check, the
  // flag): its file as compiled, "" for the lock's own events, and line.
  const char* file = "";
  std::uint32_t line = 0;
  std::uint32_t checked_line = 0;  // violation: the line of the check that should have caught it
  lesson::wakeup wakeup{};         // woke
  item what{};                     // put, take
  std::uint32_t size = 0;          // items in the buffer after the event
  unsigned worker = 0;
  // notify_one in observed runs: the waiter it woke; a violation of two
  // threads in the buffer: the one that was in it
  std::int32_t chosen = -1;
  lesson::action action = action::wait;
  decided_by decided = decided_by::nobody;  // lock, woke (its lock), notify_one
  violation_kind violation = violation_kind::underflow;
  bool after_futile_wakeup = false;  // wait: it woke, found nothing to do, and waits again
  bool woke_nobody = false;          // notify: no waiter was left to notify
  bool checked_full = false;         // check: full() rather than empty()
  bool check_result = false;         // check: what it returned
  bool unlocked = false;             // put, take, violation: made without the lesson's lock
};
static_assert(sizeof(event) == 96);

// The variant of an action that a trace words differently: a futile wait, a
// spurious wakeup, a notify that found nobody.
bool marked(const event& e);

// An event's file as a reader names it: `02_if_wait_bug.cpp`, without the
// folders it was compiled from, which differ between builds.
std::string file_name_of(const char* path);

struct tally {
  std::uint64_t produced = 0;
  std::uint64_t consumed = 0;
  std::uint64_t violations = 0;
  std::uint64_t wakeups = 0;
  std::uint64_t futile_wakeups = 0;
  std::uint64_t spurious_wakeups = 0;
  std::uint64_t notifies = 0;
  std::uint64_t steps = 0;  // events recorded
  double elapsed_ms = 0;

  tally& operator+=(const tally& more);
  void count(const event& e);  // what the event adds to the figures
};

// Sees a run's events as they are recorded, in step order: a trace format, the
// SVG timeline, a test's observer. The run calls begin() before its threads
// start and end() after they are joined.
class event_sink {
 public:
  virtual ~event_sink() = default;
  virtual void begin() {}
  virtual void on_event(const event& e) = 0;
  virtual void end(outcome /*result*/, const std::string& /*report*/) {}
};

}  // namespace lesson
