#include "model/cast.hpp"

#include "model/schedule.hpp"

namespace lesson {

cast::cast(const definition& lesson_run, const settings& run_settings)
    : lesson(lesson_run), config(run_settings) {
  for (unsigned i = 0; i < config.producers + config.consumers; ++i) {
    roles.push_back(i < config.producers ? role::producer : role::consumer);
    names.push_back(name_of_worker(i, config.producers));
  }
}

}  // namespace lesson
