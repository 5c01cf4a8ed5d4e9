#include "play.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <boost/format.hpp>
#include <boost/thread/mutex.hpp>
#include <cerrno>
#include <csignal>
#include <deque>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>

#include "columns.hpp"
#include "driver.hpp"
#include "explore.hpp"
#include "input.hpp"
#include "run.hpp"
#include "signals.hpp"
#include "source_text.hpp"
#include "view.hpp"

namespace lesson {

namespace {

constexpr std::size_t screen_width = 80;
constexpr std::size_t code_lines = 11;  // what is left of 24 lines for the lesson's code
constexpr std::size_t events_shown = 3;

// Keys, one at a time: from a terminal as they are pressed (its line
// editing off while playing), from a pipe or file as characters, blanks and
// line ends skipped. Waits in slices, to see a Ctrl-C the run caught.
class key_reader {
 public:
  explicit key_reader(int fd) : fd_(fd) {
    if (isatty(fd_) != 0 && tcgetattr(fd_, &saved_) == 0) {
      termios raw = saved_;
      raw.c_lflag &= ~static_cast<tcflag_t>(ICANON);
      raw.c_cc[VMIN] = 1;
      raw.c_cc[VTIME] = 0;
      restore_ = tcsetattr(fd_, TCSANOW, &raw) == 0;
    }
  }
  ~key_reader() {
    if (restore_) {
      tcsetattr(fd_, TCSANOW, &saved_);
    }
  }
  key_reader(const key_reader&) = delete;
  key_reader& operator=(const key_reader&) = delete;

  // The next key; none at the end of the input or on a signal.
  std::optional<char> next() {
    for (;;) {
      if (caught_signal() != 0) {
        return std::nullopt;
      }
      pollfd ready{fd_, POLLIN, 0};
      const int polled = poll(&ready, 1, 100);
      if (polled == 0 || (polled < 0 && errno == EINTR)) {
        continue;
      }
      char key = 0;
      const ssize_t got = read(fd_, &key, 1);
      if (got < 0 && errno == EINTR) {
        continue;
      }
      if (got <= 0) {
        return std::nullopt;
      }
      if (key != ' ' && key != '\n' && key != '\r' && key != '\t') {
        return key;
      }
    }
  }

 private:
  int fd_;
  termios saved_{};
  bool restore_ = false;
};

// A decision as the student reads it.
std::string choice_text(const decision& d, const run_view& view, const cast& who) {
  const std::string& name = who.names.at(d.worker);
  switch (d.what) {
    case decision::kind::lock:
      // A thread that runs or holds the lock waits at a point of the lesson's
      // code: it goes on; any other asks for the lock.
      return view.state_of(d.worker) == seen_state::running ||
                     view.state_of(d.worker) == seen_state::holds_lock
                 ? name + " goes on"
                 : name + " gets the lock";
    case decision::kind::wake:
      return "the notify wakes " + name;
    case decision::kind::spurious:
      return name + " wakes with no notify";
  }
  return name;
}

std::string choice_key(std::size_t index) {
  return std::string(
      1, index < 9 ? static_cast<char>('1' + index) : static_cast<char>('A' + (index - 9)));
}

// One run of the game: the decisions made so far replayed, then the
// student's, until the run ends or the student undoes or quits.
class round final : public event_sink {
 public:
  enum class ending { ran_out, undo, quit, signal };

  round(const definition& lesson, const settings& config, const std::vector<std::size_t>& replay,
        key_reader& keys, std::ostream& screen, const std::string& goal_line)
      : lesson_(lesson),
        who_(lesson, config),
        view_(who_),
        lines_of_(who_.names.size(), 0),
        replay_(replay),
        keys_(keys),
        screen_(screen),
        goal_line_(goal_line) {}

  void on_event(const event& e) override {
    const boost::lock_guard<boost::mutex> lock(mutex_);
    view_.apply(e);
    if (e.line != 0) {
      lines_of_.at(e.worker) = e.line;
      if (source_.empty() && !source_read_) {
        source_read_ = true;
        source_ = lesson_source(e.file);
        file_ = file_name_of(e.file);
      }
    }
    if (shown_in_text(e)) {
      last_events_.push_back(e);
      if (last_events_.size() > events_shown) {
        last_events_.pop_front();
      }
    }
  }

  run_result run() {
    exploring chooser;
    chooser.spurious = limits::max_script_steps;  // `s` is always there to press
    chooser.choose = [this](const std::vector<decision>& options, bool may_stall,
                            std::vector<std::uint64_t>* /*state*/) {
      return choose(options, may_stall);
    };
    run_context context(who_, {this}, std::move(chooser));
    lesson_.run_observed(context);
    return context.result();
  }

  ending how_it_ended() const { return ending_; }
  const std::vector<std::size_t>& decisions() const { return made_; }
  // The screen as it was at the last decision, for the end.
  std::string last_screen() const { return last_screen_; }

