// The wire format from a plain TCP stream: splits, coalescing, whitespace,
// and the frame size limit.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <sys/wait.h>

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

TEST_CASE("case 2: a frame over the limit is refused and closes only its "
          "connection",
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

TEST_CASE("case 9: a client that closes mid-frame stores nothing",
          "[integration]") {
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

TEST_CASE_METHOD(alice_and_offline_bob,
                 "an oversized frame is answered after the replies before it",
                 "[integration]") {
  // After login the limit is 64 KiB: a send, then garbage past the limit.
  alice.send("bob|sent just before;" + std::string(70000, 'x'));
  CHECK(fields(alice.next())[1] == "send");
  CHECK(code_of(alice.next()) == "frame_too_large");
  CHECK(alice.closed_by_peer());
  auto frames = bob.call("--login--|bob|bob-pass1");
  REQUIRE(frames.size() == 2);
  CHECK(fields(frames[1])[6] == "sent just before");
}

TEST_CASE("a disconnect is logged", "[integration]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  {
    client c{kurird.port()};
    c.register_and_login("alice", "alice-pw");
  }
  client other{kurird.port()};
  other.barrier(); // the broker is past the first connection's close
  kurird.stop(SIGTERM);
  CHECK(dir.read("log.txt").find("disconnect 127.0.0.1:") != std::string::npos);
  CHECK(dir.read("log.txt").find(" user alice") != std::string::npos);
}

TEST_CASE("a port in use is reported at once with exit status 1",
          "[integration]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  temp_dir other;
  auto cmd = std::string{KURIRD_DEFAULT_BIN} + " --hash-cost=min --port="
             + std::to_string(kurird.port()) + " --data-dir=" + other.path()
             + " > " + other.file("out.txt") + " 2>&1";
  auto status = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(other.read("out.txt").find("cannot listen on 127.0.0.1:")
        != std::string::npos);
}
