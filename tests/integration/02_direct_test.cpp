// Direct messages online and offline: the seed's step 4 for a user target.

#include <catch2/catch.hpp>

#include "tests/support/harness.hpp"

using namespace kurir::test;

namespace {

/// Checks a delivery frame's from, to and body; returns its fields.
std::vector<std::string> check_msg(const std::string& frame,
                                   const std::string& from,
                                   const std::string& to,
                                   const std::string& body) {
  auto f = fields(frame);
  REQUIRE(f.size() == 7);
  CHECK(f[0] == "--msg--");
  CHECK(f[4] == from);
  CHECK(f[5] == to);
  CHECK(f[6] == body);
  return f;
}

} // namespace

TEST_CASE_METHOD(two_users, "a direct message reaches an online user at once",
                 "[integration]") {
  auto r = alice.call("bob|hello");
  REQUIRE(r.size() == 1);
  auto ok = fields(r[0]);
  REQUIRE(ok.size() == 4);
  CHECK(ok[0] == "--ok--");
  CHECK(ok[1] == "send");
  CHECK(ok[3] == "1"); // first in this conversation
  auto got = bob.next();
  auto m = check_msg(got, "alice", "bob", "hello");
  CHECK(m[1] == ok[2]); // the confirmed message id
  // The sender's session gets the confirmation, never a copy.
  CHECK(alice.barrier().empty());
}

TEST_CASE_METHOD(two_users,
                 "a body keeps bars and escaped semicolons and backslashes",
                 "[integration]") {
  alice.call("bob|a|b\\;c\\\\d')\\; DROP TABLE users");
  check_msg(bob.next(), "alice", "bob", "a|b;c\\d'); DROP TABLE users");
  CHECK(bob.barrier().empty());
}

TEST_CASE("messages for an offline user wait and arrive in order at login",
          "[integration]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  {
    client bob{kurird.port()};
    bob.call("--register--|bob|bob-pass1");
  }
  client alice{kurird.port()};
  alice.register_and_login("alice", "alice-pw");
  for (int i = 1; i <= 5; ++i)
    alice.send("bob|message " + std::to_string(i) + ";");
  auto confirmations = alice.barrier();
  REQUIRE(confirmations.size() == 5);
  client bob{kurird.port()};
  auto frames = bob.call("--login--|bob|bob-pass1");
  REQUIRE(frames.size() == 6);
  CHECK(frames[0] == "--ok--|login|bob");
  for (int i = 1; i <= 5; ++i) {
    auto f
      = check_msg(frames[i], "alice", "bob", "message " + std::to_string(i));
    CHECK(f[2] == std::to_string(i));
  }
  SECTION("once written to the socket they are not delivered again") {
    bob.call("--logout--:bob");
    auto again = bob.call("--login--|bob|bob-pass1");
    CHECK(again == std::vector<std::string>{"--ok--|login|bob"});
  }
}

TEST_CASE("case 14: sends that cannot be delivered are refused and not stored",
          "[integration]") {
  temp_dir dir;
  broker_process kurird{dir.path(), {"--max-body=10"}};
  client alice{kurird.port()};
  alice.register_and_login("alice", "alice-pw");
  CHECK(fields(alice.call("nobody|hi")[0])[1] == "no_such_user");
  CHECK(fields(alice.call("bad name|hi")[0])[1] == "bad_name");
  CHECK(fields(alice.call("alice|hi")[0])[1] == "bad_request");
  CHECK(fields(alice.call("alice|01234567890")[0])[1] == "too_long");
  client bob{kurird.port()};
  bob.register_and_login("bob", "bob-pass1");
  CHECK(fields(alice.call("bob|0123456789")[0])[1] == "send");
  CHECK(fields(bob.next())[1] == "1"); // nothing else took an id
}

TEST_CASE("protocol 3 names a send to oneself self_send; older ones "
          "bad_request",
          "[integration]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client v2{kurird.port()};
  v2.hello_ack(2);
  v2.register_and_login("alice", "alice-pw");
  CHECK(fields(v2.call("alice|hi")[0])[1] == "bad_request");
  client v3{kurird.port()};
  v3.hello_ack(3);
  v3.register_and_login("bob", "bob-pass1");
  auto r = fields(v3.call("--send--|c1|bob|hi")[0]);
  CHECK(r[1] == "self_send");
  CHECK(r[2] == "cannot send a message to yourself");
  CHECK(fields(v3.call("--hello--|4")[0])[1] == "bad_request");
}
