// The plain logic behind the actors, tested without actors.

#include <catch2/catch.hpp>

#include "actors/auth/login_throttle.hpp"
#include "actors/directory.hpp"
#include "actors/group/member_list.hpp"
#include "actors/session/delivery_window.hpp"
#include "actors/session/inbox.hpp"
#include "actors/session/reply_queue.hpp"

using kurir::inbox;
using kurir::reply_queue;
using msg = kurir::persistence::stored_message;

namespace {

msg make(int64_t id, int64_t conv, int64_t seq) {
  msg m;
  m.id = id;
  m.conv = conv;
  m.seq = seq;
  return m;
}

} // namespace

namespace {

/// Offers messages to the inbox as a session does; returns the ids sent.
std::vector<int64_t> offer(inbox& box, const std::vector<msg>& xs) {
  std::vector<int64_t> out;
  for (auto& x : xs)
    if (box.fresh(x)) {
      box.mark(x);
      out.push_back(x.id);
    }
  return out;
}

} // namespace

TEST_CASE("inbox lets each sequence through once", "[actors][inbox]") {
  inbox box;
  CHECK(offer(box, box.live(make(1, 7, 1))) == std::vector<int64_t>{1});
  CHECK(offer(box, box.live(make(1, 7, 1))).empty()); // duplicate
  CHECK(offer(box, box.live(make(3, 7, 2))) == std::vector<int64_t>{3});
  CHECK(offer(box, box.live(make(2, 8, 1))) == std::vector<int64_t>{2});
}

TEST_CASE("inbox holds live messages until the backlog is read",
          "[actors][inbox]") {
  inbox box;
  box.begin_backlog();
  // Live deliveries race the backlog read: one overlaps, one is newer.
  CHECK(box.live(make(5, 1, 3)).empty());
  CHECK(box.live(make(6, 1, 4)).empty());
  CHECK(box.held() == 2);
  CHECK(offer(box, {make(2, 1, 1), make(4, 1, 2), make(5, 1, 3)})
        == std::vector<int64_t>{2, 4, 5});
  CHECK(offer(box, box.end_backlog()) == std::vector<int64_t>{6});
  CHECK_FALSE(box.draining());
  CHECK(offer(box, box.live(make(7, 1, 5))) == std::vector<int64_t>{7});
}

TEST_CASE("inbox forgets everything at reset", "[actors][inbox]") {
  inbox box;
  offer(box, box.live(make(1, 1, 1)));
  box.reset();
  CHECK(offer(box, box.live(make(1, 1, 1))) == std::vector<int64_t>{1});
}

TEST_CASE("reply_queue releases replies in command order",
          "[actors][reply_queue]") {
  reply_queue q;
  auto a = q.reserve();
  auto b = q.reserve();
  auto c = q.reserve();
  q.fill(c, "c");
  CHECK(q.take_ready().empty()); // a is not done
  q.fill(a, "a");
  CHECK(q.take_ready() == std::vector<std::string>{"a"});
  q.fill(b, "b");
  CHECK(q.take_ready() == std::vector<std::string>{"b", "c"});
  CHECK(q.empty());
  q.fill(b, "late"); // already taken: ignored
  CHECK(q.take_ready().empty());
}

TEST_CASE("directory maps users to sessions and back", "[actors][registry]") {
  kurir::directory<int> d;
  d.add("alice", 1);
  d.add("alice", 2);
  d.add("bob", 3);
  CHECK(d.find("alice") == std::vector<int>{1, 2});
  CHECK(d.online_users() == 2);
  CHECK(d.remove(1) == "alice");
  CHECK(d.find("alice") == std::vector<int>{2});
  CHECK(d.remove(1).empty()); // gone already
  d.add("carol", 2);          // a session moving users leaves the old one
  CHECK(d.find("alice").empty());
  CHECK(d.user_of(2) == "carol");
  CHECK(d.sessions() == 2);
  CHECK(d.online_users() == 2);
}

TEST_CASE("member_list is sorted and unique", "[actors][group]") {
  kurir::member_list m{{"carol", "alice", "bob", "alice"}};
  CHECK(m.size() == 3);
  CHECK(m.contains("bob"));
  CHECK_FALSE(m.contains("dave"));
  CHECK(m.names() == std::vector<std::string>{"alice", "bob", "carol"});
}

