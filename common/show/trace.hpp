// How a run's events are printed (--trace). `text` is for the classroom and
// prints one line for each event. `table` gives each thread a column and
// shows the lock's own steps too. `csv` and `jsonl` are records for programs.
// `cookbook` prints the recipe's own words, to compare with its notebook.
// Each tracer is an event sink; model/trace_formats.hpp lists the formats.
#pragma once

#include <iosfwd>
#include <memory>

#include "show/describe.hpp"

namespace lesson {

// The tracer of `format` (its row's maker), writing to `out`; null for
// trace_format::none.
std::unique_ptr<event_sink> make_tracer(trace_format format, const cast& who, std::ostream& out);

}  // namespace lesson
