// The session's group and presence commands.

#include <algorithm>

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "actors/session/session_actor.hpp"
#include "net/encode.hpp"
#include "proto/names.hpp"

namespace kurir {

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty())
      out += ',';
    out += n;
  }
  return out;
}

} // namespace

void session_state::do_who(reply_queue::slot s) {
  self->request(svc.registry, caf::infinite, who_atom_v, user)
    .then(
      [=](std::vector<std::string>& names) {
        reply(s, net::encode_ok("who", {join(names)}));
      },
      [=](caf::error& err) { reply_failure(s, err, "who"); });
}

void session_state::do_groups(reply_queue::slot s) {
  self->request(svc.spool, caf::infinite, groups_atom_v, user)
    .then(
      [=](std::vector<std::string>& names) {
        reply(s, net::encode_ok("groups", {join(names)}));
      },
      [=](caf::error& err) { reply_failure(s, err, "groups"); });
}

void session_state::do_members(reply_queue::slot s, const net::command& cmd) {
  auto group = net::fold_name(cmd.args[0], svc.settings.names);
  if (!group)
    return reply_error(s, errc::bad_name, group.error().detail, "members");
  auto me = user;
  self->request(svc.spool, caf::infinite, members_atom_v, *group)
    .then(
      [=](persistence::group_record& g) {
        auto& m = g.members;
        if (!std::binary_search(m.begin(), m.end(), me))
          return reply_error(s, errc::forbidden, "not a member of " + g.name,
                             "members");
        reply(s, net::encode_ok("members", {g.name, g.owner, join(m)}));
      },
      [=](caf::error& err) { reply_failure(s, err, "members " + *group); });
}

void session_state::do_change(reply_queue::slot s, const net::command& cmd) {
  using k = net::command_kind;
  using change = persistence::membership_change;
  auto word = std::string{net::to_string(cmd.kind)};
  auto group = net::fold_name(cmd.args[0], svc.settings.names);
  if (!group)
    return reply_error(s, errc::bad_name, group.error().detail, word);
  change c{change::create, user, *group, user};
  if (cmd.kind == k::add || cmd.kind == k::remove) {
    auto member = net::fold_name(cmd.args[1], svc.settings.names);
    if (!member)
      return reply_error(s, errc::bad_name, member.error().detail, word);
    c.kind = cmd.kind == k::add ? change::add : change::remove;
    c.member = *member;
  } else if (cmd.kind == k::leave) {
    c.kind = change::remove;
  }
  std::vector<std::string> ok{c.group};
  if (cmd.kind == k::add || cmd.kind == k::remove)
    ok.push_back(c.member);
  ++input.pending_writes;
  self->request(svc.writer, caf::infinite, change_atom_v, c)
    .then(
      [=](persistence::group_record&) {
        log(word + " " + c.group + " " + c.member + " by " + c.actor);
        reply(s, net::encode_ok(word, ok));
        write_done();
      },
      [=](caf::error& err) {
        reply_failure(s, err, word + " " + c.group);
        write_done();
      });
}

void session_state::on_group_event(const persistence::membership_change& c) {
  // New in protocol 3: older clients learn of groups with `--groups--`.
  if (user.empty() || proto.version < 3)
    return;
  bool added = c.kind != persistence::membership_change::remove;
  write(net::encode_group_event(c.group, added, c.actor));
}

void session_state::on_presence(const std::string& who, bool online) {
  // The seed's protocol has no such frame: only protocol 2 clients get it.
  if (!user.empty() && proto.version >= 2)
    write(net::encode_presence(who, online));
}

} // namespace kurir
