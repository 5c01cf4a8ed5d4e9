// helgrind and DRD find data races by watching locks; they do not model C++
// atomics, and report every atomic the watchdog reads as a race. These calls
// tell them to leave one atomic alone (ThreadSanitizer understands atomics and
// needs nothing). Outside valgrind each costs a few instructions.
#pragma once

#include <valgrind/drd.h>
#include <valgrind/helgrind.h>

#include <atomic>

namespace lesson {

template <class T>
void ignored_by_race_detectors(const std::atomic<T>& value) {
  VALGRIND_HG_DISABLE_CHECKING(&value, sizeof value);
  DRD_IGNORE_VAR(value);
}

}  // namespace lesson
