#include "assignment.hpp"

#include <algorithm>
#include <sstream>
#include <type_traits>
#include <vector>

#include "command_line/options.hpp"

namespace lessons {

namespace {

// The file's settings, read and checked as a tool's own options are, so that
// a bad value gets the message an option gets, with the file and line first.
const std::vector<lesson::option_spec>& settings_table() {
  using lesson::whole_numbers;
  static const std::vector<lesson::option_spec> table{
      lesson::added_number("items", "N", "items per producer", whole_numbers(1, 16), "2"),
      lesson::added_number("search-seconds", "S", "each search's time, at most",
                           lesson::numbers_above(0, 3600), "60"),
      lesson::added_yes_no("closes", "whether the design closes its buffer", false),
      lesson::added_number("time-limit", "S", "a submission's time, at most",
                           lesson::numbers_above(0, 86400), "420"),
      lesson::added_number("cpu-limit", "S", "a process's CPU time, at most",
                           whole_numbers(1, 86400), "900"),
      lesson::added_number("memory-limit", "MIB", "a process's memory, at most",
                           whole_numbers(64, 65536), "2048"),
      lesson::added_number("processes", "N", "threads and processes at once, at most",
                           whole_numbers(16, 4096), "256"),
      lesson::added_number("file-size-limit", "MIB", "a file's size, at most",
                           whole_numbers(1, 1024), "16"),
      lesson::added_number("output-limit", "MIB", "what it prints, at most", whole_numbers(1, 64),
                           "1"),
  };
  return table;
}

std::string trimmed(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) {
    return "";
  }
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// "2x2 capacity 1", "1x2 capacity 1 spurious 1".
explored_configuration configuration_of(const lesson::given_value& given) {
  std::istringstream words(given.text);
  explored_configuration c{0, 0, 0, 0};
  char times = 0;
  std::string capacity_word;
  std::string spurious_word;
  std::string more;
  const bool read = static_cast<bool>(words >> c.producers >> times >> c.consumers >>
                                      capacity_word >> c.capacity);
  words >> spurious_word >> c.spurious >> more;
  const bool well_formed = read && times == 'x' && capacity_word == "capacity" &&
                           (spurious_word.empty() || spurious_word == "spurious") && more.empty();
  if (!well_formed || c.producers < 1 || c.producers > 4 || c.consumers < 1 || c.consumers > 4 ||
      c.capacity < 1 || c.capacity > 4 || c.spurious > 2) {
    throw lesson::usage_error(given.where +
                              "--configuration: expected PxC capacity N [spurious S], P and C "
                              "from 1 to 4, N from 1 to 4, S from 0 to 2, got " +
                              lesson::quote(given.text));
  }
  return c;
}

void apply(const lesson::command_line& read, assignment& into) {
  const auto number = [&](const char* name, auto& field) {
    if (const auto found = read.added.find(name); found != read.added.end()) {
      field = static_cast<std::remove_reference_t<decltype(field)>>(found->second.number);
    }
  };
  number("items", into.items);
  number("search-seconds", into.search_seconds);
  number("closes", into.closes);
  number("time-limit", into.time_limit_seconds);
  number("cpu-limit", into.cpu_limit_seconds);
  number("memory-limit", into.memory_limit_mib);
  number("processes", into.processes);
  number("file-size-limit", into.file_size_limit_mib);
  number("output-limit", into.output_limit_mib);
}

}  // namespace

assignment read_assignment(const std::string& path) {
  std::istringstream lines(lesson::config_text(path, "assignment"));
  assignment chosen;
  lesson::command_line read;
  bool configurations_given = false;
  std::size_t number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    const std::string setting = trimmed(line.substr(0, line.find('#')));
    if (setting.empty()) {
      continue;
    }
    const std::string where = lesson::shortened(path) + ":" + std::to_string(number) + ": ";
    const std::size_t equals = setting.find('=');
    if (equals == std::string::npos) {
      throw lesson::usage_error(where + "expected name = value, got " + lesson::quote(setting));
    }
    const std::string name = trimmed(setting.substr(0, equals));
    const lesson::given_value given{trimmed(setting.substr(equals + 1)), where};
    if (name == "configuration") {
      if (!configurations_given) {
        chosen.configurations.clear();
        configurations_given = true;
      }
      chosen.configurations.push_back(configuration_of(given));
      continue;
    }
    const auto& table = settings_table();
    const auto spec = std::find_if(table.begin(), table.end(),
                                   [&](const lesson::option_spec& o) { return name == o.name; });
    if (spec == table.end()) {
      throw lesson::usage_error(where + "no setting " + lesson::quote(name) +
                                "; the settings are configuration, items, search-seconds, "
                                "closes, time-limit, cpu-limit, memory-limit, processes, "
                                "file-size-limit and output-limit");
    }
    spec->read(*spec, given, read);
  }
  apply(read, chosen);
  return chosen;
}

std::string configuration_text(const explored_configuration& c) {
  std::string text = std::to_string(c.producers);
  text += 'x';
  text += std::to_string(c.consumers) + " capacity " + std::to_string(c.capacity);
  if (c.spurious > 0) {
    text += " spurious " + std::to_string(c.spurious);
  }
  return text;
}

}  // namespace lessons
