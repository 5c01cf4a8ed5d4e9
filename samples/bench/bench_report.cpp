#include "bench_report.hpp"

#include <algorithm>
#include <boost/format.hpp>
#include <ostream>
#include <sstream>

#include "bench_variants.hpp"
#include "show/replace_file.hpp"

namespace bench {

std::string key(const config& c) {
  return (boost::format("%dx%d cap %d") % c.producers % c.consumers % c.capacity).str();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n == 0 ? 0 : n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

namespace {

// The summary of the runs of one variant in one configuration.
summary summarize_runs(const std::vector<const row*>& rows) {
  summary s;
  std::vector<double> rate, ratio, cpu, wakeups, futile, notifies;
  for (const row* r : rows) {
    const double items = static_cast<double>(r->configuration.items);
    rate.push_back(r->items_per_s());
    ratio.push_back(r->ratio);
    cpu.push_back(r->measured.cpu_us / items);
    wakeups.push_back(static_cast<double>(r->measured.wakeups) / items);
    futile.push_back(static_cast<double>(r->measured.futile_wakeups) / items);
    notifies.push_back(static_cast<double>(r->measured.notifies) / items);
    s.counted = r->measured.counted;
  }
  s.items_per_s = median(rate);
  s.ratio = median(ratio);
  s.cpu_us_per_item = median(cpu);
  s.wakeups = median(wakeups);
  s.futile = median(futile);
  s.notifies = median(notifies);
  return s;
}

// A table a configuration: each variant's medians.
void print_tables(std::ostream& out, const measurements& measured, const summary_table& table) {
  out << boost::format(
             "median of %d repetitions; ratio: against sync_bounded_queue in the same "
             "repetition\n") %
             measured.reps;
  for (const config& c : measured.configs) {
    out << "\n"
        << key(c) << ", " << c.items << " items a run\n"
        << boost::format("  %-40s %12s %6s %8s %8s %8s %8s\n") % "variant" % "items/s" % "ratio" %
               "wake/it" % "futile" % "notify" % "cpu_us";
    for (const std::string& name : measured.names) {
      const summary& s = table.at({name, key(c)});
      const auto count = [&](double value) {
        return s.counted ? (boost::format("%.2f") % value).str() : std::string("-");
      };
      out << boost::format("  %-40s %12.0f %6.2f %8s %8s %8s %8.2f\n") % name % s.items_per_s %
                 s.ratio % count(s.wakeups) % count(s.futile) % count(s.notifies) %
                 s.cpu_us_per_item;
    }
  }
}

// One variant against another in configuration `c`: the ratio of their
// rates within each repetition, so that the noise both shared cancels.
std::vector<double> paired_ratios(const measurements& measured, const std::string& name,
                                  const std::string& against, const config& c) {
  std::vector<double> paired;
  for (unsigned rep = 0; rep < measured.reps; ++rep) {
    const auto rate = [&](const std::string& variant) {
      const auto r =
          std::find_if(measured.rows.begin(), measured.rows.end(), [&](const row& candidate) {
            return candidate.variant == variant && candidate.rep == rep &&
                   key(candidate.configuration) == key(c);
          });
      return r->items_per_s();
    };
    paired.push_back(rate(name) / rate(against));
  }
  return paired;
}

// The medians of the paired ratios in the configurations `wanted` picks.
template <class Wanted>
std::vector<double> ratios(const measurements& measured, const std::string& name,
                           const std::string& against, Wanted wanted) {
  std::vector<double> values;
  for (const config& c : measured.configs) {
    if (wanted(c)) {
      values.push_back(median(paired_ratios(measured, name, against, c)));
    }
  }
  return values;
}

// The harness's cost, a line per configuration: each lesson against its plain twin.
void print_harness_cost(std::ostream& out, const measurements& measured) {
  out << "\nthe harness's cost: each lesson against its plain twin, median of the "
         "repetitions (lowest-highest)\n";
  for (const config& c : measured.configs) {
    out << boost::format("  %-15s") % key(c);
    for (const auto& [lesson, twin] : measured.twins) {
      const std::vector<double> paired = paired_ratios(measured, lesson, twin, c);
      out << boost::format(" %s %.2f (%.2f-%.2f)") % lesson.substr(0, lesson.find('_')) %
                 median(paired) % *std::min_element(paired.begin(), paired.end()) %
                 *std::max_element(paired.begin(), paired.end());
    }
    out << "\n";
  }
}

// One target: how many configurations meet it.
void print_target(std::ostream& out, const std::string& what, const std::vector<double>& values,
                  double target) {
  const auto met =
      std::count_if(values.begin(), values.end(), [&](double v) { return v >= target; });
  out << boost::format("%-70s median %.3f, lowest %.3f: target %.2f met in %d of %d\n") % what %
             median(values) % *std::min_element(values.begin(), values.end()) % target % met %
             values.size();
}

// The targets, reported: capacities of 64 and more. In each configuration,
// the median over the repetitions of the ratio within a repetition.
void print_targets(std::ostream& out, const measurements& measured) {
  const auto roomy = [](const config& c) { return c.capacity >= 64; };
  const auto against = [&](const std::string& name, const std::string& other) {
    return ratios(measured, name, other, roomy);
  };
  out << "\ntargets, capacity 64 and more:\n";
  print_target(out, "08_waiter_count (the lesson, trace off) against sync_bounded_queue",
               against("08_waiter_count", baseline), 1.0);
  print_target(out, "08_uninstrumented (its buffer, plain) against sync_bounded_queue",
               against("08_uninstrumented", baseline), 1.0);
  print_target(out, "06_two_conditions (the lesson, trace off) against sync_bounded_queue",
               against("06_two_conditions", baseline), 0.5);
  out << "\nthe harness's cost with 64 slots, where the buffer has room:\n";
  for (const auto& [lesson, twin] : measured.twins) {
    const std::vector<double> values =
        ratios(measured, lesson, twin, [](const config& c) { return c.capacity == 64; });
    if (!values.empty()) {
      print_target(out, lesson + " against " + twin, values, 0.85);
    }
  }
  out << "\nwhat BOOST_THREAD_DONT_PROVIDE_INTERRUPTIONS buys, capacity 64 and more:\n";
  print_target(out, "sync_bounded_queue without interruptions, against with",
               against("sync_bounded_queue_no_interruptions", baseline), 1.0);
  print_target(out, "06_uninstrumented without interruptions, against with",
               against("06_uninstrumented_no_interruptions", "06_uninstrumented"), 1.0);
}

}  // namespace

summary_table summarize(const measurements& measured) {
  summary_table table;
  for (const std::string& name : measured.names) {
    for (const config& c : measured.configs) {
      std::vector<const row*> mine;
      for (const row& r : measured.rows) {
        if (r.variant == name && key(r.configuration) == key(c)) {
          mine.push_back(&r);
        }
      }
      table[{name, key(c)}] = summarize_runs(mine);
    }
  }
  return table;
}

void print_report(std::ostream& out, const measurements& measured, const summary_table& table) {
  print_tables(out, measured, table);
  print_harness_cost(out, measured);
  print_targets(out, measured);
}

void write_csv(const std::string& path, const std::vector<row>& rows) {
  std::ostringstream out;
  out << "variant,twin,producers,consumers,capacity,rep,items_per_s,ratio_vs_sync_bounded_queue,"
         "wakeups_per_item,futile_wakeups_per_item,notifies_per_item,cpu_us_per_item,"
         "every_item_once\n";
  for (const row& r : rows) {
    const double items = static_cast<double>(r.configuration.items);
    const auto count = [&](std::uint64_t n) {
      return r.measured.counted ? (boost::format("%.4f") % (static_cast<double>(n) / items)).str()
                                : std::string();
    };
    out << boost::format("%s,%s,%d,%d,%d,%d,%.0f,%.4f,%s,%s,%s,%.3f,%d\n") % r.variant % r.twin %
               r.configuration.producers % r.configuration.consumers % r.configuration.capacity %
               r.rep % r.items_per_s() % r.ratio % count(r.measured.wakeups) %
               count(r.measured.futile_wakeups) % count(r.measured.notifies) %
               (r.measured.cpu_us / items) % r.measured.every_item_once;
  }
  lesson::replace_file(path, out.str(), "--csv");
}

}  // namespace bench
