// sqlite_store: a database written by schema version 1, 2 or 3 opens,
// migrates to the current version and keeps its data.

#include <sqlite3.h>

#include "store_fixture.hpp"

using namespace kurir;
using namespace kurir::persistence;
using kurir::test::code_of;
using kurir::test::open_store;
using kurir::test::store_fixture;
using kurir::test::temp_dir;
using strings = std::vector<std::string>;

namespace {

// The version 1 schema and some data, written here by hand rather than
// taken from the store, so the test holds even if the store's copy changes.
// The DDL is byte for byte the store's version 1: a migrated file must end
// up with the same schema text as a new one (see the second test).
constexpr const char* v1_database = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES('schema_version', '1');
CREATE TABLE users(
  name TEXT PRIMARY KEY,
  hash TEXT NOT NULL,
  reg_addr TEXT NOT NULL,
  reg_ms INTEGER NOT NULL);
CREATE TABLE conversations(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK(kind IN ('direct', 'group')),
  name TEXT NOT NULL UNIQUE,
  owner TEXT NOT NULL DEFAULT '',
  last_seq INTEGER NOT NULL DEFAULT 0);
CREATE TABLE participants(
  conv INTEGER NOT NULL REFERENCES conversations(id),
  member TEXT NOT NULL,
  joined_seq INTEGER NOT NULL,
  cursor INTEGER NOT NULL,
  PRIMARY KEY(member, conv)) WITHOUT ROWID;
CREATE INDEX participants_by_conv ON participants(conv);
CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  conv INTEGER NOT NULL REFERENCES conversations(id),
  seq INTEGER NOT NULL,
  ts_ms INTEGER NOT NULL,
  sender TEXT NOT NULL,
  recipient TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE(conv, seq));
INSERT INTO users VALUES('alice', '$argon2id$a', '10.0.0.1', 1),
                        ('bob', '$argon2id$b', 'seed', 2);
INSERT INTO conversations VALUES(1, 'direct', 'alice' || char(10) || 'bob',
                                 '', 2),
                                (2, 'group', 'team', 'alice', 1);
INSERT INTO participants VALUES(1, 'alice', 0, 0), (1, 'bob', 0, 1),
                               (2, 'alice', 0, 0), (2, 'bob', 0, 0);
INSERT INTO messages VALUES(1, 1, 1, 100, 'alice', 'bob', 'one'),
                           (2, 2, 1, 200, 'bob', 'team', 'all'),
                           (3, 1, 2, 300, 'alice', 'bob', 'two');
)sql";

// Version 2's additions on top of a version 1 file, as version 2 wrote
// them (byte for byte its migration), and data only version 2 could hold:
// client ids, and a cursor that followed its owner's own message (bob's in
// the direct conversation: he sent seq 3 right after reading seq 2).
constexpr const char* v2_upgrade = R"sql(
ALTER TABLE messages ADD COLUMN client_id TEXT;
CREATE UNIQUE INDEX messages_by_client_id ON messages(sender, client_id)
  WHERE client_id IS NOT NULL;
UPDATE meta SET value = '2' WHERE key = 'schema_version';
UPDATE conversations SET last_seq = 3 WHERE id = 1;
UPDATE participants SET cursor = 3 WHERE conv = 1 AND member = 'bob';
INSERT INTO messages VALUES(4, 1, 3, 400, 'bob', 'alice', 'three', 'b1');
)sql";

// Version 3's change on top of version 2, byte for byte its migration, and
// a message only version 3 could have written, with a client id.
constexpr const char* v3_upgrade = R"sql(
ALTER TABLE conversations DROP COLUMN last_seq;
UPDATE meta SET value = '3' WHERE key = 'schema_version';
INSERT INTO messages VALUES(5, 2, 2, 500, 'alice', 'team', 'again', 'a1');
)sql";

/// Runs `sql` on a raw connection to `path` and returns the first column
/// of its first row as a text.
std::string query_text(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  auto rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  std::string out;
  if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW
      && sqlite3_column_text(stmt, 0) != nullptr)
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
  return out;
}

