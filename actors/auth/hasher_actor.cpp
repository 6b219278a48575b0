#include "actors/auth/hasher_actor.hpp"

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "actors/thread_name.hpp"

namespace kurir {

hasher_handle::behavior_type
hash_worker_actor(hasher_handle::stateful_pointer<hash_worker_state> self,
                  persistence::hash_cost cost) {
  name_own_thread(self, "kurir.hash");
  self->state.cost = cost;
  return {
    [=](hash_atom, const std::string& password) -> caf::result<std::string> {
      auto hash = persistence::hash_password(password, self->state.cost);
      if (hash.empty())
        return make_caf_error(errc::server_busy, "out of memory for hashing");
      return hash;
    },
    [=](verify_atom, const std::string& hash, const std::string& password) {
      return persistence::verify_password(hash, password);
    },
  };
}

const hasher_handle& auth_state::pick() {
  const auto& w = workers[next];
  next = (next + 1) % workers.size();
  return w;
}

caf::result<std::string> auth_state::hash(std::string password) {
  if (in_flight >= max_in_flight) {
    ++refused;
    return make_caf_error(errc::server_busy, "too many logins at once");
  }
  ++in_flight;
  auto rp = self->make_response_promise<std::string>();
  self->request(pick(), caf::infinite, hash_atom_v, std::move(password))
    .then(
      [=](std::string& h) mutable {
        --in_flight;
        rp.deliver(std::move(h));
      },
      [=](caf::error& err) mutable {
        --in_flight;
        rp.deliver(std::move(err));
      });
  return rp;
}

caf::result<bool> auth_state::verify(std::string account, std::string address,
                                     std::string hash, std::string password,
                                     bool known) {
  auto now = self->clock().now();
  if (throttle.refused(account, address, now)) {
    self->send(log, log_atom_v,
               "limit login throttled for " + account + " from "
                 + (address.empty() ? "loopback" : address));
    return make_caf_error(errc::try_later, "too many failed logins");
  }
  if (in_flight >= max_in_flight) {
    ++refused;
    return make_caf_error(errc::server_busy, "too many logins at once");
  }
  ++in_flight;
  auto rp = self->make_response_promise<bool>();
  self->request(pick(), caf::infinite, verify_atom_v, hash, password)
    .then(
      [=](bool match) mutable {
        verified(rp, std::move(account), std::move(address), std::move(hash),
                 std::move(password), match && known);
      },
      [=](caf::error& err) mutable {
        --in_flight;
        rp.deliver(std::move(err));
      });
  return rp;
}

void auth_state::verified(caf::typed_response_promise<bool> rp,
                          std::string account, std::string address,
                          std::string hash, std::string password, bool ok) {
  if (!ok) {
    --in_flight;
    throttle.failure(account, address, self->clock().now());
    rp.deliver(false);
    return;
  }
  throttle.success(account);
  if (!persistence::needs_rehash(hash, cost)) {
    --in_flight;
    rp.deliver(true);
    return;
  }
  rehash(std::move(rp), std::move(account), std::move(password));
}

void auth_state::rehash(caf::typed_response_promise<bool> rp,
                        std::string account, std::string password) {
  auto fail = [=](const caf::error& err) mutable {
    --in_flight;
    self->send(log, log_atom_v,
               "error rehash of " + account
                 + " failed: " + std::string{to_wire(to_failure(err).code)});
    rp.deliver(true);
  };
  self->request(pick(), caf::infinite, hash_atom_v, std::move(password))
    .then(
      [=](std::string& fresh) mutable {
        self->request(writer, caf::infinite, rehash_atom_v, account, fresh)
          .then(
            [=](caf::ok_atom) mutable {
              --in_flight;
              self->send(log, log_atom_v, "rehash " + account);
              rp.deliver(true);
            },
            fail);
      },
      fail);
}

auth_handle::behavior_type
auth_actor(auth_handle::stateful_pointer<auth_state> self,
           persistence::hash_cost cost, std::size_t workers, bool detach,
           event_log_handle log, writer_handle writer) {
  self->state.log = std::move(log);
  self->state.writer = std::move(writer);
  self->state.cost = cost;
  for (std::size_t i = 0; i < std::max<std::size_t>(workers, 1); ++i) {
    auto w
      = detach
          ? self->spawn<caf::detached + caf::linked>(hash_worker_actor, cost)
          : self->spawn<caf::linked>(hash_worker_actor, cost);
    self->state.workers.push_back(w);
  }
  return {
    [=](hash_atom, std::string& pw) { return self->state.hash(std::move(pw)); },
    [=](verify_atom, std::string& account, std::string& address,
        std::string& hash, std::string& pw, bool known) {
      return self->state.verify(std::move(account), std::move(address),
                                std::move(hash), std::move(pw), known);
    },
    [=](metrics_atom) {
      return metrics::auth_report{self->state.in_flight, self->state.refused};
    },
  };
}

} // namespace kurir
