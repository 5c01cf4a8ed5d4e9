// The lessons, one per file in this folder, in the order they are taught.
#pragma once

#include <span>
#include <string_view>

#include "run.hpp"

namespace lessons {

extern const lesson::definition cookbook;             // 01_cookbook
extern const lesson::definition if_wait_bug;          // 02_if_wait_bug
extern const lesson::definition while_wait_fix;       // 03_while_wait_fix
extern const lesson::definition notify_one_deadlock;  // 04_notify_one_deadlock
extern const lesson::definition notify_all;           // 05_notify_all
extern const lesson::definition two_conditions;       // 06_two_conditions
extern const lesson::definition predicate_wait;
extern const lesson::definition waiter_count;  // 07_predicate_wait

// Every lesson, in order, for the tools that run them all.
std::span<const lesson::definition* const> all();
// A lesson by its executable name or number: "02_if_wait_bug" or "02".
const lesson::definition* find(std::string_view name);

}  // namespace lessons
