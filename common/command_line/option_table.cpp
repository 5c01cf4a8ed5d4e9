#include "command_line/option_table.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <type_traits>
#include <utility>

#include "model/schedule.hpp"

namespace lesson {

number_range whole_numbers(double lowest, double highest) {
  return {true, lowest, true, highest};
}

number_range numbers_from(double lowest, double highest) {
  return {false, lowest, true, highest};
}

number_range numbers_above(double lowest, double highest) {
  return {false, lowest, false, highest};
}

namespace {

std::string describe(const number_range& range) {
  if (range.whole) {
    return (boost::format("a whole number from %.0f to %.0f") % range.lowest % range.highest).str();
  }
  return (boost::format("a number %s %g and at most %g") %
          (range.lowest_allowed ? "of at least" : "above") % range.lowest % range.highest)
      .str();
}

[[noreturn]] void reject(const option_spec& option, const given_value& given,
                         const std::string& expected) {
  throw usage_error(given.where + "--" + option.name + ": expected " + expected + ", got " +
                    quote(given.text));
}

[[noreturn]] void reject(const option_spec& option, const given_value& given) {
  reject(option, given, option.accepts);
}

// Decimal digits; for a number that need not be whole also a fraction and an
// exponent (0.5, 1e-3, 2.5E2). No sign, hex, nan or inf, which strtod would
// also take.
bool plain_decimal(const std::string& text, bool whole) {
  std::size_t at = 0;
  const auto digits = [&] {
    const std::size_t from = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      ++at;
    }
    return at - from;
  };
  std::size_t mantissa = digits();
  if (!whole && at < text.size() && text[at] == '.') {
    ++at;
    mantissa += digits();
  }
  if (mantissa == 0) {
    return false;
  }
  if (!whole && at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
      ++at;
    }
    if (digits() == 0) {
      return false;
    }
  }
  return at == text.size();
}

// The value of a numeric option, checked against its range.
double number(const option_spec& option, const given_value& given) {
  const number_range& range = *option.range;
  const std::string& text = given.text;
  if (!plain_decimal(text, range.whole)) {
    reject(option, given);
  }
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (*end != '\0' || errno != 0 || !std::isfinite(value) || value > range.highest ||
      value < range.lowest || (!range.lowest_allowed && value == range.lowest)) {
    reject(option, given);
  }
  return value;
}

// A numeric option that sets `member` of the settings.
template <auto member>
option_spec number_option(const char* name, const char* value_name, std::string purpose,
                          const number_range& range,
                          void (*check_with_others)(const settings&,
                                                    const given_value*) = nullptr) {
  return {.name = name,
          .value_name = value_name,
          .purpose = std::move(purpose),
          .accepts = describe(range),
          .range = range,
          .shown_default =
              [](const settings& s) {
                return (boost::format("%g") % static_cast<double>(s.*member)).str();
              },
          .read =
              [](const option_spec& option, const given_value& given, command_line& line) {
                auto& field = line.chosen.*member;
                field =
                    static_cast<std::remove_reference_t<decltype(field)>>(number(option, given));
              },
          .check_with_others = check_with_others};
}

// The total that --items' help states: checked once --producers and --items are read.
void check_total_items(const settings& s, const given_value* items) {
  if (s.items * s.producers > limits::max_total_items) {
    throw usage_error((items != nullptr ? items->where : "") +
                      (boost::format("--items: %d items from each of %d producers is more than "
                                     "the %d the run can follow") %
                       s.items % s.producers % limits::max_total_items)
                          .str());
  }
}

// "text, table, ... or none", each with its note when `with_notes`.
std::string trace_formats_text(bool with_notes) {
  const std::vector<trace_format_row>& rows = trace_formats();
  std::string text;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    text += i == 0 ? "" : i + 1 == rows.size() ? " or " : ", ";
    text += rows[i].name;
    if (with_notes && rows[i].note != nullptr) {
      text += std::string(" (") + rows[i].note + ")";
    }
  }
  return text;
}

void read_trace(const option_spec& option, const given_value& given, command_line& line) {
  const trace_format_row* known = trace_format_named(given.text);
  if (known == nullptr) {
    reject(option, given);
  }
  line.chosen.trace = known->format;
  line.trace_given = true;
}

// The timeline and the page are written once the run is over; here FILE is
// only checked, so that a refused run leaves no file behind.
const std::string& file_to_write(const option_spec& option, const given_value& given) {
  if (given.text.empty()) {
    reject(option, given);
  }
  const std::string why = why_not_writable(given.text);
  if (!why.empty()) {
    throw usage_error(given.where + "--" + option.name + ": cannot write " + quote(given.text) +
                      ": " + why);
  }
  return given.text;
}

