// The registry of the lessons, one per file in this folder (NN_name.cpp).
// Each lesson file registers its own definition as the program starts, so the
// list is written nowhere else: the builds find the lesson files by their names.
#pragma once

#include <filesystem>
#include <source_location>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/definition.hpp"

namespace lessons {

// Adds a lesson to the registry before main runs. A lesson file ends with
//   const lessons::registration registered(lesson::define<steps>({...}));
// which, being const at namespace scope, is that file's own. It keeps the
// definition, which the registry points at.
class registration {
 public:
  // `file`: the lesson's own file, where the registration is written.
  explicit registration(const lesson::definition& lesson,
                        std::source_location file = std::source_location::current());
  registration(const registration&) = delete;
  registration& operator=(const registration&) = delete;

 private:
  lesson::definition lesson_;
};

// While one lives, a lesson that registers (a student's file as it is
// loaded, student_file.hpp) is held here instead of joining all(): it may
// have the name of a lesson it was copied from.
class registrations_held {
 public:
  registrations_held();
  ~registrations_held();
  registrations_held(const registrations_held&) = delete;
  registrations_held& operator=(const registrations_held&) = delete;
  // The lessons that registered meanwhile, in order.
  const std::vector<const lesson::definition*>& lessons() const { return held_; }

 private:
  friend class registration;
  registrations_held* before_;
  std::vector<const lesson::definition*> held_;
};

// Every lesson, sorted by name: the order they are taught.
std::span<const lesson::definition* const> all();
// A lesson by its executable name or number: "02_if_wait_bug" or "02".
const lesson::definition* find(std::string_view name);

// What a program that links every lesson (explore, scoreboard) would run
// otherwise than the lesson files now say: a line for each lesson file
// changed after the program was built, and for each lesson file in the
// lessons' folder that it lacks (a new one), each beginning with `program`
// and saying the command that rebuilds it. `built`: the program's own time,
// when its file can be read; none when it cannot.
std::vector<std::string> build_warnings(std::string_view program);
std::vector<std::string> build_warnings(std::string_view program,
                                        std::span<const lesson::definition* const> lessons,
                                        std::filesystem::file_time_type built);

}  // namespace lessons
