// The client's protocol: answers in command order, deliveries, acks, sends.

#include <algorithm>
#include <cstdlib>

#include "net/frame.hpp"
#include "sim/client.hpp"

namespace kurir::sim {

namespace {

/// Most ids in one `--ack--` frame (docs/PROTOCOL.md, "Limits").
constexpr std::size_t max_ack_ids = 1024;

/// Fields of every frame kurir-sim reads (a `--msg--` has 7).
constexpr std::size_t max_fields = 7;

/// Whether an error code means "not now": the hashing queue is full
/// (`server_busy`) or logins are throttled (`try_later`).
bool refused_for_now(const std::string& code) {
  return code == "server_busy" || code == "try_later";
}

int64_t number(const std::string& text) {
  return std::strtoll(text.c_str(), nullptr, 10);
}

} // namespace

// -- frames -------------------------------------------------------------------

void client::on_frame(const std::string& raw, time_point now) {
  ctx_.log_trace(name_, '<', raw);
  auto f = net::split_fields(raw, max_fields);
  const auto& tag = f[0];
  if (tag == "--msg--")
    return on_delivery(f, now);
  if (tag == "--ok--" || tag == "--pong--")
    return on_reply(true, f, now);
  if (tag == "--error--") {
    // A failed ack is the only answer to an ack, and breaks no order.
    if (f.size() >= 3 && f[2].rfind("not awaiting acknowledgement", 0) == 0)
      return ctx_.note(name_, raw);
    return on_reply(false, f, now);
  }
  if (tag != "--presence--")
    ctx_.note(name_, "unexpected frame " + raw.substr(0, 80));
}

void client::on_reply(bool ok, const std::vector<std::string>& f,
                      time_point now) {
  auto text = f.size() > 1 ? f[0] + "|" + f[1] : f[0];
  if (fifo_.empty())
    return ctx_.note(name_, "answer without a command: " + text);
  auto e = fifo_.front();
  fifo_.pop_front();
  waiting_since_ = now;
  acks_answered(e.stamp, false);
  auto field = [&f](std::size_t i) { return i < f.size() ? f[i] : ""; };
  switch (e.what) {
    case kind::hello:
      if (!ok || field(1) != "hello" || field(3) != "ack")
        ctx_.note(name_, "hello refused: " + text);
      break;
    case kind::reg:
      if ((ok && field(1) == "register") || (!ok && field(1) == "name_taken"))
        registered_ = true;
      else if (!ok && refused_for_now(field(1)))
        return back_off(now);
      else
        ctx_.note(name_, "register failed: " + text);
      break;
    case kind::login: return on_login(ok && field(1) == "login", f, now);
    case kind::logout: return on_logout(ok && field(1) == "logout", text);
    case kind::send: return on_send_reply(ok, f, e);
    case kind::setup: {
      auto& s = setup_[static_cast<std::size_t>(e.n)];
      bool again = !ok && field(1) == "name_taken"
                   && s.frame.rfind("--create--", 0) == 0;
      if (!ok && !again)
        ctx_.note(name_, s.frame + " failed: " + text);
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
  command("--hello--|2|ack;", kind::hello, 0);
  ++session_;
  ackable_ = true;
  command("--login--|" + name_ + "|" + ctx_.password + ";", kind::login, 0);
}

void client::on_login(bool ok, const std::vector<std::string>& f,
                      time_point now) {
  if (!ok && f.size() > 1 && refused_for_now(f[1]))
    return back_off(now);
  if (!ok) {
    ctx_.note(name_, "login failed: " + (f.size() > 1 ? f[1] : f[0]));
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
  for (auto& [n, p] : unconfirmed_)
    if (p.gen != gen_)
      send_one(n, true);
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
}

// -- sends --------------------------------------------------------------------

void client::pump(time_point now) {
  if (state_ != state::online || !ctx_.sending)
    return;
  auto window = static_cast<std::size_t>(ctx_.opt.window);
  while (next_ < plan_.size() && unconfirmed_.size() < window) {
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
    send_one(static_cast<int64_t>(next_), false);
  }
}

void client::send_one(int64_t n, bool again) {
  const auto& target = plan_[static_cast<std::size_t>(n - 1)];
  auto body
    = audit::make_body(name_, n, static_cast<std::size_t>(ctx_.opt.body_size));
  if (again) {
    ++ctx_.count.resends;
  } else {
    ctx_.log.sent(name_, n, target, body, ctx_.micros(sim_clock::now()));
    ++ctx_.count.sends;
  }
  unconfirmed_[n].gen = gen_;
  command("--send--|" + std::to_string(n) + "|" + target + "|"
            + net::escape(body) + ";",
          kind::send, n);
}

void client::on_send_reply(bool ok, const std::vector<std::string>& f,
                           const expect& e) {
  auto n = e.n;
  if (!ok) {
    auto code = f.size() > 1 ? f[1] : std::string{"?"};
    ctx_.log.rejected(name_, n, code);
    if (unconfirmed_.erase(n) != 0) {
      ++ctx_.count.rejected;
      ++ctx_.count.rejected_by_code[code];
    }
    return;
  }
  if (f.size() < 5 || f[1] != "send" || f[4] != std::to_string(n))
    return ctx_.note(name_, "send " + std::to_string(n) + " answered with "
                              + (f.size() > 4 ? f[4] : "?"));
  ctx_.log.confirmed(name_, n, number(f[2]), number(f[3]));
  if (unconfirmed_.erase(n) != 0) {
    ++ctx_.count.confirmed;
    if (ctx_.count.in_send_phase)
      ++ctx_.count.phase_confirmed;
  }
  // The send was committed after every ack written before it was
  // processed: those cursor moves are in the same or an earlier commit.
  acks_answered(e.stamp, true);
}

// -- deliveries and acks ------------------------------------------------------

void client::on_delivery(const std::vector<std::string>& f, time_point now) {
  if (f.size() < max_fields)
    return ctx_.note(name_, "short --msg-- frame");
  delivery d{number(f[1]), number(f[2]), f[4], f[5], f[6]};
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
    to_ack_.push_back(d.id);
}

void client::flush_acks() {
  if (!ackable_ || state_ == state::down) {
    to_ack_.clear();
    return;
  }
  for (std::size_t i = 0; i < to_ack_.size(); i += max_ack_ids) {
    auto end = std::min(to_ack_.size(), i + max_ack_ids);
    std::string frame = "--ack--";
    for (auto j = i; j < end; ++j)
      frame += "|" + std::to_string(to_ack_[j]);
    frame += ";";
    unproven_.push_back({stamp_,
                         {to_ack_.begin() + static_cast<std::ptrdiff_t>(i),
                          to_ack_.begin() + static_cast<std::ptrdiff_t>(end)}});
    ctx_.count.acked += end - i;
    write(frame);
  }
  to_ack_.clear();
}

void client::acks_answered(uint64_t stamp, bool committed) {
  // A command written after an ack was answered: the ack was processed.
  while (!unproven_.empty() && unproven_.front().stamp <= stamp) {
    ctx_.log.acks_processed(name_, unproven_.front().ids);
    processed_.push_back(std::move(unproven_.front()));
    unproven_.pop_front();
  }
  while (committed && !processed_.empty()
         && processed_.front().stamp <= stamp) {
    ctx_.log.acks_durable(name_, processed_.front().ids);
    processed_.pop_front();
  }
}

} // namespace kurir::sim
