// sqlite_store: opening, users, groups, maintenance. Messages are in
// sqlite_messages.cpp, the schema in sqlite_schema.cpp.

#include "persistence/sqlite_store.hpp"

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
  return std::optional<user_record>{user_record{use.text_at(0), use.text_at(1),
                                                use.text_at(2), use.int_at(3)}};
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
  return std::optional<conv_row>{conv_row{use.int_at(0), use.int_at(1)}};
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

namespace {

/// Creates group `name` and returns it; the caller holds the transaction.
outcome<conv_row> insert_group(connection& c, const group_record& group) {
  stmt_use use{c.st.conv_insert.get()};
  use.bind(std::string_view{"group"}).bind(group.name).bind(group.owner);
  if (auto r = run_to_done(c.db.get(), use, "cannot create group"); !r)
    return r.error();
  return conv_row{sqlite3_last_insert_rowid(c.db.get()), 0};
}

/// Adds each member not yet in `conv` at its current sequence.
outcome<done> add_members(connection& c, const conv_row& conv,
                          const std::vector<std::string>& members) {
  for (const auto& member : members) {
    stmt_use use{c.st.member_insert.get()};
    use.bind(conv.id).bind(member).bind(conv.last_seq).bind(conv.last_seq);
    if (auto r = run_to_done(c.db.get(), use, "cannot add group member"); !r)
      return r;
  }
  return done{};
}

} // namespace

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

outcome<done> sqlite_store::add_user(const user_record& user) {
  auto& c = impl_->c;
  return detail::in_transaction(c, [&]() -> outcome<done> {
    // One namespace for users and groups: check both tables.
    auto group = detail::lookup_group(c, user.name);
    if (!group)
      return group.error();
    auto existing = detail::lookup_user(c, user.name);
    if (!existing)
      return existing.error();
    if (*group || *existing)
      return failure{errc::name_taken, "the name " + user.name + " is taken"};
    detail::stmt_use use{c.st.user_insert.get()};
    use.bind(user.name).bind(user.hash).bind(user.reg_addr).bind(user.reg_ms);
    return detail::run_to_done(c.db.get(), use, "cannot add user");
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

// -- groups -------------------------------------------------------------------

outcome<done> sqlite_store::ensure_group(const group_record& group) {
  auto& c = impl_->c;
  return detail::in_transaction(c, [&]() -> outcome<done> {
    auto user = detail::lookup_user(c, group.name);
    if (!user)
      return user.error();
    if (*user)
      return failure{errc::name_taken,
                     "the name " + group.name + " belongs to a user"};
    // An existing group keeps its owner; only missing members are added.
    auto found = detail::lookup_group(c, group.name);
    if (!found)
      return found.error();
    auto conv = *found ? outcome<detail::conv_row>{**found}
                       : detail::insert_group(c, group);
    if (!conv)
      return conv.error();
    return detail::add_members(c, *conv, group.members);
  });
}

outcome<std::vector<group_record>> sqlite_store::groups() {
  auto& c = impl_->c;
  std::vector<group_record> result;
  detail::stmt_use use{c.st.group_list.get()};
  // Rows come ordered by group, then member; a group without members has
  // one row with a NULL member.
  for (;;) {
    auto rc = use.step();
    if (rc == SQLITE_DONE)
      return result;
    if (rc != SQLITE_ROW)
      return detail::db_failure(c.db.get(), rc, "cannot read groups");
    auto name = use.text_at(0);
    if (result.empty() || result.back().name != name)
      result.push_back(group_record{std::move(name), use.text_at(1), {}});
    if (sqlite3_column_type(c.st.group_list.get(), 2) != SQLITE_NULL)
      result.back().members.push_back(use.text_at(2));
  }
}

// -- maintenance --------------------------------------------------------------

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
