#pragma once

// The session fuzzer's stand-in for the socket broker: an actor that sees
// every message its session writes at the moment it is sent (overriding
// `enqueue`), checks it, and otherwise acts as the broker does.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <utility>

#include <caf/event_based_actor.hpp>

#include "tests/fuzz/frame_checks.hpp"

namespace kurir::fuzz {

/// A delivery the session sent: to whom, which message, and whether the
/// session then waited for an acknowledgement rather than the write.
struct sent_delivery {
  std::string user;
  int64_t id = 0;
  bool acking = false;
};

/// What a connection knows; owned by the world, shared with its actor.
struct conn_record {
  std::size_t max_frame = 4096; ///< the session raises it at login
  /// Deliveries not yet reported written, oldest first.
  std::deque<sent_delivery> unwritten;
  /// Every delivery sent on this connection: (user, id).
  std::set<std::pair<std::string, int64_t>> sent;
  bool close_asked = false; ///< the session asked to close
  caf::actor_addr session;  ///< whose writes are checked
  char name = 'A';          ///< for the trace
  frame_checker* checker = nullptr;
};

/// The stand-in broker. A write is checked in `enqueue`, inside the
/// session's handler, so the session's state is the one that wrote it.
class fuzz_conn : public caf::event_based_actor {
public:
  /// Spawned by the world with the record it shares.
  fuzz_conn(caf::actor_config& cfg, conn_record* rec);

  void enqueue(caf::mailbox_element_ptr what, caf::execution_unit* eu) override;

  caf::behavior make_behavior() override;

private:
  /// Checks a message the session sends.
  void inspect_write(const caf::mailbox_element& what);

  conn_record* rec_;
};

} // namespace kurir::fuzz
