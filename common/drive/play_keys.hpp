// The keys of --play: from a terminal, one press each, neither echoed nor
// waiting for Enter; from a pipe or a file, one a line. A key that is not a
// choice is named back to the student escaped, never echoed raw: a control
// byte or an arrow key's escape sequence must not move the cursor or clear
// the screen the student reads.
#pragma once

#include <termios.h>

#include <optional>
#include <string>

namespace lesson {

// One key press: a byte, or the whole escape sequence an arrow or a function
// key sends, or the bytes of one UTF-8 character.
struct key_press {
  std::string bytes;
  bool is(char key) const { return bytes.size() == 1 && bytes[0] == key; }
  // As it can be shown on any terminal: "x", "\e[A", "\0", "\xff".
  std::string shown() const;
};

class key_reader {
 public:
  // Keys from `fd`; a terminal's line editing and echo are off until the
  // reader is destroyed.
  explicit key_reader(int fd);
  ~key_reader();
  key_reader(const key_reader&) = delete;
  key_reader& operator=(const key_reader&) = delete;

  // The next key, blanks and line ends skipped; none at the end of the input
  // or once a signal was caught (it waits in slices to see one).
  std::optional<key_press> next();

 private:
  std::optional<unsigned char> byte(int timeout_ms);  // none: nothing came in time
  void rest_of_sequence(key_press& key);
  void rest_of_character(key_press& key);

  int fd_;
  termios saved_{};
  bool restore_ = false;
  bool ended_ = false;
  std::optional<unsigned char> pending_;  // read ahead, and not part of the key before
};

}  // namespace lesson
