// --html FILE: one run as a page to step through in a browser, for the
// projector. Self-contained (no network, no external script or font): the
// lesson's source with a marker per thread on its line, the buffer's slots,
// each condition's waiters, the lock holder, a lane per thread with an arrow
// from each notify to the wakeup it caused, and buttons and keys for next,
// previous, play/pause and the failure. Without JavaScript the page still
// shows the whole trace as a table.
#pragma once

#include <string>
#include <vector>

#include "describe.hpp"
#include "view.hpp"

namespace lesson {

class webpage final : public event_sink {
 public:
  webpage(const cast& who, std::string path);
  void on_event(const event& e) override;
  // Writes the page whole, or throws std::runtime_error and leaves the file
  // as it was (replace_file.hpp).
  void end(outcome result, const std::string& report) override;

  static constexpr std::size_t steps_kept = 2000;  // the first ones: a page stays small

 private:
  struct step {
    std::uint64_t number = 0;
    unsigned worker = 0;
    std::string text;
    std::uint32_t line = 0;
    std::vector<std::string> buffer;   // the items after it
    std::vector<std::string> states;   // each thread's, after it
    std::vector<std::uint32_t> lines;  // each thread's last line of the lesson
    std::uint64_t woken_by = 0;        // a wakeup: the step of the notify
    bool violation = false;
  };

  const cast& who_;
  std::string path_;
  run_view view_;
  std::vector<std::uint32_t> lines_;
  std::vector<std::string> items_;
  std::vector<step> steps_;
  std::vector<std::string> source_;
  std::string file_;
  std::uint64_t events_seen_ = 0;
};

}  // namespace lesson
