#pragma once

// The delivery audit: what senders were told and what recipients received,
// checked against kurir's promises (docs/GUARANTEES.md, "How it is
// proven"). Pure: no sockets, no clocks; time stamps are opaque numbers.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kurir::sim {

/// A delivery (`--msg--`) as the audit sees it, fields unescaped.
struct delivery {
  int64_t id = 0;        ///< server message id
  int64_t seq = 0;       ///< sequence in its conversation
  std::string_view from; ///< the sender
  std::string_view to;   ///< the recipient (direct) or the group
  std::string_view body; ///< the body (unescaped), as made by `make_body`
};

/// The four kinds of violation.
enum class violation_kind { lost, duplicated, unexpected, reordered };

/// Returns "lost", "duplicated", "unexpected" or "reordered".
const char* to_string(violation_kind k);

/// One offending message, described for people.
struct violation {
  violation_kind kind; ///< what went wrong
  std::string detail;  ///< which message, which user, why
};

/// What the audit concluded.
struct verdict {
  uint64_t lost = 0;       ///< (confirmed send, intended recipient) missing
  uint64_t duplicated = 0; ///< deliveries after a proven acknowledgement
  uint64_t unexpected = 0; ///< deliveries never sent, or not to this user
  uint64_t reordered = 0;  ///< first-time deliveries against seq order
  uint64_t unresolved = 0; ///< sends neither confirmed nor rejected
  std::vector<violation> examples; ///< the first few of each kind
  /// Returns whether nothing was lost, duplicated, unexpected or reordered.
  bool clean() const { return lost + duplicated + unexpected + reordered == 0; }
};

/// How the audit classified one delivery.
enum class arrival {
  first,      ///< the first time this user got this message
  again,      ///< a redelivery the protocol allows (not acknowledged yet)
  duplicated, ///< a violation: see `violation_kind::duplicated`
  unexpected, ///< a violation: see `violation_kind::unexpected`
  reordered,  ///< a first delivery, but a violation of the order
};

/// What `audit::delivered` found.
struct arrival_info {
  arrival kind = arrival::unexpected; ///< the classification
  int64_t sent_stamp = 0; ///< the stamp given to `sent`, if a send matched
};

/// Records sends, confirmations, deliveries and acknowledgements, and checks
/// them. Users and groups are named by strings; a group must be declared
/// before anything is sent to it.
class audit {
public:
  /// The body of send `n` of `sender`: `<sender>:<n>:` padded with `x` to
  /// `size` bytes (longer if the tag needs it).
  static std::string make_body(const std::string& sender, int64_t n,
                               std::size_t size);

  /// Declares group `name` with `members` (the sender of a group message is
  /// excluded from its recipients).
  void add_group(const std::string& name,
                 const std::vector<std::string>& members);

  /// Records that `sender` wrote send number `n` (its client id) to
  /// `target` with `body`; `stamp` is returned with its deliveries.
  /// Idempotent: a resend of the same `n` is recorded once.
  void sent(const std::string& sender, int64_t n, const std::string& target,
            const std::string& body, int64_t stamp);

  /// Records `--ok--|send|id|seq|n` for send `n` of `sender`.
  void confirmed(const std::string& sender, int64_t n, int64_t id, int64_t seq);

  /// Records an `--error--` reply with `code` to send `n` of `sender`.
  void rejected(const std::string& sender, int64_t n, const std::string& code);

  /// Records that `user` received `d` in login session `session` (a number
  /// that differs for every login of the user) and classifies it.
  arrival_info delivered(const std::string& user, uint64_t session,
                         const delivery& d);

  /// The broker has processed `user`'s acknowledgement of `ids` (a reply
  /// to a later command on the same connection arrived).
  void acks_processed(const std::string& user, const std::vector<int64_t>& ids);

  /// `user`'s acknowledgement of `ids` is committed (a later send of the
  /// user was confirmed, so the cursor moved in the same or an earlier
  /// transaction).
  void acks_durable(const std::string& user, const std::vector<int64_t>& ids);

  /// Processed acknowledgements of `ids` that may have been lost (the broker
  /// was killed before they were durable); redelivery is allowed again.
  void acks_revoked(const std::string& user, const std::vector<int64_t>& ids);

