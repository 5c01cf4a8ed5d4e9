#include "drive/play_keys.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <boost/format.hpp>
#include <cerrno>

#include "engine/signals.hpp"

namespace lesson {

namespace {

constexpr unsigned char escape = 0x1b;
// How long the rest of an escape sequence or of a character may take to come
// after its first byte: a terminal sends them together.
constexpr int rest_ms = 50;
constexpr std::size_t longest_sequence = 16;

bool blank(unsigned char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

}  // namespace

std::string key_press::shown() const {
  std::string out;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b == escape) {
      out += "\\e";
    } else if (b == 0) {
      out += "\\0";
    } else if (b == '\\') {
      out += "\\\\";
    } else if (b >= 0x20 && b < 0x7f) {
      out += c;
    } else {
      out += (boost::format("\\x%02x") % static_cast<unsigned>(b)).str();
    }
  }
  return out;
}

key_reader::key_reader(int fd) : fd_(fd) {
  if (isatty(fd_) != 0 && tcgetattr(fd_, &saved_) == 0) {
    termios raw = saved_;
    // Each press comes at once, and the screen shows only what --play writes;
    // Ctrl-C still interrupts (ISIG stays on).
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    restore_ = tcsetattr(fd_, TCSANOW, &raw) == 0;
  }
}

key_reader::~key_reader() {
  if (restore_) {
    tcsetattr(fd_, TCSANOW, &saved_);
  }
}

std::optional<key_press> key_reader::next() {
  for (;;) {
    const std::optional<unsigned char> first = byte(-1);
    if (!first) {
      return std::nullopt;
    }
    if (blank(*first)) {
      continue;
    }
    key_press key{std::string(1, static_cast<char>(*first))};
    if (*first == escape) {
      rest_of_sequence(key);
    } else if (*first >= 0xc2 && *first <= 0xf4) {  // the first byte of a UTF-8 character
      rest_of_character(key);
    }
    return key;
  }
}

// An escape sequence: ESC [ parameters final (an arrow: ESC [ A), ESC O final
// (an arrow in application mode), or ESC and one key (Alt and that key).
void key_reader::rest_of_sequence(key_press& key) {
  const std::optional<unsigned char> second = byte(rest_ms);
  if (!second || blank(*second) || *second < 0x20 || *second >= 0x7f) {
    pending_ = second;  // ESC alone: what came next is a key of its own
    return;
  }
  key.bytes += static_cast<char>(*second);
  if (*second != '[' && *second != 'O') {
    return;
  }
  while (key.bytes.size() < longest_sequence) {
    const std::optional<unsigned char> next = byte(rest_ms);
    if (!next) {
      return;
    }
    key.bytes += static_cast<char>(*next);
    const bool final_byte = *next >= 0x40 && *next <= 0x7e;
    if (final_byte && (*second == 'O' || key.bytes.size() > 2)) {
      return;
    }
  }
}

// The continuation bytes of a UTF-8 character whose first byte `key` holds;
// a byte that does not continue it is a key of its own.
void key_reader::rest_of_character(key_press& key) {
  const auto lead = static_cast<unsigned char>(key.bytes[0]);
  const std::size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  while (key.bytes.size() < length) {
    const std::optional<unsigned char> next = byte(rest_ms);
    if (!next || (*next & 0xc0U) != 0x80U) {
      pending_ = next;
      return;
    }
    key.bytes += static_cast<char>(*next);
  }
}

std::optional<unsigned char> key_reader::byte(int timeout_ms) {
  if (pending_) {
    const unsigned char got = *pending_;
    pending_.reset();
    return got;
  }
  constexpr int slice_ms = 100;
  for (int waited = 0; !ended_ && (timeout_ms < 0 || waited < timeout_ms);) {
    if (caught_signal() != 0) {
      return std::nullopt;
    }
    const int slice = timeout_ms < 0 ? slice_ms : std::min(slice_ms, timeout_ms - waited);
    pollfd ready{fd_, POLLIN, 0};
    const int polled = poll(&ready, 1, slice);
    if (polled == 0 || (polled < 0 && errno == EINTR)) {
      waited += slice;
      continue;
    }
    unsigned char got = 0;
    const ssize_t read_bytes = read(fd_, &got, 1);
    if (read_bytes < 0 && errno == EINTR) {
      continue;
    }
    if (read_bytes <= 0) {
      ended_ = true;
      return std::nullopt;
    }
    return got;
  }
  return std::nullopt;
}

}  // namespace lesson
