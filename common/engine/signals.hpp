// SIGINT and SIGTERM end the run under way: the watchdog's next look (a free
// run) or a signal_listener (an observed run) stops it, wakes and joins its
// threads, and the summary says `result: interrupted`.
#pragma once

#include <csignal>
#include <functional>

namespace lesson {

void stop_runs_on_signals();
// The signal caught since the program began, 0 for none.
int caught_signal();
// After an interrupted run: die of the signal, so that a calling script stops too.
void end_as_signalled();

// While it lives, `on_signal` is called at once, from a thread of its own,
// when SIGINT or SIGTERM comes after stop_runs_on_signals: a supervisor can
// then sleep in a wait with no timeout, which a signal could not end, and
// which helgrind has nothing to say about (glibc's timed wait, timing out
// as a notify comes, makes a notify of its own that helgrind reports). Create
// and destroy it holding no lock that on_signal takes.
class signal_listener {
 public:
  explicit signal_listener(std::function<void()> on_signal);
  ~signal_listener();
  signal_listener(const signal_listener&) = delete;
  signal_listener& operator=(const signal_listener&) = delete;
};

// While it lives, SIGINT and SIGTERM are blocked in the calling thread, and
// so in every thread it starts: the workers and the listeners' thread leave
// the signals to the main thread, which lasts as long as the program and
// supervises the run. ThreadSanitizer holds a signal until the thread that got
// it next calls into it: a worker would end first, a reader never calls.
class signals_kept_from_new_threads {
 public:
  signals_kept_from_new_threads();
  ~signals_kept_from_new_threads();
  signals_kept_from_new_threads(const signals_kept_from_new_threads&) = delete;
  signals_kept_from_new_threads& operator=(const signals_kept_from_new_threads&) = delete;

 private:
  sigset_t before_;
};

}  // namespace lesson
