#include "options.hpp"

#include <boost/algorithm/string/classification.hpp>
#include <boost/algorithm/string/split.hpp>
#include <boost/format.hpp>
#include <boost/program_options.hpp>
#include <boost/thread/thread.hpp>
#include <boost/version.hpp>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <set>
#include <sstream>

#include "trace.hpp"

namespace po = boost::program_options;

namespace lesson {

namespace {

constexpr const char* suite_version = "1.0.0";

[[noreturn]] void reject(const std::string& option, const std::string& accepts,
                         const std::string& given) {
  throw usage_error("--" + option + ": expected " + accepts + ", got '" + given + "'");
}

std::uint64_t whole_number(const po::variables_map& vm, const std::string& option,
                           std::uint64_t lowest, std::uint64_t highest) {
  const std::string text = vm[option].as<std::string>();
  const std::string accepts =
      (boost::format("a whole number from %d to %d") % lowest % highest).str();
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
      text.size() > 18) {
    reject(option, accepts, text);
  }
  const std::uint64_t value = std::strtoull(text.c_str(), nullptr, 10);
  if (value < lowest || value > highest) {
    reject(option, accepts, text);
  }
  return value;
}

double decimal(const po::variables_map& vm, const std::string& option, double lowest,
               bool lowest_allowed, double highest) {
  const std::string text = vm[option].as<std::string>();
  const std::string accepts = (boost::format("a number %s %g and at most %g") %
                               (lowest_allowed ? "of at least" : "above") % lowest % highest)
                                  .str();
  if (text.empty() || text.find_first_not_of("0123456789.") != std::string::npos) {
    reject(option, accepts, text);
  }
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (*end != '\0' || errno != 0 || !std::isfinite(value) || value > highest || value < lowest ||
      (!lowest_allowed && value == lowest)) {
    reject(option, accepts, text);
  }
  return value;
}

po::options_description describe_options(const definition& lesson) {
  const settings& d = lesson.defaults;
  const auto dflt = [](auto value) {
    return " (default " + (boost::format("%g") % value).str() + ")";
  };
  po::options_description options("Options");
  // clang-format off
  options.add_options()
    ("producers", po::value<std::string>()->value_name("N"),
     ("producer threads P1..PN, 1 to 256" + dflt(d.producers)).c_str())
    ("consumers", po::value<std::string>()->value_name("N"),
     ("consumer threads C1..CN, 1 to 256" + dflt(d.consumers)).c_str())
    ("capacity", po::value<std::string>()->value_name("N"),
     ("slots in the buffer, 1 to 1000000" + dflt(d.capacity)).c_str())
    ("items", po::value<std::string>()->value_name("N"),
     ("items each producer puts, 1 to 10000000, at most 100000000 in all" + dflt(d.items)).c_str())
    ("producer-delay", po::value<std::string>()->value_name("MS"),
     ("pause before each put, outside the lock, 0 to 60000" + dflt(d.producer_delay_ms)).c_str())
    ("consumer-delay", po::value<std::string>()->value_name("MS"),
     ("pause before each take, outside the lock, 0 to 60000" + dflt(d.consumer_delay_ms)).c_str())
    ("jitter", po::value<std::string>()->value_name("PCT"),
     ("vary each pause by up to this percentage, 0 to 100, drawn from --seed" + dflt(d.jitter_percent)).c_str())
    ("time-scale", po::value<std::string>()->value_name("X"),
     "multiply every pause by X, above 0 and at most 100 (default 1)")
    ("stall-timeout", po::value<std::string>()->value_name("MS"),
     ("report a deadlock when every thread has waited this long and nothing moved, "
      "10 to 600000" + dflt(d.stall_timeout_ms)).c_str())
    ("trace", po::value<std::string>()->value_name("FORMAT"),
     (std::string("text, cookbook (the recipe's own lines) or none (default ") +
      to_string(d.trace) + ")").c_str())
    ("script", po::value<std::string>()->value_name("T1,T2,..."),
     "grant the buffer's lock in this order of thread names (P1.., C1..), then first come; "
     "at most 100000 steps")
    ("repeat", po::value<std::string>()->value_name("N"),
     "run N times, 1 to 100000, and count the outcomes (default 1)")
    ("seed", po::value<std::string>()->value_name("N"),
     "seed for --jitter, 0 to 999999999999999999 (default 1)")
    ("help", "show this help and exit")
    ("version", "show the version and exit");
  // clang-format on
  return options;
}

std::vector<std::string> parse_script(const std::string& text, const settings& s) {
  std::vector<std::string> names;
  boost::split(names, text, boost::is_any_of(","));
  if (names.size() > limits::max_script_steps) {
    reject("script", "at most 100000 thread names", "(" + std::to_string(names.size()) + " names)");
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
             name);
    }
  }
  return names;
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

  settings& s = result.chosen;
  s = lesson.defaults;
  const auto given = [&](const char* option) { return vm.count(option) > 0; };
  if (given("producers")) {
    s.producers =
        static_cast<unsigned>(whole_number(vm, "producers", 1, limits::max_threads_per_side));
  }
  if (given("consumers")) {
    s.consumers =
        static_cast<unsigned>(whole_number(vm, "consumers", 1, limits::max_threads_per_side));
  }
  if (given("capacity")) {
    s.capacity = whole_number(vm, "capacity", 1, limits::max_capacity);
  }
  if (given("items")) {
    s.items = whole_number(vm, "items", 1, limits::max_items);
  }
  if (s.items * s.producers > limits::max_total_items) {
    throw usage_error((boost::format("--items: %d items from each of %d producers is more than "
                                     "the %d the run can follow") %
                       s.items % s.producers % limits::max_total_items)
                          .str());
  }
  if (given("producer-delay")) {
    s.producer_delay_ms = decimal(vm, "producer-delay", 0, true, limits::max_delay_ms);
  }
  if (given("consumer-delay")) {
    s.consumer_delay_ms = decimal(vm, "consumer-delay", 0, true, limits::max_delay_ms);
  }
  if (given("jitter")) {
    s.jitter_percent =
        static_cast<unsigned>(whole_number(vm, "jitter", 0, limits::max_jitter_percent));
  }
  if (given("time-scale")) {
    s.time_scale = decimal(vm, "time-scale", 0, false, limits::max_time_scale);
  }
  if (given("stall-timeout")) {
    s.stall_timeout_ms = decimal(vm, "stall-timeout", limits::min_stall_timeout_ms, true,
                                 limits::max_stall_timeout_ms);
  }
  if (given("trace")) {
    const std::string format = vm["trace"].as<std::string>();
    if (format == "text") {
      s.trace = trace_format::text;
    } else if (format == "cookbook") {
      s.trace = trace_format::cookbook;
    } else if (format == "none") {
      s.trace = trace_format::none;
    } else {
      reject("trace", "text, cookbook or none", format);
    }
    result.trace_given = true;
  }
  if (given("repeat")) {
    s.repeat = static_cast<unsigned>(whole_number(vm, "repeat", 1, limits::max_repeat));
  }
  if (given("seed")) {
    s.seed = whole_number(vm, "seed", 0, 999'999'999'999'999'999ULL);
  }
  if (given("script")) {
    s.script = parse_script(vm["script"].as<std::string>(), s);
  }
  return result;
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
       << describe_options(lesson) << '\n'
       << "Exit codes: 0 ok, 1 invariant violation shown, 2 bad usage, 3 deadlock detected,\n"
       << "130 interrupted (SIGINT), 143 (SIGTERM).\n"
       << "The last line of every run is its summary: result: ok|violation|deadlock|interrupted key=value...\n";
  return text.str();
}

