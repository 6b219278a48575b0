#include "actors/writer/writer_actor.hpp"

#include <caf/typed_event_based_actor.hpp>

#include "actors/errors.hpp"
#include "actors/group/group_actor.hpp"
#include "actors/messages.hpp"
#include "actors/thread_name.hpp"

namespace kurir {

namespace {

/// Turns one append's outcome into its result; a new message also goes to
/// `routed` (a resend was routed the first time), and every stored one to
/// the log's `records`.
append_result to_result(outcome<persistence::stored_message>& res,
                        persistence::message_list& routed,
                        std::vector<std::string>& records) {
  if (!res)
    return {{}, res.error().code, res.error().detail};
  const auto& m = *res;
  records.push_back("send " + m.from + " -> " + m.to + " id "
                    + std::to_string(m.id) + " seq " + std::to_string(m.seq)
                    + (m.duplicate ? " (resend, stored once)" : ""));
  if (!m.duplicate)
    routed.push_back(m);
  return {std::move(*res), errc::none, {}};
}

} // namespace

caf::typed_response_promise<persistence::stored_message>
writer_state::enqueue(persistence::append_request req) {
  req.ts_ms = now();
  pending_append p;
  p.reqs.push_back(std::move(req));
  p.one = self->make_response_promise<persistence::stored_message>();
  auto promise = p.one;
  add(std::move(p));
  return promise;
}

caf::typed_response_promise<append_results>
writer_state::enqueue_all(std::vector<persistence::append_request> reqs) {
  auto ts = now();
  for (auto& req : reqs)
    req.ts_ms = ts;
  pending_append p;
  p.reqs = std::move(reqs);
  p.many = self->make_response_promise<append_results>();
  p.batch = true;
  auto promise = p.many;
  add(std::move(p));
  return promise;
}

caf::typed_response_promise<caf::ok_atom>
writer_state::enqueue_user(persistence::user_record user) {
  user.reg_ms = now();
  auto promise = self->make_response_promise<caf::ok_atom>();
  users.push_back({std::move(user), promise});
  schedule_flush();
  return promise;
}

void writer_state::commit_users() {
  if (users.empty())
    return;
  std::vector<pending_user> waiting;
  waiting.swap(users);
  std::vector<persistence::user_record> recs;
  recs.reserve(waiting.size());
  for (const auto& p : waiting)
    recs.push_back(p.user);
  auto res = db->add_users(recs);
  for (std::size_t i = 0; i < waiting.size(); ++i) {
    auto& rp = waiting[i].promise;
    if (!res)
      rp.deliver(make_caf_error(res.error()));
    else if (!(*res)[i])
      rp.deliver(make_caf_error((*res)[i].error()));
    else
      rp.deliver(caf::ok_atom_v);
  }
  after_commit(); // a storm of registrations fills the WAL too
}

void writer_state::add(pending_append p) {
  queued += p.reqs.size();
  appends.push_back(std::move(p));
  if (queued >= max_batch)
    commit();
  else
    schedule_flush();
}

void writer_state::keep_cursor(const cursor_key& key, int64_t seq) {
  auto& kept = cursors[key];
  if (seq > kept)
    kept = seq;
}

void writer_state::add_cursor(const persistence::cursor_update& upd) {
  keep_cursor({upd.member, upd.conv}, upd.seq);
  // Cursor moves ride along with the next append commit, or go alone after
  // `cursor_delay`: a client acknowledging one message at a time does not
  // cost a sync each, and a send confirmed after an acknowledgement was
  // processed always has that cursor move committed with it or before it.
  if (!flush_scheduled && !cursor_flush_scheduled) {
    cursor_flush_scheduled = true;
    self->delayed_send(self, cursor_delay, cursor_timer_atom_v);
  }
}

void writer_state::on_cursor_timer() {
  cursor_flush_scheduled = false;
  if (!flush_scheduled) // else the append's commit takes them
    commit();
}

void writer_state::schedule_flush() {
  if (flush_scheduled)
    return;
  flush_scheduled = true;
  self->send(self, caf::flush_atom_v);
}

persistence::write_batch writer_state::take_batch() {
  persistence::write_batch batch;
  batch.appends.reserve(queued);
  for (auto& p : appends)
    batch.appends.insert(batch.appends.end(), p.reqs.begin(), p.reqs.end());
  for (auto& [key, seq] : cursors)
    batch.cursors.push_back({key.first, key.second, seq});
  cursors.clear();
  batch.max_unacked = max_unacked;
  return batch;
}

void writer_state::commit() {
  // Registrations first, so this batch's messages may name the new users;
  // a busy database fails them at once, as it always did.
  commit_users();
  // A batch that waits for a busy database goes first: what queues meanwhile
  // is committed after it (writer_busy.cpp).
  if (!dirty() || retry.waiting())
    return;
  held.batch = take_batch();
  held.waiting.swap(appends);
  queued = 0;
  commit_held();
}

void writer_state::fail(std::vector<pending_append>& waiting,
                        const failure& err) {
  // Nothing of the batch was stored: every sender gets the error.
  std::size_t count = 0;
  for (auto& p : waiting) {
    count += p.reqs.size();
    if (p.batch)
      p.many.deliver(make_caf_error(err));
    else
      p.one.deliver(make_caf_error(err));
  }
  self->send(log, log_atom_v,
             "error commit failed for " + std::to_string(count) + " messages: "
               + std::string{to_wire(err.code)} + " " + err.detail);
}

void writer_state::on_committed(
  std::vector<pending_append>& waiting,
  std::vector<outcome<persistence::stored_message>>& res) {
  persistence::message_list routed;
  std::vector<std::string> records;
  std::size_t k = 0; // index into res
  for (auto& p : waiting) {
    if (!p.batch) {
      auto r = to_result(res[k++], routed, records);
      if (r.code == errc::none)
        p.one.deliver(std::move(r.msg));
      else
        p.one.deliver(make_caf_error(failure{r.code, std::move(r.detail)}));
      continue;
    }
    append_results out;
    out.reserve(p.reqs.size());
    for (std::size_t j = 0; j < p.reqs.size(); ++j)
      out.push_back(to_result(res[k++], routed, records));
    p.many.deliver(std::move(out));
  }
  // One message to the log's thread per commit: a wake-up of that thread
  // per session's batch cost 4.5 us per delivery at 19,000 dm/s.
  if (!records.empty())
    self->send(log, log_atom_v, std::move(records));
  route(routed);
  after_commit();
}

void writer_state::route(persistence::message_list& routed) {
  // One message per commit to the registry, one per group: a group's
  // messages go straight to the group's actor, which knows its sessions.
  persistence::message_list direct;
  std::map<std::string, persistence::message_list> by_group;
  for (auto& msg : routed)
    if (msg.group)
      by_group[msg.to].push_back(std::move(msg));
    else
      direct.push_back(std::move(msg));
  if (!direct.empty())
    self->send(registry, route_atom_v, std::move(direct));
  for (auto& [group_name, batch] : by_group)
    if (auto i = groups.find(group_name); i != groups.end())
      self->send(i->second, fanout_atom_v, std::move(batch));
}

void writer_state::log_stats() {
  auto now_stats = db->stats();
  if (now_stats.commits == logged.commits
      && now_stats.wal_frames == logged.wal_frames)
    return;
  logged = now_stats;
  self->send(log, log_atom_v,
             "stats commits " + std::to_string(now_stats.commits) + " messages "
               + std::to_string(now_stats.messages) + " wal_frames "
               + std::to_string(now_stats.wal_frames) + " checkpoints "
               + std::to_string(now_stats.checkpoints));
}

outcome<persistence::group_record>
writer_state::change_group(const persistence::membership_change& c) {
  commit(); // what was sent before the change is not shown to a new member
  if (retry.waiting()) // and it waits for a busy database
    return failure{errc::server_busy, "the database is busy"};
  auto res = db->change_group(c);
  if (!res)
    return res;
  if (c.kind == persistence::membership_change::create)
    groups.emplace(c.group,
                   self->spawn<caf::linked>(group_actor, *res, registry, true));
  else if (auto i = groups.find(c.group); i != groups.end())
    self->send(i->second, change_atom_v, *res, c);
  after_commit();
  return res;
}

outcome<done> writer_state::start_groups() {
  auto all = db->groups();
  if (!all)
    return all.error();
  for (auto& g : *all) {
    auto group_name = g.name;
    groups.emplace(
      std::move(group_name),
      self->spawn<caf::linked>(group_actor, std::move(g), registry, false));
  }
  return done{};
}

writer_handle::behavior_type
writer_actor(writer_handle::stateful_pointer<writer_state> self,
             std::shared_ptr<persistence::store> db, registry_handle registry,
             event_log_handle log, wall_clock now, writer_settings cfg) {
  name_own_thread(self, "kurir.writer");
  auto& st = self->state;
  st.db = std::move(db);
  st.registry = std::move(registry);
  st.log = std::move(log);
  busy_retry::policy busy;
  busy.timeout = cfg.busy_timeout;
  st.retry = busy_retry{busy};
  st.now = std::move(now);
  st.max_batch = cfg.max_batch;
  st.max_unacked = cfg.max_unacked;
  st.ckpt.actor = cfg.checkpointer;
  if (st.ckpt.actor) // it stops with the writer (and the writer without it)
    self->link_to(st.ckpt.actor);
  st.ckpt.frames = cfg.checkpoint_frames;
  st.ckpt.tail = cfg.checkpoint_tail;
  if (auto ok = st.start_groups(); !ok) {
    // Without its groups the node cannot deliver to them: stop loudly.
    self->send(st.log, log_atom_v,
               "error cannot read the groups: " + ok.error().detail);
    self->quit(make_caf_error(ok.error()));
  }
  return {
    [=](reg_atom, persistence::user_record& user) {
      return self->state.enqueue_user(std::move(user));
    },
    [=](find_atom,
        const std::string& name) -> caf::result<persistence::user_record> {
      auto res = self->state.db->find_user(name);
      if (!res)
        return make_caf_error(res.error());
      return std::move(*res);
    },
    [=](rehash_atom, const std::string& name,
        const std::string& hash) -> caf::result<caf::ok_atom> {
      if (auto res = self->state.db->set_hash(name, hash); !res)
        return make_caf_error(res.error());
      return caf::ok_atom_v;
    },
    [=](append_atom, persistence::append_request& req) {
      return self->state.enqueue(std::move(req));
    },
    [=](append_atom, std::vector<persistence::append_request>& reqs) {
      return self->state.enqueue_all(std::move(reqs));
    },
    [=](change_atom, const persistence::membership_change& c)
      -> caf::result<persistence::group_record> {
      auto res = self->state.change_group(c);
      if (!res)
        return make_caf_error(res.error());
      return std::move(*res);
    },
    [=](advance_atom, const std::vector<persistence::cursor_update>& moves) {
      for (const auto& upd : moves)
        self->state.add_cursor(upd);
    },
    [=](metrics_atom) { return self->state.report(); },
    [=](caf::flush_atom) {
      self->state.flush_scheduled = false;
      self->state.commit();
    },
    [=](cursor_timer_atom) { self->state.on_cursor_timer(); },
    [=](retry_atom) { self->state.on_retry(); },
    [=](drain_atom) { return self->state.drain(); },
  };
}

} // namespace kurir
