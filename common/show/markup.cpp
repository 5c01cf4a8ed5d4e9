#include "show/markup.hpp"

namespace lesson {

std::string escaped_for_markup(const std::string& text) {
  std::string escaped;
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string counted(std::uint64_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

const std::vector<state_style>& state_styles() {
  static const std::vector<state_style> styles = {
      {seen_state::running, "#e3e3e3", "running", "black"},
      {seen_state::wants_lock, "#f5a623", "wants the lock", "black"},
      {seen_state::holds_lock, "#2e7d32", "holds the lock", "white"},
      {seen_state::waiting, "#1565c0", "waits", "white"},
      {seen_state::woken, "#ffd54f", "woken, needs the lock", "black"},
      {seen_state::done, "#ffffff", "done", "black"},
  };
  return styles;
}

const state_style& style_of(seen_state state) {
  for (const state_style& s : state_styles()) {
    if (s.state == state) {
      return s;
    }
  }
  return state_styles().front();
}

}  // namespace lesson
