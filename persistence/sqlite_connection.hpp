#pragma once

// Internal to persistence/: the open connection behind sqlite_store, with
// every statement the store runs, prepared once at open.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "persistence/sqlite_store.hpp"
#include "persistence/sqlite_util.hpp"

namespace kurir::persistence::detail {

/// Every statement the store runs. Each is prepared once by `open_connection`
/// and reused; every use goes through a `stmt_use`, which resets it.
struct statements {
  // -- transactions --
  stmt_ptr begin;    ///< BEGIN IMMEDIATE: take the write lock up front
  stmt_ptr commit;   ///< COMMIT
  stmt_ptr rollback; ///< ROLLBACK
  // -- users --
  stmt_ptr user_insert;   ///< (name, hash, reg_addr, reg_ms)
  stmt_ptr user_find;     ///< (name) -> name, hash, reg_addr, reg_ms
  stmt_ptr user_set_hash; ///< (hash, name)
  // -- conversations --
  stmt_ptr group_find;      ///< (name) -> id, last_seq, owner; groups only
  stmt_ptr conv_find;       ///< (name) -> id, last_seq, owner; any kind
  stmt_ptr conv_insert;     ///< (kind, name, owner) -> rowid is the id
  stmt_ptr conv_set_seq;    ///< (last_seq, id)
  stmt_ptr group_set_owner; ///< (owner, id)
  stmt_ptr group_list;      ///< -> name, owner, member (NULL if none)
  stmt_ptr group_get;       ///< (name) -> name, owner, member (NULL if none)
  stmt_ptr groups_of;       ///< (member) -> group name, sorted
  // -- participants --
  stmt_ptr member_find;   ///< (member, conv) -> joined_seq
  stmt_ptr member_insert; ///< (conv, member, joined_seq, cursor); ignores dups
  stmt_ptr member_delete; ///< (member, conv)
  stmt_ptr cursor_move;   ///< (seq, member, conv); forward only
  stmt_ptr cursor_follow; ///< (seq, member, conv): cursor seq - 1 -> seq
  stmt_ptr unacked;       ///< (member, conv) -> last_seq - cursor
  stmt_ptr contacts;      ///< (user) -> everyone sharing a conv, sorted
  // -- messages --
  /// (conv, seq, ts_ms, sender, recipient, body, client_id); an empty
  /// client id is stored as NULL
  stmt_ptr message_insert;
  stmt_ptr message_by_client_id; ///< (sender, client_id) -> message columns
  stmt_ptr pending; ///< (member, after_id, limit) -> message columns
  stmt_ptr history; ///< (conv, after_seq, before_seq, limit), newest 1st
  // -- maintenance --
  stmt_ptr integrity; ///< PRAGMA integrity_check
};

/// A conversation's id, newest sequence number and (groups) owner.
struct conv_row {
  int64_t id = 0;
  int64_t last_seq = 0;
  std::string owner; ///< empty for direct conversations and ownerless groups
};

/// What appends looked up before, kept by the read-write handle (the only
/// writer) so that each append does not ask SQLite again: users are never
/// deleted, and a direct conversation's id never changes while every
/// append keeps its `last_seq` current. Cleared whenever a transaction
/// fails, since then what it wrote (a new conversation, a `last_seq`) is
/// gone.
struct write_cache {
  std::unordered_set<std::string> users;             ///< known to exist
  std::unordered_map<std::string, conv_row> directs; ///< by direct key
};

/// What the read-write handle counts beside SQLite's own page counter, and
/// when it checkpoints: the WAL hook below replaces SQLite's automatic
/// checkpoint. Held by pointer so its address survives moving the
/// connection (SQLite keeps the pointer).
struct wal_meter {
  int checkpoint_frames = 1000; ///< checkpoint once the WAL holds this many
  uint64_t commits = 0;         ///< message transactions committed
  uint64_t messages = 0;        ///< new messages they stored
  uint64_t checkpoints = 0;     ///< checkpoints run
};

/// The connection and its statements. The connection is declared first so
/// that it is destroyed last, after every statement has been finalized.
struct connection {
  db_ptr db;
  std::string path;
  statements st;
  write_cache cache;
  std::unique_ptr<wal_meter> meter = std::make_unique<wal_meter>();
};

/// Opens `opts.path`, applies the pragmas, checks the file is a kurir
/// database, creates or migrates the schema (unless read-only) and prepares
/// every statement.
outcome<connection> open_connection(const sqlite_options& opts);

// -- lookups shared by the store's operations --------------------------------

/// Returns the user named `name`, or nothing.
outcome<std::optional<user_record>> lookup_user(connection& c,
                                                std::string_view name);

/// Returns whether a user or a group has the name `name` (one namespace).
outcome<bool> name_in_use(connection& c, std::string_view name);

/// Returns the group named `name`, or nothing.
outcome<std::optional<conv_row>> lookup_group(connection& c,
                                              std::string_view name);

/// Returns the conversation named `name` (group name or direct key), or
/// nothing.
outcome<std::optional<conv_row>> lookup_conv(connection& c,
                                             std::string_view name);

/// Returns the sequence at which `member` joined `conv`, or nothing if they
/// do not take part in it.
outcome<std::optional<int64_t>>
lookup_member(connection& c, std::string_view member, int64_t conv);

/// Returns the name of the direct conversation between `a` and `b`:
/// "<lesser>\n<greater>". A newline is never part of a valid name.
std::string direct_key(std::string_view a, std::string_view b);

/// Runs `fn` (returning some `outcome<T>`) inside BEGIN IMMEDIATE ... COMMIT.
/// If `fn` fails, or COMMIT does, the transaction is rolled back and the
/// failure returned: either everything `fn` wrote is stored, or nothing.
template<class F>
auto in_transaction(connection& c, F&& fn) -> decltype(fn()) {
  {
    stmt_use use{c.st.begin.get()};
    if (auto r = run_to_done(c.db.get(), use, "cannot begin a transaction"); !r)
      return r.error();
  }
  auto res = fn();
  if (res) {
    stmt_use use{c.st.commit.get()};
    auto r = run_to_done(c.db.get(), use, "cannot commit");
    if (r)
      return res;
    res = r.error();
  }
  c.cache = {}; // it may name rows the rollback removes
  // SQLite may have rolled back by itself (e.g. after SQLITE_FULL); only
  // roll back a transaction that is still open.
  if (sqlite3_get_autocommit(c.db.get()) == 0) {
    stmt_use use{c.st.rollback.get()};
    run_to_done(c.db.get(), use, "cannot roll back");
  }
  return res;
}

} // namespace kurir::persistence::detail

namespace kurir::persistence {

/// The pimpl of sqlite_store: just the connection.
struct sqlite_store::impl {
  detail::connection c;
};

} // namespace kurir::persistence
