#pragma once

// The protocol-2 client's frames: commands written straight into an output
// buffer, and the broker's frames split into fields without copying.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kurir::client_core {

// -- the broker's frames ------------------------------------------------------

/// What a frame from the broker is, by its first field.
enum class frame_kind {
  ok,       ///< `--ok--|<command>|...`: a command succeeded
  error,    ///< `--error--|<code>|<text>`: a command (or the connection) failed
  pong,     ///< `--pong--[|<token>]`: the answer to our `--ping--`
  ping,     ///< `--ping--[|<token>]`: the broker checks that we are alive
  msg,      ///< `--msg--|id|seq|ms|from|to|body`: a delivery
  hist,     ///< `--hist--|id|seq|ms|from|to|body`: one message of a history
  presence, ///< `--presence--|<user>|online|offline`
  group,    ///< `--group--|<group>|added|removed|<by>` (protocol 3)
  other,    ///< anything else
};

/// Most fields a frame is split into; the last one takes the rest.
constexpr std::size_t max_fields = 8;

/// A frame from the broker split into fields. Each field is a view into the
/// frame with its escapes kept: valid while the frame's bytes are.
struct server_frame {
  frame_kind kind = frame_kind::other; ///< by the first field
  std::string_view raw;                ///< the whole frame, without `;`
  std::array<std::string_view, max_fields> fields{}; ///< escapes kept
  std::size_t count = 0;                             ///< fields in use

  /// Returns field `i` with its escapes, or "" if there is none.
  std::string_view field(std::size_t i) const {
    return i < count ? fields[i] : std::string_view{};
  }
  /// Returns field `i` unescaped (a copy), or "" if there is none.
  std::string text(std::size_t i) const;
  /// Reads field `i` as a decimal integer; false unless it is one.
  bool number(std::size_t i, int64_t& out) const;
};

/// Splits `raw` (a frame as `net::decode` yields it: escapes kept, no `;`)
/// at unescaped `|`. The kind's own field count bounds the split (7 for a
/// delivery, 3 for an error, 2 for a ping or pong, `max_fields` for the
/// rest), so the last field takes the rest of the frame, `|` included.
server_frame parse_frame(std::string_view raw);

/// A `--msg--` or `--hist--` frame's fields.
struct delivery_view {
  int64_t id = 0;        ///< server message id
  int64_t seq = 0;       ///< number in its conversation
  int64_t ts_ms = 0;     ///< server time, Unix milliseconds
  std::string_view from; ///< the sender, escapes kept
  std::string_view to;   ///< the recipient user or the group, escapes kept
  std::string_view body; ///< the body, escapes kept
};

/// Reads a delivery's fields; false unless `f` is a well-formed one.
bool parse_delivery(const server_frame& f, delivery_view& out);

/// Removes the escapes of `field` (`\;` `\|` `\\`; a backslash before any
/// other byte is kept with it). Returns `field` itself when it has none,
/// else the unescaped text in `scratch`: no allocation in the common case.
std::string_view unescaped(std::string_view field, std::string& scratch);

/// Reads a decimal integer; false unless the whole of `text` is one.
bool to_int(std::string_view text, int64_t& out);

// -- commands -----------------------------------------------------------------

/// Most ids in one `--ack--` frame (docs/PROTOCOL.md, "Limits").
constexpr std::size_t max_ack_ids = 1024;

/// Appends `text` with `;`, `|` and `\` escaped.
void append_escaped(std::string& out, std::string_view text);

/// Appends `value` in decimal.
void append_int(std::string& out, int64_t value);

/// Appends `--hello--|3|ack;`: protocol 3 with acknowledgements.
void put_hello(std::string& out);

/// Appends `--register--|user|password;` (both escaped).
void put_register(std::string& out, std::string_view user,
                  std::string_view password);

/// Appends `--login--|user|password;` (both escaped).
void put_login(std::string& out, std::string_view user,
               std::string_view password);

/// Appends `--logout--;`.
void put_logout(std::string& out);

/// Appends `--send--|client id|target|body;` (each escaped).
void put_send(std::string& out, std::string_view client_id,
              std::string_view target, std::string_view body);

/// Appends `--ack--|id|...;` frames for `ids[0..n)`, `max_ack_ids` a frame.
void put_acks(std::string& out, const int64_t* ids, std::size_t n);

/// Appends `--ping--|token;` (escaped).
void put_ping(std::string& out, std::string_view token);

/// Appends `--pong--|token;`, or `--pong--;` for an empty token. `token`
/// is a field as received, escapes kept, so it goes back unchanged.
void put_pong(std::string& out, std::string_view raw_token);

} // namespace kurir::client_core
