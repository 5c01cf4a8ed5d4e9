// Every option a lesson takes, an entry each in one table: how --help shows
// it, what it accepts and how its value sets the run. options.cpp makes the
// Program_options description, the parsing, the messages and --help from it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "command_line/input.hpp"

namespace lesson {

// An option's value as given, and where: "" for the command line, or
// "FILE:LINE: " for a line of a --config file.
struct given_value {
  std::string text;
  std::string where;
};

// The values a numeric option accepts.
struct number_range {
  bool whole;
  double lowest;
  bool lowest_allowed;  // false: every value lies above it
  double highest;
};

struct option_spec {
  const char* name;
  const char* value_name = nullptr;  // nullptr for a flag such as --help
  std::string purpose;
  std::string accepts{};  // what a message says the option takes; empty when it sets nothing
  // A number's range, which --help states after the purpose.
  std::optional<number_range> range = std::nullopt;
  // The default --help shows, from the lesson's settings; nullptr to show none.
  std::string (*shown_default)(const settings&) = nullptr;
  // Checks a given value and sets it. nullptr for --config, which is read
  // before the others, and for --help and --version: a --config file cannot
  // set these.
  void (*read)(const option_spec&, const given_value&, command_line&) = nullptr;
  // After this option's turn, whether given or not: a check that spans options.
  void (*check_with_others)(const settings&, const given_value*) = nullptr;
  // Read after every other option: its check needs them.
  bool read_last = false;
  // The default --help shows for an option a tool adds (added_number), which
  // no lesson's settings hold; empty for none.
  std::string added_default{};
};

// The ranges of numeric options.
number_range whole_numbers(double lowest, double highest);
number_range numbers_from(double lowest, double highest);   // `lowest` allowed
number_range numbers_above(double lowest, double highest);  // `lowest` excluded

// Options a tool adds to the lessons' own (explore's --spurious, --csv), read
// and checked as the table's are. Each puts its value in command_line::added
// under its name.
option_spec added_number(const char* name, const char* value_name, std::string purpose,
                         const number_range& range, std::string shown_default);
option_spec added_file(const char* name, std::string purpose);
// yes or no: its number 1 or 0.
option_spec added_yes_no(const char* name, std::string purpose, bool shown_default);

// Every option, in the order of --help.
const std::vector<option_spec>& option_table();
// nullptr when no option has the name.
const option_spec* find_option(const std::string& name);
// --help's text for an option: its purpose, what it accepts when a number,
// and its default when `defaults` is given.
std::string help_for(const option_spec& option, const settings* defaults);

}  // namespace lesson
