// The moment that decides a run, in words a class reads from the back row,
// and the steps the timeline marks for it: the stolen or wrong-side wakeup
// before a violation; the put, take or close whose notify missed, or the
// notify_one that woke the wrong side, a deadlock comes down to. The reasoning
// is the reports' own (reports.hpp); a story only follows the events it needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "show/describe.hpp"
#include "show/reports.hpp"

namespace lesson {

struct decisive_moment {
  std::string verdict;  // "VIOLATION at step 16: underflow by C1"; "" when the run ended well
  std::string because;  // "C2 takes P1#1 first: C1's wakeup is stolen"; "" when nothing to add
  std::uint64_t verdict_step = 0;  // the violation; 0: after the last step
  std::uint64_t because_step = 0;  // what `because` points at; 0: nothing
  std::uint64_t notify_step = 0;   // the notify whose wakeup decided the run; 0: none
  std::uint64_t woke_step = 0;     // the wakeup it caused
};

class story {
 public:
  explicit story(const cast& who);
  void follow(const event& e);
  // `recent`: the run's last events, oldest first; a deadlock's notify is
  // looked for among them.
  decisive_moment told(outcome result, const std::string& report,
                       const std::vector<event>& recent) const;

 private:
  struct thread {
    std::optional<event> last_woke;
    bool woke_unserved = false;  // woke and has not put, taken or waited since
    const char* waiting_on = nullptr;
    std::size_t items_at_wait = 0;  // the buffer's items as it began to wait
    std::uint64_t wait_step = 0;    // ... and the step
    bool closed_at_wait = false;    // ... and whether `done` was set by then
  };
  decisive_moment violated() const;
  decisive_moment deadlocked(const std::vector<event>& recent) const;
  // A lost wakeup a put, take or close made: what missed, and who sleeps for it.
  decisive_moment missed(const lost_wakeup& lost, const std::vector<unsigned>& can) const;

  const cast& who_;
  std::vector<thread> threads_;
  std::optional<event> last_put_;
  std::optional<event> last_take_;
  std::optional<event> violation_;
  std::size_t buffer_size_ = 0;
  bool closed_ = false;  // a close event was seen
};

}  // namespace lesson
