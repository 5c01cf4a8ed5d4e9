#include "model/outcome.hpp"

#include <algorithm>
#include <numeric>

namespace lesson {

const char* to_string(outcome o) {
  switch (o) {
    case outcome::ok:
      return "ok";
    case outcome::violation:
      return "violation";
    case outcome::deadlock:
      return "deadlock";
    case outcome::stuck:
      return "stuck";
    case outcome::interrupted:
      return "interrupted";
  }
  return "?";
}

int exit_code(outcome o, int signal) {
  switch (o) {
    case outcome::ok:
      return 0;
    case outcome::violation:
      return 1;
    case outcome::deadlock:
      return 3;
    case outcome::stuck:
      return 4;
    case outcome::interrupted:
      return 128 + signal;
  }
  return 1;
}

std::uint64_t outcome_counts::total() const {
  return std::accumulate(counts_.begin(), counts_.end(), std::uint64_t{0});
}

outcome outcome_counts::most_seen() const {
  return static_cast<outcome>(std::max_element(counts_.begin(), counts_.end()) - counts_.begin());
}

outcome outcome_counts::worst() const {
  outcome worst = outcome::ok;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    const auto o = static_cast<outcome>(i);
    if (counts_[i] > 0 && exit_code(o) > exit_code(worst)) {
      worst = o;
    }
  }
  return worst;
}

}  // namespace lesson
