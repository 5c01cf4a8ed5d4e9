// What bench measures: every correct lesson through its own harness, and the
// same buffers written plainly, each a variant with a name and a function
// that runs it once in a configuration.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bench_kernels.hpp"

namespace bench {

struct variant {
  std::string name;
  std::function<sample(const config&)> run;
  // A lesson's plain twin: the variant that runs the same buffer without the
  // harness, as the lesson's definition names it. Empty when it names none.
  std::string twin{};
};

// The variant every other is measured against, in the same repetition.
inline const std::string baseline = "sync_bounded_queue";

// Every variant: the correct lessons in the registry's order, then the plain
// queues. `no_interruptions`: the path of the bench_no_interruptions program.
// Throws std::logic_error when a lesson names a twin that is no variant.
std::vector<variant> variants(const std::string& no_interruptions);

}  // namespace bench
