#include "proto/errc.hpp"

namespace kurir {

namespace {

struct errc_info {
  std::string_view wire;
  std::string_view text;
  bool closes;
  int since = 1;            ///< the protocol that introduced the code
  errc before = errc::none; ///< what older protocols are told instead
};

// The single mapping from errc to the wire. Order follows the enum.
constexpr errc_info infos[] = {
  {"none", "no error", false},
  {"bad_request", "malformed frame", false},
  {"unknown_command", "unknown command", false},
  {"frame_too_large", "frame exceeds the size limit", true},
  {"too_long", "message body exceeds the size limit", false},
  {"bad_name", "names are 1-32 characters of a-z 0-9 _ . -", false},
  {"bad_password", "passwords are 8-1024 bytes", false},
  {"name_taken", "that name is taken", false},
  {"auth_failed", "unknown user or wrong password", false},
  {"no_such_user", "no such user or group", false},
  {"not_authenticated", "log in first", false},
  {"already_authenticated", "already logged in", false},
  {"forbidden", "not allowed", false},
  {"storage_full", "the server's disk is full; nothing was stored", false},
  {"server_busy", "the server is busy; try again later", false},
  {"storage_error", "the server could not store this; nothing was stored",
   false},
  {"internal_error", "internal server error", false},
  {"client_id_conflict",
   "that client message id was used for a different message", false},
  {"recipient_queue_full",
   "the recipient has too many unacknowledged messages; nothing was stored",
   false},
  {"login_timeout", "no login in time; closing", true},
  {"idle_timeout", "nothing heard for too long; closing", true},
  {"too_many_errors", "too many commands before login; closing", true},
  {"not_kurir", "this is a kurir broker, not an HTTP server; closing", true},
  {"try_later", "too many failed logins; try again later", false},
  {"too_many_connections", "too many connections from your address", true},
  {"rate_limited", "far too many messages too fast; closing", true},
  {"not_awaiting_ack", "not awaiting acknowledgement", false, 3,
   errc::bad_request},
  {"self_send", "cannot send a message to yourself", false, 3,
   errc::bad_request},
  {"no_such_group", "no such group", false, 3, errc::no_such_user},
};

static_assert(sizeof(infos) / sizeof(infos[0])
                == static_cast<std::size_t>(errc::no_such_group) + 1,
              "one entry per errc value, in order");

const errc_info& info(errc x) noexcept {
  auto i = static_cast<std::size_t>(x);
  if (i >= sizeof(infos) / sizeof(infos[0]))
    i = static_cast<std::size_t>(errc::internal_error);
  return infos[i];
}

} // namespace

std::string_view to_wire(errc x) noexcept {
  return info(x).wire;
}

std::string_view default_text(errc x) noexcept {
  return info(x).text;
}

errc code_for(errc x, int protocol) noexcept {
  const auto& i = info(x);
  return protocol >= i.since ? x : i.before;
}

bool closes_connection(errc x) noexcept {
  return info(x).closes;
}

} // namespace kurir