 private:
  // With the scheduler's lock held: every thread has stopped.
  std::optional<std::size_t> choose(const std::vector<decision>& options, bool may_stall) {
    if (ending_ != ending::ran_out) {
      return std::nullopt;  // undone or quit: the run winds down unshown
    }
    std::vector<std::size_t> moves;     // lock and wake options: keys 1, 2, ...
    std::vector<std::size_t> spurious;  // `s`
    for (std::size_t i = 0; i < options.size(); ++i) {
      (options[i].what == decision::kind::spurious ? spurious : moves).push_back(i);
    }
    if (moves.size() + (may_stall ? 1 : 0) <= 1) {
      return moves.empty() ? options.size() : moves.front();  // one way on: not a decision
    }
    if (made_.size() < replay_.size()) {
      made_.push_back(replay_[made_.size()]);
      return made_.back();
    }
    for (;;) {
      const std::string shown = screen(options, moves, spurious, may_stall);
      screen_ << shown << std::flush;
      const std::optional<char> key = keys_.next();
      if (!key || *key == 'q') {
        ending_ = key ? ending::quit : caught_signal() != 0 ? ending::signal : ending::quit;
        return std::nullopt;
      }
      if (*key == 'u') {
        ending_ = ending::undo;
        return std::nullopt;
      }
      std::optional<std::size_t> picked;
      if (*key == 'n' && may_stall) {
        picked = options.size();
      } else if (*key == 's' && !spurious.empty()) {
        picked = spurious.size() == 1 ? std::optional(spurious.front())
                                      : which_waiter(spurious, options);
      } else {
        for (std::size_t i = 0; i < moves.size(); ++i) {
          if (*key == choice_key(i)[0]) {
            picked = moves[i];
          }
        }
      }
      if (picked) {
        last_screen_ = shown;
        made_.push_back(*picked);
        return picked;
      }
      screen_ << "  no choice has the key '" << *key << "'\n";
    }
  }

  std::optional<std::size_t> which_waiter(const std::vector<std::size_t>& spurious,
                                          const std::vector<decision>& options) {
    screen_ << "  which waiter wakes with no notify?";
    for (std::size_t i = 0; i < spurious.size(); ++i) {
      screen_ << "  " << choice_key(i) << ' ' << who_.names.at(options[spurious[i]].worker);
    }
    screen_ << '\n' << std::flush;
    if (const std::optional<char> key = keys_.next()) {
      for (std::size_t i = 0; i < spurious.size(); ++i) {
        if (*key == choice_key(i)[0]) {
          return spurious[i];
        }
      }
    }
    return std::nullopt;
  }

  std::string screen(const std::vector<decision>& options, const std::vector<std::size_t>& moves,
                     const std::vector<std::size_t>& spurious, bool may_stall) {
    const boost::lock_guard<boost::mutex> lock(mutex_);
    std::ostringstream out;
    // On a terminal each screen replaces the last; a pipe gets them one after another.
    out << (isatty(STDOUT_FILENO) != 0 ? "\033[H\033[2J" : "\n") << "== play " << goal_line_
        << "   decision " << made_.size() + 1 << '\n';
    out << wrapped(state_line(), screen_width, 2) << '\n';
    out << code();
    std::ostringstream threads;
    for (unsigned id = 0; id < who_.names.size(); ++id) {
      threads << (id == 0 ? "" : "; ") << who_.names[id] << ' ' << view_.describe_state(id)
              << (lines_of_[id] != 0 ? " :" + std::to_string(lines_of_[id]) : "");
    }
    out << wrapped(threads.str(), screen_width, 2) << '\n';
    for (event e : last_events_) {
      e.ms = -1;  // the times of a run that waits for a person say nothing
      out << text_line(e, who_) << '\n';
    }
    std::ostringstream choices;
    for (std::size_t i = 0; i < moves.size(); ++i) {
      choices << choice_key(i) << ' ' << choice_text(options[moves[i]], view_, who_) << "   ";
    }
    if (may_stall) {
      choices << "n nobody: every waiter sleeps on   ";
    }
    if (!spurious.empty()) {
      choices << "s a waiter wakes with no notify   ";
    }
    choices << (made_.empty() ? "" : "u undo   ") << "q quit";
    out << wrapped(choices.str(), screen_width, 2) << "\n> ";
    return out.str();
  }

  // The buffer, who holds the lock, who waits on which condition.
  std::string state_line() const {
    std::ostringstream line;
    line << "buffer " << view_.contents(24) << "   lock: ";
    std::string holder = "free";
    std::map<std::string, std::string> waiters;
    for (unsigned id = 0; id < who_.names.size(); ++id) {
      if (view_.state_of(id) == seen_state::holds_lock) {
        holder = who_.names[id];
      }
      if (view_.state_of(id) == seen_state::waiting) {
        std::string condition = view_.describe_state(id).substr(5);  // after "wait "
        std::string& list = waiters[condition];
        list += (list.empty() ? "" : " ") + who_.names[id];
      }
    }
    line << holder;
    for (const auto& [condition, names] : waiters) {
      line << "   waiting on " << condition << ": " << names;
    }
    return line.str();
  }

