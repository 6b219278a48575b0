// sqlite_store: opening, shared lookups, users, maintenance. Groups are in
// sqlite_groups.cpp, messages in sqlite_messages.cpp, the schema in
// sqlite_schema.cpp.

#include "persistence/sqlite_store.hpp"

#include <algorithm>
#include <limits>

#include "persistence/sqlite_connection.hpp"

namespace kurir::persistence {

namespace detail {

// -- lookups ------------------------------------------------------------------

outcome<std::optional<user_record>> lookup_user(connection& c,
                                                std::string_view name) {
  stmt_use use{c.st.user_find.get()};
  auto rc = use.bind(name).step();
  if (rc == SQLITE_DONE)
    return std::optional<user_record>{};
  if (rc != SQLITE_ROW)
    return db_failure(c.db.get(), rc, "cannot read users");
  return std::optional<user_record>{
    user_record{use.text_at(0), use.text_at(1), use.text_at(2), use.int_at(3)}};
}

namespace {

outcome<std::optional<conv_row>>
lookup_conv_with(connection& c, sqlite3_stmt* stmt, std::string_view name) {
  stmt_use use{stmt};
  auto rc = use.bind(name).step();
  if (rc == SQLITE_DONE)
    return std::optional<conv_row>{};
  if (rc != SQLITE_ROW)
    return db_failure(c.db.get(), rc, "cannot read conversations");
  return std::optional<conv_row>{conv_row{use.int_at(0), 0, use.text_at(1)}};
}

} // namespace

outcome<std::optional<conv_row>> lookup_group(connection& c,
                                              std::string_view name) {
  return lookup_conv_with(c, c.st.group_find.get(), name);
}

outcome<std::optional<conv_row>> lookup_conv(connection& c,
                                             std::string_view name) {
  return lookup_conv_with(c, c.st.conv_find.get(), name);
}

outcome<bool> name_in_use(connection& c, std::string_view name) {
  // SQL cannot express a constraint across two tables: check both.
  auto group = lookup_group(c, name);
  if (!group)
    return group.error();
  if (*group)
    return true;
  auto user = lookup_user(c, name);
  if (!user)
    return user.error();
  return user->has_value();
}

outcome<std::optional<int64_t>>
lookup_member(connection& c, std::string_view member, int64_t conv) {
  stmt_use use{c.st.member_find.get()};
  auto rc = use.bind(member).bind(conv).step();
  if (rc == SQLITE_DONE)
    return std::optional<int64_t>{};
  if (rc != SQLITE_ROW)
    return db_failure(c.db.get(), rc, "cannot read participants");
  return std::optional<int64_t>{use.int_at(0)};
}

std::string direct_key(std::string_view a, std::string_view b) {
  if (b < a)
    std::swap(a, b);
  std::string key{a};
  key += '\n';
  key += b;
  return key;
}

} // namespace detail

// -- construction -------------------------------------------------------------

sqlite_store::sqlite_store(std::unique_ptr<impl> ptr) : impl_(std::move(ptr)) {
  // nop
}

sqlite_store::~sqlite_store() = default;

outcome<std::unique_ptr<sqlite_store>>
sqlite_store::open(const sqlite_options& opts) {
  auto conn = detail::open_connection(opts);
  if (!conn)
    return conn.error();
  auto ptr = std::make_unique<impl>();
  ptr->c = std::move(*conn);
  return std::unique_ptr<sqlite_store>{new sqlite_store(std::move(ptr))};
}

// -- users --------------------------------------------------------------------

namespace {

/// Inserts `user` unless the name is in use; in the caller's transaction.
outcome<done> insert_user(detail::connection& c, const user_record& user) {
  auto taken = detail::name_in_use(c, user.name);
  if (!taken)
    return taken.error();
  if (*taken)
    return failure{errc::name_taken, "the name " + user.name + " is taken"};
  detail::stmt_use use{c.st.user_insert.get()};
  use.bind(user.name).bind(user.hash).bind(user.reg_addr).bind(user.reg_ms);
  return detail::run_to_done(c.db.get(), use, "cannot add user");
}

} // namespace

outcome<done> sqlite_store::add_user(const user_record& user) {
  auto& c = impl_->c;
  return detail::in_transaction(
    c, [&]() -> outcome<done> { return insert_user(c, user); });
}

outcome<std::vector<outcome<done>>>
sqlite_store::add_users(const std::vector<user_record>& users) {
  using results = std::vector<outcome<done>>;
  auto& c = impl_->c;
  return detail::in_transaction(c, [&]() -> outcome<results> {
    results out;
    out.reserve(users.size());
    for (const auto& u : users) {
      auto one = insert_user(c, u);
      if (!one && one.error().code != errc::name_taken)
        return one.error(); // the database failed: the whole batch goes
      out.push_back(std::move(one));
    }
    return outcome<results>{std::move(out)};
  });
}

outcome<user_record> sqlite_store::find_user(std::string_view name) {
  auto found = detail::lookup_user(impl_->c, name);
  if (!found)
    return found.error();
  if (!*found)
    return failure{errc::no_such_user, "no user " + std::string{name}};
  return std::move(**found);
}

outcome<done> sqlite_store::set_hash(std::string_view name,
                                     std::string_view hash) {
  auto& c = impl_->c;
  return detail::in_transaction(c, [&]() -> outcome<done> {
    detail::stmt_use use{c.st.user_set_hash.get()};
    use.bind(hash).bind(name);
    if (auto r = detail::run_to_done(c.db.get(), use, "cannot set hash"); !r)
      return r;
    if (sqlite3_changes(c.db.get()) == 0)
      return failure{errc::no_such_user, "no user " + std::string{name}};
    return done{};
  });
}

void sqlite_store::forget_cached_rows() {
  impl_->c.cache = {};
  impl_->c.client_ids.loaded = false;
}

// -- measurement --------------------------------------------------------------

std::vector<metrics::queue_depth>
sqlite_store::deepest_queues(std::size_t n) const {
  const auto& cache = impl_->c.cache;
  std::vector<metrics::queue_depth> all;
  for (const auto& [member, convs] : cache.cursors) {
    int64_t depth = 0;
    for (auto [conv, cursor] : convs) {
      auto last = cache.last_seq.find(conv);
      if (cursor >= 0 && last != cache.last_seq.end() && last->second > cursor)
        depth += last->second - cursor;
    }
    if (depth > 0)
      all.push_back({member, depth});
  }
  auto deeper = [](const auto& a, const auto& b) {
    return a.depth != b.depth ? a.depth > b.depth : a.user < b.user;
  };
  auto top = std::min(n, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(top),
                    all.end(), deeper);
  all.resize(top);
  return all;
}

store_stats sqlite_store::stats() const {
  const auto& c = impl_->c;
  store_stats out;
  out.commits = c.meter->commits;
  out.messages = c.meter->messages;
  out.checkpoints = c.meter->checkpoints;
  out.wal_size = c.meter->wal_size;
  // SQLite's count of pages written since open: in WAL mode, WAL frames.
  int cur = 0;
  int high = 0;
  sqlite3_db_status(c.db.get(), SQLITE_DBSTATUS_CACHE_WRITE, &cur, &high, 0);
  out.wal_frames = static_cast<uint64_t>(cur);
  return out;
}

// -- maintenance --------------------------------------------------------------

void sqlite_store::set_busy_timeout(std::chrono::milliseconds timeout) {
  auto ms
    = std::clamp<int64_t>(timeout.count(), 0, std::numeric_limits<int>::max());
  sqlite3_busy_timeout(impl_->c.db.get(), static_cast<int>(ms));
}

outcome<std::string> sqlite_store::integrity_check() {
  auto& c = impl_->c;
  detail::stmt_use use{c.st.integrity.get()};
  auto rc = use.step();
  if (rc == SQLITE_ROW)
    return use.text_at(0);
  if (rc == SQLITE_DONE)
    return std::string{"no result"};
  return detail::db_failure(c.db.get(), rc, "integrity check failed");
}

} // namespace kurir::persistence
