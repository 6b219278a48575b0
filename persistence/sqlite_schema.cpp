// Opening a kurir database: pragmas, the file check, schema creation and
// migration, and preparing every statement.

#include <algorithm>
#include <cctype>
#include <iterator>
#include <utility>

#include "persistence/sqlite_connection.hpp"

namespace kurir::persistence::detail {

namespace {

// -- schema -------------------------------------------------------------------

// Version 1: one log per conversation, one delivery cursor per recipient.
//
// - Users and groups share one namespace; the store checks both tables
//   before adding either (SQL cannot express a constraint across tables).
// - A conversation is a group (name = the group's name) or a direct pair
//   (name = "<a>\n<b>" with a < b; a newline is never part of a valid name,
//   so the two kinds cannot collide). `last_seq` is the newest sequence.
// - `participants` holds group members (who need not be registered users)
//   and both parties of a direct conversation. `cursor` is the last seq
//   delivered to the member; it starts at `joined_seq`, so a member never
//   receives what was said before they joined. Keyed (member, conv) so the
//   pending query finds a member's conversations by key.
// - `messages.id` is the rowid: unique and increasing as long as the newest
//   row is never deleted (nothing deletes messages). UNIQUE(conv, seq) is
//   also the index the pending and history queries walk.
constexpr const char* schema_v1 = R"sql(
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
)sql";

// Version 2: idempotent resend. A message may carry its sender's own id
// (NULL if none); the partial unique index both finds an earlier message by
// (sender, client id) and guarantees one message per id even if the store's
// own check were bypassed. Existing rows get NULL: they had no client id.
constexpr const char* schema_v2 = R"sql(
ALTER TABLE messages ADD COLUMN client_id TEXT;
CREATE UNIQUE INDEX messages_by_client_id ON messages(sender, client_id)
  WHERE client_id IS NOT NULL;
)sql";

// Version 3: the writer keeps each conversation's newest sequence and the
// cursors in memory. `conversations.last_seq` goes: it was rewritten with
// every message (a page of the conversations table per conversation per
// commit) and always equalled the largest `seq` of the conversation's
// messages, which the (conv, seq) index answers at once. Nothing else
// changes on disk: cursors keep their meaning and are written once per
// commit for each one that moved.
constexpr const char* schema_v3 = R"sql(
ALTER TABLE conversations DROP COLUMN last_seq;
)sql";

// Version 4: client ids leave the hot path. The partial unique index on
// (sender, client_id) put every new message into a page of its sender's
// part of the index, one page per sender per commit, about half of the WAL
// frames a message cost. Now the writer keeps the newest client ids in
// memory (client_id_window.hpp) and moves them, a slice of neighbouring
// keys at a time, into `client_ids`; `meta.client_ids_upto` says below
// which message id every client id is in the table. The rows keep their
// client id, so the window is rebuilt from the rows above that id.
constexpr const char* schema_v4 = R"sql(
CREATE TABLE client_ids(
  sender TEXT NOT NULL,
  client_id TEXT NOT NULL,
  id INTEGER NOT NULL,
  PRIMARY KEY(sender, client_id)) WITHOUT ROWID;
INSERT INTO client_ids(sender, client_id, id)
  SELECT sender, client_id, id FROM messages WHERE client_id IS NOT NULL
  ORDER BY sender, client_id;
DROP INDEX messages_by_client_id;
INSERT INTO meta(key, value)
  SELECT 'client_ids_upto', coalesce(max(id), 0) FROM messages;
)sql";

/// Migration to `version`; applied in order to databases older than it. A
/// new file runs them all, so every database is built by the same steps.
/// A released migration is never edited: add a new version instead.
struct migration {
  int version;
  const char* sql;
};

constexpr migration migrations[] = {
  {1, schema_v1},
  {2, schema_v2},
  {3, schema_v3},
  {4, schema_v4},
};

static_assert(std::size(migrations) == sqlite_store::schema_version,
              "one migration per schema version");

// -- statements ---------------------------------------------------------------

// Columns of a message row, in the order read_message expects.
#define KURIR_MESSAGE_COLUMNS                                                  \
  "m.id, m.conv, m.seq, m.ts_ms, m.sender, m.recipient, "                      \
  "c.kind = 'group', m.body"

struct statement_def {
  stmt_ptr statements::*member;
  const char* sql;
};

