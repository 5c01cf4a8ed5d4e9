// The harness is built in layers, each using only the ones below it: this
// test reads every `#include "..."` of common/, samples/ and test/ and fails,
// naming the file and line, when one runs up a layer, names a file that is
// not there, or closes a circle. The layers and their order are written once,
// in common/layers.txt; a new folder in common/ must take its place there.
//
// Run with the source tree's root as its one argument (CTest and b2 do).
#define BOOST_TEST_MODULE layers
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

fs::path tree_root() {
  const auto& args = boost::unit_test::framework::master_test_suite();
  return args.argc > 1 ? fs::path(args.argv[1]) : fs::current_path();
}

struct include_line {
  std::string file;  // relative to the tree's root
  int line = 0;
  std::string written;  // what is between the quotes
};

struct tree {
  std::vector<std::string> layers;              // folders, lowest first
  std::map<std::string, std::string> layer_of;  // file -> its layer's folder
  std::vector<include_line> includes;
};

// common/layers.txt: one folder a line, lowest first, then its job; `#` starts
// a comment.
std::vector<std::string> read_layers(const fs::path& root) {
  std::ifstream in(root / "common" / "layers.txt");
  BOOST_TEST_REQUIRE(static_cast<bool>(in), "no common/layers.txt under " << root);
  std::vector<std::string> layers;
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line.substr(0, line.find('#')));
    std::string folder;
    if (words >> folder) {
      layers.push_back(folder);
    }
  }
  return layers;
}

// The layer a file belongs to: the listed folder nearest above it.
std::string layer_for(const std::vector<std::string>& layers, const fs::path& file) {
  for (fs::path folder = file.parent_path(); !folder.empty(); folder = folder.parent_path()) {
    for (const std::string& layer : layers) {
      if (folder == fs::path(layer)) {
        return layer;
      }
    }
  }
  return {};
}

