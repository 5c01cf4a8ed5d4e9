#include "trace.hpp"

#include <boost/format.hpp>
#include <ostream>

namespace lesson {

namespace {

const std::string& name_of(const run_context& context, unsigned id) {
  return context.workers().at(id)->name;
}

std::string describe(const event& e, const run_context& context) {
  const bool producer = context.workers().at(e.worker)->role == role::producer;
  switch (e.action) {
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

  void on_event(const event& e) override { out_ << text_line(e, context_) << '\n'; }

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

class silent_tracer final : public tracer {
 public:
  void on_event(const event&) override {}
};

}  // namespace

const char* to_string(trace_format format) {
  switch (format) {
    case trace_format::text:
      return "text";
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
  const std::string time =
      context.config().script.empty() ? (boost::format("%10.3f ms") % e.ms).str() : std::string();
  return (boost::format("[%5d]%s  %-3s %-52s %s") % e.step % time % name_of(context, e.worker) %
          describe(e, context) % draw_buffer(e.size, context.config().capacity))
      .str();
}

}  // namespace lesson
