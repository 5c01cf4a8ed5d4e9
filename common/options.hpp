// The command line every lesson shares (Boost.Program_options): its options,
// a --config file of them, and --help.
#pragma once

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "definition.hpp"

namespace lesson {

// Bad input: the message names the option and what it accepts. Exit code 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct command_line {
  enum class request { run, help, version } what = request::run;
  settings chosen;
  bool trace_given = false;
};

// How a message quotes input, from the command line or a --config file:
// 'like this', with control characters escaped (\x0A) so that it stays on
// one line, and cut past quoted_chars_at_most with its length, as in
// '0000000000...' (2000000 characters).
constexpr std::size_t quoted_chars_at_most = 60;
std::string quote(const std::string& input);

// Why no file could be written at `path`, found without creating one, so that
// a refused run leaves nothing behind; empty when one could: its folder exists
// and may be written, and the file, if there is one, is a regular file that
// may be written. The reasons are the system's (strerror).
std::string why_not_writable(const std::string& path);

// The options a program takes: a lesson takes them all; a tool that runs
// lessons leaves out those it has no use for, and refuses each, saying why.
struct taken_options {
  std::map<std::string, std::string> left_out{};  // option name, without --, to why
  bool takes(const std::string& name) const { return left_out.count(name) == 0; }
};

// Throws usage_error.
command_line parse_command_line(const definition& lesson, const std::vector<std::string>& args,
                                const taken_options& taken = {});
std::string help_text(const definition& lesson);
// The options `taken` lists, for the --help of a tool that runs lessons: with
// no defaults, since each lesson has its own.
std::string options_text(const taken_options& taken);

}  // namespace lesson
