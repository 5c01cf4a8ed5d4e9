// What a program's input becomes, and how a message about bad input reads:
// the request a command line makes, the error it raises, how input is
// quoted, and whether a file may be written without creating it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "model/settings.hpp"

namespace lesson {

// Bad input: the message names the option and what it accepts. Exit code 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct command_line {
  enum class request { run, help, version, play } what = request::run;
  settings chosen;
  bool trace_given = false;
  std::set<std::string> given;  // the options that set a value, on the line or in --config
  // The options a tool adds to the lessons' own (option_table.hpp), by name,
  // as given: a number's value, and its text.
  struct added_value {
    double number;
    std::string text;
  };
  std::map<std::string, added_value> added{};
};

// How a message quotes input, from the command line or a --config file:
// 'like this', with control characters escaped (\x0A) so that it stays on
// one line, and cut past quoted_chars_at_most with its length, as in
// '0000000000...' (2000000 characters).
constexpr std::size_t quoted_chars_at_most = 60;
std::string quote(const std::string& input);
// The same without the quotes and the length: for a file name that starts a message.
std::string shortened(const std::string& text);

// Why no file could be written at `path`, found without creating one, so that
// a refused run leaves nothing behind; empty when one could: its folder exists
// and may be written, and the file, if there is one, is a regular file that
// may be written. The reasons are the system's (strerror).
std::string why_not_writable(const std::string& path);

// What a path names that is not a regular file, for a message: "a directory", ...
std::string not_a_regular_file(std::filesystem::file_type type);

}  // namespace lesson
