#include "persistence/sqlite_util.hpp"

#include <climits>

namespace kurir::persistence::detail {

errc errc_of(int rc) noexcept {
  // Extended codes carry the primary code in the low byte.
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE: return errc::none;
    case SQLITE_FULL: return errc::storage_full;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return errc::server_busy;
    default: return errc::storage_error;
  }
}

failure db_failure(sqlite3* db, int rc, std::string_view what) {
  std::string detail{what};
  detail += ": ";
  // The connection's message is the most specific, but only if it belongs
  // to this result code; fall back to the generic text otherwise.
  if (db != nullptr && (sqlite3_errcode(db) & 0xff) == (rc & 0xff))
    detail += sqlite3_errmsg(db);
  else
    detail += sqlite3_errstr(rc);
  return failure{errc_of(rc), std::move(detail)};
}

stmt_use::~stmt_use() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

stmt_use& stmt_use::bind(int64_t x) {
  auto rc = sqlite3_bind_int64(stmt_, next_param_++, x);
  if (bind_rc_ == SQLITE_OK)
    bind_rc_ = rc;
  return *this;
}

stmt_use& stmt_use::bind(std::string_view x) {
  // An empty string_view may have a null data pointer, which SQLite would
  // bind as NULL; bind a real empty text instead.
  const char* data = x.data() != nullptr ? x.data() : "";
  int rc = SQLITE_TOOBIG;
  if (x.size() <= static_cast<std::size_t>(INT_MAX))
    rc = sqlite3_bind_text(stmt_, next_param_, data, static_cast<int>(x.size()),
                           SQLITE_STATIC); // not copied: see the header
  ++next_param_;
  if (bind_rc_ == SQLITE_OK)
    bind_rc_ = rc;
  return *this;
}

int stmt_use::step() {
  if (bind_rc_ != SQLITE_OK)
    return bind_rc_;
  return sqlite3_step(stmt_);
}

int64_t stmt_use::int_at(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

std::string stmt_use::text_at(int col) const {
  auto ptr = sqlite3_column_text(stmt_, col);
  auto len = sqlite3_column_bytes(stmt_, col);
  if (ptr == nullptr || len <= 0)
    return {};
  return std::string(reinterpret_cast<const char*>(ptr),
                     static_cast<std::size_t>(len));
}

bool stmt_use::is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

outcome<done> run_to_done(sqlite3* db, stmt_use& use, std::string_view what) {
  for (;;) {
    auto rc = use.step();
    if (rc == SQLITE_DONE)
      return done{};
    if (rc != SQLITE_ROW)
      return db_failure(db, rc, what);
  }
}

outcome<std::vector<std::string>> read_texts(sqlite3* db, stmt_use& use,
                                             std::string_view what) {
  std::vector<std::string> out;
  for (;;) {
    auto rc = use.step();
    if (rc == SQLITE_DONE)
      return outcome<std::vector<std::string>>{std::move(out)};
    if (rc != SQLITE_ROW)
      return db_failure(db, rc, what);
    out.push_back(use.text_at(0));
  }
}

outcome<done> exec(sqlite3* db, const char* sql, std::string_view what) {
  char* msg = nullptr;
  auto rc = sqlite3_exec(db, sql, nullptr, nullptr, &msg);
  if (rc == SQLITE_OK)
    return done{};
  std::string detail{what};
  detail += ": ";
  detail += msg != nullptr ? msg : sqlite3_errstr(rc);
  sqlite3_free(msg);
  return failure{errc_of(rc), std::move(detail)};
}

outcome<done> prepare(sqlite3* db, const char* sql, stmt_ptr& out) {
  sqlite3_stmt* raw = nullptr;
  auto rc
    = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw); // null-safe; nothing is recorded on failure
    return db_failure(db, rc, std::string{"cannot prepare \""} + sql + '"');
  }
  out.reset(raw);
  return done{};
}

} // namespace kurir::persistence::detail