int run_lesson(const definition& lesson, const settings& chosen, std::ostream& out) {
  // Touch Boost.Thread's per-thread data before the first worker starts, so
  // helgrind and DRD do not flag Boost 1.74's call_once (GUIDE section 4).
  boost::this_thread::interruption_enabled();
  if (chosen.repeat == 1) {
    const run_result r = run_once(lesson, chosen, out);
    if (!r.report.empty()) {
      out << r.report << '\n';
    }
    out << summary_line(r.result, r.figures) << std::endl;
    return exit_code(r.result);
  }

  std::uint64_t counts[4] = {0, 0, 0, 0};
  tally total;
  std::set<outcome> reported;
  outcome worst = outcome::ok;
  for (unsigned run = 1; run <= chosen.repeat; ++run) {
    const run_result r = run_once(lesson, chosen, out);
    ++counts[static_cast<int>(r.result)];
    if (r.result != outcome::ok && reported.insert(r.result).second) {
      out << "run " << run << " of " << chosen.repeat << ", the first " << to_string(r.result)
          << ":\n"
          << r.report << '\n';
    }
    if (exit_code(r.result) > exit_code(worst)) {
      worst = r.result;
    }
    if (r.result == outcome::interrupted) {
      break;
    }
    const tally& f = r.figures;
    total.produced += f.produced;
    total.consumed += f.consumed;
    total.violations += f.violations;
    total.wakeups += f.wakeups;
    total.futile_wakeups += f.futile_wakeups;
    total.notifies += f.notifies;
    total.elapsed_ms += f.elapsed_ms;
  }
  out << (boost::format("%d runs: %d ok, %d violation, %d deadlock\n") % chosen.repeat % counts[0] %
          counts[1] % counts[2])
      << summary_line(worst, total) << std::endl;
  return exit_code(worst);
}

int main(int argc, char* argv[], const definition& lesson) {
  try {
    const command_line command =
        parse_command_line(lesson, std::vector<std::string>(argv + 1, argv + argc));
    switch (command.what) {
      case command_line::request::help:
        std::cout << help_text(lesson);
        return 0;
      case command_line::request::version:
        std::cout << lesson.name << " (cv-lessons " << suite_version << ", Boost "
                  << BOOST_VERSION / 100000 << '.' << BOOST_VERSION / 100 % 1000 << ")\n";
        return 0;
      case command_line::request::run:
        break;
    }
    stop_runs_on_signals();
    settings chosen = command.chosen;
    if (chosen.repeat > 1 && !command.trace_given) {
      chosen.trace = trace_format::none;
    }
    return run_lesson(lesson, chosen, std::cout);
  } catch (const usage_error& e) {
    std::cerr << lesson.name << ": " << e.what() << " (see --help)\n";
    return 2;
  }
}

}  // namespace lesson
