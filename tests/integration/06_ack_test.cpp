// Protocol 2: acknowledged delivery and idempotent sends.

#include <catch2/catch.hpp>

#include "tests/support/harness.hpp"

using namespace kurir::test;

namespace {

/// Says hello with the ack capability, then registers and logs in.
void ack_login(client& c, const std::string& name, const std::string& pw,
               bool reg = true) {
  c.hello_ack(2);
  if (reg)
    REQUIRE(c.call("--register--|" + name + "|" + pw)
            == std::vector<std::string>{"--ok--|register|" + name});
}

std::string id_of(const std::string& frame) {
  return fields(frame)[1];
}

} // namespace

TEST_CASE("case 22: unacknowledged deliveries come again at the next login in "
          "order",
          "[integration][ack]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client alice{kurird.port()};
  alice.register_and_login("alice", "alice-pw");
  std::vector<std::string> got;
  {
    client bob{kurird.port()};
    ack_login(bob, "bob", "bob-pass1");
    bob.call("--login--|bob|bob-pass1");
    for (int i = 1; i <= 4; ++i)
      alice.call("bob|m" + std::to_string(i));
    for (int i = 0; i < 4; ++i)
      got.push_back(bob.next());
    REQUIRE(tagged(got, "--msg--", 6)
            == std::vector<std::string>{"m1", "m2", "m3", "m4"});
    // Acknowledge m1 and m3 only; m3 cannot move the cursor past m2.
    bob.send("--ack--|" + id_of(got[0]) + "|" + id_of(got[2]) + ";");
    CHECK(bob.barrier().empty()); // acks are not answered
  }                               // bob's connection drops holding m2 and m4
  client bob{kurird.port()};
  ack_login(bob, "bob", "bob-pass1", false);
  auto again = bob.call("--login--|bob|bob-pass1");
  REQUIRE(again.size() >= 1);
  CHECK(again[0] == "--ok--|login|bob");
  again.erase(again.begin());
  // Everything after the last contiguous acknowledgement, in order: m2
  // (never acked), m3 (acked after a gap, the client drops it by id), m4.
  CHECK(tagged(again, "--msg--", 6)
        == std::vector<std::string>{"m2", "m3", "m4"});
  CHECK(id_of(again[0]) == id_of(got[1]));
  bob.send("--ack--|" + id_of(again[0]) + "|" + id_of(again[1]) + "|"
           + id_of(again[2]) + ";");
  bob.call("--logout--");
  CHECK(bob.call("--login--|bob|bob-pass1")
        == std::vector<std::string>{"--ok--|login|bob"});
}

TEST_CASE(
  "case 18: acknowledging an unknown id is an error and changes nothing",
  "[integration][ack]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client bob{kurird.port()};
  ack_login(bob, "bob", "bob-pass1");
  bob.call("--login--|bob|bob-pass1");
  auto r = bob.call("--ack--|12345");
  REQUIRE(r.size() == 1);
  CHECK(fields(r[0])[1] == "bad_request");
  client seed{kurird.port()};
  seed.register_and_login("carol", "carol-pw");
  CHECK(fields(seed.call("--ack--|1")[0])[1] == "bad_request");
  // Protocol 3 gives the case its own code; the text stays the same.
  client v3{kurird.port()};
  v3.hello_ack(3);
  v3.register_and_login("dave", "dave-pass1");
  auto f = fields(v3.call("--ack--|777")[0]);
  CHECK(f[1] == "not_awaiting_ack");
  CHECK(f[2] == "not awaiting acknowledgement: 777");
}

TEST_CASE_METHOD(two_users,
                 "a seed client's deliveries are delivered once written",
                 "[integration][ack]") {
  alice.call("bob|seed style");
  CHECK(tagged({bob.next()}, "--msg--", 6)
        == std::vector<std::string>{"seed style"});
  bob.call("--logout--");
  CHECK(bob.call("--login--|bob|bob-pass1")
        == std::vector<std::string>{"--ok--|login|bob"});
}

TEST_CASE_METHOD(
  alice_and_offline_bob,
  "case 17: a resend with the same client id stores nothing twice",
  "[integration][resend]") {
  auto first = alice.call("--send--|c-1|bob|hello once");
  REQUIRE(first.size() == 1);
  auto f = fields(first[0]);
  REQUIRE(f.size() == 5);
  CHECK(f[1] == "send");
  CHECK(f[4] == "c-1");
  // The confirmation was "lost": the client sends again, same id.
  CHECK(alice.call("--send--|c-1|bob|hello once") == first);
  auto conflict = alice.call("--send--|c-1|bob|something else");
  REQUIRE(conflict.size() == 1);
  CHECK(fields(conflict[0])[1] == "client_id_conflict");
  auto frames = bob.call("--login--|bob|bob-pass1");
  REQUIRE(frames.size() == 2); // login + the message, once
  CHECK(fields(frames[1])[6] == "hello once");
  CHECK(fields(frames[1])[1] == f[2]);
}

TEST_CASE("case 21: a recipient over the queue limit makes sends fail loudly",
          "[integration][limits]") {
  temp_dir dir;
  broker_process kurird{dir.path(), {"--max-unacked=3"}};
  client bob{kurird.port()};
  bob.call("--register--|bob|bob-pass1");
  client alice{kurird.port()};
  alice.register_and_login("alice", "alice-pw");
  for (int i = 0; i < 3; ++i)
    CHECK(fields(alice.call("bob|q" + std::to_string(i))[0])[1] == "send");
  auto full = alice.call("bob|one too many");
  REQUIRE(full.size() == 1);
  CHECK(fields(full[0])[1] == "recipient_queue_full");
  auto frames = bob.call("--login--|bob|bob-pass1");
  REQUIRE(frames.size() == 4); // the three accepted, nothing else
  CHECK(fields(frames[3])[6] == "q2");
  // Written to bob's socket: delivered, so the queue has room again.
  bob.call("--logout--");
  CHECK(fields(alice.call("bob|room again")[0])[1] == "send");
}
