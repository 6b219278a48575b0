// The sentences of the terminal client (client/terminal/error_text.cpp),
// word for word: tests/client/web_errors_test.cpp checks that they match.

/** Error codes of the broker, explained for people. */
export const brokerSentences = {
  bad_request: "The broker did not accept that request as written (a bug in this client, or something it does not allow).",
  unknown_command: "The broker does not know that command; it may be older than this client.",
  frame_too_large: "That was more than the broker accepts at once, so it closed the connection.",
  too_long: "That message is too long for the broker; it was not sent.",
  bad_name: "That is not a valid name: names are 1 to 32 characters of a-z, 0-9, '_', '.' and '-'.",
  bad_password: "That password cannot be used: passwords are 8 to 1024 bytes long.",
  name_taken: "That name is already taken by a user or a group.",
  auth_failed: "Login failed: unknown user or wrong password.",
  no_such_user: "There is no user or group by that name.",
  not_authenticated: "You are not logged in.",
  already_authenticated: "You are already logged in.",
  forbidden: "You are not allowed to do that: only a group's members may read or write in it, and only its owner may add or remove others.",
  storage_full: "The broker's disk is full, so nothing was stored. Try again later.",
  server_busy: "The broker is busy and did nothing. Try again in a moment.",
  storage_error: "The broker could not store that, so nothing was stored. Try again later.",
  internal_error: "The broker failed with an internal error.",
  client_id_conflict: "The broker already holds a different message under this message's client id, so it was not sent.",
  recipient_queue_full: "The recipient has too many messages waiting to be read, so yours was not stored. Try again later.",
  try_later: "The broker refuses logins for a while after too many failed attempts; this client will try again later.",
  not_awaiting_ack: "The broker was not waiting for an acknowledgement of that message (a bug in this client).",
  self_send: "You cannot send a message to yourself.",
  no_such_group: "There is no group of that name.",
  rate_limited: "The broker closed the connection: messages were sent far too fast.",
  too_many_connections: "The broker refused the connection: too many connections from your address.",
  login_timeout: "The broker closed the connection because the login took too long.",
  idle_timeout: "The broker closed the connection after hearing nothing from this client for too long.",
  too_many_errors: "The broker closed the connection after too many refused commands.",
  not_kurir: "The broker took this connection for something other than a kurir client and closed it.",
};

/** Errors this client reports on its own. */
export const clientSentences = {
  connection_lost: "The connection dropped before the broker answered, so this may or may not have been done.",
  cannot_connect: "Cannot reach the broker; giving up.",
  protocol: "The broker sent something this client does not understand.",
};

/** The broker's default texts (proto/errc.cpp): not repeated in brackets. */
const defaultTexts = {
  bad_request: "malformed frame",
  unknown_command: "unknown command",
  frame_too_large: "frame exceeds the size limit",
  too_long: "message body exceeds the size limit",
  bad_name: "names are 1-32 characters of a-z 0-9 _ . -",
  bad_password: "passwords are 8-1024 bytes",
  name_taken: "that name is taken",
  auth_failed: "unknown user or wrong password",
  no_such_user: "no such user or group",
  not_authenticated: "log in first",
  already_authenticated: "already logged in",
  forbidden: "not allowed",
  storage_full: "the server's disk is full; nothing was stored",
  server_busy: "the server is busy; try again later",
  storage_error: "the server could not store this; nothing was stored",
  internal_error: "internal server error",
  client_id_conflict: "that client message id was used for a different message",
  recipient_queue_full: "the recipient has too many unacknowledged messages; nothing was stored",
  login_timeout: "no login in time; closing",
  idle_timeout: "nothing heard for too long; closing",
  too_many_errors: "too many commands before login; closing",
  not_kurir: "this is a kurir broker, not an HTTP server; closing",
  try_later: "too many failed logins; try again later",
  too_many_connections: "too many connections from your address",
  rate_limited: "far too many messages too fast; closing",
  not_awaiting_ack: "not awaiting acknowledgement",
  self_send: "cannot send a message to yourself",
  no_such_group: "no such group",
};

/** Returns the sentence for `code`, with the broker's own text when it
 *  says more than the default. */
export function explain(code, brokerText = "") {
  const base =
    brokerSentences[code] ||
    clientSentences[code] ||
    `The broker reported an error this client does not know (${code}).`;
  return brokerText && brokerText !== defaultTexts[code]
    ? `${base} (${brokerText})`
    : base;
}

