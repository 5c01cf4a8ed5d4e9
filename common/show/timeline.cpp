#include "show/timeline.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <sstream>

#include "show/markup.hpp"
#include "show/replace_file.hpp"

namespace lesson {

namespace {

// SVG cannot measure text: an estimate, generous for sans-serif, so that the
// picture is made wide enough and a label is kept inside it.
double text_width(const std::string& text, double font_size, bool bold = false) {
  const auto characters =
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; });
  return static_cast<double>(characters) * font_size * (bold ? 0.62 : 0.58);
}

// One entry of the legend's line: a glyph as the picture shows it, and its words.
struct legend_entry {
  std::string glyph;
  const char* fill;
  bool swatch;  // a colour square, outlined so that white shows
  std::string words;
};

constexpr double legend_size = 13;
constexpr double legend_gap = 16;  // between entries; 4 between a glyph and its words

double legend_width(const std::vector<legend_entry>& entries) {
  double width = 0;
  for (const legend_entry& e : entries) {
    width +=
        text_width(e.glyph, legend_size, true) + 4 + text_width(e.words, legend_size) + legend_gap;
  }
  return width;
}

void draw_legend(std::ostream& svg, double y, const std::vector<legend_entry>& entries) {
  svg << boost::format("<text x=\"8\" y=\"%.1f\" font-size=\"%.0f\" class=\"legend\">") % y %
             legend_size;
  bool first = true;
  for (const legend_entry& e : entries) {
    svg << boost::format(
               "<tspan dx=\"%d\" fill=\"%s\" font-weight=\"bold\"%s>%s</tspan>"
               "<tspan dx=\"4\" fill=\"black\">%s</tspan>") %
               (first ? 0 : legend_gap) % e.fill %
               (e.swatch ? " stroke=\"#666666\" stroke-width=\"0.7\" font-size=\"17\"" : "") %
               escaped_for_markup(e.glyph) % escaped_for_markup(e.words);
    first = false;
  }
  svg << "</text>\n";
}

}  // namespace

// Where things go. Sizes are for a projector: lanes and marks large, labels
// bold; the width follows the steps drawn and the longest line of words. A
// long run is drawn narrow up to its decisive moment and wide from there, so
// that the moment can be read and pointed at.
struct timeline::layout {
  std::size_t lanes = 0;
  std::size_t focus = 0;  // the first wide column
  double narrow = 20;
  double wide = 20;
  double left = 56;
  double top = 82;
  double lane = 46;
  double cell = 30;
  double width = 0;
  double height = 0;
  int label_rows = 0;  // the decisive moment's: what decides it, and the verdict

  double step_width(std::size_t column) const { return column < focus ? narrow : wide; }
  double x(std::size_t column) const {
    return left + narrow * static_cast<double>(std::min(column, focus)) +
           wide * static_cast<double>(column > focus ? column - focus : 0);
  }
  double centre(std::size_t column) const { return x(column) + step_width(column) / 2; }
  // A mark needs room to be read: narrower steps show colour only.
  bool marked(std::size_t column) const { return step_width(column) >= 12; }
  double mark_size(std::size_t column) const { return std::min(18.0, step_width(column) * 0.7); }
  double cell_top(std::size_t lane_index) const {
    return top + lane * static_cast<double>(lane_index) + (lane - cell) / 2;
  }
  double lanes_bottom() const { return top + lane * static_cast<double>(lanes); }
  double because_y() const { return lanes_bottom() + 30; }
  double verdict_y() const { return lanes_bottom() + 28 * label_rows + 2; }
  double legend_y() const { return lanes_bottom() + 28 * label_rows + 36; }

  // `room` pixels of steps, each 3 to 96 wide; when that is too narrow to
  // mark them, the steps from a few before the decisive moment get half of it.
  void fit_steps(std::size_t columns, std::size_t decisive_column, double room) {
    constexpr std::size_t lead_in = 4;
    narrow = columns == 0 ? 20 : std::clamp(room / static_cast<double>(columns), 3.0, 96.0);
    wide = narrow;
    if (narrow >= 14 || decisive_column >= columns) {
      return;
    }
    focus = decisive_column > lead_in ? decisive_column - lead_in : 0;
    const auto zoomed = static_cast<double>(columns - focus);
    wide = std::clamp(room / 2 / zoomed, narrow, 40.0);
    if (focus > 0) {
      narrow = std::clamp((room - wide * zoomed) / static_cast<double>(focus), 1.5, narrow);
    }
  }
};

