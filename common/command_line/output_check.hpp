// Output that could not be written is an error the program says, as cp or
// sort do: a full disk or a closed pipe must not pass for a good run.
#pragma once

namespace lesson {

// Call first in main. From then on std::cout notes the first write to
// standard output that fails, and why; SIGPIPE is ignored, so that a closed
// pipe fails a write (EPIPE) instead of killing the program without a word.
void watch_standard_output();

// Call last in main, with the exit code it would return: flushes std::cout
// and stdout, and if a write to them failed says so on stderr in one line,
// "PROGRAM: cannot write to standard output: REASON", and returns
// output_failed_exit_code (outcome.hpp); else returns `status`.
int checked_exit(const char* program, int status);

}  // namespace lesson
