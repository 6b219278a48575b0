#pragma once

// The project's single CAF type-ID block: every atom and message type that
// travels between kurir's actors is declared here, grouped by recipient.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/type_id.hpp>

#include "net/command.hpp"

namespace kurir::net {
class tls_stream;
} // namespace kurir::net

#include "proto/metrics.hpp"
#include "proto/records.hpp"

namespace kurir {

/// A frame the socket broker hands to its session: a parsed command, or the
/// error that parsing it produced.
struct inbound {
  net::command cmd;
  errc error = errc::none;
  std::string detail;
};

/// Frames the session asks its socket broker to write, each ending in a
/// newline. The broker reports when each delivery among them was written.
struct outbound {
  std::string bytes;
  std::vector<uint64_t> deliveries; ///< where each delivery ends in `bytes`
};

/// The outcome of one append of a session's batch: the stored message, or
/// the error (`code` not none) that refused it.
struct append_result {
  persistence::stored_message msg;
  errc code = errc::none;
  std::string detail;
};

/// One result per append of a batch, in the batch's order.
using append_results = std::vector<append_result>;

/// A TLS connection's bytes for a TLS worker to feed through its stream
/// while the handshake runs (the conn broker does not touch the stream
/// until the answer comes). Local only: the stream is never serialized.
struct tls_job {
  std::shared_ptr<net::tls_stream> stream;
  std::string bytes; ///< read from the peer
};

/// What a TLS worker's feed produced.
struct tls_step {
  bool ok = true;           ///< false: the connection failed (`error`)
  bool established = false; ///< the handshake is done
  bool peer_closed = false; ///< the peer sent close_notify
  std::string plain;        ///< application bytes
  std::string out;          ///< bytes to send to the peer
  std::string error;        ///< why it failed
  std::string description;  ///< version and cipher, once established
};

/// One commit's messages of a group, shared by the sessions of all its
/// members: a session whose socket is full holds the reference, not a copy
/// of its messages (actors/session/held_lists.hpp).
struct shared_deliveries {
  std::shared_ptr<const persistence::message_list> list;
};

/// A logged-in session and the user it serves.
struct live_session {
  std::string user;
  caf::actor session;
};

/// Live sessions, e.g. the registry's answer to a group's subscription.
using live_sessions = std::vector<live_session>;

} // namespace kurir

