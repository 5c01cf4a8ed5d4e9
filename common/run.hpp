// One run of a lesson: its threads, what they do, what is recorded, and how it
// ends. The lesson's own code never sees this file's machinery directly: it
// calls the buffer and the conditions, which report here.
#pragma once

#include <array>
#include <atomic>
#include <boost/chrono.hpp>
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "buffer.hpp"
#include "settings.hpp"

namespace lesson {

class owned_mutex;
class run_context;
class timeline;
class tracer;

enum class role { producer, consumer };
enum class thread_state { running, waiting, done };
enum class outcome { ok, violation, deadlock, interrupted };

// A lesson as the harness knows it: its name, its one idea, its defaults, and
// its producer and consumer steps compiled for free and for observed runs.
struct definition {
  const char* name = "";
  const char* idea = "";          // what changed from the lesson before
  const char* shows = "";         // what a default run shows
  outcome teaches = outcome::ok;  // the outcome of a default run that shows it
  // The worst outcome any interleaving can give it: ok for a correct lesson.
  outcome worst_case = outcome::ok;
  bool correct() const { return worst_case == outcome::ok; }
  const char* bug_scripts = "";  // lines of options that show the lesson's bug on every run
  settings defaults{};
  // Free runs: boost::mutex (marked with its holder) and boost::condition_variable.
  void (*run_free)(run_context&) = nullptr;
  // Observed runs, for --script and for traces that show the lock: a lockable
  // around boost::mutex that reports and orders each lock, with
  // boost::condition_variable_any.
  void (*run_observed)(run_context&) = nullptr;
};

const char* to_string(role r);
const char* to_string(outcome o);
int exit_code(outcome o);  // GUIDE section 3; interrupted: 128 + the signal

// SIGINT and SIGTERM end the run under way: the watchdog's next look stops it,
// wakes and joins its threads, and the summary says `result: interrupted`.
void stop_runs_on_signals();
// After an interrupted run: die of the signal, so that a calling script stops too.
void end_as_signalled();

// A producer (P1..Pn) or consumer (C1..Cn) thread.
struct worker {
  std::string name;
  lesson::role role = role::producer;
  unsigned index = 0;  // within its role
  unsigned id = 0;     // producers first, then consumers

  std::atomic<thread_state> state{thread_state::running};
  std::atomic<const char*> waiting_on{nullptr};  // the condition's name while in wait()

  // Touched only by the worker's own thread.
  std::uint64_t steps_left = 0;     // a producer's items, a consumer's share of the takes
  std::uint32_t next_sequence = 1;  // of the next item a producer makes
  bool woke_unserved = false;       // returned from wait() and has not put or taken since
  bool inside_wait = false;         // the lock goes and comes back inside wait(), not by a step
  std::uint64_t wait_step = 0;      // when it last began to wait
  boost::chrono::steady_clock::time_point finished{};  // read after the join
  std::mt19937_64 random;

  // The wakeup it last returned from, for the reports.
  struct wakeup {
    const char* condition = "";
    int notifier = -1;  // worker id, -1 for a spurious wakeup
    std::uint64_t notify_step = 0;
  } last_wakeup;

