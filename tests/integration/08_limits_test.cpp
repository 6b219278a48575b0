// Limits that close a connection (GUARANTEES.md cases 3, 6 and 7). The
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

// Case 8 (a silent client is pinged, then closed) runs on CAF's virtual
// clock in tests/actors/session_test.cpp: no real-time wait.

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

TEST_CASE("case 20: a slow reader holds up nobody and gets it all later",
          "[integration][limits]") {
  temp_dir dir;
  broker_process kurird{dir.path(),
                        {"--max-outbound=65536", "--max-inflight=5000"}};
  client bob{kurird.port(), 4096};
  bob.call("--hello--|2|ack");
  bob.register_and_login("bob", "bob-pass1");
  client alice{kurird.port()};
  alice.register_and_login("alice", "alice-pw");
  // More than the socket buffers hold (bob's is small); bob reads nothing
  // meanwhile. Alice is never held up: every send is confirmed.
  std::vector<std::string> ids;
  std::string body(16000, 'x');
  for (int batch = 0; batch < 10; ++batch) {
    for (int i = 0; i < 50; ++i)
      alice.send("bob|" + std::to_string(batch * 50 + i) + body + ";");
    auto confirmations = alice.barrier();
    REQUIRE(confirmations.size() == 50);
    for (auto& c : confirmations)
      ids.push_back(fields(c)[2]);
  }
  // What did not fit waited in the database, not in the broker's memory:
  // bob now reads it all, in order, acknowledging as he goes.
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto f = fields(bob.next());
    REQUIRE(f[0] == "--msg--");
    REQUIRE(f[1] == ids[i]);
    bob.send("--ack--|" + f[1] + ";");
  }
  CHECK(bob.barrier().empty());
}

TEST_CASE("case 20: a client that never reads its replies is closed",
          "[integration][limits]") {
  temp_dir dir;
  broker_process kurird{dir.path(), {"--max-outbound=65536"}};
  client c{kurird.port()};
  c.register_and_login("alice", "alice-pw");
  std::string pings;
  for (int i = 0; i < 6000; ++i)
    pings += "--ping--|p;";
  // Replies pile up once the socket buffers are full; past the cap the
  // broker closes, and the next sends fail.
  bool refused = false;
  for (int i = 0; i < 2000 && !refused; ++i) {
    try {
      c.send(pings);
    } catch (const std::exception&) {
      refused = true;
    }
  }
  CHECK(refused);
  CHECK(c.closed_by_peer());
  client other{kurird.port()};
  CHECK(other.call("--ping--|x") == std::vector<std::string>{"--pong--|x"});
  kurird.stop(SIGTERM);
  CHECK(dir.read("log.txt").find("limit outbound buffer over 65536")
        != std::string::npos);
}

TEST_CASE("case 10: repeated failed logins get try_later even when right",
          "[integration][limits]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client c{kurird.port()};
  c.call("--register--|alice|alice-pw");
  c.call("--register--|bob|bob-pass1");
  for (int i = 0; i < 5; ++i)
    CHECK(code_of(c.call("--login--|alice|wrong-pw")[0]) == "auth_failed");
  CHECK(code_of(c.call("--login--|alice|alice-pw")[0]) == "try_later");
  // Unknown names are throttled alike, and other accounts are not touched.
  for (int i = 0; i < 5; ++i)
    CHECK(code_of(c.call("--login--|nobody|wrong-pw")[0]) == "auth_failed");
  CHECK(code_of(c.call("--login--|nobody|wrong-pw")[0]) == "try_later");
  CHECK(c.call("--login--|bob|bob-pass1")
        == std::vector<std::string>{"--ok--|login|bob"});
  kurird.stop(SIGTERM);
  CHECK(dir.read("log.txt").find("limit login throttled for alice")
        != std::string::npos);
}

TEST_CASE("case 11: a huge password is refused before hashing",
          "[integration][limits]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client c{kurird.port()};
  auto huge = std::string(2000, 'p');
  CHECK(code_of(c.call("--register--|alice|" + huge)[0]) == "bad_password");
  CHECK(code_of(c.call("--login--|alice|" + huge)[0]) == "auth_failed");
}

TEST_CASE("connections per address are limited", "[integration][limits]") {
  temp_dir dir;
  broker_process kurird{dir.path(),
                        {"--limit-loopback", "--max-connections-per-ip=2"}};
  client a{kurird.port()};
  client b{kurird.port()};
  CHECK(a.call("--ping--|a") == std::vector<std::string>{"--pong--|a"});
  CHECK(b.call("--ping--|b") == std::vector<std::string>{"--pong--|b"});
  {
    client c{kurird.port()};
    if (over_tls()) // no frame can be sent before a handshake: an alert
      CHECK_THAT(c.tls_error(), Catch::Contains("access denied"));
    else
      CHECK(code_of(c.next()) == "too_many_connections");
    CHECK(c.closed_by_peer());
  }
  CHECK(a.call("--ping--|a") == std::vector<std::string>{"--pong--|a"});
  kurird.stop(SIGTERM);
  CHECK(dir.read("log.txt").find("limit connections from 127.0.0.1")
        != std::string::npos);
}

TEST_CASE("case 19: a flooding client is slowed then closed",
          "[integration][limits]") {
  temp_dir dir;
  broker_process kurird{dir.path(), {"--max-rate=50", "--max-burst=10"}};
  client other{kurird.port()};
  other.register_and_login("bob", "bob-pass1");
  client c{kurird.port()};
  c.register_and_login("alice", "alice-pw");
  SECTION("past the rate, reads pause but nothing is lost") {
    for (int i = 0; i < 15; ++i) // a burst and a bit: paused, not closed
      c.send("bob|slow " + std::to_string(i) + ";");
    for (int i = 0; i < 15; ++i)
      CHECK(fields(c.next())[1] == "send");
    CHECK(tagged(other.call("--ping--|x"), "--pong--", 1)
          == std::vector<std::string>{"x"});
  }
  SECTION("far past it, rate_limited and closed") {
    std::string flood;
    for (int i = 0; i < 100; ++i) // one write: ten bursts at once
      flood += "bob|flood;";
    c.send(flood);
    std::vector<std::string> got;
    for (auto f = c.next(); !f.empty(); f = c.next())
      got.push_back(f);
    REQUIRE(!got.empty());
    CHECK(code_of(got.back()) == "rate_limited");
    // About a burst was taken (less what register and login used, plus what
    // refilled meanwhile); with more than a burst waiting, the rest was not.
    CHECK(got.size() >= 5);
    CHECK(got.size() <= 15);
    CHECK(tagged(other.call("--ping--|x"), "--pong--", 1)
          == std::vector<std::string>{"x"});
    kurird.stop(SIGTERM);
    CHECK(dir.read("log.txt").find("limit message rate far exceeded")
          != std::string::npos);
  }
}
