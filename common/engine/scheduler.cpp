#include "engine/scheduler.hpp"

#include <algorithm>
#include <boost/thread/thread.hpp>

namespace lesson {

scheduler::scheduler(const std::vector<std::string>& names, std::vector<decision> script,
                     std::function<void(const schedule_trouble&)> on_trouble,
                     std::function<void()> wake_later, std::optional<exploring> explore)
    : names_(names),
      script_(std::move(script)),
      on_trouble_(std::move(on_trouble)),
      wake_later_(std::move(wake_later)),
      seats_(names.size()),
      explore_(std::move(explore)),
      spurious_left_(explore_ ? explore_->spurious : 0) {
  for (seat& s : seats_) {
    s.room = std::make_unique<boost::condition_variable_any>();
  }
}

void scheduler::act_on_decisions(boost::unique_lock<boost::mutex>& lock, const worker* me) {
  std::optional<schedule_trouble> found;
  if (trouble_ && !trouble_reported_) {
    trouble_reported_ = true;
    found = trouble_;
  }
  std::vector<unsigned> rooms;
  rooms.swap(to_wake_);
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
    seats_[id].room->notify_one();
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
    seats_[id].room->notify_one();
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
  seat& mine = seats_[me.id];
  while (mine.now == phase::unstarted && !stopping_) {
    mine.turn.wait(lock);
  }
}

scheduler::grant scheduler::acquire(const worker& me) {
  // Not an interruption point either (see begin): condition_variable_any takes
  // the lock back here while an interruption unwinds.
  const boost::this_thread::disable_interruption keep_going;
  boost::unique_lock<boost::mutex> lock(mutex_);
  seat& mine = seats_[me.id];
  if (stopping_) {
    return {};
  }
  if (mine.now == phase::waiting) {
    mine.unasked = true;  // its room woke with no notify: it passes through the lock, unseen
    return {};
  }
  mine.now = phase::asking;
  --running_;
  decide();
  act_on_decisions(lock, &me);
  while (holder_ != me.id && !stopping_) {
    mine.turn.wait(lock);
  }
  if (holder_ != me.id) {
    return {};
  }
  mine.now = phase::holding;
  mine.on_its_way = false;
  return {true, mine.granted_by_script, mine.grant_ended_script};
}

void scheduler::release(const worker& me) {
  boost::unique_lock<boost::mutex> lock(mutex_);
  seat& mine = seats_[me.id];
  if (mine.unasked) {
    mine.unasked = false;
    return;
  }
  if (holder_ != me.id) {
    return;  // the run is stopping: the scheduler no longer hands the lock on
  }
  holder_.reset();
  if (mine.now == phase::waiting) {
    --running_;  // inside wait(): it sleeps in its room now
  } else {
    mine.now = phase::running;
    mine.since = ++clock_;
  }
  decide();
  act_on_decisions(lock, &me);
}

bool scheduler::at_point(const worker& me, point_kind kind, const std::source_location& site) {
  // Not an interruption point, as acquire.
  const boost::this_thread::disable_interruption keep_going;
  boost::unique_lock<boost::mutex> lock(mutex_);
  seat& mine = seats_[me.id];
  if (holder_ == me.id) {
    // Whether another thread waits at a point must not depend on how fast it
    // got there: the holder lets every thread that can move stop first.
    while (running_ > 1 && !stopping_) {
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
  mine.since = ++clock_;
  mine.grant_ended_script = false;
  --running_;
  decide();
  act_on_decisions(lock, &me);
  while (mine.paused && !stopping_) {
    mine.turn.wait(lock);
  }
  return mine.grant_ended_script;
}

bool scheduler::holds(const worker& me) const {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  return holder_ == me.id;
}

bool scheduler::unguarded_waits(point_kind kind) const {
  for (unsigned id = 0; id < seats_.size(); ++id) {
    if (seats_[id].paused && holder_ != id && seats_[id].point_of == kind) {
      return true;
    }
  }
  return false;
}

void scheduler::will_wait(const worker& me, const char* condition) {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  seat& mine = seats_[me.id];
  mine.now = phase::waiting;
  mine.condition = condition;
  mine.woken = false;
  mine.spurious = false;
  mine.since = ++clock_;
}

bool scheduler::woken(const worker& me) {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  return seats_[me.id].woken || stopping_;
}

scheduler::spurious_wakeup scheduler::woke_spuriously(const worker& me) {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  const seat& mine = seats_[me.id];
  return {mine.spurious, mine.spurious_ended_script};
}

scheduler::wakeups scheduler::notify(const worker& notifier, const char* condition, bool all) {
  boost::unique_lock<boost::mutex> lock(mutex_);
  wakeups result;
  if (stopping_) {
    return result;
  }
  std::vector<unsigned> waiters;
  for (unsigned id = 0; id < seats_.size(); ++id) {
    const seat& s = seats_[id];
    if (s.now == phase::waiting && !s.woken && s.condition == condition) {
      waiters.push_back(id);
    }
  }
  // The one that has waited longest first.
  std::sort(waiters.begin(), waiters.end(),
            [this](unsigned a, unsigned b) { return seats_[a].since < seats_[b].since; });
  bool named = cursor_ < script_.size() && script_[cursor_].what == decision::kind::wake;
  if (named) {
    const decision& wanted = script_[cursor_];
    // A notify_all wakes every waiter: wake=T says that T is one of them, or
    // that T is already on its way back from this condition.
    const seat& named_seat = seats_[wanted.worker];
    const bool on_its_way = all && named_seat.on_its_way && named_seat.condition == condition;
    if (!on_its_way && std::find(waiters.begin(), waiters.end(), wanted.worker) == waiters.end()) {
      const bool waits_elsewhere = named_seat.now == phase::waiting && !named_seat.woken;
      if (!cannot_take(wanted, whereabouts(wanted.worker) +
                                   (waits_elsewhere ? ", not on " : ": it is not waiting on ") +
                                   condition)) {
        act_on_decisions(lock, &notifier);
        return result;
      }
      named = false;
    } else {
      result.scripted = true;
      result.script_done = take_script_decision(decision::kind::wake);
    }
  }
  if (!named && first_default_after_leaving()) {
    result.script_done = true;
  }
  // Whom it wakes: every waiter, the one the script named or the search
  // chose, or the default.
  if (all) {
    result.woken = waiters;
  } else if (explore_ && !waiters.empty()) {
    std::vector<decision> options;
    for (const unsigned id : waiters) {
      options.push_back({decision::kind::wake, id, false});
    }
    const std::size_t chosen = explore_->choose(options, false, nullptr).value_or(0);
    result.woken.push_back(options.at(chosen).worker);
    taken_.push_back(options.at(chosen));
  } else if (named) {
    result.woken.push_back(taken_.back().worker);
  } else if (!waiters.empty()) {
    result.woken.push_back(waiters.front());
    taken_.push_back({decision::kind::wake, waiters.front(), false});
  }
  for (const unsigned id : result.woken) {
    wake(id, false);
  }
  act_on_decisions(lock, &notifier);
  return result;
}

void scheduler::finished(const worker& me) {
  boost::unique_lock<boost::mutex> lock(mutex_);
  seat& mine = seats_[me.id];
  // Only a thread that could move is counted in running_: one that leaves a
  // wait, the lock queue or a point because the run stops was not.
  const bool counted = !mine.paused && (mine.now == phase::running || mine.now == phase::holding);
  mine.now = phase::done;
  mine.paused = false;
  if (counted) {
    --running_;
  }
  decide();
  act_on_decisions(lock, &me);
}

void scheduler::stop() {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  stopping_ = true;
  settled_.notify_all();
  for (seat& s : seats_) {
    s.turn.notify_all();
  }
}

std::vector<decision> scheduler::taken() const {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  return taken_;
}

std::optional<std::size_t> scheduler::first_untaken() const {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  if (cursor_ >= script_.size() || lenient_) {
    return std::nullopt;
  }
  return cursor_ + 1;
}

std::optional<schedule_trouble> scheduler::left_script() const {
  const boost::lock_guard<boost::mutex> lock(mutex_);
  if (left_script_ || !lenient_ || cursor_ >= script_.size()) {
    return left_script_;
  }
  return schedule_trouble{schedule_trouble::kind::stuck, cursor_ + 1, script_[cursor_],
                          "the run ended before it"};
}

bool scheduler::take_script_decision(decision::kind kind) {
  if (cursor_ >= script_.size() || script_[cursor_].what != kind) {
    return false;
  }
  taken_.push_back(script_[cursor_]);
  ++cursor_;
  return cursor_ == script_.size();
}

void scheduler::give_lock(unsigned id, bool scripted) {
  seat& s = seats_[id];
  bool ended = false;
  if (scripted) {
    ended = take_script_decision(decision::kind::lock);
  } else {
    taken_.push_back({decision::kind::lock, id, false});
    ended = first_default_after_leaving();
  }
  s.granted_by_script = scripted;
  s.grant_ended_script = ended;
  holder_ = id;
  ++running_;
  s.turn.notify_one();
}

void scheduler::let_move(unsigned id, bool scripted) {
  seat& s = seats_[id];
  if (scripted) {
    s.grant_ended_script = take_script_decision(decision::kind::lock);
  } else {
    taken_.push_back({decision::kind::lock, id, false});
    s.grant_ended_script = first_default_after_leaving();
  }
  s.paused = false;
  ++running_;
  s.turn.notify_one();
}

void scheduler::wake(unsigned id, bool spurious) {
  seat& s = seats_[id];
  s.woken = true;
  s.on_its_way = true;
  s.spurious = spurious;
  s.now = phase::running;  // on its way back to the lock
  s.since = ++clock_;
  ++running_;
  to_wake_.push_back(id);
}

void scheduler::stuck(const decision& wanted, std::string why) {
  if (!trouble_) {
    trouble_ = schedule_trouble{schedule_trouble::kind::stuck, cursor_ + 1, wanted, std::move(why)};
  }
}

bool scheduler::cannot_take(const decision& wanted, std::string why) {
  if (!lenient_) {
    stuck(wanted, std::move(why));
    return false;
  }
  left_script_ =
      schedule_trouble{schedule_trouble::kind::stuck, cursor_ + 1, wanted, std::move(why)};
  cursor_ = script_.size();  // the rest of the script is left with it
  leaving_unmarked_ = true;
  return true;
}

bool scheduler::first_default_after_leaving() {
  const bool first = leaving_unmarked_;
  leaving_unmarked_ = false;
  return first;
}

std::string scheduler::whereabouts(unsigned id) const {
  const seat& s = seats_[id];
  const std::string& name = names_[id];
  if (s.paused) {
    return name + " waits for its turn at line " + std::to_string(s.point.line());
  }
  switch (s.now) {
    case phase::waiting:
      return name + (s.woken ? " is already woken from " : " waits on ") + s.condition;
    case phase::done:
      return name + " has finished";
    case phase::asking:
      return name + " asks for the lock";
    case phase::holding:
      return name + " holds the lock";
    case phase::running:
    case phase::unstarted:
      break;
  }
  return name + " is running";
}

void scheduler::decide() {
  if (running_ <= 1) {
    settled_.notify_all();
  }
  if (stopping_ || trouble_ || running_ > 0 || (holder_ && !seats_[*holder_].paused)) {
    return;
  }
  if (next_to_start_ < seats_.size()) {
    seat& next = seats_[next_to_start_++];
    next.now = phase::running;
    next.since = ++clock_;
    ++running_;
    next.turn.notify_one();
    return;
  }
  if (explore_) {
    decide_explored();
    return;
  }
  if (decide_spurious_by_script()) {
    return;
  }
  // Who may move: with the lock free, its askers; with its holder at a
  // point, the holder; and whoever waits at a point without it. By default
  // nobody is cut short: the holder goes on, then a thread at a point, then
  // the one that has asked for the lock longest.
  std::optional<unsigned> longest;
  std::optional<unsigned> longest_paused;
  bool anyone_waits = false;
  for (unsigned id = 0; id < seats_.size(); ++id) {
    const seat& s = seats_[id];
    anyone_waits = anyone_waits || s.now == phase::waiting;
    if (s.paused && (!longest_paused || s.since < seats_[*longest_paused].since)) {
      longest_paused = id;
    }
    if (s.now == phase::asking && (!longest || s.since < seats_[*longest].since)) {
      longest = id;
    }
  }
  if (!holder_ && !longest && !longest_paused) {
    if (anyone_waits) {
      trouble_ = schedule_trouble{};  // every live thread waits, and none was woken
    }
    return;
  }
  if (decide_lock_by_script()) {
    return;
  }
  if (holder_) {
    let_move(*holder_, false);
    return;
  }
  if (longest_paused) {
    let_move(*longest_paused, false);
    return;
  }
  give_lock(*longest, false);
}

bool scheduler::decide_spurious_by_script() {
  if (cursor_ >= script_.size() || script_[cursor_].what != decision::kind::spurious) {
    return false;
  }
  const decision& next = script_[cursor_];
  const seat& s = seats_[next.worker];
  if (s.now != phase::waiting || s.woken) {
    return !cannot_take(next, whereabouts(next.worker) + ": it is not waiting");
  }
  const unsigned id = next.worker;
  const bool ended = take_script_decision(decision::kind::spurious);
  wake(id, true);
  seats_[id].spurious_ended_script = ended;
  return true;
}

bool scheduler::decide_lock_by_script() {
  if (cursor_ >= script_.size() || script_[cursor_].what != decision::kind::lock) {
    return false;
  }
  const decision& next = script_[cursor_];
  const seat& named = seats_[next.worker];
  if (named.paused) {
    let_move(next.worker, true);
    return true;
  }
  if (!holder_ && named.now == phase::asking) {
    give_lock(next.worker, true);
    return true;
  }
  return !cannot_take(
      next, whereabouts(next.worker) +
                (holder_ ? ": it cannot move while " + names_[*holder_] + " holds the lock"
                         : ": it cannot take the lock"));
}

void scheduler::decide_explored() {
  std::vector<decision> options;
  bool anyone_waits = false;
  for (unsigned id = 0; id < seats_.size(); ++id) {
    const seat& s = seats_[id];
    if (holder_ ? s.paused : s.now == phase::asking || s.paused) {
      options.push_back({decision::kind::lock, id, false});
    }
  }
  const bool may_stall = options.empty();
  for (unsigned id = 0; id < seats_.size(); ++id) {
    const seat& s = seats_[id];
    if (s.now == phase::waiting && !s.woken) {
      anyone_waits = true;
      if (spurious_left_ > 0) {
        options.push_back({decision::kind::spurious, id, false});
      }
    }
  }
  if (options.empty()) {
    if (anyone_waits) {
      trouble_ = schedule_trouble{};
    }
    return;
  }
  std::vector<std::uint64_t> state;
  state_of_seats(state);
  const std::optional<std::size_t> chosen =
      explore_->choose(options, may_stall && anyone_waits, &state);
  if (!chosen) {
    trouble_ = schedule_trouble{};
    trouble_->what = schedule_trouble::kind::explored;
    return;
  }
  if (*chosen >= options.size()) {
    trouble_ = schedule_trouble{};  // every waiter sleeps on
    return;
  }
  const decision d = options[*chosen];
  if (d.what == decision::kind::lock) {
    if (seats_[d.worker].paused) {
      let_move(d.worker, false);
    } else {
      give_lock(d.worker, false);
    }
    return;
  }
  --spurious_left_;
  taken_.push_back(d);
  wake(d.worker, true);
}

// What the scheduler knows of each thread where none can move by itself;
// the order of asking and waiting is left out: it only makes the defaults,
// and an explored run has none.
void scheduler::state_of_seats(std::vector<std::uint64_t>& state) const {
  state.push_back(spurious_left_);
  for (const seat& s : seats_) {
    state.push_back(static_cast<std::uint64_t>(s.now) | (s.woken ? 0x10U : 0U) |
                    (s.on_its_way ? 0x20U : 0U) | (s.spurious ? 0x40U : 0U) |
                    (s.paused ? 0x80U : 0U) |
                    (s.paused && s.point_of == point_kind::signal ? 0x100U : 0U));
    // The point it waits at: the lesson's line and column, the file known
    // by its name, a string that lives as long as the program.
    state.push_back(s.paused ? reinterpret_cast<std::uintptr_t>(s.point.file_name()) : 0);
    state.push_back(s.paused ? (std::uint64_t{s.point.line()} << 32U) | s.point.column() : 0);
    // The condition it waits on or comes back from, known by its name, a
    // string that lives as long as the program.
    const bool on_a_condition = s.now == phase::waiting || s.on_its_way;
    state.push_back(on_a_condition ? reinterpret_cast<std::uintptr_t>(s.condition) : 0);
  }
}

}  // namespace lesson
