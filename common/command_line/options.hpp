// The command line every lesson shares (Boost.Program_options): its options,
// a --config file of them, and --help.
#pragma once

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "command_line/input.hpp"
#include "command_line/option_table.hpp"
#include "model/definition.hpp"

namespace lesson {

// The options a program takes: a lesson takes them all; a tool that runs
// lessons leaves out those it has no use for, and refuses each, saying why,
// and may add options of its own (added_number and added_file in
// option_table.hpp), which --help lists first under `added_caption`.
struct taken_options {
  std::map<std::string, std::string> left_out{};  // option name, without --, to why
  std::vector<option_spec> added{};
  std::string added_caption{};
  bool takes(const std::string& name) const { return left_out.count(name) == 0; }
};

// Throws usage_error.
command_line parse_command_line(const definition& lesson, const std::vector<std::string>& args,
                                const taken_options& taken = {});
// A lesson's --help: what it shows, the scripts that show its bug,
// `how_to_play` (the paragraph about --play, which drive/play.cpp writes),
// its options with the lesson's defaults, and the exit codes.
std::string help_text(const definition& lesson, const std::string& how_to_play);
// The options `taken` lists, for the --help of a tool that runs lessons: its
// own first, then the lessons' with no defaults, since each lesson has its own.
std::string options_text(const taken_options& taken);

// The text of a file of settings that option `option` names (--config,
// grade's --assignment): a regular file of at most limits::max_config_bytes,
// without a UTF-8 byte order mark. Throws usage_error naming the option.
std::string config_text(const std::string& path, const std::string& option);

}  // namespace lesson
