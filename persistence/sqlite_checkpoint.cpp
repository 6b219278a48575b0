// Checkpoints of the write-ahead log: the passes a connection of their own
// runs beside the writer (sqlite_checkpointer), and the writer's own last
// step (sqlite_store::checkpoint).

#include <algorithm>

#include "persistence/sqlite_connection.hpp"

namespace kurir::persistence {

namespace {

/// Runs a passive checkpoint on `db`: it copies what no reader still needs
/// and never waits for a lock.
outcome<checkpoint_pass> passive(sqlite3* db) {
  int log = 0;
  int copied = 0;
  auto rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                      &log, &copied);
  if (rc != SQLITE_OK)
    return detail::db_failure(db, rc, "checkpoint failed");
  return checkpoint_pass{std::max(log, 0), std::max(copied, 0)};
}

} // namespace

// -- the writer's last step ---------------------------------------------------

outcome<done> sqlite_store::checkpoint() {
  auto& c = impl_->c;
  auto res = passive(c.db.get());
  if (!res)
    return res.error();
  ++c.meter->checkpoints;
  return done{};
}

// -- sqlite_checkpointer ------------------------------------------------------

struct sqlite_checkpointer::impl {
  detail::db_ptr db;
};

sqlite_checkpointer::sqlite_checkpointer(std::unique_ptr<impl> ptr)
    : impl_(std::move(ptr)) {
  // nop
}

sqlite_checkpointer::~sqlite_checkpointer() = default;

outcome<std::unique_ptr<sqlite_checkpointer>>
sqlite_checkpointer::open(const sqlite_options& opts) {
  auto ptr = std::make_unique<impl>();
  sqlite3* raw = nullptr;
  // No SQLITE_OPEN_CREATE: the writer's handle made the file.
  auto rc
    = sqlite3_open_v2(opts.path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  ptr->db.reset(raw);
  if (rc != SQLITE_OK)
    return failure{
      errc::storage_error,
      "cannot open " + opts.path + " to checkpoint: "
        + (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc))};
  sqlite3_extended_result_codes(raw, 1);
  // A pass that finds the checkpoint lock taken fails at once (BUSY) and
  // is asked again; it never waits inside SQLite.
  sqlite3_busy_timeout(raw, 0);
  auto sync = detail::synchronous_pragma(opts.synchronous);
  if (!sync)
    return sync.error();
  if (auto r = detail::exec(raw, sync->c_str(), opts.path); !r)
    return r.error();
  return std::unique_ptr<sqlite_checkpointer>{
    new sqlite_checkpointer(std::move(ptr))};
}

outcome<checkpoint_pass> sqlite_checkpointer::run() {
  return passive(impl_->db.get());
}

} // namespace kurir::persistence
