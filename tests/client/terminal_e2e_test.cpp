// The interactive `kurir` under a pseudo-terminal (tmux) against a real
// kurird: what arrives is printed above the line being typed, which stays
// intact. Synchronised by polling the pane with a deadline.

#include <catch2/catch.hpp>

#include "tests/client/proc.hpp"
#include "tests/support/harness.hpp"

using namespace kurir::test;

namespace {

std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  return s;
}

std::string last_line(const std::string& screen) {
  auto lines = screen_lines(screen);
  return lines.empty() ? std::string{} : rtrim(lines.back());
}

bool contains(const std::string& screen, const std::string& text) {
  return screen.find(text) != std::string::npos;
}

/// Returns the cursor's column, and whether it is on the last line.
std::string cursor_on_last_line(tmux_session& t, const std::string& screen) {
  auto pos = t.cursor();
  auto comma = pos.find(',');
  auto row = std::stoul(pos.substr(comma + 1));
  auto last = screen_lines(screen).size() - 1;
  return pos.substr(0, comma) + (row == last ? " on the last line" : " above");
}

/// The shell command that runs the interactive client in the pane.
std::string kurir_command(uint16_t port, const std::string& user,
                          const std::string& extra = "") {
  return "env KURIR_PASSWORD=" + user + "-secret '" + kurir_bin()
         + "' --config=/dev/null --port=" + std::to_string(port)
         + " --user=" + user + " " + extra;
}

/// Waits for the client's first prompt after its login.
void wait_ready(tmux_session& t) {
  std::string screen;
  INFO(screen);
  REQUIRE(t.wait_until(
    [](const std::string& s) {
      return contains(s, "no new messages") && last_line(s) == ">";
    },
    screen));
}

/// Types a line and presses Enter; waits for a fresh, empty prompt.
void enter(tmux_session& t, const std::string& text,
           const std::string& prompt) {
  t.type(text);
  t.keys({"Enter"});
  std::string screen;
  INFO(screen);
  REQUIRE(t.wait_until(
    [&](const std::string& s) { return last_line(s) == prompt; }, screen));
}

/// Waits for the delivery of `body` to `c`; returns false on timeout.
bool received(client& c, const std::string& body) {
  for (auto f = c.next(); !f.empty(); f = c.next()) {
    auto x = fields(f);
    if (x[0] == "--msg--" && x.back() == body)
      return true;
  }
  return false;
}

} // namespace

TEST_CASE("an incoming message does not break the typed line",
          "[client][terminal]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client bob{kurird.port()};
  bob.register_and_login("bob", "bob-secret");
  tmux_session t{kurir_command(kurird.port(), "alice", "--register")};
  wait_ready(t);
  enter(t, "/query bob", "[bob]");
  t.type("hello partial");
  std::string screen;
  REQUIRE(t.wait_until(
    [](const std::string& s) { return last_line(s) == "[bob] hello partial"; },
    screen));
  auto cursor_before = cursor_on_last_line(t, screen);
  CHECK(cursor_before == "19 on the last line");
  bob.send("alice|incoming while typing;");
  INFO(screen);
  REQUIRE(t.wait_until(
    [](const std::string& s) { return contains(s, "incoming while typing"); },
    screen));
  auto lines = screen_lines(screen);
  REQUIRE(lines.size() >= 2);
  CHECK(rtrim(lines.back()) == "[bob] hello partial");
  CHECK(rtrim(lines[lines.size() - 2])
          .find("[bob] <bob> incoming while "
                "typing")
        != std::string::npos);
  CHECK(cursor_on_last_line(t, screen) == cursor_before);
  // The line goes on where it was: the whole text is sent.
  t.type(" and more");
  t.keys({"Enter"});
  CHECK(received(bob, "hello partial and more"));
  REQUIRE(t.wait_until(
    [](const std::string& s) {
      return contains(s, "<alice> hello partial and more")
             && last_line(s) == "[bob]";
    },
    screen));
}

TEST_CASE("a typed line that wraps survives an incoming message",
          "[client][terminal]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client bob{kurird.port()};
  bob.register_and_login("bob", "bob-secret");
  tmux_session t{kurir_command(kurird.port(), "alice", "--register"), 60, 20};
  wait_ready(t);
  enter(t, "/query bob", "[bob]");
  std::string typed(80, 'x');
  typed += " end";
  t.type(typed);
  std::string screen;
  auto shown_whole = [&](const std::string& s) {
    auto l = screen_lines(s);
    return l.size() >= 2
           && l[l.size() - 2] + rtrim(l.back()) == "[bob] " + typed;
  };
  REQUIRE(t.wait_until(shown_whole, screen));
  t.keys({"Left", "Left", "Left"}); // the cursor in the middle of "end"
  // "[bob] " and 84 characters in 60 columns: the cursor ends at column 30
  // of the second row, three to the left is 27.
  auto at_27 = [&](const std::string& s) {
    return cursor_on_last_line(t, s) == "27 on the last line";
  };
  REQUIRE(t.wait_until(at_27, screen));
  bob.send("alice|one;alice|two;");
  INFO(screen);
  REQUIRE(t.wait_until(
    [&](const std::string& s) {
      return contains(s, "<bob> two") && shown_whole(s);
    },
    screen));
  CHECK(at_27(screen));
  auto lines = screen_lines(screen);
  CHECK(rtrim(lines[lines.size() - 3]).find("<bob> two") != std::string::npos);
  t.keys({"Enter"});
  CHECK(received(bob, typed));
}

TEST_CASE("tab completes commands and names in the terminal",
          "[client][terminal]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client bob{kurird.port()};
  bob.register_and_login("bob", "bob-secret");
  tmux_session t{kurir_command(kurird.port(), "alice", "--register")};
  wait_ready(t);
  bob.send("alice|so you know my name;");
  std::string screen;
  REQUIRE(t.wait_until(
    [](const std::string& s) { return contains(s, "so you know my name"); },
    screen));
  // Emptying the line again is editing, not the end of input.
  t.type("zz");
  REQUIRE(t.wait_until(
    [](const std::string& s) { return last_line(s) == "> zz"; }, screen));
  t.keys({"BSpace", "BSpace", "Up", "Down"});
  REQUIRE(t.wait_until([](const std::string& s) { return last_line(s) == ">"; },
                       screen));
  t.type("/que");
  t.keys({"Tab"});
  t.type("b");
  t.keys({"Tab"});
  INFO(screen);
  REQUIRE(t.wait_until(
    [](const std::string& s) { return last_line(s) == "> /query bob"; },
    screen));
  t.keys({"Enter"});
  REQUIRE(t.wait_until(
    [](const std::string& s) { return last_line(s) == "[bob]"; }, screen));
}

TEST_CASE("the password typed at the prompt is not shown",
          "[client][terminal]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client bob{kurird.port()};
  bob.register_and_login("bob", "bob-secret");
  tmux_session t{"'" + kurir_bin() + "' --config=/dev/null --port="
                 + std::to_string(kurird.port()) + " --user=bob"};
  std::string screen;
  REQUIRE(t.wait_until(
    [](const std::string& s) { return contains(s, "Password for bob:"); },
    screen));
  t.type("bob-secret");
  t.keys({"Enter"});
  INFO(screen);
  REQUIRE(t.wait_until(
    [](const std::string& s) { return contains(s, "logged in as bob"); },
    screen));
  CHECK_FALSE(contains(screen, "bob-secret"));
}
