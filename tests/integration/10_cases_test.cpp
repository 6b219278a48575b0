// GUARANTEES.md's bad-input cases that no other integration test covers on
// its own. Every case has a test whose name starts with "case N:"; HACKING.md
// lists where each one is.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/harness.hpp"

using namespace kurir::test;

namespace {

/// Returns the one frame `frames` holds.
std::string only(const std::vector<std::string>& frames) {
  REQUIRE(frames.size() == 1);
  return frames[0];
}

/// Returns the bodies of the `--msg--` frames bob gets at his next login.
std::vector<std::string> bob_backlog(uint16_t port) {
  client bob{port};
  auto frames = bob.call("--login--|bob|bob-pass1");
  REQUIRE(frames.at(0) == "--ok--|login|bob");
  return tagged(frames, "--msg--", 6);
}

} // namespace

TEST_CASE("case 1: empty frames, unknown commands and wrong field counts get "
          "an error naming the problem and the connection stays",
          "[integration][cases]") {
  two_users u;
  CHECK(code_of(only(u.alice.call(""))) == "bad_request");
  CHECK(code_of(only(u.alice.call("--frobnicate--|x"))) == "unknown_command");
  auto wrong = only(u.alice.call("--history--"));
  CHECK(code_of(wrong) == "bad_request");
  CHECK(wrong.find("--history--") != std::string::npos); // names the command
  CHECK(code_of(only(u.alice.call("--add--|crew"))) == "bad_request");
  CHECK(code_of(only(u.alice.call("bob"))) == "bad_request"); // no body
  CHECK(fields(only(u.alice.call("bob|still here")))[1] == "send");
  CHECK(fields(u.bob.next())[6] == "still here");
}

TEST_CASE_METHOD(
  alice_and_offline_bob,
  "case 4: a body over the limit is too_long, nothing is stored and "
  "the connection stays",
  "[integration][cases]") {
  // The default --max-body is 16384 bytes.
  CHECK(code_of(only(alice.call("bob|" + std::string(16385, 'b'))))
        == "too_long");
  CHECK(code_of(only(alice.call("--send--|c1|bob|" + std::string(20000, 'b'))))
        == "too_long");
  auto ok = fields(only(alice.call("bob|" + std::string(16384, 'b'))));
  CHECK(ok[1] == "send");
  CHECK(ok[3] == "1"); // the refused bodies took no sequence number
  CHECK(bob_backlog(kurird.port()).size() == 1);
}

TEST_CASE("case 5: controls, NUL and invalid UTF-8 are bad_name in a name and "
          "kept byte for byte in a body",
          "[integration][cases]") {
  two_users u;
  using namespace std::string_literals;
  for (auto name : {"al\x01ice"s, "nul\0l"s, "\xff\xfe"s, "caf\xc3\xa9"s,
                    "\x1b[2J"s, "tab\tbed"s}) {
    client c{u.kurird.port()};
    CHECK(code_of(only(c.call("--register--|" + name + "|pass-word")))
          == "bad_name");
  }
  CHECK(code_of(only(u.alice.call("b\x7fob|hi"))) == "bad_name");
  const auto body = "bell\a nul\0 esc\x1b[31m bad\xff\xfe utf8 caf\xc3\xa9"s;
  CHECK(fields(only(u.alice.call("bob|" + body)))[1] == "send");
  CHECK(fields(u.bob.next())[6] == body);
}

TEST_CASE("case 13: no frame can make a message come from someone else",
          "[integration][cases]") {
  two_users u;
  client carol{u.kurird.port()};
  carol.register_and_login("carol", "carol-pw");
  // The last field takes the rest: a "sender" in the body stays body.
  CHECK(fields(only(u.alice.call("bob|carol|forged")))[1] == "send");
  // A delivery frame sent to the server is not a command.
  CHECK(code_of(only(u.alice.call("--msg--|9|9|0|carol|bob|forged")))
        == "unknown_command");
  CHECK(fields(only(u.alice.call("--send--|c1|bob|from carol")))[1] == "send");
  for (auto expected : {"carol|forged", "from carol"}) {
    auto got = fields(u.bob.next());
    CHECK(got[4] == "alice");
    CHECK(got[6] == expected);
  }
  CHECK(u.bob.barrier().empty()); // nothing "from carol"
}

TEST_CASE("case 15: a non-member may not post to, list or read a group, and "
          "learns nothing from the answer",
          "[integration][cases]") {
  two_users u;
  client carol{u.kurird.port()};
  carol.register_and_login("carol", "carol-pw");
  u.alice.call("--create--|crew");
  u.alice.call("--add--|crew|bob");
  u.alice.call("crew|members only");
  for (auto frame : {"crew|let me in", "--members--|crew", "--history--|crew",
                     "--send--|c1|crew|let me in", "--add--|crew|carol"}) {
    auto answer = only(carol.call(frame));
    INFO(frame << " -> " << answer);
    CHECK(code_of(answer) == "forbidden");
    CHECK(answer.find("bob") == std::string::npos);
    CHECK(answer.find("members only") == std::string::npos);
  }
  // Leaving is about oneself: the answer says only that carol is no member.
  CHECK(only(carol.call("--leave--|crew"))
        == "--error--|no_such_user|carol is not a member of crew");
  CHECK(fields(u.bob.next())[6] == "members only");
  CHECK(u.bob.barrier().empty()); // nothing of carol's got in
  CHECK(tagged(u.bob.call("--history--|crew"), "--hist--", 6)
        == std::vector<std::string>{"members only"});
}

TEST_CASE("case 16: SQL, format strings and path tricks are stored and "
          "echoed literally",
          "[integration][cases]") {
  temp_dir dir;
  std::vector<std::string> bodies{
    "'); DROP TABLE messages; --", "%s%s%s%n%x %d",
    "../../../etc/passwd",         "Robert'); DELETE FROM users WHERE ('1'='1",
    "${HOME} $(id) `id`",          "\\\\server\\share\\..\\x"};
  {
    broker_process kurird{dir.path()};
    client bob{kurird.port()};
    bob.call("--register--|bob|bob-pass1");
    client alice{kurird.port()};
    alice.register_and_login("alice", "alice-pw");
    for (const auto& b : bodies) // escaped as a client must
      CHECK(fields(only(alice.call("bob|" + kurir::net::escape(b))))[1]
            == "send");
    client mallory{kurird.port()};
    CHECK(code_of(only(mallory.call("--register--|x' OR '1'='1|pass-word")))
          == "bad_name");
    CHECK(kurird.stop(SIGTERM) == 0);
  }
  broker_process kurird{dir.path()}; // nothing broke in the database
  auto got = bob_backlog(kurird.port());
  // Fields come back escaped on the wire; `tagged` unescapes them.
  REQUIRE(got.size() == bodies.size());
  CHECK(got == bodies);
}
