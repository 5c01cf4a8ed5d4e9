// bench: what each correct buffer costs, measured against Boost's own
// sync_bounded_queue on the same machine in the same repetition.
//
// The machine is shared and noisy, so the variants run interleaved, their
// order rotated every repetition, and each figure is a median. A variant's
// ratio is taken against sync_bounded_queue's time in the same repetition.
// Every run checks that each item arrived exactly once; a run that does not
// fails the benchmark.
//
//   bench               12 configurations x 10 variants x 5 repetitions
//   bench --quick       a smaller run, within a minute on 2 cores (CI's smoke test)
//   bench --csv FILE --svg FILE
#include <algorithm>
#include <boost/format.hpp>
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench_kernels.hpp"
#include "command_line/options.hpp"
#include "drive/driver.hpp"
#include "lessons.hpp"
#include "show/assemble.hpp"
#include "show/replace_file.hpp"

namespace po = boost::program_options;

namespace {

struct variant {
  std::string name;
  std::function<bench::sample(const bench::config&)> run;
  // A lesson's plain twin: the same buffer written without the harness,
  // against which the harness's cost is measured. Empty for the others.
  std::string twin{};
};

// 07 and 10 have 06's buffer; 05, one condition and notify_all, has no twin.
std::string twin_of(const std::string& lesson) {
  if (lesson == "06_two_conditions" || lesson == "07_predicate_wait" || lesson == "10_close") {
    return "06_uninstrumented";
  }
  return lesson == "08_waiter_count" ? "08_uninstrumented" : "";
}

struct row {
  std::string variant;
  std::string twin{};
  bench::config config;
  unsigned rep = 0;
  bench::sample sample;
  double ratio = 0;  // items per second against sync_bounded_queue's, same repetition
  double items_per_s() const { return static_cast<double>(config.items) / sample.seconds; }
};

// A lesson through its own harness, trace off: what the suite's lessons cost.
bench::sample run_lesson(const lesson::definition& lesson, const bench::config& c) {
  lesson::settings s;
  s.producers = c.producers;
  s.consumers = c.consumers;
  s.capacity = c.capacity;
  s.items = c.items / c.producers;
  s.stall_timeout_ms = 60'000;
  const double cpu_before = bench::cpu_seconds();
  const lesson::run_result r = lesson::run_unshown(lesson, s);
  bench::sample sample;
  sample.cpu_us = (bench::cpu_seconds() - cpu_before) * 1e6;
  sample.seconds = r.figures.elapsed_ms / 1000;
  sample.counted = true;
  sample.wakeups = r.figures.wakeups;
  sample.futile_wakeups = r.figures.futile_wakeups;
  sample.notifies = r.figures.notifies;
  // The harness's ledger tallies every item from put to take.
  sample.every_item_once = r.result == lesson::outcome::ok && r.figures.consumed == c.items &&
                           r.figures.produced == c.items;
  return sample;
}

// The same queues built without interruption support, in a program of their own.
bench::sample run_without_interruptions(const std::string& program, const std::string& queue,
                                        const bench::config& c) {
  const std::string command = (boost::format("'%s' %s %d %d %d %d") % program % queue %
                               c.producers % c.consumers % c.capacity % c.items)
                                  .str();
  bench::sample s;
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

std::vector<variant> variants(const std::string& no_interruptions) {
  std::vector<variant> all;
  for (const lesson::definition* lesson : lessons::all()) {
    if (!lesson->correct()) {
      continue;
    }
    all.push_back({lesson->name,
                   [lesson](const bench::config& c) { return run_lesson(*lesson, c); },
                   twin_of(lesson->name)});
  }
  all.push_back({"sync_bounded_queue", bench::run_sync_bounded_queue});
  all.push_back({"std_condition_variable", bench::run_plain<bench::std_06>});
  all.push_back({"06_uninstrumented", bench::run_plain<bench::boost_06>});
  all.push_back({"08_uninstrumented", bench::run_plain<bench::boost_08>});
  all.push_back(
      {"08_uninstrumented_notify_after_unlock", bench::run_plain<bench::boost_08_unlock_first>});
  for (const std::string queue : {"sync_bounded_queue", "06_uninstrumented"}) {
    all.push_back({queue + "_no_interruptions", [no_interruptions, queue](const bench::config& c) {
                     return run_without_interruptions(no_interruptions, queue, c);
                   }});
  }
  return all;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n == 0 ? 0 : n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::string key(const bench::config& c) {
  return (boost::format("%dx%d cap %d") % c.producers % c.consumers % c.capacity).str();
}

// Medians over the repetitions of one variant in one configuration.
struct summary {
  double items_per_s = 0;
  double ratio = 0;
  double cpu_us_per_item = 0;
  bool counted = false;
  double wakeups = 0;
  double futile = 0;
  double notifies = 0;
};

summary summarize(const std::vector<const row*>& rows) {
  summary s;
  std::vector<double> rate, ratio, cpu, wakeups, futile, notifies;
  for (const row* r : rows) {
    const double items = static_cast<double>(r->config.items);
    rate.push_back(r->items_per_s());
    ratio.push_back(r->ratio);
    cpu.push_back(r->sample.cpu_us / items);
    wakeups.push_back(static_cast<double>(r->sample.wakeups) / items);
    futile.push_back(static_cast<double>(r->sample.futile_wakeups) / items);
    notifies.push_back(static_cast<double>(r->sample.notifies) / items);
    s.counted = r->sample.counted;
  }
  s.items_per_s = median(rate);
  s.ratio = median(ratio);
  s.cpu_us_per_item = median(cpu);
  s.wakeups = median(wakeups);
  s.futile = median(futile);
  s.notifies = median(notifies);
  return s;
}

void write_csv(const std::string& path, const std::vector<row>& rows) {
  std::ostringstream out;
  out << "variant,twin,producers,consumers,capacity,rep,items_per_s,ratio_vs_sync_bounded_queue,"
         "wakeups_per_item,futile_wakeups_per_item,notifies_per_item,cpu_us_per_item,"
         "every_item_once\n";
  for (const row& r : rows) {
    const double items = static_cast<double>(r.config.items);
    const auto count = [&](std::uint64_t n) {
      return r.sample.counted ? (boost::format("%.4f") % (static_cast<double>(n) / items)).str()
                              : std::string();
    };
    out << boost::format("%s,%s,%d,%d,%d,%d,%.0f,%.4f,%s,%s,%s,%.3f,%d\n") % r.variant % r.twin %
               r.config.producers % r.config.consumers % r.config.capacity % r.rep %
               r.items_per_s() % r.ratio % count(r.sample.wakeups) %
               count(r.sample.futile_wakeups) % count(r.sample.notifies) %
               (r.sample.cpu_us / items) % r.sample.every_item_once;
  }
  lesson::replace_file(path, out.str(), "--csv");
}

// Items per second against threads (P+C), a line per variant, a panel per capacity.
void write_svg(const std::string& path, const std::vector<std::string>& names,
               const std::vector<bench::config>& configs,
               const std::map<std::pair<std::string, std::string>, summary>& table) {
  const char* palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                           "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aaaa00"};
  std::vector<std::size_t> capacities;
  std::vector<unsigned> threads;
  std::map<std::size_t, double> top;  // each panel has its own scale
  for (const bench::config& c : configs) {
    if (std::find(capacities.begin(), capacities.end(), c.capacity) == capacities.end()) {
      capacities.push_back(c.capacity);
    }
    if (std::find(threads.begin(), threads.end(), c.producers + c.consumers) == threads.end()) {
      threads.push_back(c.producers + c.consumers);
    }
    for (const std::string& name : names) {
      top[c.capacity] = std::max(top[c.capacity], table.at({name, key(c)}).items_per_s);
    }
  }
  const double panel_w = 320;
  const double panel_h = 240;
  const double width = 60 + panel_w * static_cast<double>(capacities.size()) + 40;
  const double height = panel_h + 100 + 16 * static_cast<double>(names.size());
  std::ostringstream svg;
  svg << boost::format(
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
             "xmlns=\"http://www.w3.org/2000/svg\" "
             "width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"11\">\n"
             "<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n"
             "<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">items per second "
             "against threads (producers + consumers), median of the repetitions</text>\n") %
             width % height % width % height;
  for (std::size_t panel = 0; panel < capacities.size(); ++panel) {
    const double x0 = 60 + panel_w * static_cast<double>(panel);
    const double y0 = 40;
    svg << boost::format(
               "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
               "stroke=\"#999\"/>\n<text x=\"%.0f\" y=\"%.0f\">capacity %d</text>\n") %
               x0 % y0 % (panel_w - 20) % panel_h % (x0 + 4) % (y0 + 14) % capacities[panel];
    const auto x_of = [&](std::size_t i) {
      return x0 + 20 +
             (panel_w - 60) * static_cast<double>(i) /
                 static_cast<double>(std::max<std::size_t>(1, threads.size() - 1));
    };
    const double panel_top = top[capacities[panel]];
    const auto y_of = [&](double rate) { return y0 + panel_h - (panel_h - 20) * rate / panel_top; };
    for (std::size_t i = 0; i < threads.size(); ++i) {
      svg << boost::format("<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">%d</text>\n") %
                 x_of(i) % (y0 + panel_h + 14) % threads[i];
    }
    svg << boost::format(
               "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%.2gM</text>\n"
               "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">0</text>\n") %
               (x0 + panel_w - 24) % (y0 + 14) % (panel_top / 1e6) % (x0 + 14) % (y0 + panel_h);
    for (std::size_t n = 0; n < names.size(); ++n) {
      std::string points;
      for (std::size_t i = 0; i < threads.size(); ++i) {
        for (const bench::config& c : configs) {
          if (c.capacity == capacities[panel] && c.producers + c.consumers == threads[i]) {
            points += (boost::format("%.1f,%.1f ") % x_of(i) %
                       y_of(table.at({names[n], key(c)}).items_per_s))
                          .str();
          }
        }
      }
      svg << boost::format(
                 "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n") %
                 points % palette[n % std::size(palette)];
    }
  }
  for (std::size_t n = 0; n < names.size(); ++n) {
    const double y = 40 + panel_h + 36 + 16 * static_cast<double>(n);
    svg << boost::format(
               "<rect x=\"60\" y=\"%.0f\" width=\"14\" height=\"4\" fill=\"%s\"/>"
               "<text x=\"80\" y=\"%.0f\">%s</text>\n") %
               (y - 4) % palette[n % std::size(palette)] % (y + 1) % names[n];
  }
  svg << "</svg>\n";
  lesson::replace_file(path, svg.str(), "--svg");
}

int bench_main(int argc, char* argv[]) {
  po::options_description options("Options");
  options.add_options()("quick", "a smaller run: 4 configurations, fewer items")(
      "reps", po::value<unsigned>()->value_name("N"), "repetitions, 5 to 100 (default 5)")(
      "csv", po::value<std::string>()->value_name("FILE"),
      "a row per variant, configuration "
      "and repetition")("svg", po::value<std::string>()->value_name("FILE"),
                        "items per second against threads, a panel per capacity")(
      "help", "show this help and exit");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
  } catch (const po::error& e) {
    throw lesson::usage_error(e.what());
  }
  if (vm.count("help")) {
    std::cout << "Usage: bench [options]\n\n" << options;
    return 0;
  }
  const bool quick = vm.count("quick") > 0;
  const unsigned reps = vm.count("reps") ? vm["reps"].as<unsigned>() : 5;
  if (reps < 5 || reps > 100) {
    throw lesson::usage_error("--reps: expected a whole number from 5 to 100, got " +
                              std::to_string(reps));
  }
  for (const char* file : {"csv", "svg"}) {
    const std::string why =
        vm.count(file) ? lesson::why_not_writable(vm[file].as<std::string>()) : "";
    if (!why.empty()) {
      throw lesson::usage_error(std::string("--") + file + ": cannot write " +
                                lesson::quote(vm[file].as<std::string>()) + ": " + why);
    }
  }

  std::vector<bench::config> configs;
  const std::vector<std::pair<unsigned, unsigned>> sides =
      quick ? std::vector<std::pair<unsigned, unsigned>>{{1, 1}, {4, 4}}
            : std::vector<std::pair<unsigned, unsigned>>{{1, 1}, {2, 2}, {4, 4}, {8, 8}};
  const std::vector<std::size_t> capacities =
      quick ? std::vector<std::size_t>{1, 64} : std::vector<std::size_t>{1, 64, 1024};
  // Enough items that a run lasts a tenth of a second or more at its capacity's
  // pace (a slot of 1 moves some 50 000 items a second, 1024 slots millions).
  const auto items_for = [quick](std::size_t capacity) -> std::uint64_t {
    const std::uint64_t items = capacity == 1 ? 20'000 : capacity < 1024 ? 400'000 : 1'000'000;
    return quick ? items / 4 : items;
  };
  for (const std::size_t capacity : capacities) {
    for (const auto& [p, c] : sides) {
      configs.push_back({p, c, capacity, items_for(capacity)});
    }
  }
  const std::string no_interruptions =
      (std::filesystem::path(argv[0]).parent_path() / "bench_no_interruptions").string();
  const std::vector<variant> all = variants(no_interruptions);
  lesson::touch_boost_thread();

  std::vector<row> rows;
  bool every_item_once = true;
  for (unsigned rep = 0; rep < reps; ++rep) {
    std::cerr << "repetition " << rep + 1 << " of " << reps << '\n';
    for (const bench::config& c : configs) {
      std::vector<row> these;
      for (std::size_t i = 0; i < all.size(); ++i) {
        const variant& v = all[(i + rep) % all.size()];  // a new order each repetition
        these.push_back({v.name, v.twin, c, rep, v.run(c)});
        if (!these.back().sample.every_item_once) {
          std::cerr << "FAILED: " << v.name << " " << key(c)
                    << " did not deliver every item exactly once\n";
          every_item_once = false;
        }
      }
      const auto base = std::find_if(these.begin(), these.end(), [](const row& r) {
        return r.variant == "sync_bounded_queue";
      });
      for (row& r : these) {
        r.ratio = r.items_per_s() / base->items_per_s();
      }
      rows.insert(rows.end(), these.begin(), these.end());
    }
  }

  std::vector<std::string> names;
  for (const variant& v : all) {
    names.push_back(v.name);
  }
  std::map<std::pair<std::string, std::string>, summary> table;
  for (const std::string& name : names) {
    for (const bench::config& c : configs) {
      std::vector<const row*> mine;
      for (const row& r : rows) {
        if (r.variant == name && key(r.config) == key(c)) {
          mine.push_back(&r);
        }
      }
      table[{name, key(c)}] = summarize(mine);
    }
  }

  std::cout << boost::format(
                   "median of %d repetitions; ratio: against sync_bounded_queue in the same "
                   "repetition\n") %
                   reps;
  for (const bench::config& c : configs) {
    std::cout << "\n"
              << key(c) << ", " << c.items << " items a run\n"
              << boost::format("  %-40s %12s %6s %8s %8s %8s %8s\n") % "variant" % "items/s" %
                     "ratio" % "wake/it" % "futile" % "notify" % "cpu_us";
    for (const std::string& name : names) {
      const summary& s = table.at({name, key(c)});
      const auto count = [&](double value) {
        return s.counted ? (boost::format("%.2f") % value).str() : std::string("-");
      };
      std::cout << boost::format("  %-40s %12.0f %6.2f %8s %8s %8s %8.2f\n") % name %
                       s.items_per_s % s.ratio % count(s.wakeups) % count(s.futile) %
                       count(s.notifies) % s.cpu_us_per_item;
    }
  }

  // One variant against another in configuration `c`: the ratio of their
  // rates within each repetition, so that the noise both shared cancels.
  const auto paired_ratios = [&](const std::string& name, const std::string& against,
                                 const bench::config& c) {
    std::vector<double> paired;
    for (unsigned rep = 0; rep < reps; ++rep) {
      const auto rate = [&](const std::string& variant) {
        const auto r = std::find_if(rows.begin(), rows.end(), [&](const row& candidate) {
          return candidate.variant == variant && candidate.rep == rep &&
                 key(candidate.config) == key(c);
        });
        return r->items_per_s();
      };
      paired.push_back(rate(name) / rate(against));
    }
    return paired;
  };

  // The harness's cost, a line per configuration: each lesson against its plain twin.
  std::vector<std::pair<std::string, std::string>> twins;
  for (const variant& v : all) {
    if (!v.twin.empty()) {
      twins.emplace_back(v.name, v.twin);
    }
  }
  std::cout << "\nthe harness's cost: each lesson against its plain twin, median of the "
               "repetitions (lowest-highest)\n";
  for (const bench::config& c : configs) {
    std::cout << boost::format("  %-15s") % key(c);
    for (const auto& [lesson, twin] : twins) {
      const std::vector<double> paired = paired_ratios(lesson, twin, c);
      std::cout << boost::format(" %s %.2f (%.2f-%.2f)") % lesson.substr(0, 2) % median(paired) %
                       *std::min_element(paired.begin(), paired.end()) %
                       *std::max_element(paired.begin(), paired.end());
    }
    std::cout << "\n";
  }

  // The targets, reported: capacities of 64 and more. In each configuration,
  // the median over the repetitions of the ratio within a repetition.
  const auto ratios = [&](const std::string& name, const std::string& against) {
    std::vector<double> values;
    for (const bench::config& c : configs) {
      if (c.capacity >= 64) {
        values.push_back(median(paired_ratios(name, against, c)));
      }
    }
    return values;
  };
  const auto report = [&](const std::string& what, const std::vector<double>& values,
                          double target) {
    const auto met =
        std::count_if(values.begin(), values.end(), [&](double v) { return v >= target; });
    std::cout << boost::format("%-70s median %.3f, lowest %.3f: target %.2f met in %d of %d\n") %
                     what % median(values) % *std::min_element(values.begin(), values.end()) %
                     target % met % values.size();
  };
  std::cout << "\ntargets, capacity 64 and more:\n";
  report("08_waiter_count (the lesson, trace off) against sync_bounded_queue",
         ratios("08_waiter_count", "sync_bounded_queue"), 1.0);
  report("08_uninstrumented (its buffer, plain) against sync_bounded_queue",
         ratios("08_uninstrumented", "sync_bounded_queue"), 1.0);
  report("06_two_conditions (the lesson, trace off) against sync_bounded_queue",
         ratios("06_two_conditions", "sync_bounded_queue"), 0.5);
  std::cout << "\nthe harness's cost with 64 slots, where the buffer has room:\n";
  for (const auto& [lesson, twin] : twins) {
    std::vector<double> values;
    for (const bench::config& c : configs) {
      if (c.capacity == 64) {
        values.push_back(median(paired_ratios(lesson, twin, c)));
      }
    }
    if (!values.empty()) {
      report(lesson + " against " + twin, values, 0.85);
    }
  }
  std::cout << "\nwhat BOOST_THREAD_DONT_PROVIDE_INTERRUPTIONS buys, capacity 64 and more:\n";
  report("sync_bounded_queue without interruptions, against with",
         ratios("sync_bounded_queue_no_interruptions", "sync_bounded_queue"), 1.0);
  report("06_uninstrumented without interruptions, against with",
         ratios("06_uninstrumented_no_interruptions", "06_uninstrumented"), 1.0);

  if (vm.count("csv")) {
    write_csv(vm["csv"].as<std::string>(), rows);
  }
  if (vm.count("svg")) {
    write_svg(vm["svg"].as<std::string>(), names, configs, table);
  }
  std::cout << (every_item_once ? "\nevery item arrived exactly once in every run\n"
                                : "\nFAILED: some runs lost or duplicated items (see above)\n");
  return every_item_once ? 0 : 1;
}

}  // namespace

int main(int argc, char* argv[]) {
  return lesson::tool_main("bench", bench_main, argc, argv);
}
