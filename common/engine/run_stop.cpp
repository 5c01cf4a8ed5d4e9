// How a run stops: the supervisor that watches it, and what it reports
// when a violation, a deadlock, a stuck script, lost items, a signal or an
// error ends it (members of run_context, run.hpp).
#include <boost/format.hpp>
#include <boost/thread/thread.hpp>
#include <filesystem>

#include "engine/run.hpp"
#include "engine/signals.hpp"

namespace lesson {

void run_context::supervise() {
  const auto all_done = [this] {
    return std::all_of(workers_.begin(), workers_.end(),
                       [](const auto& w) { return w->state.load() == thread_state::done; });
  };
  while (!stopping() && !all_done()) {
    boost::this_thread::sleep_for(watchdog::tick);
    if (const int signal = caught_signal(); signal != 0) {
      stop(outcome::interrupted, signal_stop{signal});
    } else if (!all_done() && watchdog_.stalled(workers_, recorder_.progress(),
                                                boost::chrono::steady_clock::now())) {
      stop_on_stall(false);
    }
  }
}

void run_context::supervise_observed() {
  // The scheduler sees a deadlock at once; this waits for the end and wakes
  // the rooms a waiter cannot wake itself. A signal stops the run through the
  // listener, or here if it came before the listener: the wait needs no
  // timeout, which under helgrind glibc's timed wait does not stay silent.
  const auto interrupt = [this](int signal) { stop(outcome::interrupted, signal_stop{signal}); };
  const signal_listener listener([&interrupt] { interrupt(caught_signal()); });
  boost::unique_lock<boost::mutex> lock(stop_mutex_);
  while (!stopping() && finished_ < workers_.size()) {
    if (rooms_to_wake_) {
      rooms_to_wake_ = false;
      lock.unlock();
      scheduler_->wake_deferred();
      lock.lock();
    } else if (const int signal = caught_signal(); signal != 0) {
      lock.unlock();
      interrupt(signal);
      lock.lock();
    } else {
      supervisor_.wait(lock);
    }
  }
}

void run_context::endless_step(worker& me) {
  const std::string file = std::filesystem::path(me.site.file_name()).filename().string();
  stop(outcome::deadlock, "livelock: a step that never ends",
       (boost::format("LIVELOCK: %s went round a loop %d times in one step, the last time at "
                      "%s:%d, and no other thread changed what it looks at: the loop does not "
                      "end. A step that must wait for another thread waits on a condition, "
                      "which lets the lock go.") %
        cast_.name(me.id) % most_points_in_a_step % file % me.site.line())
           .str());
  throw boost::thread_interrupted();
}

void run_context::step_threw(worker& me, const std::string& what) {
  const std::string file = std::filesystem::path(me.site.file_name()).filename().string();
  stop(outcome::violation, "a step threw an exception",
       (boost::format("VIOLATION: %s's step threw %s, after %s:%d. A step ends by returning: "
                      "what an exception leaves half done, no check can tell.") %
        cast_.name(me.id) % what % file % me.site.line())
           .str());
}

void run_context::fail(const std::string& why) {
  {
    const boost::lock_guard<boost::mutex> lock(stop_mutex_);
    if (failure_.empty()) {
      failure_ = why;
    }
  }
  stop(outcome::interrupted, "error", why);
}

void run_context::stop(outcome why, std::string kind, std::string report,
                       std::optional<stop_facts> facts) {
  {
    const boost::lock_guard<boost::mutex> lock(stop_mutex_);
    if (stopping()) {
      return;
    }
    outcome_ = why;
    kind_ = std::move(kind);
    report_ = std::move(report);
    stopped_ = std::move(facts);
    stopping_.store(true, std::memory_order_release);
    supervisor_.notify_all();
  }
  if (scheduler_) {
    scheduler_->stop();
  }
}

void run_context::stop(outcome why, stop_facts facts) {
  stop_words said = words_(cast_, facts);
  stop(why, std::move(said.kind), std::move(said.report), std::move(facts));
}

void run_context::ended_wrong(outcome why, stop_facts facts) {
  stop_words said = words_(cast_, facts);
  outcome_ = why;
  kind_ = std::move(said.kind);
  report_ = std::move(said.report);
  stopped_ = std::move(facts);
}

std::vector<sleeper> run_context::sleepers() const {
  std::vector<sleeper> asleep;
  for (const auto& w : workers_) {
    if (const char* condition = w->waiting_on.load(); condition != nullptr) {
      asleep.push_back({w->id, condition, w->items_at_wait.load(),
                        w->role == role::consumer && w->closed_at_wait.load()});
    }
  }
  return asleep;
}

void run_context::stop_on_stall(bool seen_at_once) {
  // One look at the sleepers and the buffer, under the guard, for both the
  // kind and the report; stopped before the guard goes, as for a violation.
  const recorder::guard held(recorder_);
  stop(outcome::deadlock,
       deadlock_stop{recorder_.buffer_size(), sleepers(), recorder_.recent_events(), seen_at_once});
}

void run_context::on_schedule_trouble(const schedule_trouble& trouble) {
  if (trouble.what == schedule_trouble::kind::deadlock) {
    stop_on_stall(true);
    return;
  }
  if (trouble.what == schedule_trouble::kind::explored) {
    stop(outcome::interrupted, "explored", "");
    return;
  }
  const recorder::guard held(recorder_);
  stop(outcome::stuck, script_stuck_stop{recorder_.progress(), trouble.index,
                                         cast_.config.script[trouble.index - 1], trouble.why});
}

void run_context::check_conservation() {
  const std::vector<item> remaining = buffer_->contents();
  std::vector<item> lost = buffer_->ledger().lost(remaining);
  if (cast_.config.quota == consumer_quota::every_item || until_closed_) {
    lost.insert(lost.end(), remaining.begin(), remaining.end());
  }
  if (lost.empty()) {
    return;
  }
  ++figures_.violations;
  ended_wrong(outcome::violation, items_lost_stop{std::move(lost)});
}

}  // namespace lesson
