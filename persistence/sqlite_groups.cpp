// sqlite_store: groups and their membership, and who shares a conversation
// with whom.

#include "persistence/sqlite_connection.hpp"
#include "persistence/sqlite_store.hpp"

namespace kurir::persistence {

namespace {

using detail::connection;
using detail::conv_row;
using detail::stmt_use;

// -- reading ------------------------------------------------------------------

/// Reads rows of (name, owner, member) ordered by name, then member; a group
/// without members has one row with a NULL member.
outcome<std::vector<group_record>> read_groups(connection& c, stmt_use& use) {
  std::vector<group_record> result;
  for (;;) {
    auto rc = use.step();
    if (rc == SQLITE_DONE)
      return result;
    if (rc != SQLITE_ROW)
      return detail::db_failure(c.db.get(), rc, "cannot read groups");
    auto name = use.text_at(0);
    if (result.empty() || result.back().name != name)
      result.push_back(group_record{std::move(name), use.text_at(1), {}});
    if (!use.is_null(2))
      result.back().members.push_back(use.text_at(2));
  }
}

/// Returns the group `name` with its members, or fails with `no_such_group`.
outcome<group_record> read_group(connection& c, std::string_view name) {
  stmt_use use{c.st.group_get.get()};
  use.bind(name);
  auto found = read_groups(c, use);
  if (!found)
    return found.error();
  if (found->empty())
    return failure{errc::no_such_group, "no group " + std::string{name}};
  return std::move(found->front());
}

// -- writing ------------------------------------------------------------------

/// Creates group `name` and returns it; the caller holds the transaction.
outcome<conv_row> insert_group(connection& c, const std::string& name,
                               const std::string& owner) {
  stmt_use use{c.st.conv_insert.get()};
  use.bind(std::string_view{"group"}).bind(name).bind(owner);
  if (auto r = run_to_done(c.db.get(), use, "cannot create group"); !r)
    return r.error();
  return conv_row{sqlite3_last_insert_rowid(c.db.get()), 0, owner};
}

/// Adds `member` to `conv` at its current sequence, unless already in it.
outcome<done> insert_member(connection& c, const conv_row& conv,
                            const std::string& member) {
  auto seq = detail::last_seq_of(c, conv.id);
  if (!seq)
    return seq.error();
  detail::forget_cursor(c, member, conv.id); // it may have cached "none"
  stmt_use use{c.st.member_insert.get()};
  use.bind(conv.id).bind(member).bind(*seq).bind(*seq);
  return run_to_done(c.db.get(), use, "cannot add group member");
}

outcome<done> create_group(connection& c, const membership_change& ch) {
  auto taken = detail::name_in_use(c, ch.group);
  if (!taken)
    return taken.error();
  if (*taken)
    return failure{errc::name_taken, "the name " + ch.group + " is taken"};
  auto conv = insert_group(c, ch.group, ch.actor);
  if (!conv)
    return conv.error();
  return insert_member(c, *conv, ch.actor); // at 0: the start of the group
}

/// Whether `actor` owns `group`; a group without owner has no owner rights.
bool owns(const conv_row& group, const std::string& actor) {
  return !group.owner.empty() && group.owner == actor;
}

outcome<done> add_member(connection& c, const conv_row& group,
                         const membership_change& ch) {
  // Authorization first: a non-owner learns nothing about who is registered.
  if (!owns(group, ch.actor))
    return failure{errc::forbidden,
                   "only the owner of " + ch.group + " may add members"};
  auto user = detail::lookup_user(c, ch.member);
  if (!user)
    return user.error();
  if (!*user)
    return failure{errc::no_such_user, "no user " + ch.member};
  return insert_member(c, group, ch.member);
}

outcome<done> remove_member(connection& c, const conv_row& group,
                            const membership_change& ch) {
  if (!owns(group, ch.actor) && ch.actor != ch.member)
    return failure{errc::forbidden, "only the owner of " + ch.group
                                      + " may remove other members"};
  auto joined = detail::lookup_member(c, ch.member, group.id);
  if (!joined)
    return joined.error();
  if (!*joined)
    return failure{errc::no_such_user,
                   ch.member + " is not a member of " + ch.group};
  auto db = c.db.get();
  {
    detail::forget_cursor(c, ch.member, group.id);
    stmt_use use{c.st.member_delete.get()};
    use.bind(ch.member).bind(group.id);
    if (auto r = run_to_done(db, use, "cannot remove group member"); !r)
      return r;
  }
  if (ch.member != group.owner)
    return done{};
  // The owner left: the group goes on without owner.
  stmt_use use{c.st.group_set_owner.get()};
  use.bind(std::string_view{}).bind(group.id);
  return run_to_done(db, use, "cannot clear the group's owner");
}

outcome<done> apply_change(connection& c, const membership_change& ch) {
  if (ch.kind == membership_change::create)
    return create_group(c, ch);
  auto group = detail::lookup_group(c, ch.group);
  if (!group)
    return group.error();
  if (!*group)
    return failure{errc::no_such_group, "no group " + ch.group};
  switch (ch.kind) {
    case membership_change::add: return add_member(c, **group, ch);
    case membership_change::remove: return remove_member(c, **group, ch);
    default: return failure{errc::bad_request, "unknown membership change"};
  }
}

} // namespace

// -- sqlite_store -------------------------------------------------------------

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
    auto conv = *found ? outcome<conv_row>{**found}
                       : insert_group(c, group.name, group.owner);
    if (!conv)
      return conv.error();
    for (const auto& member : group.members)
      if (auto r = insert_member(c, *conv, member); !r)
        return r;
    return done{};
  });
}

outcome<std::vector<group_record>> sqlite_store::groups() {
  auto& c = impl_->c;
  stmt_use use{c.st.group_list.get()};
  return read_groups(c, use);
}

outcome<group_record>
sqlite_store::change_group(const membership_change& change) {
  auto& c = impl_->c;
  return detail::in_transaction(c, [&]() -> outcome<group_record> {
    if (auto r = apply_change(c, change); !r)
      return r.error();
    return read_group(c, change.group);
  });
}

outcome<group_record> sqlite_store::group(std::string_view name) {
  return read_group(impl_->c, name);
}

outcome<std::vector<std::string>>
sqlite_store::groups_of(std::string_view member) {
  auto& c = impl_->c;
  stmt_use use{c.st.groups_of.get()};
  use.bind(member);
  return detail::read_texts(c.db.get(), use, "cannot read groups");
}

outcome<std::vector<std::string>>
sqlite_store::contacts(std::string_view user) {
  auto& c = impl_->c;
  stmt_use use{c.st.contacts.get()};
  use.bind(user);
  return detail::read_texts(c.db.get(), use, "cannot read contacts");
}

} // namespace kurir::persistence
