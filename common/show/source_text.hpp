// The lesson's own source, for the screens that show it beside a run (--play,
// --html): read from where it was compiled, else from samples/ found from the
// program's folder (a build folder moved with its source tree) or under the
// working folder.
#pragma once

#include <string>
#include <vector>

namespace lesson {

// The file's lines, numbered from 1 (element 0 is empty); none when it cannot
// be read, which the program then says once on stderr, with where it looked. `compiled_as` is an
// event's file, as std::source_location gave it.
std::vector<std::string> lesson_source(const char* compiled_as);

}  // namespace lesson
