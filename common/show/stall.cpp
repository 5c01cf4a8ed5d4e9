#include "show/stall.hpp"

#include <algorithm>
#include <string_view>

namespace lesson {

const char* finished_side(const cast& who, const std::vector<sleeper>& sleepers) {
  const auto waits = [&](role side) {
    return std::any_of(sleepers.begin(), sleepers.end(),
                       [&](const sleeper& s) { return who.role(s.worker) == side; });
  };
  if (!sleepers.empty() && !waits(role::consumer)) {
    return who.config.quota == consumer_quota::half_the_items
               ? "the consumers took their quota and stopped (the recipe's consumer takes half "
                 "the items):\n  nobody will make space again. The numbers stopped this run, "
                 "not a notify."
               : "every consumer has finished: nobody will make space again.";
  }
  if (!sleepers.empty() && !waits(role::producer)) {
    return "every producer has finished: no item will come again.";
  }
  return nullptr;
}

const char* stall_kind(const cast& who, std::size_t buffer_size,
                       const std::vector<sleeper>& sleepers) {
  if (!could_go_on(who, buffer_size, sleepers).empty()) {
    return stall_kinds::lost_wakeup;
  }
  return finished_side(who, sleepers) != nullptr ? stall_kinds::other_side_finished
                                                 : stall_kinds::nothing_to_wait_for;
}

const sleeper* waited_without_looking(const cast& who, const std::vector<sleeper>& sleepers) {
  const auto unlooking = std::find_if(sleepers.begin(), sleepers.end(), [&](const sleeper& s) {
    const bool producer = who.role(s.worker) == role::producer;
    return s.items_when_it_began &&
           (producer ? *s.items_when_it_began < who.config.capacity : *s.items_when_it_began > 0);
  });
  return unlooking == sleepers.end() ? nullptr : &*unlooking;
}

const sleeper* waited_after_the_close(const std::vector<sleeper>& sleepers) {
  const auto late = std::find_if(sleepers.begin(), sleepers.end(),
                                 [](const sleeper& s) { return s.closed_when_it_began; });
  return late == sleepers.end() ? nullptr : &*late;
}

std::vector<unsigned> could_go_on(const cast& who, std::size_t buffer_size,
                                  const std::vector<sleeper>& sleepers) {
  std::vector<unsigned> can;
  for (const sleeper& s : sleepers) {
    const bool producer = who.role(s.worker) == role::producer;
    if (s.closed_when_it_began ||
        (producer ? buffer_size < who.config.capacity : buffer_size > 0)) {
      can.push_back(s.worker);
    }
  }
  return can;
}

bool same_condition(const char* a, const char* b) {
  return std::string_view(a) == std::string_view(b);
}

namespace {

// A move that ends a thread's turn of notifying after a put, take or close.
bool moves(action a) {
  return a == action::put || a == action::take || a == action::wait || a == action::close ||
         a == action::done;
}

// Whether `e` brings what a sleeper of `side` waits for.
bool brings(const event& e, role side) {
  return side == role::consumer ? e.action == action::put || e.action == action::close
                                : e.action == action::take;
}

// The index in `recent` after the last wait of `worker`: 0 when it began to
// wait before the events kept, all of which then came after.
std::size_t after_its_wait(const std::vector<event>& recent, unsigned worker) {
  for (std::size_t i = recent.size(); i > 0; --i) {
    if (recent[i - 1].worker == worker && recent[i - 1].action == action::wait) {
      return i;
    }
  }
  return 0;
}

// The notify that followed recent[at], whom it woke, and what that one did.
announcement announced(const std::vector<event>& recent, std::size_t at, const char* condition) {
  announcement a;
  a.change = &recent[at];
  std::size_t i = at + 1;
  for (; i < recent.size(); ++i) {
    const event& e = recent[i];
    if (e.worker != a.change->worker) {
      continue;
    }
    if (e.action == action::notify_one || e.action == action::notify_all) {
      a.notify = a.notify == nullptr || same_condition(e.condition, condition) ? &e : a.notify;
    } else if (moves(e.action)) {
      break;
    }
  }
  if (a.notify == nullptr) {
    return a;
  }
  const auto woke = std::find_if(recent.begin(), recent.end(), [&](const event& e) {
    return e.action == action::woke && e.wakeup.notify_step == a.notify->step;
  });
  if (woke == recent.end()) {
    return a;
  }
  a.woken = &*woke;
  const auto then = std::find_if(woke + 1, recent.end(), [&](const event& e) {
    return e.worker == woke->worker &&
           (e.action == action::put || e.action == action::take || e.action == action::wait);
  });
  a.then = then == recent.end() ? nullptr : &*then;
  return a;
}

// How `a` failed to reach the side of `s`, or nothing when it reached it.
std::optional<lost_cause> missed(const cast& who, const announcement& a, const sleeper& s) {
  if (a.notify == nullptr) {
    return lost_cause::notified_nobody;
  }
  if (!same_condition(a.notify->condition, s.condition)) {
    return lost_cause::other_condition;
  }
  if (a.woken != nullptr && who.role(a.woken->worker) != who.role(s.worker)) {
    return lost_cause::woke_other_side;
  }
  return std::nullopt;
}

// What came after `s` began to wait, and the first of it that missed its side.
lost_wakeup followed(const cast& who, const sleeper& s, const std::vector<event>& recent) {
  lost_wakeup told;
  told.asleep = &s;
  for (std::size_t i = after_its_wait(recent, s.worker); i < recent.size(); ++i) {
    if (!brings(recent[i], who.role(s.worker))) {
      continue;
    }
    told.since.push_back(announced(recent, i, s.condition));
    const std::optional<lost_cause> cause = missed(who, told.since.back(), s);
    if (cause && told.cause == lost_cause::unexplained) {
      told.cause = *cause;
      told.culprit = told.since.size() - 1;
    }
  }
  return told;
}

}  // namespace

std::optional<lost_wakeup> lost_wakeup_of(const cast& who, std::size_t buffer_size,
                                          const std::vector<sleeper>& sleepers,
                                          const std::vector<event>& recent) {
  if (const sleeper* late = waited_after_the_close(sleepers)) {
    return lost_wakeup{lost_cause::closed_before_wait, late, {}, 0};
  }
  if (const sleeper* unlooking = waited_without_looking(who, sleepers)) {
    return lost_wakeup{lost_cause::waited_without_looking, unlooking, {}, 0};
  }
  std::optional<lost_wakeup> first;
  for (const unsigned id : could_go_on(who, buffer_size, sleepers)) {
    const auto s = std::find_if(sleepers.begin(), sleepers.end(),
                                [&](const sleeper& one) { return one.worker == id; });
    lost_wakeup told = followed(who, *s, recent);
    if (told.cause != lost_cause::unexplained) {
      return told;
    }
    if (!first) {
      first = told;
    }
  }
  return first;
}

}  // namespace lesson
