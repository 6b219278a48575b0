// sqlite_store: group membership changes, group lookups and contacts.

#include <sqlite3.h>

#include "store_fixture.hpp"

using namespace kurir;
using namespace kurir::persistence;
using kurir::test::code_of;
using kurir::test::open_store;
using kurir::test::store_fixture;
using strings = std::vector<std::string>;

namespace {

using mc = membership_change;

history_query page(std::string viewer, std::string peer) {
  history_query q;
  q.viewer = std::move(viewer);
  q.peer = std::move(peer);
  return q;
}

/// Runs `sql` on a separate raw connection to `path`.
void raw_exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  auto rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

/// A store with alice, bob, carol and dave registered.
struct group_fixture : store_fixture {
  group_fixture() {
    for (auto name : {"alice", "bob", "carol", "dave"})
      add_user(name);
  }

  /// Requires `g` to succeed and returns the group's members.
  static strings members_of(const outcome<group_record>& g) {
    INFO((g ? std::string{} : g.error().detail));
    REQUIRE(g);
    return g->members;
  }
};

} // namespace

TEST_CASE_METHOD(group_fixture, "creating a group makes its owner a member",
                 "[persistence][sqlite][groups]") {
  auto g = change(mc::create, "alice", "team");
  REQUIRE(g);
  CHECK(g->name == "team");
  CHECK(g->owner == "alice");
  CHECK(g->members == strings{"alice"});
  auto found = db->group("team");
  REQUIRE(found);
  CHECK(found->owner == "alice");
  CHECK(found->members == strings{"alice"});
  auto m = send("alice", "team", "first");
  REQUIRE(m);
  CHECK(m->seq == 1);
  CHECK(history_bodies(page("alice", "team")) == strings{"first"});
}

TEST_CASE_METHOD(group_fixture, "a group name must be free",
                 "[persistence][sqlite][groups]") {
  REQUIRE(change(mc::create, "alice", "team"));
  ensure_group("seeded", {"carol"});
  CHECK(code_of(change(mc::create, "bob", "team")) == errc::name_taken);
  CHECK(code_of(change(mc::create, "bob", "seeded")) == errc::name_taken);
  CHECK(code_of(change(mc::create, "bob", "carol")) == errc::name_taken);
  CHECK(db->group("team")->owner == "alice");
  CHECK(code_of(db->group("nope")) == errc::no_such_group);
  CHECK(code_of(db->group("carol")) == errc::no_such_group);
}

TEST_CASE_METHOD(group_fixture, "only the owner adds and only registered users",
                 "[persistence][sqlite][groups]") {
  REQUIRE(change(mc::create, "alice", "team"));
  CHECK(code_of(change(mc::add, "bob", "team", "bob")) == errc::forbidden);
  CHECK(code_of(change(mc::add, "alice", "team", "ghost"))
        == errc::no_such_user);
  CHECK(code_of(change(mc::add, "alice", "nope", "bob"))
        == errc::no_such_group);
  CHECK(members_of(change(mc::add, "alice", "team", "bob"))
        == strings{"alice", "bob"});
  CHECK(code_of(change(mc::add, "bob", "team", "carol")) == errc::forbidden);
  // A non-owner learns nothing about who is registered.
  CHECK(code_of(change(mc::add, "bob", "team", "ghost")) == errc::forbidden);
  CHECK(members_of(db->group("team")) == strings{"alice", "bob"});
  // A group from grup.txt has no owner: nobody may add to it.
  ensure_group("seeded", {"alice"});
  CHECK(code_of(change(mc::add, "alice", "seeded", "bob")) == errc::forbidden);
}

TEST_CASE_METHOD(group_fixture, "a member added later sees only later messages",
                 "[persistence][sqlite][groups]") {
  REQUIRE(change(mc::create, "alice", "team"));
  REQUIRE(send("alice", "team", "before"));
  REQUIRE(change(mc::add, "alice", "team", "bob"));
  REQUIRE(send("alice", "team", "after"));
  CHECK(pending_bodies("bob") == strings{"after"});
  CHECK(history_bodies(page("bob", "team")) == strings{"after"});
  CHECK(history_bodies(page("alice", "team")) == strings{"before", "after"});
  // Adding again changes nothing, not even the join point.
  REQUIRE(send("alice", "team", "later"));
  CHECK(members_of(change(mc::add, "alice", "team", "bob"))
        == strings{"alice", "bob"});
  CHECK(history_bodies(page("bob", "team")) == strings{"after", "later"});
}

TEST_CASE_METHOD(group_fixture, "the owner removes anyone and members leave",
                 "[persistence][sqlite][groups]") {
  REQUIRE(change(mc::create, "alice", "team"));
  for (auto name : {"bob", "carol"})
    REQUIRE(change(mc::add, "alice", "team", name));
  CHECK(code_of(change(mc::remove, "carol", "team", "bob")) == errc::forbidden);
  CHECK(code_of(change(mc::remove, "dave", "team", "alice"))
        == errc::forbidden);
  CHECK(members_of(change(mc::remove, "bob", "team", "bob"))
        == strings{"alice", "carol"});
  CHECK(members_of(change(mc::remove, "alice", "team", "carol"))
        == strings{"alice"});
  CHECK(code_of(change(mc::remove, "alice", "team", "bob"))
        == errc::no_such_user);
  CHECK(code_of(change(mc::remove, "alice", "team", "dave"))
        == errc::no_such_user);
  CHECK(code_of(change(mc::remove, "dave", "team", "dave"))
        == errc::no_such_user);
  CHECK(code_of(change(mc::remove, "alice", "nope", "alice"))
        == errc::no_such_group);
  CHECK(db->group("team")->owner == "alice");
}

