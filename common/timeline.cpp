#include "timeline.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <sstream>

#include "replace_file.hpp"

namespace lesson {

namespace {

struct state_style {
  seen_state state;
  const char* colour;
  const char* meaning;
};

constexpr state_style styles[] = {
    {seen_state::running, "#e3e3e3", "running, outside the lock"},
    {seen_state::wants_lock, "#f5a623", "wants the lock"},
    {seen_state::holds_lock, "#2e7d32", "holds the lock"},
    {seen_state::waiting, "#1565c0", "waits on a condition"},
    {seen_state::woken, "#ffd54f", "notified, needs the lock back"},
    {seen_state::done, "#ffffff", "done"},
};

const char* colour_of(seen_state state) {
  for (const state_style& s : styles) {
    if (s.state == state) {
      return s.colour;
    }
  }
  return "#000000";
}

std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

timeline::timeline(const cast& who, std::string path)
    : who_(who), path_(std::move(path)), view_(who) {}

void timeline::on_event(const event& e) {
  view_.apply(e);
  ++events_seen_;
  column c{e, {}, {}};
  for (unsigned id = 0; id < view_.names().size(); ++id) {
    c.states.push_back(view_.state_of(id));
    c.labels.push_back(view_.describe_state(id));
  }
  c.labels[e.worker] = view_.describe_step(e) + " " + view_.remark(e);
  columns_.push_back(std::move(c));
  if (columns_.size() > steps_drawn) {
    columns_.pop_front();
  }
}

void timeline::end(outcome result, const std::string& report) {
  const std::vector<std::string>& names = view_.names();
  const double step_width = columns_.empty() ? 20 : std::clamp(1000.0 / columns_.size(), 3.0, 28.0);
  const double left = 56;
  const double top = 64;
  const double lane = 30;
  const double lanes_bottom = top + lane * static_cast<double>(names.size());
  const double width = left + step_width * static_cast<double>(columns_.size()) + 40;
  const double height = lanes_bottom + 40 + 22 * (std::size(styles) + 3);
  const double chart_width = std::max(width, 700.0);

  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << boost::format(
             "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
             "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n") %
             chart_width % height % chart_width % height
      << boost::format("<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n") % chart_width %
             height;
  const settings& s = who_.config;
  svg << boost::format(
             "<text x=\"8\" y=\"20\" font-size=\"15\" font-weight=\"bold\">%s: %s</text>\n") %
             escaped(who_.lesson.name) % escaped(who_.lesson.idea);
  std::string scope = (boost::format("%d producer%s, %d consumer%s, capacity %d; result: %s") %
                       s.producers % (s.producers == 1 ? "" : "s") % s.consumers %
                       (s.consumers == 1 ? "" : "s") % s.capacity % to_string(result))
                          .str();
  if (events_seen_ > columns_.size()) {
    scope += (boost::format("; the last %d of %d steps") % columns_.size() % events_seen_).str();
  }
  svg << boost::format("<text x=\"8\" y=\"40\">%s</text>\n") % escaped(scope);

  // Step numbers above the lanes, about ten of them, to match the trace.
  const std::size_t every = std::max<std::size_t>(1, columns_.size() / 10);
  for (std::size_t i = 0; i < columns_.size(); i += every) {
    svg << boost::format(
               "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#555555\">%d</text>\n") %
               (left + step_width * static_cast<double>(i)) % (top - 4) % columns_[i].what.step;
  }

  for (std::size_t lane_index = 0; lane_index < names.size(); ++lane_index) {
    const double y = top + lane * static_cast<double>(lane_index);
    svg << boost::format(
               "<text x=\"8\" y=\"%.1f\" font-weight=\"bold\" class=\"lane\">%s</text>\n") %
               (y + lane / 2 + 4) % escaped(names[lane_index]);
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const column& c = columns_[i];
      const double x = left + step_width * static_cast<double>(i);
      svg << boost::format(
                 "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                 "stroke=\"#bbbbbb\" stroke-width=\"0.3\"><title>step %d: %s %s</title></rect>\n") %
                 x % (y + 4) % step_width % (lane - 8) % colour_of(c.states[lane_index]) %
                 c.what.step % escaped(names[lane_index]) % escaped(c.labels[lane_index]);
      if (c.what.worker == lane_index && step_width >= 7) {
        svg << boost::format(
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"%.0f\" "
                   "fill=\"%s\">%s</text>\n") %
                   (x + step_width / 2) % (y + lane / 2 + 4) % std::min(12.0, step_width) %
                   (c.states[lane_index] == seen_state::running ? "black" : "white") %
                   escaped(words_for(c.what.action).mark);
      }
    }
  }

  // The violation: a red line through every lane at its step, and its name.
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].what.action != action::violation) {
      continue;
    }
    const double x = left + step_width * (static_cast<double>(i) + 0.5);
    svg << boost::format(
               "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d50000\" "
               "stroke-width=\"3\"/>\n") %
               x % (top - 6) % x % (lanes_bottom + 4)
        << boost::format(
               "<text x=\"%.1f\" y=\"%.1f\" fill=\"#d50000\" font-weight=\"bold\" "
               "text-anchor=\"end\">VIOLATION at step %d: %s by %s</text>\n") %
               x % (lanes_bottom + 20) % columns_[i].what.step %
               to_string(columns_[i].what.violation) % escaped(names[columns_[i].what.worker]);
  }
  // The deadlock: a red band after the last step, where nothing moved.
  if (result == outcome::deadlock) {
    const double x = left + step_width * static_cast<double>(columns_.size());
    svg << boost::format(
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"30\" height=\"%.1f\" fill=\"#d50000\" "
               "opacity=\"0.75\"><title>%s</title></rect>\n") %
               x % top % (lanes_bottom - top) % escaped(report)
        << boost::format(
               "<text x=\"%.1f\" y=\"%.1f\" fill=\"#d50000\" font-weight=\"bold\" "
               "text-anchor=\"end\">%s</text>\n") %
               (x + 30) % (lanes_bottom + 20) %
               (report.rfind("SCRIPT STUCK", 0) == 0
                    ? "SCRIPT STUCK: the script waits for a thread that cannot come"
                    : "DEADLOCK: every thread waits, nothing moves");
  }

  // The legend: the colours, then the marks.
  double y = lanes_bottom + 44;
  for (const state_style& style : styles) {
    svg << boost::format(
               "<rect x=\"8\" y=\"%.1f\" width=\"18\" height=\"14\" fill=\"%s\" "
               "stroke=\"#888888\"/><text x=\"32\" y=\"%.1f\">%s</text>\n") %
               (y - 11) % style.colour % (y + 1) % style.meaning;
    y += 22;
  }
  // The marks, from the table of actions, in two lines.
  std::string marks[2] = {"marks:", ""};
  for (const action_words& w : every_action()) {
    std::string& line = marks[w.action > action::take ? 1 : 0];
    line +=
        std::string(line.empty() ? "" : (line == "marks:" ? " " : ", ")) + w.mark + " " + w.legend;
  }
  svg << boost::format("<text x=\"8\" y=\"%.1f\">%s,</text>\n") % (y + 1) % escaped(marks[0])
      << boost::format("<text x=\"8\" y=\"%.1f\">%s</text>\n") % (y + 19) % escaped(marks[1])
      << "</svg>\n";

  replace_file(path_, svg.str(), "--svg");
}

}  // namespace lesson
