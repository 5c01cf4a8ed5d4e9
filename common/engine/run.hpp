// One run of a lesson: its threads, and how it starts and ends. The lesson's
// own code never sees this machinery directly: it calls the buffer and the
// conditions (lesson.hpp), which report here. What the run records is the
// recorder's; who takes the observed lock next and whom a notify wakes, the
// scheduler's; when a free run has stalled, the watchdog's. A run that stops
// early or ends wrong gives the facts (model/stop.hpp); the words of its
// report come from the stop_wording it is handed (show/reports.hpp's).
// What shows the run (a trace, the timeline) is handed in as event sinks.
#pragma once

#include <atomic>
#include <boost/chrono.hpp>
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <boost/thread/thread.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/explored.hpp"
#include "engine/recorder.hpp"
#include "engine/run_result.hpp"
#include "engine/scheduler.hpp"
#include "engine/watchdog.hpp"
#include "engine/worker.hpp"
#include "model/cast.hpp"
#include "model/definition.hpp"
#include "model/stop.hpp"

namespace lesson {

class run_context {
 public:
  // The run of `who`, shown to `sinks`; both outlive it. `words` writes the
  // report of a run that stops early or ends wrong. Throws
  // std::invalid_argument when the script names a thread the run lacks.
  // With `explore`, an explored run: the search's chooser decides, and sees
  // the whole state of the run wherever no thread can move by itself.
  run_context(const lesson::cast& who, std::vector<event_sink*> sinks, stop_wording words,
              std::optional<exploring> explore = {});
  run_context(const run_context&) = delete;
  run_context& operator=(const run_context&) = delete;

  // Starts the workers on `body`, watches them until they finish or the run
  // stops, interrupts and joins them. Throws run_error, with every started
  // thread joined, when a thread cannot start or a step throws.
  outcome run(const std::function<void(worker&)>& body);
  run_result result() const {
    return {outcome_, figures_, report_, kind_, stopped_, schedule_, moved_unlocked_, left_script_};
  }

  // Before each step: false when the worker is done or the run is stopping.
  // Sleeps the worker's pause (an interruption point).
  bool next_step(worker& me);

  // Reports from the lesson's buffer and conditions, made under the lesson's lock.
  void on_wait(worker& me, condition_record& condition);
  void on_woke(worker& me, condition_record& condition);
  void on_notify(worker& me, condition_record& condition, bool all);
  // A producer put it, a consumer took it; `unlocked`: without the lesson's lock.
  void on_moved(worker& me, const item& it, bool unlocked);
  void on_check(worker& me, bool checked_full, bool result);
  // `inside`: for violation_kind::concurrent, the worker that was in the buffer.
  void on_violation(worker& me, violation_kind kind, bool unlocked = false, int inside = -1);
  void attach_buffer(const bounded_buffer& buffer, const std::atomic<std::size_t>& size) {
    buffer_ = &buffer;
    recorder_.read_size_from(size);
  }
  // Lessons that close the buffer (09, 10): each consumer steps until its
  // step says the buffer is closed and empty, instead of taking a count of
  // items; the last producer to finish closes. `done` is the lesson's flag.
  void consume_until_closed(const std::atomic<bool>& done);
  // After a producer's step: whether it was the last producer's last.
  bool last_producer_finished(worker& me) {
    return me.puts_left == 0 && producers_left_.fetch_sub(1) == 1;
  }
  void on_close(worker& me) { recorder_.record(me, action::close); }
  void on_flag_read(worker& me, bool value);  // observed runs
  // The lesson's own shared fields (lesson.hpp), for an explored run's
  // state: each reader adds its fields' words, in the order they were given.
  void read_fields_with(std::function<void(std::vector<std::uint64_t>&)> reader) {
    field_readers_.push_back(std::move(reader));
  }
  // Free runs record under the lesson's own lock: see recorder.
  void attach_lock(owned_mutex& lesson_lock) {
    lesson_lock_ = &lesson_lock;
    recorder_.record_under(lesson_lock, workers_);
  }
  // Whether `me` holds the lesson's lock.
  bool holds_lock(const worker& me) const {
    return scheduler_ ? scheduler_->holds(me)
                      : lesson_lock_ != nullptr && lesson_lock_->held_by(&me);
  }
  // A watched operation of the lesson's at `site`: in an observed run, a
  // point where the scheduler may let another thread move first
  // (scheduler.hpp). Free runs go straight on.
  void at_point(worker& me, point_kind kind, const std::source_location& site) {
    me.site = site;
    if (!scheduler_) {
      return;
    }
    me.step_site = site;
    if (++me.points_in_step > most_points_in_a_step) {
      endless_step(me);
    }
    if (scheduler_->at_point(me, kind, site)) {
      recorder_.record(me, action::script_end);
    }
  }
  // A step that passes more points than this has gone round a loop that does
  // not end: no lesson's step passes more than a few dozen.
  static constexpr std::uint64_t most_points_in_a_step = 100'000;
  // A step that passed most_points_in_a_step (in a free run, checks of the
  // buffer): the run stops as a livelock, and the step is ended by an
  // interruption. Does not return.
  [[noreturn]] void endless_step(worker& me);
  // The lesson's line each thread is at: of the point it waits at or has
  // just passed (a check, a put or take, a wait, a notify, a flag), else of
  // its latest; 0 before its first. Only for an explored run's chooser
  // (--play), where every thread has stopped.
  std::vector<std::uint32_t> lines_of_threads() const {
    std::vector<std::uint32_t> lines;
    for (const auto& w : workers_) {
      lines.push_back(w->site.line());
    }
    return lines;
  }

