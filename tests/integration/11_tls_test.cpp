// The TLS port over real loopback sockets: the seed's story and protocol 2
// with acknowledgements over TLS, plain and TLS clients of one broker
// talking to each other, what is refused on the TLS port (plaintext, HTTP,
// garbage, a stalled handshake) while others chat, and SIGHUP reloading the
// certificate under a live connection.

#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "tests/support/harness.hpp"
#include "tests/support/test_certs.hpp"

using namespace kurir::test;
using kurir::net::tls_context;

namespace {

using frames = std::vector<std::string>;

/// A broker with a TLS port, its certificate made by a test CA.
struct tls_broker {
  temp_dir dir;
  test_ca ca{dir.path()};
  cert_files cert = ca.issue("server");
  std::unique_ptr<broker_process> kurird;

  /// Starts the broker; `seed` may write seed files into the data
  /// directory first.
  explicit tls_broker(std::vector<std::string> extra = {},
                      void (*seed)(temp_dir&) = nullptr) {
    if (seed != nullptr)
      seed(dir);
    extra.push_back("--tls-port=0");
    extra.push_back("--tls-cert=" + cert.cert);
    extra.push_back("--tls-key=" + cert.key);
    kurird = std::make_unique<broker_process>(dir.path(), extra, true);
    REQUIRE(kurird->tls_port() != 0);
  }

  /// A client context trusting `ca` (this broker's CA by default).
  std::shared_ptr<const tls_context> trust(const test_ca* other = nullptr) {
    auto ctx = tls_context::make_client(
      {(other != nullptr ? other : &ca)->files().cert, true, ""});
    REQUIRE(ctx);
    return *ctx;
  }
};

std::string body_of(const std::string& frame) {
  auto f = fields(frame);
  REQUIRE(f.size() >= 7);
  return f[4] + ">" + f[5] + ":" + f[6];
}

} // namespace

TEST_CASE("tls: the seed's story over TLS, with a plain client beside it",
          "[integration][tls]") {
  tls_broker b{{}, [](temp_dir& d) {
                 d.write("user.txt",
                         "alice|alice-pw;\nbob|bob-pw;\ncarol|carol-pw;\n");
                 d.write("grup.txt", "team|alice,bob,carol;\n");
               }};
  client alice{b.kurird->tls_port(), b.trust()};
  client bob{b.kurird->tls_port(), b.trust(), "localhost"};
  client carol{b.kurird->port()}; // plain TCP
  REQUIRE(alice.call("--login--|alice|alice-pw")
          == frames{"--ok--|login|alice"});
  REQUIRE(bob.call("--login--|bob|bob-pw") == frames{"--ok--|login|bob"});
  REQUIRE(carol.call("--login--|carol|carol-pw")
          == frames{"--ok--|login|carol"});
  CHECK(alice.tls()->description().rfind("TLSv1.3 ", 0) == 0);
  alice.call("bob|hi bob");
  CHECK(body_of(bob.next()) == "alice>bob:hi bob");
  bob.call("team|hello team");
  CHECK(body_of(alice.next()) == "bob>team:hello team");
  CHECK(body_of(carol.next()) == "bob>team:hello team");
  carol.call("alice|from plain TCP");
  CHECK(body_of(alice.next()) == "carol>alice:from plain TCP");
  CHECK(alice.call("--logout--|alice") == frames{"--ok--|logout|alice"});
}

TEST_CASE("tls: protocol 2 with acknowledgements over TLS",
          "[integration][tls]") {
  tls_broker b;
  client alice{b.kurird->tls_port(), b.trust()};
  alice.register_and_login("alice", "alice-pw");
  {
    client bob{b.kurird->tls_port(), b.trust()};
    bob.hello_ack(2);
    bob.register_and_login("bob", "bob-pass1");
    alice.call("bob|m1");
    alice.call("bob|m2");
    auto m1 = bob.next();
    auto m2 = bob.next();
    CHECK(fields(m2)[6] == "m2");
    bob.send("--ack--|" + fields(m1)[1] + ";");
    CHECK(bob.barrier().empty());
  } // bob goes without acknowledging m2
  client bob{b.kurird->tls_port(), b.trust()};
  bob.hello_ack(2);
  auto again = bob.call("--login--|bob|bob-pass1");
  CHECK(tagged(again, "--msg--", 6) == frames{"m2"});
}