  // The lesson's lines around each thread's, a thread's name beside its line.
  std::string code() const {
    std::map<std::uint32_t, std::string> marks;
    for (unsigned id = 0; id < who_.names.size(); ++id) {
      if (lines_of_[id] != 0) {
        std::string& mark = marks[lines_of_[id]];
        mark += (mark.empty() ? "" : " ") + who_.names[id];
      }
    }
    if (marks.empty() || source_.empty()) {
      return marks.empty() ? "" : "  (" + file_ + ": its source is not where it was built)\n";
    }
    // The widest context around the marked lines that fits.
    std::set<std::size_t> shown;
    for (std::size_t around = 6;; --around) {
      shown.clear();
      for (const auto& [line, names] : marks) {
        for (std::size_t at = line > around ? line - around : 1;
             at <= std::min<std::size_t>(line + around, source_.size() - 1); ++at) {
          shown.insert(at);
        }
      }
      std::size_t gaps = 0;
      for (auto at = shown.begin(); at != shown.end() && std::next(at) != shown.end(); ++at) {
        gaps += *std::next(at) != *at + 1 ? 1 : 0;
      }
      if (shown.size() + gaps <= code_lines || around == 0) {
        break;
      }
    }
    std::ostringstream out;
    std::size_t previous = 0;
    for (const std::size_t at : shown) {
      if (previous != 0 && at != previous + 1) {
        out << std::string(12, ' ') << "...\n";
      }
      previous = at;
      const auto mark = marks.find(static_cast<std::uint32_t>(at));
      const std::string who = mark == marks.end() ? "" : mark->second + " >";
      std::string text = (boost::format("%8s %3d  %s") % who % at % source_[at]).str();
      if (text.size() > screen_width) {
        text.resize(screen_width);
      }
      out << text << '\n';
    }
    return out.str();
  }

  const definition& lesson_;
  const cast who_;
  mutable boost::mutex mutex_;  // the view and the lines, which the threads' events change
  run_view view_;
  std::vector<std::uint32_t> lines_of_;  // each thread's last line of the lesson
  std::deque<event> last_events_;
  std::vector<std::string> source_;
  std::string file_;
  bool source_read_ = false;
  const std::vector<std::size_t>& replay_;
  std::vector<std::size_t> made_;
  key_reader& keys_;
  std::ostream& screen_;
  std::string goal_line_;
  std::string last_screen_;
  ending ending_ = ending::ran_out;
};

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

}  // namespace

std::string challenge_of(const definition& lesson) {
  return lesson.teaches == outcome::deadlock ? "a deadlock" : "a violation";
}

int play(const definition& lesson, const settings& chosen, int keys, std::ostream& screen) {
  if (closed(keys)) {
    throw usage_error("--play: standard input is closed; keys are read from it");
  }
  settings config = explored_settings(chosen);
  config.columns = screen_width;
  const outcome goal = goal_of(lesson, chosen);
  const std::optional<std::size_t> best = best_known(lesson, config, goal);
  const std::string goal_line = (boost::format("%s: make %s%s") % lesson.name %
                                 (goal == outcome::deadlock ? "a deadlock" : "a violation") %
                                 (best ? " (best known: " + std::to_string(*best) + ")" : ""))
                                    .str();
  key_reader reader(keys);
  std::vector<std::size_t> decided;
  for (;;) {
    round attempt(lesson, config, decided, reader, screen, goal_line);
    const run_result r = attempt.run();
    switch (attempt.how_it_ended()) {
      case round::ending::undo:
        decided = attempt.decisions();
        decided.pop_back();
        screen << "  undone: the run again without your last decision\n";
        continue;
      case round::ending::quit:
        screen << "\nquit after " << attempt.decisions().size() << " decisions\n";
        return 0;
      case round::ending::signal:
        screen << "\ninterrupted\n";
        return caught_signal() == SIGTERM ? 143 : 130;
      case round::ending::ran_out:
        break;
    }
    decided = attempt.decisions();
    screen << '\n'
           << wrapped(r.report.empty() ? "The run ended: " + std::string(to_string(r.result))
                                       : r.report,
                      screen_width)
           << '\n';
    if (!r.schedule.empty()) {
      screen << replay_line(lesson, config, r.schedule) << '\n';
    }
    screen << "result: " << to_string(r.result) << " after " << decided.size()
           << " decisions of yours";
    if (r.result == goal) {
      screen << (best && decided.size() <= *best
                     ? ": as few as explore's best, " + std::to_string(*best)
                 : best ? "; explore's best is " + std::to_string(*best) + ": try to beat it"
                        : "");
    } else {
      screen << "; the goal was " << to_string(goal);
    }
    screen << "\nu undo the last decision and play on, q quit\n> " << std::flush;
    const std::optional<char> key = decided.empty() ? std::nullopt : reader.next();
    if (key && *key == 'u') {
      decided.pop_back();
      continue;
    }
    screen << '\n';
    return exit_code(r.result);
  }
}

}  // namespace lesson
