// sqlite_store: the message log, delivery cursors, pending and history.

#include <chrono>

#include <sqlite3.h>

#include "store_fixture.hpp"

using namespace kurir;
using namespace kurir::persistence;
using kurir::test::code_of;
using kurir::test::open_store;
using kurir::test::store_fixture;
using strings = std::vector<std::string>;

namespace {

history_query page(std::string viewer, std::string peer,
                   std::size_t limit = 100, int64_t before = 0,
                   int64_t after = 0) {
  history_query q;
  q.viewer = std::move(viewer);
  q.peer = std::move(peer);
  q.limit = limit;
  q.before_seq = before;
  q.after_seq = after;
  return q;
}

/// A second, raw connection to the same file, closed on destruction.
struct raw_connection {
  sqlite3* db = nullptr;
  explicit raw_connection(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  }
  ~raw_connection() { sqlite3_close(db); }
  void exec(const char* sql) {
    REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  }
};

} // namespace

TEST_CASE_METHOD(store_fixture, "direct messages get ids and sequences",
                 "[persistence][sqlite]") {
  add_user("alice");
  add_user("bob");
  add_user("carol");
  auto m1 = send("alice", "bob", "a1");
  REQUIRE(m1);
  CHECK(m1->seq == 1);
  CHECK(m1->from == "alice");
  CHECK(m1->to == "bob");
  CHECK_FALSE(m1->group);
  CHECK(m1->ts_ms == clock);
  CHECK(m1->body == "a1");
  auto m2 = send("bob", "alice", "b1");
  REQUIRE(m2);
  CHECK(m2->conv == m1->conv);
  CHECK(m2->seq == 2);
  CHECK(m2->id > m1->id);
  CHECK(m2->to == "alice");
  auto m3 = send("alice", "carol", "c1");
  REQUIRE(m3);
  CHECK(m3->conv != m1->conv);
  CHECK(m3->seq == 1);
  CHECK(m3->id > m2->id);
}

TEST_CASE_METHOD(store_fixture, "bodies are stored literally",
                 "[persistence][sqlite]") {
  add_user("alice");
  add_user("bob");
  std::string nasty = "'); DROP TABLE users; -- %s%n \\ ; |";
  nasty += std::string("\0tail\n", 6);
  REQUIRE(send("alice", "bob", nasty));
  CHECK(pending_bodies("bob") == strings{nasty});
  CHECK(db->find_user("alice"));
}

TEST_CASE_METHOD(store_fixture, "a message to oneself is a self_send",
                 "[persistence][sqlite]") {
  add_user("alice");
  auto r = send("alice", "alice", "me");
  REQUIRE(code_of(r) == errc::self_send);
  CHECK_THAT(r.error().detail, Catch::Contains("yourself"));
  CHECK(pending_bodies("alice").empty());
  CHECK(code_of(db->history(page("alice", "alice"))) == errc::bad_request);
}

TEST_CASE_METHOD(store_fixture, "a message to nobody is stored nowhere",
                 "[persistence][sqlite]") {
  add_user("alice");
  CHECK(code_of(send("alice", "ghost", "boo")) == errc::no_such_user);
  CHECK(pending_bodies("ghost").empty());
  CHECK(code_of(db->history(page("alice", "ghost"))) == errc::no_such_user);
  // Not even an empty conversation was left behind.
  add_user("ghost");
  CHECK(history_bodies(page("alice", "ghost")).empty());
  CHECK(pending_bodies("ghost").empty());
}

TEST_CASE_METHOD(store_fixture, "each append of a batch is judged on its own",
                 "[persistence][sqlite]") {
  for (auto name : {"alice", "bob", "mallory"})
    add_user(name);
  ensure_group("team", {"alice", "bob"});
  write_batch batch;
  batch.appends = {{"alice", "team", "t1", 1, ""},
                   {"mallory", "team", "evil", 2, ""},
                   {"alice", "bob", "d1", 3, ""},
                   {"alice", "nobody", "lost", 4, ""},
                   {"bob", "team", "t2", 5, ""}};
  auto res = db->commit(batch);
  REQUIRE(res);
  REQUIRE(res->size() == 5);
  auto& r = *res;
  REQUIRE(r[0]);
  CHECK(r[0]->group);
  CHECK(r[0]->to == "team");
  CHECK(r[0]->seq == 1);
  CHECK(code_of(r[1]) == errc::forbidden);
  REQUIRE(r[2]);
  CHECK(r[2]->seq == 1);
  CHECK(code_of(r[3]) == errc::no_such_user);
  REQUIRE(r[4]);
  CHECK(r[4]->seq == 2);
  CHECK(r[4]->conv == r[0]->conv);
  CHECK(pending_bodies("bob") == strings{"t1", "d1"});
  CHECK(pending_bodies("alice") == strings{"t2"});
  CHECK(pending_bodies("mallory").empty());
  CHECK(history_bodies(page("bob", "team")) == strings{"t1", "t2"});
  CHECK(code_of(db->history(page("mallory", "team"))) == errc::forbidden);
}