  // The observed lock: each ask, lock and unlock reported, the scheduler
  // deciding who holds it. Inside wait() the lock goes and comes back as the
  // wait and the wakeup, which are reported as such.
  void await_turn(worker& me);
  void unlocking(worker& me);  // before the lock is let go
  void unlocked(worker& me);   // after
  bool observed() const { return observed_; }
  // Observed runs: where `me` sleeps inside wait(), and whether it may wake.
  boost::condition_variable_any& room(worker& me) { return scheduler_->room(me); }
  bool may_wake(worker& me) { return scheduler_->woken(me); }

  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  const settings& config() const { return cast_.config; }
  const lesson::cast& cast() const { return cast_; }

 private:
  void make_workers();
  // Starts a thread for each worker, which waits to be let go; all are let
  // go at once. A thread that cannot start fails the run.
  std::vector<boost::thread> start_threads(const std::function<void(worker&)>& body);
  // Once the threads are joined: the figures, the items lost, the schedule,
  // and the end told to the sinks. Throws run_error for a failed run.
  void finish();
  void work(worker& me, const std::function<void(worker&)>& body);
  void supervise();
  void fail(const std::string& why);  // the run cannot go on: report it, stop, join
  void stop(outcome why, std::string kind, std::string report,
            std::optional<stop_facts> facts = std::nullopt);
  void stop(outcome why, stop_facts facts);  // the words from words_
  // After the threads are joined: the run ended wrong, with these facts.
  void ended_wrong(outcome why, stop_facts facts);
  std::vector<sleeper> sleepers() const;  // the workers inside wait()
  void stop_on_stall(bool seen_at_once);  // a deadlock: reported and stopped
  // A step that threw `what`: the run stops as a violation (what the step
  // left half done, no check can tell).
  void step_threw(worker& me, const std::string& what);
  void on_schedule_trouble(const schedule_trouble& trouble);
  void check_conservation();
  // Where no thread can move by itself: what decides the rest of the run,
  // beside the scheduler's part. Two runs that agree here end alike.
  void state_of_run(explored_state& state) const;
  void supervise_observed();
  decided_by decided(bool scripted) const {
    return scripted ? decided_by::script : decided_by::default_rule;
  }

  const lesson::cast& cast_;
  const stop_wording words_;
  std::vector<std::unique_ptr<worker>> workers_;
  const bounded_buffer* buffer_ = nullptr;
  owned_mutex* lesson_lock_ = nullptr;         // free runs
  const std::atomic<bool>* closed_ = nullptr;  // the lesson's `done`, when it closes
  bool until_closed_ = false;
  std::atomic<unsigned> producers_left_{0};
  bool observed_ = false;

  // The takes left for the consumers to claim, one in each step, under the
  // lesson's lock (worker::claim_next_take). On a cache line of its own: every
  // consumer's step writes it, and every thread reads the fields above at
  // every step.
  alignas(64) std::uint64_t takes_left_ = 0;

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
  std::optional<stop_facts> stopped_;
  std::string failure_;
  std::vector<decision> schedule_;
  std::optional<schedule_trouble> left_script_;
  bool moved_unlocked_ = false;           // set under the recorder's guard
  tally figures_;                         // summed from the recorder once the workers are joined
  boost::condition_variable supervisor_;  // a worker finished, the run stops, a room to wake
  std::size_t finished_ = 0;
  bool rooms_to_wake_ = false;

  std::vector<std::function<void(std::vector<std::uint64_t>&)>> field_readers_;
  recorder recorder_;
  std::optional<scheduler> scheduler_;  // observed runs
  lesson::watchdog watchdog_;
};

}  // namespace lesson
