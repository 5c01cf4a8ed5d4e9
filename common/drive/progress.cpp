#include "drive/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "show/columns.hpp"

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
  // Cut to one column less than the terminal's width: a line that wraps
  // would not be redrawn in place, and each redraw would leave a copy above.
  const std::size_t width = output_width();
  const std::string fitted = width > 1 && line.size() >= width ? line.substr(0, width - 1) : line;
  std::fprintf(stderr, "\r\033[K%s", fitted.c_str());
  std::fflush(stderr);
  shown_ = true;
  last_ = now;
}

}  // namespace lesson
