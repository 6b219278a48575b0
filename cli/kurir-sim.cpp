// kurir-sim: plays many users against a real kurird over real sockets,
// injects faults, audits delivery and reports speed (see --help).

#include <iostream>
#include <sys/resource.h>

#include "sim/options.hpp"
#include "sim/report.hpp"
#include "sim/workload.hpp"

namespace {

/// Raises the open-file limit to its maximum: one socket per user.
void raise_fd_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

} // namespace

int main(int argc, char** argv) {
  auto opt = kurir::sim::parse_options(argc, argv);
  raise_fd_limit();
  kurir::sim::report rep;
  auto status = kurir::sim::run_workload(opt, rep);
  if (status == 2) {
    for (const auto& f : rep.failures)
      std::cerr << "kurir-sim: " << f << '\n';
    return 2;
  }
  if (opt.json)
    kurir::sim::print_json(rep, std::cout);
  else
    kurir::sim::print_table(rep, std::cout);
  return status;
}
