// The client's protocol: answers in command order, deliveries, acks, sends.
// Frames, reply matching, ack bookkeeping and resends are the client core's.

#include <algorithm>

#include "client/core/frames.hpp"
#include "sim/client.hpp"

namespace kurir::sim {

namespace cc = client_core;

namespace {

/// Whether an error code means "not now": the hashing queue is full
/// (`server_busy`) or logins are throttled (`try_later`).
bool refused_for_now(std::string_view code) {
  return code == "server_busy" || code == "try_later";
}

/// Reads field `i` of `f` as a number, 0 if it is none.
int64_t number(const cc::server_frame& f, std::size_t i) {
  int64_t x = 0;
  return f.number(i, x) ? x : 0;
}

/// The first two fields of `f` for a note: `--ok--|send`.
std::string head(const cc::server_frame& f) {
  std::string out{f.field(0)};
  if (f.count > 1)
    out.append("|").append(f.field(1));
  return out;
}

} // namespace

// -- frames -------------------------------------------------------------------

void client::on_frame(std::string_view raw, time_point now) {
  ctx_.log_trace(name_, '<', raw);
  auto f = cc::parse_frame(raw);
  switch (cc::role_of(f)) {
    case cc::frame_role::reply:
      return on_reply(f.kind != cc::frame_kind::error, f, now);
    case cc::frame_role::push:
      if (f.kind == cc::frame_kind::msg)
        return on_delivery(f, now);
      if (f.kind == cc::frame_kind::presence || f.kind == cc::frame_kind::group)
        return;
      break;
    case cc::frame_role::ack_refused: // answers no command, breaks no order
    case cc::frame_role::closing:     // the broker closes next
      return ctx_.note(name_, std::string{raw});
    default: break;
  }
  ctx_.note(name_, "unexpected frame " + std::string{raw.substr(0, 80)});
}

void client::on_reply(bool ok, const cc::server_frame& f, time_point now) {
  if (fifo_.empty())
    return ctx_.note(name_, "answer without a command: " + head(f));
  auto e = fifo_.pop();
  waiting_since_ = now;
  acks_answered(e.stamp, false);
  auto field = f.field(1);
  switch (e.what.what) {
    case kind::hello:
      if (!ok || field != "hello" || f.field(3) != "ack")
        ctx_.note(name_, "hello refused: " + head(f));
      break;
    case kind::reg:
      if ((ok && field == "register") || (!ok && field == "name_taken"))
        registered_ = true;
      else if (!ok && refused_for_now(field))
        return back_off(now);
      else
        ctx_.note(name_, "register failed: " + head(f));
      break;
    case kind::login: return on_login(ok && field == "login", f, now);
    case kind::logout: return on_logout(ok && field == "logout", head(f));
    case kind::send: return on_send_reply(ok, f, e.what.n, e.stamp);
    case kind::setup: {
      auto& s = setup_[static_cast<std::size_t>(e.what.n)];
      bool again
        = !ok && field == "name_taken" && s.frame.rfind("--create--", 0) == 0;
      if (!ok && !again)
        ctx_.note(name_, s.frame + " failed: " + head(f));
      s.done = true;
      break;
    }
  }
}

void client::on_logout(bool ok, const std::string& text) {
  if (!ok)
    return ctx_.note(name_, "logout failed: " + text);
  ++ctx_.count.logouts;
  state_ = state::handshake;
  write_login(false);
}

void client::on_login(bool ok, const cc::server_frame& f, time_point now) {
  if (!ok && refused_for_now(f.field(1)))
    return back_off(now);
  if (!ok) {
    ctx_.note(name_, "login failed: " + head(f));
    conn_.abort();
    lost(now, false);
    return;
  }
  after_login(now);
}

void client::back_off(time_point now) {
  ++ctx_.count.refused;
  conn_.close(); // the answers still to come belong to this handshake
  lost(now, false);
}

void client::after_login(time_point now) {
  state_ = state::online;
  online_since_ = ctx_.micros(now);
  ++ctx_.count.logins;
  if (admitted_)
    ctx_.engine->handshake_over(index_);
  admitted_ = false;
  if (one_shot_) {
    want_online(false, now);
    return;
  }
  run_setup();
  // Every send of an earlier connection still unanswered goes again with
  // the same client id: the broker stores it at most once.
  outbox_.for_each_unwritten(gen_, [this](int64_t n) {
    ++ctx_.count.resends;
    write_send(n);
  });
  pump(now);
}

void client::run_setup() {
  if (state_ != state::online)
    return;
  for (std::size_t i = 0; i < setup_.size(); ++i) {
    auto& s = setup_[i];
    if (s.done || s.gen == gen_)
      continue;
    s.gen = gen_;
    command(s.frame, kind::setup, static_cast<int64_t>(i));
  }
  update_watch();
}

// -- sends --------------------------------------------------------------------

void client::pump(time_point now) {
  if (state_ != state::online || !ctx_.sending)
    return;
  auto window = static_cast<std::size_t>(ctx_.opt.window);
  while (next_ < plan_.size() && outbox_.size() < window) {
    if (ctx_.opt.rate > 0) {
      auto period = std::chrono::duration_cast<sim_clock::duration>(
        std::chrono::duration<double>(1.0 / ctx_.opt.rate));
      if (now < next_send_at_) {
        ctx_.engine->wake(index_, next_send_at_);
        break;
      }
      next_send_at_ = std::max(next_send_at_, now - period) + period;
    }
    ++next_;
    send_new(static_cast<int64_t>(next_));
  }
  update_watch(); // writes them (the engine calls this at the phase start)
}

void client::send_new(int64_t n) {
  const auto& target = plan_[static_cast<std::size_t>(n - 1)];
  auto body
    = audit::make_body(name_, n, static_cast<std::size_t>(ctx_.opt.body_size));
  ctx_.log.sent(name_, n, target, body, ctx_.micros(sim_clock::now()));
  ++ctx_.count.sends;
  // The outbox numbers sends 1, 2, ... as the plan does: client id = n.
  outbox_.add(target, std::move(body));
  write_send(n);
}

void client::write_send(int64_t n) {
  auto& out = conn_.out();
  auto at = out.size();
  outbox_.write(n, gen_, out);
  ctx_.log_trace(name_, '>', std::string_view{out}.substr(at));
  expect_reply(kind::send, n);
}

void client::on_send_reply(bool ok, const cc::server_frame& f, int64_t n,
                           uint64_t stamp) {
  if (!ok) {
    std::string code{f.count > 1 ? f.field(1) : "?"};
    ctx_.log.rejected(name_, n, code);
    if (outbox_.settle(n)) {
      ++ctx_.count.rejected;
      ++ctx_.count.rejected_by_code[code];
    }
    return;
  }
  if (f.count < 5 || f.field(1) != "send"
      || !outbox_.is_client_id(n, f.field(4)))
    return ctx_.note(name_, "send " + std::to_string(n) + " answered with "
                              + std::string{f.count > 4 ? f.field(4) : "?"});
  ctx_.log.confirmed(name_, n, number(f, 2), number(f, 3));
  if (outbox_.settle(n)) {
    ++ctx_.count.confirmed;
    if (ctx_.count.in_send_phase)
      ++ctx_.count.phase_confirmed;
  }
  // The send was committed after every ack written before it was
  // processed: those cursor moves are in the same or an earlier commit.
  acks_answered(stamp, true);
}

// -- deliveries and acks ------------------------------------------------------

void client::on_delivery(const cc::server_frame& f, time_point now) {
  cc::delivery_view v;
  if (!cc::parse_delivery(f, v))
    return ctx_.note(name_, "short --msg-- frame");
  delivery d{v.id, v.seq, v.from, v.to, cc::unescaped(v.body, scratch_)};
  auto info = ctx_.log.delivered(name_, session_, d);
  auto& c = ctx_.count;
  ++c.deliveries;
  if (info.kind == arrival::first || info.kind == arrival::reordered) {
    ++c.first_deliveries;
    if (c.counting_deliveries) {
      ++c.phase_deliveries;
      c.last_delivery = now;
    }
    if (online_since_ <= info.sent_stamp)
      c.latency_ms.push_back(
        static_cast<double>(ctx_.micros(now) - info.sent_stamp) / 1000.0);
  } else if (info.kind == arrival::again) {
    ++c.redeliveries;
  }
  if (ackable_)
    acks_.add(d.id);
}

void client::flush_acks() {
  if (!ackable_ || state_ == state::down) {
    acks_.discard_queued();
    return;
  }
  auto& out = conn_.out();
  auto at = out.size();
  ctx_.count.acked += acks_.write(out, fifo_.next_stamp());
  if (out.size() > at)
    ctx_.log_trace(name_, '>', std::string_view{out}.substr(at));
}

void client::acks_answered(uint64_t stamp, bool committed) {
  // A command written after an ack was answered: the ack was processed.
  acks_.answered(
    stamp, committed,
    [this](const std::vector<int64_t>& ids) {
      ctx_.log.acks_processed(name_, ids);
    },
    [this](const std::vector<int64_t>& ids) {
      ctx_.log.acks_durable(name_, ids);
    });
}

} // namespace kurir::sim
