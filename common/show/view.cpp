#include "show/view.hpp"

namespace lesson {

run_view::run_view(const cast& who) : who_(who), threads_(who.names.size()) {}

void run_view::apply(const event& e) {
  ambiguous_.clear();
  if (const auto after = words_for(e.action).after) {
    threads_.at(e.worker).now = *after;
  }
  if (e.action == action::wait) {
    threads_.at(e.worker).condition = e.condition;
  } else if (e.action == action::put) {
    items_.push_back(e.what);
  } else if (e.action == action::take && !items_.empty()) {
    items_.pop_front();
  } else if (e.action == action::notify_one || e.action == action::notify_all) {
    notified(e);
  }
}

void run_view::notified(const event& e) {
  std::vector<thread*> waiters;
  std::string names;
  for (unsigned id = 0; id < threads_.size(); ++id) {
    thread& t = threads_[id];
    if (t.now == seen_state::waiting && std::string(t.condition) == e.condition) {
      waiters.push_back(&t);
      names += (names.empty() ? "" : " ") + who_.name(id);
    }
  }
  // In an observed run the scheduler chose; in a free run, which of several
  // waiters notify_one woke shows when it wakes.
  if (e.action == action::notify_one && e.chosen >= 0) {
    threads_.at(static_cast<unsigned>(e.chosen)).now = seen_state::woken;
  } else if (e.action == action::notify_all || waiters.size() == 1) {
    for (thread* t : waiters) {
      t->now = seen_state::woken;
    }
  } else if (waiters.size() > 1) {
    ambiguous_ = names;
  }
}

std::string run_view::describe_state(unsigned id) const {
  const thread& t = threads_.at(id);
  switch (t.now) {
    case seen_state::running:
      return "run";
    case seen_state::wants_lock:
      return "wants lock";
    case seen_state::holds_lock:
      return "[holds]";
    case seen_state::waiting:
      return std::string("wait ") + t.condition;
    case seen_state::woken:
      return "woken";
    case seen_state::done:
      return "done";
  }
  return "?";
}

std::string run_view::remark(const event& e) const {
  return remark_of(e, who_, ambiguous_.empty() ? "" : "one of " + ambiguous_);
}

std::string run_view::contents(std::size_t width) const {
  std::string listed = "[";
  for (const item& it : items_) {
    if (listed.size() > 1) {
      listed += ' ';
    }
    listed += describe(it);
  }
  listed += ']';
  if (listed.size() <= width) {
    return listed;
  }
  return std::to_string(items_.size()) + "/" + std::to_string(who_.config.capacity);
}

}  // namespace lesson
