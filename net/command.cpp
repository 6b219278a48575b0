#include "net/command.hpp"

#include <charconv>
#include <vector>

#include "net/frame.hpp"
#include "proto/limits.hpp"

namespace kurir::net {

namespace {

constexpr std::size_t max_quoted_word = 32;

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'
         || c == '\v';
}

std::string_view trim_left(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  return text;
}

std::string_view trim(std::string_view text) noexcept {
  text = trim_left(text);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

bool starts_with(std::string_view text, std::string_view prefix) noexcept {
  return text.substr(0, prefix.size()) == prefix;
}

parse_result fail(errc code, std::string detail) {
  parse_result res;
  res.error = code;
  res.detail = std::move(detail);
  return res;
}

parse_result ok(command cmd) {
  parse_result res;
  res.cmd = std::move(cmd);
  return res;
}

/// Quotes an (unescaped) command word for an error detail: at most
/// `max_quoted_word` bytes, every byte outside printable ASCII shown as `?`,
/// so the detail never carries control bytes or a split UTF-8 sequence.
std::string quote_word(std::string_view word) {
  std::string out = "unknown command \"";
  auto n = word.size() < max_quoted_word ? word.size() : max_quoted_word;
  for (std::size_t i = 0; i < n; ++i) {
    auto c = static_cast<unsigned char>(word[i]);
    out += (c >= 0x20 && c < 0x7f) ? word[i] : '?';
  }
  if (word.size() > max_quoted_word)
    out += "...";
  out += '"';
  return out;
}

/// Parses `--register--|name|password` and `--login--|name|password`.
parse_result parse_credentials(std::string_view raw, command_kind kind,
                               std::string_view word) {
  auto fields = split_fields(raw, 3);
  if (fields.size() != 3)
    return fail(errc::bad_request,
                "expected " + std::string{word} + "|name|password");
  command cmd;
  cmd.kind = kind;
  cmd.name = std::move(fields[1]);
  cmd.secret = std::move(fields[2]);
  return ok(std::move(cmd));
}

/// Builds a command whose single optional argument takes the rest of the
/// frame: `--logout--|name`, `--ping--|token`.
command with_argument(command_kind kind, std::vector<std::string>& fields) {
  command cmd;
  cmd.kind = kind;
  auto arg = fields.size() > 1 ? std::move(fields[1]) : std::string{};
  if (kind == command_kind::logout)
    cmd.name = std::move(arg);
  else
    cmd.token = std::move(arg);
  return cmd;
}

/// Parses `target|body`.
parse_result parse_send(std::vector<std::string>& fields) {
  if (fields.size() < 2)
    return fail(errc::bad_request, "expected target|message");
  auto target = trim(fields[0]);
  if (target.empty())
    return fail(errc::bad_request, "empty target in target|message");
  if (fields[1].empty())
    return fail(errc::bad_request, "empty message in target|message");
  command cmd;
  cmd.kind = command_kind::send;
  cmd.target = std::string{target};
  cmd.body = std::move(fields[1]);
  return ok(std::move(cmd));
}

/// A protocol-2 command: its word, kind, and how many arguments it takes.
/// The last argument takes the rest of the frame.
struct command_spec {
  std::string_view word;
  command_kind kind;
  std::size_t min_args;
  std::size_t max_args;
  std::string_view usage;
};

constexpr std::size_t max_acks = limits::max_acks;

constexpr command_spec specs[] = {
  {"--hello--", command_kind::hello, 1, 2, "--hello--|version|capabilities"},
  {"--ack--", command_kind::ack, 1, max_acks, "--ack--|message id|..."},
  {"--send--", command_kind::send, 3, 3, "--send--|client id|target|message"},
  {"--history--", command_kind::history, 1, 4,
   "--history--|peer|limit|before seq|after seq"},
  {"--who--", command_kind::who, 0, 0, "--who--"},
  {"--groups--", command_kind::groups, 0, 0, "--groups--"},
  {"--create--", command_kind::create, 1, 1, "--create--|group"},
  {"--add--", command_kind::add, 2, 2, "--add--|group|user"},
  {"--remove--", command_kind::remove, 2, 2, "--remove--|group|user"},
  {"--leave--", command_kind::leave, 1, 1, "--leave--|group"},
  {"--members--", command_kind::members, 1, 1, "--members--|group"},
};

/// Parses `--send--|client id|target|body` from its arguments.
parse_result make_send(std::vector<std::string>& args) {
  std::vector<std::string> fields{std::move(args[1]), std::move(args[2])};
  auto res = parse_send(fields);
  if (res.error != errc::none)
    return res;
  if (args[0].empty())
    return fail(errc::bad_request, "empty client id");
  res.cmd.client_id = std::move(args[0]);
  return res;
}

/// Returns an ack command of the message ids in `fields`.
command make_ack(std::vector<std::string>& fields) {
  command cmd;
  cmd.kind = command_kind::ack;
  cmd.ids.reserve(fields.size());
  for (auto& text : fields) {
    int64_t id = -1;
    auto* last = text.data() + text.size();
    auto [end, ec] = std::from_chars(text.data(), last, id);
    if (text.empty() || ec != std::errc{} || end != last || id < 0) {
      id = -1;
      cmd.args.push_back(std::move(text));
    }
    cmd.ids.push_back(id);
  }
  return cmd;
}

/// Parses a protocol-2 command by its spec.
parse_result parse_spec(std::string_view raw, const command_spec& spec) {
  // A command without arguments takes nothing after its word.
  auto fields = split_fields(raw, spec.max_args + (spec.max_args == 0 ? 2 : 1));
  auto nargs = fields.size() - 1;
  if (nargs < spec.min_args || nargs > spec.max_args)
    return fail(errc::bad_request, "expected " + std::string{spec.usage});
  std::vector<std::string> args(std::make_move_iterator(fields.begin() + 1),
                                std::make_move_iterator(fields.end()));
  if (spec.kind == command_kind::send)
    return make_send(args);
  if (spec.kind == command_kind::ack)
    return ok(make_ack(args));
  command cmd;
  cmd.kind = spec.kind;
  cmd.args = std::move(args);
  return ok(std::move(cmd));
}

/// Parses a frame whose first field starts with `--`.
parse_result parse_control(std::string_view raw,
                           std::vector<std::string>& fields) {
  constexpr std::string_view logout_colon = "--logout--:";
  const auto& word = fields.front();
  if (word == "--register--")
    return parse_credentials(raw, command_kind::register_user, word);
  if (word == "--login--")
    return parse_credentials(raw, command_kind::login, word);
  if (word == "--logout--")
    return ok(with_argument(command_kind::logout, fields));
  if (word == "--ping--")
    return ok(with_argument(command_kind::ping, fields));
  if (word == "--pong--")
    return ok(with_argument(command_kind::pong, fields));
  for (const auto& spec : specs)
    if (word == spec.word)
      return parse_spec(raw, spec);
  if (starts_with(raw, logout_colon)) {
    // The seed's `--logout--:name`: the name is the rest of the frame.
    command cmd;
    cmd.kind = command_kind::logout;
    cmd.name = split_fields(raw.substr(logout_colon.size()), 1).front();
    return ok(std::move(cmd));
  }
  return fail(errc::unknown_command, quote_word(word));
}

} // namespace

parse_result parse_command(std::string_view raw_frame) {
  auto raw = trim_left(raw_frame);
  if (raw.empty())
    return fail(errc::bad_request, "empty frame");
  auto fields = split_fields(raw, 2);
  if (starts_with(fields.front(), "--"))
    return parse_control(raw, fields);
  return parse_send(fields);
}

std::string_view to_string(command_kind kind) noexcept {
  switch (kind) {
    case command_kind::register_user: return "register";
    case command_kind::login: return "login";
    case command_kind::logout: return "logout";
    case command_kind::ping: return "ping";
    case command_kind::send: return "send";
    case command_kind::hello: return "hello";
    case command_kind::ack: return "ack";
    case command_kind::history: return "history";
    case command_kind::who: return "who";
    case command_kind::groups: return "groups";
    case command_kind::create: return "create";
    case command_kind::add: return "add";
    case command_kind::remove: return "remove";
    case command_kind::leave: return "leave";
    case command_kind::members: return "members";
    case command_kind::pong: return "pong";
  }
  return "unknown";
}

} // namespace kurir::net
