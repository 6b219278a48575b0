#include "persistence/seed_import.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "net/frame.hpp"
#include "persistence/event_log.hpp"
#include "proto/names.hpp"

namespace kurir::persistence {

namespace {

// -- parsing ------------------------------------------------------------------

/// Seed records are short; this only bounds memory on a broken file.
constexpr std::size_t max_seed_record = 1024 * 1024;

/// One record of a seed file, numbered from 1 in file order.
struct seed_record {
  int number = 0;
  std::vector<std::string> fields; ///< at most two, escapes removed
};

bool is_space(char ch) noexcept {
  return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f'
         || ch == '\v';
}

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

std::string where(std::string_view file, int number) {
  return std::string{file} + " record " + std::to_string(number) + ": ";
}

/// Quotes seed text for a warning, escaped so it cannot forge log lines.
std::string quoted(std::string_view text) {
  return '\'' + escape_for_log(text) + '\'';
}

/// Splits `text` into records with the wire codec's framing rules. Empty
/// records are skipped silently; a record too long and an unterminated tail
/// are skipped with a warning.
std::vector<seed_record> split_records(std::string_view text,
                                       std::string_view file,
                                       std::vector<std::string>& warnings) {
  net::decoder_state st;
  auto res = net::decode(st, text, max_seed_record);
  std::vector<seed_record> out;
  int number = 0;
  for (const auto& raw : res.frames) {
    ++number;
    if (!trim(raw).empty())
      out.push_back(seed_record{number, net::split_fields(raw, 2)});
  }
  if (res.error != errc::none)
    warnings.push_back(where(file, number + 1)
                       + "longer than 1 MiB; it and the rest of the file"
                         " are skipped");
  else if (!st.partial.empty())
    warnings.push_back(std::string{file}
                       + ": text after the last ';' is not a complete"
                         " record; skipped");
  return out;
}

/// Trims and folds `raw`; on failure appends a warning calling it `what`
/// ("name", "member name") and returns nothing.
std::optional<std::string> checked_name(std::string_view raw,
                                        std::string_view what,
                                        const std::string& prefix,
                                        std::vector<std::string>& warnings) {
  auto folded = net::fold_name(trim(raw));
  if (folded)
    return std::move(*folded);
  warnings.push_back(prefix + "bad " + std::string{what} + " " + quoted(raw)
                     + " (" + folded.error().detail + "); skipped");
  return std::nullopt;
}

/// Records `name` as seen in `number`; warns and returns false if an
/// earlier record had it (the first one wins).
bool first_of_name(std::map<std::string, int>& seen, const std::string& name,
                   int number, const std::string& prefix,
                   std::vector<std::string>& warnings) {
  auto [it, added] = seen.emplace(name, number);
  if (!added)
    warnings.push_back(prefix + "duplicate of record "
                       + std::to_string(it->second) + " for " + quoted(name)
                       + "; skipped");
  return added;
}

/// Splits a member list at ',', trimming and folding each; empty entries
/// are skipped, invalid ones skipped with a warning, repeats dropped.
std::vector<std::string> parse_members(std::string_view list,
                                       const std::string& prefix,
                                       std::vector<std::string>& warnings) {
  std::vector<std::string> members;
  for (;;) {
    auto comma = list.find(',');
    auto entry = trim(list.substr(0, comma));
    auto name = entry.empty()
                  ? std::nullopt
                  : checked_name(entry, "member name", prefix, warnings);
    if (name && std::count(members.begin(), members.end(), *name) == 0)
      members.push_back(std::move(*name));
    if (comma == std::string_view::npos)
      break;
    list.remove_prefix(comma + 1);
  }
  return members;
}

} // namespace

seed_file parse_user_file(std::string_view text) {
  seed_file out;
  std::map<std::string, int> seen;
  for (auto& rec : split_records(text, "user.txt", out.warnings)) {
    auto prefix = where("user.txt", rec.number);
    if (rec.fields.size() != 2) {
      out.warnings.push_back(prefix + "expected user|password; skipped");
      continue;
    }
    auto name = checked_name(rec.fields[0], "name", prefix, out.warnings);
    if (!name)
      continue;
    // Legacy passwords are taken as they are, but an empty one is a broken
    // record, not an account anyone should be able to log in to.
    if (rec.fields[1].empty()) {
      out.warnings.push_back(prefix + "empty password; skipped");
      continue;
    }
    if (first_of_name(seen, *name, rec.number, prefix, out.warnings))
      out.users.push_back(
        seed_user{std::move(*name), std::move(rec.fields[1])});
  }
  return out;
}

seed_file parse_group_file(std::string_view text) {
  seed_file out;
  std::map<std::string, int> seen;
  for (auto& rec : split_records(text, "grup.txt", out.warnings)) {
    auto prefix = where("grup.txt", rec.number);
    if (rec.fields.size() != 2) {
      out.warnings.push_back(prefix + "expected grupname|user1,user2; skipped");
      continue;
    }
    auto name = checked_name(rec.fields[0], "name", prefix, out.warnings);
    if (!name)
      continue;
    auto members = parse_members(rec.fields[1], prefix, out.warnings);
    if (first_of_name(seen, *name, rec.number, prefix, out.warnings))
      out.groups.push_back(seed_group{std::move(*name), std::move(members)});
  }
  return out;
}

// -- importing ----------------------------------------------------------------

namespace {

/// Adds `u` unless stored already. Users named like a group are skipped
/// before hashing, so a conflict costs no hash on every start.
outcome<done>
import_user(store& st, const seed_user& u, const std::set<std::string>& groups,
            const std::function<std::string(std::string_view)>& hash,
            int64_t now_ms, import_report& rep) {
  auto found = st.find_user(u.name);
  if (found) {
    ++rep.users_present;
    return done{};
  }
  if (found.error().code != errc::no_such_user)
    return found.error();
  if (groups.count(u.name) == 0) {
    auto encoded = hash(u.password);
    if (encoded.empty())
      return failure{errc::internal_error,
                     "cannot hash the password of seed user " + u.name};
    auto added
      = st.add_user(user_record{u.name, std::move(encoded), "seed", now_ms});
    if (added) {
      ++rep.users_added;
      return done{};
    }
    if (added.error().code != errc::name_taken)
      return added.error();
  }
  rep.warnings.push_back("seed user " + u.name
                         + " not imported: a group has that name");
  return done{};
}

outcome<done> import_group(store& st, const seed_group& g, import_report& rep) {
  auto res = st.ensure_group(group_record{g.name, {}, g.members});
  if (res) {
    ++rep.groups_ensured;
    return done{};
  }
  if (res.error().code != errc::name_taken)
    return res.error();
  rep.warnings.push_back("seed group " + g.name
                         + " not imported: a user has that name");
  return done{};
}

} // namespace

outcome<import_report>
import_seed(store& st, const seed_file& users, const seed_file& groups,
            const std::function<std::string(std::string_view)>& hash,
            int64_t now_ms) {
  import_report rep;
  auto stored_groups = st.groups();
  if (!stored_groups)
    return stored_groups.error();
  std::set<std::string> group_names;
  for (const auto& g : *stored_groups)
    group_names.insert(g.name);
  for (const auto& u : users.users)
    if (auto r = import_user(st, u, group_names, hash, now_ms, rep); !r)
      return r.error();
  for (const auto& g : groups.groups)
    if (auto r = import_group(st, g, rep); !r)
      return r.error();
  return rep;
}

} // namespace kurir::persistence
