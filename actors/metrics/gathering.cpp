#include "actors/metrics/gathering.hpp"

namespace kurir::metrics {

void gathering::join(session_id id) {
  live_.insert(id);
}

void gathering::retire(session_id id, const session_counters& final_counters) {
  retired_.add(final_counters);
  live_.erase(id);
  for (auto& s : scrapes_)
    s.second.sessions.erase(id);
}

void gathering::forget(session_id id) {
  live_.erase(id);
}

gathering::scrape_id gathering::start(std::size_t expected) {
  auto id = next_++;
  auto& s = scrapes_[id];
  s.outstanding = expected;
  return id;
}

gathering::scrape* gathering::arrived(scrape_id s) {
  auto i = scrapes_.find(s);
  if (i == scrapes_.end() || i->second.outstanding == 0)
    return nullptr;
  --i->second.outstanding;
  return &i->second;
}

void gathering::answer(scrape_id s, session_id id, const session_report& r) {
  if (auto* sc = arrived(s); sc != nullptr && live_.count(id) > 0)
    sc->sessions[id] = r; // an ended session is in the retired totals
}

void gathering::answer(scrape_id s, const listener_report& r) {
  if (auto* sc = arrived(s))
    sc->partial.listener = r;
}

void gathering::answer(scrape_id s, const writer_report& r) {
  if (auto* sc = arrived(s))
    sc->partial.writer = r;
}

void gathering::answer(scrape_id s, const auth_report& r) {
  if (auto* sc = arrived(s))
    sc->partial.auth = r;
}

void gathering::no_answer(scrape_id s) {
  if (auto* sc = arrived(s))
    ++sc->partial.missing;
}

void gathering::no_answer(scrape_id s, session_id id) {
  if (auto* sc = arrived(s); sc != nullptr && live_.count(id) > 0)
    ++sc->partial.missing;
}

bool gathering::complete(scrape_id s) const {
  auto i = scrapes_.find(s);
  return i == scrapes_.end() || i->second.outstanding == 0;
}

view gathering::finish(scrape_id s) {
  view res;
  auto i = scrapes_.find(s);
  if (i != scrapes_.end()) {
    res = std::move(i->second.partial);
    res.missing += i->second.outstanding;
  }
  res.sessions = retired_;
  res.unacked = histogram::over(unacked_bounds());
  if (i != scrapes_.end()) {
    for (auto& [id, r] : i->second.sessions) {
      res.sessions.add(r.counters);
      res.unacked.observe(static_cast<double>(r.unacked));
    }
    scrapes_.erase(i);
  }
  res.live_sessions = live_.size();
  return res;
}

std::vector<double> unacked_bounds() {
  return {0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
}

} // namespace kurir::metrics