const statement_def statement_defs[] = {
  {&statements::begin, "BEGIN IMMEDIATE"},
  {&statements::commit, "COMMIT"},
  {&statements::rollback, "ROLLBACK"},
  {&statements::user_insert,
   "INSERT INTO users(name, hash, reg_addr, reg_ms) VALUES(?, ?, ?, ?)"},
  {&statements::user_find,
   "SELECT name, hash, reg_addr, reg_ms FROM users WHERE name = ?"},
  {&statements::user_set_hash, "UPDATE users SET hash = ? WHERE name = ?"},
  {&statements::group_find, "SELECT id, owner FROM conversations"
                            " WHERE name = ? AND kind = 'group'"},
  {&statements::conv_find,
   "SELECT id, owner FROM conversations WHERE name = ?"},
  {&statements::conv_insert,
   "INSERT INTO conversations(kind, name, owner) VALUES(?, ?, ?)"},
  // The (conv, seq) index's last entry for the conversation: one descent.
  {&statements::conv_last_seq,
   "SELECT coalesce(max(seq), 0) FROM messages WHERE conv = ?"},
  {&statements::group_set_owner,
   "UPDATE conversations SET owner = ? WHERE id = ?"},
  {&statements::group_list,
   "SELECT c.name, c.owner, p.member FROM conversations c"
   " LEFT JOIN participants p ON p.conv = c.id"
   " WHERE c.kind = 'group' ORDER BY c.name, p.member"},
  {&statements::group_get,
   "SELECT c.name, c.owner, p.member FROM conversations c"
   " LEFT JOIN participants p ON p.conv = c.id"
   " WHERE c.kind = 'group' AND c.name = ? ORDER BY p.member"},
  {&statements::groups_of,
   "SELECT c.name FROM participants p JOIN conversations c ON c.id = p.conv"
   " WHERE p.member = ? AND c.kind = 'group' ORDER BY c.name"},
  {&statements::member_find,
   "SELECT joined_seq FROM participants WHERE member = ? AND conv = ?"},
  {&statements::member_insert,
   "INSERT OR IGNORE INTO participants(conv, member, joined_seq, cursor)"
   " VALUES(?, ?, ?, ?)"},
  {&statements::member_delete,
   "DELETE FROM participants WHERE member = ? AND conv = ?"},
  {&statements::cursor_get,
   "SELECT cursor FROM participants WHERE member = ? AND conv = ?"},
  // The writer's cache decides the value (forward only, never past the
  // newest message); this only stores it.
  {&statements::cursor_set,
   "UPDATE participants SET cursor = ?1 WHERE member = ?2 AND conv = ?3"},
  // What follows a stored cursor, by the (conv, seq) index: a cursor read
  // from disk moves past its member's own messages (sqlite_cursors.cpp).
  {&statements::after_cursor,
   "SELECT seq, sender FROM messages WHERE conv = ? AND seq > ? ORDER BY seq"},
  // By key on both sides: the user's participant rows, then each of those
  // conversations' participants by participants_by_conv.
  {&statements::contacts,
   "SELECT DISTINCT o.member FROM participants p"
   " JOIN participants o ON o.conv = p.conv AND o.member <> p.member"
   " WHERE p.member = ? ORDER BY o.member"},
  {&statements::message_insert,
   "INSERT INTO messages(conv, seq, ts_ms, sender, recipient, body,"
   " client_id) VALUES(?, ?, ?, ?, ?, ?, NULLIF(?, ''))"},
  {&statements::message_by_id,
   "SELECT " KURIR_MESSAGE_COLUMNS " FROM messages m"
   " JOIN conversations c ON c.id = m.conv"
   " WHERE m.id = ?"},
  {&statements::client_id_find,
   "SELECT id FROM client_ids WHERE sender = ? AND client_id = ?"},
  {&statements::client_id_insert,
   "INSERT INTO client_ids(sender, client_id, id) VALUES(?, ?, ?)"},
  {&statements::client_ids_upto, "SELECT CAST(value AS INTEGER) FROM meta"
                                 " WHERE key = 'client_ids_upto'"},
  {&statements::client_ids_set_upto,
   "INSERT OR REPLACE INTO meta(key, value) VALUES('client_ids_upto', ?)"},
  // The rows above the mark by rowid, each looked up in the table: the
  // window is what is not there.
  {&statements::client_ids_tail,
   "SELECT m.sender, m.client_id, m.id FROM messages m"
   " WHERE m.id > ? AND m.client_id IS NOT NULL AND NOT EXISTS"
   " (SELECT 1 FROM client_ids k"
   " WHERE k.sender = m.sender AND k.client_id = m.client_id)"
   " ORDER BY m.id"},
  {&statements::newest_id, "SELECT coalesce(max(id), 0) FROM messages"},
  // Walks the member's participants by key in conv order from ?2, and each
  // conversation's messages beyond the cursor (and beyond ?3 in conv ?2) by
  // the (conv, seq) index: the rows come in ORDER BY order, no sort.
  {&statements::pending,
   "SELECT " KURIR_MESSAGE_COLUMNS " FROM participants p"
   " JOIN messages m ON m.conv = p.conv"
   " AND m.seq > CASE WHEN p.conv = ?2 THEN max(p.cursor, ?3) ELSE p.cursor END"
   " JOIN conversations c ON c.id = m.conv"
   " WHERE p.member = ?1 AND p.conv >= ?2 AND m.sender <> ?1"
   " ORDER BY p.conv, m.seq LIMIT ?4"},
  {&statements::history, "SELECT " KURIR_MESSAGE_COLUMNS " FROM messages m"
                         " JOIN conversations c ON c.id = m.conv"
                         " WHERE m.conv = ? AND m.seq > ? AND m.seq < ?"
                         " ORDER BY m.seq DESC LIMIT ?"},
  {&statements::integrity, "PRAGMA integrity_check"},
};

