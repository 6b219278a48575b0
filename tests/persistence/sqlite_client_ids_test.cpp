// sqlite_store, schema version 4: client ids live in the writer's window
// and, once merged, in the client_ids table; a resend is recognised either
// way, after a reopen, and after a failed transaction.

#include <sqlite3.h>

#include "store_fixture.hpp"

using namespace kurir;
using namespace kurir::persistence;
using kurir::test::code_of;
using kurir::test::store_fixture;
using strings = std::vector<std::string>;

namespace {

/// Opens `path` with a window of `window` client ids.
std::unique_ptr<sqlite_store> open_with_window(const std::string& path,
                                               std::size_t window) {
  sqlite_options opts;
  opts.path = path;
  opts.client_id_window = window;
  auto st = sqlite_store::open(opts);
  INFO((st ? std::string{} : st.error().detail));
  REQUIRE(st);
  return std::move(*st);
}

/// Runs `sql` on a raw connection and returns column 0 of its first row.
int64_t query_int(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  auto rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  int64_t out = -1;
  if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
    out = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
  return out;
}

void exec_raw(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* msg = nullptr;
  auto rc = sqlite3_exec(db, sql, nullptr, nullptr, &msg);
  INFO((msg != nullptr ? msg : ""));
  sqlite3_free(msg);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

/// alice, bob and carol, with a window of two client ids.
struct window_fixture : store_fixture {
  window_fixture() {
    db = open_with_window(path, 2);
    for (auto name : {"alice", "bob", "carol"})
      add_user(name);
  }

  /// Sends `n` messages from alice and bob in turn, client ids "<i>", and
  /// returns their message ids; the first `resent` were sent before.
  std::vector<int64_t> send_many(int n, int resent = 0) {
    std::vector<int64_t> ids;
    for (int i = 0; i < n; ++i) {
      auto from = i % 2 == 0 ? "alice" : "bob";
      auto to = i % 2 == 0 ? "bob" : "alice";
      auto r = send(from, to, "m" + std::to_string(i), std::to_string(i));
      REQUIRE(r);
      CHECK(r->duplicate == (i < resent));
      ids.push_back(r->id);
    }
    return ids;
  }

  /// Resends each of `send_many`'s messages and checks the original's id
  /// comes back, and that another body under each id is a conflict.
  void check_resends(const std::vector<int64_t>& ids) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      auto from = i % 2 == 0 ? "alice" : "bob";
      auto to = i % 2 == 0 ? "bob" : "alice";
      auto cid = std::to_string(i);
      INFO("client id " << cid);
      auto again = send(from, to, "m" + cid, cid);
      REQUIRE(again);
      CHECK(again->duplicate);
      CHECK(again->id == ids[i]);
      CHECK(code_of(send(from, "carol", "other", cid))
            == errc::client_id_conflict);
    }
  }

  int64_t merged() {
    return query_int(path, "SELECT count(*) FROM client_ids");
  }
};

} // namespace

TEST_CASE_METHOD(window_fixture,
                 "client ids beyond the window move to the table at commit",
                 "[persistence][sqlite][resend][client_ids]") {
  auto ids = send_many(10);
  // Each commit merges what exceeds the window: two stay in memory.
  CHECK(merged() == 8);
  // Every message at or below the mark has its client id in the table.
  auto upto
    = query_int(path, "SELECT value FROM meta WHERE key = 'client_ids_upto'");
  CHECK(upto >= ids[0]);
  CHECK(
    query_int(path, ("SELECT count(*) FROM messages m WHERE m.id <= "
                     + std::to_string(upto)
                     + " AND NOT EXISTS (SELECT 1 FROM client_ids k WHERE"
                       " k.sender = m.sender AND k.client_id = m.client_id)")
                      .c_str())
    == 0);
  check_resends(ids);
  // Resends and conflicts store nothing.
  CHECK(history_bodies({"alice", "bob", 0, 0, 100}).size() == 10);
}

TEST_CASE_METHOD(window_fixture,
                 "a reopened store rebuilds its window from the rows",
                 "[persistence][sqlite][resend][client_ids]") {
  auto ids = send_many(7);
  db.reset();
  db = open_with_window(path, 2);
  check_resends(ids);
  // A larger window after the reopen: nothing is merged twice or lost.
  db.reset();
  db = open_with_window(path, 100);
  auto more = send_many(9, 7); // client ids 0..8: 0..6 are resends
  for (std::size_t i = 0; i < ids.size(); ++i)
    CHECK(more[i] == ids[i]);
  check_resends(more);
  CHECK(query_int(path, "SELECT count(*) FROM messages") == 9);
}

TEST_CASE_METHOD(window_fixture,
                 "a failed transaction leaves no client id behind",
                 "[persistence][sqlite][resend][client_ids]") {
  send_many(4);
  // A trigger makes the second append fail the whole batch, after the
  // first one was stored in the transaction (and remembered).
  exec_raw(path, "CREATE TRIGGER boom BEFORE INSERT ON messages"
                 " WHEN NEW.body = 'boom'"
                 " BEGIN SELECT RAISE(ABORT, 'boom'); END");
  write_batch batch;
  batch.appends = {request("alice", "bob", "first", "k1"),
                   request("alice", "bob", "boom", "k2")};
  auto failed = db->commit(batch);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code == errc::storage_error);
  exec_raw(path, "DROP TRIGGER boom");
  // k1 was rolled back: a message with another body under it is new.
  auto fresh = send("alice", "bob", "another", "k1");
  REQUIRE(fresh);
  CHECK_FALSE(fresh->duplicate);
  auto again = send("alice", "bob", "another", "k1");
  REQUIRE(again);
  CHECK(again->duplicate);
  CHECK(again->id == fresh->id);
}
