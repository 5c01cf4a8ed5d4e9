// SIGINT and SIGTERM end the run under way: the watchdog's next look stops it,
// wakes and joins its threads, and the summary says `result: interrupted`.
#pragma once

namespace lesson {

void stop_runs_on_signals();
// The signal caught since the program began, 0 for none.
int caught_signal();
// After an interrupted run: die of the signal, so that a calling script stops too.
void end_as_signalled();

}  // namespace lesson
