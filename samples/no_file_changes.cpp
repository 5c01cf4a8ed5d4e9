#include "no_file_changes.hpp"

#if defined(__x86_64__)

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "engine/worker.hpp"

namespace lessons {

namespace {

// A call that changes files: its number and name, which of its arguments is
// the path it changes (-1: none) and which its open flags (-1: every call of
// it changes a file; else only one that opens for writing).
struct file_changing_call {
  long number;
  const char* name;
  int path_argument;
  int flags_argument;
};

constexpr file_changing_call file_changing_calls[] = {
    {SYS_open, "open", 0, 1},
    {SYS_openat, "openat", 1, 2},
    {SYS_openat2, "openat2", 1, -1},  // its flags are behind a pointer
    {SYS_creat, "creat", 0, -1},
    {SYS_unlink, "unlink", 0, -1},
    {SYS_unlinkat, "unlinkat", 1, -1},
    {SYS_rename, "rename", 0, -1},
    {SYS_renameat, "renameat", 1, -1},
    {SYS_renameat2, "renameat2", 1, -1},
    {SYS_mkdir, "mkdir", 0, -1},
    {SYS_mkdirat, "mkdirat", 1, -1},
    {SYS_rmdir, "rmdir", 0, -1},
    {SYS_link, "link", 1, -1},
    {SYS_linkat, "linkat", 3, -1},
    {SYS_symlink, "symlink", 1, -1},
    {SYS_symlinkat, "symlinkat", 2, -1},
    {SYS_chmod, "chmod", 0, -1},
    {SYS_fchmodat, "fchmodat", 1, -1},
    {SYS_chown, "chown", 0, -1},
    {SYS_lchown, "lchown", 0, -1},
    {SYS_fchownat, "fchownat", 1, -1},
    {SYS_truncate, "truncate", 0, -1},
    {SYS_mknod, "mknod", 0, -1},
    {SYS_mknodat, "mknodat", 1, -1},
    {SYS_io_uring_setup, "io_uring_setup", -1, -1},  // its calls would pass unseen
};
constexpr std::uint32_t writing_flags = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;
constexpr std::uint32_t x32_call_bit = 0x40000000;

// A BPF argument's low 32 bits (x86-64 is little-endian).
constexpr std::uint32_t argument_at(int argument) {
  return static_cast<std::uint32_t>(offsetof(seccomp_data, args) + 8 * argument);
}

sock_filter load(std::uint32_t offset) {
  return BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset);
}
sock_filter give(std::uint32_t verdict) {
  return BPF_STMT(BPF_RET | BPF_K, verdict);
}
sock_filter if_equal(std::uint32_t value, std::uint8_t skip_when_not) {
  return BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, 0, skip_when_not);
}

// Each call of the list, and a replacement of the SIGSYS handler, traps
// (SIGSYS, to say_file_change); any other call goes through.
std::vector<sock_filter> filter() {
  std::vector<sock_filter> program{
      // Another architecture's calls, and x86-64's x32 calls, have other
      // numbers: such a call ends the process.
      load(offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      give(SECCOMP_RET_KILL_PROCESS),
      load(offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, x32_call_bit, 0, 1),
      give(SECCOMP_RET_KILL_PROCESS),
  };
  for (const file_changing_call& call : file_changing_calls) {
    if (call.flags_argument < 0) {
      program.push_back(if_equal(static_cast<std::uint32_t>(call.number), 1));
      program.push_back(give(SECCOMP_RET_TRAP));
    } else {
      program.push_back(if_equal(static_cast<std::uint32_t>(call.number), 4));
      program.push_back(load(argument_at(call.flags_argument)));
      program.push_back(BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, writing_flags, 0, 1));
      program.push_back(give(SECCOMP_RET_TRAP));
      program.push_back(give(SECCOMP_RET_ALLOW));
    }
  }
  program.push_back(if_equal(SYS_rt_sigaction, 4));
  program.push_back(load(argument_at(0)));
  program.push_back(if_equal(SIGSYS, 1));
  program.push_back(give(SECCOMP_RET_TRAP));
  program.push_back(give(SECCOMP_RET_ALLOW));
  program.push_back(give(SECCOMP_RET_ALLOW));
  return program;
}

// The trap's handler, in the thread that made the call: says who, which call
// and which path, then ends the process. Only async-signal-safe calls, but
// snprintf, as the crash handler of yours.
void say_file_change(int, siginfo_t* info, void* context) {
  const greg_t* registers = static_cast<ucontext_t*>(context)->uc_mcontext.gregs;
  constexpr int argument_registers[] = {REG_RDI, REG_RSI, REG_RDX, REG_R10, REG_R8, REG_R9};
  const char* name = "rt_sigaction";
  const char* path = "SIGSYS, whose handler reports these calls";
  for (const file_changing_call& call : file_changing_calls) {
    if (call.number == info->si_syscall) {
      name = call.name;
      const int at = call.path_argument;
      // The path is the call's own argument, an address in this process.
      path = at < 0 ? "" : reinterpret_cast<const char*>(registers[argument_registers[at]]);
    }
  }
  char who[32] = "the file";
  if (const lesson::worker* me = lesson::worker::on_this_thread(); me != nullptr) {
    std::snprintf(who, sizeof who, "%s%u's step", me->role == lesson::role::producer ? "P" : "C",
                  me->index + 1);
  }
  char line[512];
  const int length =
      std::snprintf(line, sizeof line, "yours: %s tried to change files (%s%s%.300s)\n", who, name,
                    *path != '\0' ? " " : "", path);
  (void)!write(STDERR_FILENO, line, static_cast<std::size_t>(std::max(length, 0)));
  _exit(2);
}

}  // namespace

bool forbid_file_changes() {
  struct sigaction action {};
  action.sa_sigaction = say_file_change;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGSYS, &action, nullptr) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return false;
  }
  std::vector<sock_filter> program = filter();
  const sock_fprog installed{static_cast<unsigned short>(program.size()), program.data()};
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &installed) == 0;
}

}  // namespace lessons

#else

namespace lessons {

bool forbid_file_changes() {
  return false;
}

}  // namespace lessons

#endif
