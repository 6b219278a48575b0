#include "actors/checkpoint/checkpoint_actor.hpp"

#include <tuple>

#include <caf/typed_event_based_actor.hpp>

#include "actors/errors.hpp"
#include "actors/thread_name.hpp"

namespace kurir {

checkpoint_handle::behavior_type
checkpoint_actor(checkpoint_handle::stateful_pointer<checkpoint_state> self,
                 std::shared_ptr<persistence::sqlite_checkpointer> db) {
  name_own_thread(self, "kurir.ckpt");
  self->state.db = std::move(db);
  return {
    [=](checkpoint_atom) -> caf::result<int64_t, int64_t> {
      auto pass = self->state.db->run();
      if (!pass)
        return make_caf_error(pass.error());
      return {pass->wal_size, pass->copied};
    },
  };
}

} // namespace kurir
