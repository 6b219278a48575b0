#pragma once

// One non-blocking TCP connection with kurir's framing: queued writes,
// reads split into frames by the client core's reader.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <netinet/in.h>

#include "client/core/reader.hpp"
#include "net/tls/tls.hpp"

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

  /// Starts a non-blocking connect to `addr`, with TLS verifying `host`
  /// when `tls` is set; returns errno, or 0 when the connect is under way or
  /// done.
  int open(const sockaddr_in& addr,
           std::shared_ptr<const net::tls_context> tls = nullptr,
           const std::string& host = {});
  /// Returns the socket, or -1.
  int fd() const { return fd_; }
  /// Returns whether a socket is open.
  bool is_open() const { return fd_ >= 0; }
  /// Returns the result of a pending connect: 0 or an errno value.
  int connect_result() const;

  /// Returns the queue of bytes to write: append frames to it, then `flush`.
  std::string& out() { return out_; }
  /// Writes queued bytes (encrypted first with TLS); false on an error.
  bool flush();
  /// Returns whether bytes wait for the socket to become writable.
  bool wants_write() const {
    return tls_ ? !out_.empty() || wire_sent_ < wire_.size()
                : sent_ < out_.size();
  }
  /// Returns why TLS failed ("" if it did not, or without TLS).
  std::string tls_error() const { return tls_ ? tls_->error() : ""; }

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
  int fd_ = -1;                          ///< the socket, or -1
  std::string out_;                      ///< bytes not yet written
  std::size_t sent_ = 0;                 ///< of `out_`, written already
  client_core::frame_reader reader_;     ///< frames read, not yet taken
  std::unique_ptr<net::tls_stream> tls_; ///< null: plain TCP
  std::string wire_;          ///< TLS: encrypted bytes not yet written
  std::size_t wire_sent_ = 0; ///< of `wire_`, written already

  bool send_all(const std::string& bytes, std::size_t& sent);
  read_status read_tls(std::size_t budget);
};

} // namespace kurir::sim
