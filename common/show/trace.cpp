#include "show/trace.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <ostream>
#include <sstream>

#include "show/columns.hpp"
#include "show/view.hpp"

namespace lesson {

namespace {

class text_tracer final : public event_sink {
 public:
  text_tracer(const cast& who, std::ostream& out) : who_(who), out_(out) {}

  void begin() override {
    const settings& s = who_.config;
    std::ostringstream header;
    header << "== " << who_.lesson.name << ": " << who_.lesson.idea << '\n'
           << "   " << s.producers << (s.producers == 1 ? " producer, " : " producers, ")
           << s.consumers << (s.consumers == 1 ? " consumer" : " consumers") << ", capacity "
           << s.capacity << ", " << s.items << " items each; pauses "
           << s.producer_delay_ms * s.time_scale << " ms (P), "
           << s.consumer_delay_ms * s.time_scale << " ms (C)"
           << (who_.scripted() ? "; scripted" : "") << '\n'
           << "   watch for: " << who_.lesson.shows << '\n';
    if (s.source_lines) {
      header << "   :N after a thread's name: line N of " << who_.lesson.name
             << ".cpp made that step\n";
    }
    if (needs_observed_run(s)) {
      // The numbers count the lock's own steps too, which this trace leaves out.
      header << "   steps skip a number where a thread asked for, took or released the lock, "
                "or checked the buffer: --trace table shows those steps too\n";
    }
    out_ << wrapped(header.str(), s.columns, 2);
  }

  void on_event(const event& e) override {
    if (shown_in_text(e)) {
      out_ << text_line(e, who_) << '\n';
    }
  }

 private:
  const cast& who_;
  std::ostream& out_;
};

// The recipe's print statements, word for word, at the points where it makes
// them: a wakeup, a put, a take. Its own words, so its own switch.
class cookbook_tracer final : public event_sink {
 public:
  cookbook_tracer(const cast& who, std::ostream& out) : who_(who), out_(out) {}

  void on_event(const event& e) override {
    const bool producer = who_.role(e.worker) == role::producer;
    switch (e.action) {
      case action::woke:
        if (producer) {
          out_ << "Producer notify : items producted are " << e.size << '\n'
               << "Producer notify : stop the production!!\n";
        } else {
          out_ << "Consumer notify : no item to consume\n";
        }
        break;
      case action::put:
        out_ << "Producer notify : total items producted " << e.size << '\n';
        break;
      case action::take:
        out_ << "Consumer notify : consumed 1 item\n"
             << "Consumer notify : items to consume are " << e.size << '\n';
        break;
      default:
        break;
    }
    out_.flush();
  }

 private:
  const cast& who_;
  std::ostream& out_;
};

// One line per event: a cell per thread, then the buffer, then a remark. To
// fit the width, the buffer's column narrows (a count stands for a list too
// long for it) and a remark moves up to the buffer or down to the next line;
// what still does not fit wraps.
class table_tracer final : public event_sink {
 public:
  table_tracer(const cast& who, std::ostream& out)
      : out_(out),
        view_(who),
        lines_(who.config.source_lines),
        // Wide enough for the longest step: ">[take P8#20000]".
        cell_width_(std::max<std::size_t>(
            15, 8 + describe(item{who.config.producers - 1,
                                  static_cast<std::uint32_t>(who.config.items)})
                        .size())),
        columns_(who.config.columns),
        buffer_width_(fitting_buffer_width(who.names.size(), cell_width_, columns_,
                                           lines_ ? source_column(event{}).size() : 0)) {}

  void begin() override {
    std::string header = lines_ ? " step line " : " step ";
    for (const std::string& name : view_.names()) {
      header += ' ' + name + std::string(cell_width_ - name.size(), ' ');
    }
    out_ << wrapped(header + " buffer", columns_, hang) << '\n';
  }

  void on_event(const event& e) override {
    view_.apply(e);
    std::string row = (boost::format("%5d ") % e.step).str() + (lines_ ? source_column(e) : "");
    for (unsigned id = 0; id < view_.names().size(); ++id) {
      std::string cell = id == e.worker ? view_.describe_step(e) : "";
      if (cell.empty()) {
        cell = view_.describe_state(id);
      }
      row += ' ' + cell + std::string(cell_width_ - std::min(cell_width_, cell.size()), ' ');
    }
    const std::size_t buffer_at = row.size() + 1;
    const std::string contents = view_.contents(buffer_width_);
    row += ' ' + contents;
    if (const std::string remark = view_.remark(e); !remark.empty()) {
      const std::size_t remark_at = std::max(buffer_at + buffer_width_, row.size()) + 1;
      const std::size_t close_up = row.size() + 2;  // when the aligned remark would not fit
      if (columns_ == 0 || remark_at + remark.size() <= columns_) {
        row += std::string(remark_at - row.size(), ' ') + remark;
      } else if (close_up + remark.size() <= columns_) {
        row += "  " + remark;
      } else {
        row += '\n' + std::string(std::min(buffer_at, columns_ / 2), ' ') + remark;
      }
    }
    out_ << wrapped(row, columns_, hang) << '\n';
  }

 private:
  static constexpr std::size_t widest_buffer = 13;
  static constexpr std::size_t narrowest_buffer = 5;
  static constexpr std::size_t hang = 6;  // a wrapped row goes on under the first cell