void read_added_number(const option_spec& option, const given_value& given, command_line& line) {
  line.added[option.name] = {number(option, given), given.text};
}

void read_added_file(const option_spec& option, const given_value& given, command_line& line) {
  line.added[option.name] = {0, file_to_write(option, given)};
}

// yes or no; on and off too, as a switch is often said (`--symmetry off`).
void read_added_yes_no(const option_spec& option, const given_value& given, command_line& line) {
  const bool yes = given.text == "yes" || given.text == "on";
  if (!yes && given.text != "no" && given.text != "off") {
    reject(option, given);
  }
  line.added[option.name] = {yes ? 1.0 : 0.0, given.text};
}

void read_svg(const option_spec& option, const given_value& given, command_line& line) {
  line.chosen.svg_file = file_to_write(option, given);
}

void read_html(const option_spec& option, const given_value& given, command_line& line) {
  line.chosen.html_file = file_to_write(option, given);
}

void read_lines(const option_spec& option, const given_value& given, command_line& line) {
  if (given.text != "yes" && given.text != "no") {
    reject(option, given);
  }
  line.chosen.source_lines = given.text == "yes";
}

void read_goal(const option_spec& option, const given_value& given, command_line& line) {
  if (given.text != "violation" && given.text != "deadlock") {
    reject(option, given);
  }
  line.chosen.goal = given.text == "violation" ? outcome::violation : outcome::deadlock;
}

void read_script(const option_spec& option, const given_value& given, command_line& line) {
  if (given.text == "free") {
    line.chosen.script.clear();  // also a lesson's own default script
    return;
  }
  const settings& s = line.chosen;
  std::vector<std::string> tokens = split_schedule(given.text);
  if (tokens.size() > limits::max_script_steps) {
    reject(option, {std::to_string(tokens.size()) + " decisions", given.where},
           "at most " + std::to_string(limits::max_script_steps) + " decisions");
  }
  for (std::size_t at = 0; at < tokens.size(); ++at) {
    if (!parse_decision(tokens[at], s.producers, s.consumers)) {
      throw usage_error(given.where + "--" + option.name + ": decision " + std::to_string(at + 1) +
                        ", " + quote(tokens[at]) + ": " +
                        decision_problem(tokens[at], s.producers, s.consumers));
    }
  }
  line.chosen.script = std::move(tokens);
}

// The options that set the scenario: the threads, the buffer, the items and
// the pauses.
std::vector<option_spec> scenario_options() {
  return {
      number_option<&settings::producers>(
          "producers", "N", "producer threads P1..PN",
          whole_numbers(limits::min_threads_per_side, limits::max_threads_per_side)),
      number_option<&settings::consumers>(
          "consumers", "N", "consumer threads C1..CN",
          whole_numbers(limits::min_threads_per_side, limits::max_threads_per_side)),
      number_option<&settings::capacity>("capacity", "N", "slots in the buffer",
                                         whole_numbers(limits::min_capacity, limits::max_capacity)),
      number_option<&settings::items>("items", "N",
                                      "items each producer puts, at most " +
                                          std::to_string(limits::max_total_items) + " in all",
                                      whole_numbers(limits::min_items, limits::max_items),
                                      check_total_items),
      number_option<&settings::producer_delay_ms>(
          "producer-delay", "MS", "pause before each put, outside the lock",
          numbers_from(limits::min_delay_ms, limits::max_delay_ms)),
      number_option<&settings::consumer_delay_ms>(
          "consumer-delay", "MS", "pause before each take, outside the lock",
          numbers_from(limits::min_delay_ms, limits::max_delay_ms)),
      number_option<&settings::jitter_percent>(
          "jitter", "PCT", "vary each pause by up to this percentage, drawn from --seed",
          whole_numbers(limits::min_jitter_percent, limits::max_jitter_percent)),
      number_option<&settings::time_scale>(
          "time-scale", "X", "multiply every pause by X",
          numbers_above(limits::time_scale_floor, limits::max_time_scale)),
      number_option<&settings::stall_timeout_ms>(
          "stall-timeout", "MS",
          "report a deadlock when every thread has waited this long and nothing moved",
          numbers_from(limits::min_stall_timeout_ms, limits::max_stall_timeout_ms)),
  };
}

