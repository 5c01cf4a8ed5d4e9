#include "trace.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <ostream>

namespace lesson {

namespace {

const std::string& name_of(const run_context& context, unsigned id) {
  return context.workers().at(id)->name;
}

std::string describe_action(const event& e, const run_context& context) {
  const bool producer = context.workers().at(e.worker)->role == role::producer;
  switch (e.action) {
    case action::ask:
      return "asks for the lock";
    case action::lock:
      return "takes the lock";
    case action::check:
      return std::string(e.checked_full ? "full? " : "empty? ") + (e.check_result ? "yes" : "no");
    case action::unlock:
      return "releases the lock";
    case action::wait:
      if (e.after_futile_wakeup) {
        return std::string("futile wakeup: still ") + (producer ? "full" : "empty") +
               ", waits again on " + e.condition;
      }
      return std::string("waits on ") + e.condition + " (releases the lock)";
    case action::woke:
      if (e.wakeup.notifier < 0) {
        return std::string("wakes from ") + e.condition + ": spurious, nobody notified";
      }
      return std::string("wakes from ") + e.condition + " (after " +
             name_of(context, static_cast<unsigned>(e.wakeup.notifier)) + "'s notify at [" +
             std::to_string(e.wakeup.notify_step) + "])";
    case action::put:
      return "puts " + describe(e.what);
    case action::take:
      return "takes " + describe(e.what);
    case action::notify_one:
    case action::notify_all:
      return std::string(e.action == action::notify_one ? "notify_one(" : "notify_all(") +
             e.condition + (e.woke_nobody ? "): nobody waiting" : ")");
    case action::violation:
      return std::string("VIOLATION: ") + to_string(e.violation);
    case action::script_end:
      return "-- the script is used up: first come from here --";
    case action::done:
      return "done";
  }
  return "";
}

class text_tracer final : public tracer {
 public:
  text_tracer(const run_context& context, std::ostream& out) : context_(context), out_(out) {}

  void begin() override {
    const settings& s = context_.config();
    out_ << "== " << context_.lesson().name << ": " << context_.lesson().idea << '\n'
         << "   " << s.producers << (s.producers == 1 ? " producer, " : " producers, ")
         << s.consumers << (s.consumers == 1 ? " consumer" : " consumers") << ", capacity "
         << s.capacity << ", " << s.items << " items each; pauses "
         << s.producer_delay_ms * s.time_scale << " ms (P), " << s.consumer_delay_ms * s.time_scale
         << " ms (C)" << (s.script.empty() ? "" : "; scripted") << '\n'
         << "   watch for: " << context_.lesson().shows << '\n';
  }

  void on_event(const event& e) override {
    if (shown_in_text(e)) {
      out_ << text_line(e, context_) << '\n';
    }
  }

 private:
  const run_context& context_;
  std::ostream& out_;
};

// The recipe's print statements, word for word, at the points where it makes them.
class cookbook_tracer final : public tracer {
 public:
  cookbook_tracer(const run_context& context, std::ostream& out) : context_(context), out_(out) {}

