#include "engine/script.hpp"

#include <algorithm>

namespace lesson {

using phase = seating::phase;

script_strategy::script_strategy(std::vector<decision> script, bool as_far_as_possible)
    : script_(std::move(script)), lenient_(as_far_as_possible) {}

bool script_strategy::take(decision::kind kind, bool& ended) {
  if (cursor_ >= script_.size() || script_[cursor_].what != kind) {
    return false;
  }
  ++cursor_;
  ended = cursor_ == script_.size();
  return true;
}

bool script_strategy::cannot_take(seating& run, const decision& wanted, std::string why) {
  const schedule_trouble trouble{schedule_trouble::kind::stuck, cursor_ + 1, wanted,
                                 std::move(why)};
  if (!lenient_) {
    if (!run.trouble) {
      run.trouble = trouble;
    }
    return false;
  }
  left_script_ = trouble;
  cursor_ = script_.size();  // the rest of the script is left with it
  leaving_unmarked_ = true;
  return true;
}

bool script_strategy::first_default_after_leaving() {
  const bool first = leaving_unmarked_;
  leaving_unmarked_ = false;
  return first;
}

void script_strategy::decide(seating& run) {
  if (decide_spurious(run)) {
    return;
  }
  // Who may move: with the lock free, its askers; with its holder at a
  // point, the holder; and whoever waits at a point without it.
  std::optional<unsigned> longest;
  std::optional<unsigned> longest_paused;
  bool anyone_waits = false;
  for (unsigned id = 0; id < run.seats.size(); ++id) {
    const seating::seat& s = run.seats[id];
    anyone_waits = anyone_waits || s.now == phase::waiting;
    if (s.paused && (!longest_paused || s.since < run.seats[*longest_paused].since)) {
      longest_paused = id;
    }
    if (s.now == phase::asking && (!longest || s.since < run.seats[*longest].since)) {
      longest = id;
    }
  }
  if (!run.holder && !longest && !longest_paused) {
    if (anyone_waits) {
      run.deadlock();
    }
    return;
  }
  if (decide_lock(run)) {
    return;
  }
  decide_by_default(run, longest_paused, longest);
}

void script_strategy::decide_by_default(seating& run, std::optional<unsigned> longest_paused,
                                        std::optional<unsigned> longest_asking) {
  const bool ended = first_default_after_leaving();
  if (run.holder) {
    run.let_move(*run.holder, false, ended);
  } else if (longest_paused) {
    run.let_move(*longest_paused, false, ended);
  } else {
    run.give_lock(*longest_asking, false, ended);
  }
}

bool script_strategy::decide_spurious(seating& run) {
  if (cursor_ >= script_.size() || script_[cursor_].what != decision::kind::spurious) {
    return false;
  }
  const decision next = script_[cursor_];
  if (!run.waits_unwoken(next.worker)) {
    return !cannot_take(run, next, run.whereabouts(next.worker) + ": it is not waiting");
  }
  bool ended = false;
  take(decision::kind::spurious, ended);
  run.taken.push_back(next);
  run.wake(next.worker, true);
  run.seats[next.worker].spurious_ended_script = ended;
  return true;
}

bool script_strategy::decide_lock(seating& run) {
  if (cursor_ >= script_.size() || script_[cursor_].what != decision::kind::lock) {
    return false;
  }
  const decision next = script_[cursor_];
  const seating::seat& named = run.seats[next.worker];
  if (named.paused || (!run.holder && named.now == phase::asking)) {
    bool ended = false;
    take(decision::kind::lock, ended);
    if (named.paused) {
      run.let_move(next.worker, true, ended);
    } else {
      run.give_lock(next.worker, true, ended);
    }
    return true;
  }
  return !cannot_take(
      run, next,
      run.whereabouts(next.worker) +
          (run.holder ? ": it cannot move while " + run.names[*run.holder] + " holds the lock"
                      : ": it cannot take the lock"));
}

notify_result script_strategy::notify(seating& run, const char* condition, bool all,
                                      const std::vector<unsigned>& waiters) {
  notify_result result;
  bool named = cursor_ < script_.size() && script_[cursor_].what == decision::kind::wake;
  if (named) {
    const decision wanted = script_[cursor_];
    // A notify_all wakes every waiter: wake=T says that T is one of them, or
    // that T is already on its way back from this condition.
    const seating::seat& named_seat = run.seats[wanted.worker];
    const bool on_its_way = all && named_seat.on_its_way && named_seat.condition == condition;
    if (!on_its_way && std::find(waiters.begin(), waiters.end(), wanted.worker) == waiters.end()) {
      const bool waits_elsewhere = run.waits_unwoken(wanted.worker);
      if (!cannot_take(run, wanted,
                       run.whereabouts(wanted.worker) +
                           (waits_elsewhere ? ", not on " : ": it is not waiting on ") +
                           condition)) {
        return result;  // stuck: nobody is woken
      }
      named = false;
    } else {
      take(decision::kind::wake, result.script_done);
      run.taken.push_back(wanted);
      result.scripted = true;
    }
  }
  if (!named && first_default_after_leaving()) {
    result.script_done = true;
  }
  // Whom it wakes: every waiter, the one the script named, or the default.
  if (all) {
    result.woken = waiters;
  } else if (named) {
    result.woken.push_back(run.taken.back().worker);
  } else if (!waiters.empty()) {
    result.woken.push_back(waiters.front());
    run.taken.push_back({decision::kind::wake, waiters.front(), false});
  }
  return result;
}

std::optional<std::size_t> script_strategy::first_untaken() const {
  if (cursor_ >= script_.size() || lenient_) {
    return std::nullopt;
  }
  return cursor_ + 1;
}

std::optional<schedule_trouble> script_strategy::left_script() const {
  if (left_script_ || !lenient_ || cursor_ >= script_.size()) {
    return left_script_;
  }
  return schedule_trouble{schedule_trouble::kind::stuck, cursor_ + 1, script_[cursor_],
                          "the run ended before it"};
}

}  // namespace lesson
