#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "net/command.hpp"
#include "net/frame.hpp"

using kurir::errc;
using kurir::net::command_kind;
using kurir::net::parse_command;
using kurir::net::parse_result;

namespace {

/// Parses `raw`, requiring success and the expected kind.
kurir::net::command parse_ok(std::string_view raw, command_kind kind) {
  INFO("frame: " << raw);
  auto res = parse_command(raw);
  INFO("detail: " << res.detail);
  REQUIRE(res.error == errc::none);
  REQUIRE(res.cmd.kind == kind);
  return res.cmd;
}

/// Parses `raw`, requiring the error `code` and a non-empty detail.
std::string parse_fail(std::string_view raw, errc code) {
  INFO("frame: " << raw);
  auto res = parse_command(raw);
  REQUIRE(res.error == code);
  REQUIRE_FALSE(res.detail.empty());
  return res.detail;
}

} // namespace

TEST_CASE("parse_command: register and login", "[net][command]") {
  auto cmd
    = parse_ok("--register--|Alice|secret123", command_kind::register_user);
  CHECK(cmd.name == "Alice"); // passed on unfolded
  CHECK(cmd.secret == "secret123");
  CHECK(cmd.target.empty());
  CHECK(cmd.body.empty());
  cmd = parse_ok("--login--|alice|secret123", command_kind::login);
  CHECK(cmd.name == "alice");
  CHECK(cmd.secret == "secret123");
  SECTION("the password takes the rest of the frame") {
    cmd = parse_ok("--login--|alice|pa|ss|word", command_kind::login);
    CHECK(cmd.name == "alice");
    CHECK(cmd.secret == "pa|ss|word");
  }
  SECTION("escapes are removed from name and password") {
    cmd = parse_ok("--register--|al\\|ice|p\\;w\\\\",
                   command_kind::register_user);
    CHECK(cmd.name == "al|ice");
    CHECK(cmd.secret == "p;w\\");
  }
  SECTION("empty fields are passed on for the session to reject") {
    cmd = parse_ok("--login--||", command_kind::login);
    CHECK(cmd.name.empty());
    CHECK(cmd.secret.empty());
  }
}

TEST_CASE("parse_command: register and login need three fields",
          "[net][command]") {
  CHECK(parse_fail("--login--", errc::bad_request)
        == "expected --login--|name|password");
  CHECK(parse_fail("--login--|alice", errc::bad_request)
        == "expected --login--|name|password");
  CHECK(parse_fail("--register--|alice", errc::bad_request)
        == "expected --register--|name|password");
  CHECK(parse_fail("--register--", errc::bad_request)
        == "expected --register--|name|password");
}

TEST_CASE("parse_command: logout in every spelling", "[net][command]") {
  CHECK(parse_ok("--logout--:alice", command_kind::logout).name == "alice");
  CHECK(parse_ok("--logout--|alice", command_kind::logout).name == "alice");
  CHECK(parse_ok("--logout--", command_kind::logout).name.empty());
  CHECK(parse_ok("--logout--:", command_kind::logout).name.empty());
  CHECK(parse_ok("--logout--|", command_kind::logout).name.empty());
  CHECK(parse_ok("--logout--:al\\;ice", command_kind::logout).name == "al;ice");
  // Extra fields stay in the name, where the session's name check rejects it.
  CHECK(parse_ok("--logout--:a|b", command_kind::logout).name == "a|b");
  CHECK(parse_ok("--logout--|a|b", command_kind::logout).name == "a|b");
}

TEST_CASE("parse_command: ping", "[net][command]") {
  CHECK(parse_ok("--ping--", command_kind::ping).token.empty());
  CHECK(parse_ok("--ping--|", command_kind::ping).token.empty());
  CHECK(parse_ok("--ping--|t-42", command_kind::ping).token == "t-42");
  CHECK(parse_ok("--ping--|a\\;b|c", command_kind::ping).token == "a;b|c");
}

TEST_CASE("parse_command: unknown commands", "[net][command]") {
  auto detail = parse_fail("--foo--", errc::unknown_command);
  CHECK(detail.find("--foo--") != std::string::npos);
  detail = parse_fail("--foo--|bar|baz", errc::unknown_command);
  CHECK(detail.find("--foo--") != std::string::npos);
  CHECK(detail.find("bar") == std::string::npos);
  parse_fail("--LOGIN--|alice|secret123", errc::unknown_command);
  parse_fail("--login--:alice|secret123", errc::unknown_command);
  parse_fail("--ping-- ", errc::unknown_command);
  parse_fail("--", errc::unknown_command);
  SECTION("the quoted word is truncated to 32 bytes") {
    std::string word = "--" + std::string(100, 'z');
    detail = parse_fail(word, errc::unknown_command);
    CHECK(detail.find(word.substr(0, 32)) != std::string::npos);
    CHECK(detail.find(word.substr(0, 33)) == std::string::npos);
  }
  SECTION("the quoted word carries no control bytes and no broken escape") {
    detail = parse_fail("--\x1b[31m\\;\\|\\\\--|x", errc::unknown_command);
    CHECK(detail.find('\x1b') == std::string::npos);
    CHECK(detail.find("--?[31m;|\\--") != std::string::npos);
    std::string cut = "--" + std::string(29, 'z') + "\\;\\;";
    detail = parse_fail(cut, errc::unknown_command);
    CHECK(detail.find(std::string(29, 'z') + ";") != std::string::npos);
    CHECK(detail.find(";;") == std::string::npos);
  }
}

