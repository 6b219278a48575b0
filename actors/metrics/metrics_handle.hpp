#pragma once

#include <string>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "actors/fwd.hpp"

namespace kurir {

/// The metrics actor: knows the live sessions and what ended ones counted,
/// and gathers everyone's counters into one page when scraped.
using metrics_handle = caf::typed_actor<
  /// A session started (the sender); it is asked at every scrape.
  caf::reacts_to<caf::join_atom>,
  /// A session ended (the sender) with these final counters.
  caf::reacts_to<caf::leave_atom, metrics::session_counters>,
  /// The listener (a broker) to ask for the connection counters.
  caf::reacts_to<caf::add_atom, caf::actor>,
  /// The page: every counter in the Prometheus text exposition format.
  caf::replies_to<caf::get_atom>::with<std::string>>;

} // namespace kurir
