#include "show/story.hpp"

#include <boost/format.hpp>

#include "show/reports.hpp"

namespace lesson {

namespace {

// A moment with its verdict only; the rest is filled in when known.
decisive_moment verdict(std::string words, std::uint64_t step = 0) {
  decisive_moment moment;
  moment.verdict = std::move(words);
  moment.verdict_step = step;
  return moment;
}

}  // namespace

story::story(const cast& who) : who_(who), threads_(who.names.size()) {}

void story::follow(const event& e) {
  thread& t = threads_.at(e.worker);
  buffer_size_ = e.size;
  switch (e.action) {
    case action::wait:
      t.woke_unserved = false;
      t.waiting_on = e.condition;
      t.items_at_wait = e.size;
      t.wait_step = e.step;
      t.closed_at_wait = closed_;
      break;
    case action::close:
      closed_ = true;
      break;
    case action::woke:
      t.last_woke = e;
      t.woke_unserved = true;
      t.waiting_on = nullptr;
      break;
    case action::put:
      t.woke_unserved = false;
      last_put_ = e;
      break;
    case action::take:
      t.woke_unserved = false;
      last_take_ = e;
      break;
    case action::violation:
      violation_ = e;
      break;
    default:
      break;
  }
}

decisive_moment story::told(outcome result, const std::string& report,
                            const std::vector<event>& recent) const {
  if (result == outcome::violation) {
    if (violation_) {
      return violated();
    }
    return verdict(report.substr(0, report.find('\n')));  // items lost, found at the end
  }
  if (result == outcome::deadlock) {
    if (report.rfind("SCRIPT STUCK", 0) == 0) {
      return verdict("SCRIPT STUCK: the script waits for a thread that cannot come");
    }
    return deadlocked(recent);
  }
  return {};
}

namespace {

// A thread woken by a notify broke the buffer: whose notify misled it (the
// wrong side's, or one whose item or space a rival took first), in words.
void blame_the_notify(decisive_moment& moment, violation_cause cause, const cast& who,
                      const event& v, const wakeup& woke, const std::optional<event>& rival_move) {
  const bool underflow = v.violation == violation_kind::underflow;
  const std::string& me = who.name(v.worker);
  moment.notify_step = woke.notify_step;
  const std::string& notifier = who.name(static_cast<unsigned>(woke.notifier));
  if (cause == violation_cause::wrong_side) {
    moment.because = notifier + "'s notify woke " + me + ", a " + to_string(who.role(v.worker)) +
                     ": it meant " + (underflow ? "space, not an item" : "an item, not space");
    moment.because_step = moment.notify_step;
  } else if (cause == violation_cause::stolen_wakeup) {
    moment.because = who.name(rival_move->worker) + " " + text_of(*rival_move, who) +
                     " first: " + me + "'s wakeup is stolen";
    moment.because_step = rival_move->step;
  } else {
    moment.because = notifier + "'s notify woke " + me + ", and `if` did not check again";
    moment.because_step = moment.notify_step;
  }
}

}  // namespace

decisive_moment story::violated() const {
  const event& v = *violation_;
  const thread& t = threads_.at(v.worker);
  const bool underflow = v.violation == violation_kind::underflow;
  const std::optional<event>& rival_move = underflow ? last_take_ : last_put_;
  const last_move rival =
      rival_move ? last_move{static_cast<int>(rival_move->worker), rival_move->step} : last_move{};
  const wakeup woke = t.last_woke ? t.last_woke->wakeup : wakeup{};
  const std::string& me = who_.name(v.worker);
  decisive_moment moment = verdict(
      (boost::format("VIOLATION at step %d: %s by %s") % v.step % to_string(v.violation) % me)
          .str(),
      v.step);
  const violation_cause cause = cause_of(who_, v, t.woke_unserved, woke, rival);
  if (v.violation == violation_kind::concurrent && v.chosen >= 0) {
    moment.because = who_.name(static_cast<unsigned>(v.chosen)) +
                     " was in the buffer: a put or take without the lock";
    moment.because_step = v.step;
    return moment;
  }
  if (cause == violation_cause::other_kind) {
    return moment;
  }
  if (cause == violation_cause::let_the_lock_go) {
    moment.because =
        me + " let the lock go between its check and its " + (underflow ? "take" : "put");
    moment.because_step = v.step;
    if (rival_move && rival_move->worker != v.worker) {
      moment.because = who_.name(rival_move->worker) + " " + text_of(*rival_move, who_) +
                       " first: " + me + " had let the lock go after its check";
      moment.because_step = rival_move->step;
    }
    return moment;
  }
  if (cause == violation_cause::did_not_wait) {
    moment.because = me + " had not waited: it did not check the buffer first";
    moment.because_step = v.step;
    return moment;
  }
  moment.woke_step = t.last_woke->step;
  if (cause == violation_cause::spurious_wakeup) {
    moment.because = me + " woke spuriously: nobody notified it, and `if` did not check again";
    moment.because_step = moment.woke_step;
    return moment;
  }
  blame_the_notify(moment, cause, who_, v, woke, rival_move);
  return moment;
}

decisive_moment story::deadlocked(const std::vector<event>& recent) const {
  decisive_moment moment = verdict("DEADLOCK: every thread waits, nothing moves");
  std::vector<sleeper> sleepers;
  for (unsigned id = 0; id < threads_.size(); ++id) {
    if (threads_[id].waiting_on != nullptr) {
      const bool closed = threads_[id].closed_at_wait && who_.role(id) == role::consumer;
      sleepers.push_back({id, threads_[id].waiting_on, threads_[id].items_at_wait, closed});
    }
  }
  const std::optional<lost_wakeup> lost = lost_wakeup_of(who_, buffer_size_, sleepers, recent);
  if (!lost) {
    moment.because = "no thread can go on: what the waiters wait for will never come";
    return moment;
  }
  const std::string& me = who_.name(lost->asleep->worker);
  if (lost->cause == lost_cause::closed_before_wait) {
    moment.because = me +
                     " began to wait after done was set: the close came between its check and "
                     "its wait, and its notify_all found nobody";
    moment.because_step = threads_[lost->asleep->worker].wait_step;
    return moment;
  }
  if (lost->cause == lost_cause::waited_without_looking) {
    moment.because = me +
                     " waits without having looked: what it waits for came, and was "
                     "announced, before it waited";
    moment.because_step = threads_[lost->asleep->worker].wait_step;
    return moment;
  }
  return missed(*lost, could_go_on(who_, buffer_size_, sleepers));
}

decisive_moment story::missed(const lost_wakeup& lost, const std::vector<unsigned>& can) const {
  decisive_moment moment = verdict("DEADLOCK: every thread waits, nothing moves");
  std::string could;
  for (const unsigned id : can) {
    could += (could.empty() ? "" : ", ") + who_.name(id);
  }
  could +=
      can.size() == 1 ? " could go on, but is never woken" : " could go on, but are never woken";
  if (lost.cause == lost_cause::unexplained) {
    moment.because = could;
    return moment;
  }
  const announcement& a = lost.since[lost.culprit];
  const std::string& mover = who_.name(a.change->worker);
  const char* move = a.change->action == action::put    ? "put"
                     : a.change->action == action::take ? "take"
                                                        : "close";
  moment.because_step = a.change->step;
  if (lost.cause == lost_cause::notified_nobody) {
    moment.because = mover + "'s " + move + " notified nobody: " + could;
    return moment;
  }
  moment.because_step = a.notify->step;
  if (lost.cause == lost_cause::other_condition) {
    moment.because = mover + "'s " + move + " notified " + a.notify->condition + ", not " +
                     lost.asleep->condition + ": " + could;
    return moment;
  }
  moment.notify_step = a.notify->step;
  moment.woke_step = a.woken->step;
  moment.because = mover + "'s notify_one woke " + who_.name(a.woken->worker) + ", a " +
                   to_string(who_.role(a.woken->worker)) + ": " + could;
  return moment;
}

}  // namespace lesson
