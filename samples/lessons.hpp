// The registry of the lessons, one per file in this folder (NN_name.cpp).
// Each lesson file registers its own definition as the program starts, so the
// list is written nowhere else: the builds find the lesson files by their names.
#pragma once

#include <span>
#include <string_view>

#include "definition.hpp"

namespace lessons {

// Adds a lesson to the registry before main runs. A lesson file ends with
//   const lessons::registration registered(lesson::define<steps>({...}));
// which, being const at namespace scope, is that file's own. It keeps the
// definition, which the registry points at.
class registration {
 public:
  explicit registration(const lesson::definition& lesson);
  registration(const registration&) = delete;
  registration& operator=(const registration&) = delete;

 private:
  lesson::definition lesson_;
};

// Every lesson, sorted by name: the order they are taught.
std::span<const lesson::definition* const> all();
// A lesson by its executable name or number: "02_if_wait_bug" or "02".
const lesson::definition* find(std::string_view name);

}  // namespace lessons
