#pragma once

// Splits the bytes read from the broker into frames without copying them
// out: each frame is a view into the reader's buffer.

#include <cstddef>
#include <string>
#include <string_view>

namespace kurir::client_core {

/// The frames of one connection's byte stream, as `net::decode` splits them
/// (escapes kept, no `;`, whitespace between frames skipped), handed out as
/// views. A view stays valid until the next `append`, `prepare` or `clear`.
class frame_reader {
public:
  /// Creates a reader that fails on a frame longer than `max_frame` bytes.
  explicit frame_reader(std::size_t max_frame) : max_frame_(max_frame) {
    // nop
  }

  /// Returns room for `n` more bytes at the end of the buffer; the caller
  /// reads into it and calls `commit` with the count it got.
  char* prepare(std::size_t n);
  /// Keeps the first `n` bytes of the room `prepare` returned.
  void commit(std::size_t n) { filled_ += n; }
  /// Appends `bytes` (the same as `prepare`, copy, `commit`).
  void append(std::string_view bytes);

  /// Takes the next complete frame. False if none is complete yet, or the
  /// stream failed (a frame longer than the limit: see `failed`).
  bool next(std::string_view& frame);

  /// Returns whether a frame outgrew the limit: the stream is unusable.
  bool failed() const { return failed_; }
  /// Forgets everything (a new connection).
  void clear();

private:
  /// Drops the frames already taken from the front of the buffer.
  void compact();

  std::size_t max_frame_;
  std::string buf_;        ///< room for bytes read; it never shrinks
  std::size_t filled_ = 0; ///< bytes of `buf_` in use, from the front
  std::size_t begin_ = 0;  ///< start of the current frame
  std::size_t scan_ = 0;   ///< bytes of the current frame looked at
  bool started_ = false;   ///< leading whitespace skipped
  bool escaped_ = false;   ///< the byte before `scan_` escapes the next
  bool failed_ = false;    ///< a frame outgrew the limit
};

} // namespace kurir::client_core
