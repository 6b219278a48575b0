// The registry and a group actor under CAF's deterministic scheduler: live
// routing to every session of a user, group fan-out to the members' sessions
// only, membership changes reaching the member concerned, and no
// stale entry once a session is gone. The stand-in sessions record every
// delivery as it comes: they filter nothing, so a wrong recipient shows.

#include <catch2/catch.hpp>

#include <memory>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/group/group_actor.hpp"
#include "actors/messages.hpp"
#include "actors/registry/registry_actor.hpp"

using namespace kurir;
using persistence::group_record;
using persistence::membership_change;
using persistence::stored_message;

namespace {

using inbox_log = std::shared_ptr<std::vector<std::string>>;

/// A session stand-in: records "<tag>:<body>" for each delivery,
/// "<tag>:<group> <added|removed> by <who>" for each group event and
/// "<tag>:<user> <online|offline>" for each presence change.
caf::behavior fake_session(caf::event_based_actor*, std::string tag,
                           inbox_log log) {
  return {
    [=](deliver_atom, const persistence::message_list& msgs) {
      for (const auto& m : msgs)
        log->push_back(tag + ":" + m.body);
    },
    [=](deliver_atom, const shared_deliveries& d) { // a group's, shared
      for (const auto& m : *d.list)
        log->push_back(tag + ":" + m.body);
    },
    [=](group_event_atom, const membership_change& c) {
      auto what = c.kind == membership_change::remove ? " removed" : " added";
      log->push_back(tag + ":" + c.group + what + " by " + c.actor);
    },
    [=](presence_atom, const std::string& user, bool online) {
      log->push_back(tag + ":" + user + (online ? " online" : " offline"));
    },
  };
}

struct fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  inbox_log log = std::make_shared<std::vector<std::string>>();
  registry_handle registry;
  group_handle team;
  std::vector<caf::actor> sessions; // the registry holds only addresses

  fixture() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.add_message_types<caf::id_block::kurir>();
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    registry = sys->spawn(registry_actor);
    group_record g{"team", "alice", {"alice", "bob", "carol"}};
    team = sys->spawn(group_actor, g, registry, false);
    sched->run();
  }

  ~fixture() {
    for (auto& s : sessions)
      caf::anon_send_exit(s, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(team, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
    sched->run();
  }

  caf::actor login(const std::string& user, const std::string& tag) {
    auto s = sys->spawn(fake_session, tag, log);
    sessions.push_back(s);
    caf::anon_send(registry, login_atom_v, user, s, std::vector<std::string>{});
    sched->run();
    return s;
  }

  void route(stored_message m) {
    caf::anon_send(registry, route_atom_v, persistence::message_list{m});
    sched->run();
  }

  void fanout(persistence::message_list msgs) {
    caf::anon_send(team, fanout_atom_v, std::move(msgs));
    sched->run();
  }

  /// What the writer sends the group after committing a change.
  void change(membership_change::kind_t kind, std::string by,
              std::string member, std::vector<std::string> members) {
    group_record g{"team", "alice", std::move(members)};
    membership_change c{kind, std::move(by), "team", std::move(member)};
    caf::anon_send(team, change_atom_v, g, c);
    sched->run();
  }
};

stored_message direct(std::string from, std::string to, std::string body,
                      int64_t seq = 2) {
  stored_message m;
  m.seq = seq;
  m.from = std::move(from);
  m.to = std::move(to);
  m.body = std::move(body);
  return m;
}

stored_message to_team(std::string from, std::string body) {
  auto m = direct(std::move(from), "team", std::move(body));
  m.group = true;
  return m;
}

using lines = std::vector<std::string>;

} // namespace

TEST_CASE_METHOD(fixture, "a direct message reaches every session of the user",
                 "[actors][registry]") {
  login("bob", "bob1");
  login("bob", "bob2");
  login("carol", "carol");
  route(direct("alice", "bob", "hi"));
  route(direct("alice", "dave", "offline: nobody gets it live"));
  CHECK(*log == lines{"bob1:hi", "bob2:hi"});
}

TEST_CASE_METHOD(fixture,
                 "a group message reaches every session of every member "
                 "online and no one else",
                 "[actors][group]") {
  login("alice", "alice1");
  login("alice", "alice2");
  login("bob", "bob");
  login("dave", "dave"); // not a member
  fanout({to_team("alice", "a"), to_team("bob", "b")});
  std::sort(log->begin(), log->end());
  // One shared list for all, the senders' sessions included: each session
  // leaves out its own user's messages ("session leaves out its own
  // messages of a group delivery" in session_test.cpp).
  CHECK(
    *log
    == lines{"alice1:a", "alice1:b", "alice2:a", "alice2:b", "bob:a", "bob:b"});
}

TEST_CASE_METHOD(fixture, "a dead or logged-out session leaves no entry",
                 "[actors][registry]") {
  auto s1 = login("bob", "bob1");
  auto s2 = login("bob", "bob2");
  caf::anon_send_exit(s1, caf::exit_reason::kill);
  sched->run();
  caf::anon_send(registry, logout_atom_v, std::string{"bob"}, s2);
  sched->run();
  route(direct("alice", "bob", "anyone?"));
  fanout({to_team("alice", "anyone in the team?")});
  CHECK(log->empty());
}

TEST_CASE_METHOD(fixture,
                 "an added member hears of it and gets what follows the add",
                 "[actors][group]") {
  login("dave", "dave");
  fanout({to_team("alice", "before")});
  change(membership_change::add, "alice", "dave",
         {"alice", "bob", "carol", "dave"});
  fanout({to_team("alice", "after")});
  CHECK(*log == lines{"dave:team added by alice", "dave:after"});
}

TEST_CASE_METHOD(fixture,
                 "a member who logs in after an add is watched by the group",
                 "[actors][group]") {
  change(membership_change::add, "alice", "dave",
         {"alice", "bob", "carol", "dave"});
  login("dave", "dave");
  fanout({to_team("alice", "welcome")});
  CHECK(*log == lines{"dave:welcome"});
}

TEST_CASE_METHOD(fixture,
                 "a removed member hears of it and then gets nothing more",
                 "[actors][group]") {
  login("bob", "bob");
  change(membership_change::remove, "alice", "bob", {"alice", "carol"});
  fanout({to_team("alice", "gone?")});
  login("bob", "bob again"); // no longer a member: the group ignores it
  fanout({to_team("alice", "still gone?")});
  CHECK(*log == lines{"bob:team removed by alice"});
}

TEST_CASE_METHOD(fixture,
                 "a conversation's first message makes two users contacts",
                 "[actors][registry]") {
  login("alice", "a");
  auto bob = login("bob", "b");
  auto carol = login("carol", "c");
  route(direct("alice", "bob", "hi", 1)); // a new conversation
  // A later message of a conversation older than the logins links nobody:
  // the logins' contacts (from the database) named those already.
  route(direct("carol", "alice", "again", 7));
  caf::anon_send(registry, logout_atom_v, std::string{"bob"}, bob);
  caf::anon_send(registry, logout_atom_v, std::string{"carol"}, carol);
  sched->run();
  CHECK(*log == lines{"b:hi", "a:again", "a:bob offline"});
}
