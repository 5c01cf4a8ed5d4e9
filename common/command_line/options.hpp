// The command line every lesson shares (Boost.Program_options): its options,
// a --config file of them, and --help.
#pragma once

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "command_line/input.hpp"
#include "model/definition.hpp"

namespace lesson {

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
