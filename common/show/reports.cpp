#include "show/reports.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <csignal>
#include <sstream>
#include <string_view>

namespace lesson {

namespace {

constexpr std::size_t recent_events_shown = 10;

}  // namespace

const char* finished_side(const cast& who, const std::vector<sleeper>& sleepers) {
  const auto waits = [&](role side) {
    return std::any_of(sleepers.begin(), sleepers.end(),
                       [&](const sleeper& s) { return who.role(s.worker) == side; });
  };
  if (!sleepers.empty() && !waits(role::consumer)) {
    return who.config.quota == consumer_quota::half_the_items
               ? "the consumers took their quota and stopped (the recipe's consumer takes half "
                 "the items):\n  nobody will make space again. The numbers stopped this run, "
                 "not a notify."
               : "every consumer has finished: nobody will make space again.";
  }
  if (!sleepers.empty() && !waits(role::producer)) {
    return "every producer has finished: no item will come again.";
  }
  return nullptr;
}

const char* stall_kind(const cast& who, std::size_t buffer_size,
                       const std::vector<sleeper>& sleepers) {
  if (!could_go_on(who, buffer_size, sleepers).empty()) {
    return stall_kinds::lost_wakeup;
  }
  return finished_side(who, sleepers) != nullptr ? stall_kinds::other_side_finished
                                                 : stall_kinds::nothing_to_wait_for;
}

violation_cause cause_of(const cast& who, const event& violation, bool woke_unserved,
                         const wakeup& last_wakeup, last_move rival) {
  const bool underflow = violation.violation == violation_kind::underflow;
  if (!underflow && violation.violation != violation_kind::overflow) {
    return violation_cause::other_kind;
  }
  if (violation.unlocked) {
    return violation_cause::let_the_lock_go;
  }
  if (!woke_unserved) {
    return violation_cause::did_not_wait;
  }
  if (last_wakeup.spurious()) {
    return violation_cause::spurious_wakeup;
  }
  const bool announced_space =
      who.role(static_cast<unsigned>(last_wakeup.notifier)) == role::consumer;
  if (announced_space == underflow) {
    return violation_cause::wrong_side;
  }
  if (rival.worker >= 0 && rival.worker != static_cast<int>(violation.worker) &&
      rival.step > last_wakeup.notify_step) {
    return violation_cause::stolen_wakeup;
  }
  return violation_cause::unexplained;
}

namespace {

// Where in the lesson's source the violation was made, and the check that
// should have caught it: "  The take: 02_if_wait_bug.cpp:33; its check:
// 02_if_wait_bug.cpp:28.", or nothing for an event with no line.
std::string source_lines(const event& violation, const char* move) {
  if (violation.line == 0) {
    return "";
  }
  const std::string file = file_name_of(violation.file);
  std::string text =
      std::string("  The ") + move + ": " + file + ':' + std::to_string(violation.line);
  if (violation.checked_line != 0) {
    text += "; its check: " + file + ':' + std::to_string(violation.checked_line);
  }
  return text + ".\n";
}

}  // namespace

std::string violation_report(const cast& who, const event& violation, bool woke_unserved,
                             const wakeup& last_wakeup, last_move rival) {
  std::ostringstream report;
  const std::string& me = who.name(violation.worker);
  const violation_kind kind = violation.violation;
  const std::string drawn = draw_buffer(violation.size, who.config.capacity);
  const bool underflow = kind == violation_kind::underflow;
  const violation_cause cause = cause_of(who, violation, woke_unserved, last_wakeup, rival);
  if (kind == violation_kind::concurrent && violation.chosen >= 0) {
    report << "VIOLATION at step " << violation.step << ": " << me << " came into the buffer while "
           << who.name(static_cast<unsigned>(violation.chosen)) << " was in it (" << to_string(kind)
           << ")  " << drawn << '\n'
           << source_lines(violation, "put or take")
           << "  Only the lock keeps a second thread out, and a put or take made after the\n"
           << "  lock was let go is kept out of nothing: a data race, which ThreadSanitizer\n"
           << "  and helgrind report too. Hold the lock from the check to the put or take.";
    return report.str();
  }
  if (cause == violation_cause::other_kind) {
    report << "VIOLATION at step " << violation.step << ": " << me << ": " << to_string(kind)
           << "  " << drawn << '\n';
    return report.str();
  }
  report << "VIOLATION at step " << violation.step << ": " << me
         << (underflow ? " took from an empty buffer" : " put into a full buffer") << " ("
         << to_string(kind) << ")  " << drawn << '\n'
         << source_lines(violation, underflow ? "take" : "put");
  if (cause == violation_cause::did_not_wait) {
    report << "  " << me << " had not waited: it did not check the buffer before.";
    return report.str();
  }
  if (cause == violation_cause::let_the_lock_go) {
    report << "  " << me << " checked the buffer under the lock, then let the lock go before it "
           << (underflow ? "took" : "put");
    if (rival.worker >= 0 && rival.worker != static_cast<int>(violation.worker)) {
      report << ":\n  " << who.name(static_cast<unsigned>(rival.worker))
             << (underflow ? " took the item" : " filled the slot") << " meanwhile (step "
             << rival.step << ")";
    }
    report << ".\n  What a check finds holds only while the lock is held: keep it to the "
           << (underflow ? "take." : "put.");
    return report.str();
  }
  report << "  " << me << " had just returned from wait() on " << last_wakeup.condition;
  if (cause == violation_cause::spurious_wakeup) {
    report << ", though nobody had notified since it began to wait: a spurious wakeup.\n";
  } else {
    const auto notifier = static_cast<unsigned>(last_wakeup.notifier);
    report << " after " << who.name(notifier) << "'s notify (step " << last_wakeup.notify_step
           << ").\n";
    if (cause == violation_cause::wrong_side) {
      report << "  That notify announced "
             << (underflow ? "space, not an item" : "an item, not space")
             << ":\n  one condition serves both sides, so a " << to_string(who.role(notifier))
             << "'s notify woke a " << to_string(who.role(violation.worker)) << ".\n";
    } else if (cause == violation_cause::stolen_wakeup) {
      report << "  Stolen wakeup: that notify announced " << (underflow ? "an item" : "space")
             << ", but " << who.name(static_cast<unsigned>(rival.worker))
             << (underflow ? " took it" : " filled it") << " first (step " << rival.step << ").\n";
    }
  }
  report << "  With `if`, " << me << " did not check the buffer again.\n"
         << "  Mesa semantics: a notify is a hint, not a hand-off; the woken thread must check "
            "again, in a `while` loop (lesson 03).";
  return report.str();
}

const sleeper* waited_without_looking(const cast& who, const std::vector<sleeper>& sleepers) {
  const auto unlooking = std::find_if(sleepers.begin(), sleepers.end(), [&](const sleeper& s) {
    const bool producer = who.role(s.worker) == role::producer;
    return s.items_when_it_began &&
           (producer ? *s.items_when_it_began < who.config.capacity : *s.items_when_it_began > 0);
  });
  return unlooking == sleepers.end() ? nullptr : &*unlooking;
}

const sleeper* waited_after_the_close(const std::vector<sleeper>& sleepers) {
  const auto late = std::find_if(sleepers.begin(), sleepers.end(),
                                 [](const sleeper& s) { return s.closed_when_it_began; });
  return late == sleepers.end() ? nullptr : &*late;
}

std::vector<unsigned> could_go_on(const cast& who, std::size_t buffer_size,
                                  const std::vector<sleeper>& sleepers) {
  std::vector<unsigned> can;
  for (const sleeper& s : sleepers) {
    const bool producer = who.role(s.worker) == role::producer;
    if (s.closed_when_it_began ||
        (producer ? buffer_size < who.config.capacity : buffer_size > 0)) {
      can.push_back(s.worker);
    }
  }
  return can;
}

namespace {

bool same_condition(const char* a, const char* b) {
  return std::string_view(a) == std::string_view(b);
}

// A move that ends a thread's turn of notifying after a put, take or close.
bool moves(action a) {
  return a == action::put || a == action::take || a == action::wait || a == action::close ||
         a == action::done;
}

// Whether `e` brings what a sleeper of `side` waits for.
bool brings(const event& e, role side) {
  return side == role::consumer ? e.action == action::put || e.action == action::close
                                : e.action == action::take;
}

// The index in `recent` after the last wait of `worker`: 0 when it began to
// wait before the events kept, all of which then came after.
std::size_t after_its_wait(const std::vector<event>& recent, unsigned worker) {
  for (std::size_t i = recent.size(); i > 0; --i) {
    if (recent[i - 1].worker == worker && recent[i - 1].action == action::wait) {
      return i;
    }
  }
  return 0;
}

// The notify that followed recent[at], whom it woke, and what that one did.
announcement announced(const std::vector<event>& recent, std::size_t at, const char* condition) {
  announcement a;
  a.change = &recent[at];
  std::size_t i = at + 1;
  for (; i < recent.size(); ++i) {
    const event& e = recent[i];
    if (e.worker != a.change->worker) {
      continue;
    }
    if (e.action == action::notify_one || e.action == action::notify_all) {
      a.notify = a.notify == nullptr || same_condition(e.condition, condition) ? &e : a.notify;
    } else if (moves(e.action)) {
      break;
    }
  }
  if (a.notify == nullptr) {
    return a;
  }
  const auto woke = std::find_if(recent.begin(), recent.end(), [&](const event& e) {
    return e.action == action::woke && e.wakeup.notify_step == a.notify->step;
  });
  if (woke == recent.end()) {
    return a;
  }
  a.woken = &*woke;
  const auto then = std::find_if(woke + 1, recent.end(), [&](const event& e) {
    return e.worker == woke->worker &&
           (e.action == action::put || e.action == action::take || e.action == action::wait);
  });
  a.then = then == recent.end() ? nullptr : &*then;
  return a;
}

// How `a` failed to reach the side of `s`, or nothing when it reached it.
std::optional<lost_cause> missed(const cast& who, const announcement& a, const sleeper& s) {
  if (a.notify == nullptr) {
    return lost_cause::notified_nobody;
  }
  if (!same_condition(a.notify->condition, s.condition)) {
    return lost_cause::other_condition;
  }
  if (a.woken != nullptr && who.role(a.woken->worker) != who.role(s.worker)) {
    return lost_cause::woke_other_side;
  }
  return std::nullopt;
}

// What came after `s` began to wait, and the first of it that missed its side.
lost_wakeup followed(const cast& who, const sleeper& s, const std::vector<event>& recent) {
  lost_wakeup told;
  told.asleep = &s;
  for (std::size_t i = after_its_wait(recent, s.worker); i < recent.size(); ++i) {
    if (!brings(recent[i], who.role(s.worker))) {
      continue;
    }
    told.since.push_back(announced(recent, i, s.condition));
    const std::optional<lost_cause> cause = missed(who, told.since.back(), s);
    if (cause && told.cause == lost_cause::unexplained) {
      told.cause = *cause;
      told.culprit = told.since.size() - 1;
    }
  }
  return told;
}

}  // namespace

std::optional<lost_wakeup> lost_wakeup_of(const cast& who, std::size_t buffer_size,
                                          const std::vector<sleeper>& sleepers,
                                          const std::vector<event>& recent) {
  if (const sleeper* late = waited_after_the_close(sleepers)) {
    return lost_wakeup{lost_cause::closed_before_wait, late, {}, 0};
  }
  if (const sleeper* unlooking = waited_without_looking(who, sleepers)) {
    return lost_wakeup{lost_cause::waited_without_looking, unlooking, {}, 0};
  }
  std::optional<lost_wakeup> first;
  for (const unsigned id : could_go_on(who, buffer_size, sleepers)) {
    const auto s = std::find_if(sleepers.begin(), sleepers.end(),
                                [&](const sleeper& one) { return one.worker == id; });
    lost_wakeup told = followed(who, *s, recent);
    if (told.cause != lost_cause::unexplained) {
      return told;
    }
    if (!first) {
      first = told;
    }
  }
  return first;
}

namespace {

// "P1", "P1 and C1", "P1, C1 and C2".
std::string names_of(const cast& who, const std::vector<unsigned>& ids) {
  std::string names;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    names += (i == 0 ? "" : i + 1 == ids.size() ? " and " : ", ") + who.name(ids[i]);
  }
  return names;
}

// What a sleeper waits for: the close too, when the run shows the lesson has one.
std::string waited_for(const cast& who, const sleeper& s, bool closes) {
  if (who.role(s.worker) == role::producer) {
    return "a free slot";
  }
  return closes ? "an item or the close" : "an item";
}

// The run has a close: one was made, or a consumer read `done`.
bool closes(const std::vector<sleeper>& sleepers, const std::vector<event>& recent) {
  return waited_after_the_close(sleepers) != nullptr ||
         std::any_of(recent.begin(), recent.end(), [](const event& e) {
           return e.action == action::close || e.action == action::read_flag;
         });
}

// "  one condition: condition, on which both sides wait", or the two of a
// lesson with one a side: the conditions the run's last events and its
// sleepers show, and who waited on each.
std::string conditions_line(const cast& who, const std::vector<sleeper>& sleepers,
                            const std::vector<event>& recent) {
  struct used {
    const char* name;
    bool producers = false;
    bool consumers = false;
  };
  std::vector<used> conditions;
  const auto note = [&](const char* name, unsigned worker, bool waited) {
    auto c = std::find_if(conditions.begin(), conditions.end(),
                          [&](const used& u) { return same_condition(u.name, name); });
    if (c == conditions.end()) {
      c = conditions.insert(conditions.end(), used{name});
    }
    (who.role(worker) == role::producer ? c->producers : c->consumers) |= waited;
  };
  for (const event& e : recent) {
    const bool waited = e.action == action::wait || e.action == action::woke;
    if (waited || e.action == action::notify_one || e.action == action::notify_all) {
      note(e.condition, e.worker, waited);
    }
  }
  for (const sleeper& s : sleepers) {
    note(s.condition, s.worker, true);
  }
  std::string line = conditions.size() == 1 ? "  one condition: " : "  conditions: ";
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    const used& c = conditions[i];
    line += std::string(i == 0 ? "" : "; ") + c.name + ", on which " +
            (c.producers && c.consumers ? "both sides wait"
             : c.producers              ? "producers wait"
             : c.consumers              ? "consumers wait"
                                        : "nobody waited");
  }
  return line + '\n';
}

