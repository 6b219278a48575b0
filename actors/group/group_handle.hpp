#pragma once

#include <caf/replies_to.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/fwd.hpp"

namespace kurir {

/// A chat group: holds its member list and fans each message out to them.
using group_handle
  = caf::typed_actor<caf::reacts_to<fanout_atom, persistence::message_list>,
                     caf::reacts_to<change_atom, persistence::group_record>>;

} // namespace kurir
