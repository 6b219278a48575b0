// The client's connection: connect, handshake, reads, faults, reconnects.

#include "sim/client.hpp"

#include <algorithm>
#include <cstdint>
#include <sys/epoll.h>

namespace kurir::sim {

namespace {

/// Bytes read from one connection per readiness event, for fairness.
constexpr std::size_t read_budget = 256 * 1024;

/// The longest wait between reconnect attempts.
constexpr int max_backoff_ms = 500;

} // namespace

client::client(context& ctx, uint32_t index, std::string name)
    : ctx_(ctx), index_(index), name_(std::move(name)) {
  // nop
}

void client::add_setup(std::string frame) {
  setup_.push_back({std::move(frame), false, 0});
}

bool client::setup_done() const {
  for (const auto& s : setup_)
    if (!s.done)
      return false;
  return true;
}

// -- connecting ---------------------------------------------------------------

void client::want_online(bool on, time_point now) {
  wanted_ = on;
  if (on && state_ == state::down) {
    if (now >= retry_at_)
      ctx_.engine->admit(index_);
    else
      ctx_.engine->wake(index_, retry_at_);
  } else if (!on && state_ != state::down) {
    conn_.close();
    lost(now, true);
  }
}

void client::connect(time_point now) {
  if (state_ != state::down || !wanted_) {
    ctx_.engine->handshake_over(index_);
    return;
  }
  admitted_ = true;
  ++gen_;
  if (auto err = conn_.open(ctx_.addr, ctx_.tls, ctx_.opt.host); err != 0) {
    ++ctx_.count.connect_failures;
    lost(now, false);
    return;
  }
  state_ = state::connecting;
  watched_ = EPOLLOUT;
  ctx_.engine->watch(index_, conn_.fd(), watched_, true);
}

void client::start_handshake(time_point now) {
  ctx_.log_trace(name_, '!', "connected, gen " + std::to_string(gen_));
  ++ctx_.count.connects;
  backoff_ms_ = 20;
  state_ = state::handshake;
  waiting_since_ = now;
  write_login(!registered_);
}

void client::write_login(bool with_register) {
  auto& out = conn_.out();
  auto at = out.size();
  client_core::put_hello(out);
  expect_reply(kind::hello, 0);
  if (with_register) {
    client_core::put_register(out, name_, ctx_.password);
    expect_reply(kind::reg, 0);
  }
  ++session_;
  ackable_ = true;
  client_core::put_login(out, name_, ctx_.password);
  expect_reply(kind::login, 0);
  ctx_.log_trace(name_, '>', std::string_view{out}.substr(at));
}

void client::lost(time_point now, bool by_us) {
  ctx_.log_trace(name_, '!', by_us ? "closed by kurir-sim" : "connection lost");
  if (admitted_)
    ctx_.engine->handshake_over(index_);
  admitted_ = false;
  if (conn_.is_open()) {
    conn_.close();
    if (!by_us)
      ++ctx_.count.disconnects;
  }
  state_ = state::down;
  watched_ = 0;
  fifo_.take_all();
  acks_.connection_lost(); // unproven acks: the audit did not count them
  ackable_ = false;
  relogin_ = false;
  online_since_ = INT64_MAX;
  stalled_until_ = {};
  if (!wanted_)
    return;
  if (by_us) {
    retry_later(now, 0, 50);
  } else {
    retry_later(now, backoff_ms_ / 2, backoff_ms_);
    backoff_ms_ = std::min(backoff_ms_ * 2, max_backoff_ms);
  }
}

void client::retry_later(time_point now, int min_ms, int max_ms) {
  std::uniform_int_distribution<int> ms(min_ms, std::max(min_ms, max_ms));
  retry_at_ = now + std::chrono::milliseconds(ms(ctx_.rng));
  ctx_.engine->wake(index_, retry_at_);
}

// -- events -------------------------------------------------------------------

void client::update_watch() {
  if (!conn_.is_open())
    return;
  uint32_t want = EPOLLOUT;
  if (state_ != state::connecting) {
    conn_.flush(); // everything this wake-up wrote, in one go
    bool stalled = stalled_until_ != time_point{};
    want = (stalled ? 0u : uint32_t{EPOLLIN})
           | (conn_.wants_write() ? uint32_t{EPOLLOUT} : 0u);
  }
  if (want != watched_)
    ctx_.engine->watch(index_, conn_.fd(), want, false);
  watched_ = want;
}

void client::on_io(uint32_t events, time_point now) {
  if (state_ == state::down)
    return;
  if (state_ == state::connecting) {
    auto err = conn_.connect_result();
    if (err != 0) {
      ++ctx_.count.connect_failures;
      conn_.close();
      lost(now, false);
      return;
    }
    start_handshake(now);
  } else {
    if ((events & (EPOLLHUP | EPOLLERR)) != 0)
      stalled_until_ = {}; // read now, to see the end of the connection
    if ((events & EPOLLOUT) != 0)
      conn_.flush();
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0)
      read_frames(now);
  }
  update_watch();
}

