#include "actors/auth/hasher_actor.hpp"

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/errors.hpp"

namespace kurir {

hasher_handle::behavior_type
hash_worker_actor(hasher_handle::stateful_pointer<hash_worker_state> self,
                  persistence::hash_cost cost) {
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

const hasher_handle& hasher_state::pick() {
  const auto& w = workers[next];
  next = (next + 1) % workers.size();
  return w;
}

hasher_handle::behavior_type
hasher_actor(hasher_handle::stateful_pointer<hasher_state> self,
             persistence::hash_cost cost, std::size_t workers) {
  for (std::size_t i = 0; i < std::max<std::size_t>(workers, 1); ++i) {
    auto w = self->spawn<caf::detached + caf::linked>(hash_worker_actor, cost);
    self->state.workers.push_back(w);
  }
  return {
    [=](hash_atom a, std::string& pw) {
      return self->delegate(self->state.pick(), a, std::move(pw));
    },
    [=](verify_atom a, std::string& hash, std::string& pw) {
      return self->delegate(self->state.pick(), a, std::move(hash),
                            std::move(pw));
    },
  };
}

} // namespace kurir
