// Where a run is put together: the lesson's steps, free or observed as its
// settings need, and the sinks that show it (the trace, the timeline, an
// observer). The run's core knows none of these.
#pragma once

#include <functional>
#include <iosfwd>

#include "engine/run.hpp"

namespace lesson {

// Sees every event of a run as it is recorded, with the run it belongs to.
using event_observer = std::function<void(const event&, const run_context&)>;

// One run of `lesson`, free or observed as `chosen` needs; the trace goes to `out`.
run_result run_once(const definition& lesson, const settings& chosen, std::ostream& out,
                    const event_observer& observer = {});
// The same with no trace and no timeline, for a program that shows the run
// its own way (through `observer`) or only counts it.
run_result run_unshown(const definition& lesson, settings chosen,
                       const event_observer& observer = {});

// One explored run of `lesson`, unshown: `explore` decides its way (explore.hpp).
run_result run_explored(const definition& lesson, const settings& chosen, exploring explore);

}  // namespace lesson
