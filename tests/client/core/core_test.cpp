// The client core shared by kurir and kurir-sim: frames, reply matching,
// acknowledgements, client ids and resends after a reconnect.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "client/core/acks.hpp"
#include "client/core/frames.hpp"
#include "client/core/outbox.hpp"
#include "client/core/reader.hpp"
#include "client/core/replies.hpp"

using namespace kurir::client_core;

namespace {

/// Splits a buffer of frames at each unescaped `;` (a test's own decoder).
std::vector<std::string> frames_of(const std::string& out) {
  std::vector<std::string> frames;
  std::string cur;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\\' && i + 1 < out.size()) {
      cur += out[i];
      cur += out[++i];
    } else if (out[i] == ';') {
      frames.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += out[i];
    }
  }
  return frames;
}

} // namespace

TEST_CASE("a delivery is split into views with the escapes kept",
          "[client][frames]") {
  std::string raw = "--msg--|7|3|1795801225235|alice|bob|a\\|b\\;c | d";
  auto f = parse_frame(raw);
  CHECK(f.kind == frame_kind::msg);
  REQUIRE(f.count == 7);
  delivery_view d;
  REQUIRE(parse_delivery(f, d));
  CHECK(d.id == 7);
  CHECK(d.seq == 3);
  CHECK(d.ts_ms == 1795801225235);
  CHECK(d.from == "alice");
  CHECK(d.to == "bob");
  CHECK(d.body == "a\\|b\\;c | d"); // the last field takes the rest
  std::string scratch;
  CHECK(unescaped(d.body, scratch) == "a|b;c | d");
  CHECK(f.text(6) == "a|b;c | d");
  // A field without escapes is returned as it is: no copy.
  CHECK(unescaped(d.from, scratch).data() == d.from.data());
}

TEST_CASE("a malformed delivery is refused", "[client][frames]") {
  delivery_view d;
  CHECK_FALSE(parse_delivery(parse_frame("--msg--|7|3|x|alice|bob|hi"), d));
  CHECK_FALSE(parse_delivery(parse_frame("--msg--|7|3|1|alice"), d));
  CHECK_FALSE(parse_delivery(parse_frame("--ok--|7|3|1|alice|bob|hi"), d));
  CHECK(parse_delivery(parse_frame("--hist--|7|3|1|alice|bob|hi"), d));
}

TEST_CASE("replies, errors and pushes are told apart", "[client][replies]") {
  auto role = [](const char* raw) { return role_of(parse_frame(raw)); };
  CHECK(role("--ok--|send|1|1|k-1") == frame_role::reply);
  CHECK(role("--pong--|b1") == frame_role::reply);
  CHECK(role("--error--|no_such_user|no user or group x") == frame_role::reply);
  CHECK(role("--error--|frame_too_large|too long") == frame_role::reply);
  CHECK(role("--error--|bad_request|not awaiting acknowledgement: 9")
        == frame_role::ack_refused);
  CHECK(role("--error--|bad_request|send to oneself") == frame_role::reply);
  CHECK(role("--error--|idle_timeout|silent") == frame_role::closing);
  CHECK(role("--msg--|1|1|1|a|b|hi") == frame_role::push);
  CHECK(role("--presence--|bob|online") == frame_role::push);
  CHECK(role("--group--|team|added|alice") == frame_role::push);
  CHECK(parse_frame("--group--|team|removed|bob").count == 4);
  CHECK(role("--ping--|kurird") == frame_role::push);
  CHECK(role("--what--|x") == frame_role::unknown);
  // An error's text keeps its `|`; a pong's token takes the rest.
  CHECK(parse_frame("--error--|bad_request|a|b").field(2) == "a|b");
  CHECK(parse_frame("--pong--|x|y").field(1) == "x|y");
}

TEST_CASE("replies are matched to commands in order, with stamps",
          "[client][replies]") {
  reply_queue<std::string> q;
  CHECK(q.push("hello") == 0);
  CHECK(q.push("login") == 1);
  CHECK(q.next_stamp() == 2);
  auto first = q.pop();
  CHECK(first.what == "hello");
  CHECK(first.stamp == 0);
  CHECK(q.push("send") == 2);
  auto left = q.take_all(); // the connection ended
  REQUIRE(left.size() == 2);
  CHECK(left[0].what == "login");
  CHECK(left[1].what == "send");
  CHECK(q.empty());
  CHECK(q.push("hello") == 3); // stamps keep growing across connections
}

TEST_CASE("acks are batched 1024 to a frame", "[client][acks]") {
  ack_book book;
  for (int64_t id = 1; id <= 1500; ++id)
    book.add(id);
  std::string out;
  CHECK(book.write(out, 0) == 1500);
  auto frames = frames_of(out);
  REQUIRE(frames.size() == 2);
  CHECK(parse_frame(frames[0]).count == max_fields); // split no further
  CHECK(frames[0].rfind("--ack--|1|2|", 0) == 0);
  CHECK(frames[1].rfind("--ack--|1025|", 0) == 0);
  CHECK(book.queued() == 0);
  CHECK(book.unproven() == 0); // not tracking
  out.clear();
  CHECK(book.write(out, 1) == 0);
  CHECK(out.empty());
}

