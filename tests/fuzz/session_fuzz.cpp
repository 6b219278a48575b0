// libFuzzer target for a session's command handling: the input is what two
// clients send, driven through the real session, writer, spool, registry,
// group, hasher and event log actors on an in-memory SQLite database under
// CAF's deterministic scheduler. Built by scripts/fuzz with clang.
//
// Input: the first byte picks the scenario (session_world.hpp: what each
// connection sends first, a seed group, tight limits). The rest is bytes
// from a client, as it would write them to its socket, cut by control
// pairs `\xff<op>`:
//
//   A, B  what follows comes from connection A (the default) or B
//   r     run every actor until nothing is left to do
//   n, N  run one (or eight) messages only: the next input arrives
//         while actors are mid-way (CAF's test coordinator runs an actor
//         until its mailbox is empty, so this is how input interleaves)
//   L     run until nothing is left, newest job first
//   w, 1  the socket wrote every delivery (or one) to the current client
//   t, T  25 ms (a cursor flush) or 40 s (login deadline, pings) pass
//   c     the current client closes its connection
//   s     the broker shuts the current connection down
//   \xff  a literal 0xff byte
//
// Other op bytes do nothing. The invariants are in frame_checks.cpp (every
// write) and session_world.cpp (every command answered, closed sessions end,
// cursors pass only what was delivered).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "tests/fuzz/session_world.hpp"

namespace {

using kurir::fuzz::world;

world* the_world = nullptr;

/// With KURIR_FUZZ_TRACE set, controls go to stderr (with the writes).
const bool trace = std::getenv("KURIR_FUZZ_TRACE") != nullptr;

/// Applies control `op` to connection `cur` (which it may change).
void control(world& w, std::size_t& cur, uint8_t op) {
  if (trace)
    std::fprintf(stderr, "%c ! %c\n", static_cast<char>('A' + cur), op);
  using std::chrono::milliseconds;
  switch (op) {
    case 'A': cur = 0; break;
    case 'B': cur = 1; break;
    case 'r': w.run(); break;
    case 'n': w.step(1); break;
    case 'N': w.step(8); break;
    case 'L': w.run_lifo(); break;
    case 'w': w.written(cur, true); break;
    case '1': w.written(cur, false); break;
    case 't': w.advance(milliseconds(25)); break;
    case 'T': w.advance(milliseconds(40000)); break;
    case 'c': w.close_peer(cur); break;
    case 's': w.shutdown(cur); break;
    default: break;
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  the_world = new world; // lives as long as the process
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  auto& w = *the_world;
  w.begin(kurir::fuzz::scenario::from_byte(data[0]));
  std::size_t cur = 0;
  std::string bytes;
  for (std::size_t i = 1; i < size; ++i) {
    if (data[i] != 0xff || i + 1 == size || data[i + 1] == 0xff) {
      bytes += static_cast<char>(data[i]);
      i += data[i] == 0xff ? 1 : 0;
      continue;
    }
    w.feed(cur, bytes);
    bytes.clear();
    control(w, cur, data[++i]);
  }
  w.feed(cur, bytes);
  w.end();
  return 0;
}
