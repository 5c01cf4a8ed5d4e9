#include "grade/sandbox.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

namespace lessons {

namespace {

namespace fs = std::filesystem;

constexpr const char* bwrap = "/usr/bin/bwrap";
constexpr unsigned first_sandbox_user = 61000;
constexpr unsigned sandbox_users = 1000;  // 61000 to 61999
constexpr const char* user_locks = "/run/lock/cv-lessons-grade";

// Under root, a user for a sandbox that no other grade on this machine uses
// at the same time: a limit of processes counts all of a user's, so two
// graders that shared one would share that limit too, and a fork bomb graded
// by one would change the other's rows. The user is claimed by a lock on a
// file, which the kernel lets go when this process ends, however it ends.
unsigned claim_user() {
  std::error_code error;
  fs::create_directories(user_locks, error);
  for (unsigned user = first_sandbox_user; user < first_sandbox_user + sandbox_users; ++user) {
    const std::string lock = std::string(user_locks) + "/" + std::to_string(user);
    const int kept = open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (kept >= 0 && flock(kept, LOCK_EX | LOCK_NB) == 0) {
      return user;  // its descriptor stays open, and the lock held, until grade ends
    }
    if (kept >= 0) {
      close(kept);
    }
  }
  throw std::runtime_error(
      "grade: every sandbox user from 61000 to 61999 is taken by another "
      "grade (" +
      std::string(user_locks) + ")");
}

// Threads and processes of this user now: a limit of processes counts them
// all, so a sandbox that runs as this user gets its own on top of them.
std::uint64_t tasks_of_this_user() {
  std::uint64_t tasks = 0;
  std::error_code error;
  const std::string uid = std::to_string(getuid());
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", error)) {
    std::ifstream status(entry.path() / "status");
    bool mine = false;
    for (std::string line; std::getline(status, line);) {
      std::istringstream words(line);
      std::string key;
      std::string value;
      words >> key >> value;
      mine = mine || (key == "Uid:" && value == uid);
      if (key == "Threads:" && mine) {
        tasks += std::stoull(value);
      }
    }
  }
  return tasks;
}

// The system's folders a compiler and the programs need, read only: /usr,
// and /lib, /bin... as they are here (links into /usr on Debian 12).
void add_system(std::vector<std::string>& args) {
  args.insert(args.end(), {"--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"});
  for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    std::error_code error;
    if (fs::is_symlink(top, error)) {
      args.insert(args.end(), {"--symlink", fs::read_symlink(top, error).string(), top});
    } else if (fs::is_directory(top, error)) {
      args.insert(args.end(), {"--ro-bind", top, top});
    }
  }
}

// The folders above each mapped path, which bwrap would make for root alone
// (mode 0700): made first, open to read, so that the sandbox's user reaches them.
void add_folders_above(const std::vector<mapped_path>& paths, std::vector<std::string>& args) {
  std::set<fs::path> made{"/", "/usr", "/etc", "/tmp", "/proc", "/dev", "/submission"};
  for (const mapped_path& path : paths) {
    fs::path above;
    for (const fs::path& part : fs::path(path.inside).parent_path()) {
      above /= part;
      if (made.insert(above).second) {
        args.insert(args.end(), {"--perms", "0755", "--dir", above.string()});
      }
    }
  }
}

std::vector<std::string> bwrap_command(const std::vector<std::string>& command,
                                       const std::vector<mapped_path>& paths,
                                       const sandbox_limits& limits, unsigned slot) {
  const std::string scratch_bytes = std::to_string(limits.file_size_bytes * 4);
  std::vector<std::string> args{
      bwrap,           "--unshare-ipc",        "--unshare-pid",     "--unshare-net",
      "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session"};
  if (getuid() != 0) {
    args.insert(args.end(), {"--unshare-user", "--cap-drop", "ALL"});
  }
  add_system(args);
  args.insert(args.end(), {"--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size",
                           scratch_bytes, "--tmpfs", "/tmp", "--perms", "1777", "--size",
                           scratch_bytes, "--tmpfs", "/submission"});
  add_folders_above(paths, args);
  for (const mapped_path& path : paths) {
    args.insert(args.end(), {path.writable ? "--bind" : "--ro-bind", path.outside, path.inside});
  }
  args.insert(args.end(), {"--chdir", "/submission", "--clearenv", "--setenv", "PATH",
                           "/usr/bin:/bin", "--setenv", "HOME", "/submission", "--setenv", "LANG",
                           "C.UTF-8", "--setenv", "COLUMNS", "100"});
  if (getuid() == 0) {
    // Root's processes are not held by a limit of processes: the command
    // runs as a user of its own, with no capabilities, and cannot gain any.
    const std::string user = std::to_string(sandbox_user(slot));
    args.insert(args.end(), {"/usr/bin/setpriv", "--reuid", user, "--regid", user, "--clear-groups",
                             "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all"});
  }
  args.insert(args.end(), command.begin(), command.end());
  return args;
}