timeline::timeline(const cast& who, std::string path)
    : who_(who), path_(std::move(path)), view_(who), story_(who) {}

void timeline::on_event(const event& e) {
  view_.apply(e);
  story_.follow(e);
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

std::size_t timeline::column_of(std::uint64_t step) const {
  const auto found =
      std::lower_bound(columns_.begin(), columns_.end(), step,
                       [](const column& c, std::uint64_t wanted) { return c.what.step < wanted; });
  return found != columns_.end() && found->what.step == step
             ? static_cast<std::size_t>(found - columns_.begin())
             : columns_.size();
}

void timeline::end(outcome result, const std::string& report) {
  std::vector<event> drawn;
  for (const column& c : columns_) {
    drawn.push_back(c.what);
  }
  const decisive_moment moment = story_.told(result, report, drawn);

  layout at;
  at.lanes = view_.names().size();
  std::uint64_t first_decisive = moment.verdict_step;
  for (const std::uint64_t step : {moment.because_step, moment.notify_step, moment.woke_step}) {
    first_decisive =
        step != 0 && (first_decisive == 0 || step < first_decisive) ? step : first_decisive;
  }
  const std::size_t decisive_column = column_of(first_decisive);
  at.fit_steps(columns_.size(), decisive_column, 1000);

  // The legend: what this picture shows, colours and marks from their tables.
  std::vector<legend_entry> legend;
  for (const state_style& style : state_styles()) {
    if (std::any_of(columns_.begin(), columns_.end(), [&](const column& c) {
          return std::find(c.states.begin(), c.states.end(), style.state) != c.states.end();
        })) {
      legend.push_back({"\u25A0", style.colour, true, style.meaning});
    }
  }
  legend.push_back({"\u2192", arrow_colour, false, "who woke whom"});
  for (const action_words& w : every_action()) {
    bool shown = false;
    for (std::size_t i = 0; i < columns_.size() && !shown; ++i) {
      shown = at.marked(i) && columns_[i].what.action == w.action;
    }
    if (shown) {
      legend.push_back({w.mark, "black", false, w.legend});
    }
  }

  const double band = result == outcome::deadlock ? 30 : 0;
  const double words =
      std::max({760.0, legend_width(legend) + 16, text_width(moment.because, 17, true) + 16,
                text_width(moment.verdict, 15, true) + 16});
  if (at.focus == 0 && at.marked(0)) {
    // Every step is marked already: wider steps fill the width the words need.
    at.fit_steps(columns_.size(), decisive_column, std::max(1000.0, words - at.left - band - 24));
  }
  at.width = std::max(words, at.x(columns_.size()) + band + 24);
  at.label_rows = (moment.because.empty() ? 0 : 1) + (moment.verdict.empty() ? 0 : 1);
  at.height = at.legend_y() + 16;

  std::ostringstream svg;
  draw_heading(svg, at, result);
  draw_lanes(svg, at);
  draw_wakeups(svg, at, moment);
  draw_moment(svg, at, moment, result, report);
  draw_legend(svg, at.legend_y(), legend);
  svg << "</svg>\n";
  replace_file(path_, svg.str(), "--svg");
}

void timeline::draw_heading(std::ostream& svg, const layout& at, outcome result) const {
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << boost::format(
             "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
             "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n") %
             at.width % at.height % at.width % at.height;
  // Arrowheads sized by the stroke: thin arrows get small heads.
  for (const auto& [id, colour] :
       {std::pair{"wakeup-head", arrow_colour}, std::pair{"decisive-head", alarm_colour}}) {
    svg << boost::format(
               "<defs><marker id=\"%s\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" "
               "markerWidth=\"4\" markerHeight=\"4\" orient=\"auto\">"
               "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"%s\"/></marker></defs>\n") %
               id % colour;
  }
  svg << boost::format("<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n") % at.width %
             at.height;
  const settings& s = who_.config;
  svg << boost::format(
             "<text x=\"8\" y=\"26\" font-size=\"19\" font-weight=\"bold\">%s: %s</text>\n") %
             escaped_for_markup(who_.lesson.name) % escaped_for_markup(who_.lesson.idea);
  std::string scope = counted(s.producers, "producer") + ", " + counted(s.consumers, "consumer") +
                      ", capacity " + std::to_string(s.capacity) + "; result: " + to_string(result);
  if (events_seen_ > columns_.size()) {
    scope += (boost::format("; the last %d of %d steps") % columns_.size() % events_seen_).str();
  }
  svg << boost::format("<text x=\"8\" y=\"50\" font-size=\"14\">%s</text>\n") %
             escaped_for_markup(scope);
  // Step numbers above the lanes, to match the trace: about ten over the
  // narrow steps, and as many as fit without touching over the marked ones.
  const std::size_t every =
      std::max<std::size_t>(1, (at.focus > 0 ? at.focus : columns_.size()) / 10);
  double free_from = 0;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const std::string number = std::to_string(columns_[i].what.step);
    const double half = text_width(number, 11) / 2;
    if ((i % every != 0 && !at.marked(i)) || at.centre(i) - half < free_from) {
      continue;
    }
    svg << boost::format(
               "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#555555\" "
               "text-anchor=\"middle\">%s</text>\n") %
               at.centre(i) % (at.top - 5) % number;
    free_from = at.centre(i) + half + 6;
  }
}

