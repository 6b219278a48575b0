// The metrics port over real loopback sockets, scraped with curl: the
// counters move after a send, delivery and acknowledgement; only GET (or
// HEAD) /metrics is served; a stalled or hostile HTTP client is closed and
// neither it nor a scrape holds up the chat.

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <map>
#include <sstream>

#include "tests/support/harness.hpp"
#include "tests/support/test_certs.hpp"

using namespace kurir::test;

namespace {

using frames = std::vector<std::string>;

/// What curl got: the status code and the body.
struct http_answer {
  int code = 0;
  std::string body;
};

/// Runs curl against the metrics port (`args` before the URL).
http_answer curl(uint16_t port, const std::string& path,
                 const std::string& args = "") {
  auto cmd = "curl -sS --max-time 20 -w '\\n%{http_code}' " + args
             + " http://127.0.0.1:" + std::to_string(port) + path + " 2>&1";
  std::string out;
  auto* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
    out.append(buf.data(), n);
  REQUIRE(::pclose(p) == 0);
  auto nl = out.rfind('\n');
  REQUIRE(nl != std::string::npos);
  return {std::atoi(out.c_str() + nl + 1), out.substr(0, nl)};
}

/// Scrapes /metrics into series -> value (comments left out).
std::map<std::string, double> scrape(uint16_t port) {
  auto a = curl(port, "/metrics");
  REQUIRE(a.code == 200);
  std::map<std::string, double> res;
  std::istringstream in{a.body};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    auto sp = line.rfind(' ');
    REQUIRE(sp != std::string::npos);
    res[line.substr(0, sp)] = std::stod(line.substr(sp + 1));
  }
  return res;
}

/// A broker with its metrics port on.
struct metrics_broker {
  temp_dir dir;
  broker_process kurird;
  explicit metrics_broker(std::vector<std::string> extra = {})
      : kurird(dir.path(), with_metrics(std::move(extra))) {
    REQUIRE(kurird.metrics_port() != 0);
  }
  static std::vector<std::string> with_metrics(std::vector<std::string> v) {
    v.push_back("--metrics-port=0");
    return v;
  }
  std::map<std::string, double> scrape() {
    return ::scrape(kurird.metrics_port());
  }
};

} // namespace

TEST_CASE("metrics: a scrape shows the counters move after a send",
          "[integration][metrics]") {
  metrics_broker b;
  client alice{b.kurird.port()};
  client bob{b.kurird.port()};
  bob.hello_ack(2);
  alice.register_and_login("alice", "alice-pw");
  bob.register_and_login("bob", "bob-pass1");
  auto before = b.scrape();
  CHECK(before["kurir_connections_open"] == 2);
  auto accepted = std::string{"kurir_connections_accepted_total{port=\""}
                  + (over_tls() ? "tls" : "plain") + "\"}";
  CHECK(before[accepted] == 2);
  CHECK(before["kurir_sessions"] == 2);
  CHECK(before[R"(kurir_logins_total{result="ok"})"] == 2);
  CHECK(before["kurir_registrations_total"] == 2);
  CHECK(before["kurir_messages_stored_total"] == 0);
  CHECK(before[R"(kurir_deliveries_total{source="live"})"] == 0);

  alice.call("bob|hello bob");
  auto msg = bob.next();
  REQUIRE(fields(msg).at(6) == "hello bob");
  auto mid = b.scrape(); // delivered, not yet acknowledged
  CHECK(mid["kurir_messages_stored_total"] == 1);
  CHECK(mid[R"(kurir_deliveries_total{source="live"})"] == 1);
  CHECK(mid[R"(kurir_session_unacked_deliveries_bucket{le="0"})"] == 1);
  CHECK(mid[R"(kurir_session_unacked_deliveries_bucket{le="1"})"] == 2);
  CHECK(mid["kurir_writer_batch_size_count"] >= 1);
  CHECK(mid[R"(kurir_writer_commit_seconds_bucket{le="+Inf"})"]
        == mid["kurir_writer_commit_seconds_count"]);
  CHECK(mid["kurir_frames_in_total"] > before["kurir_frames_in_total"]);
  CHECK(mid["kurir_frames_out_total"] > before["kurir_frames_out_total"]);

  bob.send("--ack--|" + fields(msg).at(1) + ";");
  CHECK(bob.barrier().empty());
  auto after = b.scrape();
  CHECK(after["kurir_acks_total"] == 1);
  CHECK(after[R"(kurir_session_unacked_deliveries_bucket{le="0"})"] == 2);
  CHECK(after["kurir_metrics_reports_missing"] == 0);
}

