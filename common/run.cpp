#include "run.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <boost/thread/thread.hpp>
#include <csignal>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "lesson.hpp"
#include "race_detectors.hpp"
#include "timeline.hpp"
#include "trace.hpp"

namespace lesson {

namespace {

thread_local worker* current_worker = nullptr;

// Set by the signal handler, read by the watchdog: a lock-free atomic is
// async-signal-safe.
std::atomic<int> caught_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void remember_signal(int signal) {
  caught_signal.store(signal);
}

constexpr std::size_t recent_events_shown = 10;
const auto watchdog_tick = boost::chrono::milliseconds(5);

boost::chrono::nanoseconds from_ms(double ms) {
  return boost::chrono::nanoseconds(static_cast<std::int64_t>(ms * 1e6));
}

}  // namespace

void stop_runs_on_signals() {
  ignored_by_race_detectors(caught_signal);
  struct sigaction action {};
  action.sa_handler = remember_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART | SA_RESETHAND;  // a second signal ends the program at once
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void end_as_signalled() {
  if (const int signal = caught_signal.load(); signal != 0) {
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
}

owned_mutex::owned_mutex() {
  ignored_by_race_detectors(holder_);
}

void owned_mutex::lock() {
  mutex_.lock();
  holder_.store(current_worker, std::memory_order_relaxed);
}

void owned_mutex::unlock() {
  holder_.store(nullptr, std::memory_order_relaxed);
  mutex_.unlock();
}

owned_mutex::lent_to_wait::lent_to_wait(owned_mutex& m)
    : owned_(m), lock_(m.mutex_, boost::adopt_lock) {
  owned_.holder_.store(nullptr, std::memory_order_relaxed);
}

owned_mutex::lent_to_wait::~lent_to_wait() {
  lock_.release();  // the owned_mutex's own unique_lock unlocks it
  owned_.holder_.store(current_worker, std::memory_order_relaxed);
}

// Holds what orders the run's events while one is recorded (see run.hpp).
class run_context::record_guard {
 public:
  // `me`: who records, null for the watchdog.
  explicit record_guard(const run_context& run, const worker* me = nullptr)
      : lesson_lock_(run.lesson_lock_),
        record_mutex_(lesson_lock_ == nullptr ? &run.record_mutex_ : nullptr) {
    if (record_mutex_ != nullptr) {
      record_mutex_->lock();
    } else if (lesson_lock_->held_by(me)) {
      lesson_lock_ = nullptr;  // the step that records holds it
    } else {
      lesson_lock_->lock();
    }
  }
  ~record_guard() {
    if (record_mutex_ != nullptr) {
      record_mutex_->unlock();
    } else if (lesson_lock_ != nullptr) {
      lesson_lock_->unlock();
    }
  }
  record_guard(const record_guard&) = delete;
  record_guard& operator=(const record_guard&) = delete;

 private:
  owned_mutex* lesson_lock_;  // when this guard took it
  boost::mutex* record_mutex_;
};

worker& worker::current() {
  if (current_worker == nullptr) {
    throw std::logic_error("a lesson step ran outside a worker thread");
  }
  return *current_worker;
}

const char* to_string(role r) {
  return r == role::producer ? "producer" : "consumer";
}

const char* to_string(outcome o) {
  switch (o) {
    case outcome::ok:
      return "ok";
    case outcome::violation:
      return "violation";
    case outcome::deadlock:
      return "deadlock";
    case outcome::interrupted:
      return "interrupted";
  }
  return "?";
}

int exit_code(outcome o) {
  switch (o) {
    case outcome::ok:
      return 0;
    case outcome::violation:
      return 1;
    case outcome::deadlock:
      return 3;
    case outcome::interrupted:
      return 128 + caught_signal.load();
  }
  return 1;
}

run_context::run_context(const definition& lesson, const settings& run_settings, std::ostream& out)
    : lesson_(lesson), settings_(run_settings), out_(out) {
  for (unsigned i = 0; i < settings_.producers + settings_.consumers; ++i) {
    auto w = std::make_unique<worker>();
    w->id = i;
    w->role = i < settings_.producers ? role::producer : role::consumer;
    w->index = w->role == role::producer ? i : i - settings_.producers;
    w->name = (w->role == role::producer ? "P" : "C") + std::to_string(w->index + 1);
    w->random.seed(settings_.seed * 1'000'003 + i);
    ignored_by_race_detectors(w->state);
    ignored_by_race_detectors(w->waiting_on);
    workers_.push_back(std::move(w));
  }
  for (const std::string& name : settings_.script) {
    const auto named = std::find_if(workers_.begin(), workers_.end(),
                                    [&](const auto& w) { return w->name == name; });
    if (named == workers_.end()) {
      throw std::invalid_argument("--script names " + name + ", a thread this run does not have");
    }
    script_.push_back((*named)->id);
  }
  // Each consumer's share of the takes, fixed in advance: they add up to the
  // items produced (or half, for the recipe), so none waits for an item that
  // will not come.
  const std::uint64_t produced = settings_.items * settings_.producers;
  const std::uint64_t takes =
      settings_.quota == consumer_quota::every_item ? produced : produced / 2;
  for (const auto& w : workers_) {
    w->steps_left = w->role == role::producer
                        ? settings_.items
                        : takes / settings_.consumers + (w->index < takes % settings_.consumers);
  }
  records_.resize(workers_.size());
  ignored_by_race_detectors(stopping_);
  ignored_by_race_detectors(steps_);
  observed_ = needs_observed_run(settings_);
  tracer_ = make_tracer(settings_.trace, *this, out_);
  shown_ = settings_.trace != trace_format::none || !settings_.svg_file.empty();
  if (!settings_.svg_file.empty()) {
    timeline_ = std::make_unique<timeline>(*this);
  }
}

run_context::~run_context() = default;

double run_context::elapsed_ms() const {
  return boost::chrono::duration<double, boost::milli>(boost::chrono::steady_clock::now() -
                                                       started_)
      .count();
}

outcome run_context::run(const std::function<void(worker&)>& body) {
  tracer_->begin();
  std::vector<boost::thread> threads;
  threads.reserve(workers_.size());
  try {
    for (const auto& w : workers_) {
      threads.emplace_back([this, &body, me = w.get()] { work(*me, body); });
    }
  } catch (const boost::thread_resource_error& e) {
    fail((boost::format("could not start thread %s, %d of %d: %s") %
          workers_[threads.size()]->name % (threads.size() + 1) % workers_.size() % e.what())
             .str());
    for (std::size_t unstarted = threads.size(); unstarted < workers_.size(); ++unstarted) {
      workers_[unstarted]->state.store(thread_state::done);
    }
  }
  // Every thread starts its steps at once, and the clock with them.
  {
    const boost::lock_guard<boost::mutex> lock(stop_mutex_);
    started_ = boost::chrono::steady_clock::now();
    released_ = true;
    start_signal_.notify_all();
  }
  supervise();
  if (stopping()) {
    for (auto& t : threads) {
      t.interrupt();
    }
  }
  for (auto& t : threads) {
    t.join();
  }
  // Until the last worker ended, not until the watchdog next looked.
  auto ended = started_;
  for (const auto& w : workers_) {
    ended = std::max(ended, w->finished);
  }
  for (const worker_record& r : records_) {
    figures_ += r.figures;
  }
  figures_.elapsed_ms = boost::chrono::duration<double, boost::milli>(ended - started_).count();
  figures_.steps = steps_.load();
  if (!failure_.empty()) {
    throw run_error(failure_);
  }
  if (!stopping()) {
    check_conservation();
  }
  if (outcome_ == outcome::ok && script_left()) {
    // Every thread finished before the script's next one asked for the lock.
    const boost::lock_guard<boost::mutex> lock(gate_mutex_);
    outcome_ = outcome::deadlock;
    report_ = (boost::format("SCRIPT STUCK at script step %d of %d: the run ended before %s "
                             "asked for the lock again;\n  the rest of the script never ran.") %
               (script_cursor_ + 1) % script_.size() % workers_[script_[script_cursor_]]->name)
                  .str();
  }
  if (timeline_) {
    timeline_->write(settings_.svg_file, outcome_, report_);
  }
  return outcome_;
}

void run_context::work(worker& me, const std::function<void(worker&)>& body) {
  current_worker = &me;
  try {
    {
      boost::unique_lock<boost::mutex> lock(stop_mutex_);
      while (!released_) {
        start_signal_.wait(lock);
      }
    }
    body(me);
  } catch (const boost::thread_interrupted&) {
    // The run is stopping: a violation, the watchdog or a signal ended it.
  } catch (const std::exception& e) {
    fail(me.name + ": " + e.what());
  }
  // When a thread finishes is not part of a script's order, so a scripted
  // trace leaves it out to stay the same from run to run.
  if (!scripted()) {
    record_step(me, action::done);
  }
  me.finished = boost::chrono::steady_clock::now();
  me.state.store(thread_state::done);
}

void run_context::supervise() {
  const auto all_done = [this] {
    return std::all_of(workers_.begin(), workers_.end(),
                       [](const auto& w) { return w->state.load() == thread_state::done; });
  };
  // It looks every tick rather than wait on a condition with a timeout: a
  // timed wait that a notify races with makes helgrind report glibc itself.
  while (!stopping() && !all_done()) {
    boost::this_thread::sleep_for(watchdog_tick);
    if (const int signal = caught_signal.load(); signal != 0) {
      stop(outcome::interrupted,
           signal == SIGINT ? "interrupted by SIGINT" : "interrupted by SIGTERM");
    } else if (!all_done() && watch_for_stall(boost::chrono::steady_clock::now())) {
      stop(outcome::deadlock, deadlock_report());
    }
  }
}

void run_context::fail(const std::string& why) {
  {
    const boost::lock_guard<boost::mutex> lock(stop_mutex_);
    if (failure_.empty()) {
      failure_ = why;
    }
  }
  stop(outcome::interrupted, why);
}

bool run_context::next_step(worker& me) {
  if (stopping()) {
    return false;
  }
  if (me.steps_left == 0) {
    return false;
  }
  --me.steps_left;
  double delay_ms =
      me.role == role::producer ? settings_.producer_delay_ms : settings_.consumer_delay_ms;
  delay_ms *= settings_.time_scale;
  if (settings_.jitter_percent > 0) {
    const double spread = settings_.jitter_percent / 100.0;
    delay_ms *= std::uniform_real_distribution<double>(1 - spread, 1 + spread)(me.random);
  }
  if (delay_ms > 0) {
    boost::this_thread::sleep_for(from_ms(delay_ms));
  }
  return !stopping();
}

template <class Fill>
std::uint64_t run_context::record_locked(const worker& me, action what, const Fill& fill) {
  if (stopping()) {
    return 0;
  }
  // Made in place in the worker's own record: nothing is copied.
  worker_record& mine = records_[me.id];
  event& e = mine.recent[mine.recorded++ % mine.recent.size()];
  e = event{};
  e.step = steps_.load(std::memory_order_relaxed) + 1;
  steps_.store(e.step, std::memory_order_relaxed);
  e.worker = me.id;
  e.action = what;
  if (shown_) {
    e.ms = elapsed_ms();
  }
  e.size = buffer_size_ != nullptr
               ? static_cast<std::uint32_t>(buffer_size_->load(std::memory_order_relaxed))
               : 0;
  fill(e);
  tally& figures = mine.figures;
  switch (e.action) {
    case action::woke:
      ++figures.wakeups;
      figures.spurious_wakeups += e.wakeup.notifier < 0 ? 1 : 0;
      break;
    case action::wait:
      figures.futile_wakeups += e.after_futile_wakeup ? 1 : 0;
      break;
    case action::put:
      ++figures.produced;
      mine.last_put_step = e.step;
      break;
    case action::take:
      ++figures.consumed;
      mine.last_take_step = e.step;
      break;
    case action::notify_one:
    case action::notify_all:
      ++figures.notifies;
      break;
    case action::violation:
      ++figures.violations;
      break;
    case action::ask:
    case action::lock:
    case action::check:
    case action::unlock:
    case action::script_end:
    case action::done:
      break;
  }
  if (shown_) {
    tracer_->on_event(e);
    if (timeline_) {
      timeline_->on_event(e);
    }
    if (observer_) {
      observer_(e, *this);
    }
  }
  return e.step;
}

template <class Fill>
void run_context::record(const worker& me, action what, const Fill& fill) {
  if (stopping()) {
    return;  // and a thread that finishes need not take the lesson's lock
  }
  const record_guard guard(*this, &me);
  record_locked(me, what, fill);
}

void run_context::record_step(const worker& me, action what) {
  record(me, what, [](event&) {});
}

void run_context::on_wait(worker& me, condition_record& condition) {
  const bool futile = me.woke_unserved;
  me.woke_unserved = false;
  const record_guard guard(*this, &me);
  ++condition.unnotified_waiters;
  me.wait_step = record_locked(me, action::wait, [&](event& e) {
    e.condition = condition.name;
    e.after_futile_wakeup = futile;
  });
}

void run_context::on_woke(worker& me, condition_record& condition) {
  const record_guard guard(*this, &me);
  me.last_wakeup = {condition.name, -1, 0};
  // The oldest notify made while this thread was waiting.
  const auto token =
      std::find_if(condition.tokens.begin(), condition.tokens.end(),
                   [&](const condition_record::token& t) { return t.step > me.wait_step; });
  if (token == condition.tokens.end()) {
    condition.unnotified_waiters -= condition.unnotified_waiters > 0 ? 1 : 0;
  } else {
    me.last_wakeup.notifier = token->notifier;
    me.last_wakeup.notify_step = token->step;
    condition.tokens.erase(token);
  }
  me.woke_unserved = true;
  record_locked(me, action::woke, [&](event& e) {
    e.condition = condition.name;
    e.wakeup = me.last_wakeup;
  });
}

void run_context::on_notify(worker& me, condition_record& condition, bool all) {
  const record_guard guard(*this, &me);
  const bool woke_nobody = condition.unnotified_waiters == 0;
  const std::uint64_t step =
      record_locked(me, all ? action::notify_all : action::notify_one, [&](event& e) {
        e.condition = condition.name;
        e.woke_nobody = woke_nobody;
      });
  const unsigned notified = all ? condition.unnotified_waiters : (woke_nobody ? 0 : 1);
  for (unsigned i = 0; i < notified; ++i) {
    condition.tokens.push_back({static_cast<int>(me.id), step});
  }
  condition.unnotified_waiters -= notified;
}

void run_context::on_moved(worker& me, const item& it) {
  me.woke_unserved = false;
  record(me, me.role == role::producer ? action::put : action::take,
         [&](event& e) { e.what = it; });
}

void run_context::on_violation(worker& me, violation_kind kind, std::size_t size) {
  std::string report;
  {
    const record_guard guard(*this, &me);
    const std::uint64_t step =
        record_locked(me, action::violation, [&](event& e) { e.violation = kind; });
    if (step == 0) {
      return;  // the run is already stopping
    }
    report = violation_report(me, kind, size, step);
  }
  stop(outcome::violation, report);
}

void run_context::stop(outcome why, std::string report) {
  {
    const boost::lock_guard<boost::mutex> lock(stop_mutex_);
    if (stopping()) {
      return;
    }
    outcome_ = why;
    report_ = std::move(report);
    stopping_.store(true, std::memory_order_release);
  }
  const boost::lock_guard<boost::mutex> lock(gate_mutex_);
  gate_.notify_all();
}

bool run_context::watch_for_stall(boost::chrono::steady_clock::time_point now) {
  if (script_left()) {
    // While the script lasts, a thread notified inside wait() may be held at
    // its gate: the gate, which knows whom it waits for, reports the stall.
    stall_since_.reset();
    return false;
  }
  std::size_t live = 0;
  std::size_t waiting = 0;
  for (const auto& w : workers_) {
    const thread_state state = w->state.load();
    live += state != thread_state::done ? 1 : 0;
    waiting += state == thread_state::waiting ? 1 : 0;
  }
  const std::uint64_t progress = steps_.load();
  if (live == 0 || waiting < live) {
    stall_since_.reset();
    return false;
  }
  if (!stall_since_ || progress != stall_progress_) {
    stall_since_ = now;
    stall_progress_ = progress;
    return false;
  }
  return now - *stall_since_ >= from_ms(settings_.stall_timeout_ms);
}

void run_context::await_turn(worker& me) {
  if (!scripted()) {
    if (!me.inside_wait) {
      record_step(me, action::ask);
    }
    return;
  }
  // The gate is not an interruption point: condition_variable_any re-takes
  // the lock here while an interruption unwinds.
  const boost::this_thread::disable_interruption keep_going;
  boost::unique_lock<boost::mutex> lock(gate_mutex_);
  auto since = boost::chrono::steady_clock::now();
  std::size_t cursor_seen = script_cursor_;
  std::uint64_t progress_seen = steps_.load();
  while (!stopping() && script_cursor_ < script_.size() && script_[script_cursor_] != me.id) {
    gate_.wait_for(lock, watchdog_tick);
    if (stopping() || script_cursor_ >= script_.size()) {
      break;
    }
    // Stuck only when the thread the script waits for cannot ask: it sleeps
    // in wait() or has finished, and nothing has moved for the stall timeout.
    const worker& awaited = *workers_[script_[script_cursor_]];
    const thread_state state = awaited.state.load();
    const auto now = boost::chrono::steady_clock::now();
    if (state == thread_state::running || script_cursor_ != cursor_seen ||
        steps_.load() != progress_seen) {
      since = now;
      cursor_seen = script_cursor_;
      progress_seen = steps_.load();
      continue;
    }
    if (now - since >= from_ms(settings_.stall_timeout_ms)) {
      std::ostringstream report;
      report << "SCRIPT STUCK at script step " << script_cursor_ + 1 << " of " << script_.size()
             << ": the script waits for " << awaited.name << ", which cannot ask for the lock:\n  ";
      if (const char* condition = awaited.waiting_on.load(); condition != nullptr) {
        report << awaited.name << " sleeps in wait() on " << condition
               << ", and only a thread that holds the lock could wake it.";
      } else {
        report << awaited.name << " has finished: it has nothing left to "
               << (awaited.role == role::producer ? "put." : "take.");
      }
      lock.unlock();
      stop(outcome::deadlock, report.str());
      return;
    }
  }
}

bool run_context::script_left() const {
  const boost::lock_guard<boost::mutex> lock(gate_mutex_);
  return script_cursor_ < script_.size();
}

void run_context::took_turn(worker& me) {
  if (!me.inside_wait) {
    record_step(me, action::lock);
  }
  bool used_up = false;
  {
    const boost::lock_guard<boost::mutex> lock(gate_mutex_);
    if (script_cursor_ < script_.size() && script_[script_cursor_] == me.id) {
      ++script_cursor_;
      used_up = script_cursor_ == script_.size();
      gate_.notify_all();
    }
  }
  if (used_up) {
    record_step(me, action::script_end);
  }
}

void run_context::on_unlock(worker& me) {
  if (!me.inside_wait) {
    record_step(me, action::unlock);
  }
}

void run_context::on_check(worker& me, bool checked_full, bool result) {
  record(me, action::check, [&](event& e) {
    e.checked_full = checked_full;
    e.check_result = result;
  });
}

std::string run_context::violation_report(const worker& me, violation_kind kind, std::size_t size,
                                          std::uint64_t step) const {
  std::ostringstream report;
  const std::string drawn = draw_buffer(size, settings_.capacity);
  const bool underflow = kind == violation_kind::underflow;
  if (underflow || kind == violation_kind::overflow) {
    report << "VIOLATION at step " << step << ": " << me.name
           << (underflow ? " took from an empty buffer" : " put into a full buffer") << " ("
           << to_string(kind) << ")  " << drawn << '\n';
  } else {
    report << "VIOLATION at step " << step << ": " << me.name << ": " << to_string(kind) << "  "
           << drawn << '\n';
    return report.str();
  }
  if (!me.woke_unserved) {
    report << "  " << me.name << " had not waited: it did not check the buffer before.";
    return report.str();
  }
  const worker::wakeup& w = me.last_wakeup;
  report << "  " << me.name << " had just returned from wait() on " << w.condition;
  if (w.notifier < 0) {
    report << ", though nobody had notified since it began to wait: a spurious wakeup.\n";
  } else {
    const worker& notifier = *workers_[static_cast<std::size_t>(w.notifier)];
    report << " after " << notifier.name << "'s notify (step " << w.notify_step << ").\n";
    const bool announced_space = notifier.role == role::consumer;
    const last_move rival = latest(underflow);
    if (announced_space == underflow) {
      report << "  That notify announced "
             << (underflow ? "space, not an item" : "an item, not space")
             << ":\n  one condition serves both sides, so a " << to_string(notifier.role)
             << "'s notify woke a " << to_string(me.role) << ".\n";
    } else if (rival.worker >= 0 && rival.worker != static_cast<int>(me.id) &&
               rival.step > w.notify_step) {
      report << "  That notify announced " << (underflow ? "an item" : "space") << ", but "
             << workers_[static_cast<std::size_t>(rival.worker)]->name
             << (underflow ? " took it" : " filled it") << " first (step " << rival.step
             << "): a stolen wakeup.\n";
    }
  }
  report << "  With `if`, " << me.name
         << " did not check the buffer again. Mesa semantics: a notify is a hint, not a\n"
         << "  hand-off; the woken thread must check again, in a `while` loop (lesson 03).";
  return report.str();
}

std::vector<event> run_context::recent_events() const {
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

run_context::last_move run_context::latest(bool take) const {
  last_move last;
  for (std::size_t id = 0; id < records_.size(); ++id) {
    const std::uint64_t step = take ? records_[id].last_take_step : records_[id].last_put_step;
    if (step > last.step) {
      last = {static_cast<int>(id), step};
    }
  }
  return last;
}

std::string run_context::deadlock_report() const {
  const record_guard guard(*this);
  const std::size_t size =
      buffer_size_ != nullptr ? buffer_size_->load(std::memory_order_relaxed) : 0;
  std::ostringstream report;
  report << "DEADLOCK: every live thread has waited " << settings_.stall_timeout_ms
         << " ms on a condition and nothing moved.  " << draw_buffer(size, settings_.capacity)
         << '\n';
  std::vector<const worker*> could_go_on;
  for (const auto& w : workers_) {
    const char* condition = w->waiting_on.load();
    if (condition == nullptr) {
      continue;
    }
    const bool producer = w->role == role::producer;
    const bool can = producer ? size < settings_.capacity : size > 0;
    report << "  " << w->name << " waits on " << condition << " for "
           << (producer ? "space" : "an item");
    if (can) {
      report << " - it could go on: the buffer " << (producer ? "has room" : "has items");
      could_go_on.push_back(w.get());
    }
    report << '\n';
  }
  const std::vector<event> recent = recent_events();
  const auto last_notify = std::find_if(recent.rbegin(), recent.rend(), [](const event& e) {
    return e.action == action::notify_one;
  });
  if (could_go_on.empty()) {
    report << "  no thread can go on: what the waiters wait for will never come.\n";
  } else if (last_notify == recent.rend()) {
    report << "  lost wakeup: the buffer changed, but nobody notified the waiters.\n";
  } else {
    const std::uint64_t notify_step = last_notify->step;
    const auto woken = std::find_if(last_notify.base(), recent.end(), [&](const event& e) {
      return e.action == action::woke && e.wakeup.notify_step == notify_step;
    });
    const worker& notifier = *workers_[last_notify->worker];
    std::string sleepers;
    for (const worker* w : could_go_on) {
      sleepers += (sleepers.empty() ? "" : ", ") + w->name;
    }
    if (woken != recent.end()) {
      const worker& sleeper = *workers_[woken->worker];
      report << "  lost wakeup: a " << to_string(notifier.role) << "'s notify_one woke a "
             << to_string(sleeper.role) << ".\n    " << notifier.name << "'s notify_one (step "
             << last_notify->step << ") woke " << sleeper.name
             << ", which found nothing to do and waited again;\n    ";
    } else {
      report << "  lost wakeup: " << notifier.name << "'s notify_one (step " << last_notify->step
             << ") woke nobody who could go on;\n    ";
    }
    report << sleepers << ", which could go on, was never woken. notify_one wakes one waiter,\n"
           << "    any waiter: with one condition for both sides it can wake the wrong kind.\n";
  }
  report << "  last events:";
  const std::size_t shown = std::min(recent.size(), recent_events_shown);
  for (auto e = recent.end() - static_cast<std::ptrdiff_t>(shown); e != recent.end(); ++e) {
    report << "\n    " << text_line(*e, *this);
  }
  return report.str();
}

void run_context::check_conservation() {
  const std::vector<item> remaining = buffer_->contents();
  std::vector<item> lost = buffer_->ledger().lost(remaining);
  if (settings_.quota == consumer_quota::every_item) {
    lost.insert(lost.end(), remaining.begin(), remaining.end());
  }
  if (lost.empty()) {
    return;
  }
  ++figures_.violations;
  outcome_ = outcome::violation;
  std::ostringstream report;
  report << "VIOLATION: " << lost.size() << " item(s) put but never taken (lost), first "
         << describe(lost.front());
  report_ = report.str();
}

tally& tally::operator+=(const tally& more) {
  produced += more.produced;
  consumed += more.consumed;
  violations += more.violations;
  wakeups += more.wakeups;
  futile_wakeups += more.futile_wakeups;
  spurious_wakeups += more.spurious_wakeups;
  notifies += more.notifies;
  steps += more.steps;
  elapsed_ms += more.elapsed_ms;
  return *this;
}

std::string summary_line(outcome result, const tally& figures, bool scripted) {
  const double moved = std::max<double>(1, static_cast<double>(figures.consumed));
  std::string line =
      (boost::format("result: %s produced=%d consumed=%d violations=%d wakeups=%d "
                     "futile_wakeups=%d notifies=%d wakeups_per_item=%.2f steps=%d") %
       to_string(result) % figures.produced % figures.consumed % figures.violations %
       figures.wakeups % figures.futile_wakeups % figures.notifies %
       (static_cast<double>(figures.wakeups) / moved) % figures.steps)
          .str();
  if (!scripted) {
    line += (boost::format(" elapsed_ms=%.1f") % figures.elapsed_ms).str();
  }
  return line;
}

bool needs_observed_run(const settings& chosen) {
  return !chosen.script.empty() || !chosen.svg_file.empty() ||
         chosen.trace == trace_format::table || chosen.trace == trace_format::csv ||
         chosen.trace == trace_format::jsonl;
}

run_result run_once(const definition& lesson, const settings& chosen, std::ostream& out,
                    const event_observer& observer) {
  run_context context(lesson, chosen, out);
  if (observer) {
    context.observe(observer);
  }
  if (context.observed()) {
    lesson.run_observed(context);
  } else {
    lesson.run_free(context);
  }
  return {context.result(), context.figures(), context.report()};
}

tracked_buffer::tracked_buffer(run_context& context)
    : context_(context),
      buffer_(context.config().capacity, context.config().producers, context.config().items) {
  ignored_by_race_detectors(size_seen_);
  context_.attach_buffer(buffer_, size_seen_);
}

bool tracked_buffer::checked(bool checked_full, bool result) const {
  if (context_.observed()) {
    context_.on_check(worker::current(), checked_full, result);
  }
  return result;
}

void tracked_buffer::put() {
  worker& me = worker::current();
  if (context_.stopping()) {
    return;
  }
  const item it{me.index, me.next_sequence};
  if (const auto violation = buffer_.put(it)) {
    context_.on_violation(me, *violation, buffer_.size());
    return;
  }
  ++me.next_sequence;
  size_seen_.store(buffer_.size(), std::memory_order_relaxed);
  context_.on_moved(me, it);
}

void tracked_buffer::take() {
  worker& me = worker::current();
  if (context_.stopping()) {
    return;
  }
  const auto result = buffer_.take();
  size_seen_.store(buffer_.size(), std::memory_order_relaxed);
  if (result.violation) {
    context_.on_violation(me, *result.violation, buffer_.size());
    return;
  }
  context_.on_moved(me, *result.taken);
}

}  // namespace lesson
