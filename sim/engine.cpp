#include "sim/engine.hpp"

#include <arpa/inet.h>
#include <cstdio>
#include <netdb.h>
#include <sys/epoll.h>
#include <unistd.h>

namespace kurir::sim {

namespace {

/// epoll data of the child's output pipe.
constexpr uint32_t child_tag = 0xffffffff;

/// How long a restarted child may take to listen before it is replaced.
constexpr auto restart_limit = std::chrono::seconds(20);

/// How often the predicate of `run_until` is evaluated.
constexpr auto check_every = std::chrono::milliseconds(5);

int ms_until(time_point now, time_point t) {
  if (t <= now)
    return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(t - now).count();
  return static_cast<int>(std::min<int64_t>(ms, 50));
}

} // namespace

engine::engine(const options& opt, audit& log, counters& count, uint64_t seed)
    : opt_(opt),
      rng_(seed), ctx_{opt, log, count, rng_, this, {}, sim_clock::now()} {
  ctx_.engine = this;
  ctx_.start = sim_clock::now();
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
}

engine::~engine() {
  clients_.clear();
  child_.reset();
  if (epoll_ >= 0)
    ::close(epoll_);
}

bool engine::start(std::string& err) {
  ctx_.addr.sin_family = AF_INET;
  if (!opt_.tls_dir.empty()) {
    auto tls
      = net::tls_context::make_client({opt_.tls_dir + "/ca.pem", true, ""});
    if (!tls) {
      err = tls.error().detail;
      return false;
    }
    ctx_.tls = *tls;
  }
  if (opt_.port != 0) {
    addrinfo hints{};
    hints.ai_family = AF_INET;
    addrinfo* res = nullptr;
    if (::getaddrinfo(opt_.host.c_str(), nullptr, &hints, &res) != 0) {
      err = "cannot resolve " + opt_.host;
      return false;
    }
    ctx_.addr = *reinterpret_cast<sockaddr_in*>(res->ai_addr);
    ::freeaddrinfo(res);
    ctx_.addr.sin_port = htons(opt_.port);
    return true;
  }
  auto bin = opt_.kurird.empty() ? own_directory() + "/kurird" : opt_.kurird;
  child_ = std::make_unique<child_process>(bin, opt_.kurird_args);
  if (!opt_.tls_dir.empty())
    child_->use_tls(opt_.tls_dir);
  if (!child_->make_data_dir(err))
    return false;
  if (!child_->spawn(0) || !child_->wait_listening(30000)) {
    err = "kurird (" + bin + ") did not start listening:\n" + child_->tail();
    return false;
  }
  ctx_.addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ctx_.addr.sin_port = htons(child_->port());
  epoll_event ev{EPOLLIN, {}};
  ev.data.u64 = child_tag;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, child_->output_fd(), &ev);
  return true;
}

client& engine::add_client(std::string name) {
  auto index = static_cast<uint32_t>(clients_.size());
  clients_.push_back(std::make_unique<client>(ctx_, index, std::move(name)));
  next_wake_.emplace_back();
  queued_.push_back(false);
  return *clients_.back();
}

// -- host ---------------------------------------------------------------------

void engine::wake(uint32_t index, time_point when) {
  auto& pending = next_wake_[index];
  if (pending != time_point{} && pending <= when)
    return; // an earlier wake-up comes first; the client re-arms then
  pending = when;
  timers_.push({when, index});
}

void engine::admit(uint32_t index) {
  if (queued_[index])
    return;
  queued_[index] = true;
  waiting_.push_back(index);
}

void engine::handshake_over(uint32_t) {
  --in_handshake_;
}

void engine::watch(uint32_t index, int fd, uint32_t events, bool added) {
  epoll_event ev{events, {}};
  ev.data.u64 = (static_cast<uint64_t>(clients_[index]->gen()) << 32) | index;
  ::epoll_ctl(epoll_, added ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
}

// -- the loop -----------------------------------------------------------------

bool engine::run_until(const std::function<bool(time_point)>& done,
                       time_point deadline, const char* phase) {
  time_point checked{};
  for (;;) {
    auto now = sim_clock::now();
    if (now - checked >= check_every) {
      checked = now;
      if (done(now))
        break;
    }
    if (now >= deadline) {
      progress(now, phase);
      return false;
    }
    admit_waiting(now);
    inject_faults(now);
    if (now >= next_overdue_check_) {
      next_overdue_check_ = now + std::chrono::seconds(1);
      for (auto& c : clients_)
        c->check_overdue(now);
    }
    progress(now, phase);
    poll_once(deadline);
  }
  progress(sim_clock::now(), phase);
  return true;
}

void engine::poll_once(time_point deadline) {
  auto now = sim_clock::now();
  auto until = std::min(deadline, now + check_every);
  if (!timers_.empty())
    until = std::min(until, timers_.top().first);
  epoll_event events[512];
  int n = ::epoll_wait(epoll_, events, 512, ms_until(now, until));
  now = sim_clock::now();
  for (int i = 0; i < n; ++i) {
    auto tag = events[i].data.u64;
    auto index = static_cast<uint32_t>(tag & 0xffffffff);
    if (index == child_tag) {
      on_child(now);
      continue;
    }
    auto& c = *clients_[index];
    if (c.gen() == static_cast<uint32_t>(tag >> 32))
      c.on_io(events[i].events, now);
  }
  fire_timers(now);
}

void engine::fire_timers(time_point now) {
  while (!timers_.empty() && timers_.top().first <= now) {
    auto [when, index] = timers_.top();
    timers_.pop();
    if (next_wake_[index] == when)
      next_wake_[index] = {};
    clients_[index]->on_timer(now);
  }
}

void engine::admit_waiting(time_point now) {
  while (broker_up() && in_handshake_ < opt_.parallel && !waiting_.empty()) {
    auto index = waiting_.front();
    waiting_.pop_front();
    queued_[index] = false;
    ++in_handshake_;
    clients_[index]->connect(now);
  }
}

// -- the child ----------------------------------------------------------------

void engine::on_child(time_point now) {
  auto ev = child_->on_output();
  if (ev == child_process::event::listening) {
    ctx_.log_trace("kurird", '!', "listening");
    restart_deadline_ = {};
    ctx_.addr.sin_port = htons(child_->port());
  } else if (ev == child_process::event::exited) {
    ctx_.note("kurird", "exited without being told to:\n" + child_->tail());
    restart_child(now, child_->port());
  }
}

void engine::kill_child(time_point now) {
  ctx_.log_trace("kurird", '!', "SIGKILL");
  child_->kill_now();
  ++ctx_.count.kills;
  for (auto& c : clients_)
    c->broker_killed();
  restart_child(now, child_->port());
}

void engine::restart_child(time_point now, uint16_t port) {
  if (!child_->spawn(port)) {
    ctx_.note("kurir-sim", "cannot fork a new kurird");
    return;
  }
  restart_deadline_ = now + restart_limit;
  epoll_event ev{EPOLLIN, {}};
  ev.data.u64 = child_tag;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, child_->output_fd(), &ev);
}