CAF_BEGIN_TYPE_ID_BLOCK(kurir, caf::first_custom_type_id)

  // -- messages between socket broker and session -----------------------------
  CAF_ADD_TYPE_ID(kurir, (kurir::inbound))
  CAF_ADD_TYPE_ID(kurir, (std::vector<kurir::inbound>))
  CAF_ADD_TYPE_ID(kurir, (kurir::outbound))
  CAF_ADD_ATOM(kurir, kurir, written_atom, "written")
  CAF_ADD_ATOM(kurir, kurir, shutdown_atom, "shutdown")
  CAF_ADD_ATOM(kurir, kurir, frame_limit_atom, "framelimit")

  // -- messages to the listener -----------------------------------------------
  CAF_ADD_ATOM(kurir, kurir, tls_atom, "tls")
  CAF_ADD_ATOM(kurir, kurir, reload_atom, "reload")

  // -- messages to the TLS workers
  // ---------------------------------------------
  CAF_ADD_TYPE_ID(kurir, (kurir::tls_job))
  CAF_ADD_TYPE_ID(kurir, (kurir::tls_step))

  // -- messages to the writer and the spool -----------------------------------
  CAF_ADD_TYPE_ID(kurir, (kurir::persistence::user_record))
  CAF_ADD_TYPE_ID(kurir, (kurir::persistence::group_record))
  CAF_ADD_TYPE_ID(kurir, (kurir::persistence::append_request))
  CAF_ADD_TYPE_ID(kurir, (std::vector<kurir::persistence::append_request>))
  CAF_ADD_TYPE_ID(kurir, (kurir::append_result))
  CAF_ADD_TYPE_ID(kurir, (kurir::append_results))
  CAF_ADD_TYPE_ID(kurir, (kurir::persistence::cursor_update))
  CAF_ADD_TYPE_ID(kurir, (std::vector<kurir::persistence::cursor_update>))
  CAF_ADD_TYPE_ID(kurir, (kurir::persistence::stored_message))
  CAF_ADD_TYPE_ID(kurir, (std::vector<kurir::persistence::stored_message>))
  CAF_ADD_TYPE_ID(kurir, (kurir::persistence::history_query))
  CAF_ADD_TYPE_ID(kurir, (kurir::persistence::membership_change))
  CAF_ADD_TYPE_ID(kurir, (std::vector<std::string>))
  CAF_ADD_ATOM(kurir, kurir, reg_atom, "register")
  CAF_ADD_ATOM(kurir, kurir, find_atom, "find")
  CAF_ADD_ATOM(kurir, kurir, append_atom, "append")
  CAF_ADD_ATOM(kurir, kurir, advance_atom, "advance")
  CAF_ADD_ATOM(kurir, kurir, drain_atom, "drain")
  CAF_ADD_ATOM(kurir, kurir, history_atom, "history")
  CAF_ADD_ATOM(kurir, kurir, change_atom, "change")
  CAF_ADD_ATOM(kurir, kurir, contacts_atom, "contacts")
  CAF_ADD_ATOM(kurir, kurir, members_atom, "members")
  CAF_ADD_ATOM(kurir, kurir, groups_atom, "groups")
  CAF_ADD_ATOM(kurir, kurir, rehash_atom, "rehash")
  CAF_ADD_ATOM(kurir, kurir, backlog_atom, "backlog")
  CAF_ADD_ATOM(kurir, kurir, retry_atom, "retry")
  CAF_ADD_ATOM(kurir, kurir, cursor_timer_atom, "curtimer")
  CAF_ADD_ATOM(kurir, kurir, checkpoint_atom, "checkpoint")

  // -- messages to the registry, groups and sessions --------------------------
  CAF_ADD_ATOM(kurir, kurir, login_atom, "login")
  CAF_ADD_ATOM(kurir, kurir, logout_atom, "logout")
  CAF_ADD_ATOM(kurir, kurir, route_atom, "route")
  CAF_ADD_ATOM(kurir, kurir, fanout_atom, "fanout")
  CAF_ADD_ATOM(kurir, kurir, deliver_atom, "deliver")
  CAF_ADD_ATOM(kurir, kurir, who_atom, "who")
  CAF_ADD_ATOM(kurir, kurir, presence_atom, "presence")
  CAF_ADD_TYPE_ID(kurir, (kurir::shared_deliveries))
  CAF_ADD_TYPE_ID(kurir, (kurir::live_session))
  CAF_ADD_TYPE_ID(kurir, (kurir::live_sessions))
  CAF_ADD_ATOM(kurir, kurir, watch_atom, "watch")
  CAF_ADD_ATOM(kurir, kurir, unwatch_atom, "unwatch")
  CAF_ADD_ATOM(kurir, kurir, subscribe_atom, "subscribe")
  CAF_ADD_ATOM(kurir, kurir, unsubscribe_atom, "unsub")
  CAF_ADD_ATOM(kurir, kurir, group_event_atom, "groupevent")

  // -- messages to the hasher pool and the event log --------------------------
  CAF_ADD_ATOM(kurir, kurir, hash_atom, "hash")
  CAF_ADD_ATOM(kurir, kurir, verify_atom, "verify")
  CAF_ADD_ATOM(kurir, kurir, log_atom, "log")

  // -- metrics: the metrics actor asks, the owners of the counters answer
  // ------
  CAF_ADD_ATOM(kurir, kurir, metrics_atom, "metrics")
  CAF_ADD_ATOM(kurir, kurir, web_atom, "web")
  CAF_ADD_ATOM(kurir, kurir, deadline_atom, "deadline")
  CAF_ADD_TYPE_ID(kurir, (kurir::metrics::session_counters))
  CAF_ADD_TYPE_ID(kurir, (kurir::metrics::session_report))
  CAF_ADD_TYPE_ID(kurir, (kurir::metrics::writer_report))
  CAF_ADD_TYPE_ID(kurir, (kurir::metrics::listener_report))
  CAF_ADD_TYPE_ID(kurir, (kurir::metrics::auth_report))

CAF_END_TYPE_ID_BLOCK(kurir)
