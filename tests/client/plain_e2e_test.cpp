// The real `kurir` in plain mode against a real kurird child process.

#include <catch2/catch.hpp>

#include "tests/client/proc.hpp"
#include "tests/support/harness.hpp"
#include "tests/support/test_certs.hpp"

using namespace kurir::test;

namespace {

/// Registers `user` with a one-shot client that exits at once.
void register_user(uint16_t port, const std::string& user) {
  kurir_process p{port, user, user + "-secret", {"--register"}};
  REQUIRE(p.finish() == 0);
  REQUIRE(p.lines_with("ok\tregister\t" + user).size() == 1);
}

/// Field `i` of a plain-mode line.
std::string field(const std::string& line, std::size_t i) {
  auto f = tabs(line);
  return i < f.size() ? f[i] : std::string{"(missing)"};
}

} // namespace

TEST_CASE("two plain clients talk to each other", "[client][e2e]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  kurir_process bob{kurird.port(), "bob", "bob-secret", {"--register"}};
  REQUIRE(bob.wait_for("backlog\t") == "backlog\t0");
  kurir_process alice{kurird.port(), "alice", "alice-secret", {"--register"}};
  alice.line("/msg bob hello bob");
  alice.line("/query bob");
  alice.line("tab\there and a back\\slash");
  REQUIRE(alice.wait_for("sent\t") != "");
  auto m1 = bob.wait_for("msg\t");
  CHECK(field(m1, 4) == "alice");
  CHECK(field(m1, 5) == "bob");
  CHECK(field(m1, 6) == "hello bob");
  auto m2 = bob.wait_for("msg\t");
  CHECK(field(m2, 6) == "tab\\there and a back\\\\slash");
  bob.line("/msg alice hi alice");
  CHECK(alice.wait_for("msg\t") != "");
  CHECK(bob.finish() == 0);
  CHECK(alice.wait_for("presence\tbob\toffline") != "");
  CHECK(alice.finish() == 0);
  auto sent = alice.lines_with("sent\t");
  REQUIRE(sent.size() == 2);
  CHECK(field(sent[0], 1) == field(m1, 1)); // the same message id
  CHECK(field(sent[1], 4) == "bob");
}

TEST_CASE("an offline user catches up at the next login", "[client][e2e]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  register_user(kurird.port(), "bob");
  {
    kurir_process alice{kurird.port(), "alice", "alice-secret", {"--register"}};
    for (int i = 1; i <= 3; ++i)
      alice.line("/msg bob while away " + std::to_string(i));
    REQUIRE(alice.finish() == 0);
    REQUIRE(alice.lines_with("sent\t").size() == 3);
  }
  kurir_process bob{kurird.port(), "bob", "bob-secret"};
  REQUIRE(bob.finish() == 0);
  auto msgs = bob.lines_with("msg\t");
  REQUIRE(msgs.size() == 3);
  for (int i = 0; i < 3; ++i)
    CHECK(field(msgs[i], 6) == "while away " + std::to_string(i + 1));
  CHECK(bob.lines_with("backlog\t3").size() == 1);
  // The backlog came before the line that ends it.
  CHECK(bob.lines().back() == "backlog\t3");
  // Shown and acknowledged: the next login has nothing waiting.
  kurir_process again{kurird.port(), "bob", "bob-secret"};
  REQUIRE(again.finish() == 0);
  CHECK(again.lines_with("msg\t").empty());
  CHECK(again.lines_with("backlog\t0").size() == 1);
}

TEST_CASE("a group conversation in plain mode", "[client][e2e]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  register_user(kurird.port(), "carol");
  kurir_process bob{kurird.port(), "bob", "bob-secret", {"--register"}};
  REQUIRE(bob.wait_for("backlog\t") != "");
  kurir_process alice{kurird.port(), "alice", "alice-secret", {"--register"}};
  alice.line("/create team");
  alice.line("/add team bob");
  alice.line("/add team carol");
  alice.line("/group team hello team");
  alice.line("/members team");
  alice.line("/members nosuchgroup");
  REQUIRE(alice.finish() == 0);
  CHECK(alice.lines_with("ok\tcreate\tteam").size() == 1);
  CHECK(alice.lines_with("ok\tadd\tteam\t").size() == 2);
  CHECK(alice.lines_with("members\tteam\talice\talice,bob,carol").size() == 1);
  auto err = alice.lines_with("error\tno_such_group\t");
  REQUIRE(err.size() == 1);
  CHECK(field(err[0], 3) == "/members");
  CHECK(bob.wait_for("group\tteam\tadded\talice") != ""); // before the msg
  auto m = bob.wait_for("msg\t");
  CHECK(field(m, 4) == "alice");
  CHECK(field(m, 5) == "team");
  CHECK(field(m, 6) == "hello team");
  bob.line("/join team");
  bob.line("hi all");
  REQUIRE(bob.finish() == 0);
  kurir_process carol{kurird.port(), "carol", "carol-secret"};
  REQUIRE(carol.finish() == 0);
  auto msgs = carol.lines_with("msg\t");
  REQUIRE(msgs.size() == 2);
  CHECK(field(msgs[0], 6) == "hello team");
  CHECK(field(msgs[1], 4) == "bob");
  CHECK(field(msgs[1], 6) == "hi all");
}

