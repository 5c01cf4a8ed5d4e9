// Who is who in a run: the lesson, its settings, and its threads P1..Pn,
// C1..Cn (producers first: a thread's id is its index here). The engine runs
// them; the words that show a run (show/describe.hpp) name them.
#pragma once

#include <string>
#include <vector>

#include "model/definition.hpp"
#include "model/events.hpp"

namespace lesson {

struct cast {
  cast(const definition& lesson, const settings& config);
  const definition& lesson;
  settings config;
  std::vector<std::string> names;
  std::vector<lesson::role> roles;

  const std::string& name(unsigned id) const { return names.at(id); }
  lesson::role role(unsigned id) const { return roles.at(id); }
  bool scripted() const { return !config.script.empty(); }
};

}  // namespace lesson
