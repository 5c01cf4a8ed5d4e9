#include "engine/signals.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <map>
#include <mutex>
#include <thread>

#include "engine/race_detectors.hpp"

namespace lesson {

namespace {

// Set by the signal handler, read by the watchdog: a lock-free atomic is
// async-signal-safe.
std::atomic<int> signal_seen{0};
static_assert(std::atomic<int>::is_always_lock_free);

// The handler writes a byte here (write is async-signal-safe); the listeners'
// thread reads it and calls them.
int signal_pipe[2] = {-1, -1};

extern "C" void remember_signal(int signal) {
  signal_seen.store(signal);
  const int saved = errno;
  const char byte = 1;
  [[maybe_unused]] const ssize_t written = ::write(signal_pipe[1], &byte, 1);
  errno = saved;
}

std::mutex& listeners_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::map<const signal_listener*, std::function<void()>>& listeners() {
  static std::map<const signal_listener*, std::function<void()>> all;
  return all;
}

void tell_listeners() {
  for (;;) {
    char byte = 0;
    const ssize_t got = ::read(signal_pipe[0], &byte, 1);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      return;
    }
    const std::lock_guard<std::mutex> lock(listeners_mutex());
    for (const auto& [listener, on_signal] : listeners()) {
      on_signal();
    }
  }
}

// A descriptor of 3 or more: with stdin, stdout or stderr closed, the pipe
// would otherwise take its number, and --play would read keys from it.
int above_the_standard_three(int fd) {
  if (fd > STDERR_FILENO) {
    return fd;
  }
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  ::close(fd);
  return moved;
}

// Once a program, before the handler is set: the pipe, and the thread that
// stays blocked reading it until the program ends.
void start_listening() {
  int ends[2];
  if (signal_pipe[0] >= 0 || ::pipe2(ends, O_CLOEXEC) != 0) {
    return;
  }
  signal_pipe[0] = above_the_standard_three(ends[0]);
  signal_pipe[1] = above_the_standard_three(ends[1]);
  // The listeners' thread takes no signal itself: it would sit in read()
  // while it handled one, which ThreadSanitizer never lets it do.
  const signals_kept_from_new_threads signals_elsewhere;
  std::thread(tell_listeners).detach();
}

}  // namespace

void stop_runs_on_signals() {
  ignored_by_race_detectors(signal_seen);
  start_listening();
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

namespace lesson {

signal_listener::signal_listener(std::function<void()> on_signal) {
  const std::lock_guard<std::mutex> lock(listeners_mutex());
  listeners().emplace(this, std::move(on_signal));
}

signal_listener::~signal_listener() {
  // Under the lock: a call under way ends before the listener does.
  const std::lock_guard<std::mutex> lock(listeners_mutex());
  listeners().erase(this);
}

signals_kept_from_new_threads::signals_kept_from_new_threads() {
  sigset_t stopping;
  sigemptyset(&stopping);
  sigaddset(&stopping, SIGINT);
  sigaddset(&stopping, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopping, &before_);
}

signals_kept_from_new_threads::~signals_kept_from_new_threads() {
  pthread_sigmask(SIG_SETMASK, &before_, nullptr);
}

}  // namespace lesson
