// How a run's events are printed (--trace): `text` for the classroom, one line
// an event; `cookbook` in the recipe's own words, to diff against the notebook.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>

#include "run.hpp"

namespace lesson {

class tracer {
 public:
  virtual ~tracer() = default;
  virtual void begin() {}
  virtual void on_event(const event& e) = 0;
};

std::unique_ptr<tracer> make_tracer(trace_format format, const run_context& context,
                                    std::ostream& out);

// "|###.......| 3/10", or "3/1024" when the buffer is too large to draw.
std::string draw_buffer(std::size_t size, std::size_t capacity);
// One event as the text trace prints it, also used by the deadlock report.
std::string text_line(const event& e, const run_context& context);

}  // namespace lesson
