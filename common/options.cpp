#include "options.hpp"

#include <algorithm>
#include <boost/algorithm/string/classification.hpp>
#include <boost/algorithm/string/split.hpp>
#include <boost/algorithm/string/trim.hpp>
#include <boost/format.hpp>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <sstream>

#include "trace.hpp"

namespace po = boost::program_options;

namespace lesson {

namespace {

// The numeric options and the values each accepts: one table for parsing,
// for the messages and for --help.
struct numeric_option {
  const char* name;
  bool whole;
  double lowest;
  bool lowest_allowed;
  double highest;
};

constexpr trace_format trace_formats[] = {trace_format::text,     trace_format::table,
                                          trace_format::csv,      trace_format::jsonl,
                                          trace_format::cookbook, trace_format::none};

constexpr numeric_option numeric_options[] = {
    {"producers", true, 1, true, limits::max_threads_per_side},
    {"consumers", true, 1, true, limits::max_threads_per_side},
    {"capacity", true, 1, true, limits::max_capacity},
    {"items", true, 1, true, limits::max_items},
    {"producer-delay", false, 0, true, limits::max_delay_ms},
    {"consumer-delay", false, 0, true, limits::max_delay_ms},
    {"jitter", true, 0, true, limits::max_jitter_percent},
    {"time-scale", false, 0, false, limits::max_time_scale},
    {"stall-timeout", false, limits::min_stall_timeout_ms, true, limits::max_stall_timeout_ms},
    {"repeat", true, 1, true, limits::max_repeat},
    {"seed", true, 0, true, limits::max_seed},
};

const numeric_option* find_numeric(const std::string& name) {
  for (const numeric_option& option : numeric_options) {
    if (name == option.name) {
      return &option;
    }
  }
  return nullptr;
}

std::string accepts(const numeric_option& o) {
  if (o.whole) {
    return (boost::format("a whole number from %.0f to %.0f") % o.lowest % o.highest).str();
  }
  return (boost::format("a number %s %g and at most %g") %
          (o.lowest_allowed ? "of at least" : "above") % o.lowest % o.highest)
      .str();
}

// What an option accepts, for a message about it; empty when it takes no value.
std::string accepts(const std::string& name) {
  if (const numeric_option* o = find_numeric(name)) {
    return accepts(*o);
  }
  if (name == "trace") {
    return "text, table, csv, jsonl, cookbook or none";
  }
  if (name == "svg") {
    return "a file name to write";
  }
  if (name == "script") {
    return "thread names such as C1,P1,C2,C1";
  }
  return "";
}

// An option's value as given, and where: "" for the command line, or
// "FILE:LINE: " for a line of a --config file.
struct given_value {
  std::string text;
  std::string where;
};
using given_values = std::map<std::string, given_value>;

[[noreturn]] void reject(const std::string& option, const std::string& expected,
                         const given_value& given) {
  throw usage_error(given.where + "--" + option + ": expected " + expected + ", got '" +
                    given.text + "'");
}

// The value of a numeric option, checked against its table entry.
double number(const given_values& values, const std::string& name) {
  const numeric_option& o = *find_numeric(name);
  const given_value& given = values.at(name);
  const std::string& text = given.text;
  const char* allowed = o.whole ? "0123456789" : "0123456789.";
  if (text.empty() || text.size() > 20 || text.find_first_not_of(allowed) != std::string::npos) {
    reject(name, accepts(o), given);
  }
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (*end != '\0' || errno != 0 || !std::isfinite(value) || value > o.highest ||
      value < o.lowest || (!o.lowest_allowed && value == o.lowest)) {
    reject(name, accepts(o), given);
  }
  return value;
}

po::options_description describe_options(const definition& lesson) {
  const settings& d = lesson.defaults;
  // "what it is: what it accepts (default D)", from the table above.
  const auto numeric = [](const char* name, const char* purpose, double value) {
    return (boost::format("%s: %s (default %g)") % purpose % accepts(name) % value).str();
  };
  po::options_description options("Options");
  const auto add = [&options](const char* name, const char* value_name, const std::string& help) {
    options.add_options()(name, po::value<std::string>()->value_name(value_name), help.c_str());
  };
  add("producers", "N", numeric("producers", "producer threads P1..PN", d.producers));
  add("consumers", "N", numeric("consumers", "consumer threads C1..CN", d.consumers));
  add("capacity", "N", numeric("capacity", "slots in the buffer", d.capacity));
  add("items", "N",
      numeric("items", "items each producer puts, at most 100000000 in all", d.items));
  add("producer-delay", "MS",
      numeric("producer-delay", "pause before each put, outside the lock", d.producer_delay_ms));
  add("consumer-delay", "MS",
      numeric("consumer-delay", "pause before each take, outside the lock", d.consumer_delay_ms));
  add("jitter", "PCT",
      numeric("jitter", "vary each pause by up to this percentage, drawn from --seed",
              d.jitter_percent));
  add("time-scale", "X", numeric("time-scale", "multiply every pause by X", d.time_scale));
  add("stall-timeout", "MS",
      numeric("stall-timeout",
              "report a deadlock when every thread has waited this long and nothing moved",
              d.stall_timeout_ms));
  add("trace", "FORMAT",
      std::string("text (a line an event), table (a column a thread, with the lock), csv, "
                  "jsonl, cookbook (the recipe's own lines) or none (default ") +
          to_string(d.trace) + ")");
  add("svg", "FILE", "also draw the run as an SVG timeline in FILE, a lane a thread");
  add("config", "FILE",
      "read options from FILE, a line each: name = value (# starts a comment); the command "
      "line wins");
  add("script", "T1,T2,...",
      "grant the buffer's lock in this order of thread names (P1.., C1..), then first come; "
      "at most 100000 steps");
  add("repeat", "N", numeric("repeat", "run N times and count the outcomes", d.repeat));
  add("seed", "N", numeric("seed", "seed for --jitter", static_cast<double>(d.seed)));
  options.add_options()("help", "show this help and exit")("version", "show the version and exit");
  return options;
}

std::vector<std::string> parse_script(const given_value& given, const settings& s) {
  std::vector<std::string> names;
  boost::split(names, given.text, boost::is_any_of(","));
  if (names.size() > limits::max_script_steps) {
    reject("script", "at most 100000 thread names",
           {std::to_string(names.size()) + " names", given.where});
  }
  for (const std::string& name : names) {
    const bool producer = !name.empty() && name[0] == 'P';
    const bool consumer = !name.empty() && name[0] == 'C';
    const std::string digits = name.empty() ? "" : name.substr(1);
    const unsigned count = producer ? s.producers : s.consumers;
    const bool numbered = !digits.empty() && digits.size() <= 3 && digits[0] != '0' &&
                          digits.find_first_not_of("0123456789") == std::string::npos;
    if (!(producer || consumer) || !numbered || std::stoul(digits) > count) {
      reject("script",
             (boost::format("thread names P1 to P%d and C1 to C%d, separated by commas") %
              s.producers % s.consumers)
                 .str(),
             {name, given.where});
    }
  }
  return names;
}

// The options a --config file may set: every one that takes a value.
bool settable_in_a_file(const std::string& name) {
  return !accepts(name).empty();
}

// Reads a --config file in Program_options' config-file syntax (name = value,
// # comments), checking each line so that an error can name it, then lets
// Program_options parse it as well. Values already given on the command line
// win.
void read_config_file(const std::string& path, const po::options_description& options,
                      given_values& values) {
  std::ifstream file(path);
  if (!file) {
    throw usage_error("--config: cannot read '" + path + "'");
  }
  std::map<std::string, given_value> from_file;
  std::string line;
  for (unsigned number = 1; std::getline(file, line); ++number) {
    const std::string where = path + ":" + std::to_string(number) + ": ";
    std::string text = line.substr(0, line.find('#'));
    boost::trim(text);
    if (text.empty()) {
      continue;
    }
    const std::size_t equals = text.find('=');
    if (equals == std::string::npos) {
      throw usage_error(where + "expected name = value, got '" + text + "'");
    }
    std::string name = text.substr(0, equals);
    std::string value = text.substr(equals + 1);
    boost::trim(name);
    boost::trim(value);
    if (!settable_in_a_file(name)) {
      throw usage_error(where + "unknown option '" + name +
                        "' (a file sets the options that "
                        "take a value, without the --)");
    }
    if (from_file.count(name) > 0) {
      throw usage_error(where + "'" + name + "' is set twice");
    }
    from_file[name] = {value, where};
  }
  if (file.bad()) {
    throw usage_error("--config: cannot read '" + path + "'");
  }
  try {
    std::ifstream again(path);
    po::variables_map checked;
    po::store(po::parse_config_file(again, options), checked);
  } catch (const po::error& e) {
    throw usage_error(path + ": " + e.what());
  }
  for (const auto& [name, value] : from_file) {
    values.emplace(name, value);  // the command line's value stays
  }
}

}  // namespace

command_line parse_command_line(const definition& lesson, const std::vector<std::string>& args) {
  po::options_description options = describe_options(lesson);
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
  } catch (const po::error_with_option_name& e) {
    const std::string option = e.get_option_name();
    const std::string expected = accepts(option.substr(option.find_first_not_of('-')));
    throw usage_error(expected.empty() ? e.what()
                                       : std::string(e.what()) + "; it takes " + expected);
  } catch (const po::error& e) {
    throw usage_error(e.what());
  }

