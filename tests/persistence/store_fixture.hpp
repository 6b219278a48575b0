#pragma once

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "persistence/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace kurir::test {

/// Opens a store on `path` and requires success.
inline std::unique_ptr<persistence::sqlite_store>
open_store(const std::string& path, int busy_timeout_ms = 5000,
           bool read_only = false) {
  persistence::sqlite_options opts;
  opts.path = path;
  opts.busy_timeout_ms = busy_timeout_ms;
  opts.read_only = read_only;
  auto st = persistence::sqlite_store::open(opts);
  INFO((st ? std::string{} : st.error().detail));
  REQUIRE(st);
  return std::move(*st);
}

/// A fresh database file in a fresh directory, opened for writing.
struct store_fixture {
  temp_dir dir;
  std::string path = dir.file("kurir.db");
  std::unique_ptr<persistence::sqlite_store> db = open_store(path);
  int64_t clock = 1000;

  /// Registers `name` (the hash is a placeholder: the store never reads it).
  void add_user(const std::string& name) {
    auto r = db->add_user({name, "$argon2id$placeholder", "127.0.0.1", 1});
    INFO(name);
    REQUIRE(r);
  }

  /// Creates or completes group `name`.
  void ensure_group(const std::string& name, std::vector<std::string> members,
                    const std::string& owner = {}) {
    REQUIRE(db->ensure_group({name, owner, std::move(members)}));
  }

  /// Returns an append of `body` from `from` to `to` at the next tick.
  persistence::append_request request(const std::string& from,
                                      const std::string& to,
                                      const std::string& body,
                                      const std::string& client_id = {}) {
    return persistence::append_request{from, to, body, ++clock, client_id};
  }

  /// Commits `batch`; requires the transaction to succeed and returns the
  /// appends' own outcomes.
  std::vector<outcome<persistence::stored_message>>
  commit(const persistence::write_batch& batch) {
    auto res = db->commit(batch);
    INFO((res ? std::string{} : res.error().detail));
    REQUIRE(res);
    REQUIRE(res->size() == batch.appends.size());
    return std::move(*res);
  }

  /// Commits one append (with `client_id`, if any, and a queue limit of
  /// `max_unacked`) and returns its outcome.
  outcome<persistence::stored_message>
  send(const std::string& from, const std::string& to, const std::string& body,
       const std::string& client_id = {}, int64_t max_unacked = 0) {
    persistence::write_batch batch;
    batch.appends.push_back(request(from, to, body, client_id));
    batch.max_unacked = max_unacked;
    return commit(batch)[0];
  }

  /// Applies a membership change requested by `actor`.
  outcome<persistence::group_record>
  change(persistence::membership_change::kind_t kind, const std::string& actor,
         const std::string& group, const std::string& member = {}) {
    return db->change_group(
      persistence::membership_change{kind, actor, group, member});
  }

  /// Moves `member`'s cursor in `conv` to `seq`.
  void ack(const std::string& member, int64_t conv, int64_t seq) {
    persistence::write_batch batch;
    batch.cursors.push_back({member, conv, seq});
    REQUIRE(db->commit(batch));
  }

  /// Returns every body pending for `member`, in delivery order.
  std::vector<std::string> pending_bodies(const std::string& member) {
    auto res = db->pending(member, {}, 1000);
    REQUIRE(res);
    return bodies(*res);
  }

  /// Returns the bodies of a history page.
  std::vector<std::string> history_bodies(persistence::history_query q) {
    auto res = db->history(q);
    INFO((res ? std::string{} : res.error().detail));
    REQUIRE(res);
    return bodies(*res);
  }

  static std::vector<std::string>
  bodies(const std::vector<persistence::stored_message>& xs) {
    std::vector<std::string> out;
    for (const auto& x : xs)
      out.push_back(x.body);
    return out;
  }
};

/// Returns the error code of a failed outcome, or errc::none.
template<class T>
errc code_of(const outcome<T>& x) {
  return x ? errc::none : x.error().code;
}

} // namespace kurir::test
