// One round of --play: the decisions made so far replayed, then the
// student's, a key each, until the run ends or the student undoes or quits.
// Each decision is a screen of 80x24 (the threads, the lesson's code, the
// buffer, the lock, the waiters and the choices).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "drive/play_keys.hpp"
#include "engine/run.hpp"
#include "model/definition.hpp"

namespace lesson {

// The terminal --play fits.
constexpr std::size_t screen_width = 80;
constexpr std::size_t screen_rows = 24;

// What starts a screen: on a terminal each screen replaces the last; a pipe
// gets them one after another.
std::string new_screen();
// The lines of `text` that end with a newline.
std::size_t rows_of(const std::string& text);
// How many rows a line takes on a terminal screen_width wide, which wraps it.
std::size_t terminal_rows(const std::string& line);

struct played_round {
  run_result result;
  std::vector<std::size_t> decisions;  // the index of each option the student chose
  enum class ending { ran_out, undo, quit, signal } how_it_ended;
};

// Plays one round of `lesson` with `config`: the choices in `replay` first,
// then the student's keys from `keys`, the screens written to `screen` under
// `goal_line`, the first with `notice` under its choices.
played_round play_round(const definition& lesson, const settings& config,
                        const std::vector<std::size_t>& replay, key_reader& keys,
                        std::ostream& screen, const std::string& goal_line,
                        const std::string& notice);

}  // namespace lesson
