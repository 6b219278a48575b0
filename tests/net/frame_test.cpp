#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "net/frame.hpp"

using kurir::errc;
using kurir::net::decode;
using kurir::net::decoder_state;
using kurir::net::escape;
using kurir::net::split_fields;

namespace {

using strings = std::vector<std::string>;

constexpr std::size_t big_limit = 4096;

/// Decodes `chunks` one after another into `st`; fails the test on a
/// decode error.
strings decode_chunks(const strings& chunks, decoder_state& st,
                      std::size_t limit = big_limit) {
  strings out;
  for (const auto& chunk : chunks) {
    auto res = decode(st, chunk, limit);
    REQUIRE(res.error == errc::none);
    out.insert(out.end(), res.frames.begin(), res.frames.end());
  }
  return out;
}

strings decode_all(std::string_view text, std::size_t limit = big_limit) {
  decoder_state st;
  auto res = decode(st, text, limit);
  REQUIRE(res.error == errc::none);
  CHECK(st.partial.empty());
  return res.frames;
}

bool starts_with_space(const std::string& s) {
  return !s.empty()
         && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n');
}

// Several frames of every client kind, with escapes and whitespace between.
const std::string stream = "--register--|alice|pw123456;\n"
                           "--login--|alice|pw\\;x|y;  "
                           "bob|hi \\| there \\\\;\r\n"
                           "--logout--:alice;\t--ping--|t1;";
const strings stream_frames
  = {"--register--|alice|pw123456", "--login--|alice|pw\\;x|y",
     "bob|hi \\| there \\\\", "--logout--:alice", "--ping--|t1"};

} // namespace

TEST_CASE("decode splits every seed frame type", "[net][frame]") {
  CHECK(decode_all("--register--|alice|secret123;")
        == strings{"--register--|alice|secret123"});
  CHECK(decode_all("--login--|alice|secret123;")
        == strings{"--login--|alice|secret123"});
  CHECK(decode_all("bob|hello there;") == strings{"bob|hello there"});
  CHECK(decode_all("devs|hello group;") == strings{"devs|hello group"});
  CHECK(decode_all("--logout--:alice;") == strings{"--logout--:alice"});
  CHECK(decode_all("--logout--|alice;") == strings{"--logout--|alice"});
  CHECK(decode_all("--ping--;") == strings{"--ping--"});
  CHECK(decode_all("--ping--|tok;") == strings{"--ping--|tok"});
  CHECK(decode_all("--ok--|send|42|7;") == strings{"--ok--|send|42|7"});
  CHECK(decode_all("--error--|name_taken|that name is taken;")
        == strings{"--error--|name_taken|that name is taken"});
  CHECK(decode_all("--msg--|1|2|3|alice|bob|hi;")
        == strings{"--msg--|1|2|3|alice|bob|hi"});
  CHECK(decode_all("--pong--;") == strings{"--pong--"});
}

TEST_CASE("decode returns several frames from one chunk", "[net][frame]") {
  CHECK(decode_all(stream) == stream_frames);
  CHECK(decode_all("a|1;b|2;c|3;") == strings{"a|1", "b|2", "c|3"});
  CHECK(decode_all(";;") == strings{"", ""});
}

TEST_CASE("decode is independent of where the stream is split",
          "[net][frame]") {
  for (std::size_t k = 0; k <= stream.size(); ++k) {
    INFO("split at " << k);
    decoder_state st;
    auto first = decode(st, std::string_view{stream}.substr(0, k), big_limit);
    REQUIRE(first.error == errc::none);
    CHECK_FALSE(starts_with_space(st.partial));
    auto second = decode(st, std::string_view{stream}.substr(k), big_limit);
    REQUIRE(second.error == errc::none);
    auto frames = first.frames;
    frames.insert(frames.end(), second.frames.begin(), second.frames.end());
    CHECK(frames == stream_frames);
    CHECK(st.partial.empty());
    CHECK_FALSE(st.escaped);
  }
}

TEST_CASE("decode byte by byte equals decode in one piece", "[net][frame]") {
  decoder_state st;
  strings frames;
  for (char c : stream) {
    auto res = decode(st, std::string_view{&c, 1}, big_limit);
    REQUIRE(res.error == errc::none);
    CHECK_FALSE(starts_with_space(st.partial));
    frames.insert(frames.end(), res.frames.begin(), res.frames.end());
  }
  CHECK(frames == stream_frames);
  CHECK(st.partial.empty());
}

