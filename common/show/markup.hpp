// What the SVG timeline and the HTML page share: text set into their markup,
// counts in words, and the look of a thread's lane, so that the two pictures
// say the same thing in the same colours.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "show/describe.hpp"

namespace lesson {

// `text` with &, <, > and " as entities, safe inside an element or a
// double-quoted attribute.
std::string escaped_for_markup(const std::string& text);

// "1 producer", "2 producers".
std::string counted(std::uint64_t count, const std::string& noun);

// The colour a lane shows a thread in while it is in a state, and what the
// legend says of it (short: the timeline's legend is one line).
struct state_style {
  seen_state state;
  const char* colour;
  const char* meaning;
  const char* ink;  // the colour of a mark drawn on it
};
const std::vector<state_style>& state_styles();
const state_style& style_of(seen_state state);

constexpr const char* arrow_colour = "#212121";  // an arrow from a notify to the wakeup it caused
// The failure, and the wakeup or the step that decides the run (story.hpp).
constexpr const char* alarm_colour = "#d50000";

}  // namespace lesson
