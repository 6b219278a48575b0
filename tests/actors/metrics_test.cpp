// The metrics actor's bookkeeping and its page, tested without actors:
// counters summed over live and ended sessions without counting one twice,
// histograms, and the Prometheus text format.

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "actors/metrics/exposition.hpp"
#include "actors/metrics/gathering.hpp"

using kurir::errc;
using namespace kurir::metrics;

namespace {

session_report report(uint64_t frames_in, uint64_t unacked = 0) {
  session_report r;
  r.counters.frames_in = frames_in;
  r.unacked = unacked;
  return r;
}

session_counters counters(uint64_t frames_in) {
  session_counters c;
  c.frames_in = frames_in;
  return c;
}

/// Returns the value of the sample line starting with `series` + ' '.
std::string sample(const std::string& page, const std::string& series) {
  std::istringstream in{page};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(series + " ", 0) == 0)
      return line.substr(series.size() + 1);
  return "(none)";
}

} // namespace

TEST_CASE("histogram: buckets by upper bound, merge needs the same bounds",
          "[actors][metrics]") {
  auto h = histogram::over({1, 2, 4});
  for (double v : {0.5, 1.0, 1.5, 4.0, 9.0})
    h.observe(v);
  CHECK(h.counts == std::vector<uint64_t>{2, 1, 1, 1});
  CHECK(h.count == 5);
  CHECK(h.sum == Approx(16.0));
  auto g = histogram::over({1, 2, 4});
  g.observe(3);
  CHECK(h.merge(g));
  CHECK(h.counts == std::vector<uint64_t>{2, 1, 2, 1});
  CHECK_FALSE(h.merge(histogram::over({1, 2})));
  CHECK(powers_of_two(8) == std::vector<double>{1, 2, 4, 8});
}

TEST_CASE("gathering: sums live and ended sessions", "[actors][metrics]") {
  gathering g;
  g.join(1);
  g.join(2);
  g.retire(3, counters(100)); // ended before: in the retired totals
  auto s = g.start(2);
  g.answer(s, 1, report(5, 3));
  CHECK_FALSE(g.complete(s));
  g.answer(s, 2, report(7, 0));
  REQUIRE(g.complete(s));
  auto v = g.finish(s);
  CHECK(v.sessions.frames_in == 112);
  CHECK(v.live_sessions == 2);
  CHECK(v.unacked.count == 2);
  CHECK(v.missing == 0);
  CHECK(g.scrapes() == 0);
}

TEST_CASE("gathering: a session that answers, then ends, counts once",
          "[actors][metrics]") {
  gathering g;
  g.join(1);
  auto s = g.start(1);
  g.answer(s, 1, report(5));
  g.retire(1, counters(6)); // its final counters, a bit more than it said
  auto v = g.finish(s);
  CHECK(v.sessions.frames_in == 6); // not 11
  CHECK(v.unacked.count == 0);      // no longer live
  CHECK(v.live_sessions == 0);
}

TEST_CASE("gathering: counters never go back between scrapes",
          "[actors][metrics]") {
  gathering g;
  g.join(1);
  auto first = g.start(1);
  g.answer(first, 1, report(5));
  auto before = g.finish(first).sessions.frames_in;
  g.retire(1, counters(9));
  auto second = g.start(0);
  auto after = g.finish(second).sessions.frames_in;
  CHECK(before == 5);
  CHECK(after == 9);
}

TEST_CASE("gathering: who did not answer", "[actors][metrics]") {
  gathering g;
  g.join(1);
  g.join(2);
  auto s = g.start(4);
  g.no_answer(s);    // the writer, say: missing
  g.no_answer(s, 1); // a live session: missing
  g.retire(2, counters(4));
  g.no_answer(s, 2); // it ended meanwhile: its counters are in
  REQUIRE_FALSE(g.complete(s));
  auto v = g.finish(s); // the fourth never came: missing too
  CHECK(v.missing == 3);
  CHECK(v.sessions.frames_in == 4);
  g.join(5);
  g.forget(5); // crashed: no longer asked
  CHECK(g.live().count(5) == 0);
  CHECK(g.live().count(1) == 1);
}

TEST_CASE("exposition: families, histograms and labels in the text format",
          "[actors][metrics]") {
  view v;
  listener_report l;
  l.accepted_plain = 3;
  l.refused_per_address = 2;
  l.open = 1;
  v.listener = l;
  v.sessions.logins_ok = 4;
  v.sessions.count_error(errc::auth_failed);
  v.sessions.count_error(errc::auth_failed);
  v.unacked = histogram::over(unacked_bounds());
  v.unacked.observe(0);
  v.unacked.observe(3);
  writer_report w;
  w.messages_stored = 10;
  w.batch_size = histogram::over({1, 2, 4});
  w.batch_size.observe(1);
  w.batch_size.observe(3);
  w.deepest = {{"al\"ice", 7}};
  v.writer = w;
  auto page = render(v);
  CHECK(sample(page, R"(kurir_connections_accepted_total{port="plain"})")
        == "3");
  CHECK(sample(page, "kurir_connections_open") == "1");
  CHECK(sample(page, R"(kurir_logins_total{result="ok"})") == "4");
  CHECK(sample(page, R"(kurir_errors_total{code="auth_failed"})") == "2");
  // The listener's refusals are error frames too.
  CHECK(sample(page, R"(kurir_errors_total{code="too_many_connections"})")
        == "2");
  CHECK(sample(page, R"(kurir_errors_total{code="no_such_group"})") == "0");
  CHECK(sample(page, "kurir_messages_stored_total") == "10");
  CHECK(sample(page, R"(kurir_writer_batch_size_bucket{le="1"})") == "1");
  CHECK(sample(page, R"(kurir_writer_batch_size_bucket{le="2"})") == "1");
  CHECK(sample(page, R"(kurir_writer_batch_size_bucket{le="4"})") == "2");
  CHECK(sample(page, R"(kurir_writer_batch_size_bucket{le="+Inf"})") == "2");
  CHECK(sample(page, "kurir_writer_batch_size_sum") == "4");
  CHECK(sample(page, "kurir_writer_batch_size_count") == "2");
  CHECK(sample(page, R"(kurir_session_unacked_deliveries_bucket{le="0"})")
        == "1");
  CHECK(sample(page, R"(kurir_session_unacked_deliveries_bucket{le="4"})")
        == "2");
  CHECK(sample(page, R"(kurir_queue_depth{user="al\"ice"})") == "7");
  CHECK(page.find("# TYPE kurir_writer_commit_seconds histogram\n")
        != std::string::npos);
  CHECK(page.find("# TYPE kurir_acks_total counter\n") != std::string::npos);
  // No auth report: its families are left out; nothing was missing.
  CHECK(page.find("kurir_hash_queue_depth") == std::string::npos);
  CHECK(sample(page, "kurir_metrics_reports_missing") == "0");
  // Every line is a comment or `name[{labels}] value`.
  std::istringstream in{page};
  std::string line;
  while (std::getline(in, line)) {
    INFO(line);
    CHECK((line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0
           || line.find(' ') != std::string::npos));
  }
}

TEST_CASE("exposition: numbers and label values", "[actors][metrics]") {
  CHECK(format_number(3) == "3");
  CHECK(format_number(0.0005) == "0.0005");
  CHECK(format_number(123456789012) == "123456789012");
  CHECK(format_number(0.1 + 0.2) == "0.30000000000000004"); // reads back
  CHECK(format_number(1e-9) == "1e-09");
  CHECK(format_number(1.0 / 0.0) == "+Inf");
  CHECK(escape_label("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
}
