#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proto/metrics.hpp"
#include "proto/outcome.hpp"
#include "proto/records.hpp"

namespace kurir::persistence {

/// What a store has written since it was opened: the figures benchmarks
/// quote because they do not depend on how busy the machine is.
struct store_stats {
  uint64_t commits = 0;     ///< `commit` transactions that committed
  uint64_t messages = 0;    ///< new messages they stored (no resends)
  uint64_t wal_frames = 0;  ///< database pages written to the WAL (all writes)
  uint64_t checkpoints = 0; ///< WAL checkpoints run
  /// Frames in the WAL after the last commit (since it last started over);
  /// what a checkpoint would have to copy at most.
  uint64_t wal_size = 0;
};

/// The storage contract. One log per conversation, one delivery cursor per
/// recipient: the offline queue of a user is every message beyond their
/// cursors, and history is the same log read backwards.
///
/// Names passed in are already folded and valid. Every method either
/// succeeds completely or changes nothing. Failures use `errc`:
/// `storage_full` (disk full), `server_busy` (database locked past the busy
/// timeout), `storage_error` (any other database failure). An implementation
/// is used by one actor at a time and needs no locking.
class store {
public:
  virtual ~store();

  // -- users ----------------------------------------------------------------

  /// Stores a new user. Fails with `name_taken` if a user or group has the
  /// name already.
  virtual outcome<done> add_user(const user_record& user) = 0;

  /// Stores several new users in one transaction (one sync for all), each
  /// judged as `add_user` judges one, in order: a later user sees the
  /// earlier ones (the same name twice: the second is `name_taken`). The
  /// outer outcome fails only if the transaction failed, and then none was
  /// stored. The default calls `add_user` for each.
  virtual outcome<std::vector<outcome<done>>>
  add_users(const std::vector<user_record>& users);

  /// Returns the user named `name`, or fails with `no_such_user`.
  virtual outcome<user_record> find_user(std::string_view name) = 0;

  /// Replaces the password hash of user `name` (a rehash at a new cost);
  /// fails with `no_such_user` if there is no such user.
  virtual outcome<done> set_hash(std::string_view name, std::string_view hash)
    = 0;

  // -- groups ---------------------------------------------------------------

  /// Creates group `name` if missing and adds each of `members` not yet in
  /// it; members join at the group's current sequence. Idempotent. Fails
  /// with `name_taken` if a user has the name.
  virtual outcome<done> ensure_group(const group_record& group) = 0;

  /// Returns all groups with their members, ordered by name.
  virtual outcome<std::vector<group_record>> groups() = 0;

  /// Applies a membership change in one transaction and returns the group
  /// as it is afterwards.
  /// - create: a new group owned by `actor`, who is its first member;
  ///   `name_taken` if a user or group has the name.
  /// - add: only the owner may add (`forbidden`); the member must be a
  ///   registered user (`no_such_user`); they join at the group's current
  ///   sequence, so they see only what is said from then on. Adding a
  ///   member again changes nothing.
  /// - remove: the owner may remove anyone, anyone may remove themselves
  ///   (leave); others get `forbidden`; removing a non-member is
  ///   `no_such_user`. A removed member's participant row goes: they see
  ///   nothing of the group any more, history included. An owner who
  ///   leaves leaves the group without owner.
  /// Unknown group: `no_such_user`.
  virtual outcome<group_record> change_group(const membership_change& c) = 0;

  /// Returns the group `name`, or fails with `no_such_user`.
  virtual outcome<group_record> group(std::string_view name) = 0;

  /// Returns the names of the groups `member` belongs to, sorted.
  virtual outcome<std::vector<std::string>> groups_of(std::string_view member)
    = 0;

  /// Returns everyone `user` shares a direct conversation or a group with,
  /// sorted, without duplicates and without `user`.
  virtual outcome<std::vector<std::string>> contacts(std::string_view user) = 0;

  // -- messages -------------------------------------------------------------

  /// Writes a batch in one transaction. Each append is checked on its own:
  /// a direct message needs a registered target other than the sender
  /// (else `no_such_user`, or `bad_request` for oneself); a group message
  /// needs the sender to be a member (else `forbidden`). Appends that pass
  /// get the next sequence of their conversation and a new id. The outer
  /// outcome fails only if the transaction failed, and then nothing of the
  /// batch was stored. The inner outcomes are in the order of the appends.
  ///
  /// Appends with a client id: if the sender already stored a message with
  /// that id, the earlier message is returned with `duplicate` set when its
  /// target and body are the same, and `client_id_conflict` otherwise;
  /// nothing is stored either way. This holds within one batch too.
  /// A direct message whose recipient has `batch.max_unacked` or more
  /// messages of that conversation beyond their cursor fails with
  /// `recipient_queue_full`.
  virtual outcome<std::vector<outcome<stored_message>>>
  commit(const write_batch& batch) = 0;

  /// Returns up to `limit` messages beyond `member`'s cursors in every
  /// conversation they take part in, excluding their own messages, after
  /// `after` in (conversation, sequence) order, in that order. The order
  /// lets the database walk its indexes without sorting: a page costs the
  /// rows it returns, however long the backlog.
  virtual outcome<std::vector<stored_message>>
  pending(std::string_view member, backlog_key after, std::size_t limit) = 0;

  /// Returns a page of a conversation's history in ascending sequence
  /// order: the latest `limit` messages matching the bounds. Fails with
  /// `no_such_user` if `peer` is neither user nor group, `forbidden` if the
  /// viewer is not a member of the group. Group members see only messages
  /// after they joined.
  virtual outcome<std::vector<stored_message>>
  history(const history_query& query) = 0;

  // -- measurement ----------------------------------------------------------

  /// Returns what this handle wrote since it was opened; all zero for an
  /// implementation that does not count.
  virtual store_stats stats() const;

  /// Copies what the write-ahead log holds into the database file as far
  /// as no reader needs it (the last step of a checkpoint that another
  /// connection mostly did: sqlite_checkpointer). Does nothing for an
  /// implementation without such a log.
  virtual outcome<done> checkpoint();

  /// Returns up to `n` users with the most messages beyond their cursors,
  /// deepest first, as far as this handle knows without a query (the
  /// SQLite writer: conversations it wrote to or moved a cursor in since it
  /// opened). Empty for an implementation that does not keep them.
  virtual std::vector<metrics::queue_depth> deepest_queues(std::size_t n) const;
};

} // namespace kurir::persistence
