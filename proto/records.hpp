#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kurir::persistence {

/// A registered user. `hash` is an argon2id string (`$argon2id$...`).
struct user_record {
  std::string name; ///< folded name
  std::string hash; ///< password hash, never a password
  std::string
    reg_addr;         ///< address the user registered from ("seed" if imported)
  int64_t reg_ms = 0; ///< registration time, unix milliseconds
};

/// A group and its members. Members need not be registered users.
struct group_record {
  std::string name;                 ///< folded name
  std::string owner;                ///< empty for groups from grup.txt
  std::vector<std::string> members; ///< folded names, sorted
};

/// One stored message as read back from a conversation's log.
struct stored_message {
  int64_t id = 0;    ///< server message id, unique and increasing
  int64_t conv = 0;  ///< conversation id
  int64_t seq = 0;   ///< sequence number within the conversation, from 1
  int64_t ts_ms = 0; ///< server time of acceptance, unix milliseconds
  std::string from;  ///< sender (the session's user)
  std::string to;    ///< direct: the recipient; group: the group's name
  bool group = false;
  std::string body;
  /// Set by `commit` when the append repeated an earlier client id: this is
  /// the message stored the first time, and nothing new was stored.
  bool duplicate = false;
};

/// Messages in order (a commit's, a page of what waits, a fan-out).
using message_list = std::vector<stored_message>;

/// A request to append a message; `target` is a folded user or group name.
struct append_request {
  std::string sender;
  std::string target;
  std::string body;
  int64_t ts_ms = 0;
  /// The client's own id for this message (empty: none). A second append
  /// from the same sender with the same id stores nothing.
  std::string client_id;
};

/// A position in a member's backlog, which is read in (conversation,
/// sequence) order: every message after (conv, seq) in that order.
struct backlog_key {
  int64_t conv = 0;
  int64_t seq = 0;
  /// Orders keys as the backlog is read.
  bool operator<(const backlog_key& other) const {
    return conv < other.conv || (conv == other.conv && seq < other.seq);
  }
};

/// Moves `member`'s delivery cursor in `conv` forward to `seq` (never back).
struct cursor_update {
  std::string member;
  int64_t conv = 0;
  int64_t seq = 0;
};

/// Everything one group commit writes, in one transaction.
struct write_batch {
  std::vector<append_request> appends;
  std::vector<cursor_update> cursors;
  /// A direct message fails with `recipient_queue_full` when the recipient
  /// already has this many messages of that conversation beyond their
  /// cursor (0: no limit).
  int64_t max_unacked = 0;
};

/// A change to a group's membership, requested by `actor`.
struct membership_change {
  enum kind_t : uint8_t { create, add, remove } kind = create;
  std::string actor;  ///< who asks (a logged-in user)
  std::string group;  ///< folded group name
  std::string member; ///< add/remove: who; create: unused
};

/// Which page of a conversation's history to read.
struct history_query {
  std::string viewer;     ///< who reads; must take part in the conversation
  std::string peer;       ///< the other user, or the group
  int64_t before_seq = 0; ///< only seq < before_seq (0: no upper bound)
  int64_t after_seq = 0;  ///< only seq > after_seq
  std::size_t limit = 100;
};

} // namespace kurir::persistence
