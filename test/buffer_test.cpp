// The buffer and its ledger: FIFO order, capacity, and every kind of violation
// the ledger is there to catch, each shown to it directly.
#define BOOST_TEST_MODULE buffer
#include "model/buffer.hpp"

#include <boost/test/unit_test.hpp>

using lesson::bounded_buffer;
using lesson::item;
using lesson::ledger;
using lesson::violation_kind;

BOOST_AUTO_TEST_CASE(items_leave_in_the_order_they_came) {
  bounded_buffer buffer(3, 2, 2);
  BOOST_TEST(!buffer.put(item{0, 1}));
  BOOST_TEST(!buffer.put(item{1, 1}));
  BOOST_TEST(!buffer.put(item{0, 2}));
  BOOST_TEST((buffer.take().taken == item{0, 1}));
  BOOST_TEST(!buffer.put(item{1, 2}));  // wraps around the ring
  BOOST_TEST((buffer.take().taken == item{1, 1}));
  BOOST_TEST((buffer.take().taken == item{0, 2}));
  BOOST_TEST((buffer.take().taken == item{1, 2}));
  BOOST_TEST(buffer.empty());
  BOOST_TEST(buffer.ledger().lost({}).empty());
}

BOOST_AUTO_TEST_CASE(capacity_bounds_the_size) {
  bounded_buffer buffer(2, 1, 3);
  BOOST_TEST(buffer.empty());
  BOOST_TEST(!buffer.put(item{0, 1}));
  BOOST_TEST(!buffer.full());
  BOOST_TEST(!buffer.put(item{0, 2}));
  BOOST_TEST(buffer.full());
  BOOST_TEST(buffer.size() == 2u);
  BOOST_TEST(buffer.capacity() == 2u);
}

BOOST_AUTO_TEST_CASE(taking_from_an_empty_buffer_is_an_underflow) {
  bounded_buffer buffer(1, 1, 1);
  const auto result = buffer.take();
  BOOST_TEST(!result.taken);
  BOOST_TEST((result.violation == violation_kind::underflow));
  BOOST_TEST(buffer.empty());
}

BOOST_AUTO_TEST_CASE(putting_into_a_full_buffer_is_an_overflow_and_stores_nothing) {
  bounded_buffer buffer(1, 1, 2);
  BOOST_TEST(!buffer.put(item{0, 1}));
  BOOST_TEST((buffer.put(item{0, 2}) == violation_kind::overflow));
  BOOST_TEST(buffer.size() == 1u);
  BOOST_TEST((buffer.take().taken == item{0, 1}));
  BOOST_TEST(buffer.ledger().puts() == 1u);
}

BOOST_AUTO_TEST_CASE(an_item_no_producer_made_is_unknown) {
  ledger book(1, 2);
  BOOST_TEST((book.on_put(item{1, 1}) == violation_kind::unknown_item));   // no P2
  BOOST_TEST((book.on_put(item{0, 3}) == violation_kind::unknown_item));   // P1 makes 2
  BOOST_TEST((book.on_take(item{0, 1}) == violation_kind::unknown_item));  // never put
}

BOOST_AUTO_TEST_CASE(an_item_put_or_taken_twice_is_a_duplicate) {
  ledger book(1, 2);
  BOOST_TEST(!book.on_put(item{0, 1}));
  BOOST_TEST((book.on_put(item{0, 1}) == violation_kind::duplicate));
  BOOST_TEST(!book.on_take(item{0, 1}));
  BOOST_TEST((book.on_take(item{0, 1}) == violation_kind::duplicate));
}

BOOST_AUTO_TEST_CASE(a_producers_items_taken_out_of_order_break_fifo) {
  ledger book(2, 2);
  BOOST_TEST(!book.on_put(item{0, 1}));
  BOOST_TEST(!book.on_put(item{0, 2}));
  BOOST_TEST(!book.on_put(item{1, 1}));
  BOOST_TEST(!book.on_take(item{1, 1}));  // another producer's items may interleave
  BOOST_TEST((book.on_take(item{0, 2}) == violation_kind::out_of_order));
}

BOOST_AUTO_TEST_CASE(an_item_neither_taken_nor_left_in_the_buffer_is_lost) {
  ledger book(1, 3);
  BOOST_TEST(!book.on_put(item{0, 1}));
  BOOST_TEST(!book.on_put(item{0, 2}));
  BOOST_TEST(!book.on_put(item{0, 3}));
  BOOST_TEST(!book.on_take(item{0, 1}));
  const auto lost = book.lost({item{0, 3}});
  BOOST_TEST_REQUIRE(lost.size() == 1u);
  BOOST_TEST((lost.front() == item{0, 2}));
}

// A correct run keeps two counts per producer; the first put or take out of
// sequence switches the ledger to a state per item, which must agree with them.
BOOST_AUTO_TEST_CASE(a_put_ahead_of_its_sequence_keeps_every_check) {
  ledger book(1, 3);
  BOOST_TEST((book.on_take(item{0, 1}) == violation_kind::unknown_item));  // nothing put yet
  BOOST_TEST(!book.on_put(item{0, 2}));  // ahead: the ledger itemizes
  BOOST_TEST((book.on_put(item{0, 2}) == violation_kind::duplicate));
  BOOST_TEST(!book.on_put(item{0, 1}));
  BOOST_TEST(!book.on_take(item{0, 1}));
  BOOST_TEST((book.on_take(item{0, 1}) == violation_kind::duplicate));
  BOOST_TEST((book.on_take(item{0, 3}) == violation_kind::unknown_item));  // never put
  BOOST_TEST(!book.on_take(item{0, 2}));
  BOOST_TEST(book.lost({}).empty());
  BOOST_TEST(book.puts() == 2u);
}

BOOST_AUTO_TEST_CASE(a_take_out_of_order_keeps_every_later_check) {
  ledger book(2, 3);
  for (std::uint32_t sequence = 1; sequence <= 3; ++sequence) {
    BOOST_TEST(!book.on_put(item{0, sequence}));
  }
  BOOST_TEST(!book.on_put(item{1, 1}));
  BOOST_TEST(!book.on_take(item{0, 1}));
  BOOST_TEST((book.on_take(item{0, 3}) == violation_kind::out_of_order));  // itemizes
  BOOST_TEST((book.on_take(item{0, 3}) == violation_kind::duplicate));
  BOOST_TEST((book.on_take(item{0, 1}) == violation_kind::duplicate));
  BOOST_TEST((book.on_take(item{0, 2}) == violation_kind::out_of_order));  // 4 expected now
  BOOST_TEST((book.on_take(item{1, 2}) == violation_kind::unknown_item));
  BOOST_TEST(book.puts() == 4u);  // made in sequence, before the switch
  BOOST_TEST(!book.on_put(item{1, 3}));
  BOOST_TEST(book.puts() == 5u);  // and one after it
  const auto lost = book.lost({});
  BOOST_TEST_REQUIRE(lost.size() == 2u);
  BOOST_TEST((lost.front() == item{1, 1}));
  BOOST_TEST((lost.back() == item{1, 3}));
}

BOOST_AUTO_TEST_CASE(items_are_named_by_producer_and_sequence) {
  BOOST_TEST(lesson::describe(item{0, 3}) == "P1#3");
  BOOST_TEST(lesson::to_string(violation_kind::underflow) == std::string("underflow"));
}
