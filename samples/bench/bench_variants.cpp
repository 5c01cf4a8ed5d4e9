#include "bench_variants.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "lessons.hpp"
#include "model/buffer.hpp"
#include "show/assemble.hpp"

namespace bench {

namespace {

// A lesson through its own harness, trace off: what the suite's lessons cost.
sample run_lesson(const lesson::definition& lesson, const config& c) {
  lesson::settings s;
  s.producers = c.producers;
  s.consumers = c.consumers;
  s.capacity = c.capacity;
  s.items = c.items / c.producers;
  s.stall_timeout_ms = 60'000;
  const double cpu_before = cpu_seconds();
  const lesson::run_result r = lesson::run_unshown(lesson, s);
  sample measured;
  measured.cpu_us = (cpu_seconds() - cpu_before) * 1e6;
  measured.seconds = r.figures.elapsed_ms / 1000;
  measured.counted = true;
  measured.wakeups = r.figures.wakeups;
  measured.futile_wakeups = r.figures.futile_wakeups;
  measured.notifies = r.figures.notifies;
  // The harness's ledger tallies every item from put to take.
  measured.every_item_once = r.result == lesson::outcome::ok && r.figures.consumed == c.items &&
                             r.figures.produced == c.items;
  return measured;
}

// Lesson 06 written plainly, its items kept in the suite's own checked buffer
// (model/buffer.hpp: the capacity and the ledger's checks), and watched for a
// second thread inside as the harness's tracked_buffer watches (the count of
// threads inside and the size the watchdog reads; not which thread came in
// last, which only a report needs), with nothing recorded. Against
// 06_uninstrumented it shows what the checks alone cost: the floor under the
// harness's cost. A correct queue is never refused: it waits while full and
// puts each producer's items in their sequence.
class checked_06 {
 public:
  explicit checked_06(const config& c)
      : producers_(c.producers), buffer_(c.capacity, c.producers, c.items / c.producers + 1) {}

  void put(std::uint64_t value) {
    boost::unique_lock<boost::mutex> lock(mutex_);
    while (buffer_.full()) {
      not_full_.wait(lock);
    }
    const lesson::item it{static_cast<std::uint32_t>(value % producers_),
                          static_cast<std::uint32_t>(value / producers_ + 1)};
    watched([&] { return buffer_.put(it); });
    not_empty_.notify_one();
  }

  std::uint64_t take() {
    boost::unique_lock<boost::mutex> lock(mutex_);
    while (buffer_.empty()) {
      not_empty_.wait(lock);
    }
    lesson::bounded_buffer::take_result taken;
    watched([&] {
      taken = buffer_.take();
      return taken.violation;
    });
    not_full_.notify_one();
    const lesson::item it = taken.taken.value_or(lesson::item{});
    return it.producer + std::uint64_t{producers_} * (it.sequence - 1);
  }

  bool checked_clean() const { return violations_.load() == 0; }

 private:
  template <class Move>
  void watched(const Move& move) {
    if (inside_.fetch_add(1, std::memory_order_relaxed) > 0) {
      ++violations_;
    } else if (move()) {
      ++violations_;
    }
    size_seen_.store(buffer_.size(), std::memory_order_relaxed);
    inside_.fetch_sub(1, std::memory_order_relaxed);
  }

  std::uint32_t producers_;
  boost::mutex mutex_;
  boost::condition_variable not_full_;
  boost::condition_variable not_empty_;
  std::atomic<std::uint64_t> violations_{0};
  // Laid out as tracked_buffer is: the watch on the buffer's head, tail and size's line.
  alignas(64) std::atomic<std::size_t> size_seen_{0};
  std::atomic<unsigned> inside_{0};
  lesson::bounded_buffer buffer_;
};

sample run_checked_06(const config& c) {
  checked_06 queue(c);
  sample s = move_items(
      c, [&](std::uint64_t v) { queue.put(v); }, [&] { return queue.take(); });
  s.every_item_once = s.every_item_once && queue.checked_clean();
  return s;
}

// The same queues built without interruption support, in a program of their own.
sample run_without_interruptions(const std::string& program, const std::string& queue,
                                 const config& c) {
  const std::string command = (boost::format("'%s' %s %d %d %d %d") % program % queue %
                               c.producers % c.consumers % c.capacity % c.items)
                                  .str();
  sample s;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char line[256] = {};
    if (std::fgets(line, sizeof line, pipe) != nullptr) {
      std::istringstream in(line);
      in >> s.seconds >> s.cpu_us >> s.counted >> s.wakeups >> s.futile_wakeups >> s.notifies >>
          s.every_item_once;
    }
    ::pclose(pipe);
  }
  return s;
}

// The queues written without the harness, each under the name a lesson may
// give as its plain twin.
std::vector<variant> plain_queues(const std::string& no_interruptions) {
  std::vector<variant> plain;
  plain.push_back({baseline, run_sync_bounded_queue});
  plain.push_back({"std_condition_variable", run_plain<std_06>});
  plain.push_back({"06_uninstrumented", run_plain<boost_06>});
  plain.push_back({"08_uninstrumented", run_plain<boost_08>});
  plain.push_back({"08_uninstrumented_notify_after_unlock", run_plain<boost_08_unlock_first>});
  plain.push_back({"checks_only", run_checked_06, "06_uninstrumented"});
  for (const std::string& queue : {baseline, std::string("06_uninstrumented")}) {
    plain.push_back({queue + "_no_interruptions", [no_interruptions, queue](const config& c) {
                       return run_without_interruptions(no_interruptions, queue, c);
                     }});
  }
  return plain;
}

}  // namespace

std::vector<variant> variants(const std::string& no_interruptions) {
  std::vector<variant> all;
  for (const lesson::definition* lesson : lessons::all()) {
    if (lesson->correct()) {
      all.push_back({lesson->name, [lesson](const config& c) { return run_lesson(*lesson, c); },
                     lesson->plain_twin});
    }
  }
  const std::vector<variant> plain = plain_queues(no_interruptions);
  for (const variant& v : all) {
    const auto named = [&v](const variant& queue) { return queue.name == v.twin; };
    if (!v.twin.empty() && std::none_of(plain.begin(), plain.end(), named)) {
      throw std::logic_error(v.name + " names " + v.twin +
                             " as its plain twin, which is none of bench's queues");
    }
  }
  all.insert(all.end(), plain.begin(), plain.end());
  return all;
}

}  // namespace bench
