#pragma once

// Internal to persistence/: RAII handles and small helpers around the SQLite
// C API, shared by the sqlite_store translation units. Not a public header.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sqlite3.h>

#include "proto/outcome.hpp"

namespace kurir::persistence::detail {

// -- handles ------------------------------------------------------------------

/// Finalizes a prepared statement.
struct stmt_finalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};

/// Owns one prepared statement.
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_finalizer>;

/// Closes a connection. Every statement must be finalized before, or
/// `sqlite3_close` refuses with SQLITE_BUSY and the handle leaks.
struct db_closer {
  void operator()(sqlite3* db) const noexcept { sqlite3_close(db); }
};

/// Owns one connection.
using db_ptr = std::unique_ptr<sqlite3, db_closer>;

// -- errors -------------------------------------------------------------------

/// Maps a SQLite result code (primary or extended) to kurir's error code:
/// the single place that knows this mapping.
errc errc_of(int rc) noexcept;

/// Builds a failure from `rc` and the connection's last error message, as
/// "<what>: <message>".
failure db_failure(sqlite3* db, int rc, std::string_view what);

// -- statements ---------------------------------------------------------------

/// One use of a prepared statement: binds parameters left to right, steps,
/// reads columns, and on destruction resets the statement and clears its
/// bindings, so no read transaction outlives the use and no stale parameter
/// leaks into the next one.
class stmt_use {
public:
  explicit stmt_use(sqlite3_stmt* stmt) noexcept : stmt_(stmt) {}
  stmt_use(const stmt_use&) = delete;
  stmt_use& operator=(const stmt_use&) = delete;
  ~stmt_use();

  /// Binds the next parameter to an integer.
  stmt_use& bind(int64_t x);
  /// Binds the next parameter to a text, never NULL, even if empty. The
  /// text is not copied: it must outlive this use (bind named objects or
  /// literals, never a temporary), as SQLite reads it until the reset in
  /// the destructor.
  stmt_use& bind(std::string_view x);

  /// Steps once; returns SQLITE_ROW, SQLITE_DONE or an error code (also
  /// the first failed bind, if any).
  int step();

  /// Returns column `col` of the current row as an integer.
  int64_t int_at(int col) const;
  /// Returns column `col` of the current row as a text (empty if NULL).
  std::string text_at(int col) const;
  /// Returns whether column `col` of the current row is NULL.
  bool is_null(int col) const;

private:
  sqlite3_stmt* stmt_;
  int next_param_ = 1;
  int bind_rc_ = SQLITE_OK;
};

/// Steps `stmt` (already bound) to completion, ignoring rows. Fails with
/// the mapped error and `what` in the detail.
outcome<done> run_to_done(sqlite3* db, stmt_use& use, std::string_view what);

/// Steps `stmt` (already bound) to completion and returns column 0 of every
/// row as a text. Fails with the mapped error and `what` in the detail.
outcome<std::vector<std::string>> read_texts(sqlite3* db, stmt_use& use,
                                             std::string_view what);

/// Runs `sql` (one or more statements, no parameters) once, via sqlite3_exec.
/// For schema work at open; never for the store's regular statements.
outcome<done> exec(sqlite3* db, const char* sql, std::string_view what);

/// Prepares `sql` into `out`. The handle is assigned only after preparing,
/// so a failure leaves `out` empty rather than recording a dangling pointer.
outcome<done> prepare(sqlite3* db, const char* sql, stmt_ptr& out);

} // namespace kurir::persistence::detail
