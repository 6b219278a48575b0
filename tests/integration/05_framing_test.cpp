// The wire format from a plain TCP stream: splits, coalescing, whitespace,
// and the frame size limit.

#include <catch2/catch.hpp>

#include "tests/support/harness.hpp"

using namespace kurir::test;

TEST_CASE("frames split at every byte and coalesced work alike",
          "[integration]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client c{kurird.port()};
  std::string script = "  --register--|alice|alice-pw;\r\n"
                       "--login--|alice|alice-pw;\n\n--ping--|t;";
  for (char ch : script)
    c.send(std::string(1, ch));
  CHECK(c.next() == "--ok--|register|alice");
  CHECK(c.next() == "--ok--|login|alice");
  CHECK(c.next() == "--pong--|t");
  c.send("--ping--|a;--ping--|b;--ping--|c;");
  CHECK(c.next() == "--pong--|a");
  CHECK(c.next() == "--pong--|b");
  CHECK(c.next() == "--pong--|c");
}

TEST_CASE("a frame over the limit is refused and closes only its connection",
          "[integration]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client other{kurird.port()};
  client c{kurird.port()};
  c.send(std::string(5000, 'x')); // no terminator, over 4 KiB before login
  auto f = fields(c.next());
  REQUIRE(f.size() == 3);
  CHECK(f[0] == "--error--");
  CHECK(f[1] == "frame_too_large");
  CHECK(c.closed_by_peer());
  CHECK(other.call("--ping--|still")
        == std::vector<std::string>{"--pong--|still"});
}

TEST_CASE("a client that closes mid-frame stores nothing", "[integration]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client bob{kurird.port()};
  bob.register_and_login("bob", "bob-pass1");
  {
    client alice{kurird.port()};
    alice.register_and_login("alice", "alice-pw");
    alice.send("bob|never finished");
  }
  client alice{kurird.port()};
  alice.call("--login--|alice|alice-pw");
  alice.call("bob|finished");
  CHECK(fields(bob.next())[6] == "finished"); // the first and only one
  CHECK(bob.barrier().empty());
}
