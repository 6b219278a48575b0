// The session's command handlers: register, login, logout and send.

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "actors/session/session_actor.hpp"
#include "net/encode.hpp"
#include "net/names.hpp"

namespace kurir {

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
    auto f = to_failure(err);
    reply_error(s, f.code, f.detail, "register " + *name);
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
            do_verify(s, *name, std::move(rec.hash), std::move(cmd.secret),
                      true);
          },
          [=](caf::error& err) mutable {
            auto f = to_failure(err);
            if (f.code != errc::no_such_user) {
              reply_error(s, f.code, f.detail, "login");
              return unblock();
            }
            // Unknown user: verify against a dummy hash to spend the same time.
            do_verify(s, *name, svc.dummy_hash, std::move(cmd.secret), false);
          });
}

void session_state::do_verify(reply_queue::slot s, std::string name,
                              std::string hash, std::string password,
                              bool known) {
  self->request(svc.hasher, caf::infinite, verify_atom_v, std::move(hash),
                std::move(password))
      .then(
          [=](bool match) {
            if (!match || !known) {
              reply_error(s, errc::auth_failed, "", "login " + name);
              return unblock();
            }
            do_online(s, name);
          },
          [=](caf::error& err) {
            auto f = to_failure(err);
            reply_error(s, f.code, f.detail, "login " + name);
            unblock();
          });
}

void session_state::do_online(reply_queue::slot s, std::string name) {
  self->request(svc.registry, caf::infinite, login_atom_v, name,
                caf::actor_cast<caf::actor>(self))
      .then(
          [=](caf::ok_atom) {
            user = name;
            ++epoch;
            log("login " + user + " from " + peer);
            self->send(
                conn, caf::update_atom_v,
                static_cast<uint64_t>(svc.settings.max_frame_after_login));
            reply(s, net::encode_ok("login", {user}));
            // The input stays blocked until the backlog is out, so a reply to a
            // later command (say, a ping) follows every waiting message.
            backlog_after = 0;
            box.begin_backlog();
            start_backlog();
          },
          [=](caf::error& err) {
            auto f = to_failure(err);
            reply_error(s, f.code, f.detail, "login " + name);
            unblock();
          });
}

void session_state::do_logout(reply_queue::slot s, const net::command& cmd) {
  if (user.empty())
    return reply_error(s, errc::not_authenticated, "", "logout");
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
  user.clear();
  ++epoch;
  box.reset();
}

void session_state::do_send(reply_queue::slot s, net::command& cmd) {
  if (user.empty())
    return reply_error(s, errc::not_authenticated, "", "send");
  auto target = net::fold_name(cmd.target, svc.settings.names);
  if (!target)
    return reply_error(s, errc::bad_name, target.error().detail, "send");
  if (cmd.body.size() > svc.settings.max_body)
    return reply_error(s, errc::too_long,
                       "message body exceeds "
                           + std::to_string(svc.settings.max_body) + " bytes",
                       "send");
  persistence::append_request req{user, *target, std::move(cmd.body), 0};
  self->request(svc.writer, caf::infinite, append_atom_v, std::move(req))
      .then(
          [=](persistence::stored_message& m) {
            log("send " + m.from + " -> " + m.to + " id " + std::to_string(m.id)
                + " seq " + std::to_string(m.seq));
            reply(s, net::encode_ok("send", {std::to_string(m.id),
                                             std::to_string(m.seq)}));
          },
          [=](caf::error& err) {
            auto f = to_failure(err);
            reply_error(s, f.code, f.detail, "send to " + *target);
          });
}

} // namespace kurir
