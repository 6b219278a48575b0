// The registry's contact book: whom an online user's presence concerns,
// kept as interned ids.

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "actors/registry/contact_book.hpp"

using kurir::contact_book;

namespace {

/// Returns the contacts of `user`, sorted by name.
std::vector<std::string> of(const contact_book& book, const std::string& user) {
  std::vector<std::string> out;
  book.each(user, [&](const std::string& c) { out.push_back(c); });
  std::sort(out.begin(), out.end());
  return out;
}

using names = std::vector<std::string>;

} // namespace

TEST_CASE("a login adds its contacts, and itself to online contacts",
          "[actors][registry]") {
  contact_book book;
  book.add("alice", {"bob", "carol"});
  CHECK(of(book, "alice") == names{"bob", "carol"});
  CHECK_FALSE(book.has("bob")); // bob is not online: no list of his own
  book.add("dave", {"alice", "erin"});
  CHECK(of(book, "dave") == names{"alice", "erin"}); // his own contacts
  // alice is online and one of them: she hears of dave from now on.
  CHECK(of(book, "alice") == names{"bob", "carol", "dave"});
}

TEST_CASE("contacts are kept once and never include the user",
          "[actors][registry]") {
  contact_book book;
  book.add("alice", {"bob", "bob", "alice", "carol"});
  book.add("alice", {"carol", "bob"}); // a second session of alice
  CHECK(of(book, "alice") == names{"bob", "carol"});
  CHECK(book.size("alice") == 2);
}

TEST_CASE("a link reaches only the users that are online",
          "[actors][registry]") {
  contact_book book;
  book.add("alice", {});
  book.link("alice", "erin"); // erin was never seen before
  CHECK(of(book, "alice") == names{"erin"});
  CHECK_FALSE(book.has("erin"));
  book.link("frank", "gina"); // neither online: nothing is kept
  CHECK_FALSE(book.has("frank"));
  CHECK(book.size("gina") == 0);
  book.add("erin", {});
  book.link("erin", "alice"); // both online now
  CHECK(of(book, "erin") == names{"alice"});
  book.link("alice", "alice");
  CHECK(of(book, "alice") == names{"erin"});
}

TEST_CASE("going offline forgets the list and keeps the others",
          "[actors][registry]") {
  contact_book book;
  book.add("alice", {"bob"});
  book.add("bob", {"alice"});
  book.erase("bob");
  CHECK_FALSE(book.has("bob"));
  CHECK(of(book, "bob").empty());
  CHECK(of(book, "alice") == names{"bob"}); // who() filters by online
  book.add("bob", {});
  CHECK(of(book, "bob") == names{}); // a new login starts from its contacts
  CHECK(of(book, "alice") == names{"bob"});
}

TEST_CASE("a large group's lists hold every co-member once",
          "[actors][registry]") {
  contact_book book;
  names members;
  for (int i = 0; i < 300; ++i)
    members.push_back("u" + std::to_string(i));
  for (const auto& m : members)
    book.add(m, members);
  for (const auto& m : members)
    REQUIRE(book.size(m) == members.size() - 1);
  auto got = of(book, "u7");
  CHECK(std::find(got.begin(), got.end(), "u7") == got.end());
  CHECK(std::is_sorted(got.begin(), got.end()));
}
