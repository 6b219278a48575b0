// The web client explains errors in the terminal client's words: every
// sentence of client/terminal/error_text.cpp, and every default text of
// proto/errc.cpp, is in web/errors.js word for word (JSON-escaped).

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "client/terminal/error_text.hpp"
#include "proto/errc.hpp"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in{path};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// `text` as a JSON string literal (the sentences have no control bytes).
std::string json(std::string_view text) {
  std::string res = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      res += '\\';
    res += c;
  }
  return res + "\"";
}

} // namespace

TEST_CASE("web/errors.js says what the terminal client says", "[client]") {
  auto js = read_file(KURIR_SOURCE_DIR "/web/errors.js");
  REQUIRE_FALSE(js.empty());
  for (int i = 1; i <= static_cast<int>(kurir::errc_last); ++i) {
    auto x = static_cast<kurir::errc>(i);
    auto code = std::string{kurir::to_wire(x)};
    INFO(code);
    CHECK_THAT(js, Catch::Contains("  " + code + ": "
                                   + json(kurir::client::explain(code))));
    CHECK_THAT(js, Catch::Contains(json(kurir::default_text(x))));
  }
  for (auto code : {"connection_lost", "cannot_connect", "protocol"})
    CHECK_THAT(js, Catch::Contains(json(kurir::client::explain(code))));
}
