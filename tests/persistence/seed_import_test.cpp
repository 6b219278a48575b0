// Seed files: parsing user.txt and grup.txt, and importing them idempotently.

#include <algorithm>

#include "persistence/password.hpp"
#include "persistence/seed_import.hpp"
#include "store_fixture.hpp"

using namespace kurir;
using namespace kurir::persistence;
using kurir::test::code_of;
using kurir::test::store_fixture;
using strings = std::vector<std::string>;

namespace {

/// Whether some warning contains every one of `parts`.
bool has_warning(const std::vector<std::string>& warnings,
                 std::initializer_list<std::string_view> parts) {
  return std::any_of(warnings.begin(), warnings.end(), [&](const auto& w) {
    return std::all_of(parts.begin(), parts.end(), [&](std::string_view p) {
      return w.find(p) != std::string::npos;
    });
  });
}

/// A hash function that counts its calls; the "hash" is recognisable.
struct counting_hash {
  int calls = 0;
  std::string operator()(std::string_view password) {
    ++calls;
    return "hashed:" + std::string{password};
  }
};

} // namespace

TEST_CASE("user.txt: records across lines, whitespace and CRLF",
          "[persistence][seed]") {
  auto f = parse_user_file("alice|secret1;\r\n"
                           "  Bob|pa\\;ss\\|word;\r\n"
                           "\n\tcarol|with space ;"
                           "dave|x;;");
  CHECK(f.warnings.empty());
  REQUIRE(f.users.size() == 4);
  CHECK(f.users[0].name == "alice");
  CHECK(f.users[0].password == "secret1");
  CHECK(f.users[1].name == "bob");
  CHECK(f.users[1].password == "pa;ss|word");
  CHECK(f.users[2].name == "carol");
  CHECK(f.users[2].password == "with space "); // passwords taken as they are
  CHECK(f.users[3].name == "dave");
  CHECK(f.users[3].password == "x"); // legacy: no length rule
  CHECK(f.groups.empty());
  CHECK(parse_user_file("").users.empty());
  CHECK(parse_user_file(" \r\n ").warnings.empty());
}

TEST_CASE("user.txt: bad records are skipped with a warning",
          "[persistence][seed]") {
  auto f = parse_user_file("al ice|pw1;"   // 1: bad name
                           "|pw2;"         // 2: empty name
                           "justaname;"    // 3: no password field
                           "bob|;"         // 4: empty password
                           "ok|pw5;"       // 5
                           "OK|pw6;"       // 6: duplicate of 5 after folding
                           "\x1b[31m|pw7;" // 7: control bytes
                           "tail|pw8");    // unterminated
  REQUIRE(f.users.size() == 1);
  CHECK(f.users[0].name == "ok");
  CHECK(f.users[0].password == "pw5");
  CHECK(has_warning(f.warnings, {"user.txt record 1", "bad name", "al ice"}));
  CHECK(has_warning(f.warnings, {"record 2", "bad name"}));
  CHECK(has_warning(f.warnings, {"record 3", "expected user|password"}));
  CHECK(has_warning(f.warnings, {"record 4", "empty password"}));
  CHECK(has_warning(f.warnings, {"record 6", "duplicate of record 5"}));
  CHECK(has_warning(f.warnings, {"record 7", "\\x1b[31m"}));
  CHECK(has_warning(f.warnings, {"after the last ';'"}));
  CHECK(f.warnings.size() == 7);
  for (const auto& w : f.warnings)
    CHECK(w.find('\x1b') == std::string::npos);
}

TEST_CASE("grup.txt: members are split, trimmed and folded",
          "[persistence][seed]") {
  auto f = parse_group_file("team|alice, Bob ,,carol ,alice;\r\n"
                            "solo|;\r\n"
                            "bad group|alice;\r\n"
                            "mixed|dave,not valid!,erin;\r\n"
                            "TEAM|zed;\r\n"
                            "nomembers;\r\n");
  REQUIRE(f.groups.size() == 3);
  CHECK(f.groups[0].name == "team");
  CHECK(f.groups[0].members == strings{"alice", "bob", "carol"});
  CHECK(f.groups[1].name == "solo");
  CHECK(f.groups[1].members.empty());
  CHECK(f.groups[2].name == "mixed");
  CHECK(f.groups[2].members == strings{"dave", "erin"});
  CHECK(has_warning(f.warnings, {"grup.txt record 3", "bad name"}));
  CHECK(has_warning(f.warnings, {"record 4", "bad member name", "not valid!"}));
  CHECK(has_warning(f.warnings, {"record 5", "duplicate of record 1"}));
  CHECK(has_warning(f.warnings, {"record 6", "expected grupname|"}));
  CHECK(f.warnings.size() == 4);
}