// "P1 put P1#2 (step 16)", "C1 took P1#1 (step 21)", "P1 set done (step 18)".
std::string move_of(const cast& who, const event& change) {
  const std::string by = who.name(change.worker) + ' ';
  const std::string step = " (step " + std::to_string(change.step) + ")";
  if (change.action == action::close) {
    return by + "set done" + step;
  }
  return by + (change.action == action::put ? "put " : "took ") + describe(change.what) + step;
}

// The buffer as the change found it: " into a buffer that held 1".
std::string found(const cast& who, const event& change) {
  if (change.action == action::put) {
    const std::size_t held = change.size - 1;
    return held == 0 ? " into an empty buffer" : " into a buffer that held " + std::to_string(held);
  }
  if (change.action == action::take) {
    const std::size_t held = change.size + 1;
    return held == who.config.capacity ? std::string(" from a full buffer")
                                       : " from a buffer that held " + std::to_string(held) +
                                             " of " + std::to_string(who.config.capacity);
  }
  return "";
}

// One line of what came after a sleeper began to wait: the change, its
// notify, whom that woke and what the woken thread did.
std::string account_of(const cast& who, const announcement& a, const sleeper& s) {
  if (a.notify == nullptr) {
    return move_of(who, *a.change) + found(who, *a.change) + ", and notified nobody.";
  }
  const std::string call = words_for(a.notify->action).word;
  std::string woke = a.woken != nullptr      ? " woke " + who.name(a.woken->worker)
                     : a.notify->woke_nobody ? std::string(" woke nobody")
                                             : std::string(" woke nobody the events show");
  if (!same_condition(a.notify->condition, s.condition)) {
    return move_of(who, *a.change) + "; its " + call + "(" + a.notify->condition + ")" + woke + '.';
  }
  std::string line = who.name(a.notify->worker) + "'s " + call + " (step " +
                     std::to_string(a.notify->step) + ")" + woke;
  if (a.then != nullptr && a.then->action == action::wait) {
    return line + ": it found nothing to do and waited again.";
  }
  if (a.then != nullptr) {
    return line + ", which " + (a.then->action == action::put ? "put " : "took ") +
           describe(a.then->what) + " (step " + std::to_string(a.then->step) + ").";
  }
  return line + '.';
}

