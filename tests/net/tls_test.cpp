// The TLS unit alone: a server stream and a client stream joined in memory,
// with certificates made for the test. Handshakes, both directions of
// application data, verification failures, garbage, renegotiation, close.

#include <catch2/catch.hpp>

#include <openssl/ssl.h>

#include "net/tls/tls.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certs.hpp"

using kurir::net::tls_client_config;
using kurir::net::tls_context;
using kurir::net::tls_server_config;
using kurir::net::tls_stream;

namespace {

struct pki {
  kurir::test::temp_dir dir;
  kurir::test::test_ca ca{dir.path()};
  kurir::test::cert_files server = ca.issue("server");

  std::shared_ptr<const tls_context> server_ctx(std::string min_version
                                                = "1.2") {
    tls_server_config cfg{server.cert, server.key, "", min_version};
    auto ctx = tls_context::make_server(cfg);
    REQUIRE(ctx);
    return *ctx;
  }

  std::shared_ptr<const tls_context> client_ctx(std::string max = "",
                                                bool verify = true) {
    auto ctx = tls_context::make_client({ca.files().cert, verify, max});
    REQUIRE(ctx);
    return *ctx;
  }
};

/// What each side received during a pump.
struct received {
  std::string at_client;
  std::string at_server;
  bool client_ok = true;
  bool server_ok = true;
};

/// Moves bytes both ways until neither side has anything to send; with
/// `chunk` > 0 the bytes travel in pieces of that size.
received pump(tls_stream& client, tls_stream& server, std::size_t chunk = 0) {
  received r;
  auto move
    = [&](tls_stream& from, tls_stream& to, std::string& into, bool& ok) {
        auto bytes = from.take_output();
        if (bytes.empty())
          return false;
        std::string_view rest{bytes};
        while (!rest.empty() && ok) {
          auto n = chunk == 0 ? rest.size() : std::min(chunk, rest.size());
          ok = to.feed(rest.substr(0, n), into);
          rest.remove_prefix(n);
        }
        return true;
      };
  for (int i = 0; i < 100; ++i) {
    auto a = r.client_ok && move(client, server, r.at_server, r.server_ok);
    auto b = r.server_ok && move(server, client, r.at_client, r.client_ok);
    if (!a && !b)
      break;
  }
  return r;
}

} // namespace

TEST_CASE("tls: a handshake, then frames both ways", "[net][tls]") {
  pki p;
  tls_stream server{p.server_ctx()};
  tls_stream client{p.client_ctx(), "127.0.0.1"};
  CHECK(server.write("--hello--|kurir|3;")); // held until established
  auto r = pump(client, server);
  REQUIRE(r.client_ok);
  REQUIRE(r.server_ok);
  CHECK(server.established());
  CHECK(client.established());
  CHECK(server.description().rfind("TLSv1.3 ", 0) == 0);
  CHECK(r.at_client == "--hello--|kurir|3;");
  CHECK(client.write("--login--|alice|pw;"));
  CHECK(client.write("bob|hi;"));
  r = pump(client, server);
  CHECK(r.at_server == "--login--|alice|pw;bob|hi;");
}

TEST_CASE("tls: bytes arriving one at a time", "[net][tls]") {
  pki p;
  tls_stream server{p.server_ctx()};
  tls_stream client{p.client_ctx(), "localhost"};
  client.write("ping;");
  auto r = pump(client, server, 1);
  REQUIRE(r.server_ok);
  CHECK(r.at_server == "ping;");
}

TEST_CASE("tls: TLS 1.2 with a modern cipher, unless 1.3 is the minimum",
          "[net][tls]") {
  pki p;
  SECTION("1.2 allowed") {
    tls_stream server{p.server_ctx("1.2")};
    tls_stream client{p.client_ctx("1.2"), "127.0.0.1"};
    auto r = pump(client, server);
    REQUIRE(r.server_ok);
    CHECK(server.description().rfind("TLSv1.2 ECDHE-", 0) == 0);
  }
  SECTION("1.3 required") {
    tls_stream server{p.server_ctx("1.3")};
    tls_stream client{p.client_ctx("1.2"), "127.0.0.1"};
    auto r = pump(client, server);
    CHECK_FALSE(r.server_ok);
    CHECK_FALSE(server.established());
    CHECK_THAT(server.error(), Catch::Contains("TLS handshake failed"));
  }
}

