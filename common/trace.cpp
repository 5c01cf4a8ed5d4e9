#include "trace.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <ostream>

#include "view.hpp"

namespace lesson {

namespace {

class text_tracer final : public event_sink {
 public:
  text_tracer(const cast& who, std::ostream& out) : who_(who), out_(out) {}

  void begin() override {
    const settings& s = who_.config;
    out_ << "== " << who_.lesson.name << ": " << who_.lesson.idea << '\n'
         << "   " << s.producers << (s.producers == 1 ? " producer, " : " producers, ")
         << s.consumers << (s.consumers == 1 ? " consumer" : " consumers") << ", capacity "
         << s.capacity << ", " << s.items << " items each; pauses "
         << s.producer_delay_ms * s.time_scale << " ms (P), " << s.consumer_delay_ms * s.time_scale
         << " ms (C)" << (who_.scripted() ? "; scripted" : "") << '\n'
         << "   watch for: " << who_.lesson.shows << '\n';
    if (needs_observed_run(s)) {
      // The numbers count the lock's own steps too, which this trace leaves out.
      out_ << "   steps skip a number where a thread asked for, took or released the lock,\n"
              "   or checked the buffer: --trace table shows those steps too\n";
    }
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

// One line per event: a cell per thread, then the buffer, then a remark.
class table_tracer final : public event_sink {
 public:
  table_tracer(const cast& who, std::ostream& out)
      : out_(out),
        view_(who),
        // Wide enough for the longest step: ">[take P8#20000]".
        width_(std::max<std::size_t>(
            15, 8 + describe(item{who.config.producers - 1,
                                  static_cast<std::uint32_t>(who.config.items)})
                        .size())) {}

  void begin() override {
    out_ << " step ";
    for (const std::string& name : view_.names()) {
      out_ << ' ' << name << std::string(width_ - name.size(), ' ');
    }
    out_ << " buffer\n";
  }

  void on_event(const event& e) override {
    view_.apply(e);
    out_ << (boost::format("%5d ") % e.step);
    for (unsigned id = 0; id < view_.names().size(); ++id) {
      std::string cell = id == e.worker ? view_.describe_step(e) : "";
      if (cell.empty()) {
        cell = view_.describe_state(id);
      }
      out_ << ' ' << cell << std::string(width_ - std::min(width_, cell.size()), ' ');
    }
    const std::string contents = view_.contents(buffer_width);
    out_ << ' ' << contents;
    if (const std::string remark = view_.remark(e); !remark.empty()) {
      out_ << std::string(buffer_width + 1 - contents.size(), ' ') << remark;
    }
    out_ << '\n';
  }

 private:
  std::ostream& out_;
  run_view view_;
  std::size_t width_;  // of a thread's cell
  static constexpr std::size_t buffer_width = 13;
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
         << "step,time_ms,thread,action,detail,condition,buffer_size";
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
         << ',' << f.condition << ',' << e.size;
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

std::unique_ptr<event_sink> make_tracer(trace_format format, const cast& who, std::ostream& out) {
  switch (format) {
    case trace_format::text:
      return std::make_unique<text_tracer>(who, out);
    case trace_format::table:
      return std::make_unique<table_tracer>(who, out);
    case trace_format::csv:
      return std::make_unique<csv_tracer>(who, out);
    case trace_format::jsonl:
      return std::make_unique<jsonl_tracer>(who, out);
    case trace_format::cookbook:
      return std::make_unique<cookbook_tracer>(who, out);
    case trace_format::none:
      break;
  }
  return nullptr;
}

}  // namespace lesson
