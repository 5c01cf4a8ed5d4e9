#include "model/definition.hpp"

#include <algorithm>
#include <sstream>
#include <string_view>

namespace lesson {

namespace {

// The widest line a --help line may fill, within a terminal of 80 columns.
constexpr std::size_t help_columns = 78;

// A script's line with its note beside it, one space apart.
std::string beside(const bug_script& script) {
  return std::string("  ") + script.options + " (" + script.note + ")";
}

// Whether the note goes beside its script: it has one line, and that line fits.
bool fits_beside(const bug_script& script) {
  return *script.note != '\0' &&
         std::string_view(script.note).find('\n') == std::string_view::npos &&
         beside(script).size() <= help_columns;
}

}  // namespace

std::vector<std::string> options_of(const bug_script& script) {
  std::istringstream words(script.options);
  std::vector<std::string> options;
  for (std::string word; words >> word;) {
    options.push_back(word);
  }
  return options;
}

std::vector<std::vector<std::string>> bug_script_options(const definition& lesson) {
  std::vector<std::vector<std::string>> scripts;
  for (const bug_script& script : lesson.bug_scripts) {
    scripts.push_back(options_of(script));
  }
  return scripts;
}

std::string bug_scripts_help(const definition& lesson) {
  std::size_t notes_end = 0;  // the column where the notes beside their scripts end
  for (const bug_script& script : lesson.bug_scripts) {
    if (fits_beside(script)) {
      notes_end = std::max(notes_end, beside(script).size());
    }
  }
  std::ostringstream help;
  for (const bug_script& script : lesson.bug_scripts) {
    const std::string line = std::string("  ") + script.options;
    if (fits_beside(script)) {
      const std::string note = std::string("(") + script.note + ")";
      help << line << std::string(notes_end - line.size() - note.size(), ' ') << note << '\n';
      continue;
    }
    help << line << '\n';
    if (*script.note == '\0') {
      continue;
    }
    std::istringstream note(std::string("(") + script.note + ")");
    for (std::string note_line; std::getline(note, note_line);) {
      help << "      " << note_line << '\n';
    }
  }
  return help.str();
}

}  // namespace lesson
