#include "engine/recorder.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <unordered_map>
#include <utility>

#include "engine/race_detectors.hpp"

namespace lesson {

recorder::recorder(std::size_t workers, std::vector<event_sink*> sinks,
                   const std::atomic<bool>& stopping)
    : sinks_(std::move(sinks)), stopping_(stopping), records_(workers) {
  ignored_by_race_detectors(observed_steps_);
}

recorder::guard::guard(const recorder& r, const worker* me)
    : lesson_lock_(r.lesson_lock_),
      record_mutex_(lesson_lock_ == nullptr ? &r.record_mutex_ : nullptr) {
  if (record_mutex_ != nullptr) {
    record_mutex_->lock();
  } else if (lesson_lock_->held_by(me)) {
    lesson_lock_ = nullptr;  // the step that records holds it
  } else {
    lesson_lock_->lock();
  }
}

recorder::guard::~guard() {
  if (record_mutex_ != nullptr) {
    record_mutex_->unlock();
  } else if (lesson_lock_ != nullptr) {
    lesson_lock_->unlock();
  }
}

double recorder::elapsed_ms() const {
  return boost::chrono::duration<double, boost::milli>(boost::chrono::steady_clock::now() -
                                                       started_)
      .count();
}

std::size_t recorder::buffer_size() const {
  return buffer_size_ != nullptr ? buffer_size_->load(std::memory_order_relaxed) : 0;
}

namespace {

// The events a call in the lesson's code makes, which carry its line; the
// lock's own (ask, lock, unlock) and the harness's carry none.
bool made_by_the_lessons_code(action what) {
  switch (what) {
    case action::ask:
    case action::lock:
    case action::unlock:
    case action::script_end:
    case action::done:
      return false;
    default:
      return true;
  }
}

}  // namespace

event* recorder::add(const worker& me, action what) {
  if (stopping_.load(std::memory_order_acquire)) {
    return nullptr;
  }
  // Made in place in the worker's own record: nothing is copied.
  worker_record& mine = records_[me.id];
  if (mine.recorded - mine.booked == mine.recent.size()) {
    book(mine);  // a step that has not let the lock go for 64 events: its oldest is about to go
  }
  const std::size_t slot = mine.recorded++ % mine.recent.size();
  // Events are recorded under the lesson's lock, so a new hold of this worker
  // is a new holder: another thread, or this one again after another's turn.
  // (A thread's `done` is recorded under a hold of its own, which decides nothing.)
  mine.new_hold[slot] = what != action::done && mine.holds_seen != me.holds;
  if (mine.new_hold[slot]) {
    mine.holds_seen = me.holds;
  }
  event& e = mine.recent[slot];
  e = event{};
  e.step = steps_->load(std::memory_order_relaxed) + 1;
  steps_->store(e.step, std::memory_order_relaxed);
  e.worker = me.id;
  e.action = what;
  if (!sinks_.empty()) {
    e.ms = elapsed_ms();  // only what is shown is timed
  }
  e.size = static_cast<std::uint32_t>(buffer_size());
  if (made_by_the_lessons_code(what)) {
    e.file = me.site.file_name();
    e.line = me.site.line();
    if (what == action::violation && std::strcmp(me.checked_at.file_name(), e.file) == 0) {
      e.checked_line = me.checked_at.line();
    }
  }
  return &e;
}

void recorder::publish(const worker& me, const event& e) {
  worker_record& mine = records_[me.id];
  if (e.action == action::put) {
    mine.last_put_step = e.step;  // read by a violation's report, under the lock
  } else if (e.action == action::take) {
    mine.last_take_step = e.step;
  }
  if (books_after_unlock()) {
    return;
  }
  book(mine);
  for (event_sink* sink : sinks_) {
    sink->on_event(e);
  }
}

void recorder::lock_let_go(worker& me) noexcept {
  worker_record& mine = records_[me.id];
  try {
    book(mine);
  } catch (const std::bad_alloc&) {
    mine.short_of_memory = true;
  }
}

void recorder::book(worker_record& mine) {
  while (mine.booked < mine.recorded) {
    // Counted as booked first: an event whose marks could not all be kept
    // is not booked twice.
    const std::size_t slot = mine.booked++ % mine.recent.size();
    const event& e = mine.recent[slot];
    if (lesson_lock_ != nullptr) {
      infer_schedule(mine, e, mine.new_hold[slot]);
    }
    mine.figures.count(e);
  }
}

void recorder::record_under(owned_mutex& lesson_lock,
                            const std::vector<std::unique_ptr<worker>>& workers) {
  lesson_lock_ = &lesson_lock;
  steps_ = &lesson_lock.steps();
  if (books_after_unlock()) {
    for (const auto& w : workers) {
      w->after_unlock = this;
    }
  }
}

void recorder::settle(const std::vector<std::unique_ptr<worker>>& workers) {
  bool short_of_memory = false;
  for (const auto& w : workers) {
    w->after_unlock = nullptr;
    book(records_[w->id]);
    short_of_memory = short_of_memory || records_[w->id].short_of_memory;
  }
  observed_steps_.store(steps_->load());
  steps_ = &observed_steps_;
  lesson_lock_ = nullptr;
  if (short_of_memory) {
    throw std::bad_alloc();  // the schedule lacks marks: no replay line may be made of it
  }
}

void recorder::begin() {
  for (event_sink* sink : sinks_) {
    sink->begin();
  }
}

void recorder::end(outcome result, const std::string& report) {
  for (event_sink* sink : sinks_) {
    sink->end(result, report);
  }
}

void recorder::record(const worker& me, action what) {
  if (stopping_.load(std::memory_order_acquire)) {
    return;  // and a thread that finishes need not take the lesson's lock
  }
  const guard held(*this, &me);
  record_held(me, what, [](event&) {});
}

void recorder::waits(worker& me, condition_record& condition) {
  const bool futile = me.woke_unserved;
  me.woke_unserved = false;
  const guard held(*this, &me);
  ++condition.unnotified_waiters;
  const event* e = record_held(me, action::wait, [&](event& made) {
    made.condition = condition.name;
    made.after_futile_wakeup = futile;
  });
  me.wait_step = e != nullptr ? e->step : 0;
}

void recorder::woke(worker& me, condition_record& condition, decided_by lock_decided) {
  const guard held(*this, &me);
  me.last_wakeup = {condition.name, -1, 0};
  // Its own token in an observed run; else the oldest notify made while it waited.
  const auto token = std::find_if(
      condition.tokens.begin(), condition.tokens.end(), [&](const condition_record::token& t) {
        return t.woken >= 0 ? t.woken == static_cast<int>(me.id) : t.step > me.wait_step;
      });
  if (token == condition.tokens.end()) {
    condition.unnotified_waiters -= condition.unnotified_waiters > 0 ? 1 : 0;
  } else {
    me.last_wakeup.notifier = token->notifier;
    me.last_wakeup.notify_step = token->step;
    condition.tokens.erase(token);
  }
  me.woke_unserved = true;
  record_held(me, action::woke, [&](event& e) {
    e.condition = condition.name;
    e.wakeup = me.last_wakeup;
    e.decided = lock_decided;
  });
}

void recorder::notifies(worker& me, condition_record& condition, bool all,
                        const std::vector<unsigned>* woken, decided_by decided) {
  const guard held(*this, &me);
  const bool woke_nobody = woken != nullptr ? woken->empty() : condition.unnotified_waiters == 0;
  const event* e = record_held(me, all ? action::notify_all : action::notify_one, [&](event& made) {
    made.condition = condition.name;
    made.woke_nobody = woke_nobody;
    if (!all && woken != nullptr && !woken->empty()) {
      made.chosen = static_cast<std::int32_t>(woken->front());
      made.decided = decided;
    }
  });
  const std::uint64_t step = e != nullptr ? e->step : 0;
  if (woken != nullptr) {
    for (const unsigned id : *woken) {
      condition.tokens.push_back({static_cast<int>(me.id), step, static_cast<int>(id)});
    }
    return;
  }
  const unsigned notified = all ? condition.unnotified_waiters : (woke_nobody ? 0 : 1);
  for (unsigned i = 0; i < notified; ++i) {
    condition.tokens.push_back({static_cast<int>(me.id), step, -1});
  }
  condition.unnotified_waiters -= notified;
}

namespace {

void mark(step_log& marks, std::uint64_t step, decision::kind what) {
  marks.push(step, static_cast<unsigned>(what));
}

}  // namespace

void recorder::infer_schedule(worker_record& mine, const event& e, bool new_hold) {
  if (e.action == action::done) {
    return;  // recorded under the lesson's lock, which the thread takes for it alone
  }
  if (e.action == action::woke) {
    if (e.wakeup.spurious()) {
      mark(mine.marks, e.step, decision::kind::spurious);
    } else {
      mine.woken_by_notify_at.push(e.wakeup.notify_step, 0);
    }
  }
  if (new_hold) {
    mark(mine.marks, e.step, decision::kind::lock);
  }
  if (e.action == action::notify_one && !e.woke_nobody) {
    mark(mine.marks, e.step, decision::kind::wake);
  }
}

std::vector<decision> recorder::free_run_schedule() const {
  // The workers' marks in step order; one step's marks are one worker's, in
  // the order it made them.
  struct mark_of {
    std::uint64_t step;
    decision::kind what;
    unsigned worker;
  };
  std::vector<mark_of> marks;
  std::unordered_map<std::uint64_t, unsigned> woken;  // notify_one step: the waiter it woke
  for (unsigned id = 0; id < records_.size(); ++id) {
    records_[id].marks.each([&](std::uint64_t step, unsigned what) {
      marks.push_back({step, static_cast<decision::kind>(what), id});
    });
    records_[id].woken_by_notify_at.each(
        [&](std::uint64_t step, unsigned /*tag*/) { woken.emplace(step, id); });
  }
  std::stable_sort(marks.begin(), marks.end(),
                   [](const mark_of& a, const mark_of& b) { return a.step < b.step; });
  std::vector<decision> schedule;
  for (const mark_of& m : marks) {
    if (m.what != decision::kind::wake) {
      schedule.push_back({m.what, m.worker, false});
    } else if (const auto waiter = woken.find(m.step); waiter != woken.end()) {
      schedule.push_back({m.what, waiter->second, false});
    }
    // else a notify whose waiter never took the lock back: left to the default.
  }
  return schedule;
}

tally recorder::figures() const {
  tally sum;
  for (const worker_record& r : records_) {
    sum += r.figures;
  }
  sum.steps = steps_->load();
  return sum;
}

std::vector<event> recorder::recent_events() const {
  // The run's last 64 events are each among their own worker's last 64.
  std::vector<event> merged;
  for (const worker_record& r : records_) {
    const std::uint64_t kept = std::min<std::uint64_t>(r.recorded, r.recent.size());
    for (std::uint64_t n = r.recorded - kept; n < r.recorded; ++n) {
      merged.push_back(r.recent[n % r.recent.size()]);
    }
  }
  std::sort(merged.begin(), merged.end(),
            [](const event& a, const event& b) { return a.step < b.step; });
  const std::size_t kept = std::min<std::size_t>(merged.size(), 64);
  merged.erase(merged.begin(), merged.end() - static_cast<std::ptrdiff_t>(kept));
  return merged;
}

last_move recorder::latest(action put_or_take) const {
  last_move last;
  for (std::size_t id = 0; id < records_.size(); ++id) {
    const std::uint64_t step =
        put_or_take == action::take ? records_[id].last_take_step : records_[id].last_put_step;
    if (step > last.step) {
      last = {static_cast<int>(id), step};
    }
  }
  return last;
}

}  // namespace lesson
