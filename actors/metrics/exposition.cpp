#include "actors/metrics/exposition.hpp"

#include <charconv>
#include <cmath>

namespace kurir::metrics {

namespace {

/// Builds the page one family at a time.
class page {
public:
  /// Starts a family: its HELP and TYPE lines.
  void family(std::string_view name, std::string_view type,
              std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }

  /// One sample; `labels` is `key="value",...` or empty.
  void sample(std::string_view name, std::string_view labels, double value) {
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      out_ += labels;
      out_ += '}';
    }
    out_ += ' ';
    out_ += format_number(value);
    out_ += '\n';
  }

  /// A family of one unlabelled sample.
  void single(std::string_view name, std::string_view type,
              std::string_view help, double value) {
    family(name, type, help);
    sample(name, "", value);
  }

  /// A histogram family: cumulative buckets, sum and count.
  void histo(std::string_view name, std::string_view help, const histogram& h) {
    family(name, "histogram", help);
    std::string bucket{name};
    bucket += "_bucket";
    uint64_t below = 0;
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
      below += h.counts[i];
      auto le = i < h.bounds.size() ? format_number(h.bounds[i]) : "+Inf";
      sample(bucket, "le=\"" + le + "\"", static_cast<double>(below));
    }
    sample(std::string{name} + "_sum", "", h.sum);
    sample(std::string{name} + "_count", "", static_cast<double>(h.count));
  }

  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

/// `key="value"`, the value escaped.
std::string label(std::string_view key, std::string_view value) {
  std::string res{key};
  res += "=\"";
  res += escape_label(value);
  res += '"';
  return res;
}

double d(uint64_t x) {
  return static_cast<double>(x);
}

void connections(page& p, const listener_report& l) {
  p.family("kurir_connections_accepted_total", "counter",
           "Connections accepted, by port.");
  p.sample("kurir_connections_accepted_total", label("port", "plain"),
           d(l.accepted_plain));
  p.sample("kurir_connections_accepted_total", label("port", "tls"),
           d(l.accepted_tls));
  p.sample("kurir_connections_accepted_total", label("port", "web"),
           d(l.accepted_web));
  p.family("kurir_connections_refused_total", "counter",
           "Connections refused at accept, by reason (the error code sent).");
  p.sample("kurir_connections_refused_total",
           label("reason", "too_many_connections"), d(l.refused_per_address));
  p.single("kurir_connections_open", "gauge", "Connections open now.",
           d(l.open));
}

void sessions(page& p, const view& v) {
  const auto& s = v.sessions;
  p.single("kurir_sessions", "gauge",
           "Sessions (one per connection) that report to the metrics actor.",
           d(v.live_sessions));
  p.family("kurir_logins_total", "counter",
           "Login attempts, by result (throttled: try_later before hashing).");
  p.sample("kurir_logins_total", label("result", "ok"), d(s.logins_ok));
  p.sample("kurir_logins_total", label("result", "failed"), d(s.logins_failed));
  p.sample("kurir_logins_total", label("result", "throttled"),
           d(s.logins_throttled));
  p.single("kurir_registrations_total", "counter", "Users registered.",
           d(s.registrations));
  p.single("kurir_frames_in_total", "counter", "Frames received.",
           d(s.frames_in));
  p.single("kurir_frames_out_total", "counter", "Frames sent.",
           d(s.frames_out));
  p.family("kurir_deliveries_total", "counter",
           "Messages sent to recipients, by source: live as committed, or "
           "stored (read back from the database: offline messages and "
           "redeliveries of unacknowledged ones).");
  p.sample("kurir_deliveries_total", label("source", "live"),
           d(s.deliveries_live));
  p.sample("kurir_deliveries_total", label("source", "stored"),
           d(s.deliveries_stored));
  p.single("kurir_acks_total", "counter",
           "Deliveries acknowledged by their recipients.", d(s.acks));
  p.single("kurir_redeliveries_total", "counter",
           "Deliveries left unacknowledged by a connection that closed; each "
           "is sent again at the user's next login (counted at the close).",
           d(s.redeliveries));
  p.single("kurir_resends_total", "counter",
           "Sends answered with the message stored earlier under the same "
           "client id (idempotent resends).",
           d(s.resends));
  p.family("kurir_errors_total", "counter", "Error frames sent, by code.");
  for (auto c = static_cast<std::size_t>(errc::bad_request);
       c <= static_cast<std::size_t>(errc_last); ++c) {
    auto n = c < s.errors.size() ? s.errors[c] : 0;
    if (static_cast<errc>(c) == errc::too_many_connections && v.listener)
      n += v.listener->refused_per_address; // sent by the listener
    p.sample("kurir_errors_total", label("code", to_wire(static_cast<errc>(c))),
             d(n));
  }
  p.histo("kurir_session_unacked_deliveries",
          "Live sessions by deliveries sent and not yet acknowledged.",
          v.unacked);
}

void writer(page& p, const writer_report& w) {
  p.single("kurir_messages_stored_total", "counter",
           "Messages stored (committed to disk; resends not counted).",
           d(w.messages_stored));
  p.single("kurir_writer_commits_total", "counter",
           "Message transactions committed.", d(w.commits));
  p.single("kurir_writer_commit_failures_total", "counter",
           "Commits that failed (the sends were answered with the error).",
           d(w.commit_failures));
  p.single("kurir_wal_frames_total", "counter",
           "Database pages written to the write-ahead log.", d(w.wal_frames));
  p.single("kurir_wal_checkpoints_total", "counter", "WAL checkpoints run.",
           d(w.checkpoints));
  p.histo("kurir_writer_batch_size", "Appends per group commit.", w.batch_size);
  p.histo("kurir_writer_commit_seconds", "Time one group commit took.",
          w.commit_seconds);
  p.family("kurir_queue_depth", "gauge",
           "Stored messages beyond their cursors of the ten users with the "
           "deepest queues (in conversations the writer has touched since it "
           "started).");
  for (const auto& q : w.deepest)
    p.sample("kurir_queue_depth", label("user", q.user),
             static_cast<double>(q.depth));
}

} // namespace

std::string render(const view& v) {
  page p;
  if (v.listener)
    connections(p, *v.listener);
  sessions(p, v);
  if (v.writer)
    writer(p, *v.writer);
  if (v.auth) {
    p.single("kurir_hash_queue_depth", "gauge",
             "Password hashes running or waiting at the hashing workers.",
             d(v.auth->queued));
    p.single("kurir_hashes_refused_total", "counter",
             "Hashes refused with server_busy (the pool was full).",
             d(v.auth->refused));
  }
  p.single("kurir_metrics_reports_missing", "gauge",
           "Actors that did not answer this scrape in time (their families "
           "are missing or stale).",
           d(v.missing));
  return p.take();
}

std::string escape_label(std::string_view value) {
  std::string res;
  res.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"')
      res += '\\';
    if (c == '\n') {
      res += "\\n";
      continue;
    }
    res += c;
  }
  return res;
}

std::string format_number(double x) {
  if (std::isinf(x))
    return x > 0 ? "+Inf" : "-Inf";
  if (std::isnan(x))
    return "NaN";
  // The shortest form that reads back the same; fixed notation where it
  // is readable (bucket bounds like 0.0005, not 5e-04).
  char buf[512];
  auto a = std::abs(x);
  auto fixed = a == 0 || (a >= 1e-4 && a < 1e21);
  auto res
    = fixed ? std::to_chars(buf, buf + sizeof(buf), x, std::chars_format::fixed)
            : std::to_chars(buf, buf + sizeof(buf), x);
  return std::string(buf, res.ptr);
}

} // namespace kurir::metrics
