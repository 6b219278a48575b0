#pragma once

// The session fuzzer's view of the database: a store that remembers who was
// in a group when each group message was committed, and a second SQLite
// connection that reads the rows behind the store's back.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <sqlite3.h>

#include "persistence/store.hpp"

namespace kurir::fuzz {

/// Aborts with `what` on stderr unless `ok`: libFuzzer keeps the input.
void require(bool ok, const char* what);

/// Forwards to a real store. For every group message it commits, it records
/// the group's members right after the commit: they are who may receive it.
class recording_store : public persistence::store {
public:
  /// Wraps `inner`.
  explicit recording_store(std::shared_ptr<persistence::store> inner);

  /// Members of the message's group at its commit; null for direct messages
  /// and messages this store did not commit.
  const std::vector<std::string>* members_at_commit(int64_t id) const;

  outcome<done> add_user(const persistence::user_record& u) override;
  outcome<persistence::user_record> find_user(std::string_view n) override;
  outcome<done> set_hash(std::string_view n, std::string_view h) override;
  outcome<done> ensure_group(const persistence::group_record& g) override;
  outcome<std::vector<persistence::group_record>> groups() override;
  outcome<persistence::group_record>
  change_group(const persistence::membership_change& c) override;
  outcome<persistence::group_record> group(std::string_view n) override;
  outcome<std::vector<std::string>> groups_of(std::string_view m) override;
  outcome<std::vector<std::string>> contacts(std::string_view u) override;
  outcome<std::vector<outcome<persistence::stored_message>>>
  commit(const persistence::write_batch& b) override;
  outcome<std::vector<persistence::stored_message>>
  pending(std::string_view m, persistence::backlog_key after,
          std::size_t limit) override;
  outcome<std::vector<persistence::stored_message>>
  history(const persistence::history_query& q) override;

private:
  std::shared_ptr<persistence::store> inner_;
  std::map<int64_t, std::vector<std::string>> members_;
};

/// A message row as the database holds it.
struct message_row {
  int64_t conv = 0;
  int64_t seq = 0;
  int64_t ts_ms = 0;
  std::string sender;
  std::string recipient;
  std::string body;
  bool group = false;
};

/// A connection of its own to the database the store uses: reads rows
/// behind the store's back, and empties the database between inputs.
class db_probe {
public:
  /// Opens `uri` (an SQLite URI, e.g. a shared in-memory database).
  explicit db_probe(const std::string& uri);
  ~db_probe();
  db_probe(const db_probe&) = delete;
  db_probe& operator=(const db_probe&) = delete;

  /// Returns message `id`, if stored.
  std::optional<message_row> message(int64_t id);

  /// Returns whether a user named `name` is registered.
  bool has_user(const std::string& name);

  /// A member and a message (with its sender) its cursor has passed.
  using passed_row = std::tuple<std::string, int64_t, std::string>;

  /// Returns every message at or below a cursor, after its member joined.
  std::vector<passed_row> passed();

  /// Deletes every row but the schema's: the next ids start at 1 again.
  void clear();

private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* message_ = nullptr;
  sqlite3_stmt* user_ = nullptr;
  sqlite3_stmt* passed_ = nullptr;
};

} // namespace kurir::fuzz
