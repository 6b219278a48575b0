// A session's flow control, tested without actors: when it falls behind,
// when it reads again, and how much it fetches.

#include <catch2/catch.hpp>

#include "actors/session/flow_control.hpp"

using kurir::flow_control;
using phase = flow_control::phase;

namespace {

/// A window of 10, 4000 bytes of outbound cap, pages of 8.
flow_control make() {
  return flow_control{{10, 4000, 8}};
}

/// Sends `n` deliveries of `bytes` each (ids from `first`, conversation 1).
void send(flow_control& f, int n, std::size_t bytes, int64_t first = 1) {
  for (int i = 0; i < n; ++i) {
    f.window().sent("bob", first + i, 1, first + i);
    f.sent(bytes);
  }
}

} // namespace

TEST_CASE("flow_control derives its thresholds from the limits",
          "[actors][flow_control]") {
  auto f = make();
  CHECK(f.stop_bytes() == 500);     // an eighth of --max-outbound
  CHECK(f.resume_bytes() == 250);   // a sixteenth of it
  CHECK(f.resume_in_flight() == 5); // half the window
  CHECK(f.state() == phase::live);
  CHECK(f.can_send());
}

TEST_CASE("flow_control falls behind on a full window and reads again at half",
          "[actors][flow_control]") {
  auto f = make();
  send(f, 10, 10);
  CHECK_FALSE(f.can_send()); // the window is full
  CHECK_FALSE(f.socket_full());
  f.fell_behind();
  CHECK(f.state() == phase::behind);
  CHECK(f.behind());
  CHECK_FALSE(f.reading());
  f.written(10); // written, but not acknowledged: still full
  CHECK_FALSE(f.ready_to_read());
  f.window().ack_oldest(4); // 6 in flight: above half
  CHECK(f.can_send());
  CHECK_FALSE(f.ready_to_read());
  f.window().ack_oldest(1); // 5 in flight: half
  CHECK(f.ready_to_read());
}

TEST_CASE("flow_control stops a slow reader at an eighth of the outbound cap",
          "[actors][flow_control]") {
  auto f = make();
  send(f, 4, 125);
  CHECK(f.unwritten_bytes() == 500);
  CHECK(f.socket_full());
  CHECK_FALSE(f.can_send());
  f.fell_behind();
  f.window().ack_oldest(4); // the window is empty: only the bytes hold it
  f.written(1);             // 375 unwritten: may send, not yet read
  CHECK(f.can_send());
  CHECK_FALSE(f.ready_to_read());
  f.written(1); // 250: a sixteenth of the cap
  CHECK(f.unwritten_bytes() == 250);
  CHECK(f.ready_to_read());
  f.written(99); // more than were sent: nothing goes negative
  CHECK(f.unwritten_bytes() == 0);
}

TEST_CASE("flow_control resumes at the smallest message not sent",
          "[actors][flow_control]") {
  auto f = make();
  f.restart(false); // a login reads from the very start
  f.begin_read();
  CHECK(f.read_position().conv == 0);
  CHECK(f.read_position().seq == 0);
  CHECK(f.page_read(8, 8, 3, 40)); // a full page: fetch the next
  CHECK(f.read_position().conv == 3);
  CHECK(f.read_position().seq == 40);
  CHECK(f.page_read(2, 8, 4, 2) == false); // a short page: done
  f.end_read();
  CHECK(f.state() == phase::live);
  // Live deliveries not sent, in arrival (not backlog) order.
  f.fell_behind();
  f.unsent(5, 9);
  f.unsent(2, 7);
  f.unsent(4, 1);
  CHECK(f.resume_after().conv == 2);
  CHECK(f.resume_after().seq == 6); // the read starts after seq 6
  f.begin_read();
  CHECK(f.read_position().conv == 2);
  CHECK(f.read_position().seq == 6);
  CHECK(f.resume_after().conv == flow_control::nothing_unsent.conv);
}

TEST_CASE("flow_control ends a read that fills the window behind",
          "[actors][flow_control]") {
  auto f = make();
  f.begin_read();
  CHECK(f.reading());
  CHECK_FALSE(f.ready_to_read()); // not while a read is under way
  f.fell_behind();
  CHECK(f.state() == phase::reading_behind);
  CHECK(f.behind());
  CHECK_FALSE(f.page_read(8, 8, 1, 8)); // a full page, but no more
  f.end_read();
  CHECK(f.state() == phase::behind);
}

TEST_CASE("flow_control reads again from where a failed page started",
          "[actors][flow_control]") {
  auto f = make();
  f.begin_read();
  f.page_read(8, 8, 1, 8);
  f.read_failed();
  f.end_read();
  CHECK(f.state() == phase::behind);
  CHECK(f.resume_after().conv == 1);
  CHECK(f.resume_after().seq == 8);
  CHECK(f.ready_to_read());
  f.restart(false); // a logout forgets it
  CHECK(f.state() == phase::live);
  CHECK(f.resume_after().conv == 0);
}

TEST_CASE("flow_control fetches about as many rows as it can send",
          "[actors][flow_control]") {
  auto f = make();
  CHECK(f.page_rows() == 8); // no size known yet: a full page
  send(f, 7, 10);            // 3 places left in the window
  CHECK(f.page_rows() == 3);
  f.window().ack_oldest(7);
  f.written(7); // average about 10 bytes... but 7 x 10 is tiny
  CHECK(f.page_rows() == 8);
  send(f, 1, 400, 100); // 400 unwritten, average now about 58
  auto avg = f.average_delivery();
  CHECK(avg > 10);
  CHECK(f.page_rows() == (500 - 400) / avg + 1);
  f.window().ack_oldest(1);
  f.written(1);
  send(f, 10, 1, 200); // a full window: still at least one row
  CHECK(f.page_rows() == 1);
}

TEST_CASE("flow_control keeps a seed client's window at logout",
          "[actors][flow_control]") {
  auto f = make();
  send(f, 3, 10);
  f.restart(false); // seed client: written deliveries still count
  CHECK(f.window().in_flight() == 3);
  f.restart(true); // acking client: the acknowledgements will not come
  CHECK(f.window().in_flight() == 0);
}

TEST_CASE("flow_control holds at most a page of live deliveries during a read",
          "[actors][flow_control]") {
  auto f = make();
  CHECK(f.hold_limit() == 8); // one page
  f.begin_read();
  f.page_read(8, 8, 1, 8); // a first page, offered
  f.unsent(3, 5);          // a held live one of a later conversation
  f.held_too_many();
  CHECK(f.state() == phase::reading_behind);
  CHECK_FALSE(f.page_read(8, 8, 2, 4)); // the page under way is the last
  f.end_read();
  CHECK(f.state() == phase::behind);
  // The next read starts where the first page ended, not at the held
  // message: the rest of the backlog before it is read, not skipped.
  CHECK(f.resume_after().conv == 1);
  CHECK(f.resume_after().seq == 8);
}
