#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "proto/errc.hpp"

namespace kurir::net {

/// Framing state carried between chunks of one byte stream. A plain value:
/// `decode` is a pure function of (state, chunk, limit).
struct decoder_state {
  /// Bytes of the current, not yet terminated frame (escapes preserved).
  std::string partial;
  /// Whether the last byte of `partial` is a backslash that escapes the next.
  bool escaped = false;
};

/// What one call to `decode` found.
struct decode_result {
  /// Complete frames in arrival order, without the terminating `;`, with
  /// escapes preserved and leading whitespace removed.
  std::vector<std::string> frames;
  /// `errc::frame_too_large` once a frame outgrew the limit; then the
  /// stream is unusable and the state must be discarded.
  errc error = errc::none;
};

/// Splits `chunk` into frames, continuing the frame held in `st`.
/// Whitespace between frames is skipped and never buffered. The limit counts
/// a frame's bytes from its first non-whitespace byte up to (not including)
/// its terminator; a frame that would exceed `max_frame` is reported as
/// `frame_too_large` before any of its excess bytes are buffered.
decode_result decode(decoder_state& st, std::string_view chunk,
                     std::size_t max_frame);

/// Splits a raw frame into its fields at unescaped `|`, removing escapes.
/// At most `max_fields` fields are produced: the last one takes the rest of
/// the frame, with unescaped `|` kept literally. Escapes: `\;` `\|` `\\`; a
/// backslash before any other byte is kept together with that byte.
std::vector<std::string> split_fields(std::string_view raw,
                                      std::size_t max_fields);

/// Returns how many frames `bytes` holds: the unescaped `;` that end them
/// (what the broker sends; used for counting, not for parsing).
std::size_t count_frames(std::string_view bytes);

/// Escapes `;`, `|` and `\` with a backslash.
std::string escape(std::string_view text);

/// Returns whether a connection's first bytes open an HTTP request line
/// (`GET `, `POST `, ..., or HTTP/2's `PRI * `): not the kurir protocol.
bool looks_like_http(std::string_view first_bytes);

/// Returns whether a connection's first bytes open a TLS handshake record
/// (0x16 0x03 0x00-0x04): a TLS client on the plain port.
bool looks_like_tls(std::string_view first_bytes);

} // namespace kurir::net
