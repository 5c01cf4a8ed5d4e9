// The style sheet and the scripts of the --html page (webpage.hpp), written
// into each page so that it needs no network.
#pragma once

namespace lesson {

extern const char* const webpage_style;
// Draws a lane for each thread, from the page's run data.
extern const char* const webpage_lanes_script;
// The stepper: next, previous, play/pause, the failure, and the keys for them.
extern const char* const webpage_script;
// Runs last: shows the stepper once everything it calls is defined.
extern const char* const webpage_start;

}  // namespace lesson
