#include <algorithm>
#include <regex>
#include <set>
#include <system_error>
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

registrations_held*& holder() {
  static registrations_held* current = nullptr;
  return current;
}

}  // namespace

registrations_held::registrations_held() : before_(holder()) {
  holder() = this;
}

registrations_held::~registrations_held() {
  holder() = before_;
}

registration::registration(const lesson::definition& lesson, std::source_location file)
    : lesson_(lesson) {
  lesson_.source_file = file.file_name();
  if (holder() != nullptr) {
    holder()->held_.push_back(&lesson_);
    return;
  }
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

namespace {

namespace fs = std::filesystem;

constexpr const char* rebuild = "run cmake --build build";

// `path` as a student would type it: from the working folder when it is
// under it, else whole.
std::string shown(const fs::path& path) {
  std::error_code error;
  const fs::path near = fs::proximate(path, error);
  return !error && !near.empty() && *near.begin() != ".." ? near.string() : path.string();
}

}  // namespace

std::vector<std::string> build_warnings(std::string_view program,
                                        std::span<const lesson::definition* const> lessons,
                                        fs::file_time_type built) {
  std::vector<std::string> warnings;
  std::set<fs::path> registered;
  std::error_code error;
  for (const lesson::definition* lesson : lessons) {
    const fs::path file(lesson->source_file);
    registered.insert(file.filename());
    const fs::file_time_type changed = fs::last_write_time(file, error);
    if (!error && changed > built) {
      warnings.push_back(std::string(program) + ": " + shown(file) +
                         " changed after this program was built: " + rebuild);
    }
  }
  if (lessons.empty()) {
    return warnings;
  }
  // A lesson file is named NN_name.cpp, as the builds find them.
  const std::regex lesson_file(R"([0-9][0-9]_[^/]*\.cpp)");
  const fs::path folder = fs::path(lessons.front()->source_file).parent_path();
  std::vector<fs::path> unbuilt;
  for (fs::directory_iterator entry(folder, error), end; !error && entry != end;
       entry.increment(error)) {
    const fs::path name = entry->path().filename();
    if (std::regex_match(name.string(), lesson_file) && registered.count(name) == 0) {
      unbuilt.push_back(entry->path());
    }
  }
  std::sort(unbuilt.begin(), unbuilt.end());
  for (const fs::path& file : unbuilt) {
    warnings.push_back(std::string(program) + ": " + shown(file) +
                       " is a lesson this program was built without: " + rebuild);
  }
  return warnings;
}

std::vector<std::string> build_warnings(std::string_view program) {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);  // Linux: the running program
  const fs::file_time_type built = error ? fs::file_time_type{} : fs::last_write_time(self, error);
  if (error) {
    return {};
  }
  return build_warnings(program, all(), built);
}

}  // namespace lessons
