#include "sim/plan.hpp"

#include <algorithm>
#include <cstdio>
#include <random>

namespace kurir::sim {

namespace {

/// dm and churn: every user sends to random other users.
void plan_direct(const options& opt, std::mt19937_64& rng, plan& p) {
  auto n = p.users.size();
  std::uniform_int_distribution<std::size_t> other(0, n - 2);
  for (std::size_t u = 0; u < n; ++u)
    for (int m = 0; m < opt.messages; ++m) {
      auto t = other(rng);
      p.targets[u].push_back(p.users[t >= u ? t + 1 : t]);
    }
}

/// offline: the first half stays away; the second half sends to them.
void plan_offline(const options& opt, std::mt19937_64& rng, plan& p) {
  auto n = p.users.size();
  auto half = n / 2;
  std::uniform_int_distribution<std::size_t> recipient(0, half - 1);
  for (std::size_t u = 0; u < n; ++u) {
    p.recipient[u] = u < half;
    if (u < half)
      continue;
    for (int m = 0; m < opt.messages; ++m)
      p.targets[u].push_back(p.users[recipient(rng)]);
  }
}

/// group: group g has members g*size .. g*size+size-1 (modulo the users);
/// each member posts to a random one of its groups.
void plan_groups(const options& opt, const std::string& prefix,
                 std::mt19937_64& rng, plan& p) {
  auto n = p.users.size();
  auto size = static_cast<std::size_t>(opt.group_size);
  std::vector<std::vector<std::string>> mine(n);
  for (int g = 0; g < opt.groups; ++g) {
    group_plan gp{prefix + "g" + std::to_string(g), {}};
    for (std::size_t j = 0; j < size && j < n; ++j) {
      auto u = (static_cast<std::size_t>(g) * size + j) % n;
      gp.members.push_back(p.users[u]);
      mine[u].push_back(gp.name);
    }
    p.groups.push_back(std::move(gp));
  }
  for (std::size_t u = 0; u < n; ++u) {
    if (mine[u].empty())
      continue;
    std::uniform_int_distribution<std::size_t> pick(0, mine[u].size() - 1);
    for (int m = 0; m < opt.messages; ++m)
      p.targets[u].push_back(mine[u][pick(rng)]);
  }
}

} // namespace

std::string name_prefix(const options& opt) {
  if (!opt.prefix.empty() || opt.port == 0)
    return opt.prefix;
  std::random_device rd;
  char buf[16];
  std::snprintf(buf, sizeof(buf), "r%06x-", rd() & 0xffffff);
  return buf;
}

plan make_plan(const options& opt, const std::string& prefix) {
  plan p;
  auto n = static_cast<std::size_t>(opt.users);
  for (std::size_t u = 0; u < n; ++u)
    p.users.push_back(prefix + "u" + std::to_string(u));
  p.targets.resize(n);
  p.recipient.assign(n, false);
  std::mt19937_64 rng(opt.seed);
  if (opt.workload == "dm" || opt.workload == "churn")
    plan_direct(opt, rng, p);
  else if (opt.workload == "offline")
    plan_offline(opt, rng, p);
  else if (opt.workload == "group")
    plan_groups(opt, prefix, rng, p);
  return p;
}

} // namespace kurir::sim
