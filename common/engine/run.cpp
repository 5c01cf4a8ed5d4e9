#include "engine/run.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <boost/thread/thread.hpp>
#include <limits>
#include <locale>

#include "engine/race_detectors.hpp"
#include "engine/script.hpp"
#include "engine/signals.hpp"

namespace lesson {

namespace {

// Takes one from `left` and says true, or says false when none is left.
bool take_one(std::uint64_t& left) {
  if (left == 0) {
    return false;
  }
  --left;
  return true;
}

// The script's decisions. The parser has checked them: a thread the run
// lacks is still refused here, for a caller that did not parse.
std::vector<decision> script_of(const cast& who) {
  std::vector<decision> decisions;
  for (const std::string& token : who.config.script) {
    const auto d = parse_decision(token, who.config.producers, who.config.consumers);
    if (!d) {
      throw std::invalid_argument("--script: " + token +
                                  " is not a decision about a thread this run has");
    }
    decisions.push_back(*d);
  }
  return decisions;
}

// boost::format narrows characters through the locale's ctype<char>, which
// caches each one the first time it is asked: two threads formatting at once
// may both write one entry (the same byte, but a data race all the same, which
// ThreadSanitizer reports). Filled once, before the first run's threads
// start, the cache is only read.
bool narrow_cache_filled() {
  const auto& ctype = std::use_facet<std::ctype<char>>(std::locale());
  for (int c = std::numeric_limits<char>::min(); c <= std::numeric_limits<char>::max(); ++c) {
    ctype.narrow(static_cast<char>(c), '\0');
  }
  return true;
}

}  // namespace

run_context::run_context(const lesson::cast& who, std::vector<event_sink*> sinks,
                         stop_wording words, std::optional<exploring> explore)
    : cast_(who),
      words_(std::move(words)),
      observed_(needs_observed_run(who.config) || explore.has_value()),
      recorder_(cast_.names.size(), std::move(sinks), stopping_),
      watchdog_(who.config.stall_timeout_ms) {
  std::vector<decision> script = script_of(cast_);
  if (explore) {
    explore->choose = [this, choose = std::move(explore->choose)](
                          const std::vector<decision>& options, bool may_stall,
                          std::vector<std::uint64_t>* state) {
      if (state != nullptr) {
        state_of_run(*state);
      }
      return choose(options, may_stall, state);
    };
  }
  if (observed_) {
    std::unique_ptr<strategy> deciding;
    if (explore) {
      deciding = std::make_unique<explored_strategy>(std::move(*explore));
    } else {
      deciding = std::make_unique<script_strategy>(std::move(script),
                                                   cast_.config.follow_script_as_far_as_possible);
    }
    scheduler_.emplace(
        cast_.names, std::move(deciding),
        [this](const schedule_trouble& trouble) { on_schedule_trouble(trouble); },
        [this] {
          const boost::lock_guard<boost::mutex> lock(stop_mutex_);
          rooms_to_wake_ = true;
          supervisor_.notify_all();
        });
  }
  const settings& s = cast_.config;
  // The consumers take from one count of the takes left, as a pool of
  // consumers does: all stay busy to the end. The takes add up to the items
  // produced (or half, for the recipe), so none waits for an item that will
  // not come.
  const std::uint64_t produced = s.items * s.producers;
  takes_left_ = s.quota == consumer_quota::every_item ? produced : produced / 2;
  for (unsigned i = 0; i < cast_.names.size(); ++i) {
    auto w = std::make_unique<worker>();
    w->id = i;
    w->role = cast_.role(i);
    w->index = w->role == role::producer ? i : i - s.producers;
    w->puts_left = w->role == role::producer ? s.items : 0;
    w->takes_left = &takes_left_;
    // The first takes are claimed here, in the order C1, C2, ...: the rest
    // as each step lets the lock go.
    if (w->role == role::consumer && takes_left_ > 0) {
      --takes_left_;
      w->has_take = true;
    }
    w->random.seed(s.seed * 1'000'003 + i);
    ignored_by_race_detectors(w->state);
    ignored_by_race_detectors(w->waiting_on);
    ignored_by_race_detectors(w->closed_at_wait);
    workers_.push_back(std::move(w));
  }
  ignored_by_race_detectors(stopping_);
}

outcome run_context::run(const std::function<void(worker&)>& body) {
  static const bool narrowing_ready = narrow_cache_filled();
  (void)narrowing_ready;
  recorder_.begin();
  std::vector<boost::thread> threads;
  threads.reserve(workers_.size());
  try {
    for (const auto& w : workers_) {
      threads.emplace_back([this, &body, me = w.get()] { work(*me, body); });
    }
  } catch (const boost::thread_resource_error& e) {
    fail((boost::format("could not start thread %s, %d of %d: %s") %
          cast_.name(static_cast<unsigned>(threads.size())) % (threads.size() + 1) %
          workers_.size() % e.what())
             .str());
    for (std::size_t unstarted = threads.size(); unstarted < workers_.size(); ++unstarted) {
      workers_[unstarted]->state.store(thread_state::done);
    }
  }
  // Every thread starts its steps at once, and the clock with them.
  {
    const boost::lock_guard<boost::mutex> lock(stop_mutex_);
    started_ = boost::chrono::steady_clock::now();
    recorder_.start_clock(started_);
    released_ = true;
    start_signal_.notify_all();
  }
  if (scheduler_) {
    scheduler_->start();
    supervise_observed();
  } else {
    supervise();
  }
  if (stopping()) {
    // The scheduler first: the thread that stopped the run may not have
    // told it yet, and a thread leaving its wait by the interruption must
    // not find a scheduler that still decides while that thread moves.
    if (scheduler_) {
      scheduler_->stop();
    }
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
  figures_ = recorder_.figures();
  figures_.elapsed_ms = boost::chrono::duration<double, boost::milli>(ended - started_).count();
  if (!failure_.empty()) {
    throw run_error(failure_);
  }
  if (!stopping()) {
    check_conservation();
  }
  if (scheduler_) {
    schedule_ = scheduler_->taken();
    left_script_ = scheduler_->left_script();
    if (const auto unused = scheduler_->first_untaken(); unused && outcome_ == outcome::ok) {
      ended_wrong(outcome::stuck, script_unused_stop{*unused, cast_.config.script[*unused - 1]});
    }
  } else if (!moved_unlocked_ &&
             (outcome_ == outcome::violation || outcome_ == outcome::deadlock)) {
    // Only a failure prints its replay line: a run that ended well spells
    // out none of its (often millions of) decisions.
    schedule_ = recorder_.free_run_schedule();
  }
  recorder_.end(outcome_, report_);
  return outcome_;
}

void run_context::work(worker& me, const std::function<void(worker&)>& body) {
  worker::run_here(me);
  try {
    if (scheduler_) {
      scheduler_->begin(me);  // one by one, once the scheduler starts
    } else {
      // Not an interruption point: an interruptible wait takes the thread's
      // own Boost mutex under stop_mutex_, the reverse of the order in wait().
      const boost::this_thread::disable_interruption keep_going;
      boost::unique_lock<boost::mutex> lock(stop_mutex_);
      while (!released_) {
        start_signal_.wait(lock);
      }
    }
    body(me);
  } catch (const boost::thread_interrupted&) {
    // The run is stopping: a violation, the watchdog or a signal ended it.
  } catch (const std::exception& e) {
    fail(cast_.name(me.id) + ": " + e.what());
  }
  me.claims_at_unlock = false;  // the lock the record takes is not a step's
  recorder_.record(me, action::done);
  me.finished = boost::chrono::steady_clock::now();
  me.state.store(thread_state::done);
  if (scheduler_) {
    scheduler_->finished(me);
  }
  const boost::lock_guard<boost::mutex> lock(stop_mutex_);
  if (++finished_ == workers_.size()) {
    supervisor_.notify_all();  // only the last: the supervisor waits for them all
  }
}

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

void run_context::consume_until_closed(const std::atomic<bool>& done) {
  closed_ = &done;
  until_closed_ = true;
  takes_left_ = 0;
  producers_left_.store(cast_.config.producers);
  for (const auto& w : workers_) {
    w->has_take = false;
  }
}

bool run_context::next_step(worker& me) {
  if (stopping() || (me.role == role::producer && !take_one(me.puts_left))) {
    return false;
  }
  me.asks_in_step = 0;
  if (me.role == role::consumer && !until_closed_) {
    if (!me.has_take) {
      return false;
    }
    me.has_take = false;
    me.claims_at_unlock = true;
  }
  const settings& s = cast_.config;
  double delay_ms = me.role == role::producer ? s.producer_delay_ms : s.consumer_delay_ms;
  delay_ms *= s.time_scale;
  if (s.jitter_percent > 0) {
    const double spread = s.jitter_percent / 100.0;
    delay_ms *= std::uniform_real_distribution<double>(1 - spread, 1 + spread)(me.random);
  }
  if (delay_ms > 0) {
    boost::this_thread::sleep_for(watchdog::from_ms(delay_ms));
  }
  return !stopping();
}

void run_context::on_moved(worker& me, const item& it, bool unlocked) {
  me.woke_unserved = false;
  if (stopping()) {
    return;
  }
  const recorder::guard held(recorder_, &me);
  if (unlocked) {
    moved_unlocked_ = true;  // only then: a store at every put and take pulls the line along
  }
  recorder_.record_held(me, me.role == role::producer ? action::put : action::take, [&](event& e) {
    e.what = it;
    e.unlocked = unlocked;
  });
}

void run_context::on_check(worker& me, bool checked_full, bool result) {
  if (stopping()) {
    return;
  }
  const recorder::guard held(recorder_, &me);
  recorder_.record_held(me, action::check, [&](event& e) {
    e.checked_full = checked_full;
    e.check_result = result;
  });
}

void run_context::on_flag_read(worker& me, bool value) {
  if (stopping()) {
    return;
  }
  const recorder::guard held(recorder_, &me);
  recorder_.record_held(me, action::read_flag, [&](event& e) { e.check_result = value; });
}

void run_context::on_violation(worker& me, violation_kind kind, bool unlocked, int inside) {
  // Stopped with the guard still held, so that no thread records after it:
  // the violation is the run's last step.
  const recorder::guard held(recorder_, &me);
  moved_unlocked_ = moved_unlocked_ || unlocked;
  const event* e = recorder_.record_held(me, action::violation, [&](event& made) {
    made.violation = kind;
    made.unlocked = unlocked;
    made.chosen = inside;
  });
  if (e == nullptr) {
    return;  // the run is already stopping
  }
  const bool underflow = kind == violation_kind::underflow;
  stop(outcome::violation,
       violation_stop{*e, me.woke_unserved, me.last_wakeup,
                      recorder_.latest(underflow ? action::take : action::put)});
}

void run_context::on_wait(worker& me, condition_record& condition) {
  me.items_at_wait.store(recorder_.buffer_size());
  me.closed_at_wait.store(closed_ != nullptr && closed_->load());
  recorder_.waits(me, condition);
  if (scheduler_) {
    scheduler_->will_wait(me, condition.name);
  }
}

void run_context::on_woke(worker& me, condition_record& condition) {
  if (!scheduler_) {
    recorder_.woke(me, condition);
    return;
  }
  const auto spurious = scheduler_->woke_spuriously(me);
  if (spurious.spurious) {
    // The recorder takes a wakeup with no token of its own for a spurious one.
    recorder_.woke(me, condition, decided_by::script);
  } else {
    recorder_.woke(me, condition, me.last_grant);
  }
  if (spurious.script_done) {
    recorder_.record(me, action::script_end);
  }
}

void run_context::on_notify(worker& me, condition_record& condition, bool all) {
  if (!scheduler_) {
    recorder_.notifies(me, condition, all);
    return;
  }
  const scheduler::wakeups woke = scheduler_->notify(me, condition.name, all);
  recorder_.notifies(me, condition, all, &woke.woken, decided(woke.scripted));
  if (woke.script_done) {
    recorder_.record(me, action::script_end);
  }
}

void run_context::await_turn(worker& me) {
  if (!me.inside_wait) {
    recorder_.record(me, action::ask);
  }
  const scheduler::grant granted = scheduler_->acquire(me);
  me.last_grant = granted.scheduled ? decided(granted.scripted) : decided_by::nobody;
  if (granted.scheduled && !me.inside_wait) {
    const recorder::guard held(recorder_, &me);
    recorder_.record_held(me, action::lock, [&](event& e) { e.decided = me.last_grant; });
  }
  if (granted.script_done) {
    recorder_.record(me, action::script_end);
  }
}

void run_context::unlocking(worker& me) {
  if (!me.inside_wait) {
    recorder_.record(me, action::unlock);
  }
}

void run_context::unlocked(worker& me) {
  scheduler_->release(me);
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

void run_context::state_of_run(std::vector<std::uint64_t>& state) const {
  state.push_back(takes_left_);
  for (const auto& w : workers_) {
    state.push_back(w->puts_left);
    state.push_back((w->has_take ? 1U : 0U) | (w->claims_at_unlock ? 2U : 0U) |
                    (w->woke_unserved ? 4U : 0U) | (w->inside_wait ? 8U : 0U) |
                    (w->inside_buffer ? 16U : 0U) | (w->closing ? 32U : 0U) |
                    (std::uint64_t{w->asks_in_step} << 32U));
    // Its place in the lesson's code: the wait() it is in, by file and line.
    state.push_back(w->inside_wait ? reinterpret_cast<std::uintptr_t>(w->wait_site.file_name())
                                   : 0);
    state.push_back(w->inside_wait ? w->wait_site.line() : 0);
  }
  const std::vector<item> items = buffer_->contents();
  state.push_back(items.size());
  for (const item& it : items) {
    state.push_back((std::uint64_t{it.producer} << 32U) | it.sequence);
  }
  if (read_fields_) {
    read_fields_(state);
  }
}

}  // namespace lesson
