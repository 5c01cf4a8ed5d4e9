#include "model/trace_formats.hpp"

#include <algorithm>

namespace lesson {

const std::vector<trace_format_row>& trace_formats() {
  // Columns: format, name, note, needs an observed run, writes records, maker.
  static const std::vector<trace_format_row> table = {
      {trace_format::text, "text", "a line an event", false, false, make_text_tracer},
      {trace_format::table, "table", "a column a thread, with the lock", true, false,
       make_table_tracer},
      {trace_format::csv, "csv", nullptr, true, true, make_csv_tracer},
      {trace_format::jsonl, "jsonl", nullptr, true, true, make_jsonl_tracer},
      {trace_format::cookbook, "cookbook", "the recipe's own lines", false, false,
       make_cookbook_tracer},
      {trace_format::none, "none", nullptr, false, false, nullptr},
  };
  return table;
}

const trace_format_row& row_of(trace_format format) {
  const std::vector<trace_format_row>& table = trace_formats();
  return *std::find_if(table.begin(), table.end(),
                       [format](const trace_format_row& row) { return row.format == format; });
}

const trace_format_row* trace_format_named(const std::string& name) {
  for (const trace_format_row& row : trace_formats()) {
    if (name == row.name) {
      return &row;
    }
  }
  return nullptr;
}

const char* to_string(trace_format format) {
  return row_of(format).name;
}

std::string formats_writing_records(const std::string& more) {
  std::vector<std::string> names;
  for (const trace_format_row& row : trace_formats()) {
    if (row.writes_records) {
      names.emplace_back(row.name);
    }
  }
  if (!more.empty()) {
    names.push_back(more);
  }
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    text += i == 0 ? "" : i + 1 == names.size() ? " and " : ", ";
    text += names[i];
  }
  return text;
}

}  // namespace lesson
