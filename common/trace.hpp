// How a run's events are printed (--trace): `text` for the classroom, one line
// an event; `cookbook` in the recipe's own words, to diff against the notebook.
#pragma once

#include <cstddef>
#include <deque>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "run.hpp"

namespace lesson {

class tracer {
 public:
  virtual ~tracer() = default;
  virtual void begin() {}
  virtual void on_event(const event& e) = 0;
};

// What each thread is doing and what the buffer holds, as the events tell it:
// the table, csv and jsonl traces and the timeline draw from it.
class run_view {
 public:
  enum class state { running, wants_lock, holds_lock, waiting, woken, done };

  explicit run_view(const run_context& context);
  void apply(const event& e);

  state state_of(unsigned id) const { return threads_.at(id).now; }
  // "run", "wants lock", "[holds]", "wait not_full", "woken", "done"
  std::string describe_state(unsigned id) const;
  // The acting thread's cell: ">[put P1#3]", ">wait condition", ...
  std::string describe_step(const event& e) const;
  // What a line says besides the cells: "futile wakeup", "! underflow", ...
  std::string remark(const event& e) const;
  // "[P1#1 P1#2]" while it fits in `width`, else "3/10".
  std::string contents(std::size_t width) const;
  const std::vector<std::string>& names() const { return names_; }

 private:
  struct thread {
    state now = state::running;
    const char* condition = "";
  };
  const run_context& context_;
  std::vector<thread> threads_;
  std::vector<std::string> names_;
  std::deque<item> items_;
  std::string ambiguous_;  // the waiters a notify_one chose among, when more than one
};

std::unique_ptr<tracer> make_tracer(trace_format format, const run_context& context,
                                    std::ostream& out);

// "|###.......| 3/10", or "3/1024" when the buffer is too large to draw.
std::string draw_buffer(std::size_t size, std::size_t capacity);
// One event as the text trace prints it, also used by the deadlock report.
std::string text_line(const event& e, const run_context& context);
// What the event was, in words: "waits on condition (releases the lock)".
std::string describe_event(const event& e, const run_context& context);
// Whether the text trace shows it: not the lock steps only observed runs report.
bool shown_in_text(const event& e);

}  // namespace lesson