TEST_CASE("delivery_window moves a cursor only over a delivered prefix",
          "[actors][window]") {
  kurir::delivery_window w{3};
  w.sent("bob", 10, 1, 4);
  w.sent("bob", 11, 1, 5);
  w.sent("bob", 12, 2, 1);
  CHECK(w.full());
  auto r = w.ack(11); // out of order: seq 4 is still missing
  REQUIRE(r);
  CHECK(r->empty());
  r = w.ack(10);
  REQUIRE(r);
  REQUIRE(r->size() == 1);
  CHECK((*r)[0].member == "bob");
  CHECK((*r)[0].conv == 1);
  CHECK((*r)[0].seq == 5);
  CHECK(w.in_flight() == 1);
  CHECK_FALSE(w.full());
  CHECK_FALSE(w.ack(10)); // unknown now
  CHECK_FALSE(w.ack(99));
}

TEST_CASE("delivery_window acknowledges the oldest for written deliveries",
          "[actors][window]") {
  kurir::delivery_window w{10};
  w.sent("bob", 1, 1, 1);
  w.sent("bob", 2, 2, 1);
  w.sent("bob", 3, 1, 2);
  auto r = w.ack_oldest(2);
  REQUIRE(r.size() == 2);
  CHECK(r[0].conv == 1);
  CHECK(r[0].seq == 1);
  CHECK(r[1].conv == 2);
  r = w.ack_oldest(5); // more than in flight: the rest
  REQUIRE(r.size() == 1);
  CHECK(r[0].seq == 2);
  CHECK(w.in_flight() == 0);
}

TEST_CASE("delivery_window forgets everything at clear", "[actors][window]") {
  kurir::delivery_window w{2};
  w.sent("bob", 1, 1, 1);
  w.clear();
  CHECK(w.in_flight() == 0);
  CHECK_FALSE(w.ack(1));
  CHECK(w.ack_oldest(1).empty());
}

TEST_CASE("login_throttle locks an account after repeated failures",
          "[actors][auth]") {
  using namespace std::chrono;
  kurir::login_throttle t;
  kurir::login_throttle::time_point now{};
  for (int i = 0; i < 4; ++i) {
    CHECK_FALSE(t.refused("alice", "", now));
    t.failure("alice", "", now);
    now += seconds(1);
  }
  CHECK_FALSE(t.refused("alice", "", now));
  t.failure("alice", "", now); // the fifth within a minute
  CHECK(t.refused("alice", "", now));
  CHECK(t.refused("alice", "", now + seconds(59)));
  CHECK_FALSE(t.refused("bob", "", now)); // others are not affected
  CHECK_FALSE(t.refused("alice", "", now + seconds(61)));
  t.failure("alice", "", now + seconds(61)); // again: the lock doubles
  CHECK(t.refused("alice", "", now + seconds(61 + 119)));
  CHECK_FALSE(t.refused("alice", "", now + seconds(61 + 121)));
  t.success("alice");
  CHECK_FALSE(t.refused("alice", "", now + seconds(61)));
}

TEST_CASE("login_throttle counts failures per address too", "[actors][auth]") {
  kurir::login_throttle::policy p;
  p.max_address_failures = 3;
  kurir::login_throttle t{p};
  kurir::login_throttle::time_point now{};
  for (auto name : {"a", "b", "c"})
    t.failure(name, "10.0.0.1", now);
  CHECK(t.refused("d", "10.0.0.1", now)); // a name never tried before
  CHECK_FALSE(t.refused("d", "10.0.0.2", now));
  CHECK_FALSE(t.refused("d", "", now)); // no address: not counted
}

TEST_CASE("login_throttle stays bounded", "[actors][auth]") {
  kurir::login_throttle::policy p;
  p.max_entries = 100;
  kurir::login_throttle t{p};
  kurir::login_throttle::time_point now{};
  for (int i = 0; i < 1000; ++i)
    t.failure("user" + std::to_string(i), "", now);
  CHECK(t.tracked() <= 100);
}
