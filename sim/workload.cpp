#include "sim/workload.hpp"

#include <csignal>
#include <functional>
#include <sys/resource.h>

#include "sim/engine.hpp"
#include "sim/plan.hpp"

namespace kurir::sim {

namespace {

/// Set by SIGINT or SIGTERM: end the run and clean up.
volatile std::sig_atomic_t interrupted = 0;

extern "C" void on_signal(int) {
  interrupted = 1;
}

double seconds_between(time_point a, time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

/// Anything that shows the run moving.
uint64_t activity(const counters& c) {
  return c.connects + c.logins + c.logouts + c.confirmed + c.rejected
         + c.deliveries;
}

/// One run: the engine, the audit, the plan and the phases.
class runner {
public:
  runner(const options& opt, report& rep)
      : opt_(opt), rep_(rep),
        eng_(opt, log_, rep.count, opt.seed ^ 0x9e3779b97f4a7c15ull) {
    // nop
  }

  int run();

private:
  bool wait(const char* phase, const std::function<bool()>& done);
  bool all(const std::function<bool(const client&)>& pred) {
    for (auto& c : eng_.clients())
      if (!pred(*c))
        return false;
    return true;
  }
  void set_online(const std::function<bool(std::size_t)>& which);
  void build();
  bool log_in();
  bool send();
  bool drain();
  bool connect_storm();
  void settle();
  void conclude();
  void fail(std::string why) { rep_.failures.push_back(std::move(why)); }

  const options& opt_;
  report& rep_;
  audit log_;
  engine eng_;
  plan plan_;
  time_point deadline_{};
  time_point send_start_{};
};

bool runner::wait(const char* phase, const std::function<bool()>& done) {
  auto limit = std::chrono::duration<double>(opt_.settle);
  auto last = activity(rep_.count);
  auto last_change = sim_clock::now();
  bool stuck = false;
  auto ok = eng_.run_until(
    [&](time_point now) {
      if (interrupted || done())
        return true;
      if (auto a = activity(rep_.count); a != last) {
        last = a;
        last_change = now;
      }
      stuck = now - last_change > limit;
      return stuck;
    },
    deadline_, phase);
  if (!ok)
    fail(std::string{"the --timeout ran out in phase "} + phase);
  else if (interrupted)
    fail("interrupted");
  else if (stuck)
    fail(std::string{"no progress for --settle seconds in phase "} + phase);
  return ok && !stuck && !interrupted;
}

void runner::set_online(const std::function<bool(std::size_t)>& which) {
  auto now = sim_clock::now();
  auto& cs = eng_.clients();
  for (std::size_t i = 0; i < cs.size(); ++i)
    cs[i]->want_online(which(i), now);
}

void runner::build() {
  plan_ = make_plan(opt_, name_prefix(opt_));
  for (const auto& g : plan_.groups)
    log_.add_group(g.name, g.members);
  for (std::size_t u = 0; u < plan_.users.size(); ++u)
    eng_.add_client(plan_.users[u]).set_plan(plan_.targets[u]);
}

bool runner::log_in() {
  set_online([](std::size_t) { return true; });
  auto t0 = sim_clock::now();
  if (!wait("login", [this] { return all(&client::online); }))
    return false;
  rep_.connect_seconds = seconds_between(t0, sim_clock::now());
  if (!plan_.groups.empty()) {
    auto& cs = eng_.clients();
    for (const auto& g : plan_.groups) {
      auto& creator = *cs[static_cast<std::size_t>(
        std::find(plan_.users.begin(), plan_.users.end(), g.members[0])
        - plan_.users.begin())];
      creator.add_setup("--create--|" + g.name + ";");
      for (std::size_t m = 1; m < g.members.size(); ++m)
        creator.add_setup("--add--|" + g.name + "|" + g.members[m] + ";");
      creator.run_setup();
    }
    if (!wait("groups", [this] { return all(&client::setup_done); }))
      return false;
  }
  if (opt_.workload == "offline") {
    set_online([this](std::size_t i) { return !plan_.recipient[i]; });
    return wait("away", [this] {
      auto& cs = eng_.clients();
      for (std::size_t i = 0; i < cs.size(); ++i)
        if (plan_.recipient[i] && !cs[i]->away())
          return false;
      return true;
    });
  }
  return true;
}

bool runner::send() {
  auto& ctx = eng_.ctx();
  ctx.sending = true;
  rep_.count.in_send_phase = true;
  rep_.count.counting_deliveries = true;
  auto t0 = sim_clock::now();
  send_start_ = t0;
  for (auto& c : eng_.clients())
    c->pump(t0);
  auto stop = opt_.duration > 0
                ? t0
                    + std::chrono::duration_cast<sim_clock::duration>(
                      std::chrono::duration<double>(opt_.duration))
                : time_point::max();
  auto ok = wait("send", [this, stop] {
    return sim_clock::now() >= stop || all(&client::sends_done);
  });
  rep_.send_seconds = seconds_between(t0, sim_clock::now());
  rep_.count.in_send_phase = false;
  rep_.count.counting_deliveries = opt_.workload != "offline";
  ctx.sending = false;
  return ok;
}

bool runner::drain() {
  auto before = log_.arrived();
  set_online([](std::size_t) { return true; });
  auto t0 = sim_clock::now();
  auto ok = wait("drain", [this] { return log_.arrived() == log_.expected(); });
  rep_.drain_seconds = seconds_between(t0, sim_clock::now());
  rep_.drained = log_.arrived() - before;
  return ok;
}

bool runner::connect_storm() {
  for (auto& c : eng_.clients())
    c->set_one_shot(true);
  set_online([](std::size_t) { return true; });
  auto t0 = sim_clock::now();
  auto users = static_cast<uint64_t>(opt_.users);
  auto ok = wait("connect", [this, users] {
    return rep_.count.logins >= users && all(&client::away);
  });
  rep_.connect_seconds = seconds_between(t0, sim_clock::now());
  return ok;
}

void runner::settle() {
  eng_.set_faults(false, false);
  set_online([](std::size_t) { return true; });
  auto t0 = sim_clock::now();
  wait("settle", [this] {
    return log_.arrived() == log_.expected() && all([](const client& c) {
             return c.online() && c.unconfirmed() == 0;
           });
  });
  rep_.settle_seconds = seconds_between(t0, sim_clock::now());
}

int runner::run() {
  deadline_ = sim_clock::now()
              + std::chrono::duration_cast<sim_clock::duration>(
                std::chrono::duration<double>(opt_.timeout));
  std::string err;
  if (!opt_.trace.empty())
    eng_.ctx().trace = std::fopen(opt_.trace.c_str(), "w");
  if (!eng_.start(err)) {
    fail(err);
    return 2;
  }
  auto t0 = sim_clock::now();
  build();
  bool churn = opt_.workload == "churn";
  eng_.set_faults(true, churn);
  bool ok = true;
  if (opt_.workload == "connect") {
    ok = connect_storm();
  } else {
    ok = log_in();
    if (ok && opt_.workload == "idle" && eng_.child())
      rep_.idle_rss_kb = eng_.child()->rss_kb();
    if (ok && opt_.workload != "idle")
      ok = send();
    if (ok && opt_.workload == "offline")
      ok = drain();
    if (ok && !interrupted)
      settle();
  }
  rep_.seconds = seconds_between(t0, sim_clock::now());
  rusage self{};
  ::getrusage(RUSAGE_SELF, &self);
  rep_.sim_cpu_seconds
    = static_cast<double>(self.ru_utime.tv_sec + self.ru_stime.tv_sec)
      + static_cast<double>(self.ru_utime.tv_usec + self.ru_stime.tv_usec)
          / 1e6;
  conclude();
  return rep_.failures.empty() ? 0 : 1;
}

void runner::conclude() {
  rep_.child_exit = eng_.finish();
  if (auto* f = eng_.ctx().trace) {
    std::fclose(f);
    eng_.ctx().trace = nullptr;
  }
  if (auto* child = eng_.child()) {
    if (opt_.keep_data) {
      child->keep_data();
      rep_.data_dir = child->data_dir();
    }
    rep_.own_child = true;
    rep_.usage = child->usage();
    if (rep_.child_exit != 0)
      fail("kurird exited with status " + std::to_string(rep_.child_exit)
           + " at SIGTERM");
    if (rep_.usage.crashes > 0)
      fail("kurird crashed " + std::to_string(rep_.usage.crashes) + " times");
  }
  auto& c = rep_.count;
  rep_.latency = summarize(c.latency_ms);
  if (c.phase_deliveries > 0)
    rep_.delivery_seconds = seconds_between(send_start_, c.last_delivery);
  rep_.audit_verdict = log_.check();
  const auto& v = rep_.audit_verdict;
  if (!v.clean())
    fail("audit: " + std::to_string(v.lost) + " lost, "
         + std::to_string(v.duplicated) + " duplicated, "
         + std::to_string(v.unexpected) + " unexpected, "
         + std::to_string(v.reordered) + " reordered");
  if (v.unresolved > 0)
    fail(std::to_string(v.unresolved) + " sends never answered");
  if (c.protocol_errors > 0)
    fail(std::to_string(c.protocol_errors)
         + " protocol errors (unexpected frames or timeouts)");
  if (c.kills < static_cast<uint64_t>(opt_.min_kills))
    fail("only " + std::to_string(c.kills)
         + " kills; --min-kills=" + std::to_string(opt_.min_kills));
}

} // namespace

int run_workload(const options& opt, report& rep) {
  rep.opt = opt;
  rep.broker = opt.port == 0 ? "own kurird child"
                             : opt.host + ":" + std::to_string(opt.port);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  runner r{opt, rep};
  return r.run();
}

} // namespace kurir::sim
