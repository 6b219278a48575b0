#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_clock.hpp>
#include <caf/io/broker.hpp>
#include <caf/io/connection_handle.hpp>

#include "actors/services.hpp"
#include "net/command.hpp"
#include "net/frame.hpp"
#include "net/tls/tls.hpp"
#include "net/token_bucket.hpp"
#include "net/web/web_stream.hpp"
#include "proto/limits.hpp"

namespace kurir::net {

/// State of a connection's socket broker: turns bytes into frames for its
/// session and writes what the session sends back.
struct conn_state {
  static inline const char* name = "conn";

  caf::io::connection_handle hdl;
  caf::actor session;
  decoder_state decoder;
  std::size_t max_frame
    = limits::max_frame_before_login; ///< raised by the session after login
  uint64_t bytes_read = 0;            ///< bytes received so far
  uint64_t bytes_queued = 0;          ///< bytes handed to the socket so far
  uint64_t bytes_written = 0;         ///< bytes the socket reported as written
  std::deque<uint64_t> delivery_ends; ///< byte offsets ending deliveries
  bool stopping = false;              ///< shutting down: input is ignored
  bool closed = false;                ///< the socket is closed
  std::size_t max_outbound
    = limits::max_outbound;      ///< bytes waiting for the socket
  token_bucket bucket{0, 1, {}}; ///< the message rate
  std::deque<parse_result> held; ///< frames waiting for the rate, in order
  std::size_t max_held = static_cast<std::size_t>(
    limits::max_burst);      ///< more waiting closes (rate_limited)
  bool paused = false;       ///< waiting for the rate
  bool logged_pause = false; ///< the first pause is logged
  std::string peer;          ///< "ip:port", for the log
  event_log_handle log;
  /// TLS between the socket and the codec; null on the plain port.
  std::shared_ptr<tls_stream> tls;
  /// Does the handshake's work (null: done here, on the multiplexer).
  caf::actor tls_worker;
  bool tls_done = false;        ///< the handshake is complete
  bool tls_running = false;     ///< `tls` is with the worker: hands off
  std::string tls_in;           ///< bytes read while it is
  std::deque<outbound> tls_out; ///< writes the session asked for meanwhile
  /// HTTP and WebSocket between TLS (or the socket) and the codec; null
  /// but on the web port. Its session starts at the upgrade.
  std::unique_ptr<web_stream> web;
  services svc;            ///< what the session is spawned with
  bool going_away = false; ///< shutting down: close 1001, not 1000

  /// Spawns the session; the two monitor each other.
  void start_session(caf::io::broker* self);

  /// Takes plaintext: through the web layer on the web port, else straight
  /// to the codec. Returns false once the stream is unusable.
  bool on_plain(caf::io::broker* self, std::string_view chunk);

  /// Takes the web port's plaintext: answers HTTP, upgrades, passes the
  /// WebSocket's text on to the codec, closes as it says.
  bool on_web(caf::io::broker* self, std::string_view chunk);

  /// The web port's request deadline: a 408 and the close if no upgrade.
  void on_web_deadline(caf::io::broker* self);

  /// Writes bytes, encrypted first on a TLS connection.
  void write_out(caf::io::broker* self, std::string_view bytes);

  /// Closes the socket: after a WebSocket close frame on the web port and
  /// a TLS close_notify on TLS (unless the worker has the stream).
  void close_socket(caf::io::broker* self);

  /// Takes bytes from the socket: decrypts them first on a TLS connection;
  /// returns false once the stream is unusable (then nothing more is read).
  bool on_bytes(caf::io::broker* self, const std::vector<char>& buf);

  /// Hands the bytes in `tls_in` to the TLS worker unless it has some.
  void start_tls_job(caf::io::broker* self);

  /// Moves the bytes in `tls_in` into a job for the TLS stream.
  tls_job take_tls_job();

  /// Feeds `tls_in` to the TLS stream on this thread (once established).
  bool feed_here(caf::io::broker* self);

  /// Takes what a feed of the TLS stream produced (here or at the worker):
  /// sends its output, passes its plaintext on, closes if it failed.
  /// Returns false once the stream is unusable.
  bool on_tls_step(caf::io::broker* self, tls_step& step);

  /// Writes `out`, or closes the connection if the client does not read.
  void on_outbound_msg(caf::io::broker* self, const outbound& out);

  /// Decodes plaintext into frames for the session; returns false once the
  /// stream is unusable.
  bool on_data(caf::io::broker* self, std::string_view chunk);

  /// Writes frames; remembers where each delivery ends. Returns false when
  /// more than `max_outbound` bytes wait for the socket.
  bool on_outbound(caf::io::broker* self, const outbound& out);

  /// Hands bytes to the socket (counted in `bytes_queued`).
  void send_wire(caf::io::broker* self, std::string_view bytes);

  /// Returns whether the message rate lets `p` through now; pauses the
  /// input (and schedules its resumption) if not.
  bool admit(caf::io::broker* self, const parse_result& p,
             caf::actor_clock::time_point now);

  /// Passes held frames to the session as the message rate allows; closes
  /// when more than `max_held` wait (GUARANTEES.md #19).
  void forward(caf::io::broker* self);

  /// Returns how many deliveries are fully written after `n` more bytes.
  uint64_t on_transferred(uint64_t n);
};

/// How a connection's bytes reach the codec.
struct conn_transport {
  /// TLS when set (its handshake run by `worker`, or here if that is null).
  std::shared_ptr<const tls_context> tls;
  caf::actor worker;
  bool web = false;    ///< the web port: HTTP, then WebSocket at /ws
  web_origins origins; ///< who may open the WebSocket (web port)
};

/// The socket broker for one accepted connection. Spawns its session (on
/// the web port: at the WebSocket upgrade); the two monitor each other, so
/// if either dies the other goes too.
caf::behavior conn_actor(caf::io::stateful_broker<conn_state>* self,
                         caf::io::connection_handle hdl, services svc,
                         conn_transport how);

} // namespace kurir::net