TEST_CASE_METHOD(store_fixture,
                 "pending: others' messages by conversation and seq and paged",
                 "[persistence][sqlite]") {
  for (auto name : {"alice", "bob", "carol"})
    add_user(name);
  ensure_group("team", {"alice", "bob", "carol"});
  REQUIRE(send("alice", "bob", "1"));
  REQUIRE(send("carol", "team", "2"));
  REQUIRE(send("bob", "alice", "own"));
  REQUIRE(send("alice", "team", "4"));
  REQUIRE(send("carol", "bob", "5"));
  // team was created first, then the conversations alice-bob, carol-bob.
  auto all = db->pending("bob", {}, 100);
  REQUIRE(all);
  CHECK(store_fixture::bodies(*all) == strings{"2", "4", "1", "5"});
  for (std::size_t i = 1; i < all->size(); ++i) {
    backlog_key a{(*all)[i - 1].conv, (*all)[i - 1].seq};
    backlog_key b{(*all)[i].conv, (*all)[i].seq};
    CHECK(a < b);
  }
  auto key = [](const stored_message& m) { return backlog_key{m.conv, m.seq}; };
  auto p1 = db->pending("bob", {}, 3);
  REQUIRE(p1);
  CHECK(store_fixture::bodies(*p1) == strings{"2", "4", "1"});
  auto p2 = db->pending("bob", key((*p1)[0]), 2); // from inside a conversation
  REQUIRE(p2);
  CHECK(store_fixture::bodies(*p2) == strings{"4", "1"});
  auto p3 = db->pending("bob", key(p1->back()), 2);
  REQUIRE(p3);
  CHECK(store_fixture::bodies(*p3) == strings{"5"});
  auto p4 = db->pending("bob", key(p3->back()), 2);
  REQUIRE(p4);
  CHECK(p4->empty());
  CHECK(db->pending("bob", {}, 0)->empty());
  CHECK(pending_bodies("alice") == strings{"2", "own"});
}

TEST_CASE_METHOD(store_fixture, "cursors only move forward",
                 "[persistence][sqlite]") {
  add_user("alice");
  add_user("bob");
  auto m1 = send("alice", "bob", "m1");
  REQUIRE(m1);
  REQUIRE(send("alice", "bob", "m2"));
  REQUIRE(send("alice", "bob", "m3"));
  auto conv = m1->conv;
  ack("bob", conv, 2);
  CHECK(pending_bodies("bob") == strings{"m3"});
  ack("bob", conv, 1);
  CHECK(pending_bodies("bob") == strings{"m3"});
  ack("bob", conv, 3);
  CHECK(pending_bodies("bob").empty());
  // An acknowledgement beyond the newest message cannot swallow later ones.
  ack("bob", conv, 100);
  REQUIRE(send("alice", "bob", "m4"));
  CHECK(pending_bodies("bob") == strings{"m4"});
  // Unknown members and conversations are ignored.
  ack("nobody", conv, 1);
  ack("bob", conv + 1000, 1);
  CHECK(pending_bodies("bob") == strings{"m4"});
  // Cursors are per member: alice's is untouched.
  REQUIRE(send("bob", "alice", "reply"));
  CHECK(pending_bodies("alice") == strings{"reply"});
}

TEST_CASE_METHOD(store_fixture,
                 "a seeded member registered later gets earlier group messages",
                 "[persistence][sqlite]") {
  add_user("alice");
  ensure_group("team", {"alice", "newbie"}); // newbie has no user row yet
  REQUIRE(send("alice", "team", "hi"));
  REQUIRE(send("alice", "team", "again"));
  add_user("newbie");
  CHECK(pending_bodies("newbie") == strings{"hi", "again"});
  CHECK(history_bodies(page("newbie", "team")) == strings{"hi", "again"});
  auto reply = send("newbie", "team", "thanks");
  REQUIRE(reply);
  CHECK(reply->seq == 3);
}

TEST_CASE_METHOD(store_fixture, "a member added later sees only what follows",
                 "[persistence][sqlite]") {
  add_user("alice");
  add_user("bob");
  ensure_group("team", {"alice"});
  REQUIRE(send("alice", "team", "before1"));
  REQUIRE(send("alice", "team", "before2"));
  CHECK(code_of(send("bob", "team", "early")) == errc::forbidden);
  ensure_group("team", {"alice", "bob"});
  REQUIRE(send("alice", "team", "after"));
  CHECK(pending_bodies("bob") == strings{"after"});
  CHECK(history_bodies(page("bob", "team")) == strings{"after"});
  CHECK(history_bodies(page("bob", "team", 100, 3)).empty());
  CHECK(history_bodies(page("alice", "team"))
        == strings{"before1", "before2", "after"});
  // Re-ensuring does not move an existing member's join point.
  ensure_group("team", {"alice", "bob"});
  CHECK(history_bodies(page("bob", "team")) == strings{"after"});
}

