#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/typed_response_promise.hpp>

#include "actors/checkpoint/checkpoint_handle.hpp"
#include "actors/eventlog/event_log_actor.hpp"
#include "actors/group/group_handle.hpp"
#include "actors/registry/registry_handle.hpp"
#include "actors/settings.hpp"
#include "actors/writer/busy_retry.hpp"
#include "actors/writer/writer_handle.hpp"
#include "persistence/store.hpp"
#include "proto/limits.hpp"

namespace kurir {

/// One request's appends waiting for their group commit: a single append,
/// answered with the stored message, or a session's batch, answered with
/// one result per append.
struct pending_append {
  std::vector<persistence::append_request> reqs;
  caf::typed_response_promise<persistence::stored_message> one;
  caf::typed_response_promise<append_results> many;
  bool batch = false; ///< `many` is the promise, not `one`
};

/// A registration waiting for its group commit.
struct pending_user {
  persistence::user_record user;
  caf::typed_response_promise<caf::ok_atom> promise;
};

/// A batch taken for its commit, with the appends that wait for it; kept
/// while the database is busy and the commit is tried again.
struct held_batch {
  persistence::write_batch batch;
  std::vector<pending_append> waiting;
};

/// State of the writer. Appends and cursor moves accumulate in a batch; the
/// batch is committed when a `flush` that the actor sent itself comes up in
/// its mailbox (so everything that queued meanwhile shares one commit) or
/// when it reaches `max_batch` appends.
struct writer_state {
  static inline const char* name = "writer";

  /// Binds the state to its actor.
  explicit writer_state(writer_handle::pointer owner) : self(owner) {}

  writer_handle::pointer self;

  std::shared_ptr<persistence::store> db;
  registry_handle registry;
  /// One actor per group, spawned (and linked) by the writer: it creates
  /// every group and commits every group message.
  std::unordered_map<std::string, group_handle> groups;
  event_log_handle log;
  wall_clock now;
  std::size_t max_batch = limits::max_batch;
  int64_t max_unacked = limits::max_unacked;

  std::vector<pending_append> appends;
  std::size_t queued = 0; ///< appends in `appends`
  /// Registrations since the last commit: stored in one transaction of
  /// their own before the appends (one sync for a storm of them).
  std::vector<pending_user> users;
  /// A recipient and a conversation.
  using cursor_key = std::pair<std::string, int64_t>;
  /// The highest sequence to store per cursor.
  std::map<cursor_key, int64_t> cursors;
  bool flush_scheduled = false;
  bool cursor_flush_scheduled = false;
  /// How long cursor moves without an append wait to share a commit with
  /// one. A move never waits past the next append commit: a send confirmed
  /// after an acknowledgement was processed has that cursor committed too
  /// (kurir-sim's audit counts a redelivery after that as a duplicate).
  std::chrono::milliseconds cursor_delay{20};

  /// The batch being committed; while `retry.waiting()` the database was
  /// busy, the batch is tried again on `retry_atom`, and everything that
  /// arrives meanwhile queues behind it (writer_busy.cpp).
  held_batch held;
  /// When to try the held batch again, and when to give up.
  busy_retry retry;
  bool retry_scheduled = false; ///< a `retry_atom` is on its way
  /// Drains that wait for the held batch.
  std::vector<caf::typed_response_promise<caf::ok_atom>> drains;

  /// Returns whether anything waits for a commit.
  bool dirty() const {
    return !appends.empty() || !cursors.empty() || !users.empty();
  }

  /// Commits the waiting cursor moves (on `cursor_timer_atom`) unless an
  /// append's commit is on its way and takes them.
  void on_cursor_timer();

  /// Queues a registration and makes sure a flush is scheduled; the promise
  /// is kept once it is committed (or refused: `name_taken`, or the
  /// transaction's failure).
  caf::typed_response_promise<caf::ok_atom>
  enqueue_user(persistence::user_record user);

  /// Stores the queued registrations in one transaction and answers them.
  void commit_users();

  /// Queues an append and makes sure a flush is scheduled. Returns the
  /// promise that the commit will keep.
  caf::typed_response_promise<persistence::stored_message>
  enqueue(persistence::append_request req);

  /// Queues a session's appends, in order, as `enqueue` does one.
  caf::typed_response_promise<append_results>
  enqueue_all(std::vector<persistence::append_request> reqs);

  /// Records a cursor move; keeps the highest sequence per (member, conv).
  void add_cursor(const persistence::cursor_update& upd);

