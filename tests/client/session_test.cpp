// The client's protocol logic without I/O: frames in, events and frames out.

#include <catch2/catch.hpp>

#include "client/terminal/session.hpp"

using namespace kurir::client;

namespace {

session_config config(bool reg = false) {
  session_config c;
  c.user = "alice";
  c.password = "alice-pw1";
  c.register_first = reg;
  c.client_id_prefix = "t";
  c.max_retries = 3;
  return c;
}

/// Connects and logs in; discards the events and output so far.
void login(session& s) {
  s.on_connected("127.0.0.1", 7777);
  s.on_frame("--ok--|hello|3|ack");
  s.on_frame("--ok--|login|alice");
  s.take_events();
  s.take_output();
}

user_command line(const std::string& text) {
  return parse_line(text);
}

std::vector<event_kind> kinds(const std::vector<event>& events) {
  std::vector<event_kind> out;
  for (const auto& e : events)
    out.push_back(e.kind);
  return out;
}

} // namespace

TEST_CASE("the session says hello then logs in", "[client][session]") {
  session s{config()};
  s.on_connected("127.0.0.1", 7777);
  CHECK(s.take_output() == "--hello--|3|ack;--login--|alice|alice-pw1;");
  s.on_frame("--ok--|hello|3|ack");
  s.on_frame("--ok--|login|alice");
  CHECK(s.logged_in());
  CHECK(s.self() == "alice");
  CHECK(s.take_output() == "--ping--|backlog-1;");
  auto ev = s.take_events();
  CHECK(
    kinds(ev)
    == std::vector<event_kind>{event_kind::connected, event_kind::logged_in});
}

TEST_CASE("the session registers first when asked", "[client][session]") {
  session s{config(true)};
  s.on_connected("127.0.0.1", 7777);
  CHECK(s.take_output()
        == "--hello--|3|ack;--register--|alice|alice-pw1;"
           "--login--|alice|alice-pw1;");
  s.on_frame("--ok--|hello|3|ack");
  s.on_frame("--ok--|register|alice");
  s.on_frame("--ok--|login|alice");
  auto ev = s.take_events();
  REQUIRE(ev.size() == 3);
  CHECK(ev[1].kind == event_kind::registered);
  // A reconnect logs in without registering again.
  s.on_disconnected("gone");
  s.on_connected("127.0.0.1", 7777);
  CHECK(s.take_output() == "--hello--|3|ack;--login--|alice|alice-pw1;");
}

TEST_CASE("a delivery frame becomes a message event", "[client][session]") {
  session s{config()};
  login(s);
  s.on_frame("--msg--|5|2|1700000000000|bob|alice|hi \\| there\\; ok");
  auto ev = s.take_events();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == event_kind::message);
  CHECK(ev[0].msg.id == 5);
  CHECK(ev[0].msg.seq == 2);
  CHECK(ev[0].msg.ts_ms == 1700000000000);
  CHECK(ev[0].msg.from == "bob");
  CHECK(ev[0].msg.to == "alice");
  CHECK(ev[0].msg.body == "hi | there; ok");
  CHECK(ev[0].backlog); // before the backlog barrier's pong
  CHECK(conversation_of(ev[0].msg, s.self()) == "bob");
  s.on_frame("--pong--|backlog-1");
  ev = s.take_events();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == event_kind::backlog_done);
  CHECK(ev[0].fields == std::vector<std::string>{"1"});
  s.on_frame("--msg--|6|1|1700000000001|bob|team|group text");
  ev = s.take_events();
  REQUIRE(ev.size() == 1);
  CHECK_FALSE(ev[0].backlog);
  CHECK(conversation_of(ev[0].msg, s.self()) == "team");
}

TEST_CASE("an ack is sent only once the message was shown",
          "[client][session]") {
  session s{config()};
  login(s);
  s.on_frame("--msg--|5|1|1|bob|alice|one");
  s.on_frame("--msg--|6|2|1|bob|alice|two");
  CHECK(s.take_output().empty());
  s.shown(5);
  s.shown(6);
  CHECK(s.take_output() == "--ack--|5|6;");
  s.shown(6); // twice: nothing more
  CHECK(s.take_output().empty());
}

TEST_CASE("a delivery already shown is acknowledged but not shown again",
          "[client][session]") {
  session s{config()};
  login(s);
  s.on_frame("--msg--|5|1|1|bob|alice|one");
  s.take_events();
  // The connection drops before the ack is written: it comes again.
  s.on_disconnected("reset");
  login(s);
  s.on_frame("--msg--|5|1|1|bob|alice|one");
  CHECK(s.take_events().empty());
  CHECK(s.take_output() == "--ack--|5;");
}

