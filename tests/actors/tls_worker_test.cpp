// What a TLS worker does with one job: the handshake step the conn broker
// hands it, answered as a tls_step (the broker applies it, tests/integration
// runs it over sockets).

#include <catch2/catch.hpp>

#include "actors/tls/tls_worker.hpp"
#include "net/tls/tls.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certs.hpp"

using kurir::tls_job;
using kurir::net::tls_context;
using kurir::net::tls_stream;

TEST_CASE("tls worker: a job is one step of the handshake", "[actors][tls]") {
  kurir::test::temp_dir dir;
  kurir::test::test_ca ca{dir.path()};
  auto cert = ca.issue("server");
  auto server_ctx = tls_context::make_server({cert.cert, cert.key, "", "1.2"});
  auto client_ctx = tls_context::make_client({ca.files().cert, true, ""});
  REQUIRE(server_ctx);
  REQUIRE(client_ctx);
  tls_stream client{*client_ctx, "127.0.0.1"};
  auto server = std::make_shared<tls_stream>(*server_ctx);
  tls_job hello{server, client.take_output()};
  auto first = kurir::run_tls_job(hello);
  CHECK(first.ok);
  CHECK_FALSE(first.established); // waits for the client's Finished
  CHECK_FALSE(first.out.empty());
  std::string plain;
  REQUIRE(client.feed(first.out, plain));
  REQUIRE(client.write("--ping--;"));
  tls_job finished{server, client.take_output()};
  auto second = kurir::run_tls_job(finished);
  CHECK(second.ok);
  CHECK(second.established);
  CHECK(second.plain == "--ping--;");
  CHECK(second.description.rfind("TLSv1.3 ", 0) == 0);
  SECTION("garbage fails the stream, and says why") {
    auto fresh = std::make_shared<tls_stream>(*server_ctx);
    tls_job junk{fresh, "GET / HTTP/1.1\r\n\r\n"};
    auto step = kurir::run_tls_job(junk);
    CHECK_FALSE(step.ok);
    CHECK_FALSE(step.error.empty());
    CHECK(step.plain.empty());
  }
}
