// Limits that close a connection (RELIABILITY.md cases 3, 6, 7 and 8). The
// waits are the broker's own timers, shortened by options; every read is
// bounded by the harness' poll timeout.

#include <catch2/catch.hpp>

#include "tests/support/harness.hpp"

using namespace kurir::test;

TEST_CASE("case 7: no login before the deadline closes the connection",
          "[integration][limits]") {
  temp_dir dir;
  broker_process kurird{dir.path(), {"--login-deadline=1"}};
  client quiet{kurird.port()};
  client trickle{kurird.port()};
  trickle.send("--lo"); // bytes that never finish a frame do not extend it
  CHECK(code_of(quiet.next()) == "login_timeout");
  CHECK(quiet.closed_by_peer());
  CHECK(code_of(trickle.next()) == "login_timeout");
  CHECK(trickle.closed_by_peer());
  client fine{kurird.port()};
  fine.register_and_login("alice", "alice-pw");
  CHECK(fine.barrier().empty()); // a login in time is not affected
}

TEST_CASE("case 8: a silent client is pinged and then closed",
          "[integration][limits]") {
  temp_dir dir;
  broker_process kurird{dir.path(), {"--idle-ping=1", "--idle-close=2"}};
  client c{kurird.port()};
  c.register_and_login("alice", "alice-pw");
  CHECK(c.next() == "--ping--|kurird");
  SECTION("an answer keeps it open") {
    c.send("--pong--|kurird;");
    CHECK(c.next() == "--ping--|kurird"); // pinged again, not closed
  }
  SECTION("no answer closes it") {
    CHECK(code_of(c.next()) == "idle_timeout");
    CHECK(c.closed_by_peer());
  }
}

TEST_CASE("case 6: repeated commands before login close the connection",
          "[integration][limits]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client c{kurird.port()};
  for (int i = 0; i < 4; ++i)
    CHECK(code_of(c.call("bob|hi")[0]) == "not_authenticated");
  c.send("bob|hi;");
  CHECK(code_of(c.next()) == "not_authenticated");
  CHECK(code_of(c.next()) == "too_many_errors");
  CHECK(c.closed_by_peer());
}

TEST_CASE("case 3: an HTTP request is refused at once",
          "[integration][limits]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client c{kurird.port()};
  c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  CHECK(code_of(c.next()) == "not_kurir");
  CHECK(c.closed_by_peer());
  client other{kurird.port()};
  CHECK(other.call("--ping--|x") == std::vector<std::string>{"--pong--|x"});
}
