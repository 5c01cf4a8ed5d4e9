// --play: the student is the scheduler. A run of the lesson's real threads
// stops at every decision that can go more than one way (who takes the free
// lock, which waiter a notify_one wakes, whether a waiter wakes with no
// notify) and shows, in 80x24, each thread's state and the line of the
// lesson's code it is at, the buffer, the lock and the waiters; the student
// picks with one key. Undo replays the run without the last decision: an
// observed run is a function of its decisions (scheduler.hpp).
#pragma once

#include <iosfwd>
#include <string>

#include "model/definition.hpp"
#include "model/settings.hpp"

namespace lesson {

// Plays `lesson` with `chosen` (its pauses dropped), the keys read from the
// file descriptor `keys` (a terminal: one key press each; a pipe: one key a
// line), the screens written to `screen`. Returns the exit code: the last
// run's outcome (0, 1 or 3), 2 when `keys` is closed, 130/143 on a signal.
int play(const definition& lesson, const settings& chosen, int keys, std::ostream& screen);

// The paragraph of a lesson's --help about --play: what to make happen, and
// a small configuration to start with (where the lesson's bug shows).
std::string how_to_play(const definition& lesson);

}  // namespace lesson
