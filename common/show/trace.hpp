// How a run's events are printed (--trace): `text` for the classroom, one line
// an event; `table`, a column a thread with the lock made visible; `csv` and
// `jsonl` for programs; `cookbook` in the recipe's own words, to diff against
// the notebook. Each is an event sink.
#pragma once

#include <iosfwd>
#include <memory>

#include "show/describe.hpp"

namespace lesson {

// The trace in `format`, written to `out`; null for trace_format::none.
std::unique_ptr<event_sink> make_tracer(trace_format format, const cast& who, std::ostream& out);

}  // namespace lesson