// The first line of a lost wakeup that a put, take or close made: what missed.
std::string headline(const cast& who, const lost_wakeup& told) {
  const announcement& a = told.since[told.culprit];
  const event& change = *a.change;
  if (told.cause == lost_cause::woke_other_side) {
    return std::string("a ") + to_string(who.role(a.notify->worker)) + "'s notify_one woke a " +
           to_string(who.role(a.woken->worker)) + '.';
  }
  const std::string what = change.action == action::close ? "the close"
                           : change.action == action::put ? "a put"
                                                          : "a take";
  if (told.cause == lost_cause::other_condition) {
    return who.name(change.worker) + "'s " + what.substr(what.find(' ') + 1) + " notified " +
           a.notify->condition + ", but " + who.name(told.asleep->worker) + " waits on " +
           told.asleep->condition + '.';
  }
  if (change.action == action::put) {
    return std::string("a put into ") + (change.size > 1 ? "a non-empty" : "an empty") +
           " buffer notified nobody.";
  }
  if (change.action == action::take) {
    return std::string("a take from ") +
           (change.size + 1 == who.config.capacity ? "a full" : "a not full") +
           " buffer notified nobody.";
  }
  return "the close notified nobody.";
}

// A lost wakeup a put, take or close made: what missed, what came after the
// sleeper began to wait, line by line, and who could go on.
void write_missed(std::ostream& report, const cast& who, const lost_wakeup& told,
                  const std::vector<unsigned>& can) {
  const std::string& me = who.name(told.asleep->worker);
  if (told.cause == lost_cause::unexplained) {
    report << "  lost wakeup: nothing since " << me << " began to wait woke it.\n";
  } else {
    report << "  lost wakeup: " << headline(who, told) << '\n';
  }
  if (told.since.size() > 1) {
    report << "    After " << me << " began to wait:\n";
  }
  for (const announcement& a : told.since) {
    report << "    " << account_of(who, a, *told.asleep) << '\n';
  }
  report << "    " << names_of(who, can)
         << (can.size() == 1 ? ", which could go on, was" : ", which could go on, were")
         << " never woken.\n";
  if (told.cause == lost_cause::woke_other_side) {
    report << "    notify_one wakes one waiter, any waiter: with one condition for both sides "
              "it can wake the wrong kind.\n";
  }
}

