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
#include <vector>

#include "persistence/client_id_window.hpp"
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
  stmt_ptr group_find;      ///< (name) -> id, owner; groups only
  stmt_ptr conv_find;       ///< (name) -> id, owner; any kind
  stmt_ptr conv_insert;     ///< (kind, name, owner) -> rowid is the id
  stmt_ptr conv_last_seq;   ///< (conv) -> the newest seq, 0 if none
  stmt_ptr group_set_owner; ///< (owner, id)
  stmt_ptr group_list;      ///< -> name, owner, member (NULL if none)
  stmt_ptr group_get;       ///< (name) -> name, owner, member (NULL if none)
  stmt_ptr groups_of;       ///< (member) -> group name, sorted
  // -- participants --
  stmt_ptr member_find;   ///< (member, conv) -> joined_seq
  stmt_ptr member_insert; ///< (conv, member, joined_seq, cursor); ignores dups
  stmt_ptr member_delete; ///< (member, conv)
  stmt_ptr cursor_get;    ///< (member, conv) -> cursor
  stmt_ptr cursor_set;    ///< (cursor, member, conv)
  stmt_ptr after_cursor;  ///< (conv, seq) -> seq, sender of what follows
  stmt_ptr contacts;      ///< (user) -> everyone sharing a conv, sorted
  // -- messages --
  /// (conv, seq, ts_ms, sender, recipient, body, client_id); an empty
  /// client id is stored as NULL
  stmt_ptr message_insert;
  stmt_ptr message_by_id; ///< (id) -> message columns
  // -- client ids (schema version 4) --
  stmt_ptr client_id_find;      ///< (sender, client_id) -> id, merged ones
  stmt_ptr client_id_insert;    ///< (sender, client_id, id)
  stmt_ptr client_ids_upto;     ///< -> meta.client_ids_upto
  stmt_ptr client_ids_set_upto; ///< (upto)
  stmt_ptr client_ids_tail;     ///< (upto) -> sender, client_id, id not merged
  stmt_ptr newest_id;           ///< -> the largest message id, 0 if none
  stmt_ptr pending; ///< (member, after_id, limit) -> message columns
  stmt_ptr history; ///< (conv, after_seq, before_seq, limit), newest 1st
  // -- maintenance --
  stmt_ptr integrity; ///< PRAGMA integrity_check
};

/// A conversation's id, newest sequence number and (groups) owner.
struct conv_row {
  int64_t id = 0;
  int64_t last_seq = 0; ///< filled in by `last_seq_of` where it is needed
  std::string owner;    ///< empty for direct conversations and ownerless groups
};

/// A member's cursor in one conversation, as a key of the write cache.
struct cursor_key {
  std::string member;
  int64_t conv = 0;
  bool operator==(const cursor_key& other) const {
    return conv == other.conv && member == other.member;
  }
  bool operator<(const cursor_key& other) const {
    return member < other.member
           || (member == other.member && conv < other.conv);
  }
};

/// One member's cursors by conversation id; -1: no such participant.
using member_cursors = std::unordered_map<int64_t, int64_t>;

/// What the read-write handle (the only writer) keeps in memory so that an
/// append does not ask SQLite, and writes only what recovery needs:
/// - users are never deleted, and a direct conversation's id never changes;
/// - a conversation's newest sequence is the largest `seq` of its messages
///   (nothing deletes messages), read once from the (conv, seq) index and
///   then advanced here; it is not stored anywhere else (schema version 3);
/// - a participant's cursor is read once, then moved here, and written back
///   once per commit for each cursor an acknowledgement moved (`dirty`), in
///   the same transaction as the messages. A cursor that only followed its
///   member's own new message is not written: on disk it may stay behind
///   the member's own messages, never behind anyone else's, and reading it
///   moves it past the own messages that directly follow it — the value it
///   had here (a dm costs one cursor write, the recipient's, not two).
/// Cleared whenever a transaction fails, since then what it wrote (a new
/// conversation, a sequence, a cursor) is gone.
struct write_cache {
  std::unordered_set<std::string> users;            ///< known to exist
  std::unordered_map<std::string, int64_t> directs; ///< conv id by key
  std::unordered_map<int64_t, int64_t> last_seq;    ///< by conv id
  /// Cursors by member, then conversation: a lookup hashes the name once
  /// (`std::hash<std::string>` codes are kept in the nodes) and the
  /// conversation as an integer; a (name, conv) key hashed as one would
  /// rehash the name of every node it passes in a bucket.
  std::unordered_map<std::string, member_cursors> cursors;
  std::vector<cursor_key> dirty; ///< cursors moved in this transaction
};

