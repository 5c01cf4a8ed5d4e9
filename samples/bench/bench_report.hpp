// What bench prints and writes from its measurements: a table a
// configuration, the harness's cost against each lesson's plain twin, the
// targets, and on request a CSV of every run and an SVG of the rates.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bench_kernels.hpp"

namespace bench {

// One run of one variant in one configuration.
struct row {
  std::string variant;
  std::string twin{};
  config configuration;
  unsigned rep = 0;
  sample measured;
  double ratio = 0;  // items per second against the baseline's, same repetition
  double items_per_s() const { return static_cast<double>(configuration.items) / measured.seconds; }
};

// Everything bench measured.
struct measurements {
  std::vector<config> configs{};
  std::vector<std::string> names{};  // the variants, in the order they are listed
  std::vector<std::pair<std::string, std::string>> twins{};  // each lesson and its plain twin
  unsigned reps = 0;
  std::vector<row> rows{};  // every run
};

// Medians over the repetitions of one variant in one configuration.
struct summary {
  double items_per_s = 0;
  double ratio = 0;
  double cpu_us_per_item = 0;
  bool counted = false;
  double wakeups = 0;
  double futile = 0;
  double notifies = 0;
};

// Summaries by variant and configuration (the configuration as `key` writes it).
using summary_table = std::map<std::pair<std::string, std::string>, summary>;

// A configuration as the report names it: "2x2 cap 64".
std::string key(const config& c);
double median(std::vector<double> values);
summary_table summarize(const measurements& measured);

// The report on stdout: the tables, the harness's cost and the targets.
void print_report(std::ostream& out, const measurements& measured, const summary_table& table);
// A row per variant, configuration and repetition.
void write_csv(const std::string& path, const std::vector<row>& rows);
// Items per second against threads (P+C), a line per variant, a panel per capacity.
void write_svg(const std::string& path, const measurements& measured, const summary_table& table);

}  // namespace bench
