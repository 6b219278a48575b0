#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "proto/limits.hpp"

namespace {

/// Returns the text between the limits markers of docs/PROTOCOL.md.
std::string documented_table() {
  std::ifstream in{KURIR_SOURCE_DIR "/docs/PROTOCOL.md"};
  std::stringstream buf;
  buf << in.rdbuf();
  auto text = buf.str();
  auto begin = text.find("<!-- limits:begin");
  auto end = text.find("<!-- limits:end -->");
  if (begin == std::string::npos || end == std::string::npos || end < begin)
    return "(no limits markers in docs/PROTOCOL.md)";
  begin = text.find('\n', begin) + 1;
  return text.substr(begin, end - begin);
}

} // namespace

TEST_CASE("docs/PROTOCOL.md's limits table is the one kurird derives",
          "[proto][limits]") {
  // On a mismatch: `kurird --print-limits` prints the table to paste.
  CHECK(documented_table() == kurir::limits::limit_table_markdown());
}

TEST_CASE("the limits table quotes the constants", "[proto][limits]") {
  using namespace kurir::limits;
  auto md = limit_table_markdown();
  CHECK_THAT(md, Catch::Contains("| message body | 16384 bytes"));
  CHECK_THAT(md, Catch::Contains("ping after 90 s, close after 150 s"));
  CHECK_THAT(md, Catch::Contains("10 a second, bursts of 20"));
  CHECK_THAT(md, Catch::Contains("| a database locked by another process | 5 s "
                                 "| `--busy-timeout` |"));
  CHECK_THAT(md, Catch::Contains("| on the TLS port: a handshake that does "
                                 "not finish | — | `--login-deadline` |"));
  CHECK_THAT(
    md, Catch::Contains(
          "| web and metrics ports: request head | 8192 bytes, 64 header lines "
          "| compiled in | HTTP 431"));
  CHECK(limit_table().size() == 31);
  for (const auto& row : limit_table()) {
    INFO(row.limit);
    CHECK(row.limit.find('|') == std::string::npos);
    CHECK(!row.value.empty());
    CHECK(!row.options.empty());
  }
}

TEST_CASE("with_default appends the default in parentheses",
          "[proto][limits]") {
  using kurir::limits::with_default;
  CHECK(with_default("bytes", 16384) == "bytes (16384)");
  CHECK(with_default("seconds", 0.5) == "seconds (0.5)");
}
