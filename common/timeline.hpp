// --svg FILE: the run drawn as a timeline for slides. A lane per thread, its
// spans coloured by what the thread is doing, each event marked, the
// violation or the deadlock highlighted, and a legend. One self-contained SVG.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "run.hpp"
#include "trace.hpp"

namespace lesson {

class timeline {
 public:
  explicit timeline(const run_context& context);
  void on_event(const event& e);
  // Writes the SVG; throws run_error when the file cannot be written.
  void write(const std::string& path, outcome result, const std::string& report) const;

  static constexpr std::size_t steps_drawn = 400;  // the last ones, where a run ends

 private:
  struct column {
    event what;
    std::vector<run_view::state> states;
    std::vector<std::string> labels;  // "wait not_full", "[holds]", ...
  };
  const run_context& context_;
  run_view view_;
  std::deque<column> columns_;
  std::uint64_t events_seen_ = 0;
};

}  // namespace lesson
