#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "client/core/reader.hpp"
#include "net/tls/tls.hpp"

namespace kurir::client {

/// A non-blocking TCP connection to the broker, with TLS when given a
/// context, that splits what it reads into frames with the client core's
/// reader. Owns its socket.
class connection {
public:
  /// Creates a closed connection.
  connection();
  /// Closes the socket.
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// Starts connecting to `host`:`port`, with TLS (verifying `host`) if
  /// `tls` is set. Returns "" when under way (wait for the socket to become
  /// writable, then call `finish_connect`), else why it failed at once.
  std::string start(const std::string& host, uint16_t port,
                    std::shared_ptr<const net::tls_context> tls = nullptr);

  /// Completes a connect once the socket is writable. Returns "" or why it
  /// failed (the connection is then closed).
  std::string finish_connect();

  /// Reads what is available and appends complete frames (escapes kept, no
  /// `;`) to `frames`. Returns false with `reason` set when the connection
  /// ended.
  bool read(std::vector<std::string>& frames, std::string& reason);

  /// Queues bytes to write (encrypted first on a TLS connection).
  void write(const std::string& bytes);

  /// Writes as much of the queue as the socket takes. Returns false with
  /// `reason` set when the connection failed.
  bool flush(std::string& reason);

  /// Closes the socket and forgets everything queued or half-read.
  void close();

  /// Returns the socket, or -1.
  int fd() const { return fd_; }
  /// Returns whether a connect is under way.
  bool connecting() const { return fd_ >= 0 && connecting_; }
  /// Returns whether it is connected.
  bool open() const { return fd_ >= 0 && !connecting_; }
  /// Returns whether bytes wait to be written.
  bool wants_write() const { return !out_.empty(); }
  /// Returns whether the TLS handshake failed: trying again cannot help
  /// (an unverifiable certificate, no common version).
  bool tls_refused() const { return tls_refused_; }

private:
  bool take_plain(std::string_view plain, std::vector<std::string>& frames,
                  std::string& reason);

  int fd_ = -1;
  bool connecting_ = false;
  bool tls_refused_ = false;
  std::unique_ptr<net::tls_stream> tls_;
  std::string out_;
  client_core::frame_reader reader_; ///< frames read, not yet taken
};

} // namespace kurir::client
