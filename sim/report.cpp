#include "sim/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kurir::sim {

namespace {

double per_second(uint64_t n, double seconds) {
  return seconds > 0 ? static_cast<double>(n) / seconds : 0;
}

std::string fixed(double x, int digits = 1) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, x);
  return buf;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

/// One row of the table.
void row(std::ostream& out, const std::string& name, const std::string& v) {
  out << "  " << name
      << std::string(name.size() < 28 ? 28 - name.size() : 1, ' ') << v << '\n';
}

std::string count(uint64_t n) {
  return std::to_string(n);
}

} // namespace

latency_summary summarize(std::vector<double>& ms) {
  latency_summary s;
  s.samples = ms.size();
  if (ms.empty())
    return s;
  std::sort(ms.begin(), ms.end());
  auto rank = [&ms](double p) {
    auto i = static_cast<std::size_t>(std::ceil(p * ms.size()));
    return ms[std::min(ms.size(), std::max<std::size_t>(i, 1)) - 1];
  };
  s.p50 = rank(0.50);
  s.p90 = rank(0.90);
  s.p99 = rank(0.99);
  s.max = ms.back();
  return s;
}

namespace {

void table_speed(const report& r, std::ostream& out) {
  const auto& o = r.opt;
  const auto& c = r.count;
  out << "speed\n";
  row(out, "run time", fixed(r.seconds, 2) + " s");
  if (c.sends > 0) {
    row(out, "send phase", fixed(r.send_seconds, 2) + " s");
    row(out, "confirmed sends/s",
        fixed(per_second(c.phase_confirmed, r.send_seconds)));
  }
  if (c.phase_deliveries > 0)
    row(out, "deliveries/s",
        fixed(per_second(c.phase_deliveries, r.delivery_seconds)) + " ("
          + count(c.phase_deliveries) + " in " + fixed(r.delivery_seconds, 2)
          + " s from the first send)");
  const auto& l = r.latency;
  if (l.samples > 0)
    row(out, "latency p50/p90/p99/max",
        fixed(l.p50, 2) + " / " + fixed(l.p90, 2) + " / " + fixed(l.p99, 2)
          + " / " + fixed(l.max, 2) + " ms (" + count(l.samples) + " samples)");
  if (o.workload == "connect" || o.workload == "idle")
    row(out, "connections/s",
        fixed(per_second(static_cast<uint64_t>(o.users), r.connect_seconds))
          + " (" + fixed(r.connect_seconds, 2) + " s for all)");
  if (r.drain_seconds >= 0)
    row(out, "drain",
        count(r.drained) + " messages in " + fixed(r.drain_seconds, 2) + " s ("
          + fixed(per_second(r.drained, r.drain_seconds)) + "/s)");
  if (o.workload == "idle")
    row(out, "broker RSS, all logged in",
        fixed(static_cast<double>(r.idle_rss_kb) / 1024.0) + " MiB");
  row(out, "settle", fixed(r.settle_seconds, 2) + " s");
}

void table_broker(const report& r, std::ostream& out) {
  out << "\nbroker\n";
  if (!r.own_child) {
    row(out, "resource use", "n/a (external broker)");
    return;
  }
  row(out, "peak RSS (VmHWM)",
      fixed(static_cast<double>(r.usage.peak_rss_kb) / 1024.0) + " MiB");
  row(out, "CPU time (user+system)", fixed(r.usage.cpu_seconds, 2) + " s");
  row(out, "runs / crashes",
      std::to_string(r.usage.starts) + " / " + std::to_string(r.usage.crashes));
  row(out, "exit status at SIGTERM", std::to_string(r.child_exit));
  if (r.usage.store_messages > 0)
    row(out, "WAL frames per stored message",
        fixed(static_cast<double>(r.usage.wal_frames)
                / static_cast<double>(r.usage.store_messages),
              2)
          + " (" + std::to_string(r.usage.store_commits) + " commits)");
  if (!r.data_dir.empty())
    row(out, "data directory (kept)", r.data_dir);
  row(out, "kurir-sim's own CPU time", fixed(r.sim_cpu_seconds, 2) + " s");
}

void table_traffic(const report& r, std::ostream& out) {
  const auto& c = r.count;
  out << "\ntraffic\n";
  row(out, "sends / resends", count(c.sends) + " / " + count(c.resends));
  row(out, "confirmed / rejected",
      count(c.confirmed) + " / " + count(c.rejected));
  for (const auto& [code, n] : c.rejected_by_code)
    row(out, "  rejected " + code, count(n));
  row(out, "deliveries (first/again)",
      count(c.deliveries) + " (" + count(c.first_deliveries) + " / "
        + count(c.redeliveries) + ")");
  row(out, "acknowledged ids", count(c.acked));
  row(out, "connects / failed",
      count(c.connects) + " / " + count(c.connect_failures));
  row(out, "logins / logouts", count(c.logins) + " / " + count(c.logouts));
  row(out, "handshakes refused (busy)", count(c.refused));
  row(out, "kills / drops / stalls",
      count(c.kills) + " / " + count(c.drops) + " / " + count(c.stalls));
  row(out, "churn events", count(c.churns));
  row(out, "broker disconnects", count(c.disconnects));
  row(out, "reply timeouts", count(c.reply_timeouts));
  row(out, "protocol errors", count(c.protocol_errors));
}

void table_audit(const report& r, std::ostream& out) {
  const auto& v = r.audit_verdict;
  out << "\naudit\n";
  row(out, "lost", count(v.lost));
  row(out, "duplicated", count(v.duplicated));
  row(out, "unexpected", count(v.unexpected));
  row(out, "reordered", count(v.reordered));
  row(out, "unresolved sends", count(v.unresolved));
  for (const auto& x : v.examples)
    out << "  ! " << to_string(x.kind) << ": " << x.detail << '\n';
  for (const auto& n : r.count.notes)
    out << "  ! protocol: " << n << '\n';
  out << '\n' << (r.failures.empty() ? "PASS" : "FAIL") << '\n';
  for (const auto& f : r.failures)
    out << "  - " << f << '\n';
}

/// Writes one JSON object's members, comma-separated.
class json_object {
public:
  explicit json_object(std::ostream& out) : out_(out) { out_ << '{'; }
  ~json_object() { out_ << '}'; }
  json_object(const json_object&) = delete;
  json_object& operator=(const json_object&) = delete;
  /// Writes `"key":` and returns the stream for the value.
  std::ostream& key(const char* k) {
    out_ << (first_ ? "" : ",") << '"' << k << "\":";
    first_ = false;
    return out_;
  }
  void num(const char* k, double x) { key(k) << fixed(x, 3); }
  void num(const char* k, uint64_t x) { key(k) << x; }
  void str(const char* k, const std::string& x) { key(k) << json_string(x); }
  void strings(const char* k, const std::vector<std::string>& xs) {
    key(k) << '[';
    for (std::size_t i = 0; i < xs.size(); ++i)
      out_ << (i ? "," : "") << json_string(xs[i]);
    out_ << ']';
  }

private:
  std::ostream& out_;
  bool first_ = true;
};

void json_run(const report& r, json_object& j) {
  const auto& o = r.opt;
  j.str("workload", o.workload);
  j.num("users", static_cast<uint64_t>(o.users));
  j.num("messages", static_cast<uint64_t>(o.messages));
  j.num("groups", static_cast<uint64_t>(o.groups));
  j.num("group_size", static_cast<uint64_t>(o.group_size));
  j.num("window", static_cast<uint64_t>(o.window));
  j.num("body_size", static_cast<uint64_t>(o.body_size));
  j.num("seed", o.seed);
  j.str("broker", r.broker);
  if (!r.data_dir.empty())
    j.str("data_dir", r.data_dir);
  j.num("seconds", r.seconds);
  j.num("send_seconds", r.send_seconds);
  j.num("confirmed_per_s", per_second(r.count.phase_confirmed, r.send_seconds));
  j.num("delivery_seconds", r.delivery_seconds);
  j.num("deliveries_per_s",
        per_second(r.count.phase_deliveries, r.delivery_seconds));
  j.num("latency_samples", static_cast<uint64_t>(r.latency.samples));
  j.num("latency_p50_ms", r.latency.p50);
  j.num("latency_p90_ms", r.latency.p90);
  j.num("latency_p99_ms", r.latency.p99);
  j.num("latency_max_ms", r.latency.max);
  j.num("connect_seconds", r.connect_seconds);
  j.num("connections_per_s",
        per_second(static_cast<uint64_t>(o.users), r.connect_seconds));
  if (r.drain_seconds >= 0)
    j.num("drain_seconds", r.drain_seconds);
  j.num("drained", r.drained);
  j.num("idle_rss_kb", r.idle_rss_kb);
  j.num("settle_seconds", r.settle_seconds);
  j.num("sim_cpu_seconds", r.sim_cpu_seconds);
}

void json_counts(const report& r, json_object& j) {
  const auto& c = r.count;
  if (r.own_child) {
    j.num("broker_peak_rss_kb", r.usage.peak_rss_kb);
    j.num("broker_cpu_seconds", r.usage.cpu_seconds);
    j.num("broker_runs", static_cast<uint64_t>(r.usage.starts));
    j.num("broker_crashes", static_cast<uint64_t>(r.usage.crashes));
    j.key("broker_exit") << r.child_exit;
    j.num("store_commits", r.usage.store_commits);
    j.num("store_messages", r.usage.store_messages);
    j.num("wal_frames", r.usage.wal_frames);
    j.num("wal_frames_per_message",
          r.usage.store_messages == 0
            ? 0.0
            : static_cast<double>(r.usage.wal_frames)
                / static_cast<double>(r.usage.store_messages));
  }
  const std::pair<const char*, uint64_t> counts[]
    = {{"sends", c.sends},
       {"resends", c.resends},
       {"confirmed", c.confirmed},
       {"rejected", c.rejected},
       {"deliveries", c.deliveries},
       {"first_deliveries", c.first_deliveries},
       {"redeliveries", c.redeliveries},
       {"acked", c.acked},
       {"connects", c.connects},
       {"connect_failures", c.connect_failures},
       {"logins", c.logins},
       {"logouts", c.logouts},
       {"refused", c.refused},
       {"disconnects", c.disconnects},
       {"kills", c.kills},
       {"drops", c.drops},
       {"stalls", c.stalls},
       {"churns", c.churns},
       {"reply_timeouts", c.reply_timeouts},
       {"protocol_errors", c.protocol_errors}};
  for (const auto& [k, v] : counts)
    j.num(k, v);
  auto& out = j.key("rejected_by_code");
  out << '{';
  const char* sep = "";
  for (const auto& [code, n] : c.rejected_by_code) {
    out << sep << json_string(code) << ':' << n;
    sep = ",";
  }
  out << '}';
}

} // namespace

void print_table(const report& r, std::ostream& out) {
  out << "kurir-sim: workload " << r.opt.workload << ", " << r.opt.users
      << " users, broker " << r.broker << ", seed " << r.opt.seed << "\n\n";
  table_speed(r, out);
  table_broker(r, out);
  table_traffic(r, out);
  table_audit(r, out);
}

void print_json(const report& r, std::ostream& out) {
  {
    json_object j{out};
    json_run(r, j);
    json_counts(r, j);
    const auto& v = r.audit_verdict;
    j.num("lost", v.lost);
    j.num("duplicated", v.duplicated);
    j.num("unexpected", v.unexpected);
    j.num("reordered", v.reordered);
    j.num("unresolved", v.unresolved);
    std::vector<std::string> examples;
    for (const auto& x : v.examples)
      examples.push_back(std::string{to_string(x.kind)} + ": " + x.detail);
    j.strings("violations", examples);
    j.strings("protocol_notes", r.count.notes);
    j.strings("failures", r.failures);
    j.key("pass") << (r.failures.empty() ? "true" : "false");
  }
  out << '\n';
}

} // namespace kurir::sim
