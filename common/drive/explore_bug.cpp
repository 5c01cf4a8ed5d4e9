// Where a lesson's declared bug shows: explore's small configurations of a
// lesson, and the search that finds the first of them where the bug shows
// (declared in explore.hpp); and how a count of schedules is written.
#include <algorithm>
#include <string>
#include <vector>

#include "drive/driver.hpp"
#include "drive/explore.hpp"

namespace lesson {

namespace {

constexpr std::size_t small_capacity = 1;
constexpr std::uint64_t small_items = 2;

}  // namespace

settings small_settings(const definition& lesson) {
  settings s = lesson.defaults;
  s.capacity = small_capacity;
  s.items = small_items;
  return explored_settings(s);
}

std::vector<settings> bug_configurations(const definition& lesson) {
  const settings small = small_settings(lesson);
  std::vector<settings> where;
  for (const small_configuration& named : lesson.bug_shows_at) {
    settings s = small;
    s.producers = named.producers != 0 ? named.producers : s.producers;
    s.consumers = named.consumers != 0 ? named.consumers : s.consumers;
    s.capacity = named.capacity != 0 ? named.capacity : s.capacity;
    s.items = named.items != 0 ? named.items : s.items;
    where.push_back(s);
  }
  if (where.empty()) {
    for (const std::size_t slots : {std::size_t{1}, std::size_t{2}}) {
      where.push_back(small);
      where.back().capacity = slots;
    }
  }
  return where;
}

bool shows(const exploration& found, outcome kind) {
  return std::any_of(found.outcomes.begin(), found.outcomes.end(),
                     [kind](const explored_outcome& o) { return o.result == kind; });
}

std::optional<settings> where_bug_shows(const definition& lesson, const explore_limits& budget) {
  if (lesson.correct()) {
    return std::nullopt;
  }
  const std::vector<settings> where = bug_configurations(lesson);
  if (!lesson.bug_shows_at.empty()) {
    return where.front();
  }
  touch_boost_thread();
  for (const settings& s : where) {
    if (shows(explore(lesson, s, budget), lesson.worst_case)) {
      return s;
    }
  }
  return std::nullopt;
}

// The decimal digits of `n`, 18 at a time through 64-bit integers: the
// number's own str() trips g++ 12's false -Wrestrict warning at -O3 (b2's
// release build), and a warning is an error here.
std::string digits_of(schedule_count n) {
  static const schedule_count chunk = 1'000'000'000'000'000'000ULL;  // 10^18
  std::vector<std::uint64_t> chunks;                                 // the lowest first
  do {
    chunks.push_back(static_cast<std::uint64_t>(n % chunk));
    n /= chunk;
  } while (n > 0);
  std::string digits = std::to_string(chunks.back());
  for (auto part = chunks.rbegin() + 1; part != chunks.rend(); ++part) {
    const std::string text = std::to_string(*part);
    digits += std::string(18 - text.size(), '0') + text;
  }
  return digits;
}

std::string count_text(const schedule_count& schedules, bool grouped) {
  const std::string digits = digits_of(schedules);
  std::string text;
  for (std::size_t at = 0; at < digits.size(); ++at) {
    const std::size_t left = digits.size() - at;  // digits from here to the end
    if (grouped && at > 0 && left % 3 == 0) {
      text += ',';
    }
    text += digits[at];
  }
  return text;
}

std::string configuration_options(const settings& s, const settings* than) {
  std::string options;
  const auto add = [&options](const char* name, std::uint64_t value, std::uint64_t other) {
    if (value != other) {
      options +=
          std::string(options.empty() ? "" : " ") + "--" + name + ' ' + std::to_string(value);
    }
  };
  const bool all = than == nullptr;
  add("producers", s.producers, all ? 0 : than->producers);
  add("consumers", s.consumers, all ? 0 : than->consumers);
  add("capacity", s.capacity, all ? 0 : than->capacity);
  add("items", s.items, all ? 0 : than->items);
  return options;
}

std::string bug_not_shown(const definition& lesson, const exploration& found) {
  if (lesson.correct() || !found.complete || shows(found, lesson.worst_case)) {
    return "";
  }
  std::string said = std::string(lesson.name) + " declares it can " +
                     (lesson.worst_case == outcome::deadlock ? "deadlock" : "end in a violation") +
                     ", but no schedule of this configuration does";
  explore_limits quick;
  quick.spurious = found.limits.spurious;
  quick.max_runs = 20'000;
  quick.seconds = 2;
  const std::optional<settings> where = where_bug_shows(lesson, quick);
  const std::string options = where ? configuration_options(*where, &found.config) : "";
  return said + (options.empty() ? "." : ": try " + options);
}

}  // namespace lesson
