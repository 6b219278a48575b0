#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "client/terminal/event.hpp"
#include "client/terminal/session.hpp"
#include "net/tls/tls.hpp"

namespace kurir::client {

/// What the event loop needs from a front end (terminal or plain).
class frontend {
public:
  virtual ~frontend() = default;

  /// Returns the input descriptor to poll, or -1 once input has ended.
  virtual int input_fd() const = 0;

  /// Input is readable (or hung up): read it and execute what it says.
  virtual void on_input(session& s) = 0;

  /// Shows one event. For a `message` the loop acknowledges it afterwards.
  virtual void show(const event& e, const session& s) = 0;

  /// A signal arrived: SIGINT, SIGTERM, SIGHUP or SIGWINCH.
  virtual void on_signal(int sig, session& s) = 0;
};

/// Routes SIGINT, SIGTERM, SIGHUP and SIGWINCH into a pipe that `run`
/// polls (no SA_RESTART, so blocking reads return EINTR). Call once, early.
void install_signal_pipe();

/// Connects to `host`:`port` (over TLS with `tls`), and runs the
/// single-threaded poll loop over the socket, the front end's input and the
/// signal pipe until the session is done: reconnects after the delays the
/// session asks for, shows events, acknowledges shown messages and writes
/// the session's frames; a refused TLS handshake ends it. Returns the
/// session's exit status.
int run(session& s, frontend& f, const std::string& host, uint16_t port,
        std::shared_ptr<const net::tls_context> tls = nullptr);

} // namespace kurir::client
