// How wide a line of the human-readable output may be, and lines wrapped to
// fit. A projector shows 80 or 120 columns: words are wrapped, never cut.
// csv, jsonl and a line meant to be copied as a command are never wrapped.
#pragma once

#include <cstddef>
#include <string>

namespace lesson {

// COLUMNS when it holds a number, else the terminal's width when standard
// output is one, else 80; kept between 40 and 1000.
std::size_t output_width();

// `text` with each of its lines wrapped at spaces to at most `width` columns.
// A continuation line starts with its line's own indentation plus `hang`
// spaces; a word longer than a whole line is split, so nothing is lost. A
// drawn buffer ("|##..| 2/4") is kept on one line.
// A width of 0 leaves the text as it is.
std::string wrapped(const std::string& text, std::size_t width, std::size_t hang = 2);

}  // namespace lesson
