// What the lesson's buffer and conditions report to their run, under the
// lesson's lock, and the observed lock's asks and grants (members of
// run_context, run.hpp).
#include <algorithm>

#include "engine/run.hpp"

namespace lesson {

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

void run_context::state_of_run(explored_state& whole) const {
  whole.shared.push_back(takes_left_);
  for (const auto& w : workers_) {
    std::vector<std::uint64_t>& state = whole.of_thread.at(w->id);
    state.push_back(w->puts_left);
    state.push_back((w->has_take ? 1U : 0U) | (w->claims_at_unlock ? 2U : 0U) |
                    (w->woke_unserved ? 4U : 0U) | (w->inside_wait ? 8U : 0U) |
                    (w->inside_buffer ? 16U : 0U) | (w->closing ? 32U : 0U) |
                    (std::uint64_t{std::min(w->asks_in_step, 2U)} << 32U));
    // Its place in the lesson's code: the wait() it is in, by file and line;
    // else the step's latest point, and whether it asked for the lock before
    // in this step (above): each time round a busy-wait it is at the same place.
    const std::source_location& place = w->inside_wait ? w->wait_site : w->step_site;
    state.push_back(reinterpret_cast<std::uintptr_t>(place.file_name()));
    state.push_back(place.line());
  }
  whole.items = buffer_->contents();
  for (const auto& read : field_readers_) {
    read(whole.shared);
  }
}

}  // namespace lesson
