#include "signals.hpp"

#include <atomic>
#include <csignal>

#include "race_detectors.hpp"

namespace lesson {

namespace {

// Set by the signal handler, read by the watchdog: a lock-free atomic is
// async-signal-safe.
std::atomic<int> signal_seen{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void remember_signal(int signal) {
  signal_seen.store(signal);
}

}  // namespace

void stop_runs_on_signals() {
  ignored_by_race_detectors(signal_seen);
  struct sigaction action {};
  action.sa_handler = remember_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART | SA_RESETHAND;  // a second signal ends the program at once
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int caught_signal() {
  return signal_seen.load();
}

void end_as_signalled() {
  if (const int signal = caught_signal(); signal != 0) {
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
}

}  // namespace lesson
