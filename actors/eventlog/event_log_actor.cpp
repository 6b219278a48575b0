#include "actors/eventlog/event_log_actor.hpp"
#include "actors/thread_name.hpp"

#include <iostream>

#include <caf/typed_event_based_actor.hpp>

namespace kurir {

void event_log_state::append(const std::string& text) {
  auto res = file->append(now(), persistence::escape_for_log(text));
  if (!res)
    std::cerr << "kurird: cannot write log: " << res.error().detail << '\n';
}

void event_log_state::flush() {
  flush_scheduled = false;
  auto res = file->flush();
  if (!res)
    std::cerr << "kurird: cannot flush log: " << res.error().detail << '\n';
}

void event_log_state::schedule_flush(event_log_handle::pointer self) {
  if (flush_scheduled)
    return;
  flush_scheduled = true;
  self->send(self, caf::flush_atom_v);
}

event_log_handle::behavior_type
event_log_actor(event_log_handle::stateful_pointer<event_log_state> self,
                std::shared_ptr<persistence::event_log> file, wall_clock now) {
  name_own_thread(self, "kurir.log");
  self->state.file = std::move(file);
  self->state.now = std::move(now);
  return {
    [=](log_atom, const std::string& text) {
      self->state.append(text);
      self->state.schedule_flush(self);
    },
    [=](log_atom, const std::vector<std::string>& texts) {
      for (const auto& text : texts)
        self->state.append(text);
      self->state.schedule_flush(self);
    },
    [=](caf::flush_atom) { self->state.flush(); },
    [=](drain_atom) {
      self->state.flush();
      return caf::ok_atom_v;
    },
  };
}

} // namespace kurir
