#include "tests/fuzz/probe.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace kurir::fuzz {

void require(bool ok, const char* what) {
  if (ok)
    return;
  std::fprintf(stderr, "session_fuzz: invariant violated: %s\n", what);
  std::abort();
}

// -- recording_store ----------------------------------------------------------

recording_store::recording_store(std::shared_ptr<persistence::store> inner)
    : inner_(std::move(inner)) {}

const std::vector<std::string>*
recording_store::members_at_commit(int64_t id) const {
  auto i = members_.find(id);
  return i == members_.end() ? nullptr : &i->second;
}

outcome<done> recording_store::add_user(const persistence::user_record& u) {
  return inner_->add_user(u);
}

outcome<persistence::user_record>
recording_store::find_user(std::string_view n) {
  return inner_->find_user(n);
}

outcome<done> recording_store::set_hash(std::string_view n,
                                        std::string_view h) {
  return inner_->set_hash(n, h);
}

outcome<done>
recording_store::ensure_group(const persistence::group_record& g) {
  return inner_->ensure_group(g);
}

outcome<std::vector<persistence::group_record>> recording_store::groups() {
  return inner_->groups();
}

outcome<persistence::group_record>
recording_store::change_group(const persistence::membership_change& c) {
  return inner_->change_group(c);
}

outcome<persistence::group_record> recording_store::group(std::string_view n) {
  return inner_->group(n);
}

outcome<std::vector<std::string>>
recording_store::groups_of(std::string_view m) {
  return inner_->groups_of(m);
}

outcome<std::vector<std::string>>
recording_store::contacts(std::string_view u) {
  return inner_->contacts(u);
}

outcome<std::vector<outcome<persistence::stored_message>>>
recording_store::commit(const persistence::write_batch& b) {
  auto res = inner_->commit(b);
  if (!res)
    return res;
  for (const auto& m : *res) {
    if (!m || !m->group || m->duplicate)
      continue;
    auto g = inner_->group(m->to);
    require(static_cast<bool>(g), "a committed group message has no group");
    members_[m->id] = g->members;
  }
  return res;
}

outcome<std::vector<persistence::stored_message>>
recording_store::pending(std::string_view m, persistence::backlog_key after,
                         std::size_t limit) {
  return inner_->pending(m, after, limit);
}

outcome<std::vector<persistence::stored_message>>
recording_store::history(const persistence::history_query& q) {
  return inner_->history(q);
}

// -- db_probe -----------------------------------------------------------------

namespace {

std::string text_at(sqlite3_stmt* st, int col) {
  auto* p = static_cast<const char*>(sqlite3_column_blob(st, col));
  auto n = static_cast<std::size_t>(sqlite3_column_bytes(st, col));
  return p == nullptr ? std::string{} : std::string{p, n};
}

} // namespace

db_probe::db_probe(const std::string& uri) {
  auto rc = sqlite3_open_v2(uri.c_str(), &db_,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, nullptr);
  require(rc == SQLITE_OK, "cannot open the probe connection");
  rc = sqlite3_prepare_v2(db_,
                          "SELECT m.conv, m.seq, m.ts_ms, m.sender,"
                          " m.recipient, m.body, c.kind = 'group'"
                          " FROM messages m JOIN conversations c"
                          " ON c.id = m.conv WHERE m.id = ?",
                          -1, &message_, nullptr);
  require(rc == SQLITE_OK, "cannot prepare the message probe");
  rc = sqlite3_prepare_v2(db_, "SELECT 1 FROM users WHERE name = ?", -1, &user_,
                          nullptr);
  require(rc == SQLITE_OK, "cannot prepare the user probe");
  rc = sqlite3_prepare_v2(db_,
                          "SELECT p.member, m.id, m.sender FROM participants p"
                          " JOIN messages m ON m.conv = p.conv"
                          " AND m.seq > p.joined_seq AND m.seq <= p.cursor",
                          -1, &passed_, nullptr);
  require(rc == SQLITE_OK, "cannot prepare the cursor probe");
}

db_probe::~db_probe() {
  sqlite3_finalize(message_);
  sqlite3_finalize(user_);
  sqlite3_finalize(passed_);
  sqlite3_close(db_);
}

std::optional<message_row> db_probe::message(int64_t id) {
  sqlite3_bind_int64(message_, 1, id);
  std::optional<message_row> row;
  auto rc = sqlite3_step(message_);
  if (rc == SQLITE_ROW) {
    row = message_row{sqlite3_column_int64(message_, 0),
                      sqlite3_column_int64(message_, 1),
                      sqlite3_column_int64(message_, 2),
                      text_at(message_, 3),
                      text_at(message_, 4),
                      text_at(message_, 5),
                      sqlite3_column_int(message_, 6) != 0};
  } else {
    require(rc == SQLITE_DONE, "the message probe failed");
  }
  // Reset at once: a shared-cache reader holding a table lock would make the
  // writer fail with SQLITE_LOCKED.
  sqlite3_reset(message_);
  return row;
}

bool db_probe::has_user(const std::string& name) {
  sqlite3_bind_text(user_, 1, name.data(), static_cast<int>(name.size()),
                    SQLITE_TRANSIENT);
  auto rc = sqlite3_step(user_);
  require(rc == SQLITE_ROW || rc == SQLITE_DONE, "the user probe failed");
  sqlite3_reset(user_);
  return rc == SQLITE_ROW;
}

std::vector<db_probe::passed_row> db_probe::passed() {
  std::vector<passed_row> rows;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(passed_)) == SQLITE_ROW)
    rows.emplace_back(text_at(passed_, 0), sqlite3_column_int64(passed_, 1),
                      text_at(passed_, 2));
  require(rc == SQLITE_DONE, "the cursor probe failed");
  sqlite3_reset(passed_);
  return rows;
}

void db_probe::clear() {
  // Without AUTOINCREMENT a table's next rowid is its largest plus one: 1
  // once it is empty, so every input sees the same ids.
  auto rc
    = sqlite3_exec(db_,
                   "BEGIN; DELETE FROM messages; DELETE FROM participants;"
                   " DELETE FROM conversations; DELETE FROM users; COMMIT",
                   nullptr, nullptr, nullptr);
  require(rc == SQLITE_OK, "cannot empty the database");
}

} // namespace kurir::fuzz