TEST_CASE("tls: a client refuses a server it cannot verify", "[net][tls]") {
  pki p;
  SECTION("another CA") {
    kurir::test::temp_dir other_dir;
    kurir::test::test_ca other{other_dir.path(), "other CA"};
    auto ctx = tls_context::make_client({other.files().cert, true, ""});
    REQUIRE(ctx);
    tls_stream server{p.server_ctx()};
    tls_stream client{*ctx, "127.0.0.1"};
    auto r = pump(client, server);
    CHECK_FALSE(r.client_ok);
    CHECK_THAT(client.error(), Catch::Contains("unable to get local issuer"));
  }
  SECTION("another host name") {
    tls_stream server{p.server_ctx()};
    tls_stream client{p.client_ctx(), "chat.example.org"};
    auto r = pump(client, server);
    CHECK_FALSE(r.client_ok);
    CHECK_THAT(client.error(), Catch::Contains("hostname mismatch"));
  }
  SECTION("another IP address") {
    tls_stream server{p.server_ctx()};
    tls_stream client{p.client_ctx(), "127.0.0.2"};
    auto r = pump(client, server);
    CHECK_FALSE(r.client_ok);
    CHECK_THAT(client.error(), Catch::Contains("IP address mismatch"));
  }
  SECTION("an expired certificate") {
    auto old = p.ca.issue("old", {"IP:127.0.0.1"}, -30, -1);
    auto sctx = tls_context::make_server({old.cert, old.key, "", "1.2"});
    REQUIRE(sctx);
    tls_stream server{*sctx};
    tls_stream client{p.client_ctx(), "127.0.0.1"};
    auto r = pump(client, server);
    CHECK_FALSE(r.client_ok);
    CHECK_THAT(client.error(), Catch::Contains("certificate has expired"));
  }
  SECTION("unless verification is off") {
    tls_stream server{p.server_ctx()};
    tls_stream client{p.client_ctx("", false), "chat.example.org"};
    auto r = pump(client, server);
    CHECK(r.client_ok);
    CHECK(client.established());
  }
}

TEST_CASE("tls: plaintext, HTTP or garbage fail the server stream",
          "[net][tls]") {
  pki p;
  auto input
    = GENERATE(as<std::string>{}, "--login--|alice|pw;",
               "GET / HTTP/1.1\r\nHost: x\r\n\r\n", std::string(300, '\x16'));
  tls_stream server{p.server_ctx()};
  std::string plain;
  CHECK_FALSE(server.feed(input, plain));
  CHECK(plain.empty());
  CHECK_THAT(server.error(), Catch::Contains("TLS handshake failed"));
  CHECK_FALSE(server.feed("more", plain)); // a failure is final
}

TEST_CASE("tls: a renegotiating client is refused", "[net][tls]") {
  pki p;
  tls_stream server{p.server_ctx()};
  tls_stream client{p.client_ctx("1.2"), "127.0.0.1"};
  REQUIRE(pump(client, server).server_ok);
  // The client asks for a new handshake on the established connection;
  // the stream has no API for it, so the test asks OpenSSL directly.
  REQUIRE(SSL_renegotiate(client.native()) == 1);
  CHECK(SSL_do_handshake(client.native()) <= 0); // waits for the server
  auto r = pump(client, server);
  CHECK_FALSE(r.server_ok);
  CHECK(server.error() == "TLS renegotiation refused");
}

TEST_CASE("tls: close_notify ends the stream in order", "[net][tls]") {
  pki p;
  tls_stream server{p.server_ctx()};
  tls_stream client{p.client_ctx(), "127.0.0.1"};
  REQUIRE(pump(client, server).server_ok);
  client.write("bye;");
  client.shutdown();
  auto r = pump(client, server);
  CHECK(r.at_server == "bye;");
  CHECK(server.peer_closed());
}

TEST_CASE("tls: a server context names what is wrong with its files",
          "[net][tls]") {
  pki p;
  auto other = p.ca.issue("other");
  auto missing
    = tls_context::make_server({p.dir.file("nope.pem"), p.server.key, "", ""});
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error().detail,
             Catch::Contains("cannot load the certificate"));
  auto mismatch
    = tls_context::make_server({p.server.cert, other.key, "", "1.2"});
  REQUIRE_FALSE(mismatch);
  CHECK_THAT(mismatch.error().detail, Catch::Contains("does not match"));
  auto version
    = tls_context::make_server({p.server.cert, p.server.key, "", "1.1"});
  REQUIRE_FALSE(version);
  CHECK_THAT(version.error().detail, Catch::Contains("1.2 or 1.3"));
  auto ciphers
    = tls_context::make_server({p.server.cert, p.server.key, "NOPE", "1.2"});
  REQUIRE_FALSE(ciphers);
  CHECK_THAT(ciphers.error().detail, Catch::Contains("no usable cipher"));
}

TEST_CASE("tls: the refusal alert ends a client's handshake, named",
          "[net][tls]") {
  pki p;
  tls_stream client{p.client_ctx(), "127.0.0.1"};
  client.take_output(); // the ClientHello, answered by the alert alone
  std::string plain;
  CHECK_FALSE(client.feed(kurir::net::refusal_alert(), plain));
  CHECK(plain.empty());
  CHECK_FALSE(client.established());
  CHECK_THAT(client.error(), Catch::Contains("access denied"));
}
