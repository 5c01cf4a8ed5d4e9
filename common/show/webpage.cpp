#include "show/webpage.hpp"

#include <algorithm>
#include <boost/algorithm/string/classification.hpp>
#include <boost/algorithm/string/split.hpp>
#include <limits>
#include <sstream>

#include "show/markup.hpp"
#include "show/replace_file.hpp"
#include "show/source_text.hpp"
#include "show/webpage_assets.hpp"

namespace lesson {

namespace {

// A JSON string that is safe inside <script>: no "</script>" can end it early.
std::string js_string(const std::string& text) {
  std::string quoted = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (c == '<' || byte < 0x20) {
      constexpr const char* hex = "0123456789abcdef";
      quoted += "\\u00";
      quoted += hex[byte >> 4U];
      quoted += hex[byte & 0xFU];
    } else {
      quoted += c;
    }
  }
  return quoted + '"';
}

// "[P1#1 P1#2]", joined by hand: g++ 12 at -O3 warns -Wrestrict (wrongly) in
// boost::algorithm::join.
std::string listed(const std::vector<std::string>& items) {
  std::string text = "[";
  for (const std::string& it : items) {
    text += text.size() > 1 ? " " : "";
    text += it;
  }
  return text + "]";
}

template <typename List, typename Each>
std::string js_array(const List& list, Each each) {
  std::string text = "[";
  for (const auto& element : list) {
    if (text.size() > 1) {
      text += ',';
    }
    text += each(element);
  }
  return text + "]";
}

}  // namespace

webpage::webpage(const cast& who, std::string path)
    : who_(who), path_(std::move(path)), view_(who), story_(who), lines_(who.names.size(), 0) {}

void webpage::on_event(const event& e) {
  view_.apply(e);
  story_.follow(e);
  ++events_seen_;
  if (e.line != 0) {
    lines_.at(e.worker) = e.line;
    if (file_.empty()) {
      file_ = file_name_of(e.file);
      source_ = lesson_source(e.file);
    }
  }
  step s{e, text_of(e, who_), {}, {}, {}, lines_};
  const std::string listed = view_.contents(std::numeric_limits<std::size_t>::max());
  if (listed.size() > 2) {
    boost::split(s.buffer, listed.substr(1, listed.size() - 2), boost::is_any_of(" "));
  }
  for (unsigned id = 0; id < who_.names.size(); ++id) {
    s.states.push_back(view_.describe_state(id));
    s.seen.push_back(view_.state_of(id));
  }
  steps_.push_back(std::move(s));
  if (steps_.size() > steps_kept) {
    steps_.pop_front();
  }
}

std::string webpage::data(outcome result, const decisive_moment& moment) const {
  const auto quoted = [](const std::string& text) { return js_string(text); };
  const auto number = [](auto n) { return std::to_string(n); };
  // Each state's look, by the state's number, which the steps give.
  std::vector<std::string> looks(state_styles().size());
  for (const state_style& style : state_styles()) {
    looks.at(static_cast<std::size_t>(style.state)) =
        std::string("{\"colour\":\"") + style.colour + "\",\"ink\":\"" + style.ink + "\"}";
  }
  std::ostringstream data;
  data << "{\"threads\":" << js_array(who_.names, quoted)
       << ",\"capacity\":" << who_.config.capacity << ",\"result\":" << js_string(to_string(result))
       << ",\"total\":" << events_seen_
       << ",\"styles\":" << js_array(looks, [](auto& l) { return l; }) << ",\"arrow\":\""
       << arrow_colour << "\",\"alarm\":\"" << alarm_colour
       << "\",\"decisive\":{\"because\":" << moment.because_step
       << ",\"notify\":" << moment.notify_step << ",\"woke\":" << moment.woke_step
       << "},\"source\":" << js_array(source_, quoted) << ",\"steps\":"
       << js_array(steps_,
                   [&](const step& s) {
                     const event& e = s.what;
                     const bool woken = e.action == action::woke;
                     std::ostringstream one;
                     one << "{\"step\":" << e.step << ",\"thread\":" << e.worker
                         << ",\"text\":" << js_string(s.text)
                         << ",\"mark\":" << js_string(words_for(e.action).mark)
                         << ",\"buffer\":" << js_array(s.buffer, quoted)
                         << ",\"states\":" << js_array(s.states, quoted) << ",\"seen\":"
                         << js_array(s.seen,
                                     [](seen_state state) {
                                       return std::to_string(static_cast<int>(state));
                                     })
                         << ",\"lines\":" << js_array(s.lines, number) << ",\"wokenBy\":"
                         << (woken && !e.wakeup.spurious() ? e.wakeup.notify_step : 0)
                         << ",\"spurious\":" << (woken && e.wakeup.spurious() ? "true" : "false")
                         << ",\"violation\":" << (e.action == action::violation ? "true" : "false")
                         << '}';
                     return one.str();
                   })
       << '}';
  return data.str();
}

