// --html FILE: one run as a page to step through in a browser, for the
// projector. Self-contained (no network, no external script or font): the
// lesson's source with a marker per thread on its line, the buffer's slots,
// each condition's waiters, the lock holder, a lane per thread coloured as
// the SVG timeline colours it (markup.hpp), with a legend, an arrow from each
// notify to the wakeup it caused and the one that decides the run in red
// (story.hpp), and buttons and keys for next, previous, play/pause and, when
// the run failed, the failure. The report, the answer, comes after the steps,
// hidden until the last step or "show the report". Without JavaScript the
// page shows the whole trace as a table and the report below it.
#pragma once

#include <deque>
#include <iosfwd>
#include <string>
#include <vector>

#include "show/describe.hpp"
#include "show/story.hpp"
#include "show/view.hpp"

namespace lesson {

class webpage final : public event_sink {
 public:
  webpage(const cast& who, std::string path);
  void on_event(const event& e) override;
  // Writes the page whole, or throws std::runtime_error and leaves the file
  // as it was (replace_file.hpp).
  void end(outcome result, const std::string& report) override;

  static constexpr std::size_t steps_kept = 2000;  // the last ones, where a run ends

 private:
  struct step {
    event what;
    std::string text;
    std::vector<std::string> buffer;   // the items after it
    std::vector<std::string> states;   // each thread's, after it, in words
    std::vector<seen_state> seen;      // ... and as its lane shows it
    std::vector<std::uint32_t> lines;  // each thread's last line of the lesson
  };

  std::string data(outcome result, const decisive_moment& moment) const;  // for the script
  void write_heading(std::ostream& page, outcome result) const;
  void write_stepper(std::ostream& page, outcome result, bool has_report) const;
  void write_legend(std::ostream& page, const decisive_moment& moment) const;
  void write_trace(std::ostream& page) const;

  const cast& who_;
  std::string path_;
  run_view view_;
  story story_;
  std::vector<std::uint32_t> lines_;
  std::deque<step> steps_;
  std::vector<std::string> source_;
  std::string file_;
  std::uint64_t events_seen_ = 0;
};

}  // namespace lesson
