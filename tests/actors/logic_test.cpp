// The plain logic behind the actors, tested without actors.

#include <catch2/catch.hpp>

#include "actors/group/group_actor.hpp"
#include "actors/registry/directory.hpp"
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

std::vector<int64_t> ids(const std::vector<msg>& xs) {
  std::vector<int64_t> out;
  for (auto& x : xs)
    out.push_back(x.id);
  return out;
}

} // namespace

TEST_CASE("inbox passes live messages through once per sequence",
          "[actors][inbox]") {
  inbox box;
  CHECK(ids(box.live(make(1, 7, 1))) == std::vector<int64_t>{1});
  CHECK(ids(box.live(make(1, 7, 1))).empty()); // duplicate
  CHECK(ids(box.live(make(3, 7, 2))) == std::vector<int64_t>{3});
  CHECK(ids(box.live(make(2, 8, 1))) == std::vector<int64_t>{2}); // other conv
}

TEST_CASE("inbox holds live messages until the backlog is read",
          "[actors][inbox]") {
  inbox box;
  box.begin_backlog();
  // Live deliveries race the backlog read: one overlaps, one is newer.
  CHECK(box.live(make(5, 1, 3)).empty());
  CHECK(box.live(make(6, 1, 4)).empty());
  CHECK(box.held() == 2);
  CHECK(ids(box.backlog({make(2, 1, 1), make(4, 1, 2), make(5, 1, 3)}))
        == std::vector<int64_t>{2, 4, 5});
  CHECK(ids(box.end_backlog()) == std::vector<int64_t>{6});
  CHECK_FALSE(box.draining());
  CHECK(ids(box.live(make(7, 1, 5))) == std::vector<int64_t>{7});
}

TEST_CASE("inbox forgets everything at reset", "[actors][inbox]") {
  inbox box;
  box.live(make(1, 1, 1));
  box.reset();
  CHECK(ids(box.live(make(1, 1, 1))) == std::vector<int64_t>{1});
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

TEST_CASE("member_list leaves out the sender", "[actors][group]") {
  kurir::member_list m{{"carol", "alice", "bob", "alice"}};
  CHECK(m.size() == 3);
  CHECK(m.contains("bob"));
  CHECK_FALSE(m.contains("dave"));
  CHECK(m.recipients("alice") == std::vector<std::string>{"bob", "carol"});
  CHECK(m.recipients("dave")
        == std::vector<std::string>{"alice", "bob", "carol"});
}
