#include "model/events.hpp"

namespace lesson {

const char* to_string(role r) {
  return r == role::producer ? "producer" : "consumer";
}

std::string file_name_of(const char* path) {
  const std::string whole(path);
  return whole.substr(whole.find_last_of('/') + 1);
}

bool marked(const event& e) {
  switch (e.action) {
    case action::wait:
      return e.after_futile_wakeup;
    case action::woke:
      return e.wakeup.spurious();
    case action::notify_one:
    case action::notify_all:
      return e.woke_nobody;
    default:
      return false;
  }
}

tally& tally::operator+=(const tally& more) {
  produced += more.produced;
  consumed += more.consumed;
  violations += more.violations;
  wakeups += more.wakeups;
  futile_wakeups += more.futile_wakeups;
  spurious_wakeups += more.spurious_wakeups;
  notifies += more.notifies;
  steps += more.steps;
  elapsed_ms += more.elapsed_ms;
  return *this;
}

void tally::count(const event& e) {
  switch (e.action) {
    case action::woke:
      ++wakeups;
      spurious_wakeups += e.wakeup.spurious() ? 1 : 0;
      break;
    case action::wait:
      futile_wakeups += e.after_futile_wakeup ? 1 : 0;
      break;
    case action::put:
      ++produced;
      break;
    case action::take:
      ++consumed;
      break;
    case action::notify_one:
    case action::notify_all:
      ++notifies;
      break;
    case action::violation:
      ++violations;
      break;
    default:
      break;
  }
}

}  // namespace lesson
