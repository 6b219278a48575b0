// Protocol 2: groups at run time, history, presence, several sessions.

#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/support/harness.hpp"

using namespace kurir::test;

namespace {

std::string only_code(const std::vector<std::string>& frames) {
  REQUIRE(frames.size() == 1);
  return code_of(frames[0]);
}

} // namespace

TEST_CASE("groups are created and managed at run time",
          "[integration][groups]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client alice{kurird.port()};
  client bob{kurird.port()};
  client carol{kurird.port()};
  alice.register_and_login("alice", "alice-pw");
  bob.register_and_login("bob", "bob-pass1");
  carol.register_and_login("carol", "carol-pw");
  CHECK(alice.call("--create--|crew")
        == std::vector<std::string>{"--ok--|create|crew"});
  CHECK(only_code(alice.call("--create--|bob")) == "name_taken");
  CHECK(only_code(bob.call("--add--|crew|carol")) == "forbidden"); // not owner
  CHECK(only_code(alice.call("--add--|crew|nobody")) == "no_such_user");
  alice.call("crew|before bob joined");
  CHECK(alice.call("--add--|crew|bob")
        == std::vector<std::string>{"--ok--|add|crew|bob"});
  CHECK(alice.call("--members--|crew")
        == std::vector<std::string>{"--ok--|members|crew|alice|alice,bob"});
  alice.call("crew|after bob joined");
  CHECK(tagged({bob.next()}, "--msg--", 6)
        == std::vector<std::string>{"after bob joined"});
  CHECK(bob.call("--groups--")
        == std::vector<std::string>{"--ok--|groups|crew"});

  SECTION("a new member reads history from the moment they joined") {
    auto h = bob.call("--history--|crew");
    CHECK(tagged(h, "--hist--", 6)
          == std::vector<std::string>{"after bob joined"});
    CHECK(h.back() == "--ok--|history|crew|1");
    CHECK(tagged(alice.call("--history--|crew"), "--hist--", 6)
          == std::vector<std::string>{"before bob joined", "after bob joined"});
  }
  SECTION("a non-member may not post, list or read history") {
    CHECK(only_code(carol.call("crew|let me in")) == "forbidden");
    CHECK(only_code(carol.call("--members--|crew")) == "forbidden");
    CHECK(only_code(carol.call("--history--|crew")) == "forbidden");
  }
  SECTION("someone who left sees nothing after") {
    CHECK(bob.call("--leave--|crew")
          == std::vector<std::string>{"--ok--|leave|crew"});
    alice.call("crew|after bob left");
    alice.call("bob|marker"); // a later message on a shorter path
    CHECK(fields(bob.next())[6] == "marker");
    CHECK(bob.barrier().empty());
    CHECK(only_code(bob.call("--history--|crew")) == "forbidden");
    CHECK(only_code(bob.call("crew|still here?")) == "forbidden");
  }
  SECTION("the owner removes a member") {
    CHECK(alice.call("--remove--|crew|bob")
          == std::vector<std::string>{"--ok--|remove|crew|bob"});
    alice.call("crew|bob is gone");
    alice.call("bob|marker");
    CHECK(fields(bob.next())[6] == "marker");
    CHECK(bob.barrier().empty());
  }
}

TEST_CASE_METHOD(two_users, "history pages back through a direct conversation",
                 "[integration][history]") {
  for (int i = 1; i <= 5; ++i)
    alice.call("bob|h" + std::to_string(i));
  for (int i = 1; i <= 5; ++i)
    CHECK(fields(bob.next())[6] == "h" + std::to_string(i));
  CHECK(tagged(bob.call("--history--|alice|2"), "--hist--", 6)
        == std::vector<std::string>{"h4", "h5"});
  CHECK(tagged(bob.call("--history--|alice|2|4"), "--hist--", 6)
        == std::vector<std::string>{"h2", "h3"});
  CHECK(tagged(bob.call("--history--|alice|10||3"), "--hist--", 6)
        == std::vector<std::string>{"h4", "h5"});
  CHECK(only_code(bob.call("--history--|alice|1001")) == "bad_request");
  CHECK(only_code(bob.call("--history--|nobody")) == "no_such_user");
}

TEST_CASE("presence: contacts see each other come and go",
          "[integration][presence]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client alice{kurird.port()};
  alice.call("--hello--|2");
  alice.register_and_login("alice", "alice-pw");
  {
    client bob{kurird.port()};
    bob.register_and_login("bob", "bob-pass1");
    bob.call("alice|hi"); // now they share a direct conversation
    CHECK(fields(alice.next())[6] == "hi");
    CHECK(alice.call("--who--") == std::vector<std::string>{"--ok--|who|bob"});
    bob.call("--logout--");
    CHECK(alice.next() == "--presence--|bob|offline");
    bob.call("--login--|bob|bob-pass1");
    CHECK(alice.next() == "--presence--|bob|online");
  } // the connection drops
  CHECK(alice.next() == "--presence--|bob|offline");
  CHECK(alice.call("--who--") == std::vector<std::string>{"--ok--|who|"});
}

