#include "actors/spool/spool_actor.hpp"

#include <caf/typed_event_based_actor.hpp>

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "actors/thread_name.hpp"

namespace kurir {

namespace {

using page = std::vector<persistence::stored_message>;
using names = std::vector<std::string>;

template<class T>
caf::result<T> to_result(outcome<T>&& res) {
  if (!res)
    return make_caf_error(res.error());
  return std::move(*res);
}

} // namespace

spool_handle::behavior_type
spool_actor(spool_handle::stateful_pointer<spool_state> self,
            std::shared_ptr<persistence::store> db) {
  name_own_thread(self, "kurir.spool");
  self->state.db = std::move(db);
  return {
    [=](backlog_atom, const std::string& user, int64_t conv, int64_t seq,
        uint64_t limit) -> caf::result<page> {
      return to_result(self->state.db->pending(user, {conv, seq}, limit));
    },
    [=](history_atom, const persistence::history_query& q)
      -> caf::result<page> { return to_result(self->state.db->history(q)); },
    [=](contacts_atom, const std::string& user) -> caf::result<names> {
      return to_result(self->state.db->contacts(user));
    },
    [=](members_atom,
        const std::string& group) -> caf::result<persistence::group_record> {
      return to_result(self->state.db->group(group));
    },
    [=](groups_atom, const std::string& user) -> caf::result<names> {
      return to_result(self->state.db->groups_of(user));
    },
  };
}

} // namespace kurir
