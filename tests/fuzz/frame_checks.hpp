#pragma once

// Checks on every frame a session writes: each is well formed for the
// project's own decoder, confirms only what the store holds, and delivers
// only what was sent to the session's user, once and in order per login.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "actors/fwd.hpp"
#include "tests/fuzz/probe.hpp"

namespace kurir {
struct session_state;
} // namespace kurir

namespace kurir::fuzz {

/// Checks what one session writes to its connection, frame by frame, at
/// the moment the session writes it (so its state is the sender's state).
class frame_checker {
public:
  /// Checks against the database through `probe` and `store`.
  frame_checker(db_probe& probe, const recording_store& store)
      : probe_(&probe), store_(&store) {}

  /// Checks one write of session `s`; returns the ids of the deliveries
  /// in it, in order.
  std::vector<int64_t> check(const outbound& out, const session_state& s);

  /// Returns how many deliveries this session wrote.
  std::size_t deliveries() const { return deliveries_; }

private:
  using fields = std::vector<std::string>;

  /// `delivery`: the write reports the frame as a delivery.
  void check_frame(const fields& f, bool delivery, const session_state& s);
  void check_ok(const fields& f);
  void check_send_ok(const fields& f);
  /// Checks a `--msg--` or `--hist--` item against the stored row; returns
  /// the row's group members at commit (null for a direct message).
  const std::vector<std::string>* check_item(const fields& f);
  void check_delivery(const fields& f, const session_state& s);
  void check_history(const fields& f);

  db_probe* probe_;
  const recording_store* store_;
  std::set<std::string> logins_;        ///< every `--ok--|login|<user>` so far
  uint64_t epoch_ = UINT64_MAX;         ///< the login the sets below belong to
  std::set<int64_t> delivered_;         ///< ids delivered in this login
  std::map<int64_t, int64_t> last_seq_; ///< conv -> last seq delivered
  std::size_t deliveries_ = 0;
};

/// A frame of a write and the offset just past its `;\n`.
struct written_frame {
  std::string raw;
  std::size_t end = 0;
};

/// Splits a write into frames with the project's decoder; aborts unless it
/// is a sequence of complete frames, each followed by `\n`.
std::vector<written_frame> split_write(std::string_view bytes);

} // namespace kurir::fuzz
