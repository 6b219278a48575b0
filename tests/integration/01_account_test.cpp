// Register, login, logout: the seed's steps 2, 3 and 5 over real sockets.

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "tests/support/harness.hpp"

using namespace kurir::test;

namespace {

/// Returns alice's stored password hash.
std::string alice_hash(const temp_dir& dir) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(dir.file("kurir.db").c_str(), &db,
                          SQLITE_OPEN_READONLY, nullptr)
          == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT hash FROM users WHERE name='alice'",
                             -1, &st, nullptr)
          == SQLITE_OK);
  std::string hash;
  if (sqlite3_step(st) == SQLITE_ROW)
    hash = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return hash;
}

/// Starts kurird at `cost`, logs alice in, stops it; returns the answer.
std::string login_at_cost(const temp_dir& dir, const std::string& cost) {
  broker_process kurird{dir.path(), {"--hash-cost=" + cost}};
  client c{kurird.port()};
  auto answer = c.call("--login--|alice|secret-pw").at(0);
  CHECK(kurird.stop(SIGTERM) == 0);
  return answer;
}

} // namespace

TEST_CASE("case 12: register stores the user, refuses a taken name in any "
          "case and bad names",
          "[integration]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client c{kurird.port()};
  CHECK(c.call("--register--|alice|secret-pw")
        == std::vector<std::string>{"--ok--|register|alice"});
  SECTION("a taken name, in any case, is name_taken") {
    auto r = c.call("--register--|ALICE|other-pw");
    REQUIRE(r.size() == 1);
    CHECK(code_of(r[0]) == "name_taken");
  }
  SECTION("bad names and passwords are refused before hashing") {
    CHECK(code_of(c.call("--register--|al ice|secret-pw")[0]) == "bad_name");
    CHECK(code_of(c.call("--register--|\x1b[31m|secret-pw")[0]) == "bad_name");
    CHECK(
      code_of(c.call("--register--|" + std::string(33, 'a') + "|secretpw")[0])
      == "bad_name");
    CHECK(code_of(c.call("--register--|carol|short")[0]) == "bad_password");
  }
  SECTION("the password is stored hashed, never in plain text") {
    kurird.stop(SIGTERM);
    auto db = dir.read("kurir.db") + dir.read("kurir.db-wal");
    CHECK(db.find("secret-pw") == std::string::npos);
    CHECK(db.find("$argon2id$") != std::string::npos);
    CHECK(dir.read("log.txt").find("secret-pw") == std::string::npos);
  }
}

TEST_CASE("case 10: wrong password and unknown user get the same answer",
          "[integration]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client c{kurird.port()};
  c.call("--register--|alice|secret-pw");
  auto wrong = c.call("--login--|alice|wrong-pw");
  auto unknown = c.call("--login--|nobody|wrong-pw");
  REQUIRE(wrong.size() == 1);
  CHECK(code_of(wrong[0]) == "auth_failed");
  CHECK(wrong == unknown);
  CHECK(c.call("--login--|Alice|secret-pw")
        == std::vector<std::string>{"--ok--|login|alice"});
  CHECK(code_of(c.call("--login--|alice|secret-pw")[0])
        == "already_authenticated");
}

TEST_CASE("commands other than register, login and ping need a login",
          "[integration]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client c{kurird.port()};
  CHECK(code_of(c.call("bob|hello")[0]) == "not_authenticated");
  CHECK(code_of(c.call("--logout--:bob")[0]) == "not_authenticated");
  CHECK(code_of(c.call("--frobnicate--|x")[0]) == "unknown_command");
  CHECK(code_of(c.call("no-bar-here")[0]) == "bad_request");
}

TEST_CASE("logout accepts the seed's colon and a bar, only for oneself",
          "[integration]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client c{kurird.port()};
  c.register_and_login("alice", "secret-pw");
  CHECK(code_of(c.call("--logout--:bob")[0]) == "forbidden");
  CHECK(c.call("--logout--:alice")
        == std::vector<std::string>{"--ok--|logout|alice"});
  CHECK(code_of(c.call("bob|hi")[0]) == "not_authenticated");
  CHECK(c.call("--login--|alice|secret-pw")
        == std::vector<std::string>{"--ok--|login|alice"});
  CHECK(c.call("--logout--|alice")
        == std::vector<std::string>{"--ok--|logout|alice"});
  // log.txt is written by its own actor: a clean stop flushes it.
  CHECK(kurird.stop(SIGTERM) == 0);
  CHECK(dir.read("log.txt").find("logout alice") != std::string::npos);
}

TEST_CASE("a login rehashes a password hashed at another cost",
          "[integration]") {
  temp_dir dir;
  {
    broker_process kurird{dir.path()}; // --hash-cost=min
    client c{kurird.port()};
    c.call("--register--|alice|secret-pw");
  }
  CHECK(alice_hash(dir).find("$m=8,t=1,") != std::string::npos);
  CHECK(login_at_cost(dir, "interactive") == "--ok--|login|alice");
  CHECK(alice_hash(dir).find("$m=65536,t=2,") != std::string::npos);
  CHECK(login_at_cost(dir, "min") == "--ok--|login|alice");
  CHECK(alice_hash(dir).find("$m=8,t=1,") != std::string::npos);
}
