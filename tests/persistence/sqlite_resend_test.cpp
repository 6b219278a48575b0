// sqlite_store: idempotent resend by client id and the per-recipient limit
// of unacknowledged direct messages.

#include "store_fixture.hpp"

using namespace kurir;
using namespace kurir::persistence;
using kurir::test::code_of;
using kurir::test::open_store;
using kurir::test::store_fixture;
using strings = std::vector<std::string>;

namespace {

history_query page(std::string viewer, std::string peer) {
  history_query q;
  q.viewer = std::move(viewer);
  q.peer = std::move(peer);
  return q;
}

/// A store with alice, bob and carol registered and group team of all three.
struct resend_fixture : store_fixture {
  resend_fixture() {
    for (auto name : {"alice", "bob", "carol"})
      add_user(name);
    ensure_group("team", {"alice", "bob", "carol"});
  }

  /// Checks that `dup` repeats `orig` exactly, flagged as a duplicate.
  static void check_repeats(const outcome<stored_message>& dup,
                            const outcome<stored_message>& orig) {
    REQUIRE(orig);
    REQUIRE(dup);
    CHECK_FALSE(orig->duplicate);
    CHECK(dup->duplicate);
    CHECK(dup->id == orig->id);
    CHECK(dup->conv == orig->conv);
    CHECK(dup->seq == orig->seq);
    CHECK(dup->ts_ms == orig->ts_ms);
    CHECK(dup->from == orig->from);
    CHECK(dup->to == orig->to);
    CHECK(dup->group == orig->group);
    CHECK(dup->body == orig->body);
  }
};

} // namespace

// -- client ids ---------------------------------------------------------------

TEST_CASE_METHOD(resend_fixture,
                 "a resend with the same client id returns the original",
                 "[persistence][sqlite][resend]") {
  auto direct = send("alice", "bob", "hi", "c1");
  auto grouped = send("alice", "team", "all", "c2");
  check_repeats(send("alice", "bob", "hi", "c1"), direct);
  check_repeats(send("alice", "team", "all", "c2"), grouped);
  CHECK(grouped->group);
  // Nothing new was stored: not in history and not in anyone's queue.
  CHECK(history_bodies(page("alice", "bob")) == strings{"hi"});
  CHECK(history_bodies(page("carol", "team")) == strings{"all"});
  CHECK(pending_bodies("bob") == strings{"all", "hi"});
  // Numbering goes on from the original; the id is remembered for good.
  auto next = send("alice", "bob", "more");
  REQUIRE(next);
  CHECK(next->seq == 2);
  db.reset();
  db = open_store(path);
  check_repeats(send("alice", "bob", "hi", "c1"), direct);
  CHECK(history_bodies(page("bob", "alice")) == strings{"hi", "more"});
}

TEST_CASE_METHOD(resend_fixture,
                 "a client id reused for another message is a conflict",
                 "[persistence][sqlite][resend]") {
  REQUIRE(send("alice", "bob", "hi", "c1"));
  auto other_body = send("alice", "bob", "bye", "c1");
  REQUIRE(code_of(other_body) == errc::client_id_conflict);
  CHECK_THAT(other_body.error().detail, Catch::Contains("c1"));
  CHECK(code_of(send("alice", "carol", "hi", "c1"))
        == errc::client_id_conflict);
  CHECK(code_of(send("alice", "team", "hi", "c1")) == errc::client_id_conflict);
  CHECK(history_bodies(page("alice", "bob")) == strings{"hi"});
  CHECK(history_bodies(page("alice", "carol")).empty());
  CHECK(history_bodies(page("alice", "team")).empty());
  CHECK(pending_bodies("carol").empty());
}

TEST_CASE_METHOD(resend_fixture, "a client id repeated within one batch",
                 "[persistence][sqlite][resend]") {
  write_batch batch;
  batch.appends
    = {request("alice", "bob", "x", "k"), request("alice", "bob", "x", "k"),
       request("alice", "bob", "y", "k"), request("alice", "bob", "z")};
  auto r = commit(batch);
  check_repeats(r[1], r[0]);
  CHECK(code_of(r[2]) == errc::client_id_conflict);
  REQUIRE(r[3]);
  CHECK(r[3]->seq == 2);
  CHECK(history_bodies(page("bob", "alice")) == strings{"x", "z"});
}

TEST_CASE_METHOD(resend_fixture,
                 "a refused append does not claim its client id",
                 "[persistence][sqlite][resend]") {
  write_batch batch;
  batch.appends
    = {request("alice", "ghost", "x", "k"), request("alice", "bob", "x", "k")};
  auto r = commit(batch);
  CHECK(code_of(r[0]) == errc::no_such_user);
  REQUIRE(r[1]);
  CHECK_FALSE(r[1]->duplicate);
  CHECK(history_bodies(page("alice", "bob")) == strings{"x"});
}

TEST_CASE_METHOD(resend_fixture, "the same client id from two senders is fine",
                 "[persistence][sqlite][resend]") {
  auto a = send("alice", "bob", "same", "1");
  auto b = send("bob", "alice", "same", "1");
  auto c = send("carol", "bob", "same", "1");
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(c);
  CHECK_FALSE(b->duplicate);
  CHECK_FALSE(c->duplicate);
  CHECK(b->id != a->id);
  CHECK(pending_bodies("bob") == strings{"same", "same"});
  // Messages without a client id never collide with each other.
  REQUIRE(send("alice", "bob", "plain"));
  auto again = send("alice", "bob", "plain");
  REQUIRE(again);
  CHECK_FALSE(again->duplicate);
  CHECK(history_bodies(page("alice", "bob")).size() == 4);
}