void webpage::write_heading(std::ostream& page, outcome result) const {
  const settings& c = who_.config;
  page << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
       << who_.lesson.name << ": " << to_string(result) << "</title>\n<style>" << webpage_style
       << "</style></head><body>\n<h1>" << who_.lesson.name << ": "
       << escaped_for_markup(who_.lesson.idea) << "</h1>\n<p class=\"scope\">"
       << counted(c.producers, "producer") << ", " << counted(c.consumers, "consumer")
       << ", capacity " << c.capacity << ", " << counted(c.items, "item") << " each"
       << (c.script.empty() ? "" : "; scripted") << ". Result: <b>" << to_string(result)
       << "</b>.</p>\n";
}

// Hidden until the script shows it: without JavaScript its buttons do nothing.
void webpage::write_stepper(std::ostream& page, outcome result, bool has_report) const {
  const bool failed = result == outcome::violation || result == outcome::deadlock;
  page << "<div id=\"stepper\" hidden>\n<div class=\"controls\">"
       << "<button id=\"prev\" title=\"left arrow\">previous</button>"
       << "<button id=\"next\" title=\"right arrow\">next</button>"
       << "<button id=\"play\" title=\"space\">play</button>"
       << (failed ? "<button id=\"failure\" title=\"f\">to the failure</button>" : "")
       << (has_report ? "<button id=\"reveal\">show the report</button>" : "")
       << "<span id=\"where\"></span></div>\n<div id=\"now\"></div>\n<div id=\"lanes\"></div>\n";
}

// What the lanes' colours and glyphs mean: those the page shows, from the
// tables the SVG timeline's legend is made from.
void webpage::write_legend(std::ostream& page, const decisive_moment& moment) const {
  page << "<div class=\"legend\" id=\"legend\">";
  for (const state_style& style : state_styles()) {
    if (std::any_of(steps_.begin(), steps_.end(), [&](const step& s) {
          return std::find(s.seen.begin(), s.seen.end(), style.state) != s.seen.end();
        })) {
      page << "<span><i style=\"background:" << style.colour << "\"></i>" << style.meaning
           << "</span>";
    }
  }
  page << "<span><b style=\"color:" << arrow_colour << "\">&rarr;</b>who woke whom</span>";
  if (moment.woke_step != 0) {
    page << "<span><b style=\"color:" << alarm_colour
         << "\">&rarr;</b>the wakeup that decides the run</span>";
  }
  for (const action_words& w : every_action()) {
    if (std::any_of(steps_.begin(), steps_.end(),
                    [&](const step& s) { return s.what.action == w.action; })) {
      page << "<span><b>" << escaped_for_markup(w.mark) << "</b>" << escaped_for_markup(w.legend)
           << "</span>";
    }
  }
  page << "</div>\n";
}

// The whole trace, which needs no script.
void webpage::write_trace(std::ostream& page) const {
  page << "<table id=\"trace\"><tr><th>step</th><th>thread</th><th>line</th><th>what</th>"
       << "<th>buffer</th></tr>\n";
  if (events_seen_ > steps_.size()) {
    page << "<tr><td colspan=\"5\">the last " << steps_.size() << " of " << events_seen_
         << " steps</td></tr>\n";
  }
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    const step& s = steps_[i];
    page << "<tr id=\"row" << i << '"'
         << (s.what.action == action::violation ? " class=\"violation\"" : "") << "><td>"
         << s.what.step << "</td><td>" << who_.names.at(s.what.worker) << "</td><td>"
         << (s.what.line == 0 ? "" : file_ + ":" + std::to_string(s.what.line)) << "</td><td>"
         << escaped_for_markup(s.text) << "</td><td>" << escaped_for_markup(listed(s.buffer))
         << "</td></tr>\n";
  }
  page << "</table>\n";
}

void webpage::end(outcome result, const std::string& report) {
  std::vector<event> recent;
  for (const step& s : steps_) {
    recent.push_back(s.what);
  }
  const decisive_moment moment = story_.told(result, report, recent);
  const bool has_report = !report.empty() || !moment.because.empty();
  std::ostringstream page;
  write_heading(page, result);
  write_stepper(page, result, has_report);
  write_legend(page, moment);
  page << "<div class=\"panes\"><pre class=\"code\" id=\"code\"></pre><div><dl>"
       << "<dt>buffer</dt><dd class=\"slots\" id=\"slots\"></dd>"
       << "<dt>lock held by</dt><dd id=\"holder\"></dd><dt>waiting on a condition</dt>"
       << "<dd id=\"waiters\"></dd><dt>threads</dt><dd id=\"states\"></dd></dl></div></div>\n"
       << "<div id=\"answer\"></div>\n</div>\n";
  write_trace(page);
  if (has_report) {
    page << "<section id=\"report\"><h2>The report</h2>";
    if (!moment.because.empty()) {
      page << "<p><b>" << escaped_for_markup(moment.because) << "</b></p>";
    }
    page << "<pre>" << escaped_for_markup(report) << "</pre></section>\n";
  }
  page << "<script type=\"application/json\" id=\"run\">" << data(result, moment)
       << "</script>\n<script>" << webpage_script << webpage_lanes_script << webpage_start
       << "</script>\n</body></html>\n";
  replace_file(path_, page.str(), "--html");
}

}  // namespace lesson