  /// Spawns the actor of each group in the database.
  outcome<done> start_groups();

  /// Commits what is batched, then applies a membership change and tells
  /// the group's actor (spawning it for a new group).
  outcome<persistence::group_record>
  change_group(const persistence::membership_change& c);

  /// Sends `flush` to itself unless one is on its way.
  void schedule_flush();

  /// Commits the batch, answers every waiting sender in order, then routes
  /// the stored messages in commit order: the direct ones to the registry
  /// in one message, each group's to its actor in one message.
  void commit();

  /// Logs a `stats` record (the store's counters since it was opened) if
  /// they changed since the last one: at every drain, so the last record
  /// before a shutdown holds the whole run's figures.
  void log_stats();

  /// The counters of the last `stats` record.
  persistence::store_stats logged;

  // -- checkpoints (writer_checkpoint.cpp) -----------------------------------

  /// Where the checkpoint of the WAL stands.
  struct checkpoint_progress {
    checkpoint_handle actor; ///< runs the passes; none: the store does it
    uint64_t frames = 4000;  ///< WAL size that starts a pass
    uint64_t tail = 1024;    ///< what the writer copies itself
    bool running = false;    ///< a pass is under way
    uint64_t copied = 0;     ///< frames of this WAL the last pass copied
    uint64_t passes = 0;     ///< passes run (for the log's stats)
  } ckpt;

  /// After a commit: starts a pass once the WAL is big enough, or copies
  /// the tail a pass left and so lets the next commit start the WAL over.
  void after_commit();

  /// Takes the answer of a pass.
  void on_pass(int64_t wal_size, int64_t copied);

  // -- metrics (writer_metrics.cpp) -----------------------------------------

  /// Appends per commit, and how long each commit took.
  metrics::histogram batch_sizes
    = metrics::histogram::over(metrics::powers_of_two(1024));
  metrics::histogram commit_seconds
    = metrics::histogram::over(metrics::latency_bounds());
  uint64_t commit_failures = 0;

  /// Counts a commit of `n` appends that took `took` (failed unless `ok`).
  void observe_commit(std::size_t n, caf::timespan took, bool ok);

  /// Returns what the writer counted, with the ten deepest queues.
  metrics::writer_report report() const;

  /// Commits the held batch. On success answers and routes it; if the
  /// database is busy, keeps it and schedules a `retry_atom` until
  /// `retry` gives up, then answers every sender with `server_busy`;
  /// any other failure is answered at once.
  void commit_held();

  /// Tries the held batch again (on `retry_atom`); once it is settled,
  /// tries what queued behind it and answers the drains that waited.
  void on_retry();

  /// Commits what is batched and answers: at once, or, if a batch waits
  /// for a busy database, once that batch is settled (committed or given
  /// up) and what queued behind it was tried.
  caf::typed_response_promise<caf::ok_atom> drain();

private:
  void route(persistence::message_list& routed);
  void keep_cursor(const cursor_key& key, int64_t seq);
  void add(pending_append p);
  persistence::write_batch take_batch();
  void fail(std::vector<pending_append>& waiting, const failure& err);
  void on_committed(std::vector<pending_append>& waiting,
                    std::vector<outcome<persistence::stored_message>>& res);
  void
  settle_held(outcome<std::vector<outcome<persistence::stored_message>>>& res);
  void answer_drains();
};

/// The writer's tunables.
struct writer_settings {
  std::size_t max_batch
    = limits::max_batch; ///< appends that start a commit at once
  int64_t max_unacked = limits::max_unacked; ///< per recipient and conversation
  /// How long a commit is tried again while the database is busy.
  std::chrono::milliseconds busy_timeout{limits::busy_timeout_ms};
  /// Runs checkpoints beside the writer (kurird); without one, the store
  /// checkpoints by itself inside the commit that fills the WAL.
  checkpoint_handle checkpointer;
  /// A background pass starts once the WAL holds this many frames ...
  uint64_t checkpoint_frames = 4000;
  /// ... and the writer copies the rest itself, so that the WAL can start
  /// over, once a pass left at most this many frames behind.
  uint64_t checkpoint_tail = 1024;
};

/// The writer actor; `db` must be the only read-write handle.
writer_handle::behavior_type
writer_actor(writer_handle::stateful_pointer<writer_state> self,
             std::shared_ptr<persistence::store> db, registry_handle registry,
             event_log_handle log, wall_clock now, writer_settings cfg);

} // namespace kurir
