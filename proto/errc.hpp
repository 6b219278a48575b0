#pragma once

#include <cstdint>
#include <string_view>

namespace kurir {

/// Every error kurir reports. Each value maps to one wire code (the
/// `<code>` of `--error--|<code>|<text>;`) in `proto/errc.cpp`, the only
/// place that knows the wire spelling. docs/PROTOCOL.md lists them all.
enum class errc : uint8_t {
  /// No error.
  none = 0,
  /// A frame that cannot be parsed: empty, wrong field count, bad escape.
  bad_request,
  /// A frame whose first field starts with `--` but names no command.
  unknown_command,
  /// More bytes than the frame limit without a terminator; connection closed.
  frame_too_large,
  /// A message body over the body limit; nothing stored.
  too_long,
  /// A user or group name outside the name rules.
  bad_name,
  /// A password outside the password rules (length).
  bad_password,
  /// Registering a name that a user or group already has.
  name_taken,
  /// Wrong password or unknown user: the two are indistinguishable.
  auth_failed,
  /// The target of a send is neither a user nor a group.
  no_such_user,
  /// A command other than register, login or ping before login.
  not_authenticated,
  /// Register or login on a session that is already logged in.
  already_authenticated,
  /// Acting on someone else's behalf or on a group one is not a member of.
  forbidden,
  /// The disk is full; nothing was stored.
  storage_full,
  /// The database stayed locked or the server is overloaded; retry later.
  server_busy,
  /// The database failed to commit; nothing was stored.
  storage_error,
  /// A bug or an unexpected failure inside the broker.
  internal_error,
  /// A resend reused a client message id with a different target or body.
  client_id_conflict,
  /// The recipient has too many unacknowledged messages; nothing stored.
  recipient_queue_full,
  /// No login within the login deadline; connection closed.
  login_timeout,
  /// Nothing received for the idle limit, a ping included; connection closed.
  idle_timeout,
  /// Repeated commands before login; connection closed.
  too_many_errors,
  /// Not this protocol (e.g. an HTTP request); connection closed at once.
  not_kurir,
  /// Too many failed logins for this account or address; wait and retry.
  try_later,
  /// Too many connections from this address; connection closed at once.
  too_many_connections,
  /// Far past the message rate; connection closed.
  rate_limited,
  /// `--ack--` named ids that no delivery on this connection awaits
  /// (protocol 3; `bad_request` before).
  not_awaiting_ack,
  /// A direct message to oneself (protocol 3; `bad_request` before).
  self_send,
  /// A group command naming a group that does not exist (protocol 3;
  /// `no_such_user` before).
  no_such_group,
};

/// The last code of `errc` (for tables indexed by code).
inline constexpr errc errc_last = errc::no_such_group;

/// The newest protocol version this broker speaks (docs/PROTOCOL.md).
inline constexpr int protocol_version = 3;

/// Returns the wire code of `x`, e.g. `"name_taken"`.
std::string_view to_wire(errc x) noexcept;

/// Returns the code a client of `protocol` is told for `x`: codes added by
/// a later protocol fall back to the one older clients know (e.g.
/// `not_awaiting_ack` is `bad_request` before protocol 3).
errc code_for(errc x, int protocol) noexcept;

/// Returns a short, readable default text for `x`.
std::string_view default_text(errc x) noexcept;

/// Returns whether the broker closes the connection after reporting `x`.
bool closes_connection(errc x) noexcept;

} // namespace kurir
