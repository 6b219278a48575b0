// sqlite_store: users, groups, opening, reopening and refusing files.

#include <fstream>

#include <sqlite3.h>

#include "persistence/sqlite_util.hpp"
#include "store_fixture.hpp"

using namespace kurir;
using namespace kurir::persistence;
using kurir::test::code_of;
using kurir::test::open_store;
using kurir::test::store_fixture;
using kurir::test::temp_dir;

namespace {

/// Runs `sql` on a separate raw connection to `path`.
void raw_exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* msg = nullptr;
  auto rc = sqlite3_exec(db, sql, nullptr, nullptr, &msg);
  INFO((msg != nullptr ? msg : ""));
  sqlite3_free(msg);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

outcome<std::unique_ptr<sqlite_store>> try_open(const std::string& path,
                                                bool read_only = false) {
  sqlite_options opts;
  opts.path = path;
  opts.read_only = read_only;
  return sqlite_store::open(opts);
}

} // namespace

TEST_CASE_METHOD(store_fixture, "users are added and found",
                 "[persistence][sqlite]") {
  REQUIRE(db->add_user({"alice", "$argon2id$h", "10.0.0.1", 42}));
  auto found = db->find_user("alice");
  REQUIRE(found);
  CHECK(found->name == "alice");
  CHECK(found->hash == "$argon2id$h");
  CHECK(found->reg_addr == "10.0.0.1");
  CHECK(found->reg_ms == 42);
  CHECK(code_of(db->find_user("bob")) == errc::no_such_user);
  auto again = db->add_user({"alice", "other", "10.0.0.2", 43});
  CHECK(code_of(again) == errc::name_taken);
  CHECK(db->find_user("alice")->hash == "$argon2id$h");
}

TEST_CASE_METHOD(store_fixture,
                 "users added together are judged one by one in one commit",
                 "[persistence][sqlite]") {
  add_user("bob");
  ensure_group("team", {"bob"});
  auto res = db->add_users({{"alice", "$argon2id$a", "10.0.0.1", 1},
                            {"bob", "$argon2id$b", "10.0.0.2", 2},
                            {"team", "$argon2id$t", "10.0.0.3", 3},
                            {"carol", "$argon2id$c1", "10.0.0.4", 4},
                            {"carol", "$argon2id$c2", "10.0.0.5", 5}});
  REQUIRE(res);
  REQUIRE(res->size() == 5);
  CHECK((*res)[0]);
  CHECK(code_of((*res)[1]) == errc::name_taken); // a user
  CHECK(code_of((*res)[2]) == errc::name_taken); // a group
  CHECK((*res)[3]);
  CHECK(code_of((*res)[4]) == errc::name_taken); // earlier in the batch
  CHECK(db->find_user("alice")->hash == "$argon2id$a");
  CHECK(db->find_user("carol")->hash == "$argon2id$c1");
  CHECK(db->find_user("bob")->reg_addr == "127.0.0.1"); // untouched
}

TEST_CASE_METHOD(store_fixture, "a user's hash can be replaced",
                 "[persistence][sqlite]") {
  REQUIRE(db->add_user({"alice", "$argon2id$old", "10.0.0.1", 42}));
  REQUIRE(db->set_hash("alice", "$argon2id$new"));
  auto found = db->find_user("alice");
  REQUIRE(found);
  CHECK(found->hash == "$argon2id$new");
  CHECK(found->reg_addr == "10.0.0.1");
  CHECK(code_of(db->set_hash("bob", "$argon2id$x")) == errc::no_such_user);
}

TEST_CASE_METHOD(store_fixture, "users and groups share one namespace",
                 "[persistence][sqlite]") {
  add_user("bob");
  ensure_group("team", {"bob"});
  CHECK(code_of(db->add_user({"team", "h", "x", 1})) == errc::name_taken);
  CHECK(code_of(db->ensure_group({"bob", "", {"bob"}})) == errc::name_taken);
  CHECK(code_of(db->find_user("team")) == errc::no_such_user);
  auto gs = db->groups();
  REQUIRE(gs);
  REQUIRE(gs->size() == 1);
  CHECK(gs->front().name == "team");
}

TEST_CASE_METHOD(store_fixture, "groups are listed by name, members sorted",
                 "[persistence][sqlite]") {
  ensure_group("zeta", {"carol", "alice", "bob"}, "alice");
  ensure_group("alpha", {});
  ensure_group("zeta", {"bob", "dave"}); // idempotent, completes
  auto gs = db->groups();
  REQUIRE(gs);
  REQUIRE(gs->size() == 2);
  CHECK((*gs)[0].name == "alpha");
  CHECK((*gs)[0].members.empty());
  CHECK((*gs)[1].name == "zeta");
  CHECK((*gs)[1].owner == "alice");
  CHECK((*gs)[1].members
        == std::vector<std::string>{"alice", "bob", "carol", "dave"});
}

TEST_CASE_METHOD(store_fixture, "data survives closing and reopening",
                 "[persistence][sqlite]") {
  add_user("alice");
  add_user("bob");
  ensure_group("team", {"alice", "bob"});
  auto first = send("alice", "bob", "one");
  REQUIRE(first);
  REQUIRE(send("bob", "team", "two"));
  db.reset();
  db = open_store(path);
  CHECK(db->find_user("alice"));
  auto gs = db->groups();
  REQUIRE(gs);
  REQUIRE(gs->size() == 1);
  CHECK(pending_bodies("bob") == std::vector<std::string>{"one"});
  CHECK(pending_bodies("alice") == std::vector<std::string>{"two"});
  // Numbering continues where it stopped.
  auto next = send("alice", "bob", "three");
  REQUIRE(next);
  CHECK(next->id > first->id);
  CHECK(next->seq == 2);
  CHECK(*db->integrity_check() == "ok");
}

