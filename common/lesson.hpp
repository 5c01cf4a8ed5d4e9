// What a lesson file includes. A lesson is a struct with two step functions,
//
//   static void produce(auto& s);   // put one item
//   static void consume(auto& s);   // take one item
//
// written against `s.mutex`, `s.items` and the conditions below, exactly as
// code with a Boost mutex and condition variable is written. The harness runs
// the steps on P1..Pn and C1..Cn and compiles them twice:
//
// - free runs: a `boost::mutex` that knows its holder, and
//   `boost::condition_variable`;
// - observed runs (--script, and traces that show the lock): a lockable around
//   a real `boost::mutex` that reports each lock and unlock, and a condition
//   whose waiters each sleep in a `boost::condition_variable_any` of their
//   own; the scheduler (scheduler.hpp) decides who takes the lock and whom a
//   notify wakes, from the script and then by default.
//
// Both wrap the condition to count: who waits, who wakes, who notifies.
#pragma once

#include <atomic>
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/exceptions.hpp>
#include <boost/thread/mutex.hpp>
#include <boost/thread/thread.hpp>
#include <cstddef>
#include <optional>
#include <source_location>
#include <type_traits>
#include <utility>

#include "engine/owned_mutex.hpp"
#include "engine/race_detectors.hpp"
#include "engine/run.hpp"
#include "model/buffer.hpp"
#include "scenarios.hpp"

namespace lesson {

// A condition that reports each wait, wakeup and notify. `Condition` is
// boost::condition_variable in free runs, where Boost and the OS choose whom a
// notify_one wakes; in observed runs it is observed_rooms, and the scheduler
// chooses.
template <class Condition>
class watched_condition {
 public:
  watched_condition(run_context& context, const char* name)
      : context_(context), record_(name, context.cast().names.size()) {}

  // `site` is the lesson's line that waits: where the thread is in its code.
  template <class Lock>
  void wait(Lock& lock, std::source_location site = std::source_location::current()) {
    wait_at(lock, site);
  }

  // Boost's own predicate wait is this loop; writing it here lets every
  // futile wakeup inside it be counted.
  template <class Lock, class Predicate>
  void wait(Lock& lock, Predicate ready,
            std::source_location site = std::source_location::current()) {
    while (!ready()) {
      wait_at(lock, site);
    }
  }

  void notify_one(std::source_location site = std::source_location::current()) {
    notify(false, site);
  }
  void notify_all(std::source_location site = std::source_location::current()) {
    notify(true, site);
  }

 private:
  template <class Lock>
  void wait_at(Lock& lock, const std::source_location& site) {
    worker& me = worker::current();
    if (!lock.owns_lock()) {
      // What Boost's own wait says of a lock that was let go: nothing is lent.
      me.site = site;
      boost::throw_exception(
          boost::lock_error(static_cast<int>(boost::system::errc::operation_not_permitted),
                            "wait() on a lock that is not held"));
    }
    context_.at_point(me, point_kind::signal, site);
    me.wait_site = site;
    context_.on_wait(me, record_);
    {
      const waiting_guard waiting(me, record_.name);
      wait_released(me, lock);  // releases the lock while it waits, holds it again on return
    }
    context_.on_woke(me, record_);
  }

  // Observed: the waiter sleeps in its own room until the scheduler has woken
  // it; a room the OS wakes unasked sleeps again.
  template <class Lock>
  void wait_released(worker& me, Lock& lock) {
    boost::condition_variable_any& room = context_.room(me);
    do {
      room.wait(lock);
    } while (!context_.may_wake(me));
  }
  void wait_released(worker& /*me*/, boost::unique_lock<owned_mutex>& lock) {
    owned_mutex::lent_to_wait lent(*lock.mutex());
    condition_.wait(lent.lock());
  }

  void notify(bool all, const std::source_location& site) {
    worker& me = worker::current();
    context_.at_point(me, point_kind::signal, site);
    if constexpr (std::is_same_v<Condition, boost::condition_variable>) {
      // A free run records under the lesson's lock: a notify made without it
      // goes first, for the record would wait for the lock and so come after
      // a wait the notify itself misses (lesson 09). Its record may then
      // count a thread that began to wait in between as notified.
      if (!context_.holds_lock(me)) {
        all ? condition_.notify_all() : condition_.notify_one();
        context_.on_notify(me, record_, all);
        return;
      }
      context_.on_notify(me, record_, all);
      all ? condition_.notify_all() : condition_.notify_one();
    } else {
      context_.on_notify(me, record_, all);  // wakes the room the scheduler chose
    }
  }

