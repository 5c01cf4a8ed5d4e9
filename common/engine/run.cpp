#include "engine/run.hpp"

#include <algorithm>
#include <boost/core/demangle.hpp>
#include <boost/format.hpp>
#include <boost/thread/thread.hpp>
#include <limits>
#include <locale>
#include <typeinfo>

#include "engine/race_detectors.hpp"
#include "engine/script.hpp"
#include "engine/signals.hpp"

namespace lesson {

namespace {

// The stack of each thread of a run. glibc keeps the stacks of ended threads
// for reuse up to 40 MiB in all; at its default of 8 MiB a stack, a run of
// more than four threads overflows that, and each run maps and unmaps its
// stacks again: measured here, 8 threads took 0.75 ms to start and join at
// 8 MiB, 0.28 ms at 1 MiB, which is most of an explored run's cost. A
// lesson's steps need a few kilobytes.
constexpr std::size_t run_thread_stack_bytes = std::size_t{1} << 20;

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
  if (explore) {
    explore->choose = [this, choose = std::move(explore->choose), symmetry = explore->symmetry](
                          const std::vector<decision>& options, bool may_stall,
                          explored_state* state) {
      if (state != nullptr) {
        state_of_run(*state);
        state->settle(cast_.config.producers, symmetry);
      }
      return choose(options, may_stall, state);
    };
  }
  if (observed_) {
    std::unique_ptr<strategy> deciding;
    if (explore) {
      deciding = std::make_unique<explored_strategy>(std::move(*explore));
    } else {
      deciding = std::make_unique<script_strategy>(script_of(cast_),
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
  make_workers();
  ignored_by_race_detectors(stopping_);
}

void run_context::make_workers() {
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
}

outcome run_context::run(const std::function<void(worker&)>& body) {
  static const bool narrowing_ready = narrow_cache_filled();
  (void)narrowing_ready;
  recorder_.begin();
  std::vector<boost::thread> threads = start_threads(body);
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
  finish();
  return outcome_;
}

std::vector<boost::thread> run_context::start_threads(const std::function<void(worker&)>& body) {
  std::vector<boost::thread> threads;
  threads.reserve(workers_.size());
  try {
    const signals_kept_from_new_threads signals_elsewhere;
    boost::thread::attributes small_stack;
    small_stack.set_stack_size(run_thread_stack_bytes);
    for (const auto& w : workers_) {
      threads.emplace_back(small_stack, [this, &body, me = w.get()] { work(*me, body); });
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
  return threads;
}

void run_context::finish() {
  // Until the last worker ended, not until the watchdog next looked.
  auto ended = started_;
  for (const auto& w : workers_) {
    ended = std::max(ended, w->finished);
  }
  // Before the figures and the schedule are read: what the workers left to
  // book (a step the run's end found holding the lock, or inside wait()).
  recorder_.settle(workers_);
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
    std::string type = boost::core::demangle(typeid(e).name());
    if (const std::string wrapped = "boost::wrapexcept<"; type.rfind(wrapped, 0) == 0) {
      type = type.substr(wrapped.size(), type.size() - wrapped.size() - 1);  // Boost's wrapper
    }
    step_threw(me, type + ": " + e.what());
  } catch (...) {
    step_threw(me, "an exception that is not a std::exception");
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
  me.begin_step();
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

}  // namespace lesson
