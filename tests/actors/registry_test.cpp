// The registry and group actors under CAF's deterministic scheduler: live
// routing to every session of a user, group fan-out without the sender,
// and no stale entry once a session is gone.

#include <catch2/catch.hpp>

#include <memory>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/messages.hpp"
#include "actors/registry/registry_actor.hpp"

using namespace kurir;
using persistence::stored_message;

namespace {

using inbox_log = std::shared_ptr<std::vector<std::string>>;

/// A session stand-in: records "<name>:<body>" for each delivery, leaving
/// out its own user's messages as a real session does.
caf::behavior fake_session(caf::event_based_actor*, std::string user,
                           std::string name, inbox_log log) {
  return {
    [=](deliver_atom, const persistence::message_list& msgs) {
      for (const auto& m : msgs)
        if (m.from != user)
          log->push_back(name + ":" + m.body);
    },
  };
}

struct fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  inbox_log log = std::make_shared<std::vector<std::string>>();
  registry_handle registry;
  std::vector<caf::actor> sessions; // the registry holds only addresses

  fixture() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.add_message_types<caf::id_block::kurir>();
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    std::vector<persistence::group_record> groups{
      {"team", "", {"alice", "bob", "carol"}}};
    registry = sys->spawn(registry_actor, groups);
    sched->run();
  }

  ~fixture() {
    for (auto& s : sessions)
      caf::anon_send_exit(s, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
    sched->run();
  }

  caf::actor login(const std::string& user, const std::string& tag) {
    auto s = sys->spawn(fake_session, user, tag, log);
    sessions.push_back(s);
    caf::anon_send(registry, login_atom_v, user, s, std::vector<std::string>{});
    sched->run();
    return s;
  }

  void route(stored_message m) {
    caf::anon_send(registry, route_atom_v, persistence::message_list{m});
    sched->run();
  }
};

stored_message direct(std::string from, std::string to, std::string body) {
  stored_message m;
  m.from = std::move(from);
  m.to = std::move(to);
  m.body = std::move(body);
  return m;
}

stored_message to_group(std::string from, std::string body) {
  auto m = direct(std::move(from), "team", std::move(body));
  m.group = true;
  return m;
}

} // namespace

TEST_CASE_METHOD(fixture, "a direct message reaches every session of the user",
                 "[actors][registry]") {
  login("bob", "bob1");
  login("bob", "bob2");
  login("carol", "carol");
  route(direct("alice", "bob", "hi"));
  route(direct("alice", "dave", "offline: nobody gets it live"));
  CHECK(*log == std::vector<std::string>{"bob1:hi", "bob2:hi"});
}

TEST_CASE_METHOD(fixture,
                 "a group message reaches the online members but "
                 "not the sender",
                 "[actors][group]") {
  login("alice", "alice");
  login("bob", "bob");
  route(to_group("alice", "hello team"));
  CHECK(*log == std::vector<std::string>{"bob:hello team"});
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
  CHECK(log->empty());
}