  // Marks the worker as inside wait(), also when an interruption ends the wait.
  struct waiting_guard {
    waiting_guard(worker& me, const char* condition) : me_(me) {
      me_.inside_wait = true;
      me_.waiting_on.store(condition);
      me_.state.store(thread_state::waiting);
    }
    ~waiting_guard() {
      me_.state.store(thread_state::running);
      me_.waiting_on.store(nullptr);
      me_.inside_wait = false;
    }
    waiting_guard(const waiting_guard&) = delete;
    waiting_guard& operator=(const waiting_guard&) = delete;
    worker& me_;
  };

  run_context& context_;
  condition_record record_;
  Condition condition_;
};

// A flag the steps share, such as `done` (lessons 09, 10): a
// std::atomic<bool> whose load and store are points of an observed run, and
// whose store of true is recorded as the close.
class watched_flag {
 public:
  explicit watched_flag(run_context& context) : context_(context) {}
  bool load(std::source_location site = std::source_location::current()) const {
    if (!context_.observed()) {
      return value_.load();
    }
    worker& me = worker::current();
    context_.at_point(me, point_kind::signal, site);
    const bool value = value_.load();
    context_.on_flag_read(me, value);
    return value;
  }
  void store(bool value, std::source_location site = std::source_location::current()) {
    worker& me = worker::current();
    context_.at_point(me, point_kind::signal, site);
    value_.store(value);
    if (value) {
      context_.on_close(me);
    }
  }
  const std::atomic<bool>& value() const { return value_; }

 private:
  run_context& context_;
  std::atomic<bool> value_{false};
};

// Observed runs keep no condition variable of the lesson's own: each waiter
// sleeps in its room (scheduler.hpp), a boost::condition_variable_any.
struct observed_rooms {};

// A lockable around a boost::mutex that reports each lock and unlock, and
// lets the scheduler decide who takes it. Boost's condition_variable_any lets
// it go and takes it back through these inside wait().
class observed_mutex {
 public:
  explicit observed_mutex(run_context& context) : context_(context) {
    ignored_by_race_detectors(holder_);  // each thread reads only its own mark: no race
  }
  void lock() {
    worker& me = worker::current();
    if (holder_.load(std::memory_order_relaxed) == &me) {
      throw_lock_taken_again();
    }
    if (!me.inside_wait) {
      ++me.asks_in_step;
    }
    context_.await_turn(me);
    mutex_.lock();
    holder_.store(&me, std::memory_order_relaxed);
  }
  void unlock() {
    worker& me = worker::current();
    me.claim_next_take();
    context_.unlocking(me);
    holder_.store(nullptr, std::memory_order_relaxed);
    mutex_.unlock();
    context_.unlocked(me);
  }

 private:
  run_context& context_;
  boost::mutex mutex_;
  // Who holds mutex_: only the holder can see itself here (it sets the mark
  // after it locks and clears it before it unlocks), also when the run is
  // stopping and the scheduler no longer keeps count.
  std::atomic<const worker*> holder_{nullptr};
};

struct free_sync {
  using mutex = owned_mutex;
  using condition = watched_condition<boost::condition_variable>;
};

struct observed_sync {
  using mutex = observed_mutex;
  using condition = watched_condition<observed_rooms>;
};

// The shared state a design declares for itself. Beside what `shared` below
// offers, a steps struct may declare fields of its own,
//
//   struct fields {
//     lesson::condition space{"space"};  // a condition, named for the reports
//     lesson::counter sleepers;          // a number, guarded by s.mutex
//     lesson::flag closing;              // true or false, read and set anywhere
//   };
//
// and its steps use s.space, s.sleepers and s.closing. explore knows a run by
// its state, and these fields are part of it. A field of any other type (an
// int, a bool, a boost::condition_variable) would be state it cannot see: it
// could take two runs that differ there for one and miss a bug. Such a
// `fields` does not compile (only_watched_fields, below).

// The run whose shared state is being made, for the fields to report to:
// run_steps names it while the run lasts. Throws std::logic_error elsewhere.
run_context& run_being_made();
class making_run {
 public:
  explicit making_run(run_context& context);
  ~making_run();
  making_run(const making_run&) = delete;
  making_run& operator=(const making_run&) = delete;

 private:
  run_context* before_;
};

// A condition variable of the design's own, written as lesson 06's are:
// wait(lock), wait(lock, predicate), notify_one(), notify_all().
class condition {
 public:
  explicit condition(const char* name);
  condition(const condition&) = delete;
  condition& operator=(const condition&) = delete;

