// The delivery audit of kurir-sim: every kind of violation is detected, and
// what the protocol allows (redelivery of unacknowledged messages) is not.

#include <catch2/catch.hpp>

#include "sim/audit.hpp"

using namespace kurir::sim;

namespace {

/// An audit with users a, b, c and group g = {a, b, c}.
struct fixture {
  audit log;
  fixture() { log.add_group("g", {"a", "b", "c"}); }

  /// Sends and confirms send `n` of `from` to `to` as (id, seq).
  void send(const std::string& from, int64_t n, const std::string& to,
            int64_t id, int64_t seq) {
    log.sent(from, n, to, body(from, n), 0);
    log.confirmed(from, n, id, seq);
  }
  /// Delivers send `n` of `from` (to `to`) to `user` as (id, seq).
  arrival deliver(const std::string& user, uint64_t session,
                  const std::string& from, int64_t n, const std::string& to,
                  int64_t id, int64_t seq) {
    return log.delivered(user, session, {id, seq, from, to, body(from, n)})
      .kind;
  }
  static std::string body(const std::string& from, int64_t n) {
    return audit::make_body(from, n, 16);
  }
};

} // namespace

TEST_CASE("bodies are tagged with sender and number and padded",
          "[sim][audit]") {
  CHECK(audit::make_body("u1", 7, 12) == "u1:7:xxxxxxx");
  CHECK(audit::make_body("user", 123, 4) == "user:123:");
}

TEST_CASE("a clean log of direct and group messages passes", "[sim][audit]") {
  fixture f;
  f.send("a", 1, "b", 1, 1);
  f.send("b", 1, "a", 2, 2);
  f.send("a", 2, "g", 3, 1);
  CHECK(f.deliver("b", 1, "a", 1, "b", 1, 1) == arrival::first);
  CHECK(f.deliver("a", 1, "b", 1, "a", 2, 2) == arrival::first);
  CHECK(f.deliver("b", 1, "a", 2, "g", 3, 1) == arrival::first);
  CHECK(f.deliver("c", 1, "a", 2, "g", 3, 1) == arrival::first);
  CHECK(f.log.expected() == 4);
  CHECK(f.log.arrived() == 4);
  auto v = f.log.check();
  CHECK(v.clean());
  CHECK(v.examples.empty());
  CHECK(v.unresolved == 0);
}

TEST_CASE("a confirmed message never delivered is lost", "[sim][audit]") {
  fixture f;
  f.send("a", 1, "b", 1, 1);
  f.send("a", 2, "g", 2, 1);
  f.deliver("b", 1, "a", 2, "g", 2, 1); // c never gets the group message
  auto v = f.log.check();
  CHECK(v.lost == 2);
  REQUIRE(v.examples.size() == 2);
  CHECK(v.examples[0].kind == violation_kind::lost);
  CHECK(v.examples[0].detail.find("b never got a:1") != std::string::npos);
  CHECK(v.examples[1].detail.find("c never got a:2") != std::string::npos);
}

TEST_CASE("an unconfirmed or rejected send is not lost", "[sim][audit]") {
  fixture f;
  f.log.sent("a", 1, "b", fixture::body("a", 1), 0);
  f.log.sent("a", 2, "b", fixture::body("a", 2), 0);
  f.log.rejected("a", 2, "recipient_queue_full");
  auto v = f.log.check();
  CHECK(v.clean());
  CHECK(v.unresolved == 1);
}

TEST_CASE("delivery after a processed acknowledgement is duplicated",
          "[sim][audit]") {
  fixture f;
  f.send("a", 1, "b", 1, 1);
  CHECK(f.deliver("b", 1, "a", 1, "b", 1, 1) == arrival::first);
  f.log.acks_processed("b", {1});
  CHECK(f.deliver("b", 2, "a", 1, "b", 1, 1) == arrival::duplicated);
  auto v = f.log.check();
  CHECK(v.duplicated == 1);
  CHECK(v.lost == 0);
  REQUIRE(v.examples.size() == 1);
  CHECK(v.examples[0].kind == violation_kind::duplicated);
}

TEST_CASE("the same message twice in one login session is duplicated",
          "[sim][audit]") {
  fixture f;
  f.send("a", 1, "b", 1, 1);
  f.deliver("b", 1, "a", 1, "b", 1, 1);
  CHECK(f.deliver("b", 1, "a", 1, "b", 1, 1) == arrival::duplicated);
  CHECK(f.log.check().duplicated == 1);
}

TEST_CASE("unacknowledged messages may come again at the next login",
          "[sim][audit]") {
  fixture f;
  f.send("a", 1, "b", 1, 1);
  f.send("a", 2, "b", 2, 2);
  f.deliver("b", 1, "a", 1, "b", 1, 1);
  f.deliver("b", 1, "a", 2, "b", 2, 2);
  f.log.acks_processed("b", {1});
  // The ack of 2 was written but not proven processed: 2 may come again.
  CHECK(f.deliver("b", 2, "a", 2, "b", 2, 2) == arrival::again);
  CHECK(f.log.check().clean());
}

