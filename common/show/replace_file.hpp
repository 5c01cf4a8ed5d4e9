// Writing an output file whole or not at all: a reader (or a slide) never sees
// it half-written, and a failed run leaves no empty file behind.
#pragma once

#include <stdexcept>
#include <string>

namespace lesson {

// An output file that could not be written: the program says so and exits
// with output_failed_exit_code (outcome.hpp), not as for bad usage.
struct output_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes `text` to a temporary file in the folder of `path`, then renames it
// over `path`. On failure removes the temporary and throws output_error, one
// line: "<option>: cannot write <path>: <the OS reason>".
void replace_file(const std::string& path, const std::string& text, const std::string& option);

}  // namespace lesson
