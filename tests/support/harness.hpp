#pragma once

// Real-socket test harness: starts kurird as a child process on a free
// loopback port with a fresh data directory, and talks to it over TCP.
// Synchronisation is by PING/PONG barrier, never by sleeping; every wait is
// bounded by a poll timeout that only matters when a test fails.

#include <csignal>
#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

#include "net/frame.hpp"
#include "net/tls/tls.hpp"
#include "tests/support/temp_dir.hpp"

namespace kurir::test {

/// Whether the suite runs over TLS ($KURIR_TEST_OVER_TLS=1; the ctest
/// entries prefixed "over TLS: "): then every broker_process that configures
/// no TLS of its own also listens on a TLS port with a certificate of a
/// test CA, `port()` names that port, and a `client` of it speaks TLS,
/// trusting that CA. The frames inside are the same, so every test of the
/// plain port runs unchanged over TLS.
bool over_tls();

/// A kurird child process.
class broker_process {
public:
  /// Starts kurird (from $KURIRD_BIN) with `--port=0 --hash-cost=min
  /// --data-dir=DIR` (and `--max-rate=0` unless `extra` sets it) plus
  /// `extra` arguments; waits for its "listening" line.
  explicit broker_process(std::string data_dir,
                          std::vector<std::string> extra = {},
                          bool merge_stderr = false);
  ~broker_process();
  broker_process(const broker_process&) = delete;
  broker_process& operator=(const broker_process&) = delete;

  /// Returns its process id.
  pid_t pid() const { return pid_; }
  /// Returns the port it listens on (over_tls(): its TLS port).
  uint16_t port() const { return port_; }
  /// Returns its plain port, whatever over_tls() says.
  uint16_t plain_port() const { return plain_port_; }
  /// Returns its TLS port (0 without --tls-cert).
  uint16_t tls_port() const { return tls_port_; }
  /// Returns its metrics port (0 without --metrics-port).
  uint16_t metrics_port() const { return metrics_port_; }
  /// The web port (HTTP and WebSocket), 0 if off.
  uint16_t web_port() const { return web_port_; }
  /// Waits until `needle` occurs in its output after what earlier calls
  /// found (stdout, and stderr when merged); false after `timeout_ms`.
  bool wait_output(const std::string& needle, int timeout_ms = 10000);
  /// Sends `sig` and waits for the exit; returns the exit status, or
  /// 128+signal if it died by a signal.
  int stop(int sig);
  /// Returns everything it wrote to stdout so far (after stop: all).
  const std::string& output() const { return output_; }

private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  uint16_t port_ = 0;
  uint16_t plain_port_ = 0;
  uint16_t tls_port_ = 0;
  uint16_t metrics_port_ = 0;
  uint16_t web_port_ = 0;
  std::string output_;
  std::size_t seen_ = 0; ///< where wait_output searches from
};

/// A client connection speaking the wire protocol.
class client {
public:
  /// Connects to 127.0.0.1:`port`; a non-zero `rcvbuf` fixes the socket's
  /// receive buffer (SO_RCVBUF), so a slow reader fills up quickly. Speaks
  /// TLS if `port` is the TLS port over_tls() gave a broker.
  explicit client(uint16_t port, int rcvbuf = 0);
  /// Connects to 127.0.0.1:`port` and speaks TLS with `tls` over it,
  /// verifying the name `host`.
  client(uint16_t port, std::shared_ptr<const net::tls_context> tls,
         std::string host = "127.0.0.1");
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  /// Sends raw bytes.
  void send(const std::string& bytes);
  /// Returns the next frame (without `;`, escapes kept); empty string if the
  /// connection closed or nothing came within `timeout_ms`.
  std::string next(int timeout_ms = 10000);
  /// Sends a ping and returns every frame that arrived before its pong.
  std::vector<std::string> barrier();
  /// Sends `frame` (a `;` is appended) and returns the frames up to the
  /// barrier that follows it.
  std::vector<std::string> call(const std::string& frame);
  /// Registers and logs in; REQUIREs both to succeed.
  void register_and_login(const std::string& name, const std::string& pw);
  /// Says `--hello--|<version>|ack`; REQUIREs the broker to grant it.
  void hello_ack(int version);
  /// Returns whether the server closed the connection (reads until EOF).
  bool closed_by_peer(int timeout_ms = 10000);
  /// Returns why TLS failed ("" while it has not, or without TLS).
  std::string tls_error() const { return tls_ ? tls_->error() : ""; }
  /// Returns the TLS stream (null without TLS).
  const net::tls_stream* tls() const { return tls_.get(); }
  /// Keeps what arrives as bytes (for `read_raw`) instead of frames.
  void set_raw() { raw_ = true; }
  /// Returns the bytes that arrived (after TLS) and waits up to
  /// `timeout_ms` for some if none have; "" at EOF or timeout.
  std::string read_raw(int timeout_ms = 10000);
  /// Returns whether the connection reached EOF.
  bool at_eof() const { return eof_; }

private:
  void connect_to(uint16_t port, int rcvbuf);
  void send_wire(const std::string& bytes, bool must = true);
  bool fill(int timeout_ms);
  std::unique_ptr<net::tls_stream> tls_;
  int fd_ = -1;
  int next_token_ = 0;
  net::decoder_state decoder_;
  std::vector<std::string> frames_;
  std::size_t head_ = 0;
  bool eof_ = false;
  bool raw_ = false;
  std::string raw_in_;
};

/// A fresh broker with alice and bob registered and logged in: the setup
/// that most conversation tests start from.
struct two_users {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client alice{kurird.port()};
  client bob{kurird.port()};
  two_users() {
    alice.register_and_login("alice", "alice-pw");
    bob.register_and_login("bob", "bob-pass1");
  }
};

/// A fresh broker with bob registered but not logged in (offline) and alice
/// logged in: the setup of tests about what is stored and waits for bob.
struct alice_and_offline_bob {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client bob{kurird.port()};
  client alice{kurird.port()};
  alice_and_offline_bob() {
    bob.call("--register--|bob|bob-pass1");
    alice.register_and_login("alice", "alice-pw");
  }
};

/// Splits a raw frame into all its fields (escapes removed).
std::vector<std::string> fields(const std::string& raw);

/// Returns field `field` of every frame whose first field is `tag`.
std::vector<std::string> tagged(const std::vector<std::string>& frames,
                                const std::string& tag, std::size_t field);

/// Returns the error code of an `--error--` frame, or "(not an error)".
std::string code_of(const std::string& frame);

} // namespace kurir::test