TEST_CASE_METHOD(store_fixture, "importing the seed twice changes nothing",
                 "[persistence][seed]") {
  auto users = parse_user_file("alice|pw-a;\nbob|pw-b;\n");
  auto groups = parse_group_file("team|alice,bob,newbie;\n");
  counting_hash counter;
  auto hash = [&](std::string_view pw) { return counter(pw); };
  auto first = import_seed(*db, users, groups, hash, 777);
  REQUIRE(first);
  CHECK(first->users_added == 2);
  CHECK(first->users_present == 0);
  CHECK(first->groups_ensured == 1);
  CHECK(first->warnings.empty());
  CHECK(counter.calls == 2);
  auto alice = db->find_user("alice");
  REQUIRE(alice);
  CHECK(alice->hash == "hashed:pw-a");
  CHECK(alice->reg_addr == "seed");
  CHECK(alice->reg_ms == 777);
  auto second = import_seed(*db, users, groups, hash, 888);
  REQUIRE(second);
  CHECK(second->users_added == 0);
  CHECK(second->users_present == 2);
  CHECK(second->groups_ensured == 1);
  CHECK(counter.calls == 2); // existing users are never re-hashed
  CHECK(db->find_user("alice")->reg_ms == 777);
  auto gs = db->groups();
  REQUIRE(gs);
  REQUIRE(gs->size() == 1);
  CHECK(gs->front().members == strings{"alice", "bob", "newbie"});
}

TEST_CASE_METHOD(store_fixture, "seed conflicts between users and groups warn",
                 "[persistence][seed]") {
  ensure_group("staff", {"alice"});
  auto users = parse_user_file("alice|pw;staff|pw;");
  auto groups = parse_group_file("alice|bob;crew|alice;");
  counting_hash counter;
  auto hash = [&](std::string_view pw) { return counter(pw); };
  auto rep = import_seed(*db, users, groups, hash, 1);
  REQUIRE(rep);
  CHECK(rep->users_added == 1);
  CHECK(rep->groups_ensured == 1);
  CHECK(counter.calls == 1); // "staff" was not hashed in vain
  CHECK(has_warning(rep->warnings, {"staff", "a group has that name"}));
  CHECK(has_warning(rep->warnings, {"alice", "a user has that name"}));
  CHECK(code_of(db->find_user("staff")) == errc::no_such_user);
  auto gs = db->groups();
  REQUIRE(gs);
  REQUIRE(gs->size() == 2);
  CHECK((*gs)[0].name == "crew");
  CHECK((*gs)[1].name == "staff");
}

TEST_CASE_METHOD(store_fixture, "imported seed passwords verify",
                 "[persistence][seed]") {
  auto users = parse_user_file("alice|short;");
  auto hash = [](std::string_view pw) {
    return hash_password(pw, hash_cost::minimal());
  };
  REQUIRE(import_seed(*db, users, {}, hash, 1));
  auto alice = db->find_user("alice");
  REQUIRE(alice);
  CHECK(verify_password(alice->hash, "short"));
  CHECK_FALSE(verify_password(alice->hash, "Short"));
}

TEST_CASE_METHOD(store_fixture, "a failing hash aborts the import",
                 "[persistence][seed]") {
  auto users = parse_user_file("alice|pw;");
  auto hash = [](std::string_view) { return std::string{}; };
  auto rep = import_seed(*db, users, {}, hash, 1);
  CHECK(code_of(rep) == errc::internal_error);
  CHECK(code_of(db->find_user("alice")) == errc::no_such_user);
}