// The lost wakeups the lessons teach by name: the close between a check and
// a wait (09), the wait without a look (11).
void write_taught(std::ostream& report, const cast& who, const lost_wakeup& told) {
  const sleeper& s = *told.asleep;
  if (told.cause == lost_cause::closed_before_wait) {
    report << "  lost wakeup: " << who.name(s.worker)
           << " began to wait after done was set. It had read done (false) under the lock; "
              "the close, made without the lock, came between that check and the wait, and its "
              "notify_all found nobody waiting.\n"
           << "    Set done under the lock (lesson 10): then no close falls between a check and a "
              "wait.\n";
    return;
  }
  const bool producer = who.role(s.worker) == role::producer;
  const std::size_t began_with = *s.items_when_it_began;
  const std::size_t had = producer ? who.config.capacity - began_with : began_with;
  report << "  lost wakeup: " << who.name(s.worker) << " began to wait with " << had
         << (producer ? (had == 1 ? " free slot" : " free slots") : (had == 1 ? " item" : " items"))
         << " in the buffer: it waited without looking first.\n"
         << "    The notify that announced " << (had == 1 ? "it" : "them")
         << " came before the wait, and a notify with nobody waiting is gone.\n"
         << "    Check the state under the lock, and wait only while it says so: "
            "`while (empty) wait`, not `do wait while (empty)`.\n";
}