#undef KURIR_MESSAGE_COLUMNS

// -- opening ------------------------------------------------------------------

std::string not_kurir(const connection& c, std::string_view why) {
  return c.path + " is not a kurir database or is corrupt: " + std::string{why};
}

/// Reads one integer from a one-row query; `fallback` if it yields no row.
outcome<int64_t> query_int(sqlite3* db, const char* sql, int64_t fallback) {
  stmt_ptr stmt;
  if (auto r = prepare(db, sql, stmt); !r)
    return r.error();
  stmt_use use{stmt.get()};
  auto rc = use.step();
  if (rc == SQLITE_ROW)
    return use.int_at(0);
  if (rc == SQLITE_DONE)
    return fallback;
  return db_failure(db, rc, "cannot read the database");
}

outcome<done> apply_pragmas(connection& c, const sqlite_options& opts) {
  auto db = c.db.get();
  // The first read of the file: fails on garbage or a damaged header.
  if (auto r = query_int(db, "PRAGMA schema_version", 0); !r)
    return failure{errc::storage_error, not_kurir(c, r.error().detail)};
  auto sync = synchronous_pragma(opts.synchronous);
  if (!sync)
    return sync.error();
  if (auto r = exec(db, sync->c_str(), c.path); !r)
    return r;
  if (auto r = exec(db, "PRAGMA foreign_keys=ON", c.path); !r)
    return r;
  // A read-only handle cannot change the journal mode; the writer sets it.
  if (!opts.read_only)
    return exec(db, "PRAGMA journal_mode=WAL", c.path);
  return done{};
}

/// Returns the stored schema version: 0 for an empty file, -1 for a file
/// with tables but no meta table (some other application's database).
outcome<int64_t> stored_version(connection& c) {
  auto db = c.db.get();
  auto has_meta = query_int(db,
                            "SELECT count(*) FROM sqlite_schema"
                            " WHERE type = 'table' AND name = 'meta'",
                            0);
  if (!has_meta)
    return failure{errc::storage_error, not_kurir(c, has_meta.error().detail)};
  if (*has_meta == 0) {
    auto tables = query_int(db, "SELECT count(*) FROM sqlite_schema", 0);
    if (!tables)
      return failure{errc::storage_error, not_kurir(c, tables.error().detail)};
    return *tables == 0 ? int64_t{0} : int64_t{-1};
  }
  auto v = query_int(db,
                     "SELECT CAST(value AS INTEGER) FROM meta"
                     " WHERE key = 'schema_version'",
                     -1);
  if (!v)
    return failure{errc::storage_error, not_kurir(c, v.error().detail)};
  return *v;
}

/// Applies every migration newer than `from`, then records the version.
outcome<done> migrate(connection& c, int64_t from) {
  auto db = c.db.get();
  if (from == 0) {
    auto r = exec(db,
                  "CREATE TABLE meta(key TEXT PRIMARY KEY,"
                  " value TEXT NOT NULL)",
                  "cannot create the meta table");
    if (!r)
      return r;
  }
  for (const auto& m : migrations) {
    if (m.version <= from)
      continue;
    if (auto r = exec(db, m.sql, "cannot migrate " + c.path); !r)
      return r;
  }
  auto set_version = "INSERT OR REPLACE INTO meta(key, value)"
                     " VALUES('schema_version', '"
                     + std::to_string(sqlite_store::schema_version) + "')";
  return exec(db, set_version.c_str(), "cannot record the schema version");
}