/// Runs `sql` (several statements) on a raw connection to `path`.
void run_sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* msg = nullptr;
  auto rc = sqlite3_exec(db, sql, nullptr, nullptr, &msg);
  INFO((msg != nullptr ? msg : ""));
  sqlite3_free(msg);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

/// Writes the version 1 database to `path`.
void write_v1(const std::string& path) {
  run_sql(path, v1_database);
}

/// Writes the version 2 database to `path`: version 1 plus `v2_upgrade`.
void write_v2(const std::string& path) {
  write_v1(path);
  run_sql(path, v2_upgrade);
}

/// Writes the version 3 database to `path`: version 2 plus `v3_upgrade`.
void write_v3(const std::string& path) {
  write_v2(path);
  run_sql(path, v3_upgrade);
}

constexpr const char* version_sql
  = "SELECT value FROM meta WHERE key = 'schema_version'";

// The whole schema as SQLite stores it, in a stable order.
constexpr const char* schema_sql
  = "SELECT group_concat(sql, ';') FROM"
    " (SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name)";

} // namespace

TEST_CASE("a version 1 database migrates and keeps its data",
          "[persistence][sqlite][migration]") {
  temp_dir dir;
  auto path = dir.file("v1.db");
  write_v1(path);
  // A read-only handle cannot migrate, and says so.
  sqlite_options ro;
  ro.path = path;
  ro.read_only = true;
  auto refused = sqlite_store::open(ro);
  REQUIRE(code_of(refused) == errc::storage_error);
  CHECK_THAT(refused.error().detail, Catch::Contains("migration"));
  auto db = open_store(path);
  CHECK(query_text(path, version_sql)
        == std::to_string(sqlite_store::schema_version));
  CHECK(*db->integrity_check() == "ok");
  CHECK(db->find_user("bob")->reg_addr == "seed");
  auto team = db->group("team");
  REQUIRE(team);
  CHECK(team->owner == "alice");
  CHECK(team->members == strings{"alice", "bob"});
  auto bob = db->pending("bob", {}, 10);
  REQUIRE(bob);
  REQUIRE(bob->size() == 1);
  CHECK(bob->front().body == "two");
  CHECK(bob->front().id == 3);
  CHECK(bob->front().ts_ms == 300);
  auto alice = db->pending("alice", {}, 10);
  REQUIRE(alice);
  REQUIRE(alice->size() == 1);
  CHECK(alice->front().body == "all");
  CHECK(alice->front().group);
  history_query q;
  q.viewer = "bob";
  q.peer = "alice";
  auto hist = db->history(q);
  REQUIRE(hist);
  CHECK(store_fixture::bodies(*hist) == strings{"one", "two"});
}

TEST_CASE("a migrated database works like a new one",
          "[persistence][sqlite][migration]") {
  temp_dir dir;
  auto path = dir.file("v1.db");
  write_v1(path);
  auto db = open_store(path);
  // Numbering goes on where version 1 stopped.
  write_batch batch;
  batch.appends = {{"alice", "bob", "three", 400, "c1"},
                   {"alice", "bob", "three", 500, "c1"},
                   {"alice", "bob", "four", 600, "c1"}};
  auto res = db->commit(batch);
  REQUIRE(res);
  auto& r = *res;
  REQUIRE(r[0]);
  CHECK(r[0]->seq == 3);
  CHECK(r[0]->id == 4);
  REQUIRE(r[1]);
  CHECK(r[1]->duplicate);
  CHECK(r[1]->id == 4);
  CHECK(code_of(r[2]) == errc::client_id_conflict);
  // Reopening finds the current version: nothing to migrate again.
  db.reset();
  db = open_store(path);
  CHECK(*db->integrity_check() == "ok");
  // The same schema as a file created by this build.
  auto fresh = dir.file("fresh.db");
  open_store(fresh).reset();
  CHECK(query_text(path, schema_sql) == query_text(fresh, schema_sql));
  CHECK_THAT(query_text(path, schema_sql), Catch::Contains("client_ids"));
  CHECK_THAT(query_text(path, schema_sql),
             !Catch::Contains("messages_by_client_id"));
}

