// A session whose socket is full holds the live lists it is handed (a
// group's list is shared by every member's session) and sends them on as
// the socket takes bytes again or acknowledgements empty the window,
// instead of dropping them and reading them back from the database; past
// `hold_windows` windows' worth held it falls behind.

#include "tests/actors/session_fixture.hpp"

using namespace session_test;

namespace {

/// `n` messages of carol's to group `team` (conversation 7), bodies g1..gn
/// followed by `pad` dots.
persistence::message_list group_list(int n, int64_t first = 1,
                                     std::size_t pad = 40) {
  persistence::message_list msgs(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto& m = msgs[static_cast<std::size_t>(i)];
    m.id = m.seq = first + i;
    m.conv = 7;
    m.from = "carol";
    m.to = "team";
    m.group = true;
    m.body = "g" + std::to_string(first + i) + std::string(pad, '.');
  }
  return msgs;
}

/// Hands `msgs` to `c`'s session as a group's shared list, as the group
/// actor does; returns the list.
std::shared_ptr<const persistence::message_list>
deliver(client& c, persistence::message_list msgs) {
  auto list
    = std::make_shared<const persistence::message_list>(std::move(msgs));
  caf::anon_send(c.session, deliver_atom_v, shared_deliveries{list});
  return list;
}

/// Returns the bodies' tags (up to the first '.') of `c`'s deliveries.
std::vector<std::string> tags(client& c) {
  std::vector<std::string> out;
  for (const auto& f : with_prefix(*c.log, "--msg--|")) {
    auto body = field(f, 6);
    out.push_back(body.substr(0, body.find('.')));
  }
  return out;
}

/// Tells `c`'s session that its socket wrote everything sent so far.
void written_all(fixture& f, client& c, std::size_t& reported) {
  auto n = with_prefix(*c.log, "--msg--|").size();
  caf::anon_send(c.session, written_atom_v, uint64_t{n - reported});
  reported = n;
  f.sched->run();
}

/// Reports writes until `c` has `n` deliveries (or nothing more comes);
/// returns their tags.
std::vector<std::string> write_until(fixture& f, client& c, std::size_t n) {
  std::size_t reported = 0;
  for (std::size_t rounds = 0; rounds < n && tags(c).size() < n; ++rounds)
    written_all(f, c, reported);
  return tags(c);
}

/// Returns g1..gn.
std::vector<std::string> g_tags(int n) {
  std::vector<std::string> out;
  for (int i = 1; i <= n; ++i)
    out.push_back("g" + std::to_string(i));
  return out;
}

} // namespace

TEST_CASE_METHOD(fixture,
                 "a full socket holds a shared group list, then sends it on",
                 "[actors][session][hold]") {
  svc.settings.max_inflight = 100;
  svc.settings.max_outbound = 16000; // stops at 2000 bytes: 20-odd frames
  start();
  auto& bob = login("bob");
  auto list = deliver(bob, group_list(30));
  sched->run();
  auto sent = tags(bob).size();
  REQUIRE(sent > 0);
  REQUIRE(sent < 30);
  auto& st = state(bob);
  CHECK_FALSE(st.flow.behind()); // held, not dropped
  CHECK(st.held.messages() == 30 - sent);
  CHECK(list.use_count() == 2); // the session holds the list, not a copy
  CHECK(write_until(*this, bob, 30) == g_tags(30)); // in order, each once
  CHECK(st.held.empty());
  CHECK(st.counts.deliveries_stored == 0); // nothing read back
  CHECK(list.use_count() == 1);
}

TEST_CASE_METHOD(fixture,
                 "lists that come while others are held queue behind them",
                 "[actors][session][hold]") {
  svc.settings.max_inflight = 100;
  svc.settings.max_outbound = 16000;
  start();
  auto& bob = login("bob");
  for (int k = 0; k < 3; ++k) // three commits of ten
    deliver(bob, group_list(10, 1 + 10 * k));
  sched->run();
  REQUIRE(tags(bob).size() < 30);
  CHECK(write_until(*this, bob, 30) == g_tags(30));
  CHECK(state(bob).counts.deliveries_stored == 0);
}

TEST_CASE_METHOD(fixture,
                 "past four windows' worth held the session falls behind "
                 "and reads the rest from the database",
                 "[actors][session][hold]") {
  svc.settings.max_inflight = 8;
  svc.settings.max_outbound = 1000;
  start();
  auto& alice = login("alice");
  auto& bob = login("bob");
  std::string sends;
  for (int i = 1; i <= 40; ++i)
    sends += "bob|m" + std::to_string(i) + std::string(40, '.') + ";";
  call(alice, sends); // committed, routed to bob in one or more lists
  auto& st = state(bob);
  CHECK(st.flow.behind());
  CHECK(st.held.empty()); // dropped: they are all in the database
  std::size_t reported = 0;
  for (int rounds = 0; rounds < 100; ++rounds) {
    auto got = with_prefix(*bob.log, "--msg--|");
    if (got.size() >= 40)
      break;
    std::string acks = "--ack--";
    for (auto i = reported; i < got.size(); ++i)
      acks += "|" + field(got[i], 1);
    written_all(*this, bob, reported);
    call(bob, acks + ";");
  }
  auto got = tags(bob);
  REQUIRE(got.size() == 40);
  for (std::size_t i = 0; i < got.size(); ++i)
    CHECK(got[i] == "m" + std::to_string(i + 1));
  CHECK(st.counts.deliveries_stored > 0); // read back, not held
}

TEST_CASE_METHOD(fixture,
                 "a full window holds a list until acknowledgements make room",
                 "[actors][session][hold]") {
  svc.settings.max_inflight = 5; // the socket never fills here
  start();
  auto& bob = login("bob");
  deliver(bob, group_list(12));
  sched->run();
  auto& st = state(bob);
  REQUIRE(tags(bob).size() == 5);
  CHECK_FALSE(st.flow.behind());
  CHECK(st.held.messages() == 7);
  std::size_t acked = 0;
  for (int rounds = 0; rounds < 5 && tags(bob).size() < 12; ++rounds) {
    auto got = with_prefix(*bob.log, "--msg--|");
    std::string acks = "--ack--";
    for (; acked < got.size(); ++acked)
      acks += "|" + field(got[acked], 1);
    call(bob, acks + ";");
  }
  CHECK(tags(bob) == g_tags(12));
  CHECK(st.counts.deliveries_stored == 0);
}

TEST_CASE_METHOD(fixture,
                 "past four times --max-outbound of held bytes the session "
                 "falls behind",
                 "[actors][session][hold]") {
  svc.settings.max_inflight = 100;
  svc.settings.max_outbound = 16000; // holds at most 64000 bytes
  start();
  auto& bob = login("bob");
  // 30 messages of 4 KiB: far fewer than four windows, far more bytes.
  deliver(bob, group_list(30, 1, 4096));
  sched->run();
  auto& st = state(bob);
  CHECK(tags(bob).size() < 30);
  CHECK(st.flow.behind()); // the rest is read from the database later
  CHECK(st.held.empty());
}
