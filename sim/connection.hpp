#pragma once

// One non-blocking TCP connection with kurir's framing: queued writes,
// reads split into frames by the client core's reader.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <netinet/in.h>

#include "client/core/reader.hpp"

namespace kurir::sim {

/// What a read found.
enum class read_status {
  open,   ///< the connection is still open
  closed, ///< the peer closed it or it failed
};

/// A non-blocking client socket. Not copyable; closes on destruction.
class connection {
public:
  connection();
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// Starts a non-blocking connect to `addr`; returns errno, or 0 when the
  /// connect is under way or done.
  int open(const sockaddr_in& addr);
  /// Returns the socket, or -1.
  int fd() const { return fd_; }
  /// Returns whether a socket is open.
  bool is_open() const { return fd_ >= 0; }
  /// Returns the result of a pending connect: 0 or an errno value.
  int connect_result() const;

  /// Returns the queue of bytes to write: append frames to it, then `flush`.
  std::string& out() { return out_; }
  /// Writes queued bytes; false on an error.
  bool flush();
  /// Returns whether bytes wait for the socket to become writable.
  bool wants_write() const { return sent_ < out_.size(); }

  /// Reads at most `budget` bytes; take the frames with `next_frame`.
  read_status read(std::size_t budget);
  /// Takes the next complete frame read (escapes kept, no `;`): a view
  /// valid until the next `read` or `close`. False if there is none.
  bool next_frame(std::string_view& frame) { return reader_.next(frame); }
  /// Returns whether the broker sent a frame over the limit.
  bool broken() const { return reader_.failed(); }

  /// Closes the socket normally (FIN).
  void close();
  /// Closes the socket abruptly (SO_LINGER 0: RST, unsent data discarded).
  void abort();

private:
  int fd_ = -1;                      ///< the socket, or -1
  std::string out_;                  ///< bytes not yet written
  std::size_t sent_ = 0;             ///< of `out_`, written already
  client_core::frame_reader reader_; ///< frames read, not yet taken
};

} // namespace kurir::sim
