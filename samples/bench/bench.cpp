// bench: what each correct buffer costs, measured against Boost's own
// sync_bounded_queue on the same machine in the same repetition.
//
// The machine is shared and noisy, so the variants run interleaved, their
// order rotated every repetition, and each figure is a median. A variant's
// ratio is taken against sync_bounded_queue's time in the same repetition.
// Every run checks that each item arrived exactly once; a run that does not
// fails the benchmark.
//
//   bench               12 configurations x 10 variants x 5 repetitions
//   bench --quick       a smaller run, within a minute on 2 cores (CI's smoke test)
//   bench --csv FILE --svg FILE
//
// Its files: bench_variants (what is measured: the correct lessons, each with
// the plain twin its definition names, and the plain queues of
// bench_kernels.hpp), this file (the options and the measuring), bench_report
// and bench_svg (what is printed and written).
#include <algorithm>
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench_report.hpp"
#include "bench_variants.hpp"
#include "command_line/input.hpp"
#include "drive/driver.hpp"

namespace po = boost::program_options;

namespace {

// What the command line asked for.
struct request {
  bool quick = false;
  unsigned reps = 5;
  std::optional<std::string> csv;  // the files to write, when asked for
  std::optional<std::string> svg;
};

po::options_description bench_options() {
  po::options_description options("Options");
  options.add_options()("quick", "a smaller run: 4 configurations, fewer items")(
      "reps", po::value<unsigned>()->value_name("N"), "repetitions, 5 to 100 (default 5)")(
      "csv", po::value<std::string>()->value_name("FILE"),
      "a row per variant, configuration "
      "and repetition")("svg", po::value<std::string>()->value_name("FILE"),
                        "items per second against threads, a panel per capacity")(
      "help", "show this help and exit");
  return options;
}

// The request, checked; throws usage_error for a bad one.
request checked_request(const po::variables_map& vm) {
  request asked;
  asked.quick = vm.count("quick") > 0;
  asked.reps = vm.count("reps") ? vm["reps"].as<unsigned>() : 5;
  if (asked.reps < 5 || asked.reps > 100) {
    throw lesson::usage_error("--reps: expected a whole number from 5 to 100, got " +
                              std::to_string(asked.reps));
  }
  for (const auto& [file, path] : {std::pair("csv", &asked.csv), std::pair("svg", &asked.svg)}) {
    if (vm.count(file) == 0) {
      continue;
    }
    *path = vm[file].as<std::string>();
    const std::string why = lesson::why_not_writable(**path);
    if (!why.empty()) {
      throw lesson::usage_error(std::string("--") + file + ": cannot write " +
                                lesson::quote(**path) + ": " + why);
    }
  }
  return asked;
}

std::vector<bench::config> configurations(bool quick) {
  const std::vector<std::pair<unsigned, unsigned>> sides =
      quick ? std::vector<std::pair<unsigned, unsigned>>{{1, 1}, {4, 4}}
            : std::vector<std::pair<unsigned, unsigned>>{{1, 1}, {2, 2}, {4, 4}, {8, 8}};
  const std::vector<std::size_t> capacities =
      quick ? std::vector<std::size_t>{1, 64} : std::vector<std::size_t>{1, 64, 1024};
  // Enough items that a run lasts a tenth of a second or more at its capacity's
  // pace (a slot of 1 moves some 50 000 items a second, 1024 slots millions).
  const auto items_for = [quick](std::size_t capacity) -> std::uint64_t {
    const std::uint64_t items = capacity == 1 ? 20'000 : capacity < 1024 ? 400'000 : 1'000'000;
    return quick ? items / 4 : items;
  };
  std::vector<bench::config> configs;
  for (const std::size_t capacity : capacities) {
    for (const auto& [p, c] : sides) {
      configs.push_back({p, c, capacity, items_for(capacity)});
    }
  }
  return configs;
}

// One repetition of every variant in configuration `c`, in an order rotated
// by the repetition. False when a run lost or duplicated an item.
bool measure_once(const std::vector<bench::variant>& all, const bench::config& c, unsigned rep,
                  std::vector<bench::row>& rows) {
  bool every_item_once = true;
  std::vector<bench::row> these;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const bench::variant& v = all[(i + rep) % all.size()];
    these.push_back({v.name, v.twin, c, rep, v.run(c)});
    if (!these.back().measured.every_item_once) {
      std::cerr << "FAILED: " << v.name << " " << bench::key(c)
                << " did not deliver every item exactly once\n";
      every_item_once = false;
    }
  }
  const auto base = std::find_if(these.begin(), these.end(),
                                 [](const bench::row& r) { return r.variant == bench::baseline; });
  for (bench::row& r : these) {
    r.ratio = r.items_per_s() / base->items_per_s();
  }
  rows.insert(rows.end(), these.begin(), these.end());
  return every_item_once;
}

// Every repetition of every configuration. False when a run lost or duplicated an item.
bool measure(const std::vector<bench::variant>& all, bench::measurements& measured) {
  bool every_item_once = true;
  for (unsigned rep = 0; rep < measured.reps; ++rep) {
    std::cerr << "repetition " << rep + 1 << " of " << measured.reps << '\n';
    for (const bench::config& c : measured.configs) {
      every_item_once = measure_once(all, c, rep, measured.rows) && every_item_once;
    }
  }
  return every_item_once;
}

int bench_main(int argc, char* argv[]) {
  const po::options_description options = bench_options();
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
  } catch (const po::error& e) {
    throw lesson::usage_error(e.what());
  }
  if (vm.count("help")) {
    std::cout << "Usage: bench [options]\n\n" << options;
    return 0;
  }
  const request asked = checked_request(vm);
  const std::string no_interruptions =
      (std::filesystem::path(argv[0]).parent_path() / "bench_no_interruptions").string();
  const std::vector<bench::variant> all = bench::variants(no_interruptions);
  lesson::touch_boost_thread();

  bench::measurements measured{.configs = configurations(asked.quick), .reps = asked.reps};
  for (const bench::variant& v : all) {
    measured.names.push_back(v.name);
    if (!v.twin.empty()) {
      measured.twins.emplace_back(v.name, v.twin);
    }
  }
  const bool every_item_once = measure(all, measured);
  const bench::summary_table table = bench::summarize(measured);
  bench::print_report(std::cout, measured, table);
  if (asked.csv) {
    bench::write_csv(*asked.csv, measured.rows);
  }
  if (asked.svg) {
    bench::write_svg(*asked.svg, measured, table);
  }
  std::cout << (every_item_once ? "\nevery item arrived exactly once in every run\n"
                                : "\nFAILED: some runs lost or duplicated items (see above)\n");
  return every_item_once ? 0 : 1;
}

}  // namespace

int main(int argc, char* argv[]) {
  return lesson::tool_main("bench", bench_main, argc, argv);
}
