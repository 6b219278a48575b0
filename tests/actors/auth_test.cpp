// The authentication front under CAF's deterministic scheduler: a login
// storm meets a bounded queue of hashes (GUARANTEES.md case 11).

#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/auth/hasher_actor.hpp"
#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "tests/support/temp_dir.hpp"

using namespace kurir;

namespace {

struct fixture {
  test::temp_dir dir;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  event_log_handle log;

  fixture() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.add_message_types<caf::id_block::kurir>();
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    auto file = std::make_shared<persistence::event_log>();
    REQUIRE(file->open(dir.file("log.txt")));
    log = sys->spawn(event_log_actor, file, system_wall_clock());
  }

  ~fixture() {
    caf::anon_send_exit(log, caf::exit_reason::user_shutdown);
    sched->run();
  }
};

} // namespace

TEST_CASE_METHOD(fixture,
                 "case 11: logins past the queue of hashes get server_busy "
                 "at once",
                 "[actors][auth]") {
  auto cost = persistence::hash_cost::minimal();
  auto hash = persistence::hash_password("secret-pw", cost);
  // One worker; no rehash is due, so no writer is needed.
  auto auth = sys->spawn(auth_actor, cost, 1, false, log, writer_handle{});
  caf::scoped_actor self{*sys};
  constexpr int storm = 100; // the queue holds 64
  std::vector<decltype(self->request(auth, caf::infinite, verify_atom_v,
                                     std::string{}, std::string{}, hash,
                                     std::string{}, true))>
    answers;
  for (int i = 0; i < storm; ++i)
    answers.push_back(self->request(auth, caf::infinite, verify_atom_v,
                                    "user" + std::to_string(i), std::string{},
                                    hash, std::string{"secret-pw"}, true));
  sched->run();
  int accepted = 0;
  int busy = 0;
  for (auto& a : answers)
    a.receive([&](bool ok) { accepted += ok ? 1 : 0; },
              [&](caf::error& e) {
                busy += to_failure(e).code == errc::server_busy ? 1 : 0;
              });
  CHECK(accepted == 64);
  CHECK(busy == storm - 64);
  // The queue drained: the next login is served again.
  auto next
    = self->request(auth, caf::infinite, verify_atom_v, std::string{"late"},
                    std::string{}, hash, std::string{"secret-pw"}, true);
  sched->run();
  next.receive([](bool ok) { CHECK(ok); },
               [](caf::error&) { FAIL("refused after the storm"); });
  caf::anon_send_exit(auth, caf::exit_reason::user_shutdown);
  sched->run();
}
