#include "engine/explored.hpp"

#include <algorithm>
#include <utility>

namespace lesson {

using phase = seating::phase;

std::vector<decision> explored_strategy::options(const seating& run, bool& anyone_waits) const {
  std::vector<decision> ways;
  for (unsigned id = 0; id < run.seats.size(); ++id) {
    const seating::seat& s = run.seats[id];
    if (run.holder ? s.paused : s.now == phase::asking || s.paused) {
      ways.push_back({decision::kind::lock, id, false});
    }
  }
  anyone_waits = false;
  for (unsigned id = 0; id < run.seats.size(); ++id) {
    if (run.waits_unwoken(id)) {
      anyone_waits = true;
      if (spurious_left_ > 0) {
        ways.push_back({decision::kind::spurious, id, false});
      }
    }
  }
  return ways;
}

void explored_strategy::decide(seating& run) {
  bool anyone_waits = false;
  const std::vector<decision> ways = options(run, anyone_waits);
  if (ways.empty()) {
    if (anyone_waits) {
      run.deadlock();
    }
    return;
  }
  // Stalling is a way on only where nobody may take or keep the lock.
  const bool may_stall = ways.front().what != decision::kind::lock;
  explored_state state;
  state_of_seats(run, state);
  const std::optional<std::size_t> chosen =
      chooser_.choose(ways, may_stall && anyone_waits, &state);
  if (!chosen) {
    run.trouble = schedule_trouble{};
    run.trouble->what = schedule_trouble::kind::explored;
    return;
  }
  if (*chosen >= ways.size()) {
    run.deadlock();  // every waiter sleeps on
    return;
  }
  const decision d = ways[*chosen];
  if (d.what == decision::kind::lock) {
    if (run.seats[d.worker].paused) {
      run.let_move(d.worker, false, false);
    } else {
      run.give_lock(d.worker, false, false);
    }
    return;
  }
  --spurious_left_;
  run.taken.push_back(d);
  run.wake(d.worker, true);
}

notify_result explored_strategy::notify(seating& run, const char* /*condition*/, bool all,
                                        const std::vector<unsigned>& waiters) {
  notify_result result;
  if (all) {
    result.woken = waiters;
  } else if (!waiters.empty()) {
    std::vector<decision> ways;
    for (const unsigned id : waiters) {
      ways.push_back({decision::kind::wake, id, false});
    }
    const std::size_t chosen = chooser_.choose(ways, false, nullptr).value_or(0);
    result.woken.push_back(ways.at(chosen).worker);
    run.taken.push_back(ways.at(chosen));
  }
  return result;
}

// The order of asking and waiting is left out: it only makes the defaults,
// and an explored run has none.
void explored_strategy::state_of_seats(const seating& run, explored_state& whole) const {
  whole.shared.push_back(spurious_left_);
  whole.of_thread.resize(run.seats.size());
  for (std::size_t id = 0; id < run.seats.size(); ++id) {
    const seating::seat& s = run.seats[id];
    std::vector<std::uint64_t>& state = whole.of_thread[id];
    state.push_back(static_cast<std::uint64_t>(s.now) | (s.woken ? 0x10U : 0U) |
                    (s.on_its_way ? 0x20U : 0U) | (s.spurious ? 0x40U : 0U) |
                    (s.paused ? 0x80U : 0U) |
                    (s.paused && s.point_of == point_kind::signal ? 0x100U : 0U));
    // The point it waits at: the lesson's line and column, the file known
    // by its name, a string that lives as long as the program.
    state.push_back(s.paused ? reinterpret_cast<std::uintptr_t>(s.point.file_name()) : 0);
    state.push_back(s.paused ? (std::uint64_t{s.point.line()} << 32U) | s.point.column() : 0);
    // The condition it waits on or comes back from, known by its name, a
    // string that lives as long as the program.
    const bool on_a_condition = s.now == phase::waiting || s.on_its_way;
    state.push_back(on_a_condition ? reinterpret_cast<std::uintptr_t>(s.condition) : 0);
  }
}

}  // namespace lesson

namespace lesson {

namespace {

// The threads `from` to `to` (one side) in their order in the words: by
// their part of the state, then by the places and numbers of their items in
// the buffer. Threads alike in both are interchangeable: either order gives
// the same words.
void order_side(const explored_state& state, unsigned from, unsigned to,
                std::vector<unsigned>& place) {
  using sort_key = std::pair<std::vector<std::uint64_t>, std::vector<std::uint64_t>>;
  std::vector<std::pair<sort_key, unsigned>> side;
  for (unsigned id = from; id < to; ++id) {
    sort_key key{state.of_thread[id], {}};
    for (std::size_t at = 0; at < state.items.size(); ++at) {
      if (state.items[at].producer == id) {
        key.second.push_back((std::uint64_t{at} << 32U) | state.items[at].sequence);
      }
    }
    side.emplace_back(std::move(key), id);
  }
  std::sort(side.begin(), side.end());
  for (unsigned rank = 0; rank < side.size(); ++rank) {
    place[side[rank].second] = from + rank;
  }
}

}  // namespace

void explored_state::settle(unsigned producers, bool symmetry) {
  const auto threads = static_cast<unsigned>(of_thread.size());
  place.resize(threads);
  for (unsigned id = 0; id < threads; ++id) {
    place[id] = id;
  }
  if (symmetry) {
    order_side(*this, 0, producers, place);
    order_side(*this, producers, threads, place);
  }
  std::vector<unsigned> at_place(threads);
  for (unsigned id = 0; id < threads; ++id) {
    at_place[place[id]] = id;
  }
  words = shared;
  for (const unsigned id : at_place) {
    words.insert(words.end(), of_thread[id].begin(), of_thread[id].end());
  }
  words.push_back(items.size());
  for (const item& it : items) {
    words.push_back((std::uint64_t{place[it.producer]} << 32U) | it.sequence);
  }
}

}  // namespace lesson