TEST_CASE("parse_command: send", "[net][command]") {
  auto cmd = parse_ok("bob|hello there", command_kind::send);
  CHECK(cmd.target == "bob");
  CHECK(cmd.body == "hello there");
  CHECK(cmd.name.empty());
  CHECK(parse_ok("bob|a|b", command_kind::send).body == "a|b");
  CHECK(parse_ok("bob|a\\;b", command_kind::send).body == "a;b");
  CHECK(parse_ok("bob|a\\|b\\\\", command_kind::send).body == "a|b\\");
  CHECK(parse_ok("bob|a\\nb", command_kind::send).body == "a\\nb");
  SECTION("the target is trimmed, the body is not") {
    cmd = parse_ok("  bob \t| hi \n", command_kind::send);
    CHECK(cmd.target == "bob");
    CHECK(cmd.body == " hi \n");
  }
  SECTION("a target that only contains '-' is not a command") {
    CHECK(parse_ok("-bob|hi", command_kind::send).target == "-bob");
  }
}

TEST_CASE("parse_command: ack carries numbers, and the texts of non-ids",
          "[net][command]") {
  using ids = std::vector<int64_t>;
  using texts = std::vector<std::string>;
  auto cmd = parse_ok("--ack--|7|12|9000000000", command_kind::ack);
  CHECK(cmd.ids == ids{7, 12, 9000000000});
  CHECK(cmd.args.empty());
  cmd
    = parse_ok("--ack--|3|x1||-4|5 |99999999999999999999|8", command_kind::ack);
  CHECK(cmd.ids == ids{3, -1, -1, -1, -1, -1, 8});
  CHECK(cmd.args == texts{"x1", "", "-4", "5 ", "99999999999999999999"});
  parse_fail("--ack--", errc::bad_request);
  std::string many = "--ack--";
  for (int i = 0; i < 1025; ++i)
    many += "|" + std::to_string(i);
  // Past limits::max_acks the last field takes the rest: no id.
  cmd = parse_ok(many, command_kind::ack);
  REQUIRE(cmd.ids.size() == 1024);
  CHECK(cmd.ids[1022] == 1022);
  CHECK(cmd.ids[1023] == -1);
  CHECK(cmd.args == texts{"1023|1024"});
}

TEST_CASE("parse_command: malformed frames", "[net][command]") {
  CHECK(parse_fail("", errc::bad_request) == "empty frame");
  CHECK(parse_fail(" \t", errc::bad_request) == "empty frame");
  CHECK(parse_fail("hello", errc::bad_request) == "expected target|message");
  CHECK(parse_fail("bob\\|hi", errc::bad_request) == "expected target|message");
  auto detail = parse_fail("|hi", errc::bad_request);
  CHECK(detail.find("target") != std::string::npos);
  CHECK(parse_fail("   |hi", errc::bad_request) == detail);
  detail = parse_fail("bob|", errc::bad_request);
  CHECK(detail.find("message") != std::string::npos);
}

TEST_CASE("parse_command parses what decode produces", "[net][command]") {
  kurir::net::decoder_state st;
  auto res = kurir::net::decode(
    st, "--login--|alice|pw;\n bob|x\\;y;--logout--:alice;", 1024);
  REQUIRE(res.frames.size() == 3);
  CHECK(parse_ok(res.frames[0], command_kind::login).secret == "pw");
  CHECK(parse_ok(res.frames[1], command_kind::send).body == "x;y");
  CHECK(parse_ok(res.frames[2], command_kind::logout).name == "alice");
}

TEST_CASE("parse_command tolerates leading whitespace", "[net][command]") {
  // decode already strips it; parse_command does not rely on that.
  CHECK(parse_ok(" \r\n--ping--|t", command_kind::ping).token == "t");
  CHECK(parse_ok("\t--logout--:bob", command_kind::logout).name == "bob");
  CHECK(parse_ok(" --login--|a|b", command_kind::login).secret == "b");
}

TEST_CASE("to_string names every command kind", "[net][command]") {
  using kurir::net::to_string;
  CHECK(to_string(command_kind::register_user) == "register");
  CHECK(to_string(command_kind::login) == "login");
  CHECK(to_string(command_kind::logout) == "logout");
  CHECK(to_string(command_kind::ping) == "ping");
  CHECK(to_string(command_kind::send) == "send");
}