  command_line result;
  if (vm.count("stray")) {
    throw usage_error("unexpected argument '" + vm["stray"].as<std::vector<std::string>>().front() +
                      "': every option starts with --");
  }
  if (vm.count("help")) {
    result.what = command_line::request::help;
    return result;
  }
  if (vm.count("version")) {
    result.what = command_line::request::version;
    return result;
  }

  given_values values;
  for (const auto& [name, value] : vm) {
    if (settable_in_a_file(name)) {
      values[name] = {value.as<std::string>(), ""};
    }
  }
  if (vm.count("config")) {
    read_config_file(vm["config"].as<std::string>(), options, values);
  }

  settings& s = result.chosen;
  s = lesson.defaults;
  const auto given = [&](const char* option) { return values.count(option) > 0; };
  if (given("producers")) {
    s.producers = static_cast<unsigned>(number(values, "producers"));
  }
  if (given("consumers")) {
    s.consumers = static_cast<unsigned>(number(values, "consumers"));
  }
  if (given("capacity")) {
    s.capacity = static_cast<std::uint64_t>(number(values, "capacity"));
  }
  if (given("items")) {
    s.items = static_cast<std::uint64_t>(number(values, "items"));
  }
  if (s.items * s.producers > limits::max_total_items) {
    const std::string where = given("items") ? values.at("items").where : "";
    throw usage_error(where +
                      (boost::format("--items: %d items from each of %d producers is more than "
                                     "the %d the run can follow") %
                       s.items % s.producers % limits::max_total_items)
                          .str());
  }
  if (given("producer-delay")) {
    s.producer_delay_ms = number(values, "producer-delay");
  }
  if (given("consumer-delay")) {
    s.consumer_delay_ms = number(values, "consumer-delay");
  }
  if (given("jitter")) {
    s.jitter_percent = static_cast<unsigned>(number(values, "jitter"));
  }
  if (given("time-scale")) {
    s.time_scale = number(values, "time-scale");
  }
  if (given("stall-timeout")) {
    s.stall_timeout_ms = number(values, "stall-timeout");
  }
  if (given("trace")) {
    const given_value& format = values.at("trace");
    const auto known = std::find_if(std::begin(trace_formats), std::end(trace_formats),
                                    [&](trace_format f) { return format.text == to_string(f); });
    if (known == std::end(trace_formats)) {
      reject("trace", accepts("trace"), format);
    }
    s.trace = *known;
    result.trace_given = true;
  }
  if (given("repeat")) {
    s.repeat = static_cast<unsigned>(number(values, "repeat"));
  }
  if (given("seed")) {
    s.seed = static_cast<std::uint64_t>(number(values, "seed"));
  }
  if (given("svg")) {
    s.svg_file = values.at("svg").text;
    if (s.svg_file.empty() || !std::ofstream(s.svg_file, std::ios::app)) {
      reject("svg", accepts("svg"), values.at("svg"));
    }
  }
  if (given("script")) {
    s.script = parse_script(values.at("script"), s);
  }
  return result;
}

std::string options_text(const definition& lesson) {
  std::ostringstream text;
  text << describe_options(lesson);
  return text.str();
}

std::string help_text(const definition& lesson) {
  std::ostringstream text;
  text << "Usage: " << lesson.name << " [options]\n\n"
       << lesson.name << ": " << lesson.idea << ".\n"
       << "A default run shows " << lesson.shows << ".\n";
  if (*lesson.bug_scripts != '\0') {
    text << "Scripts that show it on every run:\n" << lesson.bug_scripts;
  }
  text << '\n'
       << options_text(lesson) << '\n'
       << "Exit codes: 0 ok, 1 invariant violation shown, 2 bad usage, 3 deadlock detected,\n"
       << "130 interrupted (SIGINT), 143 (SIGTERM).\n"
       << "The last line of every run is its summary: result: ok|violation|deadlock|interrupted "
          "key=value...\n";
  return text.str();
}

}  // namespace lesson
