#include "actors/tls/tls_worker.hpp"

#include "actors/messages.hpp"
#include "actors/thread_name.hpp"
#include "net/tls/tls.hpp"

namespace kurir {

tls_step run_tls_job(tls_job& job) {
  tls_step res;
  auto& s = *job.stream;
  res.ok = s.feed(job.bytes, res.plain);
  res.out = s.take_output();
  res.established = s.established();
  res.peer_closed = s.peer_closed();
  res.error = s.error();
  if (res.established)
    res.description = s.description();
  return res;
}

caf::behavior tls_worker_actor(caf::stateful_actor<tls_worker_state>* self) {
  name_own_thread(self, "kurir.tls");
  return {
    [](tls_atom, tls_job& job) { return run_tls_job(job); },
  };
}

} // namespace kurir
