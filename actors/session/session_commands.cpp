// The session's account commands: hello, register and logout (the login
// is in session_login.cpp).

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "actors/session/session_actor.hpp"
#include "net/encode.hpp"
#include "proto/names.hpp"

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
  proto.version = v;
  proto.acks = proto.version >= 2 && has_capability(caps, "ack");
  reply(s, net::encode_ok("hello", {version, proto.acks ? "ack" : ""}));
}

void session_state::do_register(reply_queue::slot s, net::command& cmd) {
  if (!user.empty())
    return reply_error(s, errc::already_authenticated, "", "register");
  auto folded = net::fold_name(cmd.name, svc.settings.names);
  if (!folded)
    return reply_error(s, errc::bad_name, folded.error().detail, "register");
  if (auto ok = net::check_password(cmd.secret, svc.settings.names); !ok)
    return reply_error(s, errc::bad_password, ok.error().detail, "register");
  input.busy = true;
  auto on_error = [=](caf::error& err) {
    reply_failure(s, err, "register " + *folded);
    unblock();
  };
  self->request(svc.hasher, caf::infinite, hash_atom_v, std::move(cmd.secret))
    .then(
      [=](std::string& hash) {
        persistence::user_record rec{*folded, std::move(hash), peer, 0};
        self->request(svc.writer, caf::infinite, reg_atom_v, std::move(rec))
          .then(
            [=](caf::ok_atom) {
              log("register " + *folded + " from " + peer);
              ++counts.registrations;
              reply(s, net::encode_ok("register", {*folded}));
              unblock();
            },
            on_error);
      },
      on_error);
}

void session_state::do_logout(reply_queue::slot s, const net::command& cmd) {
  if (!cmd.name.empty()) {
    auto folded = net::fold_name(cmd.name, svc.settings.names);
    if (!folded || *folded != user)
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
  held.drop([](const persistence::stored_message&) {}); // in the database
  flow.restart(proto.acks);
  self->send(conn, frame_limit_atom_v,
             static_cast<uint64_t>(svc.settings.max_frame_before_login));
}

} // namespace kurir
