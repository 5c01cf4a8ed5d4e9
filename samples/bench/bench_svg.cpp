// bench --svg: items per second against threads (P+C), a line per variant, a
// panel per capacity, each panel with its own scale.
#include <algorithm>
#include <boost/format.hpp>
#include <sstream>

#include "bench_report.hpp"
#include "show/replace_file.hpp"

namespace bench {

namespace {

const char* const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                               "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aaaa00"};
constexpr double panel_w = 320;
constexpr double panel_h = 240;

// What the axes show: the capacities (a panel each), the thread counts (the
// x axis) and each panel's highest rate (the top of its y axis).
struct axes {
  std::vector<std::size_t> capacities;
  std::vector<unsigned> threads;
  std::map<std::size_t, double> top;
};

axes axes_of(const measurements& measured, const summary_table& table) {
  axes a;
  for (const config& c : measured.configs) {
    if (std::find(a.capacities.begin(), a.capacities.end(), c.capacity) == a.capacities.end()) {
      a.capacities.push_back(c.capacity);
    }
    const unsigned threads = c.producers + c.consumers;
    if (std::find(a.threads.begin(), a.threads.end(), threads) == a.threads.end()) {
      a.threads.push_back(threads);
    }
    for (const std::string& name : measured.names) {
      a.top[c.capacity] = std::max(a.top[c.capacity], table.at({name, key(c)}).items_per_s);
    }
  }
  return a;
}

// One variant's line in one panel, through the points `at` places.
template <class At>
std::string polyline(const measurements& measured, const summary_table& table, const axes& a,
                     std::size_t panel, std::size_t n, At at) {
  std::string points;
  for (std::size_t i = 0; i < a.threads.size(); ++i) {
    for (const config& c : measured.configs) {
      if (c.capacity == a.capacities[panel] && c.producers + c.consumers == a.threads[i]) {
        points += at(i, table.at({measured.names[n], key(c)}).items_per_s);
      }
    }
  }
  return (boost::format(
              "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n") %
          points % palette[n % std::size(palette)])
      .str();
}

// A panel: its frame, its axes' labels and a line per variant.
void draw_panel(std::ostream& svg, const measurements& measured, const summary_table& table,
                const axes& a, std::size_t panel) {
  const double x0 = 60 + panel_w * static_cast<double>(panel);
  const double y0 = 40;
  svg << boost::format(
             "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
             "stroke=\"#999\"/>\n<text x=\"%.0f\" y=\"%.0f\">capacity %d</text>\n") %
             x0 % y0 % (panel_w - 20) % panel_h % (x0 + 4) % (y0 + 14) % a.capacities[panel];
  const auto x_of = [&](std::size_t i) {
    return x0 + 20 +
           (panel_w - 60) * static_cast<double>(i) /
               static_cast<double>(std::max<std::size_t>(1, a.threads.size() - 1));
  };
  const double panel_top = a.top.at(a.capacities[panel]);
  const auto y_of = [&](double rate) { return y0 + panel_h - (panel_h - 20) * rate / panel_top; };
  for (std::size_t i = 0; i < a.threads.size(); ++i) {
    svg << boost::format("<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">%d</text>\n") %
               x_of(i) % (y0 + panel_h + 14) % a.threads[i];
  }
  svg << boost::format(
             "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%.2gM</text>\n"
             "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">0</text>\n") %
             (x0 + panel_w - 24) % (y0 + 14) % (panel_top / 1e6) % (x0 + 14) % (y0 + panel_h);
  const auto at = [&](std::size_t i, double rate) {
    return (boost::format("%.1f,%.1f ") % x_of(i) % y_of(rate)).str();
  };
  for (std::size_t n = 0; n < measured.names.size(); ++n) {
    svg << polyline(measured, table, a, panel, n, at);
  }
}

}  // namespace

void write_svg(const std::string& path, const measurements& measured, const summary_table& table) {
  const axes a = axes_of(measured, table);
  const std::vector<std::string>& names = measured.names;
  const double width = 60 + panel_w * static_cast<double>(a.capacities.size()) + 40;
  const double height = panel_h + 100 + 16 * static_cast<double>(names.size());
  std::ostringstream svg;
  svg << boost::format(
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
             "xmlns=\"http://www.w3.org/2000/svg\" "
             "width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"11\">\n"
             "<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n"
             "<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">items per second "
             "against threads (producers + consumers), median of the repetitions</text>\n") %
             width % height % width % height;
  for (std::size_t panel = 0; panel < a.capacities.size(); ++panel) {
    draw_panel(svg, measured, table, a, panel);
  }
  for (std::size_t n = 0; n < names.size(); ++n) {
    const double y = 40 + panel_h + 36 + 16 * static_cast<double>(n);
    svg << boost::format(
               "<rect x=\"60\" y=\"%.0f\" width=\"14\" height=\"4\" fill=\"%s\"/>"
               "<text x=\"80\" y=\"%.0f\">%s</text>\n") %
               (y - 4) % palette[n % std::size(palette)] % (y + 1) % names[n];
  }
  svg << "</svg>\n";
  lesson::replace_file(path, svg.str(), "--svg");
}

}  // namespace bench
