#include "show/webpage_assets.hpp"

namespace lesson {

// The page's look and its script: small, written for this page alone. Sizes
// are for a projector at 1280x720: the lanes, the code and the buttons read
// from the back of a room.
const char* const webpage_style = R"css(
body { font: 17px/1.3 sans-serif; margin: .4em .8em; color: #222; }
h1 { font-size: 1.25em; margin: 0; }
p.scope { margin: 0 0 .3em; }
.controls button { font-size: 1em; padding: .15em .6em; margin-right: .3em; }
#where { font-weight: bold; margin-left: .6em; }
#now { margin: .2em 0 0; font: bold 1.05em monospace; }
#lanes svg text { font-family: monospace; }
#lanes svg text.lane { font: bold 18px sans-serif; }
#lanes svg text.mark { font: bold 17px monospace; }
#lanes svg text.number { font-size: 12px; fill: #555; }
.legend { margin: 0 0 .3em; font-size: .85em; }
.legend span { margin-right: 1em; white-space: nowrap; display: inline-block; }
.legend i { display: inline-block; width: 1em; height: 1em; vertical-align: -.15em;
  border: 1px solid #666; margin-right: .3em; }
.legend b { font-family: monospace; font-size: 1.15em; margin-right: .3em; }
.panes { display: flex; gap: 1em; align-items: flex-start; }
pre.code { margin: 0; padding: .2em .3em; background: #f6f6f6; font-size: 15px;
  line-height: 1.2; flex: 0 1 auto; min-width: 0; overflow-x: auto; }
.code span.mark { display: inline-block; width: 5em; text-align: right; color: #b00;
  font-weight: bold; }
.code .here { background: #ffe9a8; }
.panes > div { flex: 0 0 13em; }
.slots span { display: inline-block; min-width: 3.6em; padding: .2em; margin: 2px;
  border: 1px solid #555; text-align: center; font-family: monospace; }
.slots span.empty { color: #bbb; }
dl { margin: 0; } dt { font-weight: bold; } dd { margin: 0 0 .3em 1em; }
#report { border-left: 4px solid #d50000; padding: .1em .8em; margin: .6em 0; }
#report h2 { font-size: 1.1em; margin: .2em 0; }
#report pre { white-space: pre-wrap; font-size: 15px; }
table { border-collapse: collapse; margin-top: 1em; font-family: monospace; font-size: 15px; }
td, th { border-bottom: 1px solid #ddd; padding: 1px .6em; text-align: left; }
tr.current { background: #ffe9a8; } tr.violation td { color: #b00; font-weight: bold; }
)css";

// The lanes: a column per step up to the one shown (as many as fit), each
// cell coloured by its thread's state and the acting thread's marked; an
// arrow from each notify to the wakeup it caused, the one that decides the
// run in red, as the SVG timeline draws them.
const char* const webpage_lanes_script = R"js(
const indexOf = new Map(run.steps.map((s, i) => [s.step, i]));
const esc = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;");
function drawLanes() {
  const w = 28, h = 36, left = 46, top = 16, band = 40;
  const fit = Math.max(10, Math.floor(($("lanes").clientWidth - left - band - 8) / w));
  const first = Math.max(0, at + 1 - fit);
  const x = (i) => left + (i - first) * w, edge = (t, low) => top + t * h + (low ? h - 5 : 5);
  const svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="' + (left + fit * w + band) +
    '" height="' + (top + run.threads.length * h + 4) + '"><defs>'];
  for (const [id, colour] of [["head", run.arrow], ["alarm-head", run.alarm]]) {
    svg.push('<marker id="' + id + '" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="4"' +
      ' markerHeight="4" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="' + colour + '"/></marker>');
  }
  svg.push("</defs>");
  run.threads.forEach((name, t) => svg.push('<text class="lane" x="0" y="' +
    (top + t * h + h / 2 + 6) + '">' + esc(name) + "</text>"));
  const after = [];
  for (let i = first; i <= at; i++) {
    const s = run.steps[i];
    if (i === at || s.step % 5 === 0) svg.push('<text class="number" x="' + (x(i) + w / 2) +
      '" y="' + (top - 5) + '" text-anchor="middle">' + s.step + "</text>");
    s.seen.forEach((state, t) => {
      const look = run.styles[state];
      svg.push('<rect x="' + x(i) + '" y="' + edge(t, false) + '" width="' + (w - 2) +
        '" height="' + (h - 10) + '" fill="' + look.colour + '" stroke="#999" stroke-width="0.5"/>');
      if (t === s.thread) svg.push('<text class="mark" x="' + (x(i) + w / 2 - 1) + '" y="' +
        (top + t * h + h / 2 + 6) + '" text-anchor="middle" fill="' + look.ink + '">' +
        esc(s.mark) + "</text>");
    });
    const frame = (colour, width, extra) => after.push('<rect x="' + (x(i) - 1) + '" y="' +
      (edge(s.thread, false) - 1) + '" width="' + w + '" height="' + (h - 8) +
      '" fill="none" stroke="' + colour + '" stroke-width="' + width + '"' + extra + "/>");
    if (s.step === run.decisive.because) frame(run.alarm, 3, ' class="because"');
    if (i === at) frame("#000", 2, "");
    if (s.violation) after.push('<line class="violation" x1="' + (x(i) + w) + '" y1="' + top +
      '" x2="' + (x(i) + w) + '" y2="' + (top + run.threads.length * h) + '" stroke="' +
      run.alarm + '" stroke-width="3"/>');
    if (s.spurious) after.push('<text x="' + (x(i) + w / 2) + '" y="' + (edge(s.thread, false) - 1) +
      '" text-anchor="middle" font-size="11" font-weight="bold" fill="' + run.alarm +
      '">spurious</text>');
    const from = s.wokenBy ? indexOf.get(s.wokenBy) : undefined;
    if (from === undefined || from < first) continue;
    const notifier = run.steps[from].thread, down = notifier < s.thread;
    const x1 = x(from) + w / 2, x2 = x(i) + w / 2;
    const y1 = edge(notifier, down), y2 = edge(s.thread, !down), middle = (y1 + y2) / 2;
    const decides = s.step === run.decisive.woke && s.wokenBy === run.decisive.notify;
    (decides ? after : svg).push('<path class="wakeup' + (decides ? ' decisive"' : '"') +
      ' d="M' + x1 + "," + y1 + " C" + x1 + "," + middle + " " + x2 + "," + middle + " " + x2 +
      "," + y2 + '" fill="none" stroke="' + (decides ? run.alarm : run.arrow) +
      '" stroke-width="' + (decides ? 4 : 2) + '" marker-end="url(#' +
      (decides ? "alarm-head" : "head") + ')"><title>' + run.threads[notifier] +
      "'s notify at step " + s.wokenBy + " woke " + run.threads[s.thread] + "</title></path>");
  }
  if (run.result === "deadlock" && at === run.steps.length - 1) svg.push('<rect class="deadlock" x="' +
    (x(at) + w + 2) + '" y="' + top + '" width="' + (band - 8) + '" height="' +
    run.threads.length * h + '" fill="' + run.alarm + '" opacity="0.75"/>');
  $("lanes").innerHTML = svg.concat(after).join("") + "</svg>";
}
)js";

const char* const webpage_script = R"js(
const run = JSON.parse(document.getElementById("run").textContent);
let at = 0, timer = null;
const $ = (id) => document.getElementById(id);
const last = run.steps.length - 1;
const counted = run.total > run.steps.length
  ? "the last " + run.steps.length + " of " + run.total + " steps" : run.steps.length + " steps";

// The report, the answer, waits after the steps until the last one.
const report = $("report");
const reveal = () => { report.hidden = false; $("reveal").hidden = true; };
if (report) { report.hidden = true; $("answer").append(report); $("reveal").onclick = reveal; }

// The lesson's steps, where the threads are; the whole file if none is found.
const steps = { from: Math.max(1, run.source.findIndex((l) => l.startsWith("struct steps"))) };
steps.to = run.source.findIndex((l, n) => n > steps.from && l.startsWith("};"));
if (steps.to < 0) steps.to = run.source.length;

function show(i) {
  at = Math.max(0, Math.min(last, i));
  const s = run.steps[at];
  $("where").textContent = "step " + s.step + " (" + (at + 1) + " of " + counted + ")";
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
  if (report && at === last) reveal();
}

function playPause() {
  if (timer) { clearInterval(timer); timer = null; $("play").textContent = "play"; return; }
  $("play").textContent = "pause";
  timer = setInterval(() => { if (at >= last) playPause(); else show(at + 1); }, 700);
}
const failure = () => { const i = run.steps.findIndex((s) => s.violation); show(i >= 0 ? i : last); };
$("prev").onclick = () => show(at - 1);
$("next").onclick = () => show(at + 1);
$("play").onclick = playPause;
if ($("failure")) $("failure").onclick = failure;
document.addEventListener("keydown", (e) => {
  if (e.key === "ArrowRight") show(at + 1);
  else if (e.key === "ArrowLeft") show(at - 1);
  else if (e.key === " ") { e.preventDefault(); playPause(); }
  else if (e.key === "f" && $("failure")) failure();
});
)js";

// After both: the stepper shows once everything it calls is defined.
const char* const webpage_start = R"js(
$("stepper").hidden = false;
show(0);
window.addEventListener("resize", drawLanes);
)js";

}  // namespace lesson
