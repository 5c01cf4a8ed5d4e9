#include "drive/play_round.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/format.hpp>
#include <boost/thread/mutex.hpp>
#include <deque>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>

#include "drive/play_code.hpp"
#include "engine/signals.hpp"
#include "show/columns.hpp"
#include "show/reports.hpp"
#include "show/source_text.hpp"
#include "show/view.hpp"

namespace lesson {

// On a terminal each screen replaces the last; a pipe gets them one after another.
std::string new_screen() {
  return isatty(STDOUT_FILENO) != 0 ? "\033[H\033[2J" : "\n";
}

std::size_t rows_of(const std::string& text) {
  return text.empty() ? 0 : static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// How many rows a line takes on a terminal `screen_width` wide, which wraps it.
std::size_t terminal_rows(const std::string& line) {
  return std::max<std::size_t>(1, (line.size() + screen_width - 1) / screen_width);
}

namespace {

constexpr std::size_t most_code_rows = 13;
constexpr std::size_t fewest_code_rows = 3;
constexpr std::size_t events_shown = 4;
constexpr std::size_t events_kept = 32;

std::string choice_key(std::size_t index) {
  return std::string(
      1, index < 9 ? static_cast<char>('1' + index) : static_cast<char>('A' + (index - 9)));
}

// The events a screen lists: the lock's and the checks' among them, which
// show why a thread went where it did; an ask shows in the thread's place.
bool listed(const event& e) {
  return e.action != action::ask && e.action != action::script_end;
}

// Where a thread is at a decision: in words, and the lesson's line.
struct place {
  std::string words;
  std::uint32_t line = 0;
};

// A decision as the student made it, for the next screen to say what it did.
struct made_decision {
  decision what;
  seen_state before = seen_state::running;  // the thread's state as it was chosen
  std::uint64_t after_step = 0;             // the last step recorded then
  std::string notifier;                     // a wake: whose notify_one
};

// One run of the game: the decisions made so far replayed, then the
// student's, until the run ends or the student undoes or quits.
class round final : public event_sink {
 public:
  using ending = played_round::ending;

  round(const definition& lesson, const settings& config, const std::vector<std::size_t>& replay,
        key_reader& keys, std::ostream& screen, const std::string& goal_line, std::string notice)
      : lesson_(lesson),
        who_(lesson, config),
        view_(who_),
        code_(lesson_source(lesson.file)),
        puts_(who_.names.size(), 0),
        replay_(replay),
        keys_(keys),
        screen_(screen),
        goal_line_(goal_line),
        feedback_(std::move(notice)) {}

  void on_event(const event& e) override {
    const boost::lock_guard<boost::mutex> lock(mutex_);
    view_.apply(e);
    if (e.action == action::woke) {
      unasked_.erase(e.worker);
    } else if (e.action == action::put) {
      ++puts_.at(e.worker);
    }
    if (listed(e)) {
      recent_.push_back(e);
      recent_.back().decided = decided_by::nobody;  // every choice here is the student's
      if (recent_.size() > events_kept) {
        recent_.pop_front();
      }
    }
  }

  run_result run() {
    exploring chooser;
    chooser.spurious = limits::max_script_steps;  // `s` is always there to press
    chooser.choose = [this](const std::vector<decision>& options, bool may_stall,
                            explored_state* /*state*/) { return choose(options, may_stall); };
    run_context context(who_, {this}, words_of_stop, std::move(chooser));
    context_ = &context;
    lesson_.run_observed(context);
    context_ = nullptr;
    return context.result();
  }

  ending how_it_ended() const { return ending_; }
  const std::vector<std::size_t>& decisions() const { return made_; }

 private:
  // The ways a decision can go, by the keys that take them.
  struct ways {
    const std::vector<decision>& options;
    std::vector<std::size_t> moves;     // lock and wake options: keys 1, 2, ...
    std::vector<std::size_t> spurious;  // `s`
    bool may_stall = false;             // `n`
  };

  // With the scheduler's lock held: every thread has stopped.
  std::optional<std::size_t> choose(const std::vector<decision>& options, bool may_stall) {
    if (ending_ != ending::ran_out) {
      return std::nullopt;  // undone or quit: the run winds down unshown
    }
    ways open{options, {}, {}, may_stall};
    for (std::size_t i = 0; i < options.size(); ++i) {
      (options[i].what == decision::kind::spurious ? open.spurious : open.moves).push_back(i);
    }
    if (open.moves.size() + (may_stall ? 1 : 0) <= 1) {
      return open.moves.empty() ? options.size() : open.moves.front();  // one way on: no decision
    }
    const std::optional<std::size_t> picked =
        made_.size() < replay_.size() ? std::optional(replay_[made_.size()]) : asked(open);
    if (picked) {
      remember(options, *picked);
    }
    return picked;
  }

  // The student's pick, key by key; none when the round ends here.
  std::optional<std::size_t> asked(const ways& open) {
    bool which_waiter = false;  // `s` with more than one waiter: which one
    for (;;) {
      screen_ << screen(open, which_waiter) << std::flush;
      const std::optional<key_press> key = keys_.next();
      feedback_.clear();
      if (!key || key->is('q')) {
        ending_ = key || caught_signal() == 0 ? ending::quit : ending::signal;
        return std::nullopt;
      }
      if (key->is('u') && !made_.empty()) {
        ending_ = ending::undo;
        return std::nullopt;
      }
      const std::vector<std::size_t>& keyed = which_waiter ? open.spurious : open.moves;
      for (std::size_t i = 0; i < keyed.size(); ++i) {
        if (key->is(choice_key(i)[0])) {
          return keyed[i];
        }
      }
      if (which_waiter) {
        which_waiter = false;  // any other key: back to the decision
      } else if (key->is('n') && open.may_stall) {
        return open.options.size();
      } else if (key->is('s') && open.spurious.size() == 1) {
        return open.spurious.front();
      } else if (key->is('s') && !open.spurious.empty()) {
        which_waiter = true;
      } else {
        feedback_ = key->shown() + ": not a choice here; keys: " + keys_of(open);
      }
    }
  }

  std::string keys_of(const ways& open) const {
    std::string keys;
    for (std::size_t i = 0; i < open.moves.size(); ++i) {
      keys += choice_key(i) + ' ';
    }
    keys += std::string(open.may_stall ? "n " : "") + (open.spurious.empty() ? "" : "s ") +
            (made_.empty() ? "" : "u ") + "q";
    return keys;
  }

  void remember(const std::vector<decision>& options, std::size_t picked) {
    made_.push_back(picked);
    const boost::lock_guard<boost::mutex> lock(mutex_);
    last_.reset();
    if (picked >= options.size()) {
      return;  // every waiter sleeps on: the run ends here
    }
    last_ = made_decision{};
    last_->what = options[picked];
    last_->before = view_.state_of(options[picked].worker);
    last_->after_step = recent_.empty() ? 0 : recent_.back().step;
    for (unsigned id = 0; id < who_.names.size(); ++id) {
      if (view_.state_of(id) == seen_state::holds_lock) {
        last_->notifier = who_.names[id];
      }
    }
    if (options[picked].what == decision::kind::spurious) {
      view_.woken_unasked(options[picked].worker);
      unasked_.insert(options[picked].worker);
    }
  }

  std::string screen(const ways& open, bool which_waiter) {
    const boost::lock_guard<boost::mutex> lock(mutex_);
    const std::vector<place> places = places_now();
    std::string top =
        (boost::format("== play %s   decision %d\n") % goal_line_ % (made_.size() + 1)).str();
    if (last_) {
      top += wrapped(last_decision_text(), screen_width, 2) + '\n';
    }
    top += wrapped(state_line(), screen_width, 2) + '\n';
    std::string bottom = wrapped(threads_line(places), screen_width, 2) + '\n';
    const std::size_t from = recent_.size() - std::min(recent_.size(), events_shown);
    for (std::size_t i = from; i < recent_.size(); ++i) {
      bottom += text_line(recent_[i], who_) + '\n';
    }
    bottom += wrapped(which_waiter ? waiter_question(open) : choices(open), screen_width, 2) + '\n';
    if (!feedback_.empty()) {
      bottom += wrapped(feedback_, screen_width, 2) + '\n';
    }
    bottom += "> ";
    // A row is kept for a line of feedback, so that one does not move the code.
    const std::size_t used = rows_of(top) + rows_of(bottom) + (feedback_.empty() ? 2 : 1);
    const std::size_t code_rows =
        std::clamp(screen_rows - std::min(screen_rows, used), fewest_code_rows, most_code_rows);
    return new_screen() + top + code(places, code_rows) + bottom;
  }

  // Where each thread is now: the line it is about to run or is blocked in.
  std::vector<place> places_now() const {
    const std::vector<std::uint32_t> sites = context_->lines_of_threads();
    std::vector<place> places;
    for (unsigned id = 0; id < who_.names.size(); ++id) {
      const std::uint32_t site = sites.at(id);
      switch (view_.state_of(id)) {
        case seen_state::wants_lock:
          places.push_back({"asks for the lock", code_.lock_line(site, step_of(id))});
          break;
        case seen_state::woken:
          places.push_back({unasked_.count(id) != 0 ? "woken with no notify, wants the lock back"
                                                    : "woken, wants the lock back",
                            site});
          break;
        case seen_state::waiting:
          places.push_back({std::string("waits on ") + view_.condition_of(id), site});
          break;
        case seen_state::holds_lock:
          places.push_back({"holds the lock", site});
          break;
        case seen_state::running:
          places.push_back({"without the lock", site});
          break;
        case seen_state::done:
          places.push_back({"done", 0});
          break;
      }
    }
    return places;
  }

  // The step a thread that asks for the lock is in: the last producer, its
  // items all put, closes the buffer in lessons that do (09, 10).
  std::string step_of(unsigned id) const {
    if (who_.role(id) == role::consumer) {
      return "consume";
    }
    return puts_.at(id) == who_.config.items && code_.has_step("close") ? "close" : "produce";
  }

  std::string threads_line(const std::vector<place>& places) const {
    std::string line;
    for (unsigned id = 0; id < places.size(); ++id) {
      line += (id == 0 ? "" : "; ") + who_.names[id] + ' ' + places[id].words +
              (places[id].line != 0 ? " :" + std::to_string(places[id].line) : "");
    }
    return line;
  }

  std::string code(const std::vector<place>& places, std::size_t rows) const {
    std::map<std::uint32_t, std::string> marks;
    for (unsigned id = 0; id < places.size(); ++id) {
      if (places[id].line != 0) {
        std::string& mark = marks[places[id].line];
        mark += (mark.empty() ? "" : " ") + who_.names[id];
      }
    }
    if (code_.empty() && !marks.empty()) {
      return "  (" + file_name_of(lesson_.file) + ": its source is not where it was built)\n";
    }
    return code_.excerpt(marks, rows, screen_width);
  }

  // What the last decision did: "decision 3: you woke C1 with no notify (spurious)".
  std::string last_decision_text() const {
    const std::string& name = who_.names.at(last_->what.worker);
    std::string said = "decision " + std::to_string(made_.size()) + ": ";
    switch (last_->what.what) {
      case decision::kind::spurious:
        return said + "you woke " + name + " with no notify (spurious)";
      case decision::kind::wake:
        return said + last_->notifier + "'s notify_one woke " + name + ", as you chose";
      case decision::kind::lock:
        break;
    }
    said += name + (last_->before == seen_state::wants_lock ? " took the lock"
                    : last_->before == seen_state::woken    ? " took the lock back"
                                                            : " went on");
    for (const event& e : recent_) {
      const bool own = e.step > last_->after_step && e.worker == last_->what.worker;
      if (own && e.action != action::lock && e.action != action::woke) {
        return said + ": " + text_of(e, who_);
      }
    }
    return said;
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
        std::string& list = waiters[view_.condition_of(id)];
        list += (list.empty() ? "" : " ") + who_.names[id];
      }
    }
    line << holder;
    for (const auto& [condition, names] : waiters) {
      line << "   waiting on " << condition << ": " << names;
    }
    return line.str();
  }

  std::string choices(const ways& open) const {
    std::string line;
    for (std::size_t i = 0; i < open.moves.size(); ++i) {
      const decision& d = open.options[open.moves[i]];
      const std::string& name = who_.names.at(d.worker);
      const seen_state now = view_.state_of(d.worker);
      // A thread that runs or holds the lock waits at a point of the
      // lesson's code: it goes on; any other asks for the lock.
      line += choice_key(i) + ' ' +
              (d.what == decision::kind::wake ? "the notify wakes " + name
               : now == seen_state::running || now == seen_state::holds_lock
                   ? name + " goes on"
                   : name + " gets the lock") +
              "   ";
    }
    line += std::string(open.may_stall ? "n nobody: every waiter sleeps on   " : "") +
            (open.spurious.empty() ? "" : "s a waiter wakes with no notify   ") +
            (made_.empty() ? "" : "u undo   ") + "q quit";
    return line;
  }

  std::string waiter_question(const ways& open) const {
    std::string line = "which waiter wakes with no notify?";
    for (std::size_t i = 0; i < open.spurious.size(); ++i) {
      line += "   " + choice_key(i) + ' ' + who_.names.at(open.options[open.spurious[i]].worker);
    }
    return line + "   another key: back";
  }

  const definition& lesson_;
  const cast who_;
  mutable boost::mutex mutex_;  // what the threads' events change, below
  run_view view_;
  const lesson_code code_;
  std::deque<event> recent_;         // the last events listed, the student's choices unlabelled
  std::set<unsigned> unasked_;       // woken with no notify, not yet back from wait()
  std::vector<std::uint64_t> puts_;  // each producer's
  std::optional<made_decision> last_;

  run_context* context_ = nullptr;  // while it runs
  const std::vector<std::size_t>& replay_;
  std::vector<std::size_t> made_;
  key_reader& keys_;
  std::ostream& screen_;
  std::string goal_line_;
  std::string feedback_;  // the line under the choices: what was wrong with a key
  ending ending_ = ending::ran_out;
};

}  // namespace

played_round play_round(const definition& lesson, const settings& config,
                        const std::vector<std::size_t>& replay, key_reader& keys,
                        std::ostream& screen, const std::string& goal_line,
                        const std::string& notice) {
  round attempt(lesson, config, replay, keys, screen, goal_line, notice);
  played_round played{attempt.run(), {}, played_round::ending::ran_out};
  played.decisions = attempt.decisions();
  played.how_it_ended = attempt.how_it_ended();
  return played;
}

}  // namespace lesson
