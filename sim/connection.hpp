#pragma once

// One non-blocking TCP connection with kurir's framing: queued writes,
// reads split into frames by net::decode.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <netinet/in.h>

#include "net/frame.hpp"

namespace kurir::sim {

/// What a read found.
enum class read_status {
  open,   ///< the connection is still open
  closed, ///< the peer closed it or it failed
};

/// A non-blocking client socket. Not copyable; closes on destruction.
class connection {
public:
  connection() = default;
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

  /// Queues `bytes` and writes what the socket takes; false on an error.
  bool write(std::string_view bytes);
  /// Writes queued bytes; false on an error.
  bool flush();
  /// Returns whether bytes wait for the socket to become writable.
  bool wants_write() const { return sent_ < out_.size(); }

  /// Reads at most `budget` bytes and appends complete frames to `frames`.
  read_status read(std::vector<std::string>& frames, std::size_t budget);

  /// Closes the socket normally (FIN).
  void close();
  /// Closes the socket abruptly (SO_LINGER 0: RST, unsent data discarded).
  void abort();

private:
  int fd_ = -1;                ///< the socket, or -1
  std::string out_;            ///< bytes not yet written
  std::size_t sent_ = 0;       ///< of `out_`, written already
  net::decoder_state decoder_; ///< the frame being read
};

} // namespace kurir::sim
