#include "sim/audit.hpp"

#include <algorithm>
#include <functional>

namespace kurir::sim {

namespace {

/// Seqs past this are treated as garbage rather than grown into.
constexpr int64_t max_seq = int64_t{1} << 28;

/// How many examples of each kind are kept.
constexpr std::size_t kept_examples = 20;

uint64_t send_key(int user, int64_t n) {
  return (static_cast<uint64_t>(user) << 40)
         ^ static_cast<uint64_t>(n & 0xffffffffff);
}

/// "u1:7 (id 12 seq 3)".
std::string describe(const std::string& sender, int64_t n, int64_t id,
                     int64_t seq) {
  return sender + ":" + std::to_string(n) + " (id " + std::to_string(id)
         + " seq " + std::to_string(seq) + ")";
}

/// "u2 got id 12 seq 3 from u1 (u1:7)".
std::string describe(const std::string& user, const delivery& d) {
  auto tag = d.body.substr(0, d.body.find(':', d.body.find(':') + 1));
  return user + " got id " + std::to_string(d.id) + " seq "
         + std::to_string(d.seq) + " from " + std::string{d.from} + " ("
         + std::string{tag} + ")";
}

} // namespace

const char* to_string(violation_kind k) {
  switch (k) {
    case violation_kind::lost: return "lost";
    case violation_kind::duplicated: return "duplicated";
    case violation_kind::unexpected: return "unexpected";
    case violation_kind::reordered: return "reordered";
  }
  return "?";
}

// -- bits ---------------------------------------------------------------------

bool audit::bits::test(int64_t i) const {
  auto w = static_cast<std::size_t>(i) / 64;
  return w < words.size() && ((words[w] >> (i % 64)) & 1u) != 0;
}

void audit::bits::set(int64_t i, bool value) {
  auto w = static_cast<std::size_t>(i) / 64;
  if (w >= words.size()) {
    if (!value)
      return;
    words.resize(std::max(w + 1, words.size() * 2), 0);
  }
  auto mask = uint64_t{1} << (i % 64);
  words[w] = value ? (words[w] | mask) : (words[w] & ~mask);
}

// -- names and conversations --------------------------------------------------

std::string audit::make_body(const std::string& sender, int64_t n,
                             std::size_t size) {
  auto body = sender + ":" + std::to_string(n) + ":";
  if (body.size() < size)
    body.append(size - body.size(), 'x');
  return body;
}

int audit::user_id(const std::string& name) {
  if (auto known = user_ids_.find(name); known != user_ids_.end())
    return known->second; // no node built for a name seen before
  auto [i, added]
    = user_ids_.emplace(name, static_cast<int>(user_names_.size()));
  if (added) {
    user_names_.push_back(name);
    per_user_.emplace_back();
  }
  return i->second;
}

int audit::conv_id(const std::string& key) {
  return conv_ids_.emplace(key, static_cast<int>(conv_ids_.size()))
    .first->second;
}

std::string audit::user_conv_key(int a, int b) const {
  const auto& x = user_names_[static_cast<std::size_t>(a)];
  const auto& y = user_names_[static_cast<std::size_t>(b)];
  return x < y ? "d:" + x + "\n" + y : "d:" + y + "\n" + x;
}

void audit::add_group(const std::string& name,
                      const std::vector<std::string>& members) {
  auto id = static_cast<int>(group_names_.size());
  group_ids_.emplace(name, id);
  group_names_.push_back(name);
  std::vector<int> ids;
  for (const auto& m : members)
    ids.push_back(user_id(m));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  group_members_.push_back(std::move(ids));
}

bool audit::is_recipient(const send_rec& s, int user) const {
  if (s.target_group < 0)
    return user == s.target_user;
  const auto& m = group_members_[static_cast<std::size_t>(s.target_group)];
  return user != s.sender && std::binary_search(m.begin(), m.end(), user);
}

std::vector<int> audit::recipients(const send_rec& s) const {
  if (s.target_group < 0)
    return {s.target_user};
  std::vector<int> out;
  for (int m : group_members_[static_cast<std::size_t>(s.target_group)])
    if (m != s.sender)
      out.push_back(m);
  return out;
}

void audit::violate(violation_kind k, std::string detail) {
  auto i = static_cast<std::size_t>(k);
  if (counts_[i]++ < kept_examples)
    seen_.push_back({k, std::move(detail)});
}

// -- senders ------------------------------------------------------------------

void audit::sent(const std::string& sender, int64_t n,
                 const std::string& target, const std::string& body,
                 int64_t stamp) {
  send_rec s;
  s.sender = user_id(sender);
  s.n = n;
  auto key = send_key(s.sender, n);
  if (send_index_.count(key) != 0)
    return;
  if (auto g = group_ids_.find(target); g != group_ids_.end()) {
    s.target_group = g->second;
    s.conv = conv_id("g:" + target);
  } else {
    s.target_user = user_id(target);
    s.conv = conv_id(user_conv_key(s.sender, s.target_user));
  }
  s.body_hash = std::hash<std::string_view>{}(body);
  s.stamp = stamp;
  send_index_.emplace(key, sends_.size());
  sends_.push_back(s);
}

void audit::confirmed(const std::string& sender, int64_t n, int64_t id,
                      int64_t seq) {
  auto i = send_index_.find(send_key(user_id(sender), n));
  auto what = describe(sender, n, id, seq);
  if (i == send_index_.end())
    return violate(violation_kind::unexpected, what + " confirmed, never sent");
  auto& s = sends_[i->second];
  if (s.state == send_state::confirmed) {
    if (s.id != id || s.seq != seq)
      violate(violation_kind::duplicated,
              what + " confirmed again as another message: stored twice");
    return;
  }
  if (s.state == send_state::rejected)
    return violate(violation_kind::unexpected,
                   what + " confirmed after an error reply");
  if (s.delivered && (s.id != id || s.seq != seq))
    return violate(violation_kind::unexpected,
                   what + " confirmed, but delivered as id "
                     + std::to_string(s.id));
  auto owner = id_owner_.emplace(id, i->second).first->second;
  if (owner != i->second)
    return violate(violation_kind::unexpected,
                   what + " confirmed with the id of another message");
  s.state = send_state::confirmed;
  s.id = id;
  s.seq = seq;
  ++confirmed_;
  for (int r : recipients(s)) {
    ++expected_;
    auto& convs = per_user_[static_cast<std::size_t>(r)];
    auto uc = convs.find(s.conv);
    if (uc != convs.end() && uc->second.received.test(seq))
      ++arrived_;
  }
}

void audit::rejected(const std::string& sender, int64_t n,
                     const std::string& code) {
  auto i = send_index_.find(send_key(user_id(sender), n));
  auto what = sender + ":" + std::to_string(n);
  if (i == send_index_.end())
    return violate(violation_kind::unexpected, what + " rejected, never sent");
  auto& s = sends_[i->second];
  if (s.state == send_state::confirmed)
    return violate(violation_kind::unexpected,
                   what + " rejected (" + code + ") after a confirmation");
  if (s.delivered)
    violate(violation_kind::unexpected,
            what + " rejected (" + code + ") but delivered");
  s.state = send_state::rejected;
}

// -- recipients ---------------------------------------------------------------

audit::send_rec* audit::find_send(std::string_view body) {
  auto a = body.find(':');
  auto b = a == std::string_view::npos ? a : body.find(':', a + 1);
  if (b == std::string_view::npos || b == a + 1 || b - a > 19)
    return nullptr;
  auto u = user_ids_.find(std::string{body.substr(0, a)});
  if (u == user_ids_.end())
    return nullptr;
  int64_t n = 0;
  for (auto c : body.substr(a + 1, b - a - 1)) {
    if (c < '0' || c > '9')
      return nullptr;
    n = n * 10 + (c - '0');
  }
  auto i = send_index_.find(send_key(u->second, n));
  return i == send_index_.end() ? nullptr : &sends_[i->second];
}

bool audit::check_fields(const send_rec& s, int user, const delivery& d,
                         std::string& why) {
  const auto& target
    = s.target_group >= 0
        ? group_names_[static_cast<std::size_t>(s.target_group)]
        : user_names_[static_cast<std::size_t>(s.target_user)];
  if (d.from != user_names_[static_cast<std::size_t>(s.sender)])
    why = "with sender " + std::string{d.from};
  else if (d.to != target)
    why = "addressed to " + std::string{d.to} + " instead of " + target;
  else if (!is_recipient(s, user))
    why = "although not a recipient";
  else if (std::hash<std::string_view>{}(d.body) != s.body_hash)
    why = "with a changed body";
  else if (s.state == send_state::rejected)
    why = "although its send was rejected";
  else if (s.id != 0 && (s.id != d.id || s.seq != d.seq))
    why = "as another id/seq than " + std::to_string(s.id) + "/"
          + std::to_string(s.seq);
  else if (d.seq < 1 || d.seq > max_seq)
    why = "with an impossible seq";
  else if (s.id == 0 && id_owner_.count(d.id) != 0)
    why = "with the id of another message";
  return why.empty();
}

arrival_info audit::delivered(const std::string& user, uint64_t session,
                              const delivery& d) {
  auto u = user_id(user);
  auto* s = find_send(d.body);
  if (s == nullptr) {
    violate(violation_kind::unexpected, describe(user, d) + ": never sent");
    return {arrival::unexpected, 0};
  }
  std::string why;
  if (!check_fields(*s, u, d, why)) {
    violate(violation_kind::unexpected, describe(user, d) + " " + why);
    return {arrival::unexpected, s->stamp};
  }
  if (s->id == 0) {
    s->id = d.id;
    s->seq = d.seq;
    id_owner_.emplace(d.id, static_cast<std::size_t>(s - sends_.data()));
  }
  s->delivered = true;
  return {classify(u, session, *s, user, d), s->stamp};
}

arrival audit::classify(int user, uint64_t session, send_rec& s,
                        const std::string& name, const delivery& d) {
  auto& uc = per_user_[static_cast<std::size_t>(user)][s.conv];
  if (uc.session != session) {
    uc.session = session;
    uc.session_last = 0;
  }
  auto seq = d.seq;
  auto last = uc.session_last;
  uc.session_last = std::max(last, seq);
  if (!uc.received.test(seq)) {
    uc.received.set(seq);
    if (s.state == send_state::confirmed)
      ++arrived_;
    if (seq > uc.max_first) {
      uc.max_first = seq;
      return arrival::first;
    }
    violate(violation_kind::reordered, describe(name, d)
                                         + " first delivered after seq "
                                         + std::to_string(uc.max_first));
    return arrival::reordered;
  }
  return repeat(uc, last, name, d);
}

arrival audit::repeat(const user_conv& uc, int64_t last,
                      const std::string& name, const delivery& d) {
  if (uc.processed.test(d.seq)) {
    violate(violation_kind::duplicated,
            describe(name, d)
              + " again after its acknowledgement was processed");
    return arrival::duplicated;
  }
  if (d.seq == last) {
    violate(violation_kind::duplicated,
            describe(name, d) + " twice in one login session");
    return arrival::duplicated;
  }
  if (d.seq < last) {
    violate(violation_kind::reordered,
            describe(name, d) + " redelivered after seq " + std::to_string(last)
              + " in one login session");
    return arrival::reordered;
  }
  return arrival::again;
}

// -- acknowledgements ---------------------------------------------------------

void audit::set_ack_bits(const std::string& user,
                         const std::vector<int64_t>& ids, int how) {
  auto& convs = per_user_[static_cast<std::size_t>(user_id(user))];
  for (auto id : ids) {
    auto owner = id_owner_.find(id);
    if (owner == id_owner_.end())
      continue; // an unexpected delivery: already reported
    const auto& s = sends_[owner->second];
    auto& uc = convs[s.conv];
    if (how == 0) {
      uc.processed.set(s.seq);
    } else if (how == 1) {
      uc.processed.set(s.seq);
      uc.durable.set(s.seq);
    } else if (!uc.durable.test(s.seq)) {
      uc.processed.set(s.seq, false);
    }
  }
}

void audit::acks_processed(const std::string& user,
                           const std::vector<int64_t>& ids) {
  set_ack_bits(user, ids, 0);
}

void audit::acks_durable(const std::string& user,
                         const std::vector<int64_t>& ids) {
  set_ack_bits(user, ids, 1);
}

void audit::acks_revoked(const std::string& user,
                         const std::vector<int64_t>& ids) {
  set_ack_bits(user, ids, 2);
}

// -- the verdict --------------------------------------------------------------

verdict audit::check(std::size_t max_examples) const {
  verdict v;
  std::vector<violation> lost;
  for (const auto& s : sends_) {
    if (s.state == send_state::sent)
      ++v.unresolved;
    if (s.state != send_state::confirmed)
      continue;
    for (int r : recipients(s)) {
      const auto& convs = per_user_[static_cast<std::size_t>(r)];
      auto uc = convs.find(s.conv);
      if (uc != convs.end() && uc->second.received.test(s.seq))
        continue;
      if (v.lost++ < max_examples)
        lost.push_back(
          {violation_kind::lost,
           user_names_[static_cast<std::size_t>(r)] + " never got "
             + describe(user_names_[static_cast<std::size_t>(s.sender)], s.n,
                        s.id, s.seq)});
    }
  }
  v.duplicated = counts_[1];
  v.unexpected = counts_[2];
  v.reordered = counts_[3];
  v.examples = std::move(lost);
  std::size_t per_kind[4] = {0, 0, 0, 0};
  for (const auto& x : seen_)
    if (per_kind[static_cast<std::size_t>(x.kind)]++ < max_examples)
      v.examples.push_back(x);
  return v;
}

} // namespace kurir::sim