// "  nobody is left to wake P1: C2 waits too, and C1 has finished."
std::string nobody_left(const cast& who, const std::vector<sleeper>& sleepers,
                        const std::vector<unsigned>& can) {
  std::vector<unsigned> waiting;
  std::vector<unsigned> finished;
  for (unsigned id = 0; id < who.names.size(); ++id) {
    const bool asleep = std::any_of(sleepers.begin(), sleepers.end(),
                                    [&](const sleeper& s) { return s.worker == id; });
    if (!asleep) {
      finished.push_back(id);
    } else if (std::find(can.begin(), can.end(), id) == can.end()) {
      waiting.push_back(id);
    }
  }
  std::string why;
  if (!waiting.empty()) {
    why = names_of(who, waiting) + (waiting.size() == 1 ? " waits too" : " wait too");
  }
  if (!finished.empty()) {
    why += (why.empty() ? "" : ", and ") + names_of(who, finished) +
           (finished.size() == 1 ? " has finished" : " have finished");
  }
  return "  nobody is left to wake " + names_of(who, can) + ": " +
         (why.empty() ? "every thread waits" : why) + ".\n";
}

}  // namespace

std::string deadlock_report(const cast& who, std::size_t buffer_size,
                            const std::vector<sleeper>& sleepers, const std::vector<event>& recent,
                            bool seen_at_once) {
  std::ostringstream report;
  if (seen_at_once) {
    report << "DEADLOCK: every live thread waits on a condition, and none has been woken.  ";
  } else {
    report << "DEADLOCK: every live thread has waited " << who.config.stall_timeout_ms
           << " ms on a condition and nothing moved.  ";
  }
  report << draw_buffer(buffer_size, who.config.capacity) << '\n';
  const std::vector<unsigned> can = could_go_on(who, buffer_size, sleepers);
  const bool with_close = closes(sleepers, recent);
  for (const sleeper& s : sleepers) {
    const bool producer = who.role(s.worker) == role::producer;
    report << "  " << who.name(s.worker) << " waits on " << s.condition << " for "
           << waited_for(who, s, with_close);
    if (s.closed_when_it_began) {
      report << " - it could go on: done is set";
    } else if (std::find(can.begin(), can.end(), s.worker) != can.end()) {
      report << " - it could go on: the buffer " << (producer ? "has room" : "has items");
    }
    report << '\n';
  }
  report << conditions_line(who, sleepers, recent);
  const std::optional<lost_wakeup> lost = lost_wakeup_of(who, buffer_size, sleepers, recent);
  if (!lost) {
    report << "  no thread can go on: what the waiters wait for will never come.\n";
    if (const char* why = finished_side(who, sleepers)) {
      report << "  " << why << '\n';
    }
  } else {
    if (lost->cause == lost_cause::closed_before_wait ||
        lost->cause == lost_cause::waited_without_looking) {
      write_taught(report, who, *lost);
    } else {
      write_missed(report, who, *lost, can);
    }
    if (!can.empty()) {
      report << nobody_left(who, sleepers, can);
    }
  }
  report << "  last events:";
  const std::size_t shown = std::min(recent.size(), recent_events_shown);
  for (auto e = recent.end() - static_cast<std::ptrdiff_t>(shown); e != recent.end(); ++e) {
    report << '\n' << text_line(*e, who, 4);
  }
  return report.str();
}

