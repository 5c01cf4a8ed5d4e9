// The observed lock's gate: in a scripted run it holds each thread that asks
// for the lesson's lock until the script names it, so that the script decides
// the order of the critical sections; past the script, whoever comes first.
// Boost's condition_variable_any re-takes the lock through lock() after a
// wakeup, so the script also decides who gets there first after a notify.
#pragma once

#include <atomic>
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "recorder.hpp"
#include "worker.hpp"

namespace lesson {

class lock_gate {
 public:
  explicit lock_gate(std::vector<unsigned> script);  // the worker ids, in order
  bool scripted() const { return !script_.empty(); }
  bool script_left() const;  // a scripted step has yet to come

  // Where a script waits for a thread that cannot come.
  struct stuck {
    std::size_t script_step;  // 1-based
    unsigned awaited;         // worker id
    const char* condition;    // where the awaited thread sleeps; null when it has finished
  };
  // Holds `me` until the script names it, the script is used up, or the run
  // stops. Stuck when the thread the script waits for sleeps in wait() or has
  // finished, and nothing has moved for `stall_timeout_ms`.
  std::optional<stuck> await_turn(const worker& me,
                                  const std::vector<std::unique_ptr<worker>>& workers,
                                  const recorder& record, const std::atomic<bool>& stopping,
                                  double stall_timeout_ms);
  // `me` holds the lock: true when its turn was the script's last.
  bool took_turn(const worker& me);
  // The next turn, 1-based, and whose it is; for a script left unused.
  std::optional<stuck> next_turn() const;
  // Lets every held thread look again: the run is stopping.
  void release_all();

 private:
  std::vector<unsigned> script_;
  std::size_t cursor_ = 0;
  mutable boost::mutex mutex_;
  boost::condition_variable turn_changed_;
};

}  // namespace lesson
