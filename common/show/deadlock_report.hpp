// The report of a deadlock: every live thread waits and nothing moves.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "show/describe.hpp"
#include "show/stall.hpp"

namespace lesson {

// Every live thread waits and nothing moves: who waits on which condition for
// what, who could go on, and why it sleeps (lost_wakeup_of), from the run's
// last events (oldest first). `seen_at_once`: an observed run, whose scheduler knows it
// the moment the last thread sleeps; else the watchdog saw nothing move.
std::string deadlock_report(const cast& who, std::size_t buffer_size,
                            const std::vector<sleeper>& sleepers, const std::vector<event>& recent,
                            bool seen_at_once = false);

}  // namespace lesson