/// Checks the stored version and, on a writable handle, creates or migrates
/// the schema in one transaction.
outcome<done> check_schema(connection& c, bool read_only) {
  auto db = c.db.get();
  if (!read_only) {
    if (auto r = exec(db, "BEGIN IMMEDIATE", c.path); !r)
      return r;
  }
  auto res = [&]() -> outcome<done> {
    auto v = stored_version(c);
    if (!v)
      return v.error();
    if (*v < 0)
      return failure{errc::storage_error,
                     not_kurir(c, "no valid meta table with a schema_version")};
    if (*v > sqlite_store::schema_version)
      return failure{errc::storage_error,
                     c.path + " has schema version " + std::to_string(*v)
                       + ", newer than this build's "
                       + std::to_string(sqlite_store::schema_version)
                       + "; refusing to open it"};
    if (*v == sqlite_store::schema_version)
      return done{};
    if (read_only)
      return failure{errc::storage_error,
                     c.path
                       + " needs a schema migration, which a read-only"
                         " handle cannot do"};
    return migrate(c, *v);
  }();
  if (read_only)
    return res;
  if (res)
    return exec(db, "COMMIT", c.path);
  exec(db, "ROLLBACK", c.path);
  return res;
}

outcome<done> prepare_all(connection& c) {
  for (const auto& def : statement_defs) {
    if (auto r = prepare(c.db.get(), def.sql, c.st.*def.member); !r)
      return failure{errc::storage_error, not_kurir(c, r.error().detail)};
  }
  return done{};
}

/// The WAL hook of the read-write handle: after each commit, a passive
/// checkpoint (it never waits for readers) once the WAL holds
/// `checkpoint_frames` frames, as SQLite's automatic checkpoint would.
int on_wal_commit(void* arg, sqlite3* db, const char* name, int frames) {
  auto& meter = *static_cast<wal_meter*>(arg);
  meter.wal_size = static_cast<uint64_t>(std::max(frames, 0));
  if (meter.auto_checkpoint && frames >= meter.checkpoint_frames) {
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                              nullptr);
    ++meter.checkpoints;
  }
  return SQLITE_OK;
}

} // namespace

/// Accepts only SQLite's own names for `synchronous`, since the value is
/// spliced into the PRAGMA text.
outcome<std::string> synchronous_pragma(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(), [](char ch) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  });
  if (value != "OFF" && value != "NORMAL" && value != "FULL"
      && value != "EXTRA")
    return failure{errc::storage_error,
                   "synchronous must be OFF, NORMAL, FULL or EXTRA, not \""
                     + value + '"'};
  return "PRAGMA synchronous=" + value;
}

outcome<connection> open_connection(const sqlite_options& opts) {
  connection c;
  c.path = opts.path;
  // A store belongs to one actor at a time (store.hpp), so the connection
  // needs no mutex of its own: SQLite's multi-thread mode, not serialized
  // (a lock and an unlock around every call were 6% of the writer's
  // instructions in kurir-store-bench).
  int flags = (opts.read_only ? SQLITE_OPEN_READONLY
                              : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
              | SQLITE_OPEN_NOMUTEX;
  sqlite3* raw = nullptr;
  auto rc = sqlite3_open_v2(opts.path.c_str(), &raw, flags, nullptr);
  c.db.reset(raw); // a handle is returned even on failure and must be closed
  if (rc != SQLITE_OK)
    return failure{
      errc::storage_error,
      "cannot open " + opts.path + ": "
        + (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc))};
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, std::max(opts.busy_timeout_ms, 0));
  if (auto r = apply_pragmas(c, opts); !r)
    return r.error();
  if (auto r = check_schema(c, opts.read_only); !r)
    return r.error();
  if (auto r = prepare_all(c); !r)
    return r.error();
  if (!opts.read_only) {
    c.meter->checkpoint_frames = std::max(opts.checkpoint_frames, 1);
    c.meter->auto_checkpoint = opts.auto_checkpoint;
    c.client_ids.limit = opts.client_id_window;
    sqlite3_wal_hook(raw, on_wal_commit, c.meter.get());
  }
  return outcome<connection>{std::move(c)};
}

} // namespace kurir::persistence::detail
