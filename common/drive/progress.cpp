#include "drive/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace lesson {

progress::progress() : on_(::isatty(STDERR_FILENO) == 1) {}

void progress::clear() {
  if (shown_) {
    std::fputs("\r\033[K", stderr);  // the line goes: what follows prints where it stood
    std::fflush(stderr);
    shown_ = false;
  }
}

void progress::show(const std::string& line) {
  const auto now = std::chrono::steady_clock::now();
  if (!on_ || (shown_ && now - last_ < std::chrono::milliseconds(100))) {
    return;
  }
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  shown_ = true;
  last_ = now;
}

}  // namespace lesson