  static std::size_t fitting_buffer_width(std::size_t threads, std::size_t cell_width,
                                          std::size_t columns, std::size_t line_column) {
    const std::size_t cells_end = 6 + line_column + threads * (cell_width + 1) + 1;
    if (columns == 0 || columns >= cells_end + widest_buffer) {
      return widest_buffer;
    }
    return columns > cells_end + narrowest_buffer ? columns - cells_end : narrowest_buffer;
  }

  std::ostream& out_;
  run_view view_;
  bool lines_;              // a column of the lesson's source lines
  std::size_t cell_width_;  // of a thread's cell
  std::size_t columns_;
  std::size_t buffer_width_;
};

// With --repeat, csv and jsonl say which run each record is from.
bool repeated(const cast& who) {
  return who.config.repeat > 1;
}

// The fields every record has, in csv and jsonl alike.
struct record_fields {
  std::string time_ms;  // empty in scripted runs: they keep logical time only
  std::string thread;
  std::string action;
  std::string detail;
  std::string condition;
  std::string file;  // the lesson's file and line that made the event; empty for the lock's own
  std::string line;
};

record_fields fields_of(const event& e, const cast& who) {
  record_fields f;
  if (e.ms >= 0 && !who.scripted()) {
    f.time_ms = (boost::format("%.3f") % e.ms).str();
  }
  f.thread = who.name(e.worker);
  f.action = words_for(e.action).word;
  f.detail = detail_of(e, who);
  f.condition = e.condition;
  if (e.line != 0) {
    f.file = file_name_of(e.file);
    f.line = std::to_string(e.line);
  }
  return f;
}

class csv_tracer final : public event_sink {
 public:
  csv_tracer(const cast& who, std::ostream& out) : who_(who), out_(out), view_(who) {}

  // With --repeat, one header for every run, and a column that says which run.
  void begin() override {
    if (who_.config.run_number > 1) {
      return;
    }
    out_ << (repeated(who_) ? "run," : "")
         << "step,time_ms,thread,action,detail,condition,file,line,buffer_size";
    for (const std::string& name : view_.names()) {
      out_ << ",state_" << name;
    }
    out_ << '\n';
  }

  void on_event(const event& e) override {
    view_.apply(e);
    const record_fields f = fields_of(e, who_);
    if (repeated(who_)) {
      out_ << who_.config.run_number << ',';
    }
    out_ << e.step << ',' << f.time_ms << ',' << f.thread << ',' << f.action << ',' << f.detail
         << ',' << f.condition << ',' << f.file << ',' << f.line << ',' << e.size;
    for (unsigned id = 0; id < view_.names().size(); ++id) {
      out_ << ',' << view_.describe_state(id);
    }
    out_ << '\n';
  }

 private:
  const cast& who_;
  std::ostream& out_;
  run_view view_;
};

std::string json_string(const std::string& text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
    }
    quoted += c;
  }
  return quoted + '"';
}

class jsonl_tracer final : public event_sink {
 public:
  jsonl_tracer(const cast& who, std::ostream& out) : who_(who), out_(out), view_(who) {}

  void on_event(const event& e) override {
    view_.apply(e);
    const record_fields f = fields_of(e, who_);
    out_ << '{';
    if (repeated(who_)) {
      out_ << "\"run\":" << who_.config.run_number << ',';
    }
    out_ << "\"step\":" << e.step;
    if (!f.time_ms.empty()) {
      out_ << ",\"time_ms\":" << f.time_ms;
    }
    out_ << ",\"thread\":" << json_string(f.thread) << ",\"action\":" << json_string(f.action);
    if (!f.detail.empty()) {
      out_ << ",\"detail\":" << json_string(f.detail);
    }
    if (!f.condition.empty()) {
      out_ << ",\"condition\":" << json_string(f.condition);
    }
    if (!f.line.empty()) {
      out_ << ",\"file\":" << json_string(f.file) << ",\"line\":" << f.line;
    }
    out_ << ",\"buffer_size\":" << e.size << ",\"states\":{";
    for (unsigned id = 0; id < view_.names().size(); ++id) {
      out_ << (id == 0 ? "" : ",") << json_string(view_.names()[id]) << ':'
           << json_string(view_.describe_state(id));
    }
    out_ << "}}\n";
  }

 private:
  const cast& who_;
  std::ostream& out_;
  run_view view_;
};

}  // namespace

std::unique_ptr<event_sink> make_text_tracer(const cast& who, std::ostream& out) {
  return std::make_unique<text_tracer>(who, out);
}

std::unique_ptr<event_sink> make_table_tracer(const cast& who, std::ostream& out) {
  return std::make_unique<table_tracer>(who, out);
}

std::unique_ptr<event_sink> make_csv_tracer(const cast& who, std::ostream& out) {
  return std::make_unique<csv_tracer>(who, out);
}

std::unique_ptr<event_sink> make_jsonl_tracer(const cast& who, std::ostream& out) {
  return std::make_unique<jsonl_tracer>(who, out);
}

std::unique_ptr<event_sink> make_cookbook_tracer(const cast& who, std::ostream& out) {
  return std::make_unique<cookbook_tracer>(who, out);
}

std::unique_ptr<event_sink> make_tracer(trace_format format, const cast& who, std::ostream& out) {
  const tracer_maker make = row_of(format).make;
  return make != nullptr ? make(who, out) : nullptr;
}

}  // namespace lesson