TEST_CASE("tls: what is not TLS is closed, and others keep chatting",
          "[integration][tls]") {
  tls_broker b{{"--login-deadline=1"}};
  client chatter{b.kurird->tls_port(), b.trust()};
  chatter.register_and_login("alice", "alice-pw");
  SECTION("plaintext frames") {
    client plain{b.kurird->tls_port()};
    plain.send("--login--|alice|alice-pw;");
    CHECK(plain.closed_by_peer());
  }
  SECTION("an HTTP request") {
    client http{b.kurird->tls_port()};
    http.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    CHECK(http.closed_by_peer());
  }
  SECTION("garbage that starts like a handshake") {
    client garbage{b.kurird->tls_port()};
    garbage.send(std::string{"\x16\x03\x01\x00\x05"} + std::string(200, 'x'));
    CHECK(garbage.closed_by_peer());
  }
  SECTION("a handshake that stalls is closed at the login deadline") {
    client stalled{b.kurird->tls_port()};
    stalled.send(std::string{"\x16\x03\x01\x02\x00\x01"}); // half a hello
    // The other client is served while this one stalls.
    CHECK(chatter.call("--who--").size() == 1);
    CHECK(stalled.closed_by_peer(10000));
  }
  SECTION("a TLS client on the plain port hears why, then is closed") {
    client lost{b.kurird->port(), b.trust()};
    CHECK(lost.closed_by_peer());
    CHECK_THAT(lost.tls_error(), Catch::Contains("wrong version number"));
  }
  CHECK(chatter.call("--ping--|still").size() == 1); // the pong
}

TEST_CASE("tls: the client refuses a certificate it cannot verify",
          "[integration][tls]") {
  tls_broker b;
  temp_dir other_dir;
  test_ca other{other_dir.path(), "another CA"};
  SECTION("another CA") {
    client c{b.kurird->tls_port(), b.trust(&other)};
    c.send("--ping--|x;");
    CHECK(c.next().empty());
    CHECK_THAT(c.tls_error(), Catch::Contains("certificate verify failed"));
  }
  SECTION("another host name") {
    client c{b.kurird->tls_port(), b.trust(), "chat.example.org"};
    c.send("--ping--|x;");
    CHECK(c.next().empty());
    CHECK_THAT(c.tls_error(), Catch::Contains("hostname mismatch"));
  }
}

TEST_CASE("tls: SIGHUP reloads the certificate; a bad one keeps the old",
          "[integration][tls]") {
  tls_broker b;
  client live{b.kurird->tls_port(), b.trust()};
  live.register_and_login("alice", "alice-pw");
  temp_dir next_dir;
  test_ca next_ca{next_dir.path(), "next CA"};
  SECTION("a good new certificate is used by new handshakes") {
    auto next = next_ca.issue("server");
    std::filesystem::copy_file(
      next.cert, b.cert.cert,
      std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(
      next.key, b.cert.key, std::filesystem::copy_options::overwrite_existing);
    ::kill(b.kurird->pid(), SIGHUP);
    REQUIRE(b.kurird->wait_output("TLS certificate reloaded"));
    client fresh{b.kurird->tls_port(), b.trust(&next_ca)};
    CHECK(fresh.call("--ping--|new").size() == 1);
    client old{b.kurird->tls_port(), b.trust()};
    old.send("--ping--|old;");
    CHECK(old.next().empty());
    CHECK_THAT(old.tls_error(), Catch::Contains("certificate verify failed"));
  }
  SECTION("a broken file keeps the old certificate and says so") {
    std::ofstream{b.cert.cert} << "not a certificate\n";
    ::kill(b.kurird->pid(), SIGHUP);
    REQUIRE(b.kurird->wait_output("NOT reloaded"));
    client fresh{b.kurird->tls_port(), b.trust()};
    CHECK(fresh.call("--ping--|old").size() == 1);
  }
  // The connection from before the reload is still there.
  CHECK(live.call("--who--").size() == 1);
}
