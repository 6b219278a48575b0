// The client's small pure parts: commands, completion, backoff, error texts,
// the plain format and the options.

#include <catch2/catch.hpp>

#include "client/terminal/backoff.hpp"
#include "client/terminal/commands.hpp"
#include "client/terminal/completion.hpp"
#include "client/terminal/error_text.hpp"
#include "client/terminal/format.hpp"
#include "client/terminal/options.hpp"
#include "proto/errc.hpp"

using namespace kurir::client;

TEST_CASE("input lines parse into commands", "[client][commands]") {
  auto c = parse_line("/msg bob  hello   world ");
  CHECK(c.word == command_word::msg);
  CHECK(c.args == std::vector<std::string>{"bob", "hello   world "});
  CHECK(parse_line("plain text").word == command_word::text);
  CHECK(parse_line("//slash").args == std::vector<std::string>{"/slash"});
  CHECK(parse_line("   ").word == command_word::none);
  CHECK(parse_line("/add team bob").args
        == std::vector<std::string>{"team", "bob"});
  CHECK(parse_line("/history").args.empty());
  CHECK(parse_line("/history 30").args == std::vector<std::string>{"30"});
  for (auto bad : {"/msg bob", "/history 0", "/history x", "/add team",
                   "/who me", "/nope"}) {
    INFO(bad);
    auto x = parse_line(bad);
    CHECK(x.word == command_word::invalid);
    CHECK_FALSE(x.error.empty());
  }
  CHECK(help_lines().size() == command_names().size() + 1);
}

TEST_CASE("tab completes command names and seen names",
          "[client][completion]") {
  std::set<std::string> names{"bob", "bobby", "carol", "team"};
  CHECK(complete("/que", names).insert == "ry ");
  auto m = complete("/m", names);
  CHECK(m.insert.empty());
  CHECK(m.candidates == std::vector<std::string>{"/members", "/msg"});
  CHECK(complete("/msg ca", names).insert == "rol ");
  auto b = complete("/msg b", names);
  CHECK(b.insert == "ob");
  CHECK(b.candidates == std::vector<std::string>{"bob", "bobby"});
  CHECK(complete("hello t", names).insert == "eam ");
  CHECK(complete("/msg zz", names).insert.empty());
}

TEST_CASE("reconnection delays grow with jitter and are capped",
          "[client][backoff]") {
  backoff b{250, 2000, 42};
  CHECK(b.ceiling_ms(1) == 250);
  CHECK(b.ceiling_ms(2) == 500);
  CHECK(b.ceiling_ms(4) == 2000);
  CHECK(b.ceiling_ms(50) == 2000);
  for (int attempt = 1; attempt < 10; ++attempt) {
    auto d = b.delay_ms(attempt);
    CHECK(d >= b.ceiling_ms(attempt) / 2);
    CHECK(d <= b.ceiling_ms(attempt));
  }
  backoff again{250, 2000, 42};
  backoff other{250, 2000, 42};
  CHECK(again.delay_ms(5) == other.delay_ms(5));
}

TEST_CASE("every broker error code has a sentence of its own",
          "[client][errors]") {
  using kurir::errc;
  for (int i = 1; i < 256; ++i) {
    auto x = static_cast<errc>(i);
    auto wire = std::string{kurir::to_wire(x)};
    if (x > errc::internal_error && wire == "internal_error")
      break; // past the end of the enum
    INFO(wire);
    auto text = explain(wire);
    CHECK(text.find("this client does not know") == std::string::npos);
    CHECK(text != kurir::default_text(x));
  }
  CHECK(explain("no_such_user", "no such user or group")
        == "There is no user or group by that name.");
  CHECK(explain("something_new").find("something_new") != std::string::npos);
  CHECK(closes_on_its_own("frame_too_large") == false);
  CHECK(closes_on_its_own("no_such_user") == false);
}

