// The `replay:` line that follows a failed run: the command that runs the
// same schedule again, with the same threads, buffer and items and no pauses.
#pragma once

#include <string>

#include "model/definition.hpp"
#include "model/settings.hpp"

namespace lesson {

// Remembers how this program was started (its argv[0]), which a replay: line
// names; until then a replay: line names build/bin/ and the lesson.
void remember_program_path(const std::string& path);
// "replay: PROGRAM --producers 1 ... --script C1,P1,wake=C2".
std::string replay_line(const definition& lesson, const settings& chosen,
                        const std::string& schedule);

}  // namespace lesson