TEST_CASE("decode skips whitespace between frames without buffering it",
          "[net][frame]") {
  decoder_state st;
  auto res = decode(st, " \t\r\n\f\v\n\n   ", big_limit);
  CHECK(res.error == errc::none);
  CHECK(res.frames.empty());
  CHECK(st.partial.empty());
  res = decode(st, "\n  bob|hi;\r\n  \n", big_limit);
  CHECK(res.frames == strings{"bob|hi"});
  CHECK(st.partial.empty());
  SECTION("whitespace inside a frame is kept") {
    CHECK(decode_chunks({"bob|hi ", " there ;"}, st)
          == strings{"bob|hi  there "});
  }
  SECTION("leading whitespace of a frame split across chunks is dropped") {
    CHECK(decode_chunks({"  \n", "\t bob", "|x;"}, st) == strings{"bob|x"});
  }
}

TEST_CASE("decode keeps escapes, also across chunks", "[net][frame]") {
  CHECK(decode_all("bob|a\\;b\\|c\\\\d;") == strings{"bob|a\\;b\\|c\\\\d"});
  CHECK(decode_all("bob|a\\\\;x;") == strings{"bob|a\\\\", "x"});
  decoder_state st;
  SECTION("backslash at the end of a chunk escapes the next chunk's ';'") {
    auto res = decode(st, "bob|a\\", big_limit);
    CHECK(res.frames.empty());
    CHECK(st.escaped);
    CHECK(st.partial == "bob|a\\");
    res = decode(st, ";b;", big_limit);
    CHECK(res.frames == strings{"bob|a\\;b"});
    CHECK(split_fields(res.frames[0], 2) == strings{"bob", "a;b"});
  }
  SECTION("an escaped backslash at the end of a chunk escapes nothing") {
    auto res = decode(st, "bob|a\\\\", big_limit);
    CHECK(res.frames.empty());
    CHECK_FALSE(st.escaped);
    res = decode(st, ";b;", big_limit);
    CHECK(res.frames == strings{"bob|a\\\\", "b"});
  }
}

TEST_CASE("decode enforces the frame size limit", "[net][frame]") {
  constexpr std::size_t limit = 10;
  const std::string exact(limit, 'x');
  decoder_state st;
  SECTION("a frame of exactly the limit passes") {
    auto res = decode(st, exact + ";", limit);
    CHECK(res.error == errc::none);
    CHECK(res.frames == strings{exact});
  }
  SECTION("the limit plus one byte fails") {
    auto res = decode(st, exact + "x;", limit);
    CHECK(res.error == errc::frame_too_large);
    CHECK(res.frames.empty());
    CHECK(st.partial.empty());
  }
  SECTION("the terminator may arrive in a later chunk") {
    CHECK(decode(st, exact, limit).error == errc::none);
    CHECK(st.partial == exact);
    CHECK(decode(st, ";", limit).frames == strings{exact});
  }
  SECTION("one excess byte in a later chunk fails at once") {
    CHECK(decode(st, exact, limit).error == errc::none);
    CHECK(decode(st, "x", limit).error == errc::frame_too_large);
  }
  SECTION("leading whitespace does not count") {
    auto res = decode(st, "  \r\n\t " + exact + ";", limit);
    CHECK(res.error == errc::none);
    CHECK(res.frames == strings{exact});
  }
  SECTION("frames before the oversized one are still returned") {
    auto res = decode(st, "a|b;" + exact + "x", limit);
    CHECK(res.error == errc::frame_too_large);
    CHECK(res.frames == strings{"a|b"});
  }
}

TEST_CASE("decode reports an unterminated stream as soon as it outgrows "
          "the limit",
          "[net][frame]") {
  constexpr std::size_t limit = 10;
  decoder_state st;
  std::size_t fed = 0;
  for (int round = 0; round < 3; ++round) { // 3, 6, 9 bytes: within limit
    auto res = decode(st, "abc", limit);
    fed += 3;
    REQUIRE(res.error == errc::none);
    CHECK(st.partial.size() == fed);
  }
  auto res = decode(st, "def", limit); // 12 bytes: over the limit
  CHECK(res.error == errc::frame_too_large);
  CHECK(st.partial.size() <= limit);
}

