#include "engine/scheduler.hpp"

#include <algorithm>
#include <boost/thread/thread.hpp>

namespace lesson {

scheduler::scheduler(const std::vector<std::string>& names, std::unique_ptr<strategy> deciding,
                     std::function<void(const schedule_trouble&)> on_trouble,
                     std::function<void()> wake_later)
    : strategy_(std::move(deciding)),
      on_trouble_(std::move(on_trouble)),
      wake_later_(std::move(wake_later)),
      run_(names) {}

void scheduler::act_on_decisions(boost::unique_lock<boost::mutex>& lock, const worker* me) {
  std::optional<schedule_trouble> found;
  if (run_.trouble && !trouble_reported_) {
    trouble_reported_ = true;
    found = run_.trouble;
  }
  std::vector<unsigned> rooms;
  rooms.swap(run_.to_wake);
  bool defer = false;
  for (auto id = rooms.begin(); id != rooms.end();) {
    if (me != nullptr && *id == me->id) {
      deferred_.push_back(*id);
      defer = true;
      id = rooms.erase(id);
    } else {
      ++id;
    }
  }
  if (!found && rooms.empty() && !defer) {
    return;
  }
  // A room is woken without the scheduler's lock: its sleeper holds the
  // room's own mutex while it lets the lesson's lock go through here.
  lock.unlock();
  for (const unsigned id : rooms) {
    run_.seats[id].room->notify_one();
  }
  if (defer) {
    wake_later_();
  }
  if (found) {
    on_trouble_(*found);
  }
  lock.lock();
}

void scheduler::wake_deferred() {
  std::vector<unsigned> rooms;
  {
    const boost::lock_guard<boost::mutex> lock(mutex_);
    rooms.swap(deferred_);
  }
  for (const unsigned id : rooms) {
    run_.seats[id].room->notify_one();
  }
}

void scheduler::start() {
  boost::unique_lock<boost::mutex> lock(mutex_);
  decide();
  act_on_decisions(lock, nullptr);
}

void scheduler::begin(const worker& me) {
  // Not an interruption point: an interruptible wait would take the thread's
  // own Boost mutex under this lock, the reverse of the order inside wait().
  const boost::this_thread::disable_interruption keep_going;
  boost::unique_lock<boost::mutex> lock(mutex_);
  seat& mine = run_.seats[me.id];
  while (mine.now == phase::unstarted && !stopping_) {
    mine.turn.wait(lock);
  }
}

scheduler::grant scheduler::acquire(const worker& me) {
  // Not an interruption point either (see begin): condition_variable_any takes
  // the lock back here while an interruption unwinds.
  const boost::this_thread::disable_interruption keep_going;
  boost::unique_lock<boost::mutex> lock(mutex_);
  seat& mine = run_.seats[me.id];
  if (stopping_) {
    return {};
  }
  if (mine.now == phase::waiting) {
    mine.unasked = true;  // its room woke with no notify: it passes through the lock, unseen
    return {};
  }
  mine.now = phase::asking;
  --run_.running;
  decide();
  act_on_decisions(lock, &me);
  while (run_.holder != me.id && !stopping_) {
    mine.turn.wait(lock);
  }
  if (run_.holder != me.id) {
    return {};
  }
  mine.now = phase::holding;
  mine.on_its_way = false;
  return {true, mine.granted_by_script, mine.grant_ended_script};
}

void scheduler::release(const worker& me) {
  boost::unique_lock<boost::mutex> lock(mutex_);
  seat& mine = run_.seats[me.id];
  if (mine.unasked) {
    mine.unasked = false;
    return;
  }
  if (run_.holder != me.id) {
    return;  // the run is stopping: the scheduler no longer hands the lock on
  }
  run_.holder.reset();
  if (mine.now == phase::waiting) {
    --run_.running;  // inside wait(): it sleeps in its room now
  } else {
    mine.now = phase::running;
    mine.since = ++run_.clock;
  }
  decide();
  act_on_decisions(lock, &me);
}

bool scheduler::at_point(const worker& me, point_kind kind, const std::source_location& site) {
  // Not an interruption point, as acquire.
  const boost::this_thread::disable_interruption keep_going;
  boost::unique_lock<boost::mutex> lock(mutex_);
  seat& mine = run_.seats[me.id];
  if (run_.holder == me.id) {
    // Whether another thread waits at a point must not depend on how fast it
    // got there: the holder lets every thread that can move stop first.
    while (run_.running > 1 && !stopping_) {
      settled_.wait(lock);
    }
    if (!unguarded_waits(kind)) {
      return false;
    }
  }
  if (stopping_) {
    return false;
  }
  mine.paused = true;
  mine.point = site;
  mine.point_of = kind;
  mine.since = ++run_.clock;
  mine.grant_ended_script = false;
  --run_.running;
  decide();
  act_on_decisions(lock, &me);
  while (mine.paused && !stopping_) {
    mine.turn.wait(lock);
  }
  return mine.grant_ended_script;
}

bool scheduler::holds(const worker& me) const {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  return run_.holder == me.id;
}

bool scheduler::unguarded_waits(point_kind kind) const {
  for (unsigned id = 0; id < run_.seats.size(); ++id) {
    const seat& s = run_.seats[id];
    if (s.paused && run_.holder != id && s.point_of == kind) {
      return true;
    }
  }
  return false;
}

void scheduler::will_wait(const worker& me, const char* condition) {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  seat& mine = run_.seats[me.id];
  mine.now = phase::waiting;
  mine.condition = condition;
  mine.woken = false;
  mine.spurious = false;
  mine.since = ++run_.clock;
}

bool scheduler::woken(const worker& me) {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  return run_.seats[me.id].woken || stopping_;
}

scheduler::spurious_wakeup scheduler::woke_spuriously(const worker& me) {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  const seat& mine = run_.seats[me.id];
  return {mine.spurious, mine.spurious_ended_script};
}

scheduler::wakeups scheduler::notify(const worker& notifier, const char* condition, bool all) {
  boost::unique_lock<boost::mutex> lock(mutex_);
  if (stopping_) {
    return {};
  }
  std::vector<unsigned> waiters;
  for (unsigned id = 0; id < run_.seats.size(); ++id) {
    if (run_.waits_unwoken(id) && run_.seats[id].condition == condition) {
      waiters.push_back(id);
    }
  }
  // The one that has waited longest first.
  std::sort(waiters.begin(), waiters.end(),
            [this](unsigned a, unsigned b) { return run_.seats[a].since < run_.seats[b].since; });
  wakeups result = strategy_->notify(run_, condition, all, waiters);
  for (const unsigned id : result.woken) {
    run_.wake(id, false);
  }
  act_on_decisions(lock, &notifier);
  return result;
}

void scheduler::finished(const worker& me) {
  boost::unique_lock<boost::mutex> lock(mutex_);
  seat& mine = run_.seats[me.id];
  // Only a thread that could move is counted in run_.running: one that leaves a
  // wait, the lock queue or a point because the run stops was not.
  const bool counted = !mine.paused && (mine.now == phase::running || mine.now == phase::holding);
  mine.now = phase::done;
  mine.paused = false;
  if (counted) {
    --run_.running;
  }
  decide();
  act_on_decisions(lock, &me);
}

void scheduler::stop() {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  stopping_ = true;
  settled_.notify_all();
  for (seat& s : run_.seats) {
    s.turn.notify_all();
  }
}

std::vector<decision> scheduler::taken() const {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  return run_.taken;
}

std::optional<std::size_t> scheduler::first_untaken() const {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  return strategy_->first_untaken();
}

std::optional<schedule_trouble> scheduler::left_script() const {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  return strategy_->left_script();
}

void scheduler::decide() {
  if (run_.running <= 1) {
    settled_.notify_all();
  }
  if (stopping_ || run_.trouble || run_.running > 0 ||
      (run_.holder && !run_.seats[*run_.holder].paused)) {
    return;
  }
  if (next_to_start_ < run_.seats.size()) {
    seat& next = run_.seats[next_to_start_++];
    next.now = phase::running;
    next.since = ++run_.clock;
    ++run_.running;
    next.turn.notify_one();
    return;
  }
  strategy_->decide(run_);
}

}  // namespace lesson