TEST_CASE_METHOD(resend_fixture,
                 "a resend is answered even where a first send would fail",
                 "[persistence][sqlite][resend]") {
  auto grouped = send("bob", "team", "hello", "g");
  auto direct = send("alice", "bob", "d", "q", 1);
  // bob's queue from alice is full and bob has left the group: the resends
  // still learn that their first sends were stored.
  CHECK(code_of(send("alice", "bob", "d2", "", 1))
        == errc::recipient_queue_full);
  REQUIRE(change(membership_change::remove, "bob", "team", "bob"));
  check_repeats(send("alice", "bob", "d", "q", 1), direct);
  check_repeats(send("bob", "team", "hello", "g"), grouped);
}

// -- queue limit --------------------------------------------------------------

TEST_CASE_METHOD(resend_fixture,
                 "a direct message past the recipient's queue limit is refused",
                 "[persistence][sqlite][queue]") {
  int64_t conv = 0;
  for (int i = 1; i <= 3; ++i) {
    auto m = send("alice", "bob", "m" + std::to_string(i), "", 3);
    REQUIRE(m);
    conv = m->conv;
  }
  auto full = send("alice", "bob", "m4", "", 3);
  REQUIRE(code_of(full) == errc::recipient_queue_full);
  CHECK_THAT(full.error().detail, Catch::Contains("bob"));
  // Older messages are intact and nothing of the refused one was stored.
  CHECK(pending_bodies("bob") == strings{"m1", "m2", "m3"});
  // Other recipients are unaffected; so is a direct message without limit.
  CHECK(send("alice", "carol", "c1", "", 3));
  CHECK(send("alice", "bob", "unlimited", "", 0));
  // After bob acknowledges, alice may send again up to the limit.
  ack("bob", conv, 2);
  CHECK(send("alice", "bob", "m5", "", 3));
  CHECK(code_of(send("alice", "bob", "m6", "", 3))
        == errc::recipient_queue_full);
  CHECK(pending_bodies("bob") == strings{"m3", "unlimited", "m5"});
}

TEST_CASE_METHOD(resend_fixture,
                 "the queue limit counts earlier appends of the batch",
                 "[persistence][sqlite][queue]") {
  write_batch batch;
  batch.max_unacked = 2;
  batch.appends = {request("alice", "bob", "1"), request("carol", "bob", "2"),
                   request("alice", "bob", "3"), request("alice", "bob", "4"),
                   request("carol", "bob", "5"), request("bob", "alice", "6")};
  auto r = commit(batch);
  CHECK(r[0]);
  CHECK(r[1]);
  CHECK(r[2]);
  CHECK(code_of(r[3]) == errc::recipient_queue_full);
  CHECK(r[4]);
  CHECK(r[5]);
  CHECK(pending_bodies("bob") == strings{"1", "3", "2", "5"});
}

TEST_CASE_METHOD(resend_fixture,
                 "an acknowledgement in the same batch frees the queue",
                 "[persistence][sqlite][queue]") {
  auto m1 = send("alice", "bob", "m1", "", 1);
  REQUIRE(m1);
  CHECK(code_of(send("alice", "bob", "m2", "", 1))
        == errc::recipient_queue_full);
  write_batch batch;
  batch.max_unacked = 1;
  batch.appends = {request("alice", "bob", "m2")};
  batch.cursors = {{"bob", m1->conv, m1->seq}};
  auto r = commit(batch);
  CHECK(r[0]);
  CHECK(pending_bodies("bob") == strings{"m2"});
}

TEST_CASE_METHOD(resend_fixture, "one's own messages do not fill one's queue",
                 "[persistence][sqlite][queue]") {
  // alice writes to an absent bob up to the limit; bob reads it all and
  // answers: alice's own messages are not waiting for her.
  for (int i = 1; i <= 3; ++i)
    REQUIRE(send("alice", "bob", "m" + std::to_string(i), "", 3));
  auto last = db->pending("bob", {}, 10);
  REQUIRE(last);
  REQUIRE(last->size() == 3);
  ack("bob", last->back().conv, last->back().seq);
  CHECK(send("bob", "alice", "thanks", "", 3));
  // A cursor behind an undelivered message stays there.
  CHECK(send("alice", "bob", "m4", "", 3));
  CHECK(pending_bodies("alice") == strings{"thanks"});
  CHECK(pending_bodies("bob") == strings{"m4"});
}

TEST_CASE_METHOD(resend_fixture, "group messages are never refused for a queue",
                 "[persistence][sqlite][queue]") {
  for (int i = 1; i <= 5; ++i)
    CHECK(send("alice", "team", "g" + std::to_string(i), "", 2));
  CHECK(pending_bodies("bob") == strings{"g1", "g2", "g3", "g4", "g5"});
  CHECK(pending_bodies("carol").size() == 5);
}

TEST_CASE_METHOD(resend_fixture,
                 "after a restart one's own messages still do not fill one's "
                 "queue",
                 "[persistence][sqlite][queue]") {
  // bob writes, alice acknowledges it and writes twice: her cursor followed
  // her own messages in the writer's cache only; on disk it stays at bob's.
  auto b1 = send("bob", "alice", "b1", "", 2);
  REQUIRE(b1);
  ack("alice", b1->conv, b1->seq);
  REQUIRE(send("alice", "bob", "a1", "", 2));
  REQUIRE(send("alice", "bob", "a2", "", 2));
  db.reset();
  db = open_store(path);
  // Read back, her cursor passes her own two messages again: nothing of
  // the conversation waits for her, so bob may write (limit 2).
  CHECK(send("bob", "alice", "b2", "", 2));
  CHECK(pending_bodies("alice") == strings{"b2"});
  CHECK(pending_bodies("bob") == strings{"a1", "a2"});
}
