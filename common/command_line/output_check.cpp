#include "command_line/output_check.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <streambuf>

#include "model/outcome.hpp"

namespace lesson {

namespace {

// std::cout's own buffer, but for the error it keeps: it hands every byte to
// stdio's stdout at once, as std::cout does by default, so that its
// buffering and its order with printf stay as they were. It keeps the errno
// of the first write that failed, which stdio forgets.
class checked_stdout : public std::streambuf {
 public:
  int first_error() const { return error_.load(); }
  void note_failure() {
    int none = 0;
    error_.compare_exchange_strong(none, errno != 0 ? errno : EIO);
  }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) {
      return traits_type::not_eof(c);
    }
    if (std::putc(traits_type::to_char_type(c), stdout) == EOF) {
      note_failure();
      return traits_type::eof();
    }
    return c;
  }
  std::streamsize xsputn(const char* text, std::streamsize size) override {
    const std::size_t written = std::fwrite(text, 1, static_cast<std::size_t>(size), stdout);
    if (written < static_cast<std::size_t>(size)) {
      note_failure();
    }
    return static_cast<std::streamsize>(written);
  }
  int sync() override {
    if (std::fflush(stdout) != 0) {
      note_failure();
      return -1;
    }
    return 0;
  }

 private:
  std::atomic<int> error_{0};
};

// Never destroyed: std::cout is flushed once more after main returns, when
// the standard library's own static objects are torn down, and the buffer
// it points to must still be alive then (a destroyed one crashed under
// AddressSanitizer).
checked_stdout& standard_output() {
  static checked_stdout* const buffer = new checked_stdout;
  return *buffer;
}

}  // namespace

void watch_standard_output() {
  std::signal(SIGPIPE, SIG_IGN);
  std::cout.rdbuf(&standard_output());
}

int checked_exit(const char* program, int status) {
  std::cout.flush();
  if (std::fflush(stdout) != 0) {
    standard_output().note_failure();
  }
  if (standard_output().first_error() == 0 && !std::cout.bad() && std::ferror(stdout) == 0) {
    return status;
  }
  const int reason = standard_output().first_error();
  std::cerr << program << ": cannot write to standard output"
            << (reason != 0 ? std::string(": ") + std::strerror(reason) : std::string()) << '\n';
  return output_failed_exit_code;
}

}  // namespace lesson
