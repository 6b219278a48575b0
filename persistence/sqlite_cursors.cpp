// sqlite_store: the write cache's sequences and cursors (schema version 3):
// read once, then kept in memory by the only writer, and written back once
// per commit.

#include <algorithm>

#include "persistence/sqlite_connection.hpp"

namespace kurir::persistence::detail {

outcome<int64_t> last_seq_of(connection& c, int64_t conv) {
  if (auto i = c.cache.last_seq.find(conv); i != c.cache.last_seq.end())
    return i->second;
  stmt_use use{c.st.conv_last_seq.get()};
  auto rc = use.bind(conv).step();
  if (rc != SQLITE_ROW)
    return db_failure(c.db.get(), rc, "cannot read the newest sequence");
  auto seq = use.int_at(0);
  c.cache.last_seq.emplace(conv, seq);
  return seq;
}

outcome<int64_t*> cursor_of(connection& c, const std::string& member,
                            int64_t conv) {
  cursor_key key{member, conv};
  if (auto i = c.cache.cursors.find(key); i != c.cache.cursors.end())
    return &i->second;
  stmt_use use{c.st.cursor_get.get()};
  auto rc = use.bind(member).bind(conv).step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_failure(c.db.get(), rc, "cannot read cursors");
  auto cursor = rc == SQLITE_ROW ? use.int_at(0) : int64_t{-1};
  return &c.cache.cursors.emplace(std::move(key), cursor).first->second;
}

void set_cursor(connection& c, int64_t* cursor, const std::string& member,
                int64_t conv, int64_t seq) {
  if (*cursor == seq)
    return;
  *cursor = seq;
  c.cache.dirty.push_back({member, conv});
}

outcome<done> write_cursors(connection& c) {
  auto& dirty = c.cache.dirty;
  // In key order: neighbouring rows of the participants table in turn.
  std::sort(dirty.begin(), dirty.end());
  dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());
  for (const auto& key : dirty) {
    auto i = c.cache.cursors.find(key);
    if (i == c.cache.cursors.end() || i->second < 0)
      continue; // forgotten since: the row changed outside the cache
    stmt_use use{c.st.cursor_set.get()};
    use.bind(i->second).bind(key.member).bind(key.conv);
    if (auto r = run_to_done(c.db.get(), use, "cannot move cursor"); !r)
      return r;
  }
  dirty.clear();
  return done{};
}

void forget_cursor(connection& c, const std::string& member, int64_t conv) {
  c.cache.cursors.erase(cursor_key{member, conv});
}

} // namespace kurir::persistence::detail
