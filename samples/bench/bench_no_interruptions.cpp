// Boost.Thread without interruption support: the same queues as bench, built
// with BOOST_THREAD_DONT_PROVIDE_INTERRUPTIONS: wait and notify then skip the
// internal mutex each boost::condition_variable otherwise locks in them, which
// is there to let a wait be interrupted. A program of its own, since the macro
// must hold for every file that includes Boost.Thread. bench runs it:
//   bench_no_interruptions sync_bounded_queue|06_uninstrumented P C CAPACITY ITEMS
// and reads one line: seconds cpu_us wakeups futile notifies every_item_once.
#define BOOST_THREAD_DONT_PROVIDE_INTERRUPTIONS
#include <cstdlib>
#include <iostream>
#include <string>

#include "bench_kernels.hpp"
#include "command_line/output_check.hpp"

namespace {

int measure(int argc, char* argv[]) {
  if (argc != 6) {
    std::cerr << "usage: bench_no_interruptions sync_bounded_queue|06_uninstrumented P C "
                 "CAPACITY ITEMS\n";
    return 2;
  }
  const std::string variant = argv[1];
  bench::config c;
  c.producers = static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10));
  c.consumers = static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10));
  c.capacity = std::strtoull(argv[4], nullptr, 10);
  c.items = std::strtoull(argv[5], nullptr, 10);
  if (c.producers == 0 || c.consumers == 0 || c.capacity == 0 || c.items == 0 ||
      (variant != "sync_bounded_queue" && variant != "06_uninstrumented")) {
    std::cerr << "bench_no_interruptions: bad arguments\n";
    return 2;
  }
  const bench::sample s = variant == "sync_bounded_queue" ? bench::run_sync_bounded_queue(c)
                                                          : bench::run_plain<bench::boost_06>(c);
  std::cout << s.seconds << ' ' << s.cpu_us << ' ' << s.counted << ' ' << s.wakeups << ' '
            << s.futile_wakeups << ' ' << s.notifies << ' ' << s.every_item_once << '\n';
  return s.every_item_once ? 0 : 1;
}

}  // namespace

int main(int argc, char* argv[]) {
  lesson::watch_standard_output();
  return lesson::checked_exit("bench_no_interruptions", measure(argc, argv));
}
