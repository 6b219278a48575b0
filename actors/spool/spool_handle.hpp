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
    /// (user, after message id, limit) -> the next page of waiting messages.
    caf::replies_to<caf::pending_atom, std::string, int64_t,
                    uint64_t>::with<std::vector<persistence::stored_message>>,
    /// A page of one conversation's history.
    caf::replies_to<history_atom, persistence::history_query>::with<
        std::vector<persistence::stored_message>>>;

} // namespace kurir
