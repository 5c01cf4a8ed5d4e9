#include "drive/play.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/format.hpp>
#include <cerrno>
#include <optional>
#include <ostream>
#include <sstream>

#include "command_line/input.hpp"
#include "drive/explore.hpp"
#include "drive/play_round.hpp"
#include "engine/run.hpp"
#include "engine/signals.hpp"
#include "model/schedule.hpp"
#include "show/columns.hpp"
#include "show/replay.hpp"

namespace lesson {

namespace {

bool closed(int fd) {
  return fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

outcome goal_of(const definition& lesson, const settings& chosen) {
  if (chosen.goal != outcome::ok) {
    return chosen.goal;
  }
  return lesson.teaches == outcome::deadlock ? outcome::deadlock : outcome::violation;
}

// The fewest decisions explore knows to the goal, if it finds one within a second.
std::optional<std::size_t> best_known(const definition& lesson, const settings& config,
                                      outcome goal) {
  explore_limits quick;
  quick.seconds = 1;
  const exploration found = explore(lesson, config, quick);
  std::optional<std::size_t> best;
  for (const explored_outcome& o : found.outcomes) {
    if (o.result == goal && (!best || o.shortest.size() < *best)) {
      best = o.shortest.size();
    }
  }
  return best;
}

// The end of a round, within 80x24: its result first, then the report as
// far as it fits (`r` shows the whole of it), the replay line and the keys.
class end_screen {
 public:
  end_screen(std::string headline, const std::string& report, std::string replay, bool can_undo)
      : headline_(wrapped(headline, screen_width, 2) + '\n'),
        report_(wrapped(report.substr(0, report.find_last_not_of('\n') + 1), screen_width) + '\n'),
        replay_(std::move(replay)),
        can_undo_(can_undo) {
    // A row for the replay line as the terminal wraps it, one for the keys,
    // one for a line of feedback, one for the prompt.
    const std::size_t fixed =
        rows_of(headline_) + (replay_.empty() ? 0 : terminal_rows(replay_)) + 3;
    room_ = screen_rows - std::min(screen_rows, fixed);
    cut_ = rows_of(report_) > room_;
  }

  // Within 24 rows: the headline, as much of the report as fits, the replay
  // line, the keys, and what was wrong with the last key.
  std::string shown(const std::string& feedback) const {
    std::string report = report_;
    if (cut_) {
      std::size_t at = 0;
      for (std::size_t row = 0; row + 1 < room_; ++row) {
        at = report_.find('\n', at) + 1;
      }
      report = report_.substr(0, at) + "  ... " + std::to_string(rows_of(report_) - room_ + 1) +
               " more lines: r shows the whole report\n";
    }
    return new_screen() + headline_ + report + tail(feedback);
  }
  // The whole report, the headline and the keys under it, in sight.
  std::string whole() const { return new_screen() + report_ + headline_ + tail(""); }
  bool cut() const { return cut_; }
  bool can_undo() const { return can_undo_; }
  // Whether a key can do anything here but quit.
  bool has_choices() const { return can_undo_ || cut_; }
  std::string keys() const { return std::string(can_undo_ ? "u " : "") + (cut_ ? "r " : "") + "q"; }

 private:
  std::string tail(const std::string& feedback) const {
    return (replay_.empty() ? "" : replay_ + '\n') +
           (can_undo_ ? "u undo the last decision and play on, " : "") +
           (cut_ ? "r the whole report, " : "") + "q quit\n" +
           (feedback.empty() ? "" : feedback + '\n') + "> ";
  }

  std::string headline_;
  std::string report_;
  std::string replay_;
  bool can_undo_;
  std::size_t room_ = 0;  // rows for the report
  bool cut_ = false;
};

// "result: violation after 4 decisions of yours: as few as explore's best, 4"
std::string headline(outcome result, std::size_t decisions, outcome goal,
                     std::optional<std::size_t> best) {
  std::string line = "result: " + std::string(to_string(result)) + " after " +
                     std::to_string(decisions) + " decisions of yours";
  if (result != goal) {
    return line + "; the goal was " + to_string(goal);
  }
  if (best && decisions <= *best) {
    return line + ": as few as explore's best, " + std::to_string(*best);
  }
  return best ? line + "; explore's best is " + std::to_string(*best) + ": try to beat it" : line;
}

// The end screen until a key leaves it: whether the student undoes.
bool undone_at_the_end(const end_screen& end, key_reader& reader, std::ostream& screen) {
  std::string shown = end.shown("");
  for (;;) {
    screen << shown << std::flush;
    const std::optional<key_press> key = end.has_choices() ? reader.next() : std::nullopt;
    if (!key || key->is('q')) {
      screen << '\n';
      return false;
    }
    if (key->is('u') && end.can_undo()) {
      return true;
    }
    shown = key->is('r') && end.cut()
                ? end.whole()
                : end.shown(key->shown() + ": not a choice here; keys: " + end.keys());
  }
}

// What --play asks of this lesson: "a violation", "a deadlock".
std::string challenge_of(const definition& lesson) {
  return lesson.teaches == outcome::deadlock ? "a deadlock" : "a violation";
}

}  // namespace

std::string how_to_play(const definition& lesson) {
  // Where --play starts small: where the lesson's bug shows, if it has one.
  explore_limits quick;
  quick.max_runs = 20000;
  quick.seconds = 2;
  const std::optional<settings> bug = where_bug_shows(lesson, quick);
  const std::string small =
      bug ? configuration_options(*bug) : "--producers 1 --consumers 2 --capacity 1 --items 2";
  return "Play it (--play, you are the scheduler): make " + challenge_of(lesson) +
         (lesson.teaches == outcome::ok ? ", which this lesson's code does not allow: try"
                                        : " in as few decisions as you can") +
         "; start small: --play " + small + ".\n";
}

int play(const definition& lesson, const settings& chosen, int keys, std::ostream& screen) {
  if (closed(keys)) {
    throw usage_error("--play: standard input is closed; keys are read from it");
  }
  settings config = explored_settings(chosen);
  config.columns = screen_width;
  config.played = true;
  const outcome goal = goal_of(lesson, chosen);
  const std::optional<std::size_t> best = best_known(lesson, config, goal);
  const std::string goal_line = (boost::format("%s: make %s%s") % lesson.name %
                                 (goal == outcome::deadlock ? "a deadlock" : "a violation") %
                                 (best ? " (best known: " + std::to_string(*best) + ")" : ""))
                                    .str();
  key_reader reader(keys);
  std::vector<std::size_t> decided;
  std::string notice;
  for (;;) {
    const played_round attempt =
        play_round(lesson, config, decided, reader, screen, goal_line, notice);
    const run_result& r = attempt.result;
    decided = attempt.decisions;
    switch (attempt.how_it_ended) {
      case played_round::ending::undo:
        notice = "undone: the run again without your last decision";
        decided.pop_back();
        continue;
      case played_round::ending::quit:
        screen << "\nquit after " << decided.size() << " decisions\n";
        return 0;
      case played_round::ending::signal:
        screen << "\ninterrupted\n";
        return exit_code(outcome::interrupted, caught_signal());
      case played_round::ending::ran_out:
        break;
    }
    const end_screen end(
        headline(r.result, decided.size(), goal, best),
        r.report.empty() ? "The run ended: " + std::string(to_string(r.result)) : r.report,
        r.schedule.empty()
            ? ""
            : replay_line(lesson, config, schedule_text(r.schedule, config.producers)),
        !decided.empty());
    if (!undone_at_the_end(end, reader, screen)) {
      return exit_code(r.result);
    }
    notice = "undone: the run again without your last decision";
    decided.pop_back();
  }
}

}  // namespace lesson
