// What a run is: the scenario (threads, capacity, items, pacing) and how it is
// shown. Every lesson has its own defaults; the command line overrides them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/outcome.hpp"
#include "model/trace_formats.hpp"

namespace lesson {

// How many items the consumers take between them.
enum class consumer_quota {
  every_item,     // until every produced item is taken
  half_the_items  // the recipe's 10 of 20: its consumer leaves the rest in the buffer
};

struct settings {
  unsigned producers = 1;
  unsigned consumers = 1;
  std::size_t capacity = 10;
  std::uint64_t items = 20;  // per producer
  double producer_delay_ms = 0;
  double consumer_delay_ms = 0;
  unsigned jitter_percent = 0;  // each pause is its delay +- this much, drawn from the seed
  double time_scale = 1;
  double stall_timeout_ms = 1000;
  trace_format trace = trace_format::text;
  unsigned repeat = 1;
  unsigned run_number = 1;  // which of the --repeat runs this is, from 1
  std::uint64_t seed = 1;
  consumer_quota quota = consumer_quota::every_item;
  std::vector<std::string> script{};  // the schedule's decisions: C1, wake=C1, spurious=C1
  std::string svg_file{};             // where to draw the run's timeline, if anywhere
  std::string html_file{};            // where to write the run as a page to step through
  bool source_lines = false;          // text and table traces show each step's line of the lesson
  // --play's goal: violation or deadlock; ok: the lesson's own challenge.
  outcome goal = outcome::ok;
  // compare's run of a lesson on its neighbour's schedule: a decision it
  // cannot take ends the script there, not the run (scheduler.hpp).
  bool follow_script_as_far_as_possible = false;
  // A --play run waits for the student's keys, so its times would be the
  // student's thinking: its text shows steps, as a scripted run's does.
  bool played = false;
  // The width the text trace, the table and the reports fit, wrapping words
  // (output_width() for a program's standard output); 0: lines as long as they are.
  std::size_t columns = 0;
};

// Limits stated in --help and enforced by the parser.
struct limits {
  static constexpr unsigned min_threads_per_side = 1;
  static constexpr unsigned max_threads_per_side = 256;
  static constexpr std::size_t min_capacity = 1;
  static constexpr std::size_t max_capacity = 1'000'000;
  static constexpr std::uint64_t min_items = 1;                  // per producer
  static constexpr std::uint64_t max_items = 10'000'000;         // per producer
  static constexpr std::uint64_t max_total_items = 100'000'000;  // producers x items
  static constexpr double min_delay_ms = 0;
  static constexpr double max_delay_ms = 60'000;
  static constexpr double time_scale_floor = 0;  // excluded: a scale is above it
  static constexpr double max_time_scale = 100;
  static constexpr double min_stall_timeout_ms = 10;
  static constexpr double max_stall_timeout_ms = 600'000;
  static constexpr unsigned min_repeat = 1;
  static constexpr unsigned max_repeat = 100'000;
  static constexpr unsigned min_jitter_percent = 0;
  static constexpr unsigned max_jitter_percent = 100;
  static constexpr std::size_t max_script_steps = 100'000;
  static constexpr std::uint64_t min_seed = 0;
  static constexpr std::uint64_t max_seed = 4'294'967'295;
  static constexpr std::size_t max_config_bytes = 1'048'576;  // 1 MiB: a --config file
};

// Whether a run needs the observed lock (scheduler.hpp): a script, a trace
// that shows the lock's own steps, a timeline or a page.
bool needs_observed_run(const settings& chosen);

}  // namespace lesson
