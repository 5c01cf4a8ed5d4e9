#include "show/describe.hpp"

#include <algorithm>
#include <boost/format.hpp>

#include "show/columns.hpp"

namespace lesson {

namespace {

using state = seen_state;

// One row for each action, in the order of the enum; describe.hpp says what
// each field is for, and what a field left out means.
const std::vector<action_words> table = {
    {.action = action::ask,
     .word = "ask",
     .text = "asks for the lock",
     .cell = ">asks lock",
     .mark = "a",
     .legend = "asks for the lock",
     .lock_step = true,
     .after = state::wants_lock},
    {.action = action::lock,
     .word = "lock",
     .text = "takes the lock",
     .cell = ">[lock]",
     .detail = "{decided}",
     .remark = "{scripted}",
     .mark = "L",
     .legend = "lock",
     .lock_step = true,
     .after = state::holds_lock},
    {.action = action::check,
     .word = "check",
     .text = "{check}",
     .cell = ">[{check}]",
     .detail = "{check=}",
     .mark = "?",
     .legend = "check",
     .lock_step = true,
     .after = state::holds_lock},
    {.action = action::read_flag,
     .word = "read_done",
     .text = "done? {answer}",
     .cell = ">[done? {answer}]",
     .detail = "done={answer}",
     .mark = "d",
     .legend = "reads done",
     .lock_step = true},
    {.action = action::wait,
     .word = "wait",
     .text = "waits on {condition} (releases the lock)",
     .text_marked = "futile wakeup: still {want}, waits again on {condition}",
     .cell = ">wait {condition}",
     .detail_marked = "futile wakeup",
     .remark = "unlocks",
     .remark_marked = "futile, unlocks",
     .mark = "W",
     .legend = "wait",
     .after = state::waiting},
    {.action = action::woke,
     .word = "woke",
     .text = "wakes from {condition} (after {notifier}'s notify at [{notify_step}])",
     .text_marked = "wakes from {condition}: spurious, nobody notified{by_script}",
     .cell = ">[woke by {notifier}]",
     .detail = "after {notifier} at {notify_step}",
     .detail_marked = "spurious{by_script}",
     .remark = "{scripted}",
     .remark_marked = "spurious wakeup{by_script}",
     .mark = "K",
     .legend = "woke",
     .after = state::holds_lock},
    {.action = action::put,
     .word = "put",
     .text = "puts {item}",
     .cell = ">[put {item}]",
     .detail = "{item}",
     .mark = "+",
     .legend = "put",
     .after = state::holds_lock},
    {.action = action::take,
     .word = "take",
     .text = "takes {item}",
     .cell = ">[take {item}]",
     .detail = "{item}",
     .mark = "-",
     .legend = "take",
     .after = state::holds_lock},
    {.action = action::notify_one,
     .word = "notify_one",
     .text = "notify_one({condition}){wakes}",
     .text_marked = "notify_one({condition}): nobody waiting",
     .cell = ">[notify_one]",
     .detail = "{chosen}",
     .detail_marked = "nobody waiting",
     .remark = "{one_of}{chosen}",
     .remark_marked = "nobody waiting",
     .mark = "n",
     .legend = "notify_one"},
    {.action = action::notify_all,
     .word = "notify_all",
     .text = "notify_all({condition})",
     .text_marked = "notify_all({condition}): nobody waiting",
     .cell = ">[notify_all]",
     .detail_marked = "nobody waiting",
     .remark = "{one_of}",
     .remark_marked = "nobody waiting",
     .mark = "N",
     .legend = "notify_all"},
    {.action = action::close,
     .word = "close",
     .text = "sets done: no more items will come",
     .cell = ">[set done]",
     .mark = "c",
     .legend = "sets done"},
    {.action = action::unlock,
     .word = "unlock",
     .text = "releases the lock",
     .cell = ">unlock",
     .mark = "U",
     .legend = "unlock",
     .lock_step = true,
     .after = state::running},
    {.action = action::violation,
     .word = "violation",
     .text = "VIOLATION: {kind}",
     .cell = ">[VIOLATION]",
     .detail = "{kind}",
     .remark = "! {kind}",
     .mark = "!",
     .legend = "violation",
     .after = state::holds_lock},
    {.action = action::script_end,
     .word = "script_end",
     .text = "-- the script is used up: defaults from here --",
     .remark = "script used up",
     .mark = "|",
     .legend = "script used up"},
    {.action = action::done,
     .word = "done",
     .text = "done",
     .cell = ">done",
     .mark = "D",
     .legend = "done",
     .after = state::done},
};

// `pattern` with its {placeholders} filled from `e`.
std::string filled(const char* pattern, const event& e, const cast& who,
                   const std::string& one_of = "") {
  std::string out;
  for (const char* p = pattern; *p != '\0'; ++p) {
    if (*p != '{') {
      out += *p;
      continue;
    }
    const char* close = p;
    while (*close != '}') {
      ++close;
    }
    const std::string name(p + 1, close);
    p = close;
    const char* checked = e.checked_full ? "full" : "empty";
    const char* by = e.decided == decided_by::script         ? " (script)"
                     : e.decided == decided_by::default_rule ? " (default)"
                                                             : "";
    const char* answer = e.check_result ? "yes" : "no";
    if (name == "condition") {
      out += e.condition;
    } else if (name == "item") {
      out += describe(e.what);
    } else if (name == "check") {
      out += std::string(checked) + "? " + answer;
    } else if (name == "answer") {
      out += answer;
    } else if (name == "check=") {
      out += std::string(checked) + "=" + answer;
    } else if (name == "want") {
      out += who.role(e.worker) == role::producer ? "full" : "empty";
    } else if (name == "notifier") {
      out += e.wakeup.spurious() ? "nobody" : who.name(static_cast<unsigned>(e.wakeup.notifier));
    } else if (name == "notify_step") {
      out += std::to_string(e.wakeup.notify_step);
    } else if (name == "kind") {
      out += to_string(e.violation);
    } else if (name == "one_of") {
      out += one_of;
    } else if ((name == "chosen" || name == "wakes") && e.chosen >= 0) {
      out.append(name == "wakes" ? " wakes " : "wakes ")
          .append(who.name(static_cast<unsigned>(e.chosen)))
          .append(by);
    } else if (name == "decided" && e.decided != decided_by::nobody) {
      out += e.decided == decided_by::script ? "script" : "default";
    } else if (name == "scripted" && e.decided == decided_by::script) {
      out += "script";
    } else if (name == "by_script" && e.decided == decided_by::script) {
      out += " (script)";
    }
  }
  return out;
}

const char* chosen(const char* plain, const char* when_marked, const event& e) {
  return when_marked != nullptr && marked(e) ? when_marked : plain;
}

}  // namespace

const std::vector<action_words>& every_action() {
  return table;
}

const action_words& words_for(action a) {
  return table.at(static_cast<std::size_t>(a));
}

std::string text_of(const event& e, const cast& who) {
  const action_words& w = words_for(e.action);
  return filled(chosen(w.text, w.text_marked, e), e, who);
}

std::string cell_of(const event& e, const cast& who) {
  const action_words& w = words_for(e.action);
  return w.cell == nullptr ? std::string() : filled(w.cell, e, who);
}

std::string detail_of(const event& e, const cast& who) {
  const action_words& w = words_for(e.action);
  return filled(chosen(w.detail, w.detail_marked, e), e, who);
}

std::string remark_of(const event& e, const cast& who, const std::string& one_of) {
  const action_words& w = words_for(e.action);
  return filled(chosen(w.remark, w.remark_marked, e), e, who, one_of);
}

bool shown_in_text(const event& e) {
  return !words_for(e.action).lock_step;
}

std::string draw_buffer(std::size_t size, std::size_t capacity) {
  constexpr std::size_t drawable = 20;
  const std::string count = std::to_string(size) + "/" + std::to_string(capacity);
  if (capacity > drawable) {
    return count;
  }
  return "|" + std::string(size, '#') + std::string(capacity - size, '.') + "| " + count;
}

std::string source_column(const event& e) {
  return (boost::format("%-5s") % (e.line == 0 ? "" : ":" + std::to_string(e.line))).str();
}

std::string text_line(const event& e, const cast& who, std::size_t indent) {
  const std::string time = e.ms >= 0 && !who.scripted() && !who.config.played
                               ? (boost::format("%10.3f ms") % e.ms).str()
                               : std::string();
  const std::string head =
      std::string(indent, ' ') +
      (boost::format("[%5d]%s  %-3s ") % e.step % time % who.name(e.worker)).str() +
      (who.config.source_lines ? source_column(e) : "");
  const std::string text = text_of(e, who);
  const std::string buffer = draw_buffer(e.size, who.config.capacity);
  constexpr std::size_t text_column = 52;
  const std::size_t width = who.config.columns;
  const std::string line = head + text +
                           std::string(text_column - std::min(text_column, text.size()), ' ') +
                           ' ' + buffer;
  if (width == 0 || line.size() <= width) {
    return line;
  }
  // Narrower: the words wrap in a column of their own, the buffer stays on
  // the first line.
  constexpr std::size_t narrowest_column = 16;
  const std::size_t fixed = head.size() + 1 + buffer.size();
  if (fixed + narrowest_column > width) {
    return wrapped(line, width, head.size() - indent);
  }
  const std::size_t column = width - fixed;
  const std::string words = wrapped(text, column, 0);
  const std::size_t first_end = std::min(words.find('\n'), words.size());
  const std::string first = words.substr(0, first_end);
  std::string lines = head + first + std::string(column - first.size(), ' ') + ' ' + buffer;
  for (std::size_t at = first_end; at < words.size();) {
    const std::size_t end = std::min(words.find('\n', at + 1), words.size());
    lines += '\n' + std::string(head.size(), ' ') + words.substr(at + 1, end - at - 1);
    at = end;
  }
  return lines;
}

std::string summary_line(outcome result, const tally& figures, bool scripted) {
  const double moved = std::max<double>(1, static_cast<double>(figures.consumed));
  std::string line =
      (boost::format("result: %s produced=%d consumed=%d violations=%d wakeups=%d "
                     "futile_wakeups=%d notifies=%d wakeups_per_item=%.2f steps=%d") %
       to_string(result) % figures.produced % figures.consumed % figures.violations %
       figures.wakeups % figures.futile_wakeups % figures.notifies %
       (static_cast<double>(figures.wakeups) / moved) % figures.steps)
          .str();
  if (!scripted) {
    line += (boost::format(" elapsed_ms=%.1f") % figures.elapsed_ms).str();
  }
  return line;
}

}  // namespace lesson