TEST_CASE("an ack is processed once a later command is answered and "
          "committed once a later send is confirmed",
          "[client][acks]") {
  ack_book book{true};
  reply_queue<int> q;
  q.push(1); // a send written before the ack
  book.add(10);
  book.add(11);
  std::string out;
  book.write(out, q.next_stamp());
  CHECK(out == "--ack--|10|11;");
  q.push(2); // a read written after the ack
  q.push(3); // a send written after the ack
  std::vector<int64_t> processed, durable;
  auto on_processed = [&](const std::vector<int64_t>& ids) {
    processed.insert(processed.end(), ids.begin(), ids.end());
  };
  auto on_durable = [&](const std::vector<int64_t>& ids) {
    durable.insert(durable.end(), ids.begin(), ids.end());
  };
  auto e = q.pop(); // the earlier send: says nothing about the ack
  book.answered(e.stamp, true, on_processed, on_durable);
  CHECK(processed.empty());
  e = q.pop(); // the read: the ack was processed, not yet committed
  book.answered(e.stamp, false, on_processed, on_durable);
  CHECK(processed == std::vector<int64_t>{10, 11});
  CHECK(durable.empty());
  e = q.pop(); // the later send's confirmation: committed with it
  book.answered(e.stamp, true, on_processed, on_durable);
  CHECK(durable == std::vector<int64_t>{10, 11});
  CHECK(book.take_uncommitted().empty());
}

TEST_CASE("acks not proven processed are forgotten with the connection, and "
          "uncommitted ones are handed back after a restart",
          "[client][acks]") {
  ack_book book{true};
  std::string out;
  book.add(1);
  book.write(out, 5);
  book.answered(
    5, false, [](const auto&) {}, [](const auto&) {});
  book.add(2);
  book.write(out, 6);
  book.add(3); // queued, never written
  book.connection_lost();
  CHECK(book.queued() == 0);
  CHECK(book.unproven() == 0);
  auto back = book.take_uncommitted();
  REQUIRE(back.size() == 1);
  CHECK(back[0].ids == std::vector<int64_t>{1});
}

TEST_CASE("a send carries its client id and goes again with the same one "
          "after a reconnect",
          "[client][outbox]") {
  outbox box{"k7e-"};
  auto a = box.add("bob", "hi; bob");
  auto b = box.add("team", "all|of you");
  CHECK(a == 1);
  CHECK(b == 2);
  std::string first;
  box.write(a, 1, first);
  box.write(b, 1, first);
  CHECK(first
        == "--send--|k7e-1|bob|hi\\; bob;--send--|k7e-2|team|all\\|of you;");
  CHECK(box.is_client_id(b, "k7e-2"));
  CHECK_FALSE(box.is_client_id(b, "k7e-1"));
  CHECK_FALSE(box.is_client_id(b, "x-2"));
  CHECK(box.settle(a)); // confirmed on connection 1
  CHECK_FALSE(box.settle(a));
  auto c = box.add("bob", "later"); // made while offline
  // Connection 2: everything unanswered goes, oldest first, same ids.
  std::string again;
  std::vector<int64_t> order;
  box.for_each_unwritten(2, [&](int64_t n) {
    order.push_back(n);
    box.write(n, 2, again);
  });
  CHECK(order == std::vector<int64_t>{b, c});
  CHECK(again == "--send--|k7e-2|team|all\\|of you;--send--|k7e-3|bob|later;");
  std::vector<int64_t> none;
  box.for_each_unwritten(2, [&](int64_t n) { none.push_back(n); });
  CHECK(none.empty()); // already written on this connection
  CHECK(box.size() == 2);
  REQUIRE(box.find(c) != nullptr);
  CHECK(box.find(c)->target == "bob");
  CHECK(box.client_id(c) == "k7e-3");
}

TEST_CASE("commands are written with their fields escaped",
          "[client][frames]") {
  std::string out;
  put_hello(out);
  put_register(out, "alice", "pa|ss");
  put_login(out, "alice", "pa;ss");
  put_send(out, "1", "bob", "a\\b");
  put_ping(out, "end-1");
  put_pong(out, "kur\\|ird");
  put_pong(out, "");
  put_logout(out);
  CHECK(out
        == "--hello--|3|ack;--register--|alice|pa\\|ss;"
           "--login--|alice|pa\\;ss;--send--|1|bob|a\\\\b;--ping--|end-1;"
           "--pong--|kur\\|ird;--pong--;--logout--;");
  int64_t x = 0;
  CHECK(to_int("-12", x));
  CHECK(x == -12);
  CHECK_FALSE(to_int("12x", x));
  CHECK_FALSE(to_int("", x));
}

TEST_CASE("the reader hands out frames as views across chunks",
          "[client][frames]") {
  kurir::client_core::frame_reader r{16};
  r.append("  --ok--|a\\;b;\r\n--pi");
  std::string_view f;
  REQUIRE(r.next(f));
  CHECK(f == "--ok--|a\\;b"); // the escaped `;` does not end it
  CHECK_FALSE(r.next(f));     // half a frame
  r.append("ng--|x\\");
  CHECK_FALSE(r.next(f)); // a backslash at the end escapes what comes next
  r.append(";y;");
  REQUIRE(r.next(f));
  CHECK(f == "--ping--|x\\;y");
  CHECK_FALSE(r.next(f));
  CHECK_FALSE(r.failed());
  r.append("0123456789abcdefg"); // 17 bytes, no end yet: over the limit
  CHECK_FALSE(r.next(f));
  CHECK(r.failed());
  r.clear();
  r.append("--pong--;");
  REQUIRE(r.next(f));
  CHECK(f == "--pong--");
}
