#pragma once

// Acknowledgement bookkeeping: ids to acknowledge, the `--ack--` frames for
// them, and what the broker is known to have done with them.

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace kurir::client_core {

/// Ids waiting to be acknowledged, and the acknowledgements written. With
/// tracking on, each written batch carries the stamp of the next command
/// (see `reply_queue::next_stamp`): once a command with that stamp or later
/// is answered, the broker has processed the batch; once it confirms a send
/// with that stamp or later, the cursor moves are committed.
class ack_book {
public:
  /// One `--ack--` frame's worth of ids, written before command `stamp`.
  struct batch {
    uint64_t stamp = 0;       ///< the stamp of the next command then
    std::vector<int64_t> ids; ///< acknowledged in this batch
  };

  /// Creates a book; `track`: keep written batches until they are proven
  /// processed and committed (the harness's audit needs that).
  explicit ack_book(bool track = false) : track_(track) {
    // nop
  }

  /// Queues `id` for the next `write`.
  void add(int64_t id) { queued_.push_back(id); }

  /// Returns how many ids wait for `write`.
  std::size_t queued() const { return queued_.size(); }

  /// Appends `--ack--` frames for every queued id to `out` (at most
  /// `max_ack_ids` per frame) and, when tracking, remembers them as not yet
  /// processed with `stamp`. Returns how many ids were written.
  std::size_t write(std::string& out, uint64_t stamp);

  /// The command with `stamp` was answered (`committed`: it was a confirmed
  /// send). Calls `processed(ids)` for each batch written before it that
  /// was not known to be processed, then, if `committed`, `durable(ids)`
  /// for each processed batch written before it.
  template<class Processed, class Durable>
  void answered(uint64_t stamp, bool committed, Processed&& processed,
                Durable&& durable) {
    while (!unproven_.empty() && unproven_.front().stamp <= stamp) {
      processed(unproven_.front().ids);
      processed_.push_back(std::move(unproven_.front()));
      unproven_.pop_front();
    }
    while (committed && !processed_.empty()
           && processed_.front().stamp <= stamp) {
      durable(processed_.front().ids);
      processed_.pop_front();
    }
  }

  /// Forgets the queued ids, keeping the written batches (after a logout
  /// was written: what comes before the next login is not acknowledged).
  void discard_queued() { queued_.clear(); }

  /// The connection ended: forgets the queued ids and the batches never
  /// proven processed (the broker delivers those again).
  void connection_lost() {
    queued_.clear();
    unproven_.clear();
  }

  /// The broker restarted: returns the processed batches not known to be
  /// committed, and forgets them (their cursor moves may be lost).
  std::deque<batch> take_uncommitted() {
    auto out = std::move(processed_);
    processed_.clear();
    return out;
  }

  /// Returns how many written batches are not yet proven processed.
  std::size_t unproven() const { return unproven_.size(); }

private:
  bool track_;
  std::vector<int64_t> queued_;
  std::deque<batch> unproven_;
  std::deque<batch> processed_;
};

} // namespace kurir::client_core
