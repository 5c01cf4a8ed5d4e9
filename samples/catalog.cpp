#include <array>
#include <string>

#include "lessons.hpp"

namespace lessons {

std::span<const lesson::definition* const> all() {
  static const std::array<const lesson::definition*, 8> every = {
      &cookbook,   &if_wait_bug,    &while_wait_fix, &notify_one_deadlock,
      &notify_all, &two_conditions, &predicate_wait, &waiter_count};
  return every;
}

const lesson::definition* find(std::string_view name) {
  for (const lesson::definition* lesson : all()) {
    const std::string_view full = lesson->name;
    if (name == full || (name.size() == 2 && full.substr(0, 2) == name)) {
      return lesson;
    }
  }
  return nullptr;
}

}  // namespace lessons
