#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "net/encode.hpp"
#include "net/frame.hpp"

using kurir::errc;
using kurir::net::decode;
using kurir::net::decoder_state;
using kurir::net::delivery_fields;
using kurir::net::encode_delivery;
using kurir::net::encode_error;
using kurir::net::encode_ok;
using kurir::net::encode_pong;
using kurir::net::split_fields;

namespace {

using strings = std::vector<std::string>;

/// Decodes one encoded frame and splits it into at most `max_fields`.
strings round_trip(const std::string& wire, std::size_t max_fields) {
  decoder_state st;
  auto res = decode(st, wire, 1 << 20);
  REQUIRE(res.error == errc::none);
  REQUIRE(res.frames.size() == 1);
  REQUIRE(st.partial.empty());
  return split_fields(res.frames[0], max_fields);
}

const strings nasty_texts = {
  "plain",    "semi;colon", "pi|pe",      "back\\slash",       "line\none\r\n",
  ";|\\;|\\", "\\",         "trailing\\", "\\n not a newline", "",
};

} // namespace

TEST_CASE("encode_ok", "[net][encode]") {
  CHECK(encode_ok("send", {"42", "7"}) == "--ok--|send|42|7;");
  CHECK(encode_ok("login", {}) == "--ok--|login;");
  CHECK(encode_ok("register", {"a;b", "c|d\\"})
        == "--ok--|register|a\\;b|c\\|d\\\\;");
  for (const auto& text : nasty_texts) {
    INFO("text: " << text);
    CHECK(round_trip(encode_ok("send", {text, "x"}), 4)
          == strings{"--ok--", "send", text, "x"});
  }
}

TEST_CASE("encode_error", "[net][encode]") {
  CHECK(encode_error(errc::name_taken, "")
        == "--error--|name_taken|that name is taken;");
  CHECK(encode_error(errc::name_taken)
        == "--error--|name_taken|that name is taken;");
  CHECK(encode_error(errc::bad_request, "empty frame")
        == "--error--|bad_request|empty frame;");
  CHECK(encode_error(errc::unknown_command, "unknown command \"--a;b--\"")
        == "--error--|unknown_command|unknown command \"--a\\;b--\";");
  CHECK(encode_error(errc::storage_full)
        == "--error--|storage_full|the server's disk is full\\; nothing was "
           "stored;");
  for (const auto& text : nasty_texts) {
    if (text.empty())
      continue;
    INFO("text: " << text);
    CHECK(round_trip(encode_error(errc::forbidden, text), 3)
          == strings{"--error--", "forbidden", text});
  }
}

TEST_CASE("encode_pong", "[net][encode]") {
  CHECK(encode_pong("") == "--pong--;");
  CHECK(encode_pong("x") == "--pong--|x;");
  CHECK(encode_pong("a;b") == "--pong--|a\\;b;");
  CHECK(round_trip(encode_pong("t|1\\"), 2) == strings{"--pong--", "t|1\\"});
}

TEST_CASE("encode_delivery", "[net][encode]") {
  delivery_fields d;
  d.id = 42;
  d.seq = 7;
  d.ts_ms = 1717200000123;
  d.from = "alice";
  d.to = "devs";
  d.body = "hi; all | of \\ you";
  CHECK(encode_delivery(d)
        == "--msg--|42|7|1717200000123|alice|devs|hi\\; all \\| of \\\\ you;");
  for (const auto& body : nasty_texts) {
    INFO("body: " << body);
    d.body = body;
    d.id = -1;
    CHECK(
      round_trip(encode_delivery(d), 7)
      == strings{"--msg--", "-1", "7", "1717200000123", "alice", "devs", body});
  }
  SECTION("names with separators survive too") {
    d.from = "a|b";
    d.to = "c;d";
    d.body = "x|y";
    auto fields = round_trip(encode_delivery(d), 7);
    REQUIRE(fields.size() == 7);
    CHECK(fields[4] == "a|b");
    CHECK(fields[5] == "c;d");
    CHECK(fields[6] == "x|y");
  }
}

TEST_CASE("encoded frames have no trailing newline", "[net][encode]") {
  CHECK(encode_ok("ping", {}).back() == ';');
  CHECK(encode_error(errc::internal_error).back() == ';');
  CHECK(encode_pong("").back() == ';');
  CHECK(encode_delivery(delivery_fields{}).back() == ';');
}

TEST_CASE("codes of protocol 3 fall back to older codes for older clients",
          "[net][encode]") {
  using kurir::code_for;
  CHECK(code_for(errc::not_awaiting_ack, 3) == errc::not_awaiting_ack);
  CHECK(code_for(errc::not_awaiting_ack, 2) == errc::bad_request);
  CHECK(code_for(errc::self_send, 1) == errc::bad_request);
  CHECK(code_for(errc::name_taken, 1) == errc::name_taken);
  CHECK(encode_error(errc::self_send, "", 2)
        == "--error--|bad_request|cannot send a message to yourself;");
  CHECK(encode_error(errc::not_awaiting_ack, "not awaiting acknowledgement: 9")
        == "--error--|not_awaiting_ack|not awaiting acknowledgement: 9;");
  CHECK(kurir::to_wire(errc::self_send) == "self_send");
  CHECK(code_for(errc::no_such_group, 3) == errc::no_such_group);
  CHECK(code_for(errc::no_such_group, 2) == errc::no_such_user);
  CHECK(encode_error(errc::no_such_group, "no group x", 1)
        == "--error--|no_such_user|no group x;");
}

TEST_CASE("group events name the group, the change and who made it",
          "[net][encode]") {
  CHECK(kurir::net::encode_group_event("team", true, "alice")
        == "--group--|team|added|alice;");
  CHECK(kurir::net::encode_group_event("team", false, "bob")
        == "--group--|team|removed|bob;");
}
