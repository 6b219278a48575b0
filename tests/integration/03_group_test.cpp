// Groups from grup.txt: fan-out, offline members, members not yet registered.

#include <catch2/catch.hpp>

#include "tests/support/harness.hpp"

using namespace kurir::test;

namespace {

std::string body_of(const std::string& frame) {
  auto f = fields(frame);
  REQUIRE(f.size() == 7);
  CHECK(f[0] == "--msg--");
  return f[4] + ">" + f[5] + ":" + f[6];
}

} // namespace

TEST_CASE("a group message reaches online members now and offline ones at "
          "login",
          "[integration]") {
  temp_dir dir;
  dir.write("user.txt", "alice|alice-pw;\nbob|bob-pw;\r\ncarol|carol-pw;\n");
  dir.write("grup.txt", "team|alice,bob,carol,dave;\noutsiders|carol;\n");
  broker_process kurird{dir.path()};
  client alice{kurird.port()};
  client bob{kurird.port()};
  REQUIRE(alice.call("--login--|alice|alice-pw")
          == std::vector<std::string>{"--ok--|login|alice"});
  REQUIRE(bob.call("--login--|bob|bob-pw")
          == std::vector<std::string>{"--ok--|login|bob"});
  auto ok = alice.call("team|hello team");
  REQUIRE(ok.size() == 1);
  CHECK(fields(ok[0])[1] == "send");
  CHECK(fields(ok[0])[3] == "1");
  CHECK(body_of(bob.next()) == "alice>team:hello team");
  CHECK(alice.barrier().empty()); // no copy to the sender
  bob.call("team|from bob");
  CHECK(body_of(alice.next()) == "bob>team:from bob");

  SECTION("an offline member gets everything at login, in order") {
    client carol{kurird.port()};
    auto frames = carol.call("--login--|carol|carol-pw");
    REQUIRE(frames.size() == 3);
    CHECK(body_of(frames[1]) == "alice>team:hello team");
    CHECK(body_of(frames[2]) == "bob>team:from bob");
  }
  SECTION("a listed member who registers later gets what was said") {
    client dave{kurird.port()};
    auto frames = dave.call("--register--|dave|dave-pw1");
    REQUIRE(frames == std::vector<std::string>{"--ok--|register|dave"});
    frames = dave.call("--login--|dave|dave-pw1");
    REQUIRE(frames.size() == 3);
    CHECK(body_of(frames[1]) == "alice>team:hello team");
    CHECK(body_of(frames[2]) == "bob>team:from bob");
  }
  SECTION("a non-member may not post") {
    auto r = alice.call("outsiders|let me in");
    REQUIRE(r.size() == 1);
    CHECK(fields(r[0])[1] == "forbidden");
  }
  SECTION("a group name cannot be registered as a user") {
    client x{kurird.port()};
    CHECK(fields(x.call("--register--|team|whatever1")[0])[1] == "name_taken");
  }
}

TEST_CASE("seed import is idempotent across restarts", "[integration]") {
  temp_dir dir;
  dir.write("user.txt", "alice|alice-pw;bob|bob-pw;");
  dir.write("grup.txt", "team|alice,bob;");
  {
    broker_process kurird{dir.path()};
    client alice{kurird.port()};
    alice.call("--login--|alice|alice-pw");
    alice.call("team|before restart");
    CHECK(kurird.stop(SIGTERM) == 0);
  }
  broker_process kurird{dir.path()};
  client bob{kurird.port()};
  auto frames = bob.call("--login--|bob|bob-pw");
  REQUIRE(frames.size() == 2); // login + exactly one message, not two
  CHECK(body_of(frames[1]) == "alice>team:before restart");
  client alice{kurird.port()};
  CHECK(fields(alice.call("--register--|alice|alice-pw2")[0])[1]
        == "name_taken");
}

TEST_CASE("a member who left a seed group stays gone after a restart",
          "[integration]") {
  temp_dir dir;
  dir.write("user.txt", "alice|alice-pw;bob|bob-pw;");
  dir.write("grup.txt", "team|alice,bob;");
  {
    broker_process kurird{dir.path()};
    client bob{kurird.port()};
    bob.call("--login--|bob|bob-pw");
    CHECK(bob.call("--leave--|team")
          == std::vector<std::string>{"--ok--|leave|team"});
    CHECK(kurird.stop(SIGTERM) == 0);
  }
  broker_process kurird{dir.path()};
  client alice{kurird.port()};
  alice.call("--login--|alice|alice-pw");
  CHECK(alice.call("--members--|team")
        == std::vector<std::string>{"--ok--|members|team||alice"});
}
