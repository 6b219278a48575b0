#pragma once

// inspect() overloads for every type in actors/fwd.hpp (CAF 0.17 syntax).
// Kept free of heavy CAF headers: only meta::type_name is needed.

#include <caf/meta/type_name.hpp>

#include "actors/fwd.hpp"

namespace kurir {

/// @relates inbound
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, inbound& x) {
  return f(caf::meta::type_name("inbound"), x.cmd, x.error, x.detail);
}

/// @relates outbound
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, outbound& x) {
  return f(caf::meta::type_name("outbound"), x.bytes, x.deliveries);
}

/// @relates append_result
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, append_result& x);

/// @relates tls_job (the stream is left out: the job never leaves the
/// process)
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, tls_job& x) {
  return f(caf::meta::type_name("tls_job"), x.bytes);
}

/// @relates tls_step
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, tls_step& x) {
  return f(caf::meta::type_name("tls_step"), x.ok, x.established, x.peer_closed,
           x.plain, x.out, x.error, x.description);
}

/// @relates shared_deliveries (the list is left out: it never leaves the
/// process)
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, shared_deliveries&) {
  return f(caf::meta::type_name("shared_deliveries"));
}

/// @relates live_session
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, live_session& x) {
  return f(caf::meta::type_name("live_session"), x.user, x.session);
}

} // namespace kurir

namespace kurir::net {

/// @relates command
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, command& x) {
  return f(caf::meta::type_name("command"), x.kind, x.name, x.secret, x.token,
           x.target, x.body, x.client_id, x.args, x.ids);
}

} // namespace kurir::net

namespace kurir::persistence {

/// @relates user_record
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_record& x) {
  return f(caf::meta::type_name("user_record"), x.name, x.hash, x.reg_addr,
           x.reg_ms);
}

/// @relates group_record
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, group_record& x) {
  return f(caf::meta::type_name("group_record"), x.name, x.owner, x.members);
}

/// @relates append_request
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, append_request& x) {
  return f(caf::meta::type_name("append_request"), x.sender, x.target, x.body,
           x.ts_ms, x.client_id);
}

/// @relates cursor_update
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, cursor_update& x) {
  return f(caf::meta::type_name("cursor_update"), x.member, x.conv, x.seq);
}

/// @relates stored_message
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, stored_message& x) {
  return f(caf::meta::type_name("stored_message"), x.id, x.conv, x.seq, x.ts_ms,
           x.from, x.to, x.group, x.body);
}

/// @relates history_query
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, history_query& x) {
  return f(caf::meta::type_name("history_query"), x.viewer, x.peer,
           x.before_seq, x.after_seq, x.limit);
}

/// @relates membership_change
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, membership_change& x) {
  return f(caf::meta::type_name("membership_change"), x.kind, x.actor, x.group,
           x.member);
}

} // namespace kurir::persistence

namespace kurir {

template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, append_result& x) {
  return f(caf::meta::type_name("append_result"), x.msg, x.code, x.detail);
}

} // namespace kurir

namespace kurir::metrics {

/// @relates histogram
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, histogram& x) {
  return f(caf::meta::type_name("histogram"), x.bounds, x.counts, x.sum,
           x.count);
}

/// @relates session_counters
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_counters& x) {
  return f(caf::meta::type_name("session_counters"), x.frames_in, x.frames_out,
           x.deliveries_live, x.deliveries_stored, x.acks, x.redeliveries,
           x.resends, x.logins_ok, x.logins_failed, x.logins_throttled,
           x.registrations, x.errors);
}

/// @relates session_report
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_report& x) {
  return f(caf::meta::type_name("session_report"), x.counters, x.unacked);
}

/// @relates queue_depth
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, queue_depth& x) {
  return f(caf::meta::type_name("queue_depth"), x.user, x.depth);
}

/// @relates writer_report
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, writer_report& x) {
  return f(caf::meta::type_name("writer_report"), x.commits, x.messages_stored,
           x.wal_frames, x.checkpoints, x.commit_failures, x.batch_size,
           x.commit_seconds, x.deepest);
}

/// @relates listener_report
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, listener_report& x) {
  return f(caf::meta::type_name("listener_report"), x.accepted_plain,
           x.accepted_tls, x.accepted_web, x.refused_per_address, x.open);
}

/// @relates auth_report
template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, auth_report& x) {
  return f(caf::meta::type_name("auth_report"), x.queued, x.refused);
}

} // namespace kurir::metrics