  template <class Lock>
  void wait(Lock& lock, std::source_location site = std::source_location::current()) {
    if constexpr (std::is_same_v<Lock, boost::unique_lock<owned_mutex>>) {
      free_->wait(lock, site);
    } else {
      observed_->wait(lock, site);
    }
  }
  template <class Lock, class Predicate>
  void wait(Lock& lock, Predicate ready,
            std::source_location site = std::source_location::current()) {
    while (!ready()) {
      wait(lock, site);
    }
  }
  void notify_one(std::source_location site = std::source_location::current()) {
    free_ ? free_->notify_one(site) : observed_->notify_one(site);
  }
  void notify_all(std::source_location site = std::source_location::current()) {
    free_ ? free_->notify_all(site) : observed_->notify_all(site);
  }

 private:
  // One of the two, as the run is free or observed.
  std::optional<watched_condition<boost::condition_variable>> free_;
  std::optional<watched_condition<observed_rooms>> observed_;
};

// A whole number the steps share, such as a count of waiters: read and
// changed as an `int` is, under s.mutex.
class counter {
 public:
  counter();
  counter(const counter&) = delete;
  counter& operator=(const counter&) = delete;

  operator long() const { return value_; }  // NOLINT(google-explicit-constructor): read as a number
  counter& operator=(long value) {
    value_ = value;
    return *this;
  }
  counter& operator++() { return *this = value_ + 1; }
  counter& operator--() { return *this = value_ - 1; }
  long operator++(int) { return std::exchange(value_, value_ + 1); }
  long operator--(int) { return std::exchange(value_, value_ - 1); }
  counter& operator+=(long n) { return *this = value_ + n; }
  counter& operator-=(long n) { return *this = value_ - n; }

 private:
  long value_ = 0;
};

// A true-or-false the steps share, which a step may read or set without the
// lock, as a std::atomic<bool>: each load and store is a point of an observed
// run, where another thread may move first.
class flag {
 public:
  flag();
  flag(const flag&) = delete;
  flag& operator=(const flag&) = delete;
  bool load(std::source_location site = std::source_location::current()) const;
  void store(bool value, std::source_location site = std::source_location::current());

 private:
  run_context& context_;
  std::atomic<bool> value_{false};
};

namespace field_check {

// Stand-ins for a field's value, used only where nothing runs (in requires):
// one that becomes anything, and one that becomes a watched field only.
struct any_value {
  template <class T>
  operator T() const;  // NOLINT(google-explicit-constructor)
};
template <class T>
concept watched =
    std::is_same_v<T, condition> || std::is_same_v<T, counter> || std::is_same_v<T, flag>;
struct watched_value {
  template <watched T>
  operator T() const;  // NOLINT(google-explicit-constructor)
};

template <class Fields, class Value, std::size_t... Index>
constexpr bool made_of(std::index_sequence<Index...> /*fields*/) {
  return requires {
    Fields{(static_cast<void>(Index), Value{})...};
  };
}
// How many fields an aggregate has: the most values it can be made of.
template <class Fields, std::size_t Known = 0>
constexpr std::size_t count() {
  if constexpr (Known < 64 && made_of<Fields, any_value>(std::make_index_sequence<Known + 1>{})) {
    return count<Fields, Known + 1>();
  } else {
    return Known;
  }
}

}  // namespace field_check

// A design's fields are all conditions, counters and flags: explore sees them all.
template <class Fields>
concept only_watched_fields = std::is_aggregate_v<Fields> &&
    field_check::made_of<Fields, field_check::watched_value>(
        std::make_index_sequence<field_check::count<Fields>()>{});

struct no_fields {};
// The steps struct's own `fields`, or none.
template <class Lesson>
struct fields_of {
  using type = no_fields;
};
template <class Lesson>
requires requires {
  typename Lesson::fields;
}
struct fields_of<Lesson> {
  using type = typename Lesson::fields;
};

// The buffer as a lesson sees it: the checked FIFO of buffer.hpp, filled with
// the calling producer's items, reporting each put and take. Each call is a
// point of an observed run (`site`: the lesson's line that made it).
//
// It also notices a second thread coming in while one is inside, which only
// a caller without the lesson's lock can do (lesson 12): that thread reports
// the violation and leaves without touching the storage. The one inside
// goes on unguarded; that is the data race a race detector reports.
class tracked_buffer {
 public:
  explicit tracked_buffer(run_context& context);
  bool full(std::source_location site = std::source_location::current()) const {
    return checked(true, site);
  }
  bool empty(std::source_location site = std::source_location::current()) const {
    return checked(false, site);
  }
  std::size_t size() const { return buffer_.size(); }
  // The calling producer's next item.
  void put(std::source_location site = std::source_location::current());
  // The oldest item.
  void take(std::source_location site = std::source_location::current());

