#include "proto/names.hpp"

namespace kurir::net {

namespace {

bool is_name_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
         || c == '.' || c == '-';
}

char fold_ascii(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string name_rule_text(const name_rules& rules) {
  return "name must be 1-" + std::to_string(rules.max_name)
         + " characters of a-z 0-9 _ . - and not start with --";
}

} // namespace

outcome<std::string> fold_name(std::string_view name, const name_rules& rules) {
  if (name.empty() || name.size() > rules.max_name)
    return failure{errc::bad_name, name_rule_text(rules)};
  std::string folded;
  folded.reserve(name.size());
  for (char c : name) {
    auto f = fold_ascii(c);
    if (!is_name_char(f))
      return failure{errc::bad_name, name_rule_text(rules)};
    folded += f;
  }
  // "--" opens every command frame; such a name could never be messaged.
  if (folded.compare(0, 2, "--") == 0)
    return failure{errc::bad_name, name_rule_text(rules)};
  return folded;
}

outcome<done> check_password(std::string_view password,
                             const name_rules& rules) {
  if (password.size() < rules.min_password
      || password.size() > rules.max_password)
    return failure{errc::bad_password,
                   "password must be " + std::to_string(rules.min_password)
                     + "-" + std::to_string(rules.max_password) + " bytes"};
  return done{};
}

} // namespace kurir::net
