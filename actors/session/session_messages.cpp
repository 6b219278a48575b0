// The session's message commands: send, ack and history.

#include <charconv>

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "actors/session/session_actor.hpp"
#include "net/encode.hpp"
#include "proto/limits.hpp"
#include "proto/names.hpp"

namespace kurir {

namespace {

/// The longest client message id accepted.
constexpr std::size_t max_client_id = limits::max_client_id;

/// Parses a non-negative decimal integer; an empty text gives `fallback`.
std::optional<int64_t> parse_int(std::string_view text, int64_t fallback) {
  if (text.empty())
    return fallback;
  int64_t value = 0;
  auto [end, ec]
    = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0)
    return std::nullopt;
  return value;
}

std::string arg(const net::command& cmd, std::size_t i) {
  return i < cmd.args.size() ? cmd.args[i] : std::string{};
}

} // namespace

void session_state::do_send(reply_queue::slot s, net::command& cmd) {
  auto target = net::fold_name(cmd.target, svc.settings.names);
  if (!target)
    return reply_error(s, errc::bad_name, target.error().detail, "send");
  if (cmd.body.size() > svc.settings.max_body)
    return reply_error(s, errc::too_long,
                       "message body exceeds "
                         + std::to_string(svc.settings.max_body) + " bytes",
                       "send");
  if (cmd.client_id.size() > max_client_id)
    return reply_error(s, errc::bad_request,
                       "client id longer than " + std::to_string(max_client_id)
                         + " bytes",
                       "send");
  // The send waits for the others of this read: they go to the writer in
  // one request (flush_sends), and their answers come back in one.
  ++input.pending_writes;
  input.sends.push_back({s, *target, cmd.client_id});
  input.send_reqs.push_back(persistence::append_request{
    user, *target, std::move(cmd.body), 0, std::move(cmd.client_id)});
}

void session_state::flush_sends() {
  if (input.send_reqs.empty())
    return;
  std::vector<queued_send> batch;
  batch.swap(input.sends);
  std::vector<persistence::append_request> reqs;
  reqs.swap(input.send_reqs);
  self->request(svc.writer, caf::infinite, append_atom_v, std::move(reqs))
    .then([=](append_results& res) { on_sent(batch, res); },
          [=](caf::error& err) {
            for (const auto& q : batch)
              reply_failure(q.slot, err, "send to " + q.target);
            write_done(batch.size());
          });
}

void session_state::on_sent(const std::vector<queued_send>& batch,
                            append_results& res) {
  for (std::size_t i = 0; i < batch.size() && i < res.size(); ++i) {
    const auto& q = batch[i];
    auto& r = res[i];
    if (r.code != errc::none) {
      reply_error(q.slot, r.code, r.detail, "send to " + q.target);
      continue;
    }
    const auto& m = r.msg;
    counts.resends += m.duplicate ? 1 : 0; // the writer logs the send
    std::vector<std::string> ok{std::to_string(m.id), std::to_string(m.seq)};
    if (!q.client_id.empty())
      ok.push_back(q.client_id);
    replies.fill(q.slot, net::encode_ok("send", ok));
  }
  flush_replies();
  write_done(batch.size());
}

void session_state::do_ack(reply_queue::slot s, const net::command& cmd) {
  if (!proto.acks)
    return reply_error(s, errc::bad_request,
                       "acknowledgements need --hello--|2|ack before login",
                       "ack");
  std::vector<persistence::cursor_update> moves;
  std::string unknown;
  std::size_t bad = 0; // the next text of a field that is no id
  for (auto id : cmd.ids) {
    auto res = id >= 0 ? flow.window().ack(id) : std::nullopt;
    if (!res) {
      auto text
        = id >= 0 ? std::to_string(id) : cmd.args.at(bad++).substr(0, 24);
      unknown += (unknown.empty() ? "" : ",") + text;
      continue;
    }
    moves.insert(moves.end(), res->begin(), res->end());
    ++counts.acks;
  }
  delivered(moves);
  if (!unknown.empty())
    return reply_error(s, errc::not_awaiting_ack,
                       "not awaiting acknowledgement: " + unknown, "ack");
  reply(s, {}); // acknowledgements are not answered
}

void session_state::do_history(reply_queue::slot s, const net::command& cmd) {
  auto peer_name = net::fold_name(arg(cmd, 0), svc.settings.names);
  if (!peer_name)
    return reply_error(s, errc::bad_name, peer_name.error().detail, "history");
  auto limit = parse_int(arg(cmd, 1), svc.settings.history_page);
  auto before = parse_int(arg(cmd, 2), 0);
  auto after = parse_int(arg(cmd, 3), 0);
  auto max = static_cast<int64_t>(svc.settings.history_max);
  if (!limit || *limit < 1 || *limit > max || !before || !after)
    return reply_error(s, errc::bad_request,
                       "limit must be 1-" + std::to_string(max)
                         + " and sequences non-negative numbers",
                       "history");
  persistence::history_query q{user, *peer_name, *before, *after,
                               static_cast<std::size_t>(*limit)};
  auto partner = *peer_name;
  self->request(svc.spool, caf::infinite, history_atom_v, std::move(q))
    .then(
      [=](std::vector<persistence::stored_message>& msgs) {
        std::string out;
        for (auto& m : msgs) {
          net::delivery_fields d{m.id, m.seq, m.ts_ms, m.from, m.to, m.body};
          out += net::encode_history(d);
          out += '\n';
        }
        out
          += net::encode_ok("history", {partner, std::to_string(msgs.size())});
        reply(s, std::move(out));
      },
      [=](caf::error& err) { reply_failure(s, err, "history " + partner); });
}

} // namespace kurir
