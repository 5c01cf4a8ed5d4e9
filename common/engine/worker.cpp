#include "engine/worker.hpp"

#include <stdexcept>

namespace lesson {

namespace {

thread_local worker* this_threads_worker = nullptr;

}  // namespace

worker& worker::current() {
  if (this_threads_worker == nullptr) {
    throw std::logic_error("a lesson step ran outside a worker thread");
  }
  return *this_threads_worker;
}

worker* worker::on_this_thread() {
  return this_threads_worker;
}

void worker::claim_next_take() {
  if (!claims_at_unlock || inside_wait) {
    return;
  }
  claims_at_unlock = false;
  if (*takes_left > 0) {
    --*takes_left;
    has_take = true;
  }
}

void worker::run_here(worker& w) {
  this_threads_worker = &w;
}

}  // namespace lesson