 private:
  bool checked(bool checked_full, const std::source_location& site) const;
  // `move(worker&)` puts or takes, returning the item moved or the violation.
  template <class Move>
  void moving(const std::source_location& site, const Move& move);
  // Marks `me` inside; false, the violation reported, when another thread is.
  bool enter(worker& me, bool unlocked, const std::source_location& site);
  void leave() { inside_.fetch_sub(1, std::memory_order_relaxed); }

  run_context& context_;
  // What every put and take writes, on one cache line with the buffer's own
  // head, tail and size (its first fields): the line moves from one side's
  // core to the other's with the lesson's lock, and only this one line.
  // size_seen_: for the watchdog, which reads it without the lock.
  alignas(64) std::atomic<std::size_t> size_seen_{0};
  std::atomic<unsigned> inside_{0};  // threads in put() or take()
  std::atomic<int> last_in_{-1};     // the worker that came in last
  bounded_buffer buffer_;
};

// What the steps share. Lessons 01-05 use one `condition` for both sides, as
// the recipe does; from 06 on, `not_full` and `not_empty`; 08 also counts the
// threads that wait on each, guarded by the mutex like everything else here.
// `Fields`: the design's own (above), made first.
template <class Sync, class Fields = no_fields>
struct shared : Fields {
  explicit shared(run_context& context)
      : Fields(),
        mutex(make_mutex(context)),
        items(context),
        condition(context, "condition"),
        not_full(context, "not_full"),
        not_empty(context, "not_empty"),
        done(context) {
    if constexpr (std::is_same_v<typename Sync::mutex, owned_mutex>) {
      context.attach_lock(mutex);
    }
  }

  typename Sync::mutex mutex;
  tracked_buffer items;
  typename Sync::condition condition;
  typename Sync::condition not_full;
  typename Sync::condition not_empty;
  unsigned producers_waiting = 0;  // on not_full, and not yet notified
  unsigned consumers_waiting = 0;  // on not_empty, and not yet notified
  watched_flag done;               // no more items will come (lessons 09, 10)

  // The fields above that a lesson's steps keep, beside the buffer: part of
  // an explored run's state: a field added above is read here too.
  void read_fields(std::vector<std::uint64_t>& state) const {
    state.push_back(producers_waiting);
    state.push_back(consumers_waiting);
    state.push_back(done.value().load() ? 1 : 0);
  }

 private:
  static typename Sync::mutex make_mutex(run_context& context) {
    if constexpr (std::is_constructible_v<typename Sync::mutex, run_context&>) {
      return typename Sync::mutex(context);
    } else {
      return {};
    }
  }
};

// A lesson that closes the buffer (09, 10) has a third step,
//   static void close(auto& s);    // no more items will come
// which the last producer runs after its last item; its consume() returns
// false once the buffer is closed and empty, and each consumer steps until then.
template <class Lesson, class Shared>
concept closes = requires(Shared& s) {
  Lesson::close(s);
};

template <class Lesson, class Sync>
void run_steps(run_context& context) {
  using fields = typename fields_of<Lesson>::type;
  static_assert(only_watched_fields<fields>,
                "every field of a steps struct's `fields` must be a lesson::condition, "
                "lesson::counter or lesson::flag: explore sees only those, and state it "
                "cannot see could hide a bug (docs/students.md)");
  const making_run making(context);
  shared<Sync, fields> s(context);
  context.read_fields_with([&s](std::vector<std::uint64_t>& state) { s.read_fields(state); });
  if constexpr (closes<Lesson, shared<Sync, fields>>) {
    context.consume_until_closed(s.done.value());
  }
  context.run([&s, &context](worker& me) {
    while (context.next_step(me)) {
      if (me.role == role::producer) {
        Lesson::produce(s);
        if constexpr (closes<Lesson, shared<Sync, fields>>) {
          if (context.last_producer_finished(me) && !context.stopping()) {
            me.closing = true;
            me.begin_step();
            Lesson::close(s);
          }
        }
      } else if constexpr (closes<Lesson, shared<Sync, fields>>) {
        if (!Lesson::consume(s)) {
          return;
        }
      } else {
        Lesson::consume(s);
      }
    }
  });
}

template <class Lesson>
definition define(definition d, std::source_location where = std::source_location::current()) {
  d.file = where.file_name();
  d.run_free = &run_steps<Lesson, free_sync>;
  d.run_observed = &run_steps<Lesson, observed_sync>;
  d.closes = closes<Lesson, shared<observed_sync, typename fields_of<Lesson>::type>>;
  return d;
}

}  // namespace lesson
