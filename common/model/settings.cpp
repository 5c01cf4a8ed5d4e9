#include "model/settings.hpp"

namespace lesson {

const char* to_string(trace_format format) {
  switch (format) {
    case trace_format::text:
      return "text";
    case trace_format::table:
      return "table";
    case trace_format::csv:
      return "csv";
    case trace_format::jsonl:
      return "jsonl";
    case trace_format::cookbook:
      return "cookbook";
    case trace_format::none:
      return "none";
  }
  return "?";
}

bool needs_observed_run(const settings& chosen) {
  return !chosen.script.empty() || !chosen.svg_file.empty() || !chosen.html_file.empty() ||
         chosen.trace == trace_format::table || chosen.trace == trace_format::csv ||
         chosen.trace == trace_format::jsonl;
}

}  // namespace lesson
