#include "student_file.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/uuid/detail/sha1.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <list>
#include <map>
#include <sstream>
#include <system_error>
#include <vector>

#include "command_line/input.hpp"
#include "drive/progress.hpp"
#include "lessons.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX names it so

namespace lessons {

namespace {

namespace fs = std::filesystem;

// The suite's compiler and the flags of the program that loads the file (the
// build writes them in), so that the student's code sees the harness's
// classes as that program does; and the tree whose headers it includes.
constexpr const char* compiler = CV_STUDENT_CXX;
constexpr const char* compiler_flags = CV_STUDENT_FLAGS;
constexpr const char* tree = CV_LESSONS_SOURCE_ROOT;

// A student's file starts with the harness's headers, and parsing them is
// most of its compile (here 6.1 s of a file's, 3.7 s with them precompiled).
// So with GCC they are precompiled once per cache, with the students' flags,
// into a folder of this header and its .gch, and each compile includes it
// first (-include): GCC takes the precompiled copy when it fits, and quietly
// the headers themselves when it does not. Clang stops with an error on a
// copy that does not fit, so with clang each file parses the headers itself.
constexpr const char* prelude_header = "student_prelude.hpp";
constexpr const char* prelude_text = "#include \"lesson.hpp\"\n#include \"lessons.hpp\"\n";

std::vector<std::string> words_of(const std::string& text) {
  std::istringstream split(text);
  return {std::istream_iterator<std::string>(split), std::istream_iterator<std::string>()};
}

// Runs `argv` and waits for it: its output into `output` when one is given,
// else where this program's goes; its error messages nowhere when `quiet`.
// Its exit code; 128 + the signal that ended it; -1 when it could not start.
int run_program(const std::vector<std::string>& argv, std::string* output, bool quiet = false) {
  std::vector<char*> args;
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));  // NOLINT: posix_spawn's signature
  }
  args.push_back(nullptr);
  int ends[2] = {-1, -1};
  if (output != nullptr && pipe(ends) != 0) {
    return -1;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (output != nullptr) {
    posix_spawn_file_actions_adddup2(&actions, ends[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, ends[0]);
    posix_spawn_file_actions_addclose(&actions, ends[1]);
  }
  if (quiet) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  }
  pid_t child = 0;
  const int started = posix_spawnp(&child, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (output != nullptr) {
    close(ends[1]);
    char block[4096];
    for (ssize_t got = 0; started == 0;) {
      got = read(ends[0], block, sizeof block);
      if (got > 0) {
        output->append(block, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        break;
      }
    }
    close(ends[0]);
  }
  if (started != 0) {
    return -1;
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) {
      return -1;
    }
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string digest_of(const std::string& text) {
  boost::uuids::detail::sha1 sha;
  sha.process_bytes(text.data(), text.size());
  boost::uuids::detail::sha1::digest_type digest;
  sha.get_digest(digest);
  std::string hex;
  for (const auto part : digest) {
    char written[2 * sizeof part + 1];
    std::snprintf(written, sizeof written, "%0*lx", static_cast<int>(2 * sizeof part),
                  static_cast<unsigned long>(part));
    hex += written;
  }
  return hex;
}

// The compiler and the flags every compile of a student's file shares.
std::vector<std::string> student_flags() {
  std::vector<std::string> command{compiler};
  for (std::string& flag : words_of(compiler_flags)) {
    command.push_back(std::move(flag));
  }
  // DWARF 4: from clang's DWARF 5, binutils' nm finds no line for a
  // variable, which hidden_state needs.
  for (const char* more :
       {"-std=c++20", "-fPIC", "-shared", "-gdwarf-4", "-O1", "-Wall", "-Wextra", "-Wpedantic"}) {
    command.emplace_back(more);
  }
  command.push_back("-I" + (fs::path(tree) / "common").string());
  command.push_back("-I" + (fs::path(tree) / "samples").string());
  return command;
}

// `prelude`: the folder of the precompiled headers (see student_prelude), or empty.
std::vector<std::string> compile_command(const fs::path& source, const fs::path& object,
                                         const std::string& prelude = "") {
  std::vector<std::string> command = student_flags();
  if (!prelude.empty()) {
    command.emplace_back("-include");
    command.push_back((fs::path(prelude) / prelude_header).string());
  }
  command.push_back(source.string());
  command.emplace_back("-o");
  command.push_back(object.string());
  return command;
}

// What the cached build depends on beside the file: the command, and the
// program that loads it (rebuilt, its classes may have changed).
std::string build_identity(const fs::path& source, const std::string& content) {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  std::string identity = source.string() + '\n' + content + '\n';
  for (const std::string& word : compile_command(source, "out")) {
    identity += word + ' ';
  }
  if (!error) {
    identity += self.string() + ' ' + std::to_string(fs::file_size(self, error)) + ' ' +
                std::to_string(fs::last_write_time(self, error).time_since_epoch().count());
  }
  return identity;
}

// What the precompiled headers depend on: the flags, and each header of the
// tree as it is now (its size and time), so that an edited header makes
// a new copy.
std::string prelude_identity() {
  std::string identity;
  for (const std::string& word : student_flags()) {
    identity += word + ' ';
  }
  std::vector<std::string> headers;
  for (const char* part : {"common", "samples"}) {
    std::error_code error;
    for (const fs::directory_entry& entry :
         fs::recursive_directory_iterator(fs::path(tree) / part, error)) {
      if (entry.path().extension() == ".hpp") {
        headers.push_back(
            entry.path().string() + ' ' + std::to_string(fs::file_size(entry.path(), error)) + ' ' +
            std::to_string(fs::last_write_time(entry.path(), error).time_since_epoch().count()));
      }
    }
  }
  std::sort(headers.begin(), headers.end());
  for (const std::string& header : headers) {
    identity += '\n' + header;
  }
  return identity;
}

// Whether the compiler is GCC, by what it says of itself.
bool compiler_is_gcc() {
  std::string said;
  return run_program({compiler, "--version"}, &said, true) == 0 &&
         said.find("clang") == std::string::npos && said.find("Free Software") != std::string::npos;
}

// Precompiles the headers into `folder` (in the cache's prelude/ folder),
// one process at a time; the others wait and find it made. Removes the
// copies of other flags or headers. False when it could not.
bool prelude_made(const fs::path& folder) {
  const fs::path shelf = folder.parent_path();
  std::error_code error;
  fs::create_directories(shelf, error);
  const int lock = open((shelf / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) {
    if (lock >= 0) {
      close(lock);
    }
    return false;
  }
  bool made = fs::exists(folder / (std::string(prelude_header) + ".gch"), error);
  if (!made && compiler_is_gcc()) {
    for (const fs::directory_entry& entry : fs::directory_iterator(shelf, error)) {
      if (entry.is_directory(error)) {
        fs::remove_all(entry.path(), error);  // another tree's or a stopped build's
      }
    }
    const fs::path building = shelf / (std::to_string(getpid()) + ".building");
    fs::create_directory(building, error);
    std::ofstream(building / prelude_header) << prelude_text;
    std::vector<std::string> command = student_flags();
    command.insert(command.end(), {"-x", "c++-header", (building / prelude_header).string(), "-o",
                                   (building / prelude_header).string() + ".gch"});
    {
      // The first check on a machine waits for this: on a terminal, say why.
      lesson::progress shown;
      shown.show("precompiling the suite's headers for students' files, once (about 10 s)");
      made = run_program(command, nullptr, true) == 0;
    }
    // Readable by grade's sandbox users, whatever the umask.
    fs::permissions(building,
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec,
                    error);
    for (const fs::directory_entry& entry : fs::directory_iterator(building, error)) {
      fs::permissions(entry.path(),
                      fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                          fs::perms::others_read,
                      error);
    }
    if (made) {
      fs::rename(building, folder, error);
      made = !error;
    }
    fs::remove_all(building, error);
  }
  close(lock);
  return made;
}

// The shared state the file keeps outside its `fields`: each variable of its
// own that outlives a call (at namespace scope, static or thread_local), as
// "buffer.cpp:12: `waiting`". nm lists the compiled file's variables with
// the line that declares each (-l, from the debugging information).
std::vector<std::string> hidden_state(const fs::path& object, const fs::path& source) {
  std::string listing;
  if (run_program({"nm", "-C", "-l", "--defined-only", object.string()}, &listing) != 0) {
    throw lesson::usage_error("nm could not list " + object.string());
  }
  std::vector<std::string> found;
  std::istringstream lines(listing);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t tab = line.rfind('\t');
    if (tab == std::string::npos || tab < 19) {
      continue;
    }
    const std::string where = line.substr(tab + 1);
    const std::size_t colon = where.rfind(':');
    if (colon == std::string::npos || fs::path(where.substr(0, colon)) != source) {
      continue;
    }
    const char type = line[17];
    const std::string name = line.substr(19, tab - 19);
    const bool variable = std::string("bBdDgGsSvV").find(type) != std::string::npos;
    const bool made_by_compiler = name.rfind("guard variable", 0) == 0 ||
                                  name.rfind("vtable", 0) == 0 || name.rfind("typeinfo", 0) == 0 ||
                                  name.rfind("VTT", 0) == 0;
    const bool registration = name == "registered" || name == "(anonymous namespace)::registered";
    if (variable && !made_by_compiler && !registration) {
      found.push_back(source.filename().string() + ":" + where.substr(colon + 1) + ": `" + name +
                      "`");
    }
  }
  return found;
}

// The first line of `content` with one of `words`, as ":12"; "" when none has.
std::string line_with(const std::string& content, const std::vector<std::string>& words) {
  std::istringstream lines(content);
  std::size_t number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    const std::string code = line.rfind('#', 0) == 0 ? "" : line.substr(0, line.find("//"));
    for (const std::string& word : words) {
      if (code.find(word) != std::string::npos) {
        std::string where(1, ':');  // not ":" + ...: g++ 12's false -Wrestrict at -O3
        where += std::to_string(number);
        return where;
      }
    }
  }
  return "";
}

// What a step must not do, known by the functions the compiled file calls
// (nm -u lists them): each as "sleeps.cpp:13: a step sleeps (nanosleep): why".
std::vector<std::string> forbidden_calls(const fs::path& object, const fs::path& source,
                                         const std::string& content) {
  struct forbidden {
    std::vector<std::string> calls;  // as nm -C names them, at the start of the name
    std::vector<std::string> words;  // in the source, to find the line
    const char* what;
    const char* why;
  };
  static const std::vector<forbidden> rules{
      {{"nanosleep", "clock_nanosleep", "usleep", "sleep", "boost::this_thread::hidden::sleep",
        "boost::this_thread::sleep"},
       {"sleep"},
       "a step sleeps",
       "explore runs every order of the threads whatever the time, and a sleep only slows each "
       "of its thousands of runs; take it out"},
      {{"pthread_create", "std::thread::_M_start_thread", "boost::thread::start_thread"},
       {"thread", "async"},
       "a step starts a thread of its own",
       "the harness schedules P1.. and C1.. and cannot see another thread; do the work in the "
       "step"},
      {{"std::cout", "std::cerr", "std::clog", "printf", "puts", "putchar", "fwrite", "fputs",
        "fprintf", "write"},
       {"cout", "cerr", "clog", "printf", "puts", "putchar", "fwrite", "write("},
       "a step prints",
       "its output would mix with the report, thousands of times under explore; --trace text "
       "shows what each step does"},
  };
  std::string listing;
  run_program({"nm", "-C", "-u", object.string()}, &listing);
  std::vector<std::string> found;
  for (const forbidden& rule : rules) {
    std::istringstream lines(listing);
    for (std::string line; std::getline(lines, line);) {
      const std::string name = line.substr(std::min(line.find_first_not_of(" U"), line.size()));
      const auto called = [&](const std::string& call) {
        return name.rfind(call, 0) == 0 &&
               (name.size() == call.size() ||
                std::string("(@<:").find(name[call.size()]) != std::string::npos);
      };
      if (std::any_of(rule.calls.begin(), rule.calls.end(), called)) {
        found.push_back(source.filename().string() + line_with(content, rule.words) + ": " +
                        rule.what + " (" + name.substr(0, name.find_first_of("(@")) +
                        "): " + rule.why);
        break;
      }
    }
  }
  // Boost's sleep_for waits on a condition of the thread's own, and calls
  // nothing named sleep: the source says it.
  if (const std::string line = line_with(content, {"sleep_for", "sleep_until", "sleep("});
      found.empty() && !line.empty()) {
    found.push_back(source.filename().string() + line + ": " + rules.front().what + ": " +
                    rules.front().why);
  }
  return found;
}

fs::path compiled(const fs::path& source, const std::string& content) {
  const fs::path folder = fs::path(cache_folder()) / "yours";
  std::error_code error;
  fs::create_directories(folder, error);
  const fs::path object = folder / (digest_of(build_identity(source, content)) + ".so");
  if (fs::exists(object, error)) {
    return object;
  }
  const fs::path building =
      folder / (object.stem().string() + "." + std::to_string(getpid()) + ".building.so");
  // Loading the precompiled headers costs about 1.7 s: a file that does not
  // include them (one line of #error, say) compiles faster without.
  const bool includes_harness = content.find("lesson.hpp") != std::string::npos;
  const std::string prelude = includes_harness ? student_prelude() : "";
  if (run_program(compile_command(source, building, prelude), nullptr) != 0) {
    fs::remove(building, error);
    throw lesson::usage_error(source.filename().string() +
                              " does not compile: the compiler's messages are above");
  }
  if (const std::vector<std::string> refused = forbidden_calls(building, source, content);
      !refused.empty()) {
    fs::remove(building, error);
    throw lesson::usage_error(refused.front());
  }
  const std::vector<std::string> hidden = hidden_state(building, source);
  if (!hidden.empty()) {
    fs::remove(building, error);
    std::string names;
    for (const std::string& one : hidden) {
      names += (names.empty() ? "" : "; ") + one;
    }
    throw lesson::usage_error(
        names +
        ": shared state explore cannot see, outside the steps' `fields`; declare it "
        "there as a lesson::counter, lesson::flag or lesson::condition "
        "(docs/students.md)");
  }
  fs::rename(building, object, error);
  return error ? building : object;
}

// The program to name in a replay: line, from the working folder when it is under it.
std::string yours_command(const std::string& given) {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  fs::path yours = error ? fs::path("build/bin/yours") : self.parent_path() / "yours";
  const fs::path near = fs::proximate(yours, error);
  if (!error && !near.empty() && *near.begin() != "..") {
    yours = near;
  }
  const bool plain = given.find_first_of(" \t'\"\\$`*?;&|<>()") == std::string::npos;
  return yours.string() + " " + (plain ? given : "'" + given + "'");
}

fs::path source_path(const std::string& path) {
  std::error_code error;
  const fs::path source = fs::weakly_canonical(fs::absolute(path), error);
  return error ? fs::path(path) : source;
}

std::string content_of(const fs::path& source, const std::string& given) {
  std::ifstream in(source, std::ios::binary);
  if (!in) {
    throw lesson::usage_error("cannot read " + lesson::quote(given));
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct loaded_file {
  std::string name;
  std::string program;
  lesson::definition lesson;
};

}  // namespace

std::string content_digest(const std::string& content) {
  return digest_of(content);
}

bool names_a_file(std::string_view argument) {
  return argument.size() > 4 && argument.substr(argument.size() - 4) == ".cpp";
}

std::string cache_folder() {
  if (const char* chosen = std::getenv("CV_LESSONS_CACHE"); chosen != nullptr && *chosen) {
    return chosen;
  }
  if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache != nullptr && *cache) {
    return (fs::path(cache) / "cv-lessons").string();
  }
  const char* home = std::getenv("HOME");
  return (fs::path(home != nullptr && *home ? home : "/tmp") / ".cache" / "cv-lessons").string();
}

std::string student_prelude() {
  if (const char* given = std::getenv("CV_LESSONS_PRELUDE"); given != nullptr) {
    if (*given == '\0') {
      return "";
    }
    std::error_code error;
    const bool there = fs::exists(fs::path(given) / (std::string(prelude_header) + ".gch"), error);
    return there ? given : "";
  }
  const fs::path folder = fs::path(cache_folder()) / "prelude" / digest_of(prelude_identity());
  return prelude_made(folder) ? folder.string() : "";
}

void compile_student_file(const std::string& path) {
  const fs::path source = source_path(path);
  compiled(source, content_of(source, path));
}

const lesson::definition& load_student_file(const std::string& path) {
  static std::list<loaded_file> loaded;
  static std::map<fs::path, const lesson::definition*> by_path;
  const fs::path source = source_path(path);
  if (const auto known = by_path.find(source); known != by_path.end()) {
    return *known->second;
  }
  const fs::path object = compiled(source, content_of(source, path));
  const registrations_held held;
  if (dlopen(object.c_str(), RTLD_NOW | RTLD_LOCAL) == nullptr) {
    const char* why = dlerror();
    throw lesson::usage_error(source.filename().string() +
                              " cannot be loaded: " + (why != nullptr ? why : "dlopen failed"));
  }
  if (held.lessons().size() != 1) {
    throw lesson::usage_error(
        source.filename().string() +
        " registers no lesson: it ends with const lessons::registration "
        "registered(lesson::define<steps>({.name = \"buffer\"})); (docs/students.md)");
  }
  loaded_file& file = loaded.emplace_back(
      loaded_file{source.stem().string(), yours_command(path), *held.lessons().front()});
  file.lesson.name = file.name.c_str();
  file.lesson.program = file.program.c_str();
  // What a lesson it was copied from declares of itself is not the student's
  // code's: their code is meant to be correct, and explore says if it is.
  file.lesson.teaches = lesson::outcome::ok;
  file.lesson.worst_case = lesson::outcome::ok;
  file.lesson.bug_scripts.clear();
  file.lesson.bug_shows_at.clear();
  file.lesson.plain_twin = "";
  by_path[source] = &file.lesson;
  return file.lesson;
}

const lesson::definition* find_or_load(std::string_view argument) {
  return names_a_file(argument) ? &load_student_file(std::string(argument)) : find(argument);
}

}  // namespace lessons