  static worker& current();
};

// What a condition remembers about its waiters and notifies, so that each
// wakeup can be traced to a notify. A notify_one that finds a waiter not yet
// notified leaves a token (notify_all one per such waiter); each thread that
// returns from wait() takes the oldest token left while it was waiting. With
// one waiter the match is exact; with several it is the order in which they
// got the lock back. A return with no token is a spurious wakeup.
// Guarded by the run's record guard (the lesson's lock in free runs).
struct condition_record {
  explicit condition_record(const char* condition_name) : name(condition_name) {}
  const char* name;
  unsigned unnotified_waiters = 0;
  struct token {
    int notifier;
    std::uint64_t step;
  };
  std::deque<token> tokens;
};

enum class action : std::uint8_t {
  ask,    // asks for the lock (observed runs without a script)
  lock,   // holds the lock (observed runs)
  check,  // tests full() or empty() (observed runs)
  wait,   // waits on a condition, which releases the lock
  woke,   // returned from wait(), holding the lock again
  put,
  take,
  notify_one,
  notify_all,
  unlock,  // (observed runs)
  violation,
  script_end,  // the script is used up: the lock goes to whoever comes first
  done,        // (free runs and runs without a script)
};

struct event {  // 72 bytes, ordered to pack: each worker keeps its last 64
  std::uint64_t step = 0;
  double ms = -1;  // since the run began; -1 when nothing shows times
  const char* condition = "";
  lesson::worker::wakeup wakeup{};  // woke
  item what{};                      // put, take
  std::uint32_t size = 0;           // items in the buffer after the event
  unsigned worker = 0;
  lesson::action action = action::wait;
  violation_kind violation = violation_kind::underflow;
  bool after_futile_wakeup = false;  // wait: it woke, found nothing to do, and waits again
  bool woke_nobody = false;          // notify: no waiter was left to notify
  bool checked_full = false;         // check: full() rather than empty()
  bool check_result = false;         // check: what it returned
};
static_assert(sizeof(event) == 72);

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
};

// A run that could not be carried out, such as a thread that could not start.
struct run_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The summary line that ends every run: "result: ok produced=... elapsed_ms=...".
// A scripted run is measured in steps only, so that two runs print the same.
std::string summary_line(outcome result, const tally& figures, bool scripted);

// Sees every event of a run as it is recorded, with the run it belongs to.
using event_observer = std::function<void(const event&, const run_context&)>;

struct run_result {
  outcome result = outcome::ok;
  tally figures;
  std::string report;  // why it stopped; empty when it ran to the end
};
// Whether a run needs the observed lock: a script, a trace that shows the lock, a timeline.
bool needs_observed_run(const settings& chosen);
// One run of `lesson`, free or observed as `chosen` needs; the trace goes to `out`.
run_result run_once(const definition& lesson, const settings& chosen, std::ostream& out,
                    const event_observer& observer = {});

class run_context {
 public:
  run_context(const definition& lesson, const settings& run_settings, std::ostream& out);
  ~run_context();
  run_context(const run_context&) = delete;
  run_context& operator=(const run_context&) = delete;

  // Starts the workers on `body`, watches them until they finish or the run
  // stops, interrupts and joins them. Throws run_error, with every started
  // thread joined, when a thread cannot start or a step throws.
  outcome run(const std::function<void(worker&)>& body);
  const tally& figures() const { return figures_; }
  // Why the run stopped (a violation or deadlock report), empty when it did not.
  const std::string& report() const { return report_; }
  outcome result() const { return outcome_; }

  // Before each step: false when the worker is done or the run is stopping.
  // Sleeps the worker's pause (an interruption point).
  bool next_step(worker& me);

  // Reports from the lesson's buffer and conditions, made under the lesson's lock.
  void on_wait(worker& me, condition_record& condition);
  void on_woke(worker& me, condition_record& condition);
  void on_notify(worker& me, condition_record& condition, bool all);
  void on_moved(worker& me, const item& it);  // a producer put it, a consumer took it
  void on_check(worker& me, bool checked_full, bool result);
  void on_violation(worker& me, violation_kind kind, std::size_t size);
  void attach_buffer(const bounded_buffer& buffer, const std::atomic<std::size_t>& size) {
    buffer_ = &buffer;
    buffer_size_ = &size;
  }
  // Free runs record under the lesson's own lock: see record_guard.
  void attach_lock(owned_mutex& lesson_lock) { lesson_lock_ = &lesson_lock; }

  // The observed lock: the scripted order (GUIDE section 4), each ask, lock
  // and unlock reported. Not inside wait(): that is the wait and the wakeup.
  void await_turn(worker& me);
  void took_turn(worker& me);
  void on_unlock(worker& me);
  bool observed() const { return observed_; }
  bool scripted() const { return !script_.empty(); }
  bool script_left() const;  // a scripted step has yet to come

