#include "drive/play_code.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <iterator>
#include <regex>
#include <set>

namespace lesson {

namespace {

const std::string ellipsis = "...";

// A line's code, its comment left out.
std::string code_of(const std::string& line) {
  return line.substr(0, line.find("//"));
}

std::size_t indentation(const std::string& line) {
  return std::min(line.find_first_not_of(' '), line.size());
}

// The first `width` columns of `text` cut after its last whole word, with
// "..."; `keep` characters are kept whatever the words.
std::string cut_at_word(const std::string& text, std::size_t width, std::size_t keep) {
  const std::size_t room = width - ellipsis.size();
  std::size_t end = text.rfind(' ', room);
  if (end == std::string::npos || end < keep) {
    end = room;  // one word longer than the room: cut inside it
  }
  while (end > keep && text[end - 1] == ' ') {
    --end;
  }
  return text.substr(0, end) + ellipsis;
}

}  // namespace

std::string fitted_line(const std::string& line, std::size_t width) {
  if (line.size() <= width || width <= ellipsis.size()) {
    return line.substr(0, width);
  }
  std::string code = line;
  const std::size_t comment = line.find("//");
  if (comment != std::string::npos) {
    code = line.substr(0, comment);
    code.erase(code.find_last_not_of(' ') + 1);
    // The comment's marker and its first word, at least, or none of it.
    const std::size_t first_word_end = line.find(' ', line.find_first_not_of(" /", comment));
    if (first_word_end != std::string::npos && first_word_end + ellipsis.size() <= width) {
      return cut_at_word(line, width, first_word_end);
    }
  }
  return code.size() <= width ? code : cut_at_word(code, width, indentation(code));
}

std::vector<lesson_code::span> lesson_code::steps_named(const std::string& step) const {
  const std::regex head("\\bstatic\\s+\\w+\\s+" + step + "\\s*\\(");
  std::vector<span> found;
  for (std::size_t at = 1; at < lines_.size(); ++at) {
    if (!std::regex_search(code_of(lines_[at]), head)) {
      continue;
    }
    span s{at + 1, at + 1};
    const std::size_t indent = indentation(lines_[at]);
    while (s.last + 1 < lines_.size() &&
           !(indentation(lines_[s.last]) == indent && lines_[s.last].find('}') == indent)) {
      ++s.last;
    }
    found.push_back(s);
  }
  return found;
}

bool lesson_code::has_step(const std::string& step) const {
  return !steps_named(step).empty();
}

std::uint32_t lesson_code::first_lock(std::size_t from, std::size_t to) const {
  static const std::regex lock_call("\\b(unique_lock|lock_guard|scoped_lock)\\b|\\.lock\\(\\)");
  for (std::size_t at = from; at <= to && at < lines_.size(); ++at) {
    if (std::regex_search(code_of(lines_[at]), lock_call)) {
      return static_cast<std::uint32_t>(at);
    }
  }
  return 0;
}

std::uint32_t lesson_code::lock_line(std::uint32_t last_line, const std::string& step) const {
  for (const std::string& name :
       {std::string("produce"), std::string("consume"), std::string("close")}) {
    for (const span& s : steps_named(name)) {
      if (last_line >= s.first && last_line <= s.last) {
        if (const std::uint32_t again = first_lock(last_line + 1, s.last); again != 0) {
          return again;
        }
      }
    }
  }
  const std::vector<span> starts = steps_named(step);
  return starts.empty() ? 0 : first_lock(starts.front().first, starts.front().last);
}

std::string lesson_code::excerpt(const std::map<std::uint32_t, std::string>& marks,
                                 std::size_t rows, std::size_t width) const {
  if (marks.empty() || empty()) {
    return "";
  }
  // The widest context around the marked lines that fits.
  std::set<std::size_t> shown;
  for (std::size_t around = 6;; --around) {
    shown.clear();
    for (const auto& [line, names] : marks) {
      for (std::size_t at = line > around ? line - around : 1;
           at <= std::min<std::size_t>(line + around, lines_.size() - 1); ++at) {
        shown.insert(at);
      }
    }
    std::size_t gaps = 0;
    for (auto at = shown.begin(); at != shown.end() && std::next(at) != shown.end(); ++at) {
      gaps += *std::next(at) != *at + 1 ? 1 : 0;
    }
    if (shown.size() + gaps <= rows || around == 0) {
      break;
    }
  }
  std::string out;
  std::size_t previous = 0;
  for (const std::size_t at : shown) {
    if (previous != 0 && at != previous + 1) {
      out += std::string(12, ' ') + "...\n";
    }
    previous = at;
    const auto mark = marks.find(static_cast<std::uint32_t>(at));
    const std::string who = mark == marks.end() ? "" : mark->second + " >";
    const std::string head = (boost::format("%8s %3d  ") % who % at).str();
    out += head + fitted_line(lines_[at], width - std::min(width, head.size())) + '\n';
  }
  return out;
}

}  // namespace lesson
