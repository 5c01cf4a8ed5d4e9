#include "grade/class_report.hpp"

#include <algorithm>
#include <array>
#include <boost/format.hpp>
#include <map>
#include <ostream>

#include "show/markup.hpp"

namespace lessons {

namespace {

constexpr std::size_t columns = 5;
using cells = std::array<std::string, columns>;

std::string seconds_text(double seconds) {
  return (boost::format("%.1f s") % seconds).str();
}

// The verdict's kind and its first words: "deadlock: livelock", whose
// whole label the csv and the page give.
std::string short_verdict(const std::string& verdict) {
  const std::size_t first = verdict.find(": ");
  return first == std::string::npos ? verdict : verdict.substr(0, verdict.find(": ", first + 2));
}

cells cells_of(const graded& row) {
  return {row.student, short_verdict(row.verdict), row.configuration, row.schedule,
          seconds_text(row.seconds)};
}

// `text` cut to `width`, its end "..." when cut.
std::string fitted(const std::string& text, std::size_t width) {
  if (text.size() <= width) {
    return text;
  }
  return width <= 3 ? text.substr(0, width) : text.substr(0, width - 3) + "...";
}

// Each column's width: its widest cell; while the table is wider than
// `width`, the schedule's column gives a character, down to 8 (the csv and
// the page have it whole), then the wider of the student's and the
// verdict's, down to 8: a projected table keeps names and verdicts longest.
std::array<std::size_t, columns> widths_of(const std::vector<cells>& table, std::size_t width) {
  std::array<std::size_t, columns> widths{};
  for (const cells& row : table) {
    for (std::size_t i = 0; i < columns; ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  std::size_t total = 2 * (columns - 1);
  for (const std::size_t w : widths) {
    total += w;
  }
  constexpr std::size_t narrowest = 8;
  for (; total > width; --total) {
    std::size_t& giving = widths[3] > narrowest    ? widths[3]
                          : widths[0] >= widths[1] ? widths[0]
                                                   : widths[1];
    if (giving <= narrowest) {
      break;
    }
    --giving;
  }
  return widths;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (const char c : text) {
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return quoted + "\"";
}

std::map<std::string, std::size_t> counts_of(const std::vector<graded>& rows) {
  std::map<std::string, std::size_t> counts;
  for (const graded& row : rows) {
    ++counts[row.kind];
  }
  return counts;
}

// The page's script: a click on a column's heading sorts the rows by it,
// again the other way round; numbers as numbers.
constexpr const char* sorting_script = R"(<script>
document.querySelectorAll('th').forEach(function (heading, column) {
  heading.addEventListener('click', function () {
    var body = document.querySelector('tbody');
    var rows = Array.from(body.rows);
    var down = heading.dataset.order !== 'up';
    heading.dataset.order = down ? 'up' : 'down';
    rows.sort(function (a, b) {
      var x = a.cells[column].dataset.key || a.cells[column].textContent;
      var y = b.cells[column].dataset.key || b.cells[column].textContent;
      var n = parseFloat(x) - parseFloat(y);
      var order = isNaN(n) ? x.localeCompare(y) : n;
      return down ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
</script>
)";

// A schedule for the page: it may break after a comma, never inside a decision.
std::string breakable(const std::string& schedule) {
  std::string text;
  for (const char c : lesson::escaped_for_markup(schedule)) {
    text += c;
    if (c == ',') {
      text += "<wbr>";
    }
  }
  return text;
}

}  // namespace

std::string summary_line(const std::vector<graded>& rows) {
  std::string line =
      std::to_string(rows.size()) + (rows.size() == 1 ? " submission" : " submissions");
  const char* separator = ": ";
  for (const auto& [kind, count] : counts_of(rows)) {
    line += separator + std::to_string(count) + " " + kind;
    separator = ", ";
  }
  return line;
}

void print_table(const std::vector<graded>& rows, std::size_t width, std::ostream& out) {
  std::vector<cells> table{{"student", "verdict", "where", "schedule", "time"}};
  for (const graded& row : rows) {
    table.push_back(cells_of(row));
  }
  const auto widths = widths_of(table, width);
  for (const cells& row : table) {
    std::string line;
    for (std::size_t i = 0; i < columns; ++i) {
      const std::string cell = fitted(row[i], widths[i]);
      line += i + 1 == columns ? std::string(widths[i] - cell.size(), ' ') + cell
                               : cell + std::string(widths[i] - cell.size() + 2, ' ');
    }
    out << line << '\n';
  }
  out << summary_line(rows) << '\n';
}

void write_csv(const std::vector<graded>& rows, std::ostream& out) {
  out << "student,verdict,kind,configuration,schedule,seconds,detail,replay,page\n";
  for (const graded& row : rows) {
    out << csv_field(row.student) << ',' << csv_field(row.verdict) << ',' << csv_field(row.kind)
        << ',' << csv_field(row.configuration) << ',' << csv_field(row.schedule) << ','
        << (boost::format("%.1f") % row.seconds) << ',' << csv_field(row.detail) << ','
        << csv_field(row.replay) << ',' << csv_field(row.page) << '\n';
  }
}

void write_class_page(const std::vector<graded>& rows, const std::string& title,
                      std::ostream& out) {
  using lesson::escaped_for_markup;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
      << escaped_for_markup(title) << "</title>\n<style>\n"
      << "body{font-family:'DejaVu Sans',sans-serif;margin:1.5em}"
         "table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:.3em .6em;"
         "text-align:left}th{cursor:pointer;background:#eee}td.time{text-align:right}"
         "td:nth-child(3),td:nth-child(5){white-space:nowrap}td:nth-child(2){min-width:12em}"
         "td:nth-child(4){max-width:22em}td:nth-child(6){min-width:14em;max-width:24em;overflow-"
         "wrap:anywhere;font-size:90%}"
         ".correct{background:#e6f4e6}.violation,.deadlock{background:#fbe9e7}"
         "ul.counts li{display:inline;margin-right:1.5em}\n"
      << "</style></head><body>\n<h1>" << escaped_for_markup(title) << "</h1>\n<p id=\"summary\">"
      << escaped_for_markup(summary_line(rows)) << "</p>\n<ul class=\"counts\">\n";
  for (const auto& [kind, count] : counts_of(rows)) {
    out << "<li>" << escaped_for_markup(kind) << ": <b>" << count << "</b></li>\n";
  }
  out << "</ul>\n<table id=\"grades\"><thead><tr><th>student</th><th>verdict</th><th>where</th>"
         "<th>shortest failing schedule</th><th>time</th><th>detail</th></tr></thead><tbody>\n";
  for (const graded& row : rows) {
    const std::string verdict = row.page.empty()
                                    ? escaped_for_markup(row.verdict)
                                    : "<a href=\"" + escaped_for_markup(row.page) + "\">" +
                                          escaped_for_markup(row.verdict) + "</a>";
    out << "<tr class=\"" << escaped_for_markup(row.kind) << "\"><td>"
        << escaped_for_markup(row.student) << "</td><td>" << verdict << "</td><td>"
        << escaped_for_markup(row.configuration) << "</td><td>" << breakable(row.schedule)
        << "</td><td class=\"time\" data-key=\"" << row.seconds << "\">"
        << seconds_text(row.seconds) << "</td><td>" << escaped_for_markup(row.detail)
        << "</td></tr>\n";
  }
  out << "</tbody></table>\n" << sorting_script << "</body></html>\n";
}

}  // namespace lessons