TEST_CASE_METHOD(group_fixture, "a removed member sees nothing of the group",
                 "[persistence][sqlite][groups]") {
  REQUIRE(change(mc::create, "alice", "team"));
  REQUIRE(change(mc::add, "alice", "team", "bob"));
  REQUIRE(send("alice", "team", "m1"));
  REQUIRE(send("alice", "bob", "direct"));
  REQUIRE(change(mc::remove, "alice", "team", "bob"));
  CHECK(pending_bodies("bob") == strings{"direct"});
  CHECK(code_of(db->history(page("bob", "team"))) == errc::forbidden);
  CHECK(code_of(send("bob", "team", "hey")) == errc::forbidden);
  REQUIRE(send("alice", "team", "m2"));
  CHECK(pending_bodies("bob") == strings{"direct"});
  // Re-added, bob starts over from the group's current sequence.
  CHECK(members_of(change(mc::add, "alice", "team", "bob"))
        == strings{"alice", "bob"});
  REQUIRE(send("alice", "team", "m3"));
  CHECK(pending_bodies("bob") == strings{"m3", "direct"});
  CHECK(history_bodies(page("bob", "team")) == strings{"m3"});
  CHECK(history_bodies(page("alice", "team")) == strings{"m1", "m2", "m3"});
}

TEST_CASE_METHOD(group_fixture, "an owner who leaves leaves no owner",
                 "[persistence][sqlite][groups]") {
  REQUIRE(change(mc::create, "alice", "team"));
  REQUIRE(change(mc::add, "alice", "team", "bob"));
  auto g = change(mc::remove, "alice", "team", "alice");
  REQUIRE(g);
  CHECK(g->owner.empty());
  CHECK(g->members == strings{"bob"});
  CHECK(code_of(change(mc::add, "alice", "team", "carol")) == errc::forbidden);
  CHECK(code_of(change(mc::add, "bob", "team", "carol")) == errc::forbidden);
  CHECK(code_of(change(mc::remove, "alice", "team", "bob")) == errc::forbidden);
  CHECK(members_of(change(mc::remove, "bob", "team", "bob")).empty());
  CHECK(db->groups()->size() == 1);
}

TEST_CASE_METHOD(group_fixture, "a failed membership change stores nothing",
                 "[persistence][sqlite][groups]") {
  raw_exec(path, "CREATE TRIGGER boom BEFORE INSERT ON participants"
                 " WHEN NEW.member = 'boom' BEGIN SELECT RAISE(ABORT, 'boom');"
                 " END");
  auto r = change(mc::create, "boom", "team");
  REQUIRE(code_of(r) == errc::storage_error);
  CHECK_THAT(r.error().detail, Catch::Contains("boom"));
  CHECK(code_of(db->group("team")) == errc::no_such_group);
  CHECK(change(mc::create, "alice", "team"));
  CHECK(*db->integrity_check() == "ok");
}

TEST_CASE_METHOD(group_fixture, "a locked database fails a membership change",
                 "[persistence][sqlite][groups]") {
  REQUIRE(change(mc::create, "alice", "team"));
  db.reset();
  db = open_store(path, 50);
  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr)
          == SQLITE_OK);
  auto r = change(mc::add, "alice", "team", "bob");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  CHECK(code_of(r) == errc::server_busy);
  CHECK(members_of(db->group("team")) == strings{"alice"});
}

TEST_CASE_METHOD(group_fixture, "groups_of lists a member's groups sorted",
                 "[persistence][sqlite][groups]") {
  REQUIRE(change(mc::create, "alice", "zeta"));
  REQUIRE(change(mc::create, "alice", "alpha"));
  REQUIRE(change(mc::add, "alice", "zeta", "bob"));
  ensure_group("seeded", {"bob", "ghost"});
  REQUIRE(send("alice", "bob", "direct")); // not a group
  CHECK(*db->groups_of("alice") == strings{"alpha", "zeta"});
  CHECK(*db->groups_of("bob") == strings{"seeded", "zeta"});
  CHECK(*db->groups_of("ghost") == strings{"seeded"});
  CHECK(db->groups_of("nobody")->empty());
  REQUIRE(change(mc::remove, "bob", "zeta", "bob"));
  CHECK(*db->groups_of("bob") == strings{"seeded"});
}

TEST_CASE_METHOD(group_fixture, "contacts are everyone sharing a conversation",
                 "[persistence][sqlite][groups]") {
  REQUIRE(send("alice", "bob", "hi"));
  REQUIRE(send("carol", "alice", "hey"));
  REQUIRE(change(mc::create, "alice", "team"));
  REQUIRE(change(mc::add, "alice", "team", "bob"));
  REQUIRE(change(mc::add, "alice", "team", "dave"));
  ensure_group("seeded", {"dave", "ghost"});
  // Refused sends leave no conversation behind.
  CHECK_FALSE(send("bob", "bob", "me"));
  CHECK_FALSE(send("bob", "nobody", "boo"));
  CHECK(*db->contacts("alice") == strings{"bob", "carol", "dave"});
  CHECK(*db->contacts("bob") == strings{"alice", "dave"});
  CHECK(*db->contacts("dave") == strings{"alice", "bob", "ghost"});
  CHECK(*db->contacts("ghost") == strings{"dave"});
  CHECK(db->contacts("nobody")->empty());
  REQUIRE(change(mc::remove, "alice", "team", "dave"));
  CHECK(*db->contacts("dave") == strings{"ghost"});
  CHECK(*db->contacts("bob") == strings{"alice"});
}