TEST_CASE("case 23: two sessions of one user both receive",
          "[integration][sessions]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client alice{kurird.port()};
  client bob1{kurird.port()};
  client bob2{kurird.port()};
  alice.register_and_login("alice", "alice-pw");
  bob1.register_and_login("bob", "bob-pass1");
  bob2.call("--login--|bob|bob-pass1");
  alice.call("bob|to both");
  CHECK(tagged({bob1.next()}, "--msg--", 6)
        == std::vector<std::string>{"to both"});
  CHECK(tagged({bob2.next()}, "--msg--", 6)
        == std::vector<std::string>{"to both"});
  CHECK(only_code(bob2.call("--logout--:alice")) == "forbidden");
}

TEST_CASE("a full delivery window waits and never drops",
          "[integration][ack]") {
  temp_dir dir;
  broker_process kurird{dir.path(), {"--max-inflight=2"}};
  client alice{kurird.port()};
  alice.register_and_login("alice", "alice-pw");
  client bob{kurird.port()};
  bob.call("--hello--|2|ack");
  bob.register_and_login("bob", "bob-pass1");
  for (int i = 1; i <= 7; ++i)
    alice.send("bob|w" + std::to_string(i) + ";");
  alice.barrier();
  std::vector<std::string> got;
  while (got.size() < 7) {
    std::vector<std::string> ids;
    auto want = std::min<std::size_t>(2, 7 - got.size());
    while (ids.size() < want) {
      auto f = fields(bob.next());
      REQUIRE(f[0] == "--msg--");
      ids.push_back(f[1]);
      got.push_back(f[6]);
    }
    CHECK(bob.barrier().empty()); // nothing past the window before the ack
    bob.send("--ack--|" + ids[0] + (ids.size() > 1 ? "|" + ids[1] : "") + ";");
  }
  CHECK(got
        == std::vector<std::string>{"w1", "w2", "w3", "w4", "w5", "w6", "w7"});
}

TEST_CASE("a read sees what the same session wrote just before",
          "[integration][groups]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client alice{kurird.port()};
  alice.register_and_login("alice", "alice-pw");
  alice.send("--create--|g;--members--|g;g|x;--history--|g|1;");
  CHECK(alice.next() == "--ok--|create|g");
  CHECK(alice.next() == "--ok--|members|g|alice|alice");
  CHECK(fields(alice.next())[1] == "send");
  CHECK(tagged({alice.next()}, "--hist--", 6) == std::vector<std::string>{"x"});
  CHECK(alice.next() == "--ok--|history|g|1");
}

TEST_CASE("protocol 3 members hear on their connection when they are added "
          "or removed",
          "[integration][groups]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client alice{kurird.port()};
  client bob{kurird.port()};
  client carol{kurird.port()};
  alice.hello_ack(3);
  bob.hello_ack(3);
  carol.hello_ack(2); // an older client: no event frames
  alice.register_and_login("alice", "alice-pw");
  bob.register_and_login("bob", "bob-pass1");
  carol.register_and_login("carol", "carol-pw");
  alice.send("--create--|crew;"); // the reply and the event may come in
  std::vector<std::string> got{alice.next(), alice.next()}; // either order
  std::sort(got.begin(), got.end());
  CHECK(got
        == std::vector<std::string>{"--group--|crew|added|alice",
                                    "--ok--|create|crew"});
  CHECK(alice.call("--add--|crew|bob")
        == std::vector<std::string>{"--ok--|add|crew|bob"});
  CHECK(alice.call("--add--|crew|carol")
        == std::vector<std::string>{"--ok--|add|crew|carol"});
  alice.call("crew|welcome");
  // The event comes before anything said in the group after the add.
  CHECK(bob.next() == "--group--|crew|added|alice");
  CHECK(tagged({bob.next()}, "--msg--", 6)
        == std::vector<std::string>{"welcome"});
  CHECK(tagged({carol.next()}, "--msg--", 6)
        == std::vector<std::string>{"welcome"});
  alice.call("--remove--|crew|bob");
  CHECK(bob.next() == "--group--|crew|removed|alice");
  alice.call("crew|bob is gone");
  CHECK(tagged({carol.next()}, "--msg--", 6)
        == std::vector<std::string>{"bob is gone"});
  CHECK(bob.barrier().empty());   // nothing more for bob
  CHECK(carol.barrier().empty()); // no event frames for protocol 2
}

TEST_CASE("an unknown group is no_such_group for protocol 3, no_such_user "
          "before",
          "[integration][groups]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client v3{kurird.port()};
  client v2{kurird.port()};
  v3.hello_ack(3);
  v2.hello_ack(2);
  v3.register_and_login("alice", "alice-pw");
  v2.register_and_login("bob", "bob-pass1");
  CHECK(only_code(v3.call("--members--|nosuch")) == "no_such_group");
  CHECK(only_code(v3.call("--add--|nosuch|bob")) == "no_such_group");
  CHECK(only_code(v2.call("--members--|nosuch")) == "no_such_user");
}
