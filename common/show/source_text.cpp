#include "show/source_text.hpp"

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace lesson {

namespace {

namespace fs = std::filesystem;

// Where the lesson's file may be: where it was compiled; from the program's
// folder, the source tree a build inside it belongs to (build/bin/../../samples)
// or a samples/ copied beside the program; samples/ under the working folder.
// A build that compiles with names relative to the source tree (b2 does)
// leaves a relative name: it is found from the tree's root, which both builds
// name in CV_LESSONS_SOURCE_ROOT.
std::vector<fs::path> places_for(const fs::path& compiled_as) {
  const fs::path file = compiled_as.filename();
  std::vector<fs::path> places{fs::path(CV_LESSONS_SOURCE_ROOT) / compiled_as};
  std::error_code unknown;
  const fs::path program = fs::read_symlink("/proc/self/exe", unknown);
  if (!unknown) {
    const fs::path folder = program.parent_path();
    for (const char* up : {"../../samples", "../samples", "samples"}) {
      places.push_back((folder / up / file).lexically_normal());
    }
  }
  places.push_back(fs::path("samples") / file);
  return places;
}

// Once a program: the screens then show the run without its code.
void say_not_found(const std::vector<fs::path>& places) {
  static std::atomic<bool> said{false};
  if (said.exchange(true)) {
    return;
  }
  std::string looked;
  for (const fs::path& place : places) {
    looked += (looked.empty() ? "" : ", ") + place.string();
  }
  std::cerr << program_invocation_short_name << ": the lesson's code is not shown: no " << looked
            << "; run the program from the folder it was built in, or put the source's "
               "samples/ folder beside it\n";
}

}  // namespace

std::vector<std::string> lesson_source(const char* compiled_as) {
  const std::vector<fs::path> places = places_for(compiled_as);
  for (const fs::path& place : places) {
    std::ifstream in(place);
    if (in) {
      std::vector<std::string> lines{""};
      for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
      }
      return lines;
    }
  }
  say_not_found(places);
  return {};
}

}  // namespace lesson