void timeline::draw_lanes(std::ostream& svg, const layout& at) const {
  const std::vector<std::string>& names = view_.names();
  for (std::size_t lane_index = 0; lane_index < names.size(); ++lane_index) {
    const double y = at.cell_top(lane_index);
    svg << boost::format(
               "<text x=\"8\" y=\"%.1f\" font-size=\"15\" font-weight=\"bold\" "
               "class=\"lane\">%s</text>\n") %
               (y + at.cell / 2 + 5) % escaped_for_markup(names[lane_index]);
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const column& c = columns_[i];
      svg << boost::format(
                 "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                 "stroke=\"#bbbbbb\" stroke-width=\"0.3\"><title>step %d: %s %s</title></rect>\n") %
                 at.x(i) % y % at.step_width(i) % at.cell % style_of(c.states[lane_index]).colour %
                 c.what.step % escaped_for_markup(names[lane_index]) %
                 escaped_for_markup(c.labels[lane_index]);
      if (c.what.worker == lane_index && at.marked(i)) {
        svg << boost::format(
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"%.0f\" "
                   "font-weight=\"bold\" fill=\"%s\">%s</text>\n") %
                   at.centre(i) % (y + at.cell / 2 + at.mark_size(i) * 0.36) % at.mark_size(i) %
                   style_of(c.states[lane_index]).ink %
                   escaped_for_markup(words_for(c.what.action).mark);
      }
    }
  }
}