void set_limit(int resource, std::uint64_t value, std::uint64_t hard_value) {
  const rlimit limit{static_cast<rlim_t>(value), static_cast<rlim_t>(hard_value)};
  setrlimit(resource, &limit);
}
void set_limit(int resource, std::uint64_t value) {
  set_limit(resource, value, value);
}

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void become_sandbox(char* const* argv, int output, const sandbox_limits& limits,
                                 std::uint64_t processes) {
  const int nothing = open("/dev/null", O_RDONLY);
  dup2(nothing, STDIN_FILENO);
  dup2(output, STDOUT_FILENO);
  dup2(output, STDERR_FILENO);
  setpgid(0, 0);
  // SIGXCPU at the limit, which says which limit it was; SIGKILL 5 s later
  // only if the process kept going (at the hard limit the kernel kills).
  set_limit(RLIMIT_CPU, static_cast<std::uint64_t>(limits.cpu_seconds),
            static_cast<std::uint64_t>(limits.cpu_seconds) + 5);
  set_limit(RLIMIT_AS, limits.memory_bytes);
  set_limit(RLIMIT_FSIZE, limits.file_size_bytes);
  set_limit(RLIMIT_NPROC, processes);
  set_limit(RLIMIT_CORE, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  execv(argv[0], argv);
  _exit(127);
}

// The children of `parent`: bwrap's is the first process of the sandbox's
// own process namespace, which ends last, when everything in it has ended.
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> found;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", error)) {
    std::ifstream status(entry.path() / "status");
    for (std::string line; std::getline(status, line);) {
      if (line.starts_with("PPid:") && std::stol(line.substr(5)) == parent) {
        found.push_back(static_cast<pid_t>(std::stol(entry.path().filename().string())));
      }
    }
  }
  return found;
}

// Whether `pid` has ended: gone, or a zombie that nothing runs in.
bool ended(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(stat, text);
  const std::size_t name_end = text.rfind(')');
  return !stat || name_end == std::string::npos || text.substr(name_end + 2, 1) == "Z";
}

// Kills the sandbox and waits, at most 10 s, until nothing of it runs.
void kill_sandbox(pid_t child) {
  const std::vector<pid_t> first = children_of(child);
  kill(child, SIGKILL);  // its first process dies with it, and then all in its namespace
  for (int tries = 0; tries < 500; ++tries) {
    if (std::all_of(first.begin(), first.end(), ended)) {
      return;
    }
    usleep(20000);
  }
}

// Reads the child's output until it ends or passes a limit; then reaps it.
void watch(pid_t child, int output, const sandbox_limits& limits, contained_run& run) {
  const auto began = std::chrono::steady_clock::now();
  const auto spent = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  };
  bool open = true;
  int status = 0;
  pid_t ended = 0;
  while (ended == 0) {
    if (open) {
      pollfd ready{output, POLLIN, 0};
      if (poll(&ready, 1, 50) > 0) {
        char block[65536];
        const ssize_t got = read(output, block, sizeof block);
        if (got > 0) {
          run.output.append(block, static_cast<std::size_t>(got));
        } else if (got == 0 || errno != EINTR) {
          open = false;
        }
      }
    } else {
      usleep(20000);
    }
    run.output_cut = run.output.size() > limits.output_bytes;
    run.timed_out = spent() > limits.wall_seconds;
    if (run.output_cut || run.timed_out) {
      kill_sandbox(child);
      run.output.resize(std::min(run.output.size(), static_cast<std::size_t>(limits.output_bytes)));
      ended = waitpid(child, &status, 0);
      break;
    }
    ended = waitpid(child, &status, WNOHANG);
  }
  run.seconds = spent();
  if (WIFEXITED(status)) {
    run.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    run.signal = WTERMSIG(status);
  }
}

}  // namespace

unsigned sandbox_user(unsigned slot) {
  if (getuid() != 0) {
    return getuid();
  }
  static std::mutex claiming;
  static std::vector<unsigned> claimed;  // by slot
  const std::lock_guard<std::mutex> held(claiming);
  while (claimed.size() <= slot) {
    claimed.push_back(claim_user());
  }
  return claimed[slot];
}

contained_run run_contained(const std::vector<std::string>& command,
                            const std::vector<mapped_path>& paths, const sandbox_limits& limits,
                            unsigned slot) {
  std::vector<std::string> args = bwrap_command(command, paths, limits, slot);
  std::vector<char*> argv;
  for (std::string& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  const std::uint64_t processes = limits.processes + (getuid() == 0 ? 0 : tasks_of_this_user());
  contained_run run;
  int ends[2] = {-1, -1};
  if (pipe2(ends, O_CLOEXEC) != 0) {
    run.output = "grade: no pipe for the sandbox's output";
    return run;
  }
  const pid_t child = fork();
  if (child == 0) {
    become_sandbox(argv.data(), ends[1], limits, processes);
  }
  close(ends[1]);
  if (child < 0) {
    close(ends[0]);
    run.output = "grade: cannot start the sandbox: fork failed";
    return run;
  }
  run.started = true;
  watch(child, ends[0], limits, run);
  close(ends[0]);
  return run;
}

std::string why_no_sandbox() {
  std::error_code error;
  if (!fs::exists(bwrap, error)) {
    return "bubblewrap (/usr/bin/bwrap) is not installed: apt-get install bubblewrap "
           "(./demo and ./check install it)";
  }
  const contained_run probe = run_contained({"/usr/bin/true"}, {}, sandbox_limits{}, 0);
  if (probe.exit_code == 0) {
    return "";
  }
  std::string why = probe.output.substr(0, probe.output.find('\n'));
  return "bubblewrap cannot make a sandbox here" + (why.empty() ? std::string() : ": " + why);
}

}  // namespace lessons
