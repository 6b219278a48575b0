#include "client/terminal/error_text.hpp"

#include "client/core/replies.hpp"

#include "proto/errc.hpp"

namespace kurir::client {

namespace {

struct sentence {
  std::string_view code;
  std::string_view text;
};

// The one table from the broker's error codes (wire spelling, see
// proto/errc.cpp) to sentences for people.
constexpr sentence broker_sentences[] = {
  {"bad_request",
   "The broker did not accept that request as written (a bug in this client, "
   "or something it does not allow)."},
  {"unknown_command", "The broker does not know that command; it may be "
                      "older than this client."},
  {"frame_too_large", "That was more than the broker accepts at once, so it "
                      "closed the connection."},
  {"too_long", "That message is too long for the broker; it was not sent."},
  {"bad_name", "That is not a valid name: names are 1 to 32 characters of "
               "a-z, 0-9, '_', '.' and '-'."},
  {"bad_password",
   "That password cannot be used: passwords are 8 to 1024 bytes long."},
  {"name_taken", "That name is already taken by a user or a group."},
  {"auth_failed", "Login failed: unknown user or wrong password."},
  {"no_such_user", "There is no user or group by that name."},
  {"not_authenticated", "You are not logged in."},
  {"already_authenticated", "You are already logged in."},
  {"forbidden",
   "You are not allowed to do that: only a group's members may read or write "
   "in it, and only its owner may add or remove others."},
  {"storage_full",
   "The broker's disk is full, so nothing was stored. Try again later."},
  {"server_busy", "The broker is busy and did nothing. Try again in a moment."},
  {"storage_error", "The broker could not store that, so nothing was stored. "
                    "Try again later."},
  {"internal_error", "The broker failed with an internal error."},
  {"client_id_conflict",
   "The broker already holds a different message under this message's "
   "client id, so it was not sent."},
  {"recipient_queue_full",
   "The recipient has too many messages waiting to be read, so yours was not "
   "stored. Try again later."},
  {"try_later", "The broker refuses logins for a while after too many "
                "failed attempts; this client will try again later."},
  {"not_awaiting_ack", "The broker was not waiting for an acknowledgement "
                       "of that message (a bug in this client)."},
  {"self_send", "You cannot send a message to yourself."},
  {"no_such_group", "There is no group of that name."},
  {"rate_limited",
   "The broker closed the connection: messages were sent far too fast."},
  {"too_many_connections",
   "The broker refused the connection: too many connections from your "
   "address."},
  {"login_timeout",
   "The broker closed the connection because the login took too long."},
  {"idle_timeout", "The broker closed the connection after hearing nothing "
                   "from this client for too long."},
  {"too_many_errors",
   "The broker closed the connection after too many refused commands."},
  {"not_kurir", "The broker took this connection for something other than a "
                "kurir client and closed it."},
  {{}, {}},
};

/// Returns the errc whose wire code is `code`, or errc::none.
errc errc_of(std::string_view code) {
  return client_core::code_of(code);
}

// Errors this client reports on its own.
constexpr sentence client_sentences[] = {
  {"usage", "That command is not written right; /help lists the commands."},
  {"no_conversation", "There is no current conversation: start one with "
                      "/query user or /join group, or use /msg."},
  {"connection_lost",
   "The connection dropped before the broker answered, so this may or may "
   "not have been done."},
  {"cannot_connect", "Cannot reach the broker; giving up."},
  {"protocol", "The broker sent something this client does not understand."},
  {"tls_refused",
   "Cannot set up TLS with the broker, so nothing was sent: its certificate "
   "cannot be verified (trust its CA with --tls-ca=FILE, or check --host), "
   "or it does not speak TLS on that port; giving up."},
  {{}, {}},
};

} // namespace

std::string explain(std::string_view code) {
  for (const auto* table : {broker_sentences, client_sentences})
    for (auto* s = table; !s->code.empty(); ++s)
      if (s->code == code)
        return std::string{s->text};
  return "The broker reported an error this client does not know ("
         + std::string{code} + ").";
}

std::string explain(std::string_view code, std::string_view broker_text) {
  auto out = explain(code);
  auto x = errc_of(code);
  if (broker_text.empty()
      || (x != errc::none && default_text(x) == broker_text))
    return out;
  return out + " (" + std::string{broker_text} + ")";
}

bool closes_on_its_own(std::string_view code) {
  return client_core::closes_on_its_own(code);
}

} // namespace kurir::client
