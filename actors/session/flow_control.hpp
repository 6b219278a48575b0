#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>

#include "actors/session/delivery_window.hpp"
#include "proto/records.hpp"

namespace kurir {

/// A session's flow control: when to stop sending deliveries (fall
/// behind), when to read again from the database, and how much to fetch.
///
/// Two things can stop a session sending: its `delivery_window` of
/// deliveries not yet delivered is full, or the deliveries it wrote but the
/// socket has not yet taken add up to `stop_bytes()` (a slow reader: the
/// deliveries then wait in the database, not in memory). A session that
/// stopped is behind: it drops live deliveries, remembers the smallest
/// (conversation, seq) it did not send, and reads again from there once
/// the window is down to `resume_in_flight()` and the unwritten bytes to
/// `resume_bytes()`. The gap between the stop and the resume thresholds
/// keeps a session from flapping between the two. Plain logic.
class flow_control {
public:
  /// The limits the thresholds derive from.
  struct limits {
    std::size_t max_inflight = 1; ///< the window's capacity
    std::size_t max_outbound = 1; ///< the socket broker's outbound cap
    std::size_t page_rows = 1;    ///< most rows one read fetches
  };

  /// Where the session stands. `reading_behind` is a read that filled the
  /// window: it stops after the current page and leaves the session behind.
  enum class phase { live, reading, reading_behind, behind };

  /// Sending stops at `max_outbound / stop_outbound_divisor` unwritten bytes.
  static constexpr std::size_t stop_outbound_divisor = 8;
  /// A read starts again at most `max_outbound / resume_outbound_divisor`.
  static constexpr std::size_t resume_outbound_divisor = 16;
  /// ... and at most `max_inflight / resume_window_divisor` in the window.
  static constexpr std::size_t resume_window_divisor = 2;
  /// The weight of the newest delivery in the average size, 1 / n.
  static constexpr std::size_t average_weight = 8;

  /// A resume point past every message: nothing is left to read.
  static constexpr persistence::backlog_key nothing_unsent{
    std::numeric_limits<int64_t>::max(), 0};

  /// Creates the flow control of one session.
  explicit flow_control(limits l);

  // -- thresholds -------------------------------------------------------------

  /// Returns how many unwritten bytes stop the sending.
  std::size_t stop_bytes() const;
  /// Returns how few unwritten bytes let a read start again.
  std::size_t resume_bytes() const;
  /// Returns how few deliveries in flight let a read start again.
  std::size_t resume_in_flight() const;

  // -- state ------------------------------------------------------------------

  /// Returns the phase.
  phase state() const { return phase_; }
  /// Returns whether the session dropped deliveries it must read back.
  bool behind() const;
  /// Returns whether a read from the database is under way.
  bool reading() const;
  /// Returns the window of deliveries sent but not yet delivered.
  delivery_window& window() { return window_; }
  /// Returns the window of deliveries sent but not yet delivered.
  const delivery_window& window() const { return window_; }
  /// Returns the bytes of deliveries not yet written to the socket.
  std::size_t unwritten_bytes() const { return unwritten_bytes_; }
  /// Returns the moving average size of a delivery, in bytes.
  std::size_t average_delivery() const { return avg_delivery_; }
  /// Returns the smallest key not sent (the next read starts after it).
  persistence::backlog_key resume_after() const { return resume_after_; }

  // -- sending ----------------------------------------------------------------

  /// Returns whether one more delivery may be sent now.
  bool can_send() const;
  /// Returns whether the unwritten deliveries reach `stop_bytes()`.
  bool socket_full() const;
  /// A delivery of `bytes` bytes went to the socket broker.
  void sent(std::size_t bytes);
  /// The socket wrote the `n` oldest unwritten deliveries.
  void written(std::size_t n);
  /// A delivery could not be sent: the session is behind.
  void fell_behind();
  /// Message (`conv`, `seq`) was not sent: the next read includes it.
  void unsent(int64_t conv, int64_t seq);

  // -- reading ----------------------------------------------------------------

  /// Returns whether a read should start: behind, not reading, and room.
  bool ready_to_read() const;
  /// Starts a read at the resume point; forgets the resume point.
  void begin_read();
  /// Returns the key the next page starts after.
  persistence::backlog_key read_position() const { return read_after_; }
  /// Returns how many rows the next page should fetch: about as many as
  /// can be sent now, so a slow reader with a long backlog does not make
  /// every pass read a full page to send two.
  std::size_t page_rows() const;
  /// A page of `got` rows of `asked` ended at (`conv`, `seq`) (if `got` is
  /// not 0); returns whether to fetch the next one.
  bool page_read(std::size_t got, std::size_t asked, int64_t conv, int64_t seq);
  /// A page could not be read: behind, to read again from the same place.
  void read_failed();
  /// Returns how many live deliveries may wait in memory while a read is
  /// under way: one page. Past it they wait in the database instead.
  std::size_t hold_limit() const { return limits_.page_rows; }
  /// The live deliveries held during a read reached `hold_limit()`: behind,
  /// to read again from where the read stands (everything before it was
  /// offered; the held ones and all that follow come from the database).
  void held_too_many();
  /// Ends the read: live again unless it fell behind.
  void end_read();

  // -- login and logout -------------------------------------------------------

  /// Reads from the very start next (a login): live, nothing unsent known.
  /// With `clear_window` the deliveries in flight are forgotten too.
  void restart(bool clear_window);

private:
  limits limits_;
  phase phase_ = phase::live;
  delivery_window window_;
  std::deque<uint32_t> unwritten_;  // sizes, oldest first (a frame < 4 GiB)
  std::size_t unwritten_bytes_ = 0; // their sum
  std::size_t avg_delivery_ = 0;
  persistence::backlog_key resume_after_{};
  persistence::backlog_key read_after_{};
};

} // namespace kurir