void client::read_frames(time_point now) {
  if (stalled_until_ != time_point{})
    return;
  auto status = conn_.read(read_budget);
  auto gen = gen_;
  std::string_view frame;
  while (gen == gen_ && state_ != state::down && conn_.next_frame(frame))
    on_frame(frame, now);
  if (gen != gen_ || state_ == state::down)
    return;
  if (status == read_status::closed || conn_.broken()) {
    if (auto why = conn_.tls_error(); !why.empty())
      ctx_.note(name_, why);
    lost(now, false);
    return;
  }
  flush_acks();
  pump(now);
}

void client::on_timer(time_point now) {
  if (state_ == state::down && wanted_) {
    if (now >= retry_at_)
      ctx_.engine->admit(index_);
    else
      ctx_.engine->wake(index_, retry_at_);
  }
  if (stalled_until_ != time_point{}) {
    if (now < stalled_until_) {
      ctx_.engine->wake(index_, stalled_until_);
    } else {
      stalled_until_ = {};
      waiting_since_ = now;
    }
  }
  pump(now);
  update_watch();
}

void client::expect_reply(kind what, int64_t n) {
  if (fifo_.empty())
    waiting_since_ = sim_clock::now();
  fifo_.push({what, n});
}

void client::command(std::string_view frame, kind what, int64_t n) {
  ctx_.log_trace(name_, '>', frame);
  // Written by `update_watch`; a failed write shows up as a failed read.
  conn_.out() += frame;
  expect_reply(what, n);
}

// -- faults -------------------------------------------------------------------

bool client::drop(time_point now) {
  if (state_ == state::down)
    return false;
  conn_.abort();
  lost(now, true);
  return true;
}

bool client::stall(time_point until) {
  if (state_ != state::online)
    return false;
  stalled_until_ = until;
  update_watch();
  ctx_.engine->wake(index_, until);
  return true;
}

bool client::churn(time_point now) {
  if (state_ != state::online)
    return false;
  switch (ctx_.rng() % 3) {
    case 0: // log out and in again on the same connection
      ackable_ = false;
      relogin_ = true;
      state_ = state::logging_out;
      command("--logout--;", kind::logout, 0);
      update_watch();
      break;
    case 1: // vanish: RST, then come back
      drop(now);
      break;
    default: // close normally, then come back
      conn_.close();
      lost(now, true);
  }
  return true;
}

void client::broker_killed() {
  for (const auto& b : acks_.take_uncommitted())
    ctx_.log.acks_revoked(name_, b.ids);
}

void client::check_overdue(time_point now) {
  if (fifo_.empty() || state_ == state::down || stalled_until_ != time_point{})
    return;
  auto limit = std::chrono::duration<double>(ctx_.opt.reply_timeout);
  if (now - waiting_since_ < limit)
    return;
  ++ctx_.count.reply_timeouts;
  ctx_.note(name_, "no answer within --reply-timeout; reconnecting");
  conn_.abort();
  lost(now, false);
}

} // namespace kurir::sim
