#include "model/settings.hpp"

namespace lesson {

bool needs_observed_run(const settings& chosen) {
  return !chosen.script.empty() || !chosen.svg_file.empty() || !chosen.html_file.empty() ||
         row_of(chosen.trace).needs_observed_run;
}

}  // namespace lesson
