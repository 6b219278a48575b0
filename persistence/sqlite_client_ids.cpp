// sqlite_store: client ids of schema version 4. The newest are in the
// writer's memory (client_id_window), the others in the `client_ids` table;
// the rows of `messages` hold every one, so the window is rebuilt from them.

#include <algorithm>

#include "persistence/sqlite_connection.hpp"

namespace kurir::persistence::detail {

namespace {

/// Largest number of entries one commit merges: a window loaded larger
/// than its limit (after the limit was lowered) shrinks over several
/// commits rather than stalling one.
constexpr std::size_t max_merge = 4096;

outcome<int64_t> read_int(connection& c, sqlite3_stmt* stmt,
                          std::string_view what) {
  stmt_use use{stmt};
  auto rc = use.step();
  if (rc == SQLITE_DONE)
    return int64_t{0};
  if (rc != SQLITE_ROW)
    return db_failure(c.db.get(), rc, what);
  return use.int_at(0);
}

} // namespace

outcome<done> load_client_ids(connection& c) {
  auto& state = c.client_ids;
  if (state.loaded)
    return done{};
  state.window.clear();
  state.merged_since_mark = 0;
  auto upto = read_int(c, c.st.client_ids_upto.get(), "cannot read meta");
  if (!upto)
    return upto.error();
  auto newest = read_int(c, c.st.newest_id.get(), "cannot read messages");
  if (!newest)
    return newest.error();
  state.window.saw_id(std::max(*upto, *newest));
  stmt_use use{c.st.client_ids_tail.get()};
  use.bind(*upto);
  for (;;) {
    auto rc = use.step();
    if (rc == SQLITE_DONE)
      break;
    if (rc != SQLITE_ROW)
      return db_failure(c.db.get(), rc, "cannot read client ids");
    state.window.add(use.text_at(0), use.text_at(1), use.int_at(2));
  }
  state.loaded = true;
  return done{};
}

outcome<std::optional<int64_t>> find_client_id(connection& c,
                                               std::string_view sender,
                                               std::string_view client_id) {
  if (auto id = c.client_ids.window.find(sender, client_id))
    return id;
  stmt_use use{c.st.client_id_find.get()};
  auto rc = use.bind(sender).bind(client_id).step();
  if (rc == SQLITE_DONE)
    return std::optional<int64_t>{};
  if (rc != SQLITE_ROW)
    return db_failure(c.db.get(), rc, "cannot read client ids");
  return std::optional<int64_t>{use.int_at(0)};
}

void remember_client_id(connection& c, const std::string& sender,
                        const std::string& client_id, int64_t id) {
  c.client_ids.window.add(sender, client_id, id);
}

outcome<done> merge_client_ids(connection& c) {
  auto& state = c.client_ids;
  auto size = state.window.size();
  if (size <= state.limit)
    return done{};
  auto slice = state.window.take_slice(std::min(size - state.limit, max_merge));
  for (const auto& e : slice) {
    stmt_use use{c.st.client_id_insert.get()};
    use.bind(e.sender).bind(e.client_id).bind(e.id);
    if (auto r = run_to_done(c.db.get(), use, "cannot store client ids"); !r)
      return r;
  }
  state.merged_since_mark += slice.size();
  if (state.merged_since_mark < state.limit / 4)
    return done{};
  state.merged_since_mark = 0;
  stmt_use use{c.st.client_ids_set_upto.get()};
  use.bind(state.window.merged_upto());
  return run_to_done(c.db.get(), use, "cannot write meta");
}

} // namespace kurir::persistence::detail
