// What each thread is doing and what the buffer holds, as the events tell it:
// the table, csv and jsonl traces and the timeline draw from it.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <vector>

#include "show/describe.hpp"

namespace lesson {

class run_view {
 public:
  explicit run_view(const cast& who);
  void apply(const event& e);

  seen_state state_of(unsigned id) const { return threads_.at(id).now; }
  // The condition it waits on, or last waited on.
  const char* condition_of(unsigned id) const { return threads_.at(id).condition; }
  // A waiter woken with no notify (a spurious wakeup, --play's `s`): no
  // event says so until it holds the lock again.
  void woken_unasked(unsigned id) { threads_.at(id).now = seen_state::woken; }
  // "run", "wants lock", "[holds]", "wait not_full", "woken", "done"
  std::string describe_state(unsigned id) const;
  // The acting thread's cell: ">[put P1#3]", ">wait condition", ...; "" when it shows its state.
  std::string describe_step(const event& e) const { return cell_of(e, who_); }
  // What a line says besides the cells: "futile, unlocks", "! underflow", ...
  std::string remark(const event& e) const;
  // "[P1#1 P1#2]" while it fits in `width`, else "3/10".
  std::string contents(std::size_t width) const;
  const std::vector<std::string>& names() const { return who_.names; }

 private:
  struct thread {
    seen_state now = seen_state::running;
    const char* condition = "";
  };
  void notified(const event& e);

  const cast& who_;
  std::vector<thread> threads_;
  std::deque<item> items_;
  std::string ambiguous_;  // the waiters a notify_one chose among, when more than one
};

}  // namespace lesson