std::string schedule_stuck_report(const cast& who, std::uint64_t step, std::size_t index,
                                  const std::string& token, const std::string& why) {
  return (boost::format("SCHEDULE STUCK at step %d: decision %d of %d, %s, cannot be taken: %s.") %
          step % index % who.config.script.size() % token % why)
      .str();
}

std::string schedule_unused_report(const cast& who, std::size_t index, const std::string& token) {
  return (boost::format("SCHEDULE STUCK: the run ended before decision %d of %d, %s, was taken: "
                        "the rest of the script never ran.") %
          index % who.config.script.size() % token)
      .str();
}

std::string lost_items_report(const std::vector<item>& lost) {
  std::ostringstream report;
  report << "VIOLATION: " << lost.size() << " item(s) put but never taken (lost), first "
         << describe(lost.front());
  return report.str();
}

stop_words words_of_stop(const cast& who, const stop_facts& facts) {
  struct wording {
    const cast& who;
    stop_words operator()(const violation_stop& v) const {
      return {to_string(v.violation.violation),
              violation_report(who, v.violation, v.woke_unserved, v.last_wakeup, v.rival)};
    }
    stop_words operator()(const deadlock_stop& d) const {
      return {stall_kind(who, d.buffer_size, d.sleepers),
              deadlock_report(who, d.buffer_size, d.sleepers, d.recent, d.seen_at_once)};
    }
    stop_words operator()(const script_stuck_stop& s) const {
      return {"stuck", schedule_stuck_report(who, s.step, s.index, s.token, s.why)};
    }
    stop_words operator()(const script_unused_stop& s) const {
      return {"stuck", schedule_unused_report(who, s.index, s.token)};
    }
    stop_words operator()(const items_lost_stop& l) const {
      return {to_string(violation_kind::lost), lost_items_report(l.lost)};
    }
    stop_words operator()(const signal_stop& s) const {
      return {"signal", s.signal == SIGINT ? "interrupted by SIGINT" : "interrupted by SIGTERM"};
    }
  };
  return std::visit(wording{who}, facts);
}

}  // namespace lesson
