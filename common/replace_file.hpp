// Writing an output file whole or not at all: a reader (or a slide) never sees
// it half-written, and a failed run leaves no empty file behind.
#pragma once

#include <string>

namespace lesson {

// Writes `text` to a temporary file in the folder of `path`, then renames it
// over `path`. On failure removes the temporary and throws std::runtime_error,
// one line: "<option>: cannot write <path>: <the OS reason>".
void replace_file(const std::string& path, const std::string& text, const std::string& option);

}  // namespace lesson
