// The writer and the checkpoint of the WAL. A checkpoint copies the pages
// the WAL holds into the database file and syncs it; inside the commit that
// filled the WAL (SQLite's way, and the store's without a checkpointer) it
// stalls every message queued behind that commit for as long. Here the
// copying runs beside the writer: the checkpointer's passive passes never
// block a commit. But a WAL starts over only at a commit that finds it
// wholly copied, which a pass racing new commits never achieves; so once a
// pass has left at most `tail` frames behind, the writer copies those
// itself (a short step: few pages, most of the file already synced) and the
// next commit starts the WAL over.

#include <caf/typed_event_based_actor.hpp>

#include "actors/messages.hpp"
#include "actors/writer/writer_actor.hpp"

namespace kurir {

void writer_state::after_commit() {
  if (!ckpt.actor || ckpt.running)
    return;
  auto size = db->stats().wal_size;
  if (size < ckpt.copied)
    ckpt.copied = 0; // the WAL started over since the last pass
  if (size < ckpt.frames)
    return;
  if (ckpt.copied > 0 && size - ckpt.copied <= ckpt.tail) {
    if (auto ok = db->checkpoint(); !ok)
      self->send(log, log_atom_v,
                 "error checkpoint failed: " + ok.error().detail);
    ckpt.copied = size;
    return;
  }
  ckpt.running = true;
  self->request(ckpt.actor, caf::infinite, checkpoint_atom_v)
    .then(
      [this](int64_t wal_size, int64_t copied) { on_pass(wal_size, copied); },
      [this](const caf::error& err) {
        ckpt.running = false;
        // Logged once per failed pass; the next commit asks again.
        self->send(log, log_atom_v,
                   "error checkpoint pass failed: " + caf::to_string(err));
      });
}

void writer_state::on_pass(int64_t wal_size, int64_t copied) {
  ckpt.running = false;
  ++ckpt.passes;
  // A pass that found the WAL started over copied frames of the new one.
  if (wal_size >= 0 && copied >= 0)
    ckpt.copied = static_cast<uint64_t>(copied);
}

} // namespace kurir
