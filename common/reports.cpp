#include "reports.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <sstream>

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

last_notify last_notify_one(const std::vector<event>& recent) {
  const auto notify = std::find_if(recent.rbegin(), recent.rend(),
                                   [](const event& e) { return e.action == action::notify_one; });
  if (notify == recent.rend()) {
    return {};
  }
  const auto woken = std::find_if(notify.base(), recent.end(), [&](const event& e) {
    return e.action == action::woke && e.wakeup.notify_step == notify->step;
  });
  return {&*notify, woken == recent.end() ? nullptr : &*woken};
}

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
  for (const sleeper& s : sleepers) {
    const bool producer = who.role(s.worker) == role::producer;
    report << "  " << who.name(s.worker) << " waits on " << s.condition << " for "
           << (producer ? "space" : "an item");
    if (s.closed_when_it_began) {
      report << " - it could go on: done is set";
    } else if (std::find(can.begin(), can.end(), s.worker) != can.end()) {
      report << " - it could go on: the buffer " << (producer ? "has room" : "has items");
    }
    report << '\n';
  }
  const last_notify last = last_notify_one(recent);
  if (const sleeper* late = waited_after_the_close(sleepers)) {
    report << "  lost wakeup: " << who.name(late->worker)
           << " began to wait after done was set. It had read done (false) under the lock; "
              "the close, made without the lock, came between that check and the wait, and its "
              "notify_all found nobody waiting.\n"
           << "    Set done under the lock (lesson 10): then no close falls between a check and a "
              "wait.\n";
  } else if (const sleeper* unchecked = waited_without_looking(who, sleepers)) {
    const bool producer = who.role(unchecked->worker) == role::producer;
    const std::size_t began_with = *unchecked->items_when_it_began;
    const std::size_t had = producer ? who.config.capacity - began_with : began_with;
    report << "  lost wakeup: " << who.name(unchecked->worker) << " began to wait with " << had
           << (producer ? (had == 1 ? " free slot" : " free slots")
                        : (had == 1 ? " item" : " items"))
           << " in the buffer: it waited without looking first.\n"
           << "    The notify that announced " << (had == 1 ? "it" : "them")
           << " came before the wait, and a notify with nobody waiting is gone.\n"
           << "    Check the state under the lock, and wait only while it says so: "
              "`while (empty) wait`, not `do wait while (empty)`.\n";
  } else if (can.empty()) {
    report << "  no thread can go on: what the waiters wait for will never come.\n";
    if (const char* why = finished_side(who, sleepers)) {
      report << "  " << why << '\n';
    }
  } else if (last.notify == nullptr) {
    report << "  lost wakeup: the buffer changed, but nobody notified the waiters.\n";
  } else {
    const std::uint64_t notify_step = last.notify->step;
    const unsigned notifier = last.notify->worker;
    std::string could;
    for (std::size_t i = 0; i < can.size(); ++i) {
      could += (i == 0 ? "" : i + 1 == can.size() ? " and " : ", ") + who.name(can[i]);
    }
    if (last.woken != nullptr) {
      report << "  lost wakeup: a " << to_string(who.role(notifier)) << "'s notify_one woke a "
             << to_string(who.role(last.woken->worker)) << ".\n    " << who.name(notifier)
             << "'s notify_one (step " << notify_step << ") woke " << who.name(last.woken->worker)
             << ": it found nothing to do and waited again.\n    ";
    } else {
      report << "  lost wakeup: " << who.name(notifier) << "'s notify_one (step " << notify_step
             << ") woke nobody who could go on.\n    ";
    }
    report << could << (can.size() == 1 ? ", which could go on, was" : ", which could go on, were")
           << " never woken.\n"
           << "    notify_one wakes one waiter, any waiter: with one condition for both sides "
              "it can wake the wrong kind.\n";
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

}  // namespace lesson
