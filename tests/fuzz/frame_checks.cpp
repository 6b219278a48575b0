#include "tests/fuzz/frame_checks.hpp"

#include <algorithm>
#include <charconv>

#include "actors/session/session_actor.hpp"
#include "net/frame.hpp"

namespace kurir::fuzz {

namespace {

/// More fields than any server frame has: a count above it is an error.
constexpr std::size_t max_fields = 16;

/// The largest write a session makes: a full history page of long bodies.
constexpr std::size_t max_write_frame = 1 << 20;

bool is_number(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc{} && end == text.data() + text.size() && v >= 0;
}

int64_t number(const std::string& text) {
  require(is_number(text), "a numeric field is not a number");
  return std::stoll(text);
}

/// Fields of `--ok--|<command>|...` per command (the frame's field count).
std::size_t ok_fields(const std::string& command) {
  static const std::map<std::string, std::size_t> counts{
    {"register", 3}, {"login", 3}, {"logout", 3}, {"hello", 4},
    {"history", 4},  {"who", 3},   {"groups", 3}, {"members", 5},
    {"create", 3},   {"add", 4},   {"remove", 4}, {"leave", 3},
  };
  auto i = counts.find(command);
  return i == counts.end() ? 0 : i->second;
}

} // namespace

std::vector<written_frame> split_write(std::string_view bytes) {
  net::decoder_state st;
  auto res = net::decode(st, bytes, max_write_frame);
  require(res.error == errc::none, "a written frame is too large");
  require(st.partial.empty() && !st.escaped, "a write ends mid-frame");
  require(!res.frames.empty(), "an empty write");
  // Nothing lost or added: each frame, `;` and `\n` give the bytes back.
  std::vector<written_frame> out;
  std::string again;
  for (auto& f : res.frames) {
    again += f + ";\n";
    out.push_back({std::move(f), again.size()});
  }
  require(again == bytes, "a write is not frames each ending in a newline");
  return out;
}

std::vector<int64_t> frame_checker::check(const outbound& out,
                                          const session_state& s) {
  if (s.epoch != epoch_) { // a new login (or logout): a new delivered set
    epoch_ = s.epoch;
    delivered_.clear();
    last_seq_.clear();
  }
  std::vector<int64_t> ids;
  auto next = out.deliveries.begin();
  for (const auto& w : split_write(out.bytes)) {
    bool delivery = next != out.deliveries.end() && *next == w.end;
    if (delivery)
      ++next;
    auto f = net::split_fields(w.raw, max_fields + 1);
    require(f.size() <= max_fields, "a server frame has too many fields");
    check_frame(f, delivery, s);
    if (delivery)
      ids.push_back(number(f[1]));
  }
  require(next == out.deliveries.end(),
          "a delivery's end is not the end of a frame");
  return ids;
}

void frame_checker::check_frame(const fields& f, bool delivery,
                                const session_state& s) {
  const auto& tag = f[0];
  require(!delivery || tag == "--msg--", "a delivery that is no --msg--");
  require(delivery || tag != "--msg--", "a --msg-- not reported as delivery");
  if (tag == "--ok--")
    return check_ok(f);
  if (tag == "--error--") {
    require(f.size() == 3 && !f[1].empty(), "a malformed --error--");
    return;
  }
  if (tag == "--pong--")
    return require(f.size() <= 2, "a malformed --pong--");
  if (tag == "--ping--")
    return require(f.size() == 2, "a malformed --ping--");
  if (tag == "--presence--") {
    require(f.size() == 3 && (f[2] == "online" || f[2] == "offline"),
            "a malformed --presence--");
    return require(s.proto.version >= 2, "presence to a protocol-1 session");
  }
  if (tag == "--group--") {
    require(f.size() == 4 && (f[2] == "added" || f[2] == "removed"),
            "a malformed --group--");
    return require(s.proto.version >= 3, "a group event before protocol 3");
  }
  if (tag == "--msg--")
    return check_delivery(f, s);
  if (tag == "--hist--")
    return check_history(f);
  require(false, "an unknown server frame");
}

void frame_checker::check_ok(const fields& f) {
  require(f.size() >= 2, "an --ok-- without a command");
  const auto& cmd = f[1];
  if (cmd == "send")
    return check_send_ok(f);
  require(f.size() == ok_fields(cmd), "a malformed --ok--");
  if (cmd == "login") {
    require(probe_->has_user(f[2]), "a login as an unregistered user");
    logins_.insert(f[2]);
  } else if (cmd == "register") {
    require(probe_->has_user(f[2]), "a registration that is not stored");
  } else if (cmd == "history") {
    number(f[3]);
  }
}

void frame_checker::check_send_ok(const fields& f) {
  require(f.size() == 4 || f.size() == 5, "a malformed --ok--|send");
  // Accepted means durable: the confirmed message is in the database, sent
  // by a user this connection logged in as (GUARANTEES.md).
  auto row = probe_->message(number(f[2]));
  require(row.has_value(), "a confirmed send is not in the store");
  require(row->seq == number(f[3]), "a confirmed send has another seq");
  require(logins_.count(row->sender) == 1,
          "a confirmed send by a user this connection never logged in as");
}

const std::vector<std::string>* frame_checker::check_item(const fields& f) {
  require(f.size() == 7, "a malformed --msg-- or --hist--");
  auto row = probe_->message(number(f[1]));
  require(row.has_value(), "a delivered message is not in the store");
  require(row->seq == number(f[2]) && row->ts_ms == number(f[3]),
          "a delivered message has another seq or time");
  require(row->sender == f[4] && row->recipient == f[5] && row->body == f[6],
          "a delivered message differs from the stored one");
  if (!row->group)
    return nullptr;
  auto members = store_->members_at_commit(number(f[1]));
  require(members != nullptr, "a group message the writer never committed");
  return members;
}

void frame_checker::check_delivery(const fields& f, const session_state& s) {
  auto members = check_item(f);
  auto id = number(f[1]);
  auto seq = number(f[2]);
  auto row = probe_->message(id);
  // Nothing is delivered to a user it was not sent to, nor to its sender.
  require(!s.user.empty(), "a delivery to a session without a user");
  require(f[4] != s.user, "a user's own message delivered back");
  if (members == nullptr)
    require(f[5] == s.user, "a direct message delivered to someone else");
  else
    require(std::binary_search(members->begin(), members->end(), s.user),
            "a group message delivered to a non-member");
  // Once per login, and in order within its conversation.
  require(delivered_.insert(id).second, "a message delivered twice");
  auto& last = last_seq_[row->conv];
  require(seq > last, "deliveries out of order in a conversation");
  last = seq;
  ++deliveries_;
}

void frame_checker::check_history(const fields& f) {
  auto members = check_item(f);
  // Only a participant reads history: some user this connection logged in
  // as took part in the conversation.
  bool seen = false;
  for (const auto& u : logins_)
    seen = seen
           || (members == nullptr
                 ? (f[4] == u || f[5] == u)
                 : std::binary_search(members->begin(), members->end(), u));
  require(seen, "history shown to a non-participant");
}

} // namespace kurir::fuzz
