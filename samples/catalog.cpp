#include <algorithm>
#include <vector>

#include "lessons.hpp"

namespace lessons {

namespace {

// A function's static, so that it exists before the first lesson registers:
// the order in which files are initialised is not the order they are linked.
std::vector<const lesson::definition*>& registered_by_name() {
  static std::vector<const lesson::definition*> sorted;
  return sorted;
}

}  // namespace

registration::registration(const lesson::definition& lesson) : lesson_(lesson) {
  std::vector<const lesson::definition*>& sorted = registered_by_name();
  const auto by_name = [](const lesson::definition* a, const lesson::definition* b) {
    return std::string_view(a->name) < std::string_view(b->name);
  };
  sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), &lesson_, by_name), &lesson_);
}

std::span<const lesson::definition* const> all() {
  return registered_by_name();
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
