// The session's account commands: hello, register, login and logout.

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "actors/session/session_actor.hpp"
#include "net/encode.hpp"
#include "net/names.hpp"

namespace kurir {

namespace {

/// Returns the protocol version `text` names, or 0 if this broker does not
/// speak it: 1 is the seed's, 2 adds acknowledgements and presence, 3 error
/// codes of its own (docs/PROTOCOL.md).
int parse_version(const std::string& text) {
  for (int v = 1; v <= protocol_version; ++v)
    if (text == std::to_string(v))
      return v;
  return 0;
}

/// Returns whether the comma-separated `caps` lists `cap`.
bool has_capability(const std::string& caps, std::string_view cap) {
  std::size_t start = 0;
  while (start <= caps.size()) {
    auto end = caps.find(',', start);
    if (end == std::string::npos)
      end = caps.size();
    if (std::string_view{caps}.substr(start, end - start) == cap)
      return true;
    start = end + 1;
  }
  return false;
}

} // namespace

void session_state::do_hello(reply_queue::slot s, const net::command& cmd) {
  if (!user.empty())
    return reply_error(s, errc::bad_request, "hello comes before login",
                       "hello");
  const auto& version = cmd.args[0];
  auto v = parse_version(version);
  if (v == 0)
    return reply_error(s, errc::bad_request,
                       "unsupported protocol version; this broker speaks 1-"
                         + std::to_string(protocol_version),
                       "hello");
  auto caps = cmd.args.size() > 1 ? cmd.args[1] : std::string{};
  protocol = v;
  ack_mode = protocol >= 2 && has_capability(caps, "ack");
  reply(s, net::encode_ok("hello", {version, ack_mode ? "ack" : ""}));
}

void session_state::do_register(reply_queue::slot s, net::command& cmd) {
  if (!user.empty())
    return reply_error(s, errc::already_authenticated, "", "register");
  auto name = net::fold_name(cmd.name, svc.settings.names);
  if (!name)
    return reply_error(s, errc::bad_name, name.error().detail, "register");
  if (auto ok = net::check_password(cmd.secret, svc.settings.names); !ok)
    return reply_error(s, errc::bad_password, ok.error().detail, "register");
  busy = true;
  auto on_error = [=](caf::error& err) {
    reply_failure(s, err, "register " + *name);
    unblock();
  };
  self->request(svc.hasher, caf::infinite, hash_atom_v, std::move(cmd.secret))
    .then(
      [=](std::string& hash) {
        persistence::user_record rec{*name, std::move(hash), peer, 0};
        self->request(svc.writer, caf::infinite, reg_atom_v, std::move(rec))
          .then(
            [=](caf::ok_atom) {
              log("register " + *name + " from " + peer);
              reply(s, net::encode_ok("register", {*name}));
              unblock();
            },
            on_error);
      },
      on_error);
}

void session_state::do_login(reply_queue::slot s, net::command& cmd) {
  if (!user.empty())
    return reply_error(s, errc::already_authenticated, "", "login");
  auto name = net::fold_name(cmd.name, svc.settings.names);
  if (!name || cmd.secret.size() > svc.settings.names.max_password) {
    // Never hash an oversized password; the answer is the same as always.
    return reply_error(s, errc::auth_failed, "", "login");
  }
  busy = true;
  self->request(svc.writer, caf::infinite, find_atom_v, *name)
    .then(
      [=](persistence::user_record& rec) mutable {
        do_verify(s, *name, std::move(rec.hash), std::move(cmd.secret), true);
      },
      [=](caf::error& err) mutable {
        if (to_failure(err).code != errc::no_such_user) {
          reply_failure(s, err, "login");
          return unblock();
        }
        // Unknown user: verify against a dummy hash to spend the same time.
        do_verify(s, *name, svc.dummy_hash, std::move(cmd.secret), false);
      });
}

void session_state::do_verify(reply_queue::slot s, std::string name,
                              std::string hash, std::string password,
                              bool known) {
  // Loopback is exempt from the per-address throttle (local tools, tests).
  auto ip = peer.substr(0, peer.rfind(':'));
  auto address = ip.rfind("127.", 0) == 0 || ip == "::1" ? std::string{} : ip;
  self
    ->request(svc.hasher, caf::infinite, verify_atom_v, name, address,
              std::move(hash), std::move(password), known)
    .then(
      [=](bool ok) {
        if (!ok) {
          reply_error(s, errc::auth_failed, "", "login " + name);
          return unblock();
        }
        do_contacts(s, name);
      },
      [=](caf::error& err) {
        reply_failure(s, err, "login " + name);
        unblock();
      });
}

void session_state::do_contacts(reply_queue::slot s, std::string name) {
  self->request(svc.spool, caf::infinite, contacts_atom_v, name)
    .then(
      [=](std::vector<std::string>& contacts) {
        do_online(s, name, std::move(contacts));
      },
      [=](caf::error& err) {
        reply_failure(s, err, "login " + name);
        unblock();
      });
}

void session_state::do_online(reply_queue::slot s, std::string name,
                              std::vector<std::string> contacts) {
  auto me = caf::actor_cast<caf::actor>(self);
  self
    ->request(svc.registry, caf::infinite, login_atom_v, name, me,
              std::move(contacts))
    .then(
      [=](caf::ok_atom) {
        user = name;
        ++epoch;
        log("login " + user + " from " + peer);
        self->send(conn, caf::update_atom_v,
                   static_cast<uint64_t>(svc.settings.max_frame_after_login));
        reply(s, net::encode_ok("login", {user}));
        // The input stays blocked until the backlog is out, so a reply to a
        // later command (say, a ping) follows every waiting message.
        resume_after = {};
        start_read(true);
      },
      [=](caf::error& err) {
        reply_failure(s, err, "login " + name);
        unblock();
      });
}

void session_state::do_logout(reply_queue::slot s, const net::command& cmd) {
  if (!cmd.name.empty()) {
    auto name = net::fold_name(cmd.name, svc.settings.names);
    if (!name || *name != user)
      return reply_error(s, errc::forbidden, "you can only log out yourself",
                         "logout");
  }
  self->send(svc.registry, logout_atom_v, user,
             caf::actor_cast<caf::actor>(self));
  log("logout " + user + " from " + peer);
  reply(s, net::encode_ok("logout", {user}));
  // What is in flight stays beyond the cursor: sent again at next login.
  // A seed client's deliveries still count as delivered once written (the
  // window keeps whose they were), so only an acking client's are dropped.
  user.clear();
  ++epoch;
  box.reset();
  resume_after = {};
  if (ack_mode)
    window.clear();
  behind = false;
  reading = false;
  self->send(conn, caf::update_atom_v,
             static_cast<uint64_t>(svc.settings.max_frame_before_login));
}

} // namespace kurir
