// The web port's byte path without sockets: HTTP answers, the upgrade,
// and WebSocket framing (net/web).

#include <catch2/catch.hpp>

#include "net/utf8.hpp"
#include "net/web/assets.hpp"
#include "net/web/handshake.hpp"
#include "net/web/web_stream.hpp"
#include "tests/support/ws_frames.hpp"

using namespace kurir::net;
using kurir::test::ws_frame;
using kurir::test::ws_read;
using kurir::test::ws_text;
using kurir::test::ws_upgrade_request;

namespace {

/// A web stream after a successful upgrade from 127.0.0.1.
web_stream upgraded(std::size_t max_message = 64) {
  web_stream ws{web_origins{}, max_message};
  auto r = ws.feed(ws_upgrade_request());
  REQUIRE(r.upgraded);
  REQUIRE(r.status == 101);
  return ws;
}

std::string status_line(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

} // namespace

TEST_CASE("web: the accept key of RFC 6455's example", "[net][web]") {
  CHECK(ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==")
        == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST_CASE("web: the client's files, with a policy against inline script",
          "[net][web]") {
  REQUIRE(find_web_asset("/") != nullptr);
  CHECK(find_web_asset("/") == find_web_asset("/index.html"));
  CHECK(find_web_asset("/app.js")->type.find("javascript")
        != std::string::npos);
  CHECK(find_web_asset("/../etc/passwd") == nullptr);
  web_stream ws{web_origins{}, 64};
  auto r = ws.feed("GET / HTTP/1.1\r\nHost: 127.0.0.1:7780\r\n\r\n");
  CHECK(r.status == 200);
  CHECK(r.close);
  CHECK(status_line(r.out) == "HTTP/1.1 200 OK");
  CHECK(r.out.find("Content-Security-Policy: default-src 'none'; "
                   "script-src 'self';")
        != std::string::npos);
  CHECK(r.out.find("X-Content-Type-Options: nosniff") != std::string::npos);
  CHECK(r.out.find("\r\n\r\n" + std::string{find_web_asset("/")->body})
        != std::string::npos);
  CHECK(ws.feed("more").out.empty()); // answered: nothing more is read
}

TEST_CASE("web: HTTP errors close the connection", "[net][web]") {
  auto answer = [](std::string req) {
    web_stream ws{web_origins{}, 64};
    auto r = ws.feed(req);
    CHECK(r.close);
    return status_line(r.out);
  };
  CHECK(answer("GET /nope HTTP/1.1\r\n\r\n") == "HTTP/1.1 404 Not Found");
  CHECK(answer("POST / HTTP/1.1\r\n\r\n") == "HTTP/1.1 405 Method Not Allowed");
  CHECK(answer("hello\r\n\r\n") == "HTTP/1.1 400 Bad Request");
  CHECK(answer("GET / HTTP/1.1\r\nX: " + std::string(9000, 'a'))
        == "HTTP/1.1 431 Request Header Fields Too Large");
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 65; ++i)
    many += "X-" + std::to_string(i) + ": 1\r\n";
  CHECK(answer(many + "\r\n")
        == "HTTP/1.1 431 Request Header Fields Too Large");
  // Upgrades that are not right.
  CHECK(answer("GET /ws HTTP/1.1\r\nHost: a\r\n\r\n")
        == "HTTP/1.1 400 Bad Request");
  auto v8 = ws_upgrade_request();
  v8.replace(v8.find("Version: 13"), 11, "Version: 8");
  CHECK(answer(v8) == "HTTP/1.1 426 Upgrade Required");
  auto bad_key = ws_upgrade_request();
  bad_key.replace(bad_key.find("dGhl"), 4, "!!!!");
  CHECK(answer(bad_key) == "HTTP/1.1 400 Bad Request");
}

TEST_CASE("web: the request may come byte by byte; the deadline answers 408",
          "[net][web]") {
  web_stream ws{web_origins{}, 64};
  auto req = ws_upgrade_request() + ws_text("--ping--;");
  web_stream::result last;
  for (char c : req) {
    auto r = ws.feed(std::string_view{&c, 1});
    if (r.upgraded)
      CHECK(r.out.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
            != std::string::npos);
    for (auto& t : r.texts)
      last.texts.push_back(t);
  }
  CHECK(ws.upgraded());
  CHECK(last.texts == std::vector<std::string>{"--ping--;"});
  CHECK(ws.timeout().empty()); // upgraded: the session's deadlines apply
  web_stream slow{web_origins{}, 64};
  slow.feed("GET / HTTP/1.1\r\n");
  CHECK(status_line(slow.timeout()) == "HTTP/1.1 408 Request Timeout");
}

TEST_CASE("web: origins", "[net][web]") {
  web_origins same;
  CHECK(same.admit("", "127.0.0.1:7780")); // not a browser
  CHECK(same.admit("http://127.0.0.1:7780", "127.0.0.1:7780"));
  CHECK(same.admit("https://Chat.Example.org", "chat.example.org"));
  CHECK_FALSE(same.admit("http://evil.example", "127.0.0.1:7780"));
  CHECK_FALSE(same.admit("http://127.0.0.1:9999", "127.0.0.1:7780"));
  auto listed = web_origins::parse("https://a.example, https://b.example/");
  CHECK(listed.admit("https://b.example", "whatever"));
  CHECK_FALSE(listed.admit("http://127.0.0.1:7780", "127.0.0.1:7780"));
  web_stream ws{web_origins{}, 64};
  auto r = ws.feed(
    ws_upgrade_request("127.0.0.1:7780", "Origin: http://evil.example\r\n"));
  CHECK(r.status == 403);
  CHECK(r.close);
  CHECK_FALSE(ws.upgraded());
}

TEST_CASE("web: text messages carry frames, fragmented or not", "[net][web]") {
  auto ws = upgraded();
  auto r = ws.feed(ws_text("--ping--;--ping--|a;"));
  CHECK(r.texts == std::vector<std::string>{"--ping--;--ping--|a;"});
  auto frag = ws_frame(0x1, "--pi", true, false) + ws_frame(0x0, "ng--;");
  r = ws.feed(frag);
  CHECK(r.texts == std::vector<std::string>{"--ping--;"});
  // A ping between fragments is answered with a pong of the same payload.
  r = ws.feed(ws_frame(0x1, "a", true, false) + ws_frame(0x9, "hb")
              + ws_frame(0x0, "b"));
  CHECK(r.texts == std::vector<std::string>{"ab"});
  std::string out = r.out;
  auto frames = ws_read(out);
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].opcode == 0xA);
  CHECK(frames[0].payload == "hb");
  CHECK_FALSE(r.close);
}

