#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/replies_to.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/fwd.hpp"

namespace kurir {

/// The offline spool: reads what waits beyond a user's delivery cursors, and
/// history, through its own read-only database handle.
using spool_handle = caf::typed_actor<
  /// (user, after conv, after seq, limit) -> the next page of waiting
  /// messages, in (conversation, sequence) order.
  caf::replies_to<backlog_atom, std::string, int64_t, int64_t,
                  uint64_t>::with<std::vector<persistence::stored_message>>,
  /// A page of one conversation's history.
  caf::replies_to<history_atom, persistence::history_query>::with<
    std::vector<persistence::stored_message>>,
  /// Everyone the user shares a direct conversation or a group with.
  caf::replies_to<contacts_atom, std::string>::with<std::vector<std::string>>,
  /// A group and its members.
  caf::replies_to<members_atom, std::string>::with<persistence::group_record>,
  /// The groups a user belongs to.
  caf::replies_to<groups_atom, std::string>::with<std::vector<std::string>>>;

} // namespace kurir
