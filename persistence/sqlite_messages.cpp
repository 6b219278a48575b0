// sqlite_store: the message log and the delivery cursors.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "persistence/sqlite_connection.hpp"
#include "persistence/sqlite_store.hpp"

namespace kurir::persistence {

namespace {

using detail::connection;
using detail::conv_row;
using detail::stmt_use;

/// Whether `code` is a failure of the database itself, which aborts the
/// whole transaction, rather than a verdict on one request.
bool is_db_failure(errc code) noexcept {
  return code == errc::storage_full || code == errc::server_busy
         || code == errc::storage_error;
}

int64_t to_sql_limit(std::size_t limit) noexcept {
  constexpr auto max
    = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  return static_cast<int64_t>(std::min<uint64_t>(limit, max));
}

/// Returns the current row of a message query (columns as in
/// sqlite_schema.cpp).
stored_message message_at(const stmt_use& use) {
  stored_message m;
  m.id = use.int_at(0);
  m.conv = use.int_at(1);
  m.seq = use.int_at(2);
  m.ts_ms = use.int_at(3);
  m.from = use.text_at(4);
  m.to = use.text_at(5);
  m.group = use.int_at(6) != 0;
  m.body = use.text_at(7);
  return m;
}

/// Reads every row of a message query (columns as in sqlite_schema.cpp).
outcome<std::vector<stored_message>> read_messages(connection& c,
                                                   stmt_use& use) {
  std::vector<stored_message> out;
  for (;;) {
    auto rc = use.step();
    if (rc == SQLITE_DONE)
      return outcome<std::vector<stored_message>>{std::move(out)};
    if (rc != SQLITE_ROW)
      return detail::db_failure(c.db.get(), rc, "cannot read messages");
    out.push_back(message_at(use));
  }
}

// -- appending ----------------------------------------------------------------

/// Where an append goes.
struct target {
  int64_t conv = 0;
  bool group = false;
};

/// Returns whether `name` is a registered user, asking SQLite only the
/// first time it is found.
outcome<bool> is_user(connection& c, const std::string& name) {
  if (c.cache.users.count(name) > 0)
    return true;
  auto user = detail::lookup_user(c, name);
  if (!user)
    return user.error();
  if (!*user)
    return false;
  c.cache.users.insert(name);
  return true;
}

/// Creates the direct conversation `key` between `a` and `b`, both taking
/// part from the start; returns its id.
outcome<int64_t> create_direct(connection& c, const std::string& key,
                               const std::string& a, const std::string& b) {
  auto db = c.db.get();
  {
    stmt_use use{c.st.conv_insert.get()};
    use.bind(std::string_view{"direct"}).bind(key).bind(std::string_view{});
    if (auto r = run_to_done(db, use, "cannot create conversation"); !r)
      return r.error();
  }
  auto conv = sqlite3_last_insert_rowid(db);
  for (const auto* member : {&a, &b}) {
    stmt_use use{c.st.member_insert.get()};
    use.bind(conv).bind(*member).bind(int64_t{0}).bind(int64_t{0});
    if (auto r = run_to_done(db, use, "cannot add participant"); !r)
      return r.error();
    c.cache.cursors[*member][conv] = 0;
  }
  c.cache.last_seq[conv] = 0;
  return conv;
}

outcome<target> resolve_direct(connection& c, const append_request& req) {
  if (req.target == req.sender)
    return failure{errc::self_send, "cannot send a message to yourself"};
  auto key = detail::direct_key(req.sender, req.target);
  if (auto i = c.cache.directs.find(key); i != c.cache.directs.end())
    return target{i->second, false};
  auto conv = detail::lookup_conv(c, key);
  if (!conv)
    return conv.error();
  int64_t id = 0;
  if (*conv) {
    id = (*conv)->id;
  } else {
    auto created = create_direct(c, key, req.sender, req.target);
    if (!created)
      return created.error();
    id = *created;
  }
  c.cache.directs.emplace(std::move(key), id);
  return target{id, false};
}

/// Resolves `req.target`: a user (direct) first, then a group.
outcome<target> resolve(connection& c, const append_request& req) {
  auto user = is_user(c, req.target);
  if (!user)
    return user.error();
  if (*user)
    return resolve_direct(c, req);
  auto group = detail::lookup_group(c, req.target);
  if (!group)
    return group.error();
  if (!*group)
    return failure{errc::no_such_user, "no user or group " + req.target};
  auto joined = detail::lookup_member(c, req.sender, (*group)->id);
  if (!joined)
    return joined.error();
  if (!*joined)
    return failure{errc::forbidden, "not a member of " + req.target};
  return target{(*group)->id, true};
}

// -- idempotent resend
// ---------------------------------------------------------

/// Returns the message `req.sender` stored earlier with `req.client_id`, or
/// nothing. Earlier appends of the same batch are visible: in the window.
outcome<std::optional<stored_message>> find_resent(connection& c,
                                                   const append_request& req) {
  auto id = detail::find_client_id(c, req.sender, req.client_id);
  if (!id)
    return id.error();
  if (!*id)
    return std::optional<stored_message>{};
  stmt_use use{c.st.message_by_id.get()};
  auto rc = use.bind(**id).step();
  if (rc != SQLITE_ROW)
    return detail::db_failure(c.db.get(),
                              rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                              "cannot read the message of a client id");
  return std::optional<stored_message>{message_at(use)};
}

/// Judges a resend of `earlier`: the same message if it goes to the same
/// conversation (same sender, so the same target name) with the same body.
outcome<stored_message> judge_resend(const append_request& req,
                                     stored_message earlier) {
  if (earlier.to != req.target || earlier.body != req.body)
    return failure{errc::client_id_conflict,
                   "client id " + req.client_id
                     + " was used for a different message"};
  earlier.duplicate = true;
  return earlier;
}

// -- queue limit --------------------------------------------------------------

/// Fails with `recipient_queue_full` if `recipient` has `max_unacked` or
/// more messages of direct conversation `conv` beyond their cursor (counting
/// appends earlier in the batch: they advanced the sequence). Only direct
/// messages are checked: a group has one shared log, and one absent member
/// must not silence the group for everyone else; they catch up from the log.
/// Both figures come from the write cache: no query once they are known.
outcome<done> check_queue(connection& c, int64_t conv,
                          const std::string& recipient, int64_t max_unacked) {
  if (max_unacked <= 0)
    return done{};
  auto cursor = detail::cursor_of(c, recipient, conv);
  if (!cursor)
    return cursor.error();
  if (**cursor < 0)
    return done{}; // no participant row: nothing queued for them
  auto last = detail::last_seq_of(c, conv);
  if (!last)
    return last.error();
  auto unacked = *last - **cursor;
  if (unacked >= max_unacked)
    return failure{errc::recipient_queue_full, recipient + " has "
                                                 + std::to_string(unacked)
                                                 + " unacknowledged messages"};
  return done{};
}

// -- appending ----------------------------------------------------------------

/// Writes `req` as the next message of `t` and lets the sender's cursor
/// follow it if they had everything before it: one's own message counts as
/// delivered to oneself, so it never fills one's queue (pending skips it
/// anyway). A cursor behind undelivered messages stays where it is. The
/// sequence and the cursor move in the write cache; the cursor is written
/// only if an acknowledgement moves it too (write_cache).
outcome<stored_message> insert_message(connection& c, const append_request& req,
                                       const target& t) {
  auto db = c.db.get();
  auto last = detail::last_seq_of(c, t.conv);
  if (!last)
    return last.error();
  auto seq = *last + 1;
  {
    stmt_use use{c.st.message_insert.get()};
    use.bind(t.conv).bind(seq).bind(req.ts_ms).bind(req.sender);
    use.bind(req.target).bind(req.body).bind(req.client_id);
    if (auto r = run_to_done(db, use, "cannot store message"); !r)
      return r.error();
  }
  c.cache.last_seq[t.conv] = seq; // a failure later aborts: cache cleared
  auto id = sqlite3_last_insert_rowid(db);
  if (!req.client_id.empty())
    detail::remember_client_id(c, req.sender, req.client_id, id);
  stored_message m{id,         t.conv,     seq,     req.ts_ms,
                   req.sender, req.target, t.group, req.body};
  auto cursor = detail::cursor_of(c, req.sender, t.conv);
  if (!cursor)
    return cursor.error();
  if (**cursor == seq - 1) // in the cache only: see write_cache
    detail::follow_cursor(*cursor, seq);
  return m;
}

/// Appends one message. A failure with a database code aborts the batch;
/// any other failure is this request's verdict, and then nothing of it was
/// written (only a passing append creates a direct conversation, and a new
/// one has an empty queue, so the queue check cannot undo its creation).
outcome<stored_message> append(connection& c, const append_request& req,
                               int64_t max_unacked) {
  // A resend is answered before anything else: the first send passed.
  if (!req.client_id.empty()) {
    auto earlier = find_resent(c, req);
    if (!earlier)
      return earlier.error();
    if (*earlier)
      return judge_resend(req, std::move(**earlier));
  }
  auto t = resolve(c, req);
  if (!t)
    return t.error();
  if (!t->group) {
    auto ok = check_queue(c, t->conv, req.target, max_unacked);
    if (!ok)
      return ok.error();
  }
  return insert_message(c, req, *t);
}

/// Moves a cursor forward only, and never past the conversation's newest
/// message: a cursor beyond it would silently swallow messages not yet
/// written. A member who does not take part in `cur.conv` has no cursor.
outcome<done> move_cursor(connection& c, const cursor_update& cur) {
  auto cursor = detail::cursor_of(c, cur.member, cur.conv);
  if (!cursor)
    return cursor.error();
  if (**cursor < 0)
    return done{};
  auto last = detail::last_seq_of(c, cur.conv);
  if (!last)
    return last.error();
  auto seq = std::max(**cursor, std::min(cur.seq, *last));
  detail::set_cursor(c, *cursor, cur.member, cur.conv, seq);
  return done{};
}

// -- history ------------------------------------------------------------------

/// The conversation a history query reads and its lowest visible sequence;
/// no conversation means an empty history.
struct history_scope {
  std::optional<conv_row> conv;
  int64_t first_visible = 0; ///< only seq > this is visible
};

outcome<history_scope> history_scope_of(connection& c, const history_query& q) {
  auto user = detail::lookup_user(c, q.peer);
  if (!user)
    return user.error();
  if (*user) {
    if (q.peer == q.viewer)
      return failure{errc::bad_request, "no conversation with yourself"};
    auto conv = detail::lookup_conv(c, detail::direct_key(q.viewer, q.peer));
    if (!conv)
      return conv.error();
    return history_scope{*conv, 0};
  }
  auto group = detail::lookup_group(c, q.peer);
  if (!group)
    return group.error();
  if (!*group)
    return failure{errc::no_such_user, "no user or group " + q.peer};
  auto joined = detail::lookup_member(c, q.viewer, (*group)->id);
  if (!joined)
    return joined.error();
  if (!*joined)
    return failure{errc::forbidden, "not a member of " + q.peer};
  return history_scope{*group, **joined};
}

} // namespace

// -- sqlite_store -------------------------------------------------------------

outcome<std::vector<outcome<stored_message>>>
sqlite_store::commit(const write_batch& batch) {
  using results = std::vector<outcome<stored_message>>;
  auto& c = impl_->c;
  auto res = detail::in_transaction(c, [&]() -> outcome<results> {
    if (auto r = detail::load_client_ids(c); !r)
      return r.error();
    // Cursors first: they name messages committed earlier, and the queue
    // checks below then see the acknowledgements of this same batch.
    for (const auto& cur : batch.cursors)
      if (auto r = move_cursor(c, cur); !r)
        return r.error();
    results out;
    out.reserve(batch.appends.size());
    for (const auto& req : batch.appends) {
      auto one = append(c, req, batch.max_unacked);
      if (!one && is_db_failure(one.error().code))
        return one.error();
      out.push_back(std::move(one));
    }
    if (auto r = detail::write_cursors(c); !r)
      return r.error();
    if (auto r = detail::merge_client_ids(c); !r)
      return r.error();
    return outcome<results>{std::move(out)};
  });
  if (res) {
    ++c.meter->commits;
    for (const auto& r : *res)
      c.meter->messages += r && !r->duplicate ? 1 : 0;
  }
  return res;
}

outcome<std::vector<stored_message>>
sqlite_store::pending(std::string_view member, backlog_key after,
                      std::size_t limit) {
  if (limit == 0)
    return std::vector<stored_message>{};
  auto& c = impl_->c;
  stmt_use use{c.st.pending.get()};
  use.bind(member).bind(after.conv).bind(after.seq).bind(to_sql_limit(limit));
  return read_messages(c, use);
}

outcome<std::vector<stored_message>>
sqlite_store::history(const history_query& q) {
  auto& c = impl_->c;
  auto scope = history_scope_of(c, q);
  if (!scope)
    return scope.error();
  if (!scope->conv || q.limit == 0)
    return std::vector<stored_message>{};
  auto lower = std::max(q.after_seq, scope->first_visible);
  auto upper
    = q.before_seq == 0 ? std::numeric_limits<int64_t>::max() : q.before_seq;
  stmt_use use{c.st.history.get()};
  use.bind(scope->conv->id).bind(lower).bind(upper).bind(to_sql_limit(q.limit));
  // The query yields the newest rows first so LIMIT keeps the latest ones;
  // a page is returned oldest first.
  auto rows = read_messages(c, use);
  if (rows)
    std::reverse(rows->begin(), rows->end());
  return rows;
}

} // namespace kurir::persistence
