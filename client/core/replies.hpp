#pragma once

// Reply matching: the broker answers commands in the order they were
// written, one answer each; deliveries, presence, group events and pings come
// in between.

#include <cstdint>
#include <deque>
#include <string_view>
#include <utility>

#include "client/core/frames.hpp"
#include "proto/errc.hpp"

namespace kurir::client_core {

/// What a frame from the broker means for the order of answers.
enum class frame_role {
  reply,       ///< the answer to the oldest command not yet answered
  ack_refused, ///< an `--ack--` the broker did not expect: not an answer
  closing,     ///< an error the broker sends before it closes: not an answer
  push,        ///< a delivery, history item, presence or ping: not an answer
  unknown,     ///< a frame this client does not know
};

/// Classifies `f`. `--ok--` and `--pong--` are replies; an `--error--` is one
/// unless it refuses an acknowledgement (`bad_request` "not awaiting
/// acknowledgement", which answers no command) or the broker sends it on its
/// own before closing (e.g. `idle_timeout`; not `frame_too_large`, which
/// answers the frame).
frame_role role_of(const server_frame& f);

/// Returns whether the error `code` with `text` refuses an `--ack--`
/// (`not_awaiting_ack`, or from a broker older than protocol 3
/// `bad_request` "not awaiting acknowledgement..."): it answers no command.
bool refuses_ack(std::string_view code, std::string_view text);

/// Returns the error whose wire code is `code`, or `errc::none`.
errc code_of(std::string_view code);

/// Returns whether the broker sends the error `code` on its own, before it
/// closes the connection, rather than as the answer to a command.
bool closes_on_its_own(std::string_view code);

/// The commands written and not yet answered, oldest first, each with the
/// caller's note `T` of what it was and a stamp: the number of commands
/// pushed before it, ever (so stamps grow across connections).
template<class T>
class reply_queue {
public:
  /// One command waiting for its answer.
  struct entry {
    T what;         ///< the caller's note
    uint64_t stamp; ///< commands pushed before this one
  };

  /// Records a command just written; returns its stamp.
  uint64_t push(T what) {
    q_.push_back({std::move(what), next_});
    return next_++;
  }
  /// Returns the oldest command. Requires `!empty()`.
  entry& front() { return q_.front(); }
  /// Takes the oldest command: the one a reply answers. Requires `!empty()`.
  entry pop() {
    auto e = std::move(q_.front());
    q_.pop_front();
    return e;
  }
  /// Returns whether every command has its answer.
  bool empty() const { return q_.empty(); }
  /// Returns how many commands wait for their answer.
  std::size_t size() const { return q_.size(); }
  /// The connection ended: returns the unanswered commands, oldest first,
  /// and forgets them.
  std::deque<entry> take_all() { return std::exchange(q_, {}); }
  /// Returns the stamp the next command will get: an `--ack--` written now
  /// is processed once a command with this stamp or later is answered.
  uint64_t next_stamp() const { return next_; }
  /// Iterators over the waiting commands, oldest first.
  auto begin() const { return q_.begin(); }
  /// The end of the waiting commands.
  auto end() const { return q_.end(); }

private:
  std::deque<entry> q_;
  uint64_t next_ = 0;
};

} // namespace kurir::client_core