TEST_CASE("acknowledgements revoked by a broker kill allow redelivery",
          "[sim][audit]") {
  fixture f;
  f.send("a", 1, "b", 1, 1);
  f.send("a", 2, "b", 2, 2);
  f.deliver("b", 1, "a", 1, "b", 1, 1);
  f.deliver("b", 1, "a", 2, "b", 2, 2);
  f.log.acks_durable("b", {1});
  f.log.acks_processed("b", {2});
  f.log.acks_revoked("b", {1, 2}); // only 2 was not yet durable
  CHECK(f.deliver("b", 2, "a", 2, "b", 2, 2) == arrival::again);
  CHECK(f.deliver("b", 2, "a", 1, "b", 1, 1) == arrival::duplicated);
  CHECK(f.log.check().duplicated == 1);
}

TEST_CASE("a body that was never sent is unexpected", "[sim][audit]") {
  fixture f;
  auto a = f.log.delivered("b", 1, {5, 1, "a", "b", "a:9:xxxxxxxxxxx"});
  CHECK(a.kind == arrival::unexpected);
  auto b = f.log.delivered("b", 1, {6, 2, "a", "b", "no tag at all"});
  CHECK(b.kind == arrival::unexpected);
  auto v = f.log.check();
  CHECK(v.unexpected == 2);
  REQUIRE(!v.examples.empty());
  CHECK(v.examples[0].detail.find("never sent") != std::string::npos);
}

TEST_CASE("a delivery to a non-recipient is unexpected", "[sim][audit]") {
  fixture f;
  f.send("a", 1, "b", 1, 1);
  f.send("a", 2, "g", 2, 1);
  CHECK(f.deliver("c", 1, "a", 1, "b", 1, 1) == arrival::unexpected);
  // The sender of a group message is not among its recipients.
  CHECK(f.deliver("a", 1, "a", 2, "g", 2, 1) == arrival::unexpected);
  CHECK(f.log.check().unexpected == 2);
}

TEST_CASE("a delivery with changed fields is unexpected", "[sim][audit]") {
  fixture f;
  f.send("a", 1, "b", 1, 1);
  auto body = fixture::body("a", 1);
  auto changed = body.substr(0, body.size() - 1) + "y";
  CHECK(f.log.delivered("b", 1, {1, 1, "c", "b", body}).kind
        == arrival::unexpected);
  CHECK(f.log.delivered("b", 1, {1, 1, "a", "b", changed}).kind
        == arrival::unexpected);
  CHECK(f.log.delivered("b", 1, {9, 1, "a", "b", body}).kind
        == arrival::unexpected);
  CHECK(f.log.check().unexpected == 3);
}

TEST_CASE("a rejected send that is delivered is unexpected", "[sim][audit]") {
  fixture f;
  f.log.sent("a", 1, "b", fixture::body("a", 1), 0);
  f.log.rejected("a", 1, "recipient_queue_full");
  CHECK(f.deliver("b", 1, "a", 1, "b", 1, 1) == arrival::unexpected);
  // And the other way round: delivered first, rejected afterwards.
  f.log.sent("a", 2, "b", fixture::body("a", 2), 0);
  f.deliver("b", 1, "a", 2, "b", 2, 2);
  f.log.rejected("a", 2, "storage_error");
  CHECK(f.log.check().unexpected == 2);
}

TEST_CASE("a resend confirmed as another message was stored twice",
          "[sim][audit]") {
  fixture f;
  f.send("a", 1, "b", 1, 1);
  f.deliver("b", 1, "a", 1, "b", 1, 1);
  f.log.confirmed("a", 1, 1, 1); // the same answer again: fine
  CHECK(f.log.check().clean());
  f.log.confirmed("a", 1, 2, 2);
  CHECK(f.log.check().duplicated == 1);
}

TEST_CASE("first deliveries against seq order are reordered", "[sim][audit]") {
  fixture f;
  f.send("a", 1, "b", 1, 1);
  f.send("a", 2, "b", 2, 2);
  CHECK(f.deliver("b", 1, "a", 2, "b", 2, 2) == arrival::first);
  CHECK(f.deliver("b", 1, "a", 1, "b", 1, 1) == arrival::reordered);
  auto v = f.log.check();
  CHECK(v.reordered == 1);
  CHECK(v.lost == 0);
  REQUIRE(v.examples.size() == 1);
  CHECK(v.examples[0].kind == violation_kind::reordered);
}

TEST_CASE("order is kept per conversation and not across them",
          "[sim][audit]") {
  fixture f;
  f.send("a", 1, "c", 1, 1);
  f.send("a", 2, "c", 2, 2);
  f.send("b", 1, "c", 3, 1);
  CHECK(f.deliver("c", 1, "a", 2, "c", 2, 2) == arrival::first);
  CHECK(f.deliver("c", 1, "b", 1, "c", 3, 1) == arrival::first);
  CHECK(f.deliver("c", 2, "a", 2, "c", 2, 2) == arrival::again);
  CHECK(f.deliver("c", 2, "a", 1, "c", 1, 1) == arrival::reordered);
  CHECK(f.log.check().reordered == 1);
}

TEST_CASE("redelivery out of order within one login session is reordered",
          "[sim][audit]") {
  fixture f;
  f.send("a", 1, "b", 1, 1);
  f.send("a", 2, "b", 2, 2);
  f.deliver("b", 1, "a", 1, "b", 1, 1);
  f.deliver("b", 1, "a", 2, "b", 2, 2);
  CHECK(f.deliver("b", 2, "a", 2, "b", 2, 2) == arrival::again);
  CHECK(f.deliver("b", 2, "a", 1, "b", 1, 1) == arrival::reordered);
}
