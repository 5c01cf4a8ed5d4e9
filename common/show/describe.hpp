// The words for a run: one table that says, for each action, how every
// format shows it. The text trace, the table, csv and
// jsonl, the timeline, the reports and `compare` all take their words here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/cast.hpp"
#include "model/definition.hpp"
#include "model/events.hpp"

namespace lesson {

// What a thread is doing, as the events tell it: a cell of the table, a
// colour of the timeline.
enum class seen_state { running, wants_lock, holds_lock, waiting, woken, done };

// How each format shows an action. A pattern's {placeholders} are filled from
// the event: {condition}, {item}, {check} ("full? yes"), {check=} ("full=yes"),
// {want} ("full" for a producer, "empty" for a consumer), {notifier},
// {notify_step}, {kind} (of a violation), {one_of} (the waiters a free run's
// notify_one chose among) and, for observed runs, {chosen} ("wakes C1
// (script)", the waiter the scheduler chose; no "(...)" for a --play
// student's choice, whose events are marked decided_by::nobody), {wakes} (the same after a space),
// {decided} ("script" or "default"), {scripted} ("script" when it was) and
// {by_script} (" (script)" when it was). The *_marked patterns are for the variant marked()
// names; null means the same as the plain one.
struct action_words {
  lesson::action action;
  const char* word;  // csv and jsonl
  const char* text;  // the text trace and the reports
  const char* text_marked = nullptr;
  // The table, for the acting thread; null: its state, as for the others.
  const char* cell = nullptr;
  const char* detail = "";  // csv and jsonl
  const char* detail_marked = nullptr;
  const char* remark = "";  // the table, after the buffer
  const char* remark_marked = nullptr;
  const char* mark;        // the timeline's glyph on the acting thread's lane
  const char* legend;      // what the glyph means
  bool lock_step = false;  // reported by observed runs only: the text trace leaves it out
  // The acting thread's state after it; none: unchanged.
  std::optional<seen_state> after = std::nullopt;
};

const action_words& words_for(action a);
const std::vector<action_words>& every_action();

// An event in words, for each place that shows it.
std::string text_of(const event& e, const cast& who);    // "waits on condition (releases the lock)"
std::string cell_of(const event& e, const cast& who);    // ">wait condition"; "" for none
std::string detail_of(const event& e, const cast& who);  // "after P1 at 7"
std::string remark_of(const event& e, const cast& who, const std::string& one_of);
bool shown_in_text(const event& e);

// "|###.......| 3/10", or "3/1024" when the buffer is too large to draw.
std::string draw_buffer(std::size_t size, std::size_t capacity);
// One event as the text trace prints it, also used by the deadlock report,
// `indent` spaces in: one line, or more when it must wrap to fit
// who.config.columns.
std::string text_line(const event& e, const cast& who, std::size_t indent = 0);
// The event's line of the lesson as a column five wide, ":28  ", for
// --lines yes; blank for the lock's own steps, which no line of the lesson makes.
std::string source_column(const event& e);
// The summary line that ends every run: "result: ok produced=... elapsed_ms=...".
// A scripted run is measured in steps only, so that two runs print the same.
std::string summary_line(outcome result, const tally& figures, bool scripted);

}  // namespace lesson
