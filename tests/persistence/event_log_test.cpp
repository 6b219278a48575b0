// The append-only log.txt: escaping, formatting, appending.

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "persistence/event_log.hpp"
#include "tests/support/temp_dir.hpp"

using namespace kurir;
using namespace kurir::persistence;
using kurir::test::temp_dir;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in{path};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

} // namespace

TEST_CASE("escape_for_log keeps one event on one line", "[persistence][log]") {
  CHECK(escape_for_log("plain text") == "plain text");
  CHECK(escape_for_log("a\nb") == "a\\x0ab");
  CHECK(escape_for_log("a\rb") == "a\\x0db");
  CHECK(escape_for_log("\x1b[31mred") == "\\x1b[31mred");
  CHECK(escape_for_log("back\\slash") == "back\\\\slash");
  CHECK(escape_for_log("\x7f") == "\\x7f");
  CHECK(escape_for_log(std::string("\0", 1)) == "\\x00");
  CHECK(escape_for_log("caf\xc3\xa9") == "caf\xc3\xa9"); // UTF-8 passes
  // A forged record cannot start a line of its own, and the escape of a
  // literal "\x0a" differs from the escape of a real newline.
  auto forged = escape_for_log("hi\n[2026-01-01 00:00:00] fake");
  CHECK(forged.find('\n') == std::string::npos);
  CHECK(forged == "hi\\x0a[2026-01-01 00:00:00] fake");
  CHECK(escape_for_log("\\x0a") != escape_for_log("\n"));
}

TEST_CASE("format_log_line writes UTC timestamps", "[persistence][log]") {
  CHECK(format_log_line(1795799111000, "text") == "[2026-11-27 17:05:11] text");
  CHECK(format_log_line(1795799111999, "x") == "[2026-11-27 17:05:11] x");
  CHECK(format_log_line(0, "") == "[1970-01-01 00:00:00] ");
  CHECK(format_log_line(-1, "x") == "[1969-12-31 23:59:59] x");
}

TEST_CASE("event_log appends lines and never truncates", "[persistence][log]") {
  temp_dir dir;
  auto path = dir.file("log.txt");
  {
    event_log log;
    REQUIRE(log.open(path));
    REQUIRE(log.append(1795799111000, "first"));
    REQUIRE(log.append(1795799112000, escape_for_log("two\nlines")));
    REQUIRE(log.flush());
    CHECK(read_all(path)
          == "[2026-11-27 17:05:11] first\n"
             "[2026-11-27 17:05:12] two\\x0alines\n");
  }
  {
    event_log log;
    REQUIRE(log.open(path));
    REQUIRE(log.append(1795799113000, "third"));
  } // the destructor flushes and closes
  CHECK(read_all(path)
        == "[2026-11-27 17:05:11] first\n"
           "[2026-11-27 17:05:12] two\\x0alines\n"
           "[2026-11-27 17:05:13] third\n");
}

TEST_CASE("event_log reports failures", "[persistence][log]") {
  temp_dir dir;
  event_log log;
  SECTION("not open") {
    CHECK(log.append(0, "x").error().code == errc::storage_error);
    CHECK(log.flush().error().code == errc::storage_error);
  }
  SECTION("a directory that does not exist") {
    auto res = log.open(dir.file("missing/log.txt"));
    REQUIRE_FALSE(res);
    CHECK(res.error().code == errc::storage_error);
    CHECK_THAT(res.error().detail, Catch::Contains("missing/log.txt"));
  }
  SECTION("a full disk") {
    REQUIRE(log.open("/dev/full"));
    // Buffered: the failure shows at the latest when flushing.
    auto appended = log.append(0, std::string(100000, 'x'));
    auto flushed = log.flush();
    auto failed = !appended ? appended : flushed;
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == errc::storage_full);
  }
}
