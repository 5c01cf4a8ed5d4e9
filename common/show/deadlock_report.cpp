#include "show/deadlock_report.hpp"

#include <algorithm>
#include <sstream>

namespace lesson {

namespace {

// The most of the run's last events the report shows.
constexpr std::size_t recent_events_shown = 10;

}  // namespace

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

}  // namespace lesson