TEST_CASE("a wrong password ends the client with status 2", "[client][e2e]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  register_user(kurird.port(), "bob");
  kurir_process bob{kurird.port(), "bob", "not-the-password"};
  CHECK(bob.finish() == 2);
  auto fatal = bob.lines_with("fatal\tauth_failed\t");
  REQUIRE(fatal.size() == 1);
  CHECK(field(fatal[0], 2) == "Login failed: unknown user or wrong password.");
}

TEST_CASE("no broker ends the client with status 3 after its retries",
          "[client][e2e]") {
  temp_dir dir;
  uint16_t port = 0;
  {
    broker_process kurird{dir.path()};
    port = kurird.port();
    kurird.stop(SIGTERM);
  }
  kurir_process alice{port, "alice", "alice-secret", {"--retries=2"}};
  CHECK(alice.finish() == 3);
  CHECK(alice.lines_with("reconnecting\t").size() == 2);
  CHECK(alice.lines_with("fatal\tcannot_connect\t").size() == 1);
}

TEST_CASE("the password can come from a file", "[client][e2e]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  register_user(kurird.port(), "bob");
  dir.write("pw", "bob-secret\n");
  kurir_process bob{
    kurird.port(), "bob", "", {"--password-file=" + dir.path() + "/pw"}};
  CHECK(bob.finish() == 0);
  CHECK(bob.lines_with("ok\tlogin\tbob").size() == 1);
}

TEST_CASE("the client reconnects after the broker restarts and resends",
          "[client][e2e]") {
  temp_dir dir;
  auto kurird = std::make_unique<broker_process>(dir.path());
  auto port = kurird->port();
  register_user(port, "bob");
  kurir_process alice{port, "alice", "alice-secret", {"--register"}};
  REQUIRE(alice.wait_for("backlog\t") != "");
  kurird->stop(SIGKILL);
  REQUIRE(alice.wait_for("disconnected\t") != "");
  alice.line("/msg bob written while the broker was down");
  kurird = std::make_unique<broker_process>(
    dir.path(), std::vector<std::string>{"--port=" + std::to_string(port)});
  REQUIRE(alice.wait_for("ok\tlogin\talice") != "");
  REQUIRE(alice.wait_for("sent\t") != "");
  CHECK(alice.finish() == 0);
  kurir_process bob{port, "bob", "bob-secret"};
  REQUIRE(bob.finish() == 0);
  auto msgs = bob.lines_with("msg\t");
  REQUIRE(msgs.size() == 1);
  CHECK(field(msgs[0], 6) == "written while the broker was down");
}

TEST_CASE("kurir --tls verifies the broker and refuses what it cannot",
          "[client][e2e][tls]") {
  temp_dir dir;
  test_ca ca{dir.path()};
  struct variant {
    std::string name;
    std::vector<std::string> alt_names;
    long to_days;        ///< when the certificate expires
    bool trust_ca;       ///< --tls-ca=the test CA, else the system's store
    std::string refusal; ///< "" when the login must work
  };
  auto v = GENERATE(
    variant{"good", {"IP:127.0.0.1"}, 30, true, ""},
    variant{"untrusted",
            {"IP:127.0.0.1"},
            30,
            false,
            "unable to get local issuer certificate"},
    variant{"expired", {"IP:127.0.0.1"}, -1, true, "certificate has expired"},
    variant{
      "other-name", {"DNS:chat.example.org"}, 30, true, "IP address mismatch"});
  auto cert = ca.issue(v.name, v.alt_names, -30, v.to_days);
  broker_process kurird{
    dir.path(),
    {"--tls-port=0", "--tls-cert=" + cert.cert, "--tls-key=" + cert.key}};
  std::vector<std::string> args{"--register", "--tls",
                                "--port=" + std::to_string(kurird.tls_port())};
  if (v.trust_ca)
    args.push_back("--tls-ca=" + ca.files().cert);
  kurir_process alice{kurird.port(), "alice", "alice-secret", args};
  INFO(v.name);
  if (v.refusal.empty()) {
    CHECK(alice.wait_for("backlog\t") == "backlog\t0");
    CHECK(alice.finish() == 0);
    return;
  }
  CHECK(alice.finish() == 3); // at once: no retries
  auto why = alice.lines_with("fatal\ttls_refused");
  REQUIRE(why.size() == 1);
  CHECK(why[0].find(v.refusal) != std::string::npos);
  CHECK(alice.lines_with("ok\t").empty()); // nothing was sent
}
