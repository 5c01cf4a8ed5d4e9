#include "show/reports.hpp"

#include <boost/format.hpp>
#include <csignal>
#include <sstream>

namespace lesson {

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

// The end of the report of a thread that moved just after wait() returned:
// what woke it, and why `if` let it move.
std::string after_wait(const cast& who, const event& violation, const wakeup& last_wakeup,
                       last_move rival, violation_cause cause) {
  std::ostringstream report;
  const std::string& me = who.name(violation.worker);
  const bool underflow = violation.violation == violation_kind::underflow;
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
  report << after_wait(who, violation, last_wakeup, rival, cause);
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
