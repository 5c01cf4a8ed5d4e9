#include "engine/seating.hpp"

namespace lesson {

seating::seating(const std::vector<std::string>& thread_names)
    : names(thread_names), seats(thread_names.size()) {
  for (seat& s : seats) {
    s.room = std::make_unique<boost::condition_variable_any>();
  }
}

void seating::give_lock(unsigned id, bool scripted, bool ended_script) {
  seat& s = seats[id];
  taken.push_back({decision::kind::lock, id, scripted});
  s.granted_by_script = scripted;
  s.grant_ended_script = ended_script;
  holder = id;
  ++running;
  s.turn.notify_one();
}

void seating::let_move(unsigned id, bool scripted, bool ended_script) {
  seat& s = seats[id];
  taken.push_back({decision::kind::lock, id, scripted});
  s.grant_ended_script = ended_script;
  s.paused = false;
  ++running;
  s.turn.notify_one();
}

void seating::wake(unsigned id, bool spurious) {
  seat& s = seats[id];
  s.woken = true;
  s.on_its_way = true;
  s.spurious = spurious;
  s.now = phase::running;  // on its way back to the lock
  s.since = ++clock;
  ++running;
  to_wake.push_back(id);
}

std::string seating::whereabouts(unsigned id) const {
  const seat& s = seats[id];
  const std::string& name = names[id];
  if (s.paused) {
    return name + " waits for its turn at line " + std::to_string(s.point.line());
  }
  switch (s.now) {
    case phase::waiting:
      return name + (s.woken ? " is already woken from " : " waits on ") + s.condition;
    case phase::done:
      return name + " has finished";
    case phase::asking:
      return name + " asks for the lock";
    case phase::holding:
      return name + " holds the lock";
    case phase::running:
    case phase::unstarted:
      break;
  }
  return name + " is running";
}

}  // namespace lesson
