#include "webpage.hpp"

#include <boost/algorithm/string/classification.hpp>
#include <boost/algorithm/string/split.hpp>
#include <limits>
#include <sstream>

#include "markup.hpp"
#include "replace_file.hpp"
#include "source_text.hpp"

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

// The page's look and its script: small, written for this page alone.
constexpr const char* style = R"css(
body { font: 15px/1.35 sans-serif; margin: 1em; color: #222; }
h1 { font-size: 1.3em; margin: 0 0 .2em; }
.controls button { font-size: 1em; margin-right: .3em; }
#where { font-weight: bold; margin-left: .6em; }
#now { margin: .4em 0; font-family: monospace; }
.panes { display: flex; gap: 1.5em; align-items: flex-start; }
pre.code { margin: 0; padding: .4em; background: #f6f6f6; font-size: 14px; }
.code span.mark { display: inline-block; width: 4.5em; text-align: right; color: #b00;
  font-weight: bold; }
.code .here { background: #ffe9a8; }
.slots span { display: inline-block; min-width: 3.6em; padding: .3em; margin: 2px;
  border: 1px solid #555; text-align: center; font-family: monospace; }
.slots span.empty { color: #bbb; }
dl { margin: .4em 0; } dt { font-weight: bold; } dd { margin: 0 0 .4em 1em; }
svg text { font: 12px monospace; }
table { border-collapse: collapse; margin-top: 1em; font-family: monospace; }
td, th { border-bottom: 1px solid #ddd; padding: 1px .6em; text-align: left; }
tr.current { background: #ffe9a8; } tr.violation td { color: #b00; font-weight: bold; }
)css";

constexpr const char* script = R"js(
const run = JSON.parse(document.getElementById("run").textContent);
let at = 0, timer = null;
const $ = (id) => document.getElementById(id);
const colours = { run: "#9c9", holds: "#36c", wants: "#fc6", wait: "#ccc", woken: "#c9f",
  done: "#eee" };
const colourOf = (state) => state.startsWith("[") ? colours.holds : state.startsWith("wait ")
  ? colours.wait : colours[state.split(" ")[0]] || "#fff";

// The lesson's steps, where the threads are; the whole file if none is found.
const steps = { from: Math.max(1, run.source.findIndex((l) => l.startsWith("struct steps"))) };
steps.to = run.source.findIndex((l, n) => n > steps.from && l.startsWith("};"));
if (steps.to < 0) steps.to = run.source.length;

function show(i) {
  at = Math.max(0, Math.min(run.steps.length - 1, i));
  const s = run.steps[at];
  $("where").textContent = "step " + s.step + " (" + (at + 1) + " of " + run.steps.length + ")";
  $("now").textContent = run.threads[s.thread] + ": " + s.text;
  // The source, each thread's name beside its line.
  const marks = {};
  s.lines.forEach((line, t) => { if (line) (marks[line] = marks[line] || []).push(run.threads[t]); });
  $("code").innerHTML = "";
  run.source.forEach((text, n) => {
    if (n < steps.from || n > steps.to) return;
    const row = document.createElement("div");
    if (marks[n]) row.className = "here";
    row.innerHTML = '<span class="mark">' + (marks[n] ? marks[n].join(" ") + " &gt;" : "") +
      "</span> " + String(n).padStart(3) + "  ";
    row.append(text);
    $("code").append(row);
  });
  // The buffer's slots, the lock, the waiters.
  $("slots").innerHTML = "";
  for (let k = 0; k < run.capacity; k++) {
    const slot = document.createElement("span");
    slot.textContent = k < s.buffer.length ? s.buffer[k] : "-";
    if (k >= s.buffer.length) slot.className = "empty";
    $("slots").append(slot);
  }
  const holder = s.states.findIndex((state) => state.startsWith("["));
  $("holder").textContent = holder < 0 ? "free" : run.threads[holder];
  const waiting = {};
  s.states.forEach((state, t) => { if (state.startsWith("wait ")) {
    (waiting[state.slice(5)] = waiting[state.slice(5)] || []).push(run.threads[t]); } });
  $("waiters").textContent = Object.keys(waiting).length === 0 ? "nobody" :
    Object.entries(waiting).map(([c, who]) => c + ": " + who.join(" ")).join("; ");
  $("states").textContent = s.states.map((state, t) => run.threads[t] + " " + state).join("; ");
  document.querySelectorAll("#trace tr.current").forEach((r) => r.classList.remove("current"));
  $("row" + at).classList.add("current");
  drawLanes();
}

// A lane per thread, a column per step up to this one (the last 70), an
// arrow from each notify to the wakeup it caused.
function drawLanes() {
  const w = 12, h = 22, left = 34, shown = run.steps.slice(0, at + 1);
  const first = Math.max(0, shown.length - 70);
  const svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="' + (left + 70 * w + 10) +
    '" height="' + (run.threads.length * h + 8) + '">',
    '<defs><marker id="head" markerWidth="6" markerHeight="6" refX="5" refY="3"' +
    ' orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#b00"/></marker></defs>'];
  run.threads.forEach((name, t) => svg.push('<text x="0" y="' + (t * h + 15) + '">' + name + "</text>"));
  const x = (i) => left + (i - first) * w;
  for (let i = first; i < shown.length; i++) {
    shown[i].states.forEach((state, t) => svg.push('<rect x="' + x(i) + '" y="' + (t * h + 3) +
      '" width="' + (w - 1) + '" height="' + (h - 6) + '" fill="' + colourOf(state) + '"' +
      (i === at && t === shown[i].thread ? ' stroke="#b00" stroke-width="2"' : "") + "/>"));
    const woke = shown[i].wokenBy;
    const from = woke ? run.steps.findIndex((s) => s.step === woke) : -1;
    if (from >= first) {
      svg.push('<line x1="' + (x(from) + w / 2) + '" y1="' + (run.steps[from].thread * h + 11) +
        '" x2="' + (x(i) + w / 2) + '" y2="' + (shown[i].thread * h + 11) +
        '" stroke="#b00" stroke-width="1.5" marker-end="url(#head)"/>');
    }
  }
  $("lanes").innerHTML = svg.join("") + "</svg>";
}

function playPause() {
  if (timer) { clearInterval(timer); timer = null; $("play").textContent = "play"; return; }
  $("play").textContent = "pause";
  timer = setInterval(() => { if (at + 1 >= run.steps.length) playPause(); else show(at + 1); }, 700);
}
const failure = () => { const i = run.steps.findIndex((s) => s.violation);
  show(i >= 0 ? i : run.steps.length - 1); };
$("prev").onclick = () => show(at - 1);
$("next").onclick = () => show(at + 1);
$("play").onclick = playPause;
$("failure").onclick = failure;
document.addEventListener("keydown", (e) => {
  if (e.key === "ArrowRight") show(at + 1);
  else if (e.key === "ArrowLeft") show(at - 1);
  else if (e.key === " ") { e.preventDefault(); playPause(); }
  else if (e.key === "f") failure();
});
$("stepper").hidden = false;
show(0);
)js";

}  // namespace

webpage::webpage(const cast& who, std::string path)
    : who_(who), path_(std::move(path)), view_(who), lines_(who.names.size(), 0) {}

void webpage::on_event(const event& e) {
  view_.apply(e);
  ++events_seen_;
  if (e.line != 0) {
    lines_.at(e.worker) = e.line;
    if (file_.empty()) {
      file_ = file_name_of(e.file);
      source_ = lesson_source(e.file);
    }
  }
  if (steps_.size() >= steps_kept) {
    return;
  }
  step s;
  s.number = e.step;
  s.worker = e.worker;
  s.text = text_of(e, who_);
  s.line = e.line;
  const std::string listed = view_.contents(std::numeric_limits<std::size_t>::max());
  if (listed.size() > 2) {
    boost::split(s.buffer, listed.substr(1, listed.size() - 2), boost::is_any_of(" "));
  }
  for (unsigned id = 0; id < who_.names.size(); ++id) {
    s.states.push_back(view_.describe_state(id));
  }
  s.lines = lines_;
  s.woken_by = e.action == action::woke && !e.wakeup.spurious() ? e.wakeup.notify_step : 0;
  s.violation = e.action == action::violation;
  steps_.push_back(std::move(s));
}

void webpage::end(outcome result, const std::string& report) {
  const auto quoted = [](const std::string& text) { return js_string(text); };
  std::ostringstream data;
  data << "{\"threads\":" << js_array(who_.names, quoted)
       << ",\"capacity\":" << who_.config.capacity << ",\"source\":" << js_array(source_, quoted)
       << ",\"steps\":"
       << js_array(steps_,
                   [&](const step& s) {
                     std::ostringstream one;
                     one << "{\"step\":" << s.number << ",\"thread\":" << s.worker
                         << ",\"text\":" << js_string(s.text) << ",\"line\":" << s.line
                         << ",\"buffer\":" << js_array(s.buffer, quoted)
                         << ",\"states\":" << js_array(s.states, quoted) << ",\"lines\":"
                         << js_array(s.lines, [](std::uint32_t n) { return std::to_string(n); })
                         << ",\"wokenBy\":" << s.woken_by
                         << ",\"violation\":" << (s.violation ? "true" : "false") << '}';
                     return one.str();
                   })
       << '}';

  const settings& c = who_.config;
  std::ostringstream page;
  page << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
       << who_.lesson.name << ": " << to_string(result) << "</title>\n<style>" << style
       << "</style></head><body>\n<h1>" << who_.lesson.name << ": "
       << escaped_for_markup(who_.lesson.idea) << "</h1>\n<p>" << c.producers << " producers, "
       << c.consumers << " consumers, capacity " << c.capacity << ", " << c.items << " items each"
       << (c.script.empty() ? "" : "; scripted") << ". Result: <b>" << to_string(result)
       << "</b>.</p>\n";
  if (!report.empty()) {
    page << "<pre>" << escaped_for_markup(report) << "</pre>\n";
  }
  page << "<div id=\"stepper\" hidden>\n<div class=\"controls\">"
       << "<button id=\"prev\" title=\"left arrow\">previous</button>"
       << "<button id=\"next\" title=\"right arrow\">next</button>"
       << "<button id=\"play\" title=\"space\">play</button>"
       << "<button id=\"failure\" title=\"f\">to the failure</button><span id=\"where\"></span>"
       << "</div>\n<div id=\"now\"></div>\n<div id=\"lanes\"></div>\n<div class=\"panes\"><pre "
          "class=\"code\" id=\"code\">"
       << "</pre><div><dl><dt>buffer</dt><dd class=\"slots\" id=\"slots\"></dd>"
       << "<dt>lock held by</dt><dd id=\"holder\"></dd><dt>waiting on a condition</dt>"
       << "<dd id=\"waiters\"></dd><dt>threads</dt><dd id=\"states\"></dd></dl></div></div>\n"
       << "</div>\n";
  // The whole trace, which needs no script.
  page << "<table id=\"trace\"><tr><th>step</th><th>thread</th><th>line</th><th>what</th>"
       << "<th>buffer</th></tr>\n";
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    const step& s = steps_[i];
    page << "<tr id=\"row" << i << '"' << (s.violation ? " class=\"violation\"" : "") << "><td>"
         << s.number << "</td><td>" << who_.names.at(s.worker) << "</td><td>"
         << (s.line == 0 ? "" : file_ + ":" + std::to_string(s.line)) << "</td><td>"
         << escaped_for_markup(s.text) << "</td><td>" << escaped_for_markup(listed(s.buffer))
         << "</td></tr>\n";
  }
  if (events_seen_ > steps_.size()) {
    page << "<tr><td colspan=\"5\">... the first " << steps_.size() << " of " << events_seen_
         << " steps</td></tr>\n";
  }
  page << "</table>\n<script type=\"application/json\" id=\"run\">" << data.str()
       << "</script>\n<script>" << script << "</script>\n</body></html>\n";
  replace_file(path_, page.str(), "--html");
}

}  // namespace lesson