TEST_CASE("sends carry client ids and are sent again after a reconnect",
          "[client][session]") {
  session s{config()};
  login(s);
  s.execute(line("/msg Bob hi there"));
  CHECK(s.take_output() == "--send--|t-1|bob|hi there;");
  CHECK(s.unconfirmed() == 1);
  CHECK(s.on_disconnected("reset") >= 0);
  s.on_connected("127.0.0.1", 7777);
  CHECK(s.take_output() == "--hello--|3|ack;--login--|alice|alice-pw1;");
  s.on_frame("--ok--|hello|3|ack");
  s.on_frame("--ok--|login|alice");
  CHECK(s.take_output() == "--ping--|backlog-2;--send--|t-1|bob|hi there;");
  s.take_events();
  s.on_frame("--pong--|backlog-2");
  s.on_frame("--ok--|send|7|3|t-1");
  auto ev = s.take_events();
  REQUIRE(ev.size() == 2);
  CHECK(ev[1].kind == event_kind::sent);
  CHECK(ev[1].fields
        == std::vector<std::string>{"7", "3", "t-1", "bob", "hi there"});
  CHECK(s.unconfirmed() == 0);
}

TEST_CASE("commands typed before the login wait for it", "[client][session]") {
  session s{config()};
  s.execute(line("/create team"));
  s.execute(line("/group team hello"));
  CHECK(s.take_output().empty());
  s.on_connected("127.0.0.1", 7777);
  s.on_frame("--ok--|hello|3|ack");
  s.take_output();
  s.on_frame("--ok--|login|alice");
  CHECK(s.take_output()
        == "--ping--|backlog-1;--create--|team;--send--|t-1|team|hello;");
}

TEST_CASE("replies are matched to commands in order", "[client][session]") {
  session s{config()};
  login(s);
  s.on_frame("--pong--|backlog-1");
  s.execute(line("/who"));
  s.execute(line("/groups"));
  s.execute(line("/msg nobody hello"));
  s.execute(line("/members team"));
  CHECK(s.take_output()
        == "--who--;--groups--;--send--|t-1|nobody|hello;--members--|team;");
  s.take_events();
  s.on_frame("--ok--|who|bob,carol");
  s.on_frame("--ok--|groups|team");
  s.on_frame("--error--|no_such_user|no user or group nobody");
  s.on_frame("--ok--|members|team|alice|alice,dave");
  auto ev = s.take_events();
  REQUIRE(kinds(ev)
          == std::vector<event_kind>{event_kind::who, event_kind::groups,
                                     event_kind::error, event_kind::members});
  CHECK(ev[0].fields == std::vector<std::string>{"bob,carol"});
  CHECK(ev[2].fields[0] == "no_such_user");
  CHECK(ev[2].fields[1]
        == "There is no user or group by that name. (no user or group "
           "nobody)");
  CHECK(ev[2].fields[2] == "/msg nobody");
  CHECK(ev[3].fields
        == std::vector<std::string>{"team", "alice", "alice,dave"});
  CHECK(s.names() == std::set<std::string>{"bob", "carol", "dave", "team"});
}

TEST_CASE("a failed login is fatal with exit status 2", "[client][session]") {
  session s{config()};
  s.on_connected("127.0.0.1", 7777);
  s.on_frame("--ok--|hello|3|ack");
  s.on_frame("--error--|auth_failed|unknown user or wrong password");
  CHECK(s.done());
  CHECK(s.exit_status() == exit_code::auth);
  auto ev = s.take_events();
  REQUIRE(ev.back().kind == event_kind::fatal);
  CHECK(ev.back().fields[1] == "Login failed: unknown user or wrong password.");
}

TEST_CASE("the session gives up after the allowed retries",
          "[client][session]") {
  session s{config()}; // max_retries = 3
  for (int i = 1; i <= 3; ++i) {
    auto d = s.on_disconnected("refused");
    CHECK(d >= 0);
    CHECK(d <= 250 << (i - 1));
  }
  CHECK(s.on_disconnected("refused") == -1);
  CHECK(s.done());
  CHECK(s.exit_status() == exit_code::connect);
  CHECK(s.take_events().back().fields[0] == "cannot_connect");
}

TEST_CASE("the end of input waits for a ping barrier", "[client][session]") {
  session s{config()};
  login(s);
  s.execute(line("/msg bob last words"));
  s.finish();
  CHECK(s.take_output() == "--send--|t-1|bob|last words;--ping--|end-2;");
  s.on_frame("--pong--|backlog-1");
  s.on_frame("--ok--|send|1|1|t-1");
  CHECK_FALSE(s.done());
  s.on_frame("--pong--|end-2");
  CHECK(s.done());
  CHECK(s.exit_status() == 0);
  CHECK(s.take_events().back().kind == event_kind::finished);
}