  /// Returns how many (confirmed send, intended recipient) pairs exist.
  uint64_t expected() const { return expected_; }
  /// Returns how many of those have been delivered at least once.
  uint64_t arrived() const { return arrived_; }
  /// Returns how many sends were confirmed.
  uint64_t confirmed_count() const { return confirmed_; }

  /// Returns the verdict: violations seen so far plus every lost message.
  verdict check(std::size_t max_examples = 5) const;

private:
  /// Seqs of one conversation as a growable bit set.
  struct bits {
    std::vector<uint64_t> words; ///< bit i of word i / 64 is seq i
    /// Returns whether `i` is set.
    bool test(int64_t i) const;
    /// Sets (or clears) `i`.
    void set(int64_t i, bool value = true);
  };
  /// What one user has of one conversation.
  struct user_conv {
    bits received;            ///< seqs delivered at least once
    bits processed;           ///< seqs whose ack the broker processed
    bits durable;             ///< seqs whose ack is committed
    int64_t max_first = 0;    ///< highest seq delivered the first time
    uint64_t session = ~0ull; ///< the login session of `session_last`
    int64_t session_last = 0; ///< highest seq seen in that session
  };
  /// Where a send stands.
  enum class send_state { sent, confirmed, rejected };
  /// One send, by (sender, n).
  struct send_rec {
    int sender = 0;            ///< user id
    int64_t n = 0;             ///< the sender's send number (client id)
    int target_user = -1;      ///< for a direct send
    int target_group = -1;     ///< for a group send
    int conv = 0;              ///< conversation id
    std::size_t body_hash = 0; ///< of the body written
    int64_t stamp = 0;         ///< given to `sent`
    send_state state = send_state::sent;
    int64_t id = 0;         ///< confirmed or first delivered id
    int64_t seq = 0;        ///< confirmed or first delivered seq
    bool delivered = false; ///< delivered to anyone
  };

  /// Returns the id of user `name`, adding it if new.
  int user_id(const std::string& name);
  /// Returns the id of conversation `key`, adding it if new.
  int conv_id(const std::string& key);
  /// Returns the key of the direct conversation of users `a` and `b`.
  std::string user_conv_key(int a, int b) const;
  /// Returns whether `user` is an intended recipient of `s`.
  bool is_recipient(const send_rec& s, int user) const;
  /// Returns the intended recipients of `s`.
  std::vector<int> recipients(const send_rec& s) const;
  /// Returns the send whose tag starts `body`, or nullptr.
  send_rec* find_send(std::string_view body);
  /// Checks a delivery of `s` to `user` against the send; false and `why`
  /// if it does not match.
  bool check_fields(const send_rec& s, int user, const delivery& d,
                    std::string& why);
  /// Classifies a matching delivery: first, again, duplicated, reordered.
  arrival classify(int user, uint64_t session, send_rec& s,
                   const std::string& name, const delivery& d);
  /// Classifies a delivery that is not the first of its message.
  arrival repeat(const user_conv& uc, int64_t last, const std::string& name,
                 const delivery& d);
  /// Counts a violation and keeps the first few.
  void violate(violation_kind k, std::string detail);
  /// Marks `ids` of `user` as processed (0), durable (1) or revoked (2).
  void set_ack_bits(const std::string& user, const std::vector<int64_t>& ids,
                    int how);

  std::unordered_map<std::string, int> user_ids_;        ///< name -> id
  std::vector<std::string> user_names_;                  ///< id -> name
  std::unordered_map<std::string, int> group_ids_;       ///< name -> id
  std::vector<std::string> group_names_;                 ///< id -> name
  std::vector<std::vector<int>> group_members_;          ///< sorted user ids
  std::unordered_map<std::string, int> conv_ids_;        ///< key -> id
  std::vector<send_rec> sends_;                          ///< every send
  std::unordered_map<uint64_t, std::size_t> send_index_; ///< (user, n)
  std::unordered_map<int64_t, std::size_t> id_owner_;    ///< id -> send
  std::vector<std::unordered_map<int, user_conv>> per_user_; ///< by user id
  uint64_t expected_ = 0;                                    ///< see `expected`
  uint64_t arrived_ = 0;                                     ///< see `arrived`
  uint64_t confirmed_ = 0;            ///< see `confirmed_count`
  uint64_t counts_[4] = {0, 0, 0, 0}; ///< violations by kind
  std::vector<violation> seen_;       ///< up to a few of each kind
};

} // namespace kurir::sim
