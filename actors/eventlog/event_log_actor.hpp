#pragma once

#include <memory>
#include <string>

#include <caf/replies_to.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/fwd.hpp"
#include "actors/settings.hpp"
#include "persistence/event_log.hpp"

namespace kurir {

/// Appends records to `log.txt`. Fire-and-forget; the text is escaped here,
/// so callers pass user text as it is.
using event_log_handle
  = caf::typed_actor<caf::reacts_to<log_atom, std::string>,
                     caf::reacts_to<log_atom, std::vector<std::string>>,
                     caf::reacts_to<caf::flush_atom>,
                     caf::replies_to<drain_atom>::with<caf::ok_atom>>;

/// State of the event log actor.
struct event_log_state {
  static inline const char* name = "event_log";
  std::shared_ptr<persistence::event_log> file;
  wall_clock now;
  bool flush_scheduled = false;
  /// Appends one escaped record; failures go to stderr (the log cannot log).
  void append(const std::string& text);
  /// Flushes the file; failures go to stderr.
  void flush();

  /// Schedules a flush for when the mailbox is drained, unless one is.
  void schedule_flush(event_log_handle::pointer self);
};

/// Owns `file`; flushes once its mailbox is drained.
event_log_handle::behavior_type
event_log_actor(event_log_handle::stateful_pointer<event_log_state> self,
                std::shared_ptr<persistence::event_log> file, wall_clock now);

} // namespace kurir
