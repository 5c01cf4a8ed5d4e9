#include "show/assemble.hpp"

#include <memory>
#include <optional>
#include <sstream>

#include "show/reports.hpp"
#include "show/timeline.hpp"
#include "show/trace.hpp"
#include "show/webpage.hpp"

namespace lesson {

namespace {

class observer_sink final : public event_sink {
 public:
  explicit observer_sink(const event_observer& observer) : observer_(observer) {}
  void watch(const run_context& run) { run_ = &run; }
  void on_event(const event& e) override { observer_(e, *run_); }

 private:
  const event_observer& observer_;
  const run_context* run_ = nullptr;
};

}  // namespace

run_result run_once(const definition& lesson, const settings& chosen, std::ostream& out,
                    const event_observer& observer) {
  const cast who(lesson, chosen);
  std::unique_ptr<event_sink> tracer = make_tracer(chosen.trace, who, out);
  std::optional<timeline> drawn;
  std::optional<observer_sink> observed;
  std::vector<event_sink*> sinks;
  if (tracer) {
    sinks.push_back(tracer.get());
  }
  if (!chosen.svg_file.empty()) {
    sinks.push_back(&drawn.emplace(who, chosen.svg_file));
  }
  std::optional<webpage> page;
  if (!chosen.html_file.empty()) {
    sinks.push_back(&page.emplace(who, chosen.html_file));
  }
  if (observer) {
    sinks.push_back(&observed.emplace(observer));
  }
  run_context context(who, sinks, words_of_stop);
  if (observed) {
    observed->watch(context);
  }
  if (context.observed()) {
    lesson.run_observed(context);
  } else {
    lesson.run_free(context);
  }
  return context.result();
}

run_result run_unshown(const definition& lesson, settings chosen, const event_observer& observer) {
  chosen.trace = trace_format::none;
  chosen.svg_file.clear();
  chosen.html_file.clear();
  std::ostringstream nothing_written;
  return run_once(lesson, chosen, nothing_written, observer);
}

run_result run_explored(const definition& lesson, const settings& chosen, exploring explore) {
  const cast who(lesson, chosen);
  run_context context(who, {}, words_of_stop, std::move(explore));
  lesson.run_observed(context);
  return context.result();
}

}  // namespace lesson
