// The trace formats (--trace), one row each in one table: the name the
// option takes, what --help says of it, whether it needs an observed run,
// whether its records keep standard output to themselves, and the function
// that makes its tracer. Everything that names, describes, makes or routes a
// trace reads this table, so a new format is its enumerator, its row here and
// its tracer in show/trace.cpp.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace lesson {

class event_sink;
struct cast;

// A lesson's settings name their format with this (01 uses cookbook).
enum class trace_format { text, table, csv, jsonl, cookbook, none };

// Makes a tracer: an event sink that writes the run of `who` to `out`.
using tracer_maker = std::unique_ptr<event_sink> (*)(const cast& who, std::ostream& out);

struct trace_format_row {
  trace_format format;
  const char* name;  // as --trace takes it
  const char* note;  // what --help says of it; nullptr when the name says enough
  // The format shows the lock's own steps, which only an observed run
  // (scheduler.hpp) records.
  bool needs_observed_run;
  // The format writes records for programs, with every field of an event: its
  // records keep standard output to themselves, so the report and the
  // summary go to standard error, and nothing in them is wrapped.
  bool writes_records;
  tracer_maker make;  // nullptr for a run shown by its reports only
};

// Every format, in the order --help lists them.
const std::vector<trace_format_row>& trace_formats();
const trace_format_row& row_of(trace_format format);
// nullptr when no format has the name.
const trace_format_row* trace_format_named(const std::string& name);
const char* to_string(trace_format format);
// The names of the formats that write records, as a sentence lists them,
// followed by `more` when given: "csv and jsonl", "csv, jsonl and the replay: line".
std::string formats_writing_records(const std::string& more = "");

// The tracers, each defined beside its class in show/trace.cpp.
std::unique_ptr<event_sink> make_text_tracer(const cast& who, std::ostream& out);
std::unique_ptr<event_sink> make_table_tracer(const cast& who, std::ostream& out);
std::unique_ptr<event_sink> make_csv_tracer(const cast& who, std::ostream& out);
std::unique_ptr<event_sink> make_jsonl_tracer(const cast& who, std::ostream& out);
std::unique_ptr<event_sink> make_cookbook_tracer(const cast& who, std::ostream& out);

}  // namespace lesson
