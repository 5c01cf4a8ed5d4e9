// A progress line for long work (--repeat, the scoreboard), shown on stderr
// only when stderr is a terminal: redrawn in place at most ten times a
// second, and wiped when done, so that captured outputs never contain it.
#pragma once

#include <chrono>
#include <string>

namespace lesson {

class progress {
 public:
  progress();  // on when stderr is a terminal
  ~progress() { clear(); }
  progress(const progress&) = delete;
  progress& operator=(const progress&) = delete;

  // Shows `line`, unless a line was shown less than a tenth of a second ago.
  void show(const std::string& line);
  // Wipes the line, before something else prints to the terminal.
  void clear();

 private:
  bool on_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace lesson