TEST_CASE("a ping from the broker is answered and breaks no reply order",
          "[client][session]") {
  session s{config()};
  login(s);
  s.on_frame("--pong--|backlog-1");
  s.execute(line("/who"));
  s.take_output();
  s.take_events();
  s.on_frame("--ping--|kurird");
  CHECK(s.take_output() == "--pong--|kurird;");
  s.on_frame("--error--|bad_request|not awaiting acknowledgement: 9");
  s.on_frame("--ok--|who|");
  auto ev = s.take_events();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == event_kind::who);
}

TEST_CASE("a group change in flight when the connection drops is reported",
          "[client][session]") {
  session s{config()};
  login(s);
  s.execute(line("/create team"));
  s.execute(line("/who"));
  s.on_disconnected("reset");
  auto ev = s.take_events();
  REQUIRE(ev.size() >= 1);
  CHECK(ev[0].kind == event_kind::error);
  CHECK(ev[0].fields[0] == "connection_lost");
  CHECK(ev[0].fields[2] == "/create");
  s.on_connected("127.0.0.1", 7777);
  s.on_frame("--ok--|hello|3|ack");
  s.take_output();
  s.on_frame("--ok--|login|alice");
  // The /who (a read) is asked again; the create is not.
  CHECK(s.take_output() == "--ping--|backlog-2;--who--;");
}

TEST_CASE("local commands switch the conversation", "[client][session]") {
  session s{config()};
  login(s);
  s.on_frame("--pong--|backlog-1");
  s.take_events();
  s.execute(line("just text"));
  auto ev = s.take_events();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].fields[0] == "no_conversation");
  s.execute(line("/query Bob"));
  CHECK(s.current() == "bob");
  s.execute(line("now text"));
  s.execute(line("/history 5"));
  CHECK(s.take_output() == "--send--|t-1|bob|now text;--history--|bob|5;");
  s.execute(line("/frobnicate")); // shown after the earlier replies
  CHECK(s.take_events().back().kind == event_kind::ok);
  s.on_frame("--ok--|send|1|1|t-1");
  s.on_frame("--ok--|history|bob|0");
  ev = s.take_events();
  CHECK(ev.back().kind == event_kind::error);
  CHECK(ev.back().fields[0] == "usage");
}

TEST_CASE("local command results keep their place among the replies",
          "[client][session]") {
  session s{config(true)};
  s.execute(line("/who"));
  s.execute(line("/query bob"));
  s.execute(line("/nonsense"));
  CHECK(s.take_events().empty()); // nothing before the login is answered
  s.on_connected("127.0.0.1", 7777);
  s.on_frame("--ok--|hello|3|ack");
  s.on_frame("--ok--|register|alice");
  s.on_frame("--ok--|login|alice");
  s.on_frame("--pong--|backlog-1");
  s.on_frame("--ok--|who|bob");
  auto ev = s.take_events();
  CHECK(kinds(ev)
        == std::vector<event_kind>{
          event_kind::connected, event_kind::registered, event_kind::logged_in,
          event_kind::backlog_done, event_kind::who, event_kind::ok,
          event_kind::error});
  CHECK(ev[5].fields == std::vector<std::string>{"query", "bob"});
}

TEST_CASE("a throttled login is tried again after a backoff",
          "[client][session]") {
  session s{config()};
  s.on_connected("127.0.0.1", 7777);
  s.on_frame("--ok--|hello|3|ack");
  s.on_frame("--error--|try_later|too many failed logins");
  CHECK_FALSE(s.done());
  CHECK(s.wants_reconnect());
  CHECK(s.take_events().back().fields[0] == "try_later");
  CHECK(s.on_disconnected("the broker asked to try again later") >= 0);
  CHECK_FALSE(s.wants_reconnect());
}

TEST_CASE("a broker without acknowledgements is refused", "[client][session]") {
  session s{config()};
  s.on_connected("127.0.0.1", 7777);
  s.on_frame("--ok--|hello|2|");
  CHECK(s.done());
  CHECK(s.exit_status() == exit_code::protocol);
}

TEST_CASE("group events name who made the change, or nobody for oneself",
          "[client][session]") {
  session s{config()};
  login(s);
  s.on_frame("--group--|team|added|bob");
  s.on_frame("--group--|mine|added|alice"); // created on another device
  s.on_frame("--group--|team|removed|bob");
  auto ev = s.take_events();
  REQUIRE(kinds(ev)
          == std::vector<event_kind>{event_kind::group_event,
                                     event_kind::group_event,
                                     event_kind::group_event});
  CHECK(ev[0].fields == std::vector<std::string>{"team", "added", "bob"});
  CHECK(ev[1].fields == std::vector<std::string>{"mine", "added", ""});
  CHECK(ev[2].fields == std::vector<std::string>{"team", "removed", "bob"});
  CHECK(s.take_output().empty()); // a push: nothing to answer
}
