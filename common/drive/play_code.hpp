// The lesson's code as --play shows it: the lines around where each thread
// is, with a thread's name beside its line, each line fitted to the screen
// (a comment cut at a word, with "..."). It also finds the line of the lock a
// thread asks for, which no event names: the lock's events carry no line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lesson {

class lesson_code {
 public:
  // The lines of the file, numbered from 1 (element 0 is empty), as
  // lesson_source() reads them; none when it could not be read.
  explicit lesson_code(std::vector<std::string> lines) : lines_(std::move(lines)) {}
  bool empty() const { return lines_.size() < 2; }

  // Whether the lesson has the step `step` ("produce", "consume", "close").
  bool has_step(const std::string& step) const;
  // The line of the lock a thread asks for: the next one after `last_line`
  // in the same step (lesson 12 takes it again after the put), else the
  // first of `step`; 0 when there is none.
  std::uint32_t lock_line(std::uint32_t last_line, const std::string& step) const;
  // The widest context around the marked lines that fits in `rows` rows of
  // `width` columns: "   C1 >  29        s.condition.wait(lock);".
  std::string excerpt(const std::map<std::uint32_t, std::string>& marks, std::size_t rows,
                      std::size_t width) const;

 private:
  struct span {
    std::size_t first = 0;  // the step's first line, after its head
    std::size_t last = 0;   // its closing brace
  };
  std::vector<span> steps_named(const std::string& step) const;
  std::uint32_t first_lock(std::size_t from, std::size_t to) const;

  std::vector<std::string> lines_;
};

// `line` within `width` columns: a comment cut after a whole word with "...",
// or left out when not one word of it fits; code too long cut the same way.
std::string fitted_line(const std::string& line, std::size_t width);

}  // namespace lesson
