#include "show/columns.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace lesson {

namespace {

constexpr long narrowest = 40;
constexpr long widest = 1000;
constexpr long width_off_a_terminal = 80;

std::size_t leading_spaces(std::string_view line) {
  const std::size_t first = line.find_first_not_of(' ');
  return first == std::string_view::npos ? line.size() : first;
}

std::string_view without_trailing_spaces(std::string_view text) {
  const std::size_t last = text.find_last_not_of(' ');
  return last == std::string_view::npos ? std::string_view() : text.substr(0, last + 1);
}

// One line (without its '\n'), wrapped, appended to `out`.
void wrap_line(std::string_view line, std::size_t width, std::size_t hang, std::string& out) {
  // A continuation line keeps at least half the width for words.
  const std::size_t continuation = std::min(leading_spaces(line) + hang, width / 2);
  std::size_t room = width;                        // for the next line, its indentation included
  std::size_t indentation = leading_spaces(line);  // not a place to break
  std::string_view rest = line;
  while (rest.size() > room) {
    std::size_t cut = rest.rfind(' ', room);
    while (cut != std::string_view::npos && cut > indentation && rest[cut - 1] == '|') {
      cut = rest.rfind(' ', cut - 1);  // a drawn buffer, "|##..| 2/4", stays whole
    }
    if (cut == std::string_view::npos || cut <= indentation) {
      cut = room;  // a word longer than the line: split it
    }
    out.append(without_trailing_spaces(rest.substr(0, cut))).append(1, '\n');
    out.append(continuation, ' ');
    rest.remove_prefix(cut);
    rest.remove_prefix(leading_spaces(rest));
    room = width - continuation;
    indentation = 0;
  }
  out.append(rest);
}

}  // namespace

std::size_t output_width() {
  long width = width_off_a_terminal;
  winsize terminal{};
  char* end = nullptr;
  const char* columns = std::getenv("COLUMNS");
  const long from_environment = columns == nullptr ? 0 : std::strtol(columns, &end, 10);
  if (from_environment > 0 && end != columns && *end == '\0') {
    width = from_environment;
  } else if (::isatty(STDOUT_FILENO) == 1 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &terminal) == 0 &&
             terminal.ws_col > 0) {
    width = terminal.ws_col;
  }
  return static_cast<std::size_t>(std::clamp(width, narrowest, widest));
}

std::string wrapped(const std::string& text, std::size_t width, std::size_t hang) {
  if (width == 0) {
    return text;
  }
  std::string out;
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    wrap_line(rest.substr(0, end), width, hang, out);
    if (end == std::string_view::npos) {
      break;
    }
    out += '\n';
    rest.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace lesson
