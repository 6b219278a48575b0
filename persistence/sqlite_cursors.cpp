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

namespace {

/// Returns `cursor` moved past `member`'s own messages of `conv` that
/// directly follow it: where following them in the cache had left it.
outcome<int64_t> past_own(connection& c, const std::string& member,
                          int64_t conv, int64_t cursor) {
  stmt_use use{c.st.after_cursor.get()};
  use.bind(conv).bind(cursor);
  for (;;) {
    auto rc = use.step();
    if (rc == SQLITE_DONE)
      return cursor;
    if (rc != SQLITE_ROW)
      return db_failure(c.db.get(), rc, "cannot read cursors");
    if (use.text_at(1) != member)
      return cursor;
    cursor = use.int_at(0);
  }
}

} // namespace

outcome<int64_t*> cursor_of(connection& c, const std::string& member,
                            int64_t conv) {
  auto& mine = c.cache.cursors[member];
  if (auto i = mine.find(conv); i != mine.end())
    return &i->second;
  stmt_use use{c.st.cursor_get.get()};
  auto rc = use.bind(member).bind(conv).step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_failure(c.db.get(), rc, "cannot read cursors");
  if (rc == SQLITE_DONE)
    return &mine.emplace(conv, int64_t{-1}).first->second;
  auto moved = past_own(c, member, conv, use.int_at(0));
  if (!moved)
    return moved.error();
  return &mine.emplace(conv, *moved).first->second;
}

void set_cursor(connection& c, int64_t* cursor, const std::string& member,
                int64_t conv, int64_t seq) {
  if (*cursor == seq)
    return;
  *cursor = seq;
  c.cache.dirty.push_back({member, conv});
}

void follow_cursor(int64_t* cursor, int64_t seq) {
  *cursor = seq;
}

outcome<done> write_cursors(connection& c) {
  auto& dirty = c.cache.dirty;
  // In key order: neighbouring rows of the participants table in turn.
  std::sort(dirty.begin(), dirty.end());
  dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());
  for (const auto& key : dirty) {
    auto m = c.cache.cursors.find(key.member);
    if (m == c.cache.cursors.end())
      continue; // forgotten since: the row changed outside the cache
    auto i = m->second.find(key.conv);
    if (i == m->second.end() || i->second < 0)
      continue;
    stmt_use use{c.st.cursor_set.get()};
    use.bind(i->second).bind(key.member).bind(key.conv);
    if (auto r = run_to_done(c.db.get(), use, "cannot move cursor"); !r)
      return r;
  }
  dirty.clear();
  return done{};
}

void forget_cursor(connection& c, const std::string& member, int64_t conv) {
  if (auto m = c.cache.cursors.find(member); m != c.cache.cursors.end())
    m->second.erase(conv);
}

} // namespace kurir::persistence::detail
