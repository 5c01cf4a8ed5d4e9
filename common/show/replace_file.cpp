#include "show/replace_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace lesson {

namespace {

// A name no other writer uses: this process's id and a count, in case one
// program writes the same file twice at once.
std::string temporary_beside(const std::string& path) {
  static std::atomic<unsigned> made{0};
  return path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(made++);
}

bool write_all(int fd, const std::string& text) {
  const char* next = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, next, left);
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written <= 0) {
      errno = written == 0 ? EIO : errno;
      return false;
    }
    next += written;
    left -= static_cast<std::size_t>(written);
  }
  return true;
}

}  // namespace

void replace_file(const std::string& path, const std::string& text, const std::string& option) {
  const std::string temporary = temporary_beside(path);
  // 0666 less the umask: the permissions an ordinary new file gets.
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  bool written = fd >= 0 && write_all(fd, text);
  int reason = errno;
  if (fd >= 0 && ::close(fd) != 0 && written) {
    written = false;
    reason = errno;
  }
  if (written && ::rename(temporary.c_str(), path.c_str()) != 0) {
    written = false;
    reason = errno;
  }
  if (!written) {
    if (fd >= 0) {
      ::unlink(temporary.c_str());
    }
    throw output_error(option + ": cannot write " + path + ": " + std::strerror(reason));
  }
}

}  // namespace lesson
