#include "command_line/options.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/algorithm/string/trim.hpp>
#include <boost/format.hpp>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "command_line/option_table.hpp"

namespace po = boost::program_options;

namespace lesson {

namespace {

using given_values = std::map<std::string, given_value>;

// The option of that name, among the table's and those `taken` adds;
// nullptr for none.
const option_spec* find_among(const std::string& name, const taken_options& taken) {
  for (const option_spec& option : taken.added) {
    if (name == option.name) {
      return &option;
    }
  }
  return find_option(name);
}

// What an option accepts, for a message about it; empty for an unknown option
// or one that sets nothing.
std::string accepts(const std::string& name, const taken_options& taken) {
  const option_spec* option = find_among(name, taken);
  return option != nullptr ? option->accepts : "";
}

// The options that take a value, which a --config file may set too.
bool settable(const std::string& name, const taken_options& taken) {
  const option_spec* option = find_among(name, taken);
  return option != nullptr && option->read != nullptr;
}

void add_option(po::options_description& options, const option_spec& option,
                const settings* defaults) {
  const std::string help = help_for(option, defaults);
  if (option.value_name == nullptr) {
    options.add_options()(option.name, help.c_str());
  } else {
    options.add_options()(option.name, po::value<std::string>()->value_name(option.value_name),
                          help.c_str());
  }
}

// The options of the table that `taken` lists, for Program_options; --help
// shows `defaults` when given.
po::options_description describe_options(const settings* defaults, const taken_options& taken) {
  po::options_description options("Options");
  for (const option_spec& option : option_table()) {
    if (taken.takes(option.name)) {
      add_option(options, option, defaults);
    }
  }
  return options;
}

// The options a tool adds, under its caption.
po::options_description describe_added(const taken_options& taken) {
  po::options_description options(taken.added_caption);
  for (const option_spec& option : taken.added) {
    add_option(options, option, nullptr);
  }
  return options;
}

// Reads a --config file in Program_options' config-file syntax (name = value,
// # comments), checking each line so that an error can name it, then lets
// Program_options parse it as well. Values already given on the command line
// win.
void read_config_file(const std::string& path, const po::options_description& options,
                      const taken_options& taken, given_values& values) {
  const std::string text_of_file = config_text(path, "config");
  std::istringstream file(text_of_file);
  std::map<std::string, given_value> from_file;
  std::string line;
  for (unsigned number = 1; std::getline(file, line); ++number) {
    const std::string where = shortened(path) + ":" + std::to_string(number) + ": ";
    std::string text = line.substr(0, line.find('#'));
    boost::trim(text);
    if (text.empty()) {
      continue;
    }
    const std::size_t equals = text.find('=');
    if (equals == std::string::npos) {
      throw usage_error(where + "expected name = value, got " + quote(text));
    }
    std::string name = text.substr(0, equals);
    std::string value = text.substr(equals + 1);
    boost::trim(name);
    boost::trim(value);
    if (!settable(name, taken)) {
      throw usage_error(where + "unknown option " + quote(name) +
                        " (a file sets the options that take a value, without the --)");
    }
    if (!taken.takes(name)) {
      throw usage_error(where + "--" + name + ": " + taken.left_out.at(name));
    }
    if (from_file.count(name) > 0) {
      throw usage_error(where + "'" + name + "' is set twice");
    }
    from_file[name] = {value, where};
  }
  try {
    std::istringstream again(text_of_file);
    po::variables_map checked;
    po::store(po::parse_config_file(again, options), checked);
  } catch (const po::error& e) {
    throw usage_error(shortened(path) + ": " + e.what());
  }
  for (const auto& [name, value] : from_file) {
    values.emplace(name, value);  // the command line's value stays
  }
}

// The command line as Program_options reads it: every option `taken` lists
// and adds, and no stray argument. Throws usage_error.
po::variables_map parsed(const std::vector<std::string>& args,
                         const po::options_description& options, const taken_options& taken) {
  po::options_description hidden;
  hidden.add_options()("stray", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("stray", -1);
  po::variables_map vm;
  try {
    po::store(
        po::command_line_parser(args)
            .options(all)
            .positional(positional)
            .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
            .run(),
        vm);
  } catch (const po::unknown_option& e) {
    // The token may carry a value: --trace=table names trace.
    const std::string token = e.get_option_name();
    const std::size_t from = std::min(token.find_first_not_of('-'), token.size());
    const std::string name = token.substr(from, token.find('=') - from);
    if (find_option(name) != nullptr && !taken.takes(name)) {
      throw usage_error("--" + name + ": " + taken.left_out.at(name));
    }
    throw usage_error("unrecognised option " + quote(token));
  } catch (const po::error_with_option_name& e) {
    const std::string option = e.get_option_name();
    const std::string name = option.substr(std::min(option.find_first_not_of('-'), option.size()));
    const std::string expected = accepts(name, taken);
    const auto* syntax = dynamic_cast<const po::invalid_syntax*>(&e);
    if (syntax != nullptr && syntax->kind() == po::invalid_syntax::missing_parameter) {
      throw usage_error("--" + name + ": expected a value after it" +
                        (expected.empty() ? "" : ", " + expected));
    }
    throw usage_error(expected.empty() ? e.what()
                                       : std::string(e.what()) + "; it takes " + expected);
  } catch (const po::error& e) {
    throw usage_error(e.what());
  }
  if (vm.count("stray")) {
    throw usage_error("unexpected argument " +
                      quote(vm["stray"].as<std::vector<std::string>>().front()) +
                      ": every option starts with --");
  }
  return vm;
}

// Checks each given value and sets it: the options a tool adds first, then
// the table's in its order, but those read last after all the others.
void read_values(const given_values& values, const taken_options& taken, command_line& result) {
  for (const option_spec& option : taken.added) {
    if (const auto given = values.find(option.name); given != values.end()) {
      option.read(option, given->second, result);
    }
  }
  for (const bool last : {false, true}) {
    for (const option_spec& option : option_table()) {
      if (option.read_last != last) {
        continue;
      }
      const auto given = values.find(option.name);
      const bool is_given = given != values.end();
      if (is_given) {
        option.read(option, given->second, result);
      }
      if (option.check_with_others != nullptr) {
        option.check_with_others(result.chosen, is_given ? &given->second : nullptr);
      }
    }
  }
}

}  // namespace

command_line parse_command_line(const definition& lesson, const std::vector<std::string>& args,
                                const taken_options& taken) {
  po::options_description options = describe_options(nullptr, taken);
  options.add(describe_added(taken));
  const po::variables_map vm = parsed(args, options, taken);
  command_line result;
  if (vm.count("help")) {
    result.what = command_line::request::help;
    return result;
  }
  if (vm.count("version")) {
    result.what = command_line::request::version;
    return result;
  }
  if (vm.count("play")) {
    result.what = command_line::request::play;
  }
  given_values values;
  for (const auto& [name, value] : vm) {
    if (settable(name, taken)) {
      values[name] = {value.as<std::string>(), ""};
    }
  }
  if (vm.count("config")) {
    read_config_file(vm["config"].as<std::string>(), options, taken, values);
  }
  for (const auto& [name, value] : values) {
    result.given.insert(name);
  }
  result.chosen = lesson.defaults;
  read_values(values, taken, result);
  return result;
}

std::string options_text(const taken_options& taken) {
  std::ostringstream text;
  if (!taken.added.empty()) {
    text << describe_added(taken);
  }
  // A tool that leaves out every lesson option (capacity_sweep) lists none.
  const bool takes_a_lesson_option =
      std::any_of(option_table().begin(), option_table().end(),
                  [&taken](const option_spec& option) { return taken.takes(option.name); });
  if (takes_a_lesson_option) {
    text << (taken.added.empty() ? "" : "\n") << describe_options(nullptr, taken);
  }
  return text.str();
}

std::string help_text(const definition& lesson, const std::string& how_to_play) {
  std::ostringstream text;
  text << "Usage: " << lesson.name << " [options]\n\n"
       << lesson.name << ": " << lesson.idea << ".\n"
       << "A default run shows " << lesson.shows << ".\n";
  if (!lesson.bug_scripts.empty()) {
    text << "Scripts that show it on every run:\n" << bug_scripts_help(lesson);
  }
  text << how_to_play << '\n'
       << describe_options(&lesson.defaults, {}) << '\n'
       << "Exit codes: 0 ok, 1 invariant violation shown, 2 bad usage, 3 deadlock detected,\n"
       << "4 the script stuck, 5 output not written (a full disk, a closed pipe),\n"
       << "130 interrupted (SIGINT), 143 (SIGTERM).\n"
       << "A run that fails prints a replay: line, the command that decides it again.\n"
       << "Every run ends with its summary, result: ok|violation|deadlock|stuck|interrupted\n"
       << "and key=value figures. Text is wrapped to fit COLUMNS, else the terminal,\n"
       << "else 80 columns; " << formats_writing_records("the replay: line") << " are not.\n";
  return text.str();
}

// The text of a file of settings (--config, --assignment), a regular file of at most
// limits::max_config_bytes: checked before it is opened, since a FIFO would
// block the open and a device such as /dev/zero never ends; and again as it
// is read, since a file may grow, and files under /proc state no size. A
// UTF-8 byte order mark, which some editors write first, is left out.
std::string config_text(const std::string& path, const std::string& option) {
  std::string flag = "--";  // not "--" + option: g++ 12's false -Wrestrict at -O3
  flag += option;
  std::error_code error;
  const std::filesystem::file_type type = std::filesystem::status(path, error).type();
  if (error) {
    throw usage_error(flag + ": cannot read " + quote(path) + ": " + error.message());
  }
  if (type != std::filesystem::file_type::regular) {
    throw usage_error(flag + ": " + quote(path) + " is " + not_a_regular_file(type));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw usage_error(flag + ": cannot read " + quote(path) + ": " + std::strerror(errno));
  }
  std::string text(limits::max_config_bytes + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (file.bad()) {
    throw usage_error(flag + ": cannot read " + quote(path) + ": " + std::strerror(errno));
  }
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.size() > limits::max_config_bytes) {
    throw usage_error(flag + ": " + quote(path) + " is larger than " +
                      std::to_string(limits::max_config_bytes) +
                      " bytes, the most such a file may hold");
  }
  const std::string byte_order_mark = "\xEF\xBB\xBF";
  if (text.starts_with(byte_order_mark)) {
    text.erase(0, byte_order_mark.size());
  }
  return text;
}

}  // namespace lesson
