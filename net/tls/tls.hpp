#pragma once

// TLS as a pure byte transformation: OpenSSL 3 with memory BIOs, no socket
// and no CAF. A `tls_stream` takes the bytes read from the peer and gives
// back the application bytes inside them plus the bytes to send; the caller
// (a socket broker, the terminal client, kurir-sim) moves bytes between it
// and its socket. What the peer sees is decided here alone: versions,
// ciphers, certificate, verification and the refusal of renegotiation.

#include <memory>
#include <string>
#include <string_view>

#include "proto/outcome.hpp"

struct ssl_ctx_st;
struct ssl_st;

namespace kurir::net {

/// A fatal `access_denied` alert record (TLS 1.2 record framing, which
/// every TLS client reads before a handshake): what a connection to the TLS
/// port refused before its handshake gets instead of an error frame, which
/// could only be sent in clear. OpenSSL reports it as "tlsv1 alert access
/// denied". Costs nothing: no handshake is made for a refused connection.
std::string_view refusal_alert();

/// A server's TLS settings (`--tls-cert`, `--tls-key`, `--tls-ciphers`,
/// `--tls-min-version`).
struct tls_server_config {
  std::string cert_file; ///< PEM: the certificate, then its chain
  std::string key_file;  ///< PEM: the private key
  std::string ciphers;   ///< TLS 1.2 cipher list; empty: modern AEAD only
  std::string min_version = "1.2"; ///< "1.2" or "1.3"
};

/// A client's TLS settings (`kurir --tls`, `--tls-ca`, `--tls-insecure`).
struct tls_client_config {
  std::string ca_file;     ///< PEM CA bundle; empty: the system's store
  bool verify = true;      ///< false only for `--tls-insecure`
  std::string max_version; ///< "" or "1.2" (tests of TLS 1.2 only)
};

/// The cipher list used for TLS 1.2 when none is configured: ECDHE with
/// AES-GCM or ChaCha20-Poly1305 only (TLS 1.3's suites are all modern).
extern const char* const default_tls12_ciphers;

/// An OpenSSL context: certificate, key, versions, ciphers, verification.
/// Immutable once made; connections share it, so a reload makes a new one
/// and only new handshakes use it.
class tls_context {
public:
  /// Makes a server context; fails with a readable reason (unreadable file,
  /// key not matching the certificate, bad cipher list or version).
  static outcome<std::shared_ptr<const tls_context>>
  make_server(const tls_server_config& cfg);

  /// Makes a client context that verifies the server against `cfg.ca_file`
  /// or the system's CA store, unless `cfg.verify` is false.
  static outcome<std::shared_ptr<const tls_context>>
  make_client(const tls_client_config& cfg);

  ~tls_context();
  tls_context(const tls_context&) = delete;
  tls_context& operator=(const tls_context&) = delete;

  /// Returns whether this is a client context.
  bool client() const { return client_; }
  /// Returns whether a client context verifies its peer.
  bool verifies() const { return verify_; }
  /// Returns the OpenSSL handle.
  ssl_ctx_st* native() const { return ctx_; }

private:
  tls_context(ssl_ctx_st* ctx, bool client, bool verify)
      : ctx_(ctx), client_(client), verify_(verify) {}
  ssl_ctx_st* ctx_;
  bool client_;
  bool verify_;
};

/// One TLS connection's state, between the socket and the frame codec.
/// Every call appends what the peer must receive to an internal buffer that
/// `take_output` empties; a failure is final.
class tls_stream {
public:
  /// A server stream (waits for a ClientHello), or a client stream for
  /// `host` (a name or an IP address: sent as SNI and verified against the
  /// certificate); a client's ClientHello is in `take_output` at once.
  explicit tls_stream(std::shared_ptr<const tls_context> ctx,
                      std::string host = {});
  ~tls_stream();
  tls_stream(const tls_stream&) = delete;
  tls_stream& operator=(const tls_stream&) = delete;

  /// Takes bytes read from the peer; appends the application bytes they
  /// carry to `plain`. Returns false once the connection failed (see
  /// `error`): not TLS, a failed handshake or verification, renegotiation.
  bool feed(std::string_view wire, std::string& plain);

  /// Encrypts application bytes (held until the handshake is done).
  /// Returns false if the connection has failed.
  bool write(std::string_view plain);

  /// Starts an orderly close (close_notify); nothing more is written.
  void shutdown();

  /// Moves out the bytes to send to the peer.
  std::string take_output();

  /// Returns whether the handshake is complete.
  bool established() const { return established_; }
  /// Returns whether the peer sent close_notify.
  bool peer_closed() const { return peer_closed_; }
  /// Returns why the connection failed ("" while it has not).
  const std::string& error() const { return error_; }
  /// Returns e.g. "TLSv1.3 TLS_AES_128_GCM_SHA256" once established.
  std::string description() const;
  /// Returns the OpenSSL handle (for tests and diagnostics).
  ssl_st* native() const { return ssl_; }

private:
  bool fail(std::string why);
  bool step_handshake();
  bool read_plain(std::string& plain);
  bool flush_pending();
  void drain_output();
  static void on_info(const ssl_st* ssl, int where, int ret);

  std::shared_ptr<const tls_context> ctx_;
  ssl_st* ssl_ = nullptr;
  std::string out_;     ///< bytes for the peer
  std::string pending_; ///< application bytes written before the handshake
  std::string error_;
  bool established_ = false;
  bool peer_closed_ = false;
  bool renegotiation_ = false; ///< set by the info callback
};

} // namespace kurir::net
