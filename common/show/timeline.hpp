// --svg FILE: the run drawn as a timeline for slides. A lane per thread, its
// spans coloured by what the thread is doing, each event marked, an arrow
// from each notify to the wakeup it caused, the moment that decides the run
// labelled in words (story.hpp), and a one-line legend. One self-contained SVG.
#pragma once

#include <deque>
#include <ostream>
#include <string>
#include <vector>

#include "show/describe.hpp"
#include "show/story.hpp"
#include "show/view.hpp"

namespace lesson {

class timeline final : public event_sink {
 public:
  timeline(const cast& who, std::string path);
  void on_event(const event& e) override;
  // Writes the SVG whole, or throws std::runtime_error and leaves the file as
  // it was (replace_file.hpp).
  void end(outcome result, const std::string& report) override;

  static constexpr std::size_t steps_drawn = 400;  // the last ones, where a run ends

 private:
  struct column {
    event what;
    std::vector<seen_state> states;
    std::vector<std::string> labels;  // "wait not_full", "[holds]", ...
  };
  struct layout;

  // The column of `step`, or columns_.size() when it is not drawn.
  std::size_t column_of(std::uint64_t step) const;
  void draw_heading(std::ostream& svg, const layout& at, outcome result) const;
  void draw_lanes(std::ostream& svg, const layout& at) const;
  void draw_wakeups(std::ostream& svg, const layout& at, const decisive_moment& moment) const;
  void draw_moment(std::ostream& svg, const layout& at, const decisive_moment& moment,
                   outcome result, const std::string& report) const;

  const cast& who_;
  std::string path_;
  run_view view_;
  story story_;
  std::deque<column> columns_;
  std::uint64_t events_seen_ = 0;
};

}  // namespace lesson
