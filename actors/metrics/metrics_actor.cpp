#include "actors/metrics/metrics_actor.hpp"

#include <caf/event_based_actor.hpp>

#include "actors/messages.hpp"
#include "actors/metrics/exposition.hpp"

namespace kurir {

void metrics_state::maybe_done(metrics::gathering::scrape_id s,
                               caf::typed_response_promise<std::string>& rp) {
  if (book.complete(s) && rp.pending())
    rp.deliver(metrics::render(book.finish(s)));
}

template<class Report, class Handle>
void metrics_state::ask(const Handle& dest, metrics::gathering::scrape_id s,
                        caf::typed_response_promise<std::string> rp) {
  self->request(dest, deadline, metrics_atom_v)
    .then(
      [this, s, rp](Report& r) mutable {
        book.answer(s, r);
        maybe_done(s, rp);
      },
      [this, s, rp](caf::error&) mutable {
        book.no_answer(s);
        maybe_done(s, rp);
      });
}

caf::typed_response_promise<std::string> metrics_state::scrape() {
  auto rp = self->make_response_promise<std::string>();
  auto s = book.start(book.live().size() + 2 + (listener ? 1 : 0));
  ask<metrics::writer_report>(writer, s, rp);
  ask<metrics::auth_report>(hasher, s, rp);
  if (listener)
    ask<metrics::listener_report>(listener, s, rp);
  for (auto id : book.live()) {
    auto i = sessions.find(id);
    auto session = i == sessions.end() ? caf::actor{}
                                       : caf::actor_cast<caf::actor>(i->second);
    if (!session) {
      book.no_answer(s, id);
      continue;
    }
    self->request(session, deadline, metrics_atom_v)
      .then(
        [this, s, id, rp](metrics::session_report& r) mutable {
          book.answer(s, id, r);
          maybe_done(s, rp);
        },
        [this, s, id, rp](caf::error&) mutable {
          book.no_answer(s, id); // not missing if it ended meanwhile
          maybe_done(s, rp);
        });
  }
  maybe_done(s, rp);
  return rp;
}

void metrics_state::join(const caf::actor& session) {
  self->monitor(session);
  sessions.emplace(session.id(), session.address());
  book.join(session.id());
}

void metrics_state::leave(caf::actor_id id,
                          const metrics::session_counters& final_counters) {
  book.retire(id, final_counters);
  sessions.erase(id);
}

void metrics_state::forget(caf::actor_id id) {
  book.forget(id);
  sessions.erase(id);
}

metrics_handle::behavior_type
metrics_actor(metrics_handle::stateful_pointer<metrics_state> self,
              writer_handle writer, auth_handle hasher) {
  self->state.writer = std::move(writer);
  self->state.hasher = std::move(hasher);
  self->set_down_handler([self](const caf::down_msg& dm) {
    self->state.forget(dm.source.id()); // no-op after `leave`
  });
  return {
    [self](caf::join_atom) {
      auto sender = caf::actor_cast<caf::actor>(self->current_sender());
      if (sender)
        self->state.join(sender);
    },
    [self](caf::leave_atom, const metrics::session_counters& c) {
      self->state.leave(self->current_sender()->id(), c);
    },
    [self](caf::add_atom, caf::actor listener) {
      self->state.listener = std::move(listener);
    },
    [self](caf::get_atom) { return self->state.scrape(); },
  };
}

} // namespace kurir