  void observe(event_observer observer) {
    observer_ = std::move(observer);
    shown_ = true;
  }
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  const settings& config() const { return settings_; }
  const definition& lesson() const { return lesson_; }
  const std::vector<std::unique_ptr<worker>>& workers() const { return workers_; }

 private:
  void work(worker& me, const std::function<void(worker&)>& body);
  void supervise();
  void fail(const std::string& why);  // the run cannot go on: report it, stop, join
  // Records an event of `me`: `fill(event&)` adds what the action has to say.
  template <class Fill>
  void record(const worker& me, action what, const Fill& fill);
  void record_step(const worker& me, action what);  // an event with nothing more to say
  // The same with the record guard held: numbers, keeps, counts and shows the
  // event. Returns its step, 0 once the run is stopping.
  template <class Fill>
  std::uint64_t record_locked(const worker& me, action what, const Fill& fill);
  void stop(outcome why, std::string report);
  bool watch_for_stall(boost::chrono::steady_clock::time_point now);
  std::string deadlock_report() const;
  std::string violation_report(const worker& me, violation_kind kind, std::size_t size,
                               std::uint64_t step) const;
  void check_conservation();
  double elapsed_ms() const;

  const definition& lesson_;
  settings settings_;
  std::ostream& out_;
  std::unique_ptr<tracer> tracer_;
  std::unique_ptr<timeline> timeline_;  // with --svg
  event_observer observer_;
  std::vector<std::unique_ptr<worker>> workers_;
  boost::chrono::steady_clock::time_point started_;

  const bounded_buffer* buffer_ = nullptr;
  const std::atomic<std::size_t>* buffer_size_ = nullptr;

  // Events, in the order the lesson's lock put them. What the recording
  // shares (the step count, each worker's record, each condition's record) is
  // guarded by the lesson's own lock in free runs: a step that records holds
  // it already, so recording adds no lock of its own to the lesson's critical
  // section. Observed runs record asks for the lock, made without it, so
  // they record under record_mutex_.
  class record_guard;
  owned_mutex* lesson_lock_ = nullptr;  // free runs
  mutable boost::mutex record_mutex_;   // observed runs
  // Written under the record guard at every event, on a cache line of its
  // own; the watchdog reads it to see that nothing moves.
  alignas(64) std::atomic<std::uint64_t> steps_{0};

  // What is recorded of each worker, by its own thread under the record guard:
  // its own cache lines, so that counting does not bounce them between cores.
  struct alignas(64) worker_record {
    tally figures;
    std::array<event, 64> recent{};  // its last events, for the deadlock report
    std::uint64_t recorded = 0;
    std::uint64_t last_put_step = 0;
    std::uint64_t last_take_step = 0;
  };
  alignas(64) std::vector<worker_record> records_;  // by worker id; steps_ keeps its line
  std::vector<event> recent_events() const;  // the run's last 64, oldest first; record guard held
  struct last_move {
    int worker = -1;
    std::uint64_t step = 0;
  };
  last_move latest(bool take) const;  // the last put or take of the run; record guard held
  // Whether a trace, a timeline or an observer sees the events: only then are
  // they timed and passed on.
  bool shown_ = false;
  tally figures_;  // summed from records_ once the workers are joined

  // How the run ends. Every worker reads stopping_ at every step: it keeps
  // off the lines that events write.
  alignas(64) std::atomic<bool> stopping_{false};
  boost::mutex stop_mutex_;
  boost::condition_variable start_signal_;
  bool released_ = false;  // the workers may begin
  outcome outcome_ = outcome::ok;
  std::string report_;
  std::string failure_;

  // The watchdog's view of a stall.
  std::uint64_t stall_progress_ = 0;
  std::optional<boost::chrono::steady_clock::time_point> stall_since_;

  // The observed lock and its script.
  bool observed_ = false;
  mutable boost::mutex gate_mutex_;
  boost::condition_variable gate_;
  std::vector<unsigned> script_;  // worker ids
  std::size_t script_cursor_ = 0;
};

}  // namespace lesson