TEST_CASE("split_fields honours max_fields", "[net][frame]") {
  CHECK(split_fields("a|b|c", 3) == strings{"a", "b", "c"});
  CHECK(split_fields("a|b|c", 5) == strings{"a", "b", "c"});
  CHECK(split_fields("a|b|c", 2) == strings{"a", "b|c"});
  CHECK(split_fields("a|b|c", 1) == strings{"a|b|c"});
  CHECK(split_fields("", 3) == strings{""});
  CHECK(split_fields("|", 3) == strings{"", ""});
  CHECK(split_fields("a||b|", 4) == strings{"a", "", "b", ""});
}

TEST_CASE("split_fields removes escapes", "[net][frame]") {
  CHECK(split_fields("a\\|b|c", 3) == strings{"a|b", "c"});
  CHECK(split_fields("a\\;b\\\\c", 3) == strings{"a;b\\c"});
  CHECK(split_fields("\\\\|x", 3) == strings{"\\", "x"});
  CHECK(split_fields("a|b\\|c|d", 2) == strings{"a", "b|c|d"});
  SECTION("an unknown escape is kept as two bytes") {
    auto f = split_fields("a\\nb", 2);
    REQUIRE(f.size() == 1);
    CHECK(f[0] == "a\\nb");
    CHECK(f[0].size() == 4);
  }
  SECTION("a trailing lone backslash is kept") {
    CHECK(split_fields("abc\\", 2) == strings{"abc\\"});
    CHECK(split_fields("a|\\", 2) == strings{"a", "\\"});
  }
}

TEST_CASE("escape escapes exactly semicolon, bar and backslash",
          "[net][frame]") {
  CHECK(escape("plain text") == "plain text");
  CHECK(escape("a;b|c\\d") == "a\\;b\\|c\\\\d");
  CHECK(escape("\n\t") == "\n\t");
  const std::string nasty = "x;|\\\\|;\\n\\";
  CHECK(split_fields(escape(nasty), 1) == strings{nasty});
  CHECK(split_fields(escape(nasty) + "|" + escape(nasty), 3)
        == strings{nasty, nasty});
}

TEST_CASE("looks_like_http spots an HTTP request line", "[net][frame]") {
  using kurir::net::looks_like_http;
  CHECK(looks_like_http("GET / HTTP/1.1\r\n"));
  CHECK(looks_like_http("POST /x HTTP/1.0"));
  CHECK(looks_like_http("PRI * HTTP/2.0\r\n"));
  CHECK(looks_like_http("CONNECT host:443 HTTP/1.1"));
  CHECK_FALSE(looks_like_http("--login--|alice|secret;"));
  CHECK_FALSE(looks_like_http("bob|GET / HTTP/1.1;"));
  CHECK_FALSE(looks_like_http("GETX"));
  CHECK_FALSE(looks_like_http("get / HTTP/1.1"));
  CHECK_FALSE(looks_like_http(""));
}

TEST_CASE("looks_like_tls spots a TLS handshake record", "[net][frame]") {
  using kurir::net::looks_like_tls;
  CHECK(looks_like_tls(std::string_view{"\x16\x03\x01\x02\x00", 5}));
  CHECK(looks_like_tls(std::string_view{"\x16\x03\x03", 3}));
  CHECK_FALSE(looks_like_tls(std::string_view{"\x16\x03", 2}));
  CHECK_FALSE(looks_like_tls(std::string_view{"\x16\x02\x01", 3}));
  CHECK_FALSE(looks_like_tls(std::string_view{"\x16\x03\x09", 3}));
  CHECK_FALSE(looks_like_tls("--login--|alice|secret;"));
}

TEST_CASE("count_frames counts the unescaped terminators", "[net][frame]") {
  CHECK(kurir::net::count_frames("") == 0);
  CHECK(kurir::net::count_frames("--ok--|login|alice;") == 1);
  CHECK(kurir::net::count_frames("--msg--|1|a\\;b;\n--ok--|x;") == 2);
  CHECK(kurir::net::count_frames("a\\\\;") == 1); // an escaped backslash
}