tree read_tree(const fs::path& root) {
  tree read;
  read.layers = read_layers(root);
  const std::regex quoted(R"re(^\s*#\s*include\s*"([^"]+)")re");
  for (const char* top : {"common", "samples", "test"}) {
    if (!fs::exists(root / top)) {
      continue;
    }
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      const std::string extension = entry.path().extension().string();
      if (!entry.is_regular_file() || (extension != ".cpp" && extension != ".hpp")) {
        continue;
      }
      const fs::path file = fs::relative(entry.path(), root);
      read.layer_of[file.generic_string()] = layer_for(read.layers, file);
      std::ifstream in(entry.path());
      int number = 0;
      std::smatch match;
      for (std::string line; std::getline(in, line);) {
        ++number;
        if (std::regex_search(line, match, quoted)) {
          read.includes.push_back({file.generic_string(), number, match[1]});
        }
      }
    }
  }
  return read;
}

// Where an include leads, as the builds find it: a file in common/ names
// every other one from common/'s top (with its folder); samples/ and test/
// also find their own neighbours and what the builds put on the include path
// besides common/ (samples/ for the registry, samples/bench/ for its queues).
std::string resolve(const fs::path& root, const include_line& include) {
  const fs::path from = fs::path(include.file).parent_path();
  std::vector<fs::path> places{fs::path("common") / include.written};
  if (from.begin()->string() != "common") {
    for (const fs::path& folder : {from, fs::path("samples"), fs::path("samples/bench")}) {
      places.push_back(folder / include.written);
    }
  }
  for (const fs::path& place : places) {
    if (fs::exists(root / place)) {
      return place.lexically_normal().generic_string();
    }
  }
  return {};
}

std::size_t rank_of(const std::vector<std::string>& layers, const std::string& layer) {
  return static_cast<std::size_t>(std::find(layers.begin(), layers.end(), layer) - layers.begin());
}

// Every fault in the tree, one line each.
struct findings {
  std::vector<std::string> faults;
  std::size_t depth = 0;  // the longest chain of includes, in files
};

std::size_t longest_chain(const std::map<std::string, std::set<std::string>>& graph,
                          const std::string& file, std::map<std::string, int>& state,
                          std::map<std::string, std::size_t>& depth, std::vector<std::string>& path,
                          std::vector<std::string>& faults) {
  if (state[file] == 2) {
    return depth[file];
  }
  if (state[file] == 1) {
    std::string circle;
    for (auto at = std::find(path.begin(), path.end(), file); at != path.end(); ++at) {
      circle += *at + " -> ";
    }
    faults.push_back("a circle of includes: " + circle + file);
    return 0;
  }
  state[file] = 1;
  path.push_back(file);
  std::size_t deepest = 0;
  if (const auto next = graph.find(file); next != graph.end()) {
    for (const std::string& included : next->second) {
      deepest = std::max(deepest, longest_chain(graph, included, state, depth, path, faults));
    }
  }
  path.pop_back();
  state[file] = 2;
  return depth[file] = deepest + 1;
}

findings check(const fs::path& root) {
  const tree read = read_tree(root);
  findings found;
  for (const auto& entry : fs::directory_iterator(root / "common")) {
    const std::string folder = fs::relative(entry.path(), root).generic_string();
    if (entry.is_directory() && rank_of(read.layers, folder) == read.layers.size()) {
      found.faults.push_back(folder + ": a folder with no place in common/layers.txt");
    }
  }
  std::map<std::string, std::set<std::string>> graph;
  for (const include_line& include : read.includes) {
    const std::string where = include.file + ":" + std::to_string(include.line) + ": ";
    const std::string target = resolve(root, include);
    if (target.empty()) {
      found.faults.push_back(where + "includes \"" + include.written +
                             "\", which is not there (in common/, an include names the "
                             "folder: \"engine/run.hpp\")");
      continue;
    }
    graph[include.file].insert(target);
    const std::string& from = read.layer_of.at(include.file);
    const std::string& to = read.layer_of.at(target);
    if (rank_of(read.layers, to) > rank_of(read.layers, from)) {
      found.faults.push_back(where + "includes " + target + ", of the layer " + to +
                             ", which is above its own layer " + from);
    }
  }
  std::map<std::string, int> state;
  std::map<std::string, std::size_t> depth;
  std::vector<std::string> path;
  for (const auto& [file, layer] : read.layer_of) {
    found.depth =
        std::max(found.depth, longest_chain(graph, file, state, depth, path, found.faults));
  }
  return found;
}

// A small tree of its own, to show that the check catches what it must.
struct scratch_tree {
  fs::path root =
      fs::temp_directory_path() / ("cv_lessons_layers_test." + std::to_string(::getpid()));
  scratch_tree() {
    fs::remove_all(root);
    write("common/layers.txt", "common/low  the bottom\ncommon/high  above it\ncommon  the top\n");
    write("common/low/a.hpp", "#pragma once\n");
    write("common/high/b.hpp", "#pragma once\n#include \"low/a.hpp\"\n");
    write("common/top.hpp", "#pragma once\n#include \"high/b.hpp\"\n");
  }
  ~scratch_tree() { fs::remove_all(root); }
  void write(const std::string& file, const std::string& text) const {
    fs::create_directories((root / file).parent_path());
    std::ofstream(root / file) << text;
  }
};

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) {
    text += line + "\n";
  }
  return text;
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_include_runs_up_a_layer_or_closes_a_circle) {
  const findings found = check(tree_root());
  BOOST_TEST(found.faults.empty(), "\n" << joined(found.faults));
  BOOST_TEST_MESSAGE("the longest chain of includes: " << found.depth << " files");
}

BOOST_AUTO_TEST_CASE(the_check_passes_a_layered_tree) {
  const scratch_tree scratch;
  const findings found = check(scratch.root);
  BOOST_TEST(found.faults.empty(), joined(found.faults));
  BOOST_TEST(found.depth == 3u);
}

BOOST_AUTO_TEST_CASE(the_check_names_an_upward_include_by_file_and_line) {
  const scratch_tree scratch;
  scratch.write("common/low/a.hpp", "#pragma once\n\n#include \"high/b.hpp\"\n");
  const findings found = check(scratch.root);
  BOOST_TEST(joined(found.faults)
                     .find("common/low/a.hpp:3: includes common/high/b.hpp, of the "
                           "layer common/high, which is above its own layer "
                           "common/low") != std::string::npos,
             joined(found.faults));
  BOOST_TEST(joined(found.faults).find("a circle of includes") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_check_names_an_include_without_its_folder_and_a_folder_not_listed) {
  const scratch_tree scratch;
  scratch.write("common/high/c.hpp", "#pragma once\n#include \"b.hpp\"\n");
  scratch.write("common/new/d.hpp", "#pragma once\n");
  const std::string faults = joined(check(scratch.root).faults);
  BOOST_TEST(faults.find("common/high/c.hpp:2: includes \"b.hpp\", which is not there") !=
                 std::string::npos,
             faults);
  BOOST_TEST(
      faults.find("common/new: a folder with no place in common/layers.txt") != std::string::npos,
      faults);
}
