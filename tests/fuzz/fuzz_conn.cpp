#include "tests/fuzz/fuzz_conn.hpp"

#include <cstdio>
#include <cstdlib>

#include <caf/actor_cast.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/messages.hpp"
#include "actors/session/session_actor.hpp"
#include "net/frame.hpp"

namespace kurir::fuzz {

namespace {

/// With KURIR_FUZZ_TRACE set, every write goes to stderr (to read a crash).
const bool trace = std::getenv("KURIR_FUZZ_TRACE") != nullptr;

} // namespace

fuzz_conn::fuzz_conn(caf::actor_config& cfg, conn_record* rec)
    : caf::event_based_actor(cfg), rec_(rec) {}

void fuzz_conn::enqueue(caf::mailbox_element_ptr what,
                        caf::execution_unit* eu) {
  if (what != nullptr && what->sender != nullptr
      && caf::actor_cast<caf::actor_addr>(what->sender) == rec_->session)
    inspect_write(*what);
  caf::event_based_actor::enqueue(std::move(what), eu);
}

void fuzz_conn::inspect_write(const caf::mailbox_element& what) {
  const auto& msg = what.content();
  auto* from = caf::actor_cast<caf::abstract_actor*>(what.sender);
  auto& s = static_cast<caf::stateful_actor<session_state>*>(from)->state;
  if (msg.match_elements<outbound>()) {
    const auto& out = msg.get_as<outbound>(0);
    if (trace)
      std::fprintf(stderr, "%c [%s] < %s (in flight %zu%s)\n", rec_->name,
                   s.user.c_str(), out.bytes.c_str(),
                   s.flow.window().in_flight(),
                   s.flow.behind() ? ", behind" : "");
    for (auto id : rec_->checker->check(out, s)) {
      rec_->unwritten.push_back({s.user, id, s.proto.acks});
      rec_->sent.emplace(s.user, id);
    }
  } else if (msg.match_elements<frame_limit_atom, uint64_t>()) {
    rec_->max_frame = static_cast<std::size_t>(msg.get_as<uint64_t>(1));
  } else if (msg.match_elements<caf::close_atom>()) {
    rec_->close_asked = true;
  }
}

caf::behavior fuzz_conn::make_behavior() {
  // As the broker: a close from the session closes the socket and quits
  // (the session monitors it and ends too).
  return {
    [](const outbound&) {},
    [](frame_limit_atom, uint64_t) {},
    [this](caf::close_atom) { quit(); },
  };
}

} // namespace kurir::fuzz