// The options that say how the run is shown.
std::vector<option_spec> display_options() {
  return {
      {.name = "trace",
       .value_name = "FORMAT",
       .purpose = trace_formats_text(true),
       .accepts = trace_formats_text(false),
       .shown_default = [](const settings& s) -> std::string { return to_string(s.trace); },
       .read = read_trace},
      {.name = "lines",
       .value_name = "yes|no",
       .purpose = "text and table traces also show the line of the lesson's source that made "
                  "each step (:28 is line 28 of the lesson's .cpp); " +
                  formats_writing_records() + " always carry it",
       .accepts = "yes or no",
       .shown_default = [](const settings& s) -> std::string {
         return s.source_lines ? "yes" : "no";
       },
       .read = read_lines},
      {.name = "svg",
       .value_name = "FILE",
       .purpose = "also draw the run as an SVG timeline in FILE, a lane a thread",
       .accepts = "a file name to write",
       .read = read_svg},
      {.name = "html",
       .value_name = "FILE",
       .purpose = "also write the run as a page to step through in a browser, in FILE: the "
                  "lesson's code with each thread's line, the buffer, the lock, the waiters",
       .accepts = "a file name to write",
       .read = read_html},
  };
}

// The options that decide the run, repeat it or play it, and those that ask
// for help.
std::vector<option_spec> run_options() {
  return {
      {.name = "config",
       .value_name = "FILE",
       .purpose = "read options from FILE, a line each: name = value (# starts a comment); the "
                  "command line wins; at most " +
                  std::to_string(limits::max_config_bytes) + " bytes"},
      // Last, since the thread names it accepts depend on --producers and --consumers.
      {.name = "script",
       .value_name = "D1,D2,...",
       .purpose = "decide the run: T (thread T moves next: it gets the lock, or goes on where "
                  "it waits without it), wake=T (the next notify_one wakes T), spurious=T (T "
                  "returns from wait() with no notify), in order; defaults decide the rest; at "
                  "most " +
                  std::to_string(limits::max_script_steps) +
                  " decisions; `free`: no script, a free run",
       .accepts = "decisions such as C1,P1,wake=C1,spurious=C2, or free",
       .shown_default = [](const settings& s) -> std::string {
         // A loop, not boost::algorithm::join, which g++ 12 -O3 wrongly
         // warns about (-Wrestrict) here.
         std::string shown = s.script.empty() ? "free" : "";
         for (const std::string& decision : s.script) {
           shown += (shown.empty() ? "" : ",") + decision;
         }
         return shown;
       },
       .read = read_script,
       .read_last = true},
      number_option<&settings::repeat>("repeat", "N", "run N times and count the outcomes",
                                       whole_numbers(limits::min_repeat, limits::max_repeat)),
      number_option<&settings::seed>("seed", "N", "seed for --jitter",
                                     whole_numbers(limits::min_seed, limits::max_seed)),
      {.name = "play",
       .purpose = "be the scheduler: the run stops at each decision and you choose, a key "
                  "each (u undoes, s wakes a waiter with no notify, q quits); keys from a "
                  "terminal or a pipe, one a line"},
      {.name = "goal",
       .value_name = "GOAL",
       .purpose = "what --play asks you to make happen: violation or deadlock (default: what "
                  "the lesson teaches, else a violation)",
       .accepts = "violation or deadlock",
       .read = read_goal},
      {.name = "help", .purpose = "show this help and exit"},
      {.name = "version", .purpose = "show the version and exit"},
  };
}

}  // namespace

const std::vector<option_spec>& option_table() {
  static const std::vector<option_spec> table = [] {
    std::vector<option_spec> all = scenario_options();
    for (auto&& group : {display_options(), run_options()}) {
      all.insert(all.end(), group.begin(), group.end());
    }
    return all;
  }();
  return table;
}

option_spec added_number(const char* name, const char* value_name, std::string purpose,
                         const number_range& range, std::string shown_default) {
  return {.name = name,
          .value_name = value_name,
          .purpose = std::move(purpose),
          .accepts = describe(range),
          .range = range,
          .read = read_added_number,
          .added_default = std::move(shown_default)};
}

option_spec added_file(const char* name, std::string purpose) {
  return {.name = name,
          .value_name = "FILE",
          .purpose = std::move(purpose),
          .accepts = "a file name to write",
          .read = read_added_file};
}

option_spec added_yes_no(const char* name, std::string purpose, bool shown_default) {
  return {.name = name,
          .value_name = "yes|no",
          .purpose = std::move(purpose),
          .accepts = "yes or no (on or off)",
          .read = read_added_yes_no,
          .added_default = shown_default ? "yes" : "no"};
}

const option_spec* find_option(const std::string& name) {
  for (const option_spec& option : option_table()) {
    if (name == option.name) {
      return &option;
    }
  }
  return nullptr;
}

std::string help_for(const option_spec& option, const settings* defaults) {
  std::string text = option.purpose;
  if (option.range) {
    text += ": " + option.accepts;
  }
  if (defaults != nullptr && option.shown_default != nullptr) {
    text += " (default " + option.shown_default(*defaults) + ")";
  } else if (!option.added_default.empty()) {
    text += " (default " + option.added_default + ")";
  }
  return text;
}

}  // namespace lesson