TEST_CASE_METHOD(store_fixture, "history pages from the newest backwards",
                 "[persistence][sqlite]") {
  for (auto name : {"alice", "bob", "carol"})
    add_user(name);
  for (int i = 1; i <= 10; ++i)
    REQUIRE(send(i % 2 ? "alice" : "bob", i % 2 ? "bob" : "alice",
                 "m" + std::to_string(i)));
  CHECK(history_bodies(page("alice", "bob")).size() == 10);
  CHECK(history_bodies(page("alice", "bob", 3)) == strings{"m8", "m9", "m10"});
  CHECK(history_bodies(page("bob", "alice", 3, 5))
        == strings{"m2", "m3", "m4"});
  CHECK(history_bodies(page("alice", "bob", 100, 0, 7))
        == strings{"m8", "m9", "m10"});
  CHECK(history_bodies(page("alice", "bob", 100, 6, 2))
        == strings{"m3", "m4", "m5"});
  CHECK(history_bodies(page("alice", "bob", 2, 6, 2)) == strings{"m4", "m5"});
  CHECK(history_bodies(page("alice", "bob", 0)).empty());
  CHECK(history_bodies(page("alice", "bob", 100, 1)).empty());
  CHECK(history_bodies(page("alice", "carol")).empty());
  auto rows = db->history(page("alice", "bob", 2));
  REQUIRE(rows);
  CHECK((*rows)[0].seq == 9);
  CHECK((*rows)[0].from == "alice");
  CHECK((*rows)[1].seq == 10);
  CHECK((*rows)[1].from == "bob");
  CHECK(code_of(db->history(page("alice", "nobody"))) == errc::no_such_user);
  ensure_group("team", {"bob"});
  CHECK(code_of(db->history(page("alice", "team"))) == errc::forbidden);
  CHECK(history_bodies(page("bob", "team")).empty());
}

TEST_CASE_METHOD(store_fixture, "a locked database fails the whole batch",
                 "[persistence][sqlite]") {
  add_user("alice");
  add_user("bob");
  db.reset();
  db = open_store(path, 50);
  {
    raw_connection other{path};
    other.exec("BEGIN IMMEDIATE");
    write_batch batch;
    batch.appends.push_back({"alice", "bob", "lost", 1, ""});
    auto res = db->commit(batch);
    REQUIRE(code_of(res) == errc::server_busy);
    CHECK_FALSE(res.error().detail.empty());
    CHECK(code_of(db->add_user({"carol", "h", "x", 1})) == errc::server_busy);
    other.exec("ROLLBACK");
  }
  auto kept = send("alice", "bob", "kept");
  REQUIRE(kept);
  CHECK(kept->seq == 1);
  CHECK(pending_bodies("bob") == strings{"kept"});
}

TEST_CASE_METHOD(store_fixture,
                 "a zero busy timeout fails a locked commit without waiting",
                 "[persistence][sqlite]") {
  add_user("alice");
  add_user("bob");
  db.reset();
  db = open_store(path, 20000);
  db->set_busy_timeout(std::chrono::milliseconds{0}); // as the writer's
  raw_connection other{path};
  other.exec("BEGIN IMMEDIATE");
  write_batch batch;
  batch.appends.push_back({"alice", "bob", "tried twice", 1, ""});
  auto t0 = std::chrono::steady_clock::now();
  CHECK(code_of(db->commit(batch)) == errc::server_busy);
  // Not the 20 s the handle was opened with.
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds{10});
  other.exec("ROLLBACK");
  CHECK(db->commit(batch)); // the same batch, once the lock is gone
  CHECK(pending_bodies("bob") == strings{"tried twice"});
}

TEST_CASE_METHOD(store_fixture, "a failure mid-batch stores nothing of it",
                 "[persistence][sqlite]") {
  add_user("alice");
  add_user("bob");
  add_user("carol");
  {
    raw_connection other{path};
    other.exec(
      "CREATE TRIGGER boom BEFORE INSERT ON messages"
      " WHEN NEW.body = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END");
  }
  write_batch batch;
  batch.appends = {{"alice", "bob", "first", 1, ""},
                   {"alice", "carol", "new conversation", 2, ""},
                   {"alice", "bob", "boom", 3, ""}};
  batch.cursors = {{"bob", 1, 1}};
  auto res = db->commit(batch);
  REQUIRE(code_of(res) == errc::storage_error);
  CHECK_THAT(res.error().detail, Catch::Contains("boom"));
  CHECK(pending_bodies("bob").empty());
  CHECK(pending_bodies("carol").empty());
  CHECK(history_bodies(page("alice", "carol")).empty());
  auto next = send("alice", "bob", "after");
  REQUIRE(next);
  CHECK(next->seq == 1);
  CHECK(pending_bodies("bob") == strings{"after"});
  // The conversation the failed batch created is gone, and so is what the
  // writer remembered of it: it is created again.
  auto again = send("alice", "carol", "again");
  REQUIRE(again);
  CHECK(again->seq == 1);
  CHECK(pending_bodies("carol") == strings{"again"});
  CHECK(*db->integrity_check() == "ok");
}