TEST_CASE("metrics: failures, offline deliveries and ended sessions count",
          "[integration][metrics]") {
  metrics_broker b;
  {
    client bob{b.kurird.port()};
    bob.call("--register--|bob|bob-pass1");
    CHECK(
      bob.call("--login--|bob|wrong-pw").at(0).rfind("--error--|auth_failed", 0)
      == 0);
  } // bob leaves: his session's counters stay in the totals
  client alice{b.kurird.port()};
  alice.register_and_login("alice", "alice-pw");
  alice.call("bob|while you were away");
  alice.call("bob|and again");
  auto waiting = b.scrape();
  CHECK(waiting[R"(kurir_logins_total{result="failed"})"] == 1);
  CHECK(waiting[R"(kurir_errors_total{code="auth_failed"})"] == 1);
  CHECK(waiting["kurir_registrations_total"] == 2);
  CHECK(waiting[R"(kurir_queue_depth{user="bob"})"] == 2);
  client bob{b.kurird.port()};
  auto got = bob.call("--login--|bob|bob-pass1");
  CHECK(tagged(got, "--msg--", 6).size() == 2);
  auto later = b.scrape();
  CHECK(later[R"(kurir_deliveries_total{source="stored"})"] == 2);
  CHECK(later[R"(kurir_logins_total{result="failed"})"] == 1);
  CHECK(later[R"(kurir_logins_total{result="ok"})"] == 2);
}

TEST_CASE("metrics: only GET or HEAD /metrics, and the chat goes on",
          "[integration][metrics]") {
  metrics_broker b;
  auto port = b.kurird.metrics_port();
  client alice{b.kurird.port()};
  alice.register_and_login("alice", "alice-pw");
  SECTION("other paths and methods") {
    CHECK(curl(port, "/").code == 404);
    CHECK(curl(port, "/metrics/x").code == 404);
    CHECK(curl(port, "/metrics", "-X POST").code == 405);
    auto head = curl(port, "/metrics", "-I");
    CHECK(head.code == 200);
    CHECK(head.body.find("kurir_") == std::string::npos); // headers only
    CHECK(curl(port, "/metrics?name=x").code == 200);
  }
  SECTION("not HTTP at all") {
    client junk{port};
    junk.send("--login--|alice|alice-pw;\r\n\r\n");
    CHECK(junk.closed_by_peer());
    CHECK(alice.call("--who--").size() == 1);
  }
  SECTION("a head past the limit") {
    client big{port};
    big.send("GET /metrics HTTP/1.1\r\nX-Pad: " + std::string(9000, 'a'));
    CHECK(big.closed_by_peer());
  }
  SECTION("a client that never finishes its request") {
    client stalled{port};
    stalled.send("GET /metr");
    // Scrapes and the chat go on meanwhile; then it is closed.
    CHECK(curl(port, "/metrics").code == 200);
    CHECK(alice.call("--who--").size() == 1);
    CHECK(stalled.closed_by_peer(15000));
  }
  SECTION("past sixteen connections at once") {
    std::vector<std::unique_ptr<client>> idle;
    for (int i = 0; i < 16; ++i) {
      idle.push_back(std::make_unique<client>(port));
      idle.back()->send("G"); // accepted: it waits for the rest
    }
    CHECK(curl(port, "/metrics").code == 503);
    CHECK(alice.call("--who--").size() == 1);
  }
}

TEST_CASE("metrics: TLS connections count on their port",
          "[integration][metrics][tls]") {
  temp_dir dir;
  test_ca ca{dir.path()};
  auto cert = ca.issue("server");
  broker_process kurird{dir.path(),
                        {"--metrics-port=0", "--tls-port=0",
                         "--tls-cert=" + cert.cert, "--tls-key=" + cert.key}};
  auto trust
    = kurir::net::tls_context::make_client({ca.files().cert, true, ""});
  REQUIRE(trust);
  client alice{kurird.tls_port(), *trust};
  alice.register_and_login("alice", "alice-pw");
  client bob{kurird.port()};
  bob.register_and_login("bob", "bob-pass1");
  auto m = scrape(kurird.metrics_port());
  CHECK(m[R"(kurir_connections_accepted_total{port="tls"})"] == 1);
  CHECK(m[R"(kurir_connections_accepted_total{port="plain"})"] == 1);
  CHECK(m["kurir_connections_open"] == 2);
  CHECK(m[R"(kurir_logins_total{result="ok"})"] == 2);
}