TEST_CASE("a version 2 database migrates: sequences come from the log",
          "[persistence][sqlite][migration]") {
  temp_dir dir;
  auto path = dir.file("v2.db");
  write_v2(path);
  auto db = open_store(path);
  CHECK(query_text(path, version_sql)
        == std::to_string(sqlite_store::schema_version));
  CHECK(*db->integrity_check() == "ok");
  // The column that version 2 rewrote with every message is gone.
  CHECK_THAT(query_text(path, schema_sql), !Catch::Contains("last_seq"));
  // A resend of bob's message with his client id still finds it.
  write_batch batch;
  batch.appends = {{"bob", "alice", "three", 500, "b1"},
                   {"alice", "bob", "four", 600, ""},
                   {"alice", "team", "all again", 700, ""}};
  auto res = db->commit(batch);
  REQUIRE(res);
  auto& r = *res;
  REQUIRE(r[0]);
  CHECK(r[0]->duplicate);
  CHECK(r[0]->id == 4);
  // Numbering goes on from the largest sequence of each conversation.
  REQUIRE(r[1]);
  CHECK(r[1]->seq == 4);
  CHECK(r[1]->id == 5);
  REQUIRE(r[2]);
  CHECK(r[2]->seq == 2);
  // bob's cursor (3, after his own message) was kept: of the direct
  // conversation only "four" waits; of the group what alice said.
  auto bob = db->pending("bob", {}, 10);
  REQUIRE(bob);
  CHECK(store_fixture::bodies(*bob) == strings{"four", "all again"});
  // The queue limit counts from the derived sequence: the conversation is
  // at 4, and alice's cursor, 0 on disk, passes her own messages 1 and 2
  // that directly follow it when it is read: 2 wait beyond it.
  write_batch full;
  full.appends = {{"bob", "alice", "five", 800, ""}};
  full.max_unacked = 2;
  auto refused = db->commit(full);
  REQUIRE(refused);
  CHECK(code_of((*refused)[0]) == errc::recipient_queue_full);
  full.max_unacked = 3;
  auto passed = db->commit(full);
  REQUIRE(passed);
  REQUIRE((*passed)[0]);
  CHECK((*passed)[0]->seq == 5);
  // A member added now joins at the group's newest sequence: carol sees
  // nothing said before.
  REQUIRE(db->add_user({"carol", "$argon2id$c", "seed", 3}));
  membership_change add{membership_change::add, "alice", "team", "carol"};
  REQUIRE(db->change_group(add));
  auto carol = db->pending("carol", {}, 10);
  REQUIRE(carol);
  CHECK(carol->empty());
}

TEST_CASE("a version 3 database migrates: client ids move to their table",
          "[persistence][sqlite][migration]") {
  temp_dir dir;
  auto path = dir.file("v3.db");
  write_v3(path);
  auto db = open_store(path);
  CHECK(query_text(path, version_sql)
        == std::to_string(sqlite_store::schema_version));
  CHECK(*db->integrity_check() == "ok");
  // Every client id is in the table, and the mark covers every message.
  CHECK(query_text(path, "SELECT group_concat(sender || '/' || client_id"
                         " || '=' || id, ' ') FROM client_ids")
        == "alice/a1=5 bob/b1=4");
  CHECK(query_text(path, "SELECT value FROM meta"
                         " WHERE key = 'client_ids_upto'")
        == "5");
  CHECK_THAT(query_text(path, schema_sql),
             !Catch::Contains("messages_by_client_id"));
  // Resends of both are recognised; a new client id is stored.
  write_batch batch;
  batch.appends = {{"bob", "alice", "three", 600, "b1"},
                   {"alice", "team", "again", 700, "a1"},
                   {"alice", "team", "other", 800, "a1"},
                   {"alice", "bob", "new", 900, "a2"}};
  auto res = db->commit(batch);
  REQUIRE(res);
  auto& r = *res;
  REQUIRE(r[0]);
  CHECK(r[0]->duplicate);
  CHECK(r[0]->id == 4);
  REQUIRE(r[1]);
  CHECK(r[1]->duplicate);
  CHECK(r[1]->id == 5);
  CHECK(code_of(r[2]) == errc::client_id_conflict);
  REQUIRE(r[3]);
  CHECK_FALSE(r[3]->duplicate);
  CHECK(r[3]->id == 6);
}