TEST_CASE("plain format lines are tab separated and escaped",
          "[client][format]") {
  event e;
  e.kind = event_kind::message;
  e.msg = {7, 3, 1700000000000, "bob", "alice", "a\tb\nc\\d"};
  CHECK(plain_format(e)
        == "msg\t7\t3\t1700000000000\tbob\talice\ta\\tb\\nc\\\\d\n");
  e.kind = event_kind::sent;
  e.fields = {"8", "4", "k-1", "bob", "body"};
  CHECK(plain_format(e) == "sent\t8\t4\tk-1\tbob\n");
  e.kind = event_kind::error;
  e.fields = {"forbidden", "Not allowed.", "/members"};
  CHECK(plain_format(e) == "error\tforbidden\tNot allowed.\t/members\n");
  e.kind = event_kind::presence;
  e.fields = {"bob", "online"};
  CHECK(plain_format(e) == "presence\tbob\tonline\n");
  e.kind = event_kind::group_event;
  e.fields = {"team", "added", "alice"};
  CHECK(plain_format(e) == "group\tteam\tadded\talice\n");
  e.kind = event_kind::finished;
  CHECK(plain_format(e).empty());
}

TEST_CASE("pretty lines show time conversation sender and text",
          "[client][format]") {
  event e;
  e.kind = event_kind::message;
  e.msg = {7, 3, 1700000000000, "bob", "alice", "hi\x1b[2J"};
  auto text = pretty_format(e, {"alice", false});
  CHECK(text == clock_of(1700000000000) + " [bob] <bob> hi?[2J");
  e.msg.to = "team";
  CHECK(pretty_format(e, {"alice", false}).find("[team] <bob>")
        != std::string::npos);
  CHECK(pretty_format(e, {"alice", true}).find("\x1b[") != std::string::npos);
}

TEST_CASE("options come from the config file then the command line",
          "[client][options]") {
  options o;
  CHECK(apply_config("; comment\n[global]\nhost = \"example.org\"\nport=7000\n"
                     "user=alice\n",
                     o)
          .empty());
  CHECK(o.host == "example.org");
  CHECK(o.port == 7000);
  CHECK(o.user == "alice");
  CHECK_FALSE(apply_config("port=99999\n", o).empty());
  CHECK_FALSE(apply_config("colour=yes\n", o).empty());
  options p;
  CHECK(parse_options({"--config=/nonexistent/kurir.ini"}, p) != "");
  options q;
  CHECK(parse_options({"--config", "/dev/null", "--port", "7001", "--user=bob",
                       "--register", "--plain", "--retries=2"},
                      q)
          .empty());
  CHECK(q.port == 7001);
  CHECK(q.user == "bob");
  CHECK(q.register_first);
  CHECK(q.plain);
  CHECK(q.retries == 2);
  options r;
  CHECK_FALSE(parse_options({"--config=/dev/null", "--bogus"}, r).empty());
}

TEST_CASE("tls options: on in the file or on the command line, port 7443",
          "[client][options]") {
  using namespace kurir::client;
  options o;
  CHECK(apply_config("tls=true\ntls-ca=/etc/kurir/ca.pem\n", o).empty());
  CHECK(o.tls);
  CHECK(o.tls_ca == "/etc/kurir/ca.pem");
  CHECK_FALSE(apply_config("tls=maybe\n", o).empty());
  options p;
  CHECK(parse_options({"--config=/dev/null", "--tls"}, p).empty());
  CHECK(p.tls);
  CHECK(p.port == 7443); // the TLS port unless one is given
  CHECK_FALSE(p.tls_insecure);
  options q;
  CHECK(
    parse_options({"--config=/dev/null", "--tls", "--port=9000"}, q).empty());
  CHECK(q.port == 9000);
  options r;
  CHECK(parse_options({"--config=/dev/null", "--tls-insecure"}, r).empty());
  CHECK(r.tls);
  CHECK(r.tls_insecure);
  options plain;
  CHECK(parse_options({"--config=/dev/null"}, plain).empty());
  CHECK_FALSE(plain.tls);
  CHECK(plain.port == 7777);
}
