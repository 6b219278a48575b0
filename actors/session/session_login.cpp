// A login, as one sequence of steps (docs/ARCHITECTURE.md, "Login and
// delivery"):
//
//   1. find      the writer looks the user up; an unknown user gets the
//                dummy hash, so it costs the same time as a wrong password
//   2. verify    the hasher checks the throttle (per account, and per
//                address unless net::exempt_address leaves it alone), then
//                the password; a wrong one, or an unknown user, fails
//   3. contacts  the spool reads whom the user's presence concerns
//   4. register  the registry records this session for the user
//   5. done      `--ok--|login`, then the first read of what waits: after
//                step 4, so no committed message can slip between them
//
// The input stays blocked from the first step to the end of the first read.
// Every step's error takes the one failure path, `login_failed`.

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "actors/session/session_actor.hpp"
#include "net/address_limits.hpp"
#include "net/encode.hpp"
#include "proto/names.hpp"

namespace kurir {

/// What a login has learned so far.
struct login_attempt {
  /// The steps, in order; `login_next` runs `steps[next]`.
  using step = void (session_state::*)(std::shared_ptr<login_attempt>);
  static constexpr step steps[] = {
    &session_state::login_find,     &session_state::login_verify,
    &session_state::login_contacts, &session_state::login_register,
    &session_state::login_done,
  };

  reply_queue::slot slot; ///< the login's reply
  std::string name;       ///< folded
  std::string password;
  std::string hash;   ///< the user's, or the dummy hash
  bool known = false; ///< the user exists
  std::vector<std::string> contacts;
  std::size_t next = 0; ///< index into `steps`
};

void session_state::do_login(reply_queue::slot s, net::command& cmd) {
  if (!user.empty())
    return reply_error(s, errc::already_authenticated, "", "login");
  auto folded = net::fold_name(cmd.name, svc.settings.names);
  if (!folded || cmd.secret.size() > svc.settings.names.max_password) {
    // Never hash an oversized password; the answer is the same as always.
    return reply_error(s, errc::auth_failed, "", "login");
  }
  input.busy = true;
  auto a = std::make_shared<login_attempt>();
  a->slot = s;
  a->name = std::move(*folded);
  a->password = std::move(cmd.secret);
  login_next(std::move(a));
}

void session_state::login_next(std::shared_ptr<login_attempt> a) {
  auto step = login_attempt::steps[a->next++];
  (this->*step)(std::move(a));
}

void session_state::login_find(std::shared_ptr<login_attempt> a) {
  self->request(svc.writer, caf::infinite, find_atom_v, a->name)
    .then(
      [=](persistence::user_record& rec) {
        a->hash = std::move(rec.hash);
        a->known = true;
        login_next(a);
      },
      [=](caf::error& err) {
        if (to_failure(err).code != errc::no_such_user)
          return login_failed(*a, err);
        a->hash = svc.dummy_hash; // verified all the same, and fails
        login_next(a);
      });
}

void session_state::login_verify(std::shared_ptr<login_attempt> a) {
  auto address = net::limited_address(peer, svc.settings.exempt_loopback);
  self
    ->request(svc.hasher, caf::infinite, verify_atom_v, a->name, address,
              std::move(a->hash), std::move(a->password), a->known)
    .then(
      [=](bool ok) {
        if (!ok)
          return login_failed(*a, make_caf_error(errc::auth_failed, ""));
        login_next(a);
      },
      [=](caf::error& err) { login_failed(*a, err); });
}

void session_state::login_contacts(std::shared_ptr<login_attempt> a) {
  self->request(svc.spool, caf::infinite, contacts_atom_v, a->name)
    .then(
      [=](std::vector<std::string>& contacts) {
        a->contacts = std::move(contacts);
        login_next(a);
      },
      [=](caf::error& err) { login_failed(*a, err); });
}

void session_state::login_register(std::shared_ptr<login_attempt> a) {
  auto me = caf::actor_cast<caf::actor>(self);
  self
    ->request(svc.registry, caf::infinite, login_atom_v, a->name, me,
              std::move(a->contacts))
    .then([=](caf::ok_atom) { login_next(a); },
          [=](caf::error& err) { login_failed(*a, err); });
}

void session_state::login_done(std::shared_ptr<login_attempt> a) {
  user = a->name;
  ++epoch;
  log("login " + user + " from " + peer);
  ++counts.logins_ok;
  self->send(conn, frame_limit_atom_v,
             static_cast<uint64_t>(svc.settings.max_frame_after_login));
  reply(a->slot, net::encode_ok("login", {user}));
  // The input stays blocked until the backlog is out, so a reply to a
  // later command (say, a ping) follows every waiting message.
  held.drop([](const persistence::stored_message&) {}); // read anew
  flow.restart(false);
  start_read(true);
}

void session_state::login_failed(const login_attempt& a,
                                 const caf::error& err) {
  auto throttled = to_failure(err).code == errc::try_later;
  ++(throttled ? counts.logins_throttled : counts.logins_failed);
  reply_failure(a.slot, err, "login " + a.name);
  unblock();
}

} // namespace kurir
