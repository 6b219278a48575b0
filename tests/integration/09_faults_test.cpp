// Storage faults from GUARANTEES.md: a disk that fills up (case 25) and
// kill -9 of the broker again and again under load (case 24).

#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/harness.hpp"
#include "tests/support/small_disk.hpp"

using namespace kurir::test;

namespace {

/// Sends `text` from `c` to bob; returns the error code, or "ok".
std::string send_to_bob(client& c, const std::string& text) {
  auto frames = c.call("bob|" + text);
  REQUIRE(frames.size() == 1);
  if (fields(frames[0])[0] == "--ok--")
    return "ok";
  return code_of(frames[0]);
}

} // namespace

TEST_CASE("case 25: a full disk refuses sends with storage_full and they "
          "work again when space returns",
          "[integration]") {
  small_disk disk{4 << 20};
  if (!disk.mounted()) {
    REQUIRE(geteuid() != 0); // root must be able to mount a tmpfs
    WARN("case 25 needs root to mount a tmpfs: " << disk.error());
    return;
  }
  broker_process kurird{disk.path()};
  client bob{kurird.port()};
  bob.call("--register--|bob|bob-pass1");
  client alice{kurird.port()};
  alice.register_and_login("alice", "alice-pw");
  REQUIRE(send_to_bob(alice, "before the disk filled") == "ok");
  REQUIRE(disk.fill() > 0);
  // What still fits in pages SQLite already holds is stored and confirmed;
  // the first send that needs a new page is refused.
  const std::string filler(2000, 'f');
  std::vector<int> confirmed;
  std::string refusal;
  for (int i = 0; i < 4000 && refusal.empty(); ++i) {
    auto res = send_to_bob(alice, "full " + std::to_string(i) + " " + filler);
    if (res == "ok")
      confirmed.push_back(i);
    else
      refusal = res;
  }
  CHECK(refusal == "storage_full");
  // The broker keeps serving: the same connection and a new one.
  CHECK(alice.barrier().empty());
  client carol{kurird.port()};
  CHECK(code_of(carol.call("--login--|carol|carol-pw1")[0]) == "auth_failed");
  CHECK(code_of(carol.call("--register--|carol|carol-pw1")[0])
        == "storage_full");
  disk.free_space();
  CHECK(send_to_bob(alice, "after the space returned") == "ok");
  // Bob gets exactly what was confirmed, in order, and nothing refused.
  auto frames = bob.call("--login--|bob|bob-pass1");
  REQUIRE(frames.size() == confirmed.size() + 3);
  CHECK(fields(frames[1])[6] == "before the disk filled");
  for (std::size_t i = 0; i < confirmed.size(); ++i)
    CHECK(fields(frames[i + 2])[6]
          == "full " + std::to_string(confirmed[i]) + " " + filler);
  CHECK(fields(frames.back())[6] == "after the space returned");
  CHECK(kurird.stop(SIGTERM) == 0);
}

// Case 24 drives kurir-sim: it exists when kurir-sim is built
// (KURIR_BUILD_SIM).
#ifdef KURIR_SIM_BIN

namespace {

/// Runs `command`; returns its exit status and stdout.
std::pair<int, std::string> run(const std::string& command) {
  std::string out;
  std::FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  while (auto n = std::fread(buf, 1, sizeof buf, p))
    out.append(buf, n);
  int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, out};
}

/// Returns the first column of every row `sql` yields, as text.
std::vector<std::string> column(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::vector<std::string> rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    auto text = sqlite3_column_text(stmt, 0);
    rows.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
  }
  sqlite3_finalize(stmt);
  return rows;
}

/// The messages of every conversation as "conv sender number" lines, in
/// sequence order; the number is the sender's own count in the body
/// kurir-sim made (`sender:n:xxx`).
std::vector<std::string> history_lines(sqlite3* db) {
  return column(db, "SELECT conv || ' ' || sender || ' ' ||"
                    " substr(body, length(sender) + 2,"
                    "  instr(substr(body, length(sender) + 2), ':') - 1)"
                    " FROM messages ORDER BY conv, seq");
}

/// Counts the (conversation, sender) pairs whose numbers do not increase.
int out_of_order(const std::vector<std::string>& lines) {
  std::map<std::string, long> last;
  int bad = 0;
  for (const auto& line : lines) {
    auto cut = line.rfind(' ');
    auto n = std::stol(line.substr(cut + 1));
    auto [it, fresh] = last.emplace(line.substr(0, cut), n);
    if (!fresh && n <= it->second)
      ++bad;
    it->second = n;
  }
  return bad;
}

} // namespace

TEST_CASE("case 24: kill -9 again and again under load loses, duplicates "
          "and reorders nothing, and the database stays intact",
          "[integration]") {
  // kurir-sim sends 2400 numbered messages over about 10 s, SIGKILLs its
  // kurird child about every 0.8 s and restarts it; it exits 1 unless every
  // confirmed message was delivered once, in order, and at least 8 kills
  // happened.
  auto [status, json] = run(
    std::string{KURIR_SIM_BIN}
    + " --workload=dm --users=12 --messages=200"
      " --rate=20 --kill-every=0.8 --min-kills=8 --settle=20 --timeout=100"
      " --keep-data --json --no-progress");
  INFO(json);
  CHECK(status == 0);
  std::smatch m;
  REQUIRE(std::regex_search(json, m, std::regex{"\"data_dir\":\"([^\"]+)\""}));
  std::filesystem::path data{m[1].str()};
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2((data / "kurir.db").c_str(), &db,
                          SQLITE_OPEN_READONLY, nullptr)
          == SQLITE_OK);
  CHECK(column(db, "PRAGMA integrity_check") == std::vector<std::string>{"ok"});
  // One row per message in history: no body twice, no gap in a sequence.
  CHECK(column(db, "SELECT conv FROM messages GROUP BY conv, body"
                   " HAVING count(*) > 1")
          .empty());
  CHECK(column(db, "SELECT conv FROM messages GROUP BY conv"
                   " HAVING count(*) != max(seq) OR min(seq) != 1")
          .empty());
  // No cursor past its conversation's newest message.
  CHECK(column(db, "SELECT p.member FROM participants p WHERE p.cursor >"
                   " (SELECT coalesce(max(seq), 0) FROM messages m"
                   " WHERE m.conv = p.conv)")
          .empty());
  auto lines = history_lines(db);
  CHECK(lines.size() == 2400);
  CHECK(out_of_order(lines) == 0);
  sqlite3_close(db);
  std::filesystem::remove_all(data.parent_path());
}

#endif // KURIR_SIM_BIN