  void on_event(const event& e) override {
    const bool producer = context_.workers().at(e.worker)->role == role::producer;
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
  const run_context& context_;
  std::ostream& out_;
};

// One line per event: a cell per thread, then the buffer, then a remark.
class table_tracer final : public tracer {
 public:
  table_tracer(const run_context& context, std::ostream& out)
      : context_(context),
        out_(out),
        view_(context),
        // Wide enough for the longest step: ">[take P8#20000]".
        width_(std::max<std::size_t>(
            15, 8 + describe(item{context.config().producers - 1,
                                  static_cast<std::uint32_t>(context.config().items)})
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
      const std::string cell = id == e.worker && e.action != action::script_end
                                   ? view_.describe_step(e)
                                   : view_.describe_state(id);
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
  const run_context& context_;
  std::ostream& out_;
  run_view view_;
  std::size_t width_;  // of a thread's cell
  static constexpr std::size_t buffer_width = 13;
};

// The fields every record has, in csv and jsonl alike.
struct record_fields {
  std::string time_ms;  // empty in scripted runs: they keep logical time only
  std::string thread;
  std::string action;
  std::string detail;
  std::string condition;
};

const char* action_name(action a) {
  switch (a) {
    case action::ask:
      return "ask";
    case action::lock:
      return "lock";
    case action::check:
      return "check";
    case action::wait:
      return "wait";
    case action::woke:
      return "woke";
    case action::put:
      return "put";
    case action::take:
      return "take";
    case action::notify_one:
      return "notify_one";
    case action::notify_all:
      return "notify_all";
    case action::unlock:
      return "unlock";
    case action::violation:
      return "violation";
    case action::script_end:
      return "script_end";
    case action::done:
      return "done";
  }
  return "?";
}

record_fields fields_of(const event& e, const run_context& context) {
  record_fields f;
  if (e.ms >= 0 && context.config().script.empty()) {
    f.time_ms = (boost::format("%.3f") % e.ms).str();
  }
  f.thread = name_of(context, e.worker);
  f.action = action_name(e.action);
  f.condition = e.condition;
  switch (e.action) {
    case action::check:
      f.detail = std::string(e.checked_full ? "full=" : "empty=") + (e.check_result ? "yes" : "no");
      break;
    case action::put:
    case action::take:
      f.detail = describe(e.what);
      break;
    case action::woke:
      f.detail = e.wakeup.notifier < 0
                     ? std::string("spurious")
                     : "after " + name_of(context, static_cast<unsigned>(e.wakeup.notifier)) +
                           " at " + std::to_string(e.wakeup.notify_step);
      break;
    case action::wait:
      f.detail = e.after_futile_wakeup ? "futile wakeup" : "";
      break;
    case action::notify_one:
    case action::notify_all:
      f.detail = e.woke_nobody ? "nobody waiting" : "";
      break;
    case action::violation:
      f.detail = to_string(e.violation);
      break;
    default:
      break;
  }
  return f;
}

class csv_tracer final : public tracer {
 public:
  csv_tracer(const run_context& context, std::ostream& out)
      : context_(context), out_(out), view_(context) {}

  void begin() override {
    out_ << "step,time_ms,thread,action,detail,condition,buffer_size";
    for (const std::string& name : view_.names()) {
      out_ << ",state_" << name;
    }
    out_ << '\n';
  }

  void on_event(const event& e) override {
    view_.apply(e);
    const record_fields f = fields_of(e, context_);
    out_ << e.step << ',' << f.time_ms << ',' << f.thread << ',' << f.action << ',' << f.detail
         << ',' << f.condition << ',' << e.size;
    for (unsigned id = 0; id < view_.names().size(); ++id) {
      out_ << ',' << view_.describe_state(id);
    }
    out_ << '\n';
  }

 private:
  const run_context& context_;
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

class jsonl_tracer final : public tracer {
 public:
  jsonl_tracer(const run_context& context, std::ostream& out)
      : context_(context), out_(out), view_(context) {}

  void on_event(const event& e) override {
    view_.apply(e);
    const record_fields f = fields_of(e, context_);
    out_ << "{\"step\":" << e.step;
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
  const run_context& context_;
  std::ostream& out_;
  run_view view_;
};

class silent_tracer final : public tracer {
 public:
  void on_event(const event&) override {}
};

}  // namespace

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

std::unique_ptr<tracer> make_tracer(trace_format format, const run_context& context,
                                    std::ostream& out) {
  switch (format) {
    case trace_format::text:
      return std::make_unique<text_tracer>(context, out);
    case trace_format::table:
      return std::make_unique<table_tracer>(context, out);
    case trace_format::csv:
      return std::make_unique<csv_tracer>(context, out);
    case trace_format::jsonl:
      return std::make_unique<jsonl_tracer>(context, out);
    case trace_format::cookbook:
      return std::make_unique<cookbook_tracer>(context, out);
    case trace_format::none:
      break;
  }
  return std::make_unique<silent_tracer>();
}

std::string draw_buffer(std::size_t size, std::size_t capacity) {
  constexpr std::size_t drawable = 20;
  const std::string count = std::to_string(size) + "/" + std::to_string(capacity);
  if (capacity > drawable) {
    return count;
  }
  return "|" + std::string(size, '#') + std::string(capacity - size, '.') + "| " + count;
}

std::string text_line(const event& e, const run_context& context) {
  const std::string time = e.ms >= 0 && context.config().script.empty()
                               ? (boost::format("%10.3f ms") % e.ms).str()
                               : std::string();
  return (boost::format("[%5d]%s  %-3s %-52s %s") % e.step % time % name_of(context, e.worker) %
          describe_action(e, context) % draw_buffer(e.size, context.config().capacity))
      .str();
}

std::string describe_event(const event& e, const run_context& context) {
  return describe_action(e, context);
}

// Steps that only observed runs report; the text trace leaves them out so
// that it reads the same with and without a script.
bool shown_in_text(const event& e) {
  return e.action != action::ask && e.action != action::lock && e.action != action::check &&
         e.action != action::unlock;
}

run_view::run_view(const run_context& context)
    : context_(context), threads_(context.workers().size()) {
  for (const auto& w : context.workers()) {
    names_.push_back(w->name);
  }
}

void run_view::apply(const event& e) {
  thread& actor = threads_.at(e.worker);
  ambiguous_.clear();
  switch (e.action) {
    case action::ask:
      actor.now = state::wants_lock;
      break;
    case action::wait:
      actor.now = state::waiting;
      actor.condition = e.condition;
      break;
    case action::notify_one:
    case action::notify_all: {
      std::vector<thread*> waiters;
      for (unsigned id = 0; id < threads_.size(); ++id) {
        thread& t = threads_[id];
        if (t.now == state::waiting && std::string(t.condition) == e.condition) {
          waiters.push_back(&t);
          ambiguous_ += (ambiguous_.empty() ? "" : " ") + names_[id];
        }
      }
      // notify_one chooses among several waiters: which one shows when it wakes.
      if (e.action == action::notify_all || waiters.size() == 1) {
        for (thread* t : waiters) {
          t->now = state::woken;
        }
        ambiguous_.clear();
      }
      if (waiters.size() < 2) {
        ambiguous_.clear();
      }
      break;
    }
    case action::unlock:
      actor.now = state::running;
      break;
    case action::done:
      actor.now = state::done;
      break;
    case action::put:
      items_.push_back(e.what);
      actor.now = state::holds_lock;
      break;
    case action::take:
      if (!items_.empty()) {
        items_.pop_front();
      }
      actor.now = state::holds_lock;
      break;
    case action::script_end:
      break;
    case action::lock:
    case action::check:
    case action::woke:
    case action::violation:
      actor.now = state::holds_lock;
      break;
  }
}

std::string run_view::describe_state(unsigned id) const {
  const thread& t = threads_.at(id);
  switch (t.now) {
    case state::running:
      return "run";
    case state::wants_lock:
      return "wants lock";
    case state::holds_lock:
      return "[holds]";
    case state::waiting:
      return std::string("wait ") + t.condition;
    case state::woken:
      return "woken";
    case state::done:
      return "done";
  }
  return "?";
}

std::string run_view::describe_step(const event& e) const {
  switch (e.action) {
    case action::ask:
      return ">asks lock";
    case action::lock:
      return ">[lock]";
    case action::check:
      return std::string(">[") + (e.checked_full ? "full? " : "empty? ") +
             (e.check_result ? "yes]" : "no]");
    case action::wait:
      return std::string(">wait ") + e.condition;
    case action::woke:
      return ">[woke]";
    case action::put:
      return ">[put " + lesson::describe(e.what) + "]";
    case action::take:
      return ">[take " + lesson::describe(e.what) + "]";
    case action::notify_one:
      return ">[notify_one]";
    case action::notify_all:
      return ">[notify_all]";
    case action::unlock:
      return ">unlock";
    case action::violation:
      return ">[VIOLATION]";
    case action::done:
      return ">done";
    case action::script_end:
      break;
  }
  return "";
}

std::string run_view::remark(const event& e) const {
  switch (e.action) {
    case action::wait:
      return e.after_futile_wakeup ? "futile, unlocks" : "unlocks";
    case action::woke:
      return e.wakeup.notifier < 0 ? "spurious wakeup" : "";
    case action::notify_one:
    case action::notify_all:
      if (e.woke_nobody) {
        return "nobody waiting";
      }
      return ambiguous_.empty() ? "" : "one of " + ambiguous_;
    case action::violation:
      return std::string("! ") + to_string(e.violation);
    case action::script_end:
      return "script used up";
    default:
      return "";
  }
}

std::string run_view::contents(std::size_t width) const {
  std::string listed = "[";
  for (const item& it : items_) {
    if (listed.size() > 1) {
      listed += ' ';
    }
    listed += lesson::describe(it);
  }
  listed += ']';
  if (listed.size() <= width) {
    return listed;
  }
  return std::to_string(items_.size()) + "/" + std::to_string(context_.config().capacity);
}

}  // namespace lesson