TEST_CASE("web: what the server sends is one message per write", "[net][web]") {
  auto ws = upgraded();
  std::string out = ws.send("--ok--|login|bob;\n");
  auto frames = ws_read(out);
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].opcode == 0x1);
  CHECK(frames[0].payload == "--ok--|login|bob;\n");
  out = ws.send("--msg--|1|1|0|a|b|\xff;\n"); // bodies are bytes
  frames = ws_read(out);
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].opcode == 0x2);
  out = ws.send(std::string(70000, 'x'));
  frames = ws_read(out);
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].payload.size() == 70000);
}

TEST_CASE("web: bad messages close with their code", "[net][web]") {
  auto close_code = [](const std::string& bytes) {
    auto ws = upgraded(16);
    auto r = ws.feed(bytes);
    CHECK(r.close);
    CHECK(r.texts.empty());
    std::string out = r.out;
    auto frames = ws_read(out);
    CHECK(ws.send("late").empty()); // nothing after the close
    return frames.empty() ? 0 : frames.back().close_code();
  };
  CHECK(close_code(ws_frame(0x2, "bin")) == 1003);
  CHECK(close_code(ws_text("caf\xc3")) == 1007);
  CHECK(close_code(ws_text("\xed\xa0\x80")) == 1007); // a surrogate
  CHECK(close_code(ws_text(std::string(17, 'a'))) == 1009);
  CHECK(close_code(ws_frame(0x1, "a", false)) == 1002); // unmasked
  CHECK(close_code(ws_frame(0x3, "a")) == 1002);        // reserved opcode
  CHECK(close_code(ws_frame(0x0, "a")) == 1002);        // nothing to continue
  auto ws = upgraded();
  auto r = ws.feed(ws_frame(0x8, std::string{"\x03\xe8", 2}));
  CHECK(r.close);
  std::string out = r.out;
  auto frames = ws_read(out);
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].close_code() == 1000); // the close is answered
}

TEST_CASE("web: the message limit follows the frame limit", "[net][web]") {
  auto ws = upgraded(16);
  ws.set_max_message(64);
  auto r = ws.feed(ws_text(std::string(40, 'a')));
  CHECK_FALSE(r.close);
  CHECK(r.texts.size() == 1);
  std::string out = ws.close(ws_close::going_away, "bye");
  auto frames = ws_read(out);
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].close_code() == 1001);
  CHECK(ws.close(ws_close::normal, "").empty());
}

TEST_CASE("utf8: well-formed and not", "[net][web]") {
  CHECK(kurir::net::valid_utf8(""));
  CHECK(kurir::net::valid_utf8("kurir \xc3\xa7 \xe2\x82\xac \xf0\x9f\x92\xac"));
  CHECK_FALSE(kurir::net::valid_utf8("\xc0\xaf"));         // overlong
  CHECK_FALSE(kurir::net::valid_utf8("\xe0\x80\xaf"));     // overlong
  CHECK_FALSE(kurir::net::valid_utf8("\xf4\x90\x80\x80")); // past U+10FFFF
  CHECK_FALSE(kurir::net::valid_utf8("\x80"));
  CHECK_FALSE(kurir::net::valid_utf8("\xe2\x82")); // cut short
}
