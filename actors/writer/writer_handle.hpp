#pragma once

#include <string>

#include <caf/replies_to.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/fwd.hpp"

namespace kurir {

/// The single writer: owns the read-write database handle. Appends are
/// group-committed; an append is answered only after its commit.
using writer_handle = caf::typed_actor<
  /// Stores a new user; fails with name_taken.
  caf::replies_to<reg_atom, persistence::user_record>::with<caf::ok_atom>,
  /// Looks a user up; fails with no_such_user.
  caf::replies_to<find_atom, std::string>::with<persistence::user_record>,
  /// (user, hash): replaces a user's password hash (a rehash at a new cost).
  caf::replies_to<rehash_atom, std::string, std::string>::with<caf::ok_atom>,
  /// Appends a message; answered with the stored message after commit.
  caf::replies_to<append_atom, persistence::append_request>::with<
    persistence::stored_message>,
  /// Appends a session's messages in order, in one commit or across
  /// consecutive ones; answered after commit with one result per append.
  caf::replies_to<append_atom, std::vector<persistence::append_request>>::with<
    append_results>,
  /// Changes a group's membership (after committing what is batched).
  caf::replies_to<change_atom, persistence::membership_change>::with<
    persistence::group_record>,
  /// Moves delivery cursors; written with the next commit.
  caf::reacts_to<advance_atom, std::vector<persistence::cursor_update>>,
  /// Commits what is batched (sent to itself).
  caf::reacts_to<caf::flush_atom>,
  /// Commits cursor moves that waited `cursor_delay` for an append to ride
  /// along with (sent to itself).
  caf::reacts_to<cursor_timer_atom>,
  /// Tries again a commit that found the database busy (sent to itself).
  caf::reacts_to<retry_atom>,
  /// Commits what is batched and answers once that was tried (at login and
  /// at shutdown); behind a commit that waits for a busy database, once
  /// that one is settled.
  caf::replies_to<drain_atom>::with<caf::ok_atom>,
  /// Answers what the writer counted (for the metrics actor).
  caf::replies_to<metrics_atom>::with<metrics::writer_report>>;

} // namespace kurir
