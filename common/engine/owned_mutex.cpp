#include "engine/owned_mutex.hpp"

#include <boost/thread/exceptions.hpp>

#include "engine/race_detectors.hpp"

namespace lesson {

void throw_lock_taken_again() {
  boost::throw_exception(
      boost::lock_error(static_cast<int>(boost::system::errc::resource_deadlock_would_occur),
                        "the lock taken again by the thread that holds it"));
}

owned_mutex::owned_mutex() {
  ignored_by_race_detectors(holder_);
  ignored_by_race_detectors(steps_);
}

void owned_mutex::lock() {
  worker* me = worker::on_this_thread();
  if (held_by(me)) {
    throw_lock_taken_again();
  }
  mutex_.lock();
  holder_.store(me, std::memory_order_relaxed);
  if (me != nullptr) {
    ++me->holds;
  }
}

void owned_mutex::unlock() {
  worker* me = worker::on_this_thread();
  if (me != nullptr) {
    me->claim_next_take();
  }
  holder_.store(nullptr, std::memory_order_relaxed);
  mutex_.unlock();
  if (me != nullptr && me->after_unlock != nullptr) {
    me->after_unlock->lock_let_go(*me);
  }
}

owned_mutex::lent_to_wait::lent_to_wait(owned_mutex& m)
    : owned_(m), lock_(m.mutex_, boost::adopt_lock) {
  owned_.holder_.store(nullptr, std::memory_order_relaxed);
}

owned_mutex::lent_to_wait::~lent_to_wait() {
  lock_.release();  // the owned_mutex's own unique_lock unlocks it
  worker* me = worker::on_this_thread();
  owned_.holder_.store(me, std::memory_order_relaxed);
  ++me->holds;
}

}  // namespace lesson