TEST_CASE_METHOD(store_fixture, "a read-only handle sees the writer's commits",
                 "[persistence][sqlite]") {
  add_user("alice");
  add_user("bob");
  auto reader = open_store(path, 5000, true);
  CHECK(reader->pending("bob", {}, 10)->empty());
  REQUIRE(send("alice", "bob", "hello"));
  auto seen = reader->pending("bob", {}, 10);
  REQUIRE(seen);
  REQUIRE(seen->size() == 1);
  CHECK(seen->front().body == "hello");
  CHECK(reader->find_user("alice"));
  // It cannot write.
  write_batch batch;
  batch.appends.push_back({"bob", "alice", "nope", 1, ""});
  CHECK(code_of(reader->commit(batch)) == errc::storage_error);
  CHECK(code_of(reader->add_user({"carol", "h", "x", 1}))
        == errc::storage_error);
}

TEST_CASE("opening refuses what is not a kurir database",
          "[persistence][sqlite]") {
  temp_dir dir;
  SECTION("a file of garbage bytes") {
    auto path = dir.file("garbage.db");
    std::ofstream{path} << std::string(4096, 'x') << "not sqlite at all";
    auto st = try_open(path);
    REQUIRE(code_of(st) == errc::storage_error);
    CHECK_THAT(st.error().detail, Catch::Contains(path));
    CHECK_THAT(st.error().detail,
               Catch::Contains("is not a kurir database or is corrupt"));
    CHECK(code_of(try_open(path, true)) == errc::storage_error);
  }
  SECTION("another application's database") {
    auto path = dir.file("other.db");
    raw_exec(path, "CREATE TABLE stuff(x);");
    auto st = try_open(path);
    REQUIRE(code_of(st) == errc::storage_error);
    CHECK_THAT(st.error().detail, Catch::Contains(path));
  }
  SECTION("a database with a newer schema") {
    auto path = dir.file("newer.db");
    open_store(path).reset();
    auto newer = std::to_string(sqlite_store::schema_version + 1);
    raw_exec(path, ("UPDATE meta SET value = '" + newer
                    + "' WHERE key = 'schema_version';")
                     .c_str());
    auto st = try_open(path);
    REQUIRE(code_of(st) == errc::storage_error);
    CHECK_THAT(st.error().detail, Catch::Contains("schema version " + newer));
    CHECK_THAT(st.error().detail, Catch::Contains(path));
  }
  SECTION("a missing file opened read-only") {
    auto path = dir.file("missing.db");
    auto st = try_open(path, true);
    REQUIRE(code_of(st) == errc::storage_error);
    CHECK_THAT(st.error().detail, Catch::Contains(path));
  }
  SECTION("an unknown synchronous setting") {
    sqlite_options opts;
    opts.path = dir.file("sync.db");
    opts.synchronous = "FULL; DROP TABLE users";
    CHECK(code_of(sqlite_store::open(opts)) == errc::storage_error);
    opts.synchronous = "normal";
    CHECK(sqlite_store::open(opts));
  }
}

TEST_CASE("a new file gets the current schema version and WAL",
          "[persistence][sqlite]") {
  temp_dir dir;
  auto path = dir.file("fresh.db");
  auto st = open_store(path);
  CHECK(*st->integrity_check() == "ok");
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  auto read_text = [raw](const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, sql, -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    std::string out{
      reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))};
    sqlite3_finalize(stmt);
    return out;
  };
  CHECK(read_text("SELECT value FROM meta WHERE key = 'schema_version'")
        == std::to_string(sqlite_store::schema_version));
  CHECK(read_text("PRAGMA journal_mode") == "wal");
  sqlite3_close(raw);
}

TEST_CASE("SQLite result codes map to kurir errors in one place",
          "[persistence][sqlite]") {
  using detail::errc_of;
  CHECK(errc_of(SQLITE_FULL) == errc::storage_full);
  CHECK(errc_of(SQLITE_BUSY) == errc::server_busy);
  CHECK(errc_of(SQLITE_BUSY_SNAPSHOT) == errc::server_busy);
  CHECK(errc_of(SQLITE_LOCKED) == errc::server_busy);
  CHECK(errc_of(SQLITE_IOERR_WRITE) == errc::storage_error);
  CHECK(errc_of(SQLITE_CORRUPT) == errc::storage_error);
  CHECK(errc_of(SQLITE_NOTADB) == errc::storage_error);
  CHECK(errc_of(SQLITE_DONE) == errc::none);
}

TEST_CASE("an in-memory database works too", "[persistence][sqlite]") {
  auto st = open_store(":memory:");
  REQUIRE(st->add_user({"alice", "h", "x", 1}));
  REQUIRE(st->add_user({"bob", "h", "x", 1}));
  write_batch batch;
  batch.appends.push_back({"alice", "bob", "hi", 1, ""});
  auto res = st->commit(batch);
  REQUIRE(res);
  REQUIRE(res->size() == 1);
  CHECK((*res)[0]->seq == 1);
  CHECK(st->pending("bob", {}, 10)->size() == 1);
}