// -- faults -------------------------------------------------------------------

void engine::set_faults(bool on, bool churn) {
  faults_ = on;
  churn_ = on && churn;
  auto now = sim_clock::now();
  next_kill_ = next_fault(now, opt_.kill_every);
  next_drop_ = next_fault(now, opt_.drop_every);
  next_stall_ = next_fault(now, opt_.stall_every);
  next_churn_ = next_fault(now, opt_.churn_every);
}

time_point engine::next_fault(time_point now, double every) {
  std::uniform_real_distribution<double> jitter(0.5, 1.5);
  auto s = std::chrono::duration<double>(every * jitter(rng_));
  return now + std::chrono::duration_cast<sim_clock::duration>(s);
}

client* engine::random_client(const std::function<bool(client&)>& act) {
  std::uniform_int_distribution<std::size_t> pick(0, clients_.size() - 1);
  for (int attempt = 0; attempt < 16; ++attempt) {
    auto& c = *clients_[pick(rng_)];
    if (act(c))
      return &c;
  }
  return nullptr;
}

void engine::inject_faults(time_point now) {
  if (child_ && restart_deadline_ != time_point{} && now > restart_deadline_) {
    ctx_.note("kurird", "restart on the same port timed out; using another");
    child_->kill_now();
    restart_child(now, 0);
  }
  if (!faults_)
    return;
  if (opt_.kill_every > 0 && now >= next_kill_ && child_ && child_->up()) {
    kill_child(now);
    next_kill_ = next_fault(now, opt_.kill_every);
  }
  if (opt_.drop_every > 0 && now >= next_drop_) {
    if (random_client([now](client& c) { return c.drop(now); }))
      ++ctx_.count.drops;
    next_drop_ = next_fault(now, opt_.drop_every);
  }
  if (opt_.stall_every > 0 && now >= next_stall_) {
    std::uniform_int_distribution<int> ms(500, 2000);
    auto until = now + std::chrono::milliseconds(ms(rng_));
    if (random_client([until](client& c) { return c.stall(until); }))
      ++ctx_.count.stalls;
    next_stall_ = next_fault(now, opt_.stall_every);
  }
  if (churn_ && now >= next_churn_) {
    if (random_client([now](client& c) { return c.churn(now); }))
      ++ctx_.count.churns;
    next_churn_ = next_fault(now, opt_.churn_every);
  }
}

void engine::progress(time_point now, const char* phase) {
  if (!opt_.progress || now < next_progress_)
    return;
  next_progress_ = now + std::chrono::milliseconds(250);
  int online = 0;
  for (auto& c : clients_)
    online += c->online() ? 1 : 0;
  const auto& n = ctx_.count;
  auto secs = std::chrono::duration<double>(now - ctx_.start).count();
  std::fprintf(stderr,
               "\r\033[K%-8s %6.1fs online %d/%zu sent %llu confirmed %llu "
               "delivered %llu kills %llu drops %llu stalls %llu",
               phase, secs, online, clients_.size(),
               static_cast<unsigned long long>(n.sends),
               static_cast<unsigned long long>(n.confirmed),
               static_cast<unsigned long long>(n.first_deliveries),
               static_cast<unsigned long long>(n.kills),
               static_cast<unsigned long long>(n.drops),
               static_cast<unsigned long long>(n.stalls));
}

// -- the end ------------------------------------------------------------------

int engine::finish() {
  faults_ = false;
  if (opt_.progress)
    std::fprintf(stderr, "\r\033[K");
  if (!child_)
    return -1;
  if (!child_->running())
    return -1;
  return child_->stop(10000);
}

} // namespace kurir::sim
