// A schedule: the decisions that fix an observed run, as --script writes them
// and as a `replay:` line prints them, comma-separated:
//
//   C1           the next time the lock is free, C1 gets it
//   wake=C1      the next notify_one wakes C1, which waits on that condition
//                (a notify_all wakes every waiter: wake=C1 then says that C1 is
//                one, or is already on its way back from that condition)
//   spurious=C1  C1, which waits, returns from wait() now with no notify
//
// Each decision the run comes to takes the schedule's next one if it is of
// its kind (a lock, a wakeup), else the default: the lock to the thread that
// has asked for it longest, a notify_one to the waiter that has waited
// longest. A spurious wakeup is never a default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lesson {

struct decision {
  enum class kind : std::uint8_t { lock, wake, spurious };
  kind what = kind::lock;
  unsigned worker = 0;    // id: producers first, then consumers
  bool scripted = false;  // taken from the script rather than by default
};

// A thread's name ("P2", "C1") as a worker id, for a run of `producers` and
// `consumers`; none when it names no thread of such a run.
std::optional<unsigned> worker_named(const std::string& name, unsigned producers,
                                     unsigned consumers);
// The name of thread `id` in a run of `producers`: P1..Pn, then C1..Cn.
std::string name_of_worker(unsigned id, unsigned producers);

// A --script value's tokens: the text between commas, each comma a cut
// ("C1,P1,wake=C2" is three; "" is one empty token, which is no decision).
std::vector<std::string> split_schedule(const std::string& text);

// One token of a schedule; none when it is not a decision or names a thread
// the run lacks.
std::optional<decision> parse_decision(const std::string& token, unsigned producers,
                                       unsigned consumers);
// Why parse_decision refused `token`, for the --script message: "there is no
// C3 in this run (threads: P1, C1, C2)", or that it is no decision at all.
std::string decision_problem(const std::string& token, unsigned producers, unsigned consumers);
std::string to_string(const decision& d, unsigned producers);
// The decisions as a --script value: "C1,P1,wake=C2,C1".
std::string schedule_text(const std::vector<decision>& decisions, unsigned producers);

}  // namespace lesson