void timeline::draw_wakeups(std::ostream& svg, const layout& at,
                            const decisive_moment& moment) const {
  // Thin and light over narrow steps, so that the lanes stay legible under
  // them; the wakeup that decides the run is drawn last, on top, in red.
  std::string decisive;
  for (std::size_t woke = 0; woke < columns_.size(); ++woke) {
    const event& e = columns_[woke].what;
    if (e.action != action::woke) {
      continue;
    }
    const double woke_top = at.cell_top(e.worker);
    if (e.wakeup.spurious()) {
      svg << boost::format(
                 "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\" "
                 "font-weight=\"bold\" fill=\"%s\" class=\"spurious\">spurious</text>\n") %
                 at.centre(woke) % (woke_top - 3) % alarm_colour;
      continue;
    }
    const std::size_t notify = column_of(e.wakeup.notify_step);
    if (notify == columns_.size()) {
      continue;  // the notify came before the steps drawn
    }
    const auto notifier = static_cast<unsigned>(e.wakeup.notifier);
    const bool down = notifier < e.worker;
    const double y1 = at.cell_top(notifier) + (down ? at.cell : 0);
    const double y2 = woke_top + (down ? 0 : at.cell);
    const double middle = (y1 + y2) / 2;
    const double x1 = at.centre(notify);
    const double x2 = at.centre(woke);
    const bool thin = !at.marked(woke);
    const bool decides = e.step == moment.woke_step && e.wakeup.notify_step == moment.notify_step;
    const std::string arrow =
        (boost::format(
             "<path d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"none\" stroke=\"%s\" "
             "stroke-width=\"%.1f\"%s marker-end=\"url(#%s)\" class=\"wakeup\"%s>"
             "<title>%s's notify at step %d woke %s at step %d</title></path>\n") %
         x1 % y1 % x1 % middle % x2 % middle % x2 % y2 % (decides ? alarm_colour : arrow_colour) %
         (decides ? 3.5 : (thin ? 1.0 : 2.0)) %
         (decides ? "" : (thin ? " opacity=\"0.55\"" : " opacity=\"0.85\"")) %
         (decides ? "decisive-head" : "wakeup-head") % (decides ? " id=\"decisive-wakeup\"" : "") %
         who_.name(notifier) % e.wakeup.notify_step % who_.name(e.worker) % e.step)
            .str();
    if (decides) {
      decisive = arrow;
    } else {
      svg << arrow;
    }
  }
  svg << decisive;
}

void timeline::draw_moment(std::ostream& svg, const layout& at, const decisive_moment& moment,
                           outcome result, const std::string& report) const {
  double verdict_right = at.x(columns_.size());
  // The violation: a red line through every lane beside its step, clear of the `!` mark.
  if (const std::size_t i = column_of(moment.verdict_step); i < columns_.size()) {
    verdict_right = at.x(i + 1) + 3;
    svg << boost::format(
               "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
               "stroke-width=\"3\" class=\"violation\"/>\n") %
               verdict_right % (at.top - 2) % verdict_right % (at.lanes_bottom() + 4) %
               alarm_colour;
  }
  // The deadlock: a red band after the last step, where nothing moved.
  if (result == outcome::deadlock) {
    svg << boost::format(
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"30\" height=\"%.1f\" fill=\"%s\" "
               "opacity=\"0.75\"><title>%s</title></rect>\n") %
               verdict_right % at.top % (at.lanes_bottom() - at.top) % alarm_colour %
               escaped_for_markup(report);
    verdict_right += 30;
  }
  // What decides the run: its cell framed, a leader down to the words.
  double because_centre = at.left + text_width(moment.because, 17, true) / 2;
  if (const std::size_t i = column_of(moment.because_step); i < columns_.size()) {
    const double y = at.cell_top(columns_[i].what.worker);
    because_centre = at.centre(i);
    svg << boost::format(
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
               "stroke=\"%s\" stroke-width=\"3\" class=\"decisive\"/>\n"
               "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
               "stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n") %
               (at.x(i) - 2) % (y - 2) % (at.step_width(i) + 4) % (at.cell + 4) % alarm_colour %
               because_centre % (y + at.cell + 2) % because_centre % (at.because_y() - 17) %
               alarm_colour;
  }
  if (!moment.because.empty()) {
    const double half = text_width(moment.because, 17, true) / 2;
    svg << boost::format(
               "<text x=\"%.1f\" y=\"%.1f\" font-size=\"17\" font-weight=\"bold\" "
               "fill=\"#b71c1c\" text-anchor=\"middle\" class=\"because\">%s</text>\n") %
               std::clamp(because_centre, 8 + half, std::max(8 + half, at.width - 8 - half)) %
               at.because_y() % escaped_for_markup(moment.because);
  }
  if (!moment.verdict.empty()) {
    svg << boost::format(
               "<text x=\"%.1f\" y=\"%.1f\" font-size=\"15\" font-weight=\"bold\" "
               "fill=\"%s\" text-anchor=\"end\" class=\"verdict\">%s</text>\n") %
               std::max(verdict_right, 8 + text_width(moment.verdict, 15, true)) % at.verdict_y() %
               alarm_colour % escaped_for_markup(moment.verdict);
  }
}

}  // namespace lesson
