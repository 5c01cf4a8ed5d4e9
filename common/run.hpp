// One run of a lesson: its threads, and how it starts and ends. The lesson's
// own code never sees this machinery directly: it calls the buffer and the
// conditions (lesson.hpp), which report here. What the run records is the
// recorder's; who may take the observed lock next, the gate's; when a free
// run has stalled, the watchdog's; the words of its reports, reports.hpp's.
// What shows the run (a trace, the timeline) is handed in as event sinks.
#pragma once

#include <atomic>
#include <boost/chrono.hpp>
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "definition.hpp"
#include "describe.hpp"
#include "gate.hpp"
#include "recorder.hpp"
#include "watchdog.hpp"
#include "worker.hpp"

namespace lesson {

// A run that could not be carried out, such as a thread that could not start.
struct run_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct run_result {
  outcome result = outcome::ok;
  tally figures;
  std::string report;  // why it stopped; empty when it ran to the end
  // What kind of end: a violation's kind ("underflow", "overflow", ...: see
  // to_string(violation_kind)), a deadlock's (stall_kinds in reports.hpp),
  // "signal" or "error" for an interrupted run; empty when it ran to the end.
  std::string kind;
};

class run_context {
 public:
  // The run of `who`, shown to `sinks`; both outlive it. Throws
  // std::invalid_argument when the script names a thread the run lacks.
  run_context(const lesson::cast& who, std::vector<event_sink*> sinks);
  run_context(const run_context&) = delete;
  run_context& operator=(const run_context&) = delete;

  // Starts the workers on `body`, watches them until they finish or the run
  // stops, interrupts and joins them. Throws run_error, with every started
  // thread joined, when a thread cannot start or a step throws.
  outcome run(const std::function<void(worker&)>& body);
  run_result result() const { return {outcome_, figures_, report_, kind_}; }

  // Before each step: false when the worker is done or the run is stopping.
  // Sleeps the worker's pause (an interruption point).
  bool next_step(worker& me);

  // Reports from the lesson's buffer and conditions, made under the lesson's lock.
  void on_wait(worker& me, condition_record& condition) { recorder_.waits(me, condition); }
  void on_woke(worker& me, condition_record& condition) { recorder_.woke(me, condition); }
  void on_notify(worker& me, condition_record& condition, bool all) {
    recorder_.notifies(me, condition, all);
  }
  void on_moved(worker& me, const item& it);  // a producer put it, a consumer took it
  void on_check(worker& me, bool checked_full, bool result);
  void on_violation(worker& me, violation_kind kind);
  void attach_buffer(const bounded_buffer& buffer, const std::atomic<std::size_t>& size) {
    buffer_ = &buffer;
    recorder_.read_size_from(size);
  }
  // Free runs record under the lesson's own lock: see recorder.
  void attach_lock(owned_mutex& lesson_lock) { recorder_.record_under(lesson_lock); }

  // The observed lock: each ask, lock and unlock reported, in the script's
  // order while it lasts. Not inside wait(): that is the wait and the wakeup.
  void await_turn(worker& me);
  void took_turn(worker& me);
  void on_unlock(worker& me);
  bool observed() const { return observed_; }

  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  const settings& config() const { return cast_.config; }
  const lesson::cast& cast() const { return cast_; }

 private:
  void work(worker& me, const std::function<void(worker&)>& body);
  void supervise();
  void fail(const std::string& why);  // the run cannot go on: report it, stop, join
  void stop(outcome why, std::string kind, std::string report);
  std::vector<sleeper> sleepers() const;  // the workers inside wait()
  void stop_on_stall();                   // a deadlock: reported and stopped
  void check_conservation();

  const lesson::cast& cast_;
  std::vector<std::unique_ptr<worker>> workers_;
  const bounded_buffer* buffer_ = nullptr;
  bool observed_ = false;

  // The takes left for the consumers to claim, one before each step. On a
  // cache line of its own: the consumers write it, and only they.
  alignas(64) std::atomic<std::uint64_t> takes_left_{0};
  bool claim_a_take();

  // How the run ends. Every worker reads stopping_ at every step: it keeps
  // off the lines that events write.
  alignas(64) std::atomic<bool> stopping_{false};
  boost::mutex stop_mutex_;
  boost::condition_variable start_signal_;
  bool released_ = false;  // the workers may begin
  boost::chrono::steady_clock::time_point started_;
  outcome outcome_ = outcome::ok;
  std::string report_;
  std::string kind_;
  std::string failure_;
  tally figures_;  // summed from the recorder once the workers are joined

  recorder recorder_;
  lock_gate gate_;
  lesson::watchdog watchdog_;
};

}  // namespace lesson