/// What the read-write handle counts beside SQLite's own page counter, and
/// when it checkpoints: the WAL hook below replaces SQLite's automatic
/// checkpoint. Held by pointer so its address survives moving the
/// connection (SQLite keeps the pointer).
struct wal_meter {
  int checkpoint_frames = 4000; ///< checkpoint once the WAL holds this many
  bool auto_checkpoint = true;  ///< else only `wal_size` is kept
  uint64_t wal_size = 0;        ///< frames in the WAL after the last commit
  uint64_t commits = 0;         ///< message transactions committed
  uint64_t messages = 0;        ///< new messages they stored
  uint64_t checkpoints = 0;     ///< checkpoints run
};

/// The writer's window of recent client ids (client_id_window.hpp) and
/// whether it holds what the database says. Not part of `write_cache`: a
/// failed transaction marks it unloaded, and the next commit loads it again
/// from the rows (the window itself is never guessed at).
struct client_ids_state {
  client_id_window window;
  bool loaded = false;
  std::size_t limit = 32768; ///< entries beyond it are merged at commit
  /// Entries merged since `client_ids_upto` was last written: the mark is
  /// moved once a quarter of the limit has left (a lower mark is safe: it
  /// only makes the next load read more rows).
  std::size_t merged_since_mark = 0;
};

/// The connection and its statements. The connection is declared first so
/// that it is destroyed last, after every statement has been finalized.
struct connection {
  db_ptr db;
  std::string path;
  statements st;
  write_cache cache;
  client_ids_state client_ids;
  std::unique_ptr<wal_meter> meter = std::make_unique<wal_meter>();
};

/// Opens `opts.path`, applies the pragmas, checks the file is a kurir
/// database, creates or migrates the schema (unless read-only) and prepares
/// every statement.
outcome<connection> open_connection(const sqlite_options& opts);

/// Returns the PRAGMA that sets `synchronous` to `value`; accepts only
/// SQLite's own names, since the value is spliced into the PRAGMA text.
outcome<std::string> synchronous_pragma(std::string value);

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

/// Returns the newest sequence of conversation `conv` (0 if it has no
/// message yet), from the write cache or else from the (conv, seq) index.
outcome<int64_t> last_seq_of(connection& c, int64_t conv);

/// Returns `member`'s cursor in `conv` as cached (-1 if they do not take
/// part in it), reading it on first use and moving it past the member's own
/// messages that directly follow it. The reference stays valid until the
/// cache is cleared.
outcome<int64_t*> cursor_of(connection& c, const std::string& member,
                            int64_t conv);

/// Sets a cursor returned by `cursor_of` to `seq` and marks it to be
/// written at the end of the transaction.
void set_cursor(connection& c, int64_t* cursor, const std::string& member,
                int64_t conv, int64_t seq);

/// Lets a cursor returned by `cursor_of` follow its member's own message
/// `seq`, in the cache only (see `write_cache`).
void follow_cursor(int64_t* cursor, int64_t seq);

/// Writes every cursor moved in this transaction, once each.
outcome<done> write_cursors(connection& c);

/// Forgets what the cache knows about `member` in `conv` (after the
/// participant row was removed or added outside the cache).
void forget_cursor(connection& c, const std::string& member, int64_t conv);

// -- client ids (sqlite_client_ids.cpp)
// ----------------------------------------

/// Loads the window of client ids not yet merged, unless loaded. In the
/// caller's transaction, so it sees what the transaction will build on.
outcome<done> load_client_ids(connection& c);

/// Returns the id of the message `sender` stored with `client_id`, from the
/// window or else from the `client_ids` table; nothing if there is none.
outcome<std::optional<int64_t>> find_client_id(connection& c,
                                               std::string_view sender,
                                               std::string_view client_id);

/// Records that message `id` was stored with `client_id` (in the window
/// only: the row holds it on disk).
void remember_client_id(connection& c, const std::string& sender,
                        const std::string& client_id, int64_t id);

/// Moves the entries beyond the window's limit, in key order, into the
/// `client_ids` table and records the new `client_ids_upto`; in the
/// caller's transaction.
outcome<done> merge_client_ids(connection& c);

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
  c.client_ids.loaded = false;
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
