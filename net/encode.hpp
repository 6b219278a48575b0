#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proto/errc.hpp"

namespace kurir::net {

/// Encodes `--ok--|<command>|<detail1>|...;` with every field escaped.
std::string encode_ok(std::string_view command,
                      const std::vector<std::string>& details);

/// Encodes `--error--|<code>|<text>;` as a client of `protocol` is told it
/// (`code_for`); an empty text uses the default text of `code`.
std::string encode_error(errc code, std::string_view text = {},
                         int protocol = protocol_version);

/// Encodes `--ping--|<token>;`: the server's ping to a silent client.
std::string encode_ping(std::string_view token);

/// Encodes `--pong--|<token>;` (`--pong--;` for an empty token).
std::string encode_pong(std::string_view token);

/// A delivery as it goes on the wire.
struct delivery_fields {
  int64_t id = 0;    ///< server message id
  int64_t seq = 0;   ///< sequence in its conversation
  int64_t ts_ms = 0; ///< server time, unix milliseconds
  std::string_view from;
  std::string_view to; ///< the recipient's name or the group's name
  std::string_view body;
};

/// Encodes `<tag>|<id>|<seq>|<ts>|<from>|<to>|<body>;`.
std::string encode_message(std::string_view tag, const delivery_fields& d);

/// Appends what `encode_message` returns to `out`.
void append_message(std::string_view tag, const delivery_fields& d,
                    std::string& out);

/// Encodes a delivery, `--msg--|<id>|<seq>|<ts>|<from>|<to>|<body>;`.
std::string encode_delivery(const delivery_fields& d);

/// Appends what `encode_delivery` returns to `out`.
void append_delivery(const delivery_fields& d, std::string& out);

/// Encodes a history item, `--hist--|<id>|<seq>|<ts>|<from>|<to>|<body>;`.
std::string encode_history(const delivery_fields& d);

/// Encodes `--presence--|<user>|online;` or `...|offline;`.
std::string encode_presence(std::string_view user, bool online);

/// Returns `--group--|<group>|added|<by>;` or `--group--|<group>|removed|<by>;`
/// (protocol 3): the receiver was added to, or removed from, `group` by
/// `by` (themselves when they created or left it).
std::string encode_group_event(std::string_view group, bool added,
                               std::string_view by);

} // namespace kurir::net
