#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "persistence/store.hpp"
#include "proto/limits.hpp"

namespace kurir::persistence {

/// How to open the SQLite database.
struct sqlite_options {
  std::string path;                 ///< file path, or ":memory:"
  std::string synchronous = "FULL"; ///< FULL, NORMAL or OFF
  /// Wait for a lock this long (0: fail at once with `server_busy`).
  int busy_timeout_ms = static_cast<int>(limits::busy_timeout_ms);
  bool read_only = false; ///< open a second, read-only handle
  /// A passive checkpoint runs after a commit that leaves at least this
  /// many frames in the WAL (SQLite's own default is 1000). 4000 (16 MiB of
  /// 4 KiB pages) copies a page rewritten by several commits once instead
  /// of once per 1000 frames: kurir-store-bench at 256 per commit spends
  /// 12% less CPU and 20% less time per message than with 1000.
  int checkpoint_frames = 4000;
  /// 0: the handle never checkpoints by itself; whoever opened it runs
  /// checkpoints (kurird: a `sqlite_checkpointer` on its own thread, and
  /// the last step with `checkpoint()`), watching `stats().wal_size`.
  bool auto_checkpoint = true;
  /// The client ids of about this many of the newest messages are kept in
  /// the writer's memory (client_id_window.hpp); past it, each commit moves
  /// the excess, in key order, into the `client_ids` table. Only the
  /// writer's memory depends on it (about 150 bytes an entry), and the
  /// time a restart takes to load them back from the newest rows.
  std::size_t client_id_window = 32768;
};

/// The SQLite implementation of `store`: WAL journal, `BEGIN IMMEDIATE` for
/// writes, every statement prepared once and held in an RAII handle, and a
/// `meta` table holding the schema version.
class sqlite_store final : public store {
public:
  /// The schema version this build writes.
  static constexpr int schema_version = 4;

  /// Opens (and, unless read-only, creates or migrates) the database.
  /// Fails with `storage_error` and a readable detail if the file is not
  /// a kurir database, is corrupt, or has a newer schema.
  static outcome<std::unique_ptr<sqlite_store>>
  open(const sqlite_options& opts);

  ~sqlite_store() override;

  outcome<done> add_user(const user_record& user) override;
  outcome<std::vector<outcome<done>>>
  add_users(const std::vector<user_record>& users) override;
  outcome<user_record> find_user(std::string_view name) override;
  outcome<done> set_hash(std::string_view name, std::string_view hash) override;
  outcome<done> ensure_group(const group_record& group) override;
  outcome<std::vector<group_record>> groups() override;
  outcome<group_record> change_group(const membership_change& c) override;
  outcome<group_record> group(std::string_view name) override;
  outcome<std::vector<std::string>> groups_of(std::string_view member) override;
  outcome<std::vector<std::string>> contacts(std::string_view user) override;
  outcome<std::vector<outcome<stored_message>>>
  commit(const write_batch& batch) override;
  outcome<std::vector<stored_message>> pending(std::string_view member,
                                               backlog_key after,
                                               std::size_t limit) override;
  outcome<std::vector<stored_message>>
  history(const history_query& query) override;

  store_stats stats() const override;
  outcome<done> checkpoint() override;
  std::vector<metrics::queue_depth>
  deepest_queues(std::size_t n) const override;

  /// Sets how long a statement waits for a lock another connection holds
  /// (SQLite's busy timeout; 0: fail at once with `server_busy`). The
  /// writer's handle has 0: the writer waits on CAF's clock instead.
  void set_busy_timeout(std::chrono::milliseconds timeout);

  /// Runs `PRAGMA integrity_check`; returns its first line ("ok" if sound).
  outcome<std::string> integrity_check();

  /// Forgets what the read-write handle caches about rows (known users,
  /// direct conversations). The cache assumes this handle is the only
  /// writer; call this after another connection changed the rows (the
  /// session fuzz target empties the database between inputs).
  void forget_cached_rows();

private:
  struct impl;
  explicit sqlite_store(std::unique_ptr<impl> ptr);
  std::unique_ptr<impl> impl_;
};

} // namespace kurir::persistence

namespace kurir::persistence {

/// What one checkpoint did, in WAL frames (SQLite's `pnLog`, `pnCkpt`).
struct checkpoint_pass {
  int64_t wal_size = 0; ///< frames in the WAL when the pass began
  int64_t copied = 0;   ///< of them, copied into the database file by now
};

/// A connection of its own that runs checkpoints of the writer's database:
/// a passive checkpoint never blocks the writer, which goes on committing
/// while pages are copied and the database file is synced, so the copying
/// is no longer a stall in the commit path. Used by one actor at a time.
class sqlite_checkpointer {
public:
  /// Opens `opts.path` (which the writer's handle created and migrated)
  /// with `opts.synchronous`, so the pass syncs as the writer would.
  static outcome<std::unique_ptr<sqlite_checkpointer>>
  open(const sqlite_options& opts);

  ~sqlite_checkpointer();

  /// Runs one passive checkpoint.
  outcome<checkpoint_pass> run();

private:
  struct impl;
  explicit sqlite_checkpointer(std::unique_ptr<impl> ptr);
  std::unique_ptr<impl> impl_;
};

} // namespace kurir::persistence
