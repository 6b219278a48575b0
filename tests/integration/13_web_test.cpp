// The web port over real loopback sockets (over TLS too, when the suite
// runs so): the web client's files, the WebSocket upgrade, protocol 2 in
// text messages, and every bad handshake or frame closed with its code
// while everyone else chats on.

#include <catch2/catch.hpp>

#include "tests/support/harness.hpp"
#include "tests/support/ws_client.hpp"

using namespace kurir::test;

namespace {

using frames = std::vector<std::string>;

std::string status_line(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

/// Alice on the web port and bob on the chat port, both logged in.
struct web_and_tcp {
  temp_dir dir;
  broker_process kurird{dir.path()};
  ws_client alice{kurird.web_port()};
  client bob{kurird.port()};
  web_and_tcp() {
    REQUIRE(kurird.web_port() != 0);
    alice.upgrade();
    REQUIRE(alice.call("--hello--|3|ack") == frames{"--ok--|hello|3|ack"});
    alice.register_and_login("alice", "alice-pw");
    bob.hello_ack(3);
    bob.register_and_login("bob", "bob-pass1");
  }
};

} // namespace

TEST_CASE("web: GET / serves the web client; anything else is an error",
          "[web]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  auto page = ws_client{kurird.web_port()}.http(
    "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  CHECK(status_line(page) == "HTTP/1.1 200 OK");
  CHECK(page.find("Content-Security-Policy: default-src 'none'; "
                  "script-src 'self';")
        != std::string::npos);
  CHECK(page.find("<script type=\"module\" src=\"/app.js\">")
        != std::string::npos);
  auto js = ws_client{kurird.web_port()}.http("GET /app.js HTTP/1.1\r\n\r\n");
  CHECK(js.find("Content-Type: text/javascript") != std::string::npos);
  CHECK(status_line(
          ws_client{kurird.web_port()}.http("GET /secret HTTP/1.1\r\n\r\n"))
        == "HTTP/1.1 404 Not Found");
  CHECK(
    status_line(ws_client{kurird.web_port()}.http("DELETE / HTTP/1.1\r\n\r\n"))
    == "HTTP/1.1 405 Method Not Allowed");
}

TEST_CASE("web: a WebSocket session chats with a TCP session, with acks",
          "[web]") {
  web_and_tcp w;
  CHECK(w.alice.call("--send--|c1|bob|hi from the browser")
        == frames{"--ok--|send|1|1|c1"});
  auto got = w.bob.next();
  CHECK(fields(got).at(0) == "--msg--");
  CHECK(fields(got).at(6) == "hi from the browser");
  w.bob.call("--ack--|1");
  w.bob.send("alice|hi back \\; with a semicolon;");
  CHECK(w.bob.next() == "--ok--|send|2|2");
  auto msg = w.alice.next();
  REQUIRE(fields(msg).size() == 7);
  CHECK(fields(msg).at(4) == "bob");
  CHECK(fields(msg).at(6) == "hi back ; with a semicolon");
  CHECK(w.alice.call("--ack--|2").empty()); // awaited: no reply
  // Resent with the same client id: the same answer, nothing new stored.
  CHECK(w.alice.call("--send--|c1|bob|hi from the browser")
        == frames{"--ok--|send|1|1|c1"});
  CHECK(w.bob.barrier() == frames{});
}

TEST_CASE("web: message boundaries mean nothing: many frames in one, one "
          "frame over many",
          "[web]") {
  web_and_tcp w;
  w.alice.send_text("--send--|a|bob|one;--send--|b|bob|two;");
  w.alice.send_text("--send--|c|bob|th");
  w.alice.send_text("ree;");
  CHECK(w.alice.next() == "--ok--|send|1|1|a");
  CHECK(w.alice.next() == "--ok--|send|2|2|b");
  CHECK(w.alice.next() == "--ok--|send|3|3|c");
  // A fragmented message, with a ping from the client in between.
  w.alice.send_raw(ws_frame(0x1, "--ping--|fr", true, false)
                   + ws_frame(0x9, "beat") + ws_frame(0x0, "ag;"));
  auto pong = w.alice.next_ws();
  REQUIRE(pong);
  CHECK(pong->opcode == 0xA);
  CHECK(pong->payload == "beat");
  CHECK(w.alice.next() == "--pong--|frag");
}

TEST_CASE("web: bad messages close that connection only, with their code",
          "[web]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client carol{kurird.port()};
  carol.register_and_login("carol", "carol-pw");
  auto closes = [&](const std::string& bytes) {
    ws_client c{kurird.web_port()};
    c.upgrade();
    c.send_raw(bytes);
    CHECK(c.closed_by_peer());
    CHECK(carol.barrier().empty()); // carol chats on
    return c.close_code();
  };
  CHECK(closes(ws_frame(0x2, "--ping--;")) == 1003);        // binary
  CHECK(closes(ws_frame(0x1, "--ping--;", false)) == 1002); // unmasked
  CHECK(closes(ws_text("--ping--|\xc3;")) == 1007);         // not UTF-8
  CHECK(closes(ws_text(std::string(4099, 'a'))) == 1009);   // past the limit
  // A frame that outgrows the limit over several messages: the error frame,
  // then a normal close.
  ws_client big{kurird.web_port()};
  big.upgrade();
  for (int i = 0; i < 3; ++i)
    big.send_text(std::string(2000, 'a'));
  CHECK(code_of(big.next()) == "frame_too_large");
  CHECK(big.closed_by_peer());
  CHECK(big.close_code() == 1000);
}

TEST_CASE("web: bad handshakes are answered and closed", "[web]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  auto answer = [&](const std::string& request) {
    return status_line(ws_client{kurird.web_port()}.http(request));
  };
  CHECK(answer("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        == "HTTP/1.1 400 Bad Request");
  auto v8 = ws_upgrade_request();
  v8.replace(v8.find("Version: 13"), 11, "Version: 8");
  CHECK(answer(v8) == "HTTP/1.1 426 Upgrade Required");
  CHECK(
    answer(ws_upgrade_request("127.0.0.1", "Origin: http://evil.example\r\n"))
    == "HTTP/1.1 403 Forbidden");
  CHECK(answer("GET / HTTP/1.1\r\nX: " + std::string(9000, 'x') + "\r\n\r\n")
        == "HTTP/1.1 431 Request Header Fields Too Large");
  CHECK(answer("\x16\x03\x01 hello\r\n\r\n") == "HTTP/1.1 400 Bad Request");
}

TEST_CASE("web: a slow request is closed at the login deadline while "
          "another client chats",
          "[web]") {
  temp_dir dir;
  broker_process kurird{dir.path(), {"--login-deadline=1"}};
  client carol{kurird.port()};
  carol.register_and_login("carol", "carol-pw");
  ws_client slow{kurird.web_port()};
  auto got = slow.http("GET / HTTP/1.1\r\n"); // and nothing more
  CHECK(status_line(got) == "HTTP/1.1 408 Request Timeout");
  CHECK(carol.barrier().empty());
  // After the upgrade the session's own deadline applies.
  ws_client idle{kurird.web_port()};
  idle.upgrade();
  CHECK(code_of(idle.next()) == "login_timeout");
  CHECK(idle.closed_by_peer());
  CHECK(idle.close_code() == 1000);
}

TEST_CASE("web: --web-origin lists who may open a WebSocket", "[web]") {
  temp_dir dir;
  broker_process kurird{dir.path(), {"--web-origin=https://chat.example.org"}};
  ws_client ok{kurird.web_port()};
  ok.upgrade("Origin: https://chat.example.org\r\n");
  CHECK(ok.call("--ping--|x") == frames{"--pong--|x"});
  auto same_host = ws_client{kurird.web_port()}.http(
    ws_upgrade_request("127.0.0.1", "Origin: http://127.0.0.1\r\n"));
  CHECK(status_line(same_host) == "HTTP/1.1 403 Forbidden");
}

TEST_CASE("web: SIGTERM closes WebSockets with going-away", "[web]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  ws_client alice{kurird.web_port()};
  alice.upgrade();
  alice.register_and_login("alice", "alice-pw");
  kurird.stop(SIGTERM);
  CHECK(alice.closed_by_peer());
  CHECK(alice.close_code() == 1001);
}
