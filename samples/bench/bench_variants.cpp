#include "bench_variants.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "lessons.hpp"
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
