#include "tests/fuzz/session_world.hpp"

#include <cstdio>
#include <cstdlib>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "actors/auth/hasher_actor.hpp"
#include "actors/eventlog/event_log_actor.hpp"
#include "actors/messages.hpp"
#include "actors/registry/registry_actor.hpp"
#include "actors/session/session_actor.hpp"
#include "actors/spool/spool_actor.hpp"
#include "actors/writer/writer_actor.hpp"
#include "net/command.hpp"
#include "persistence/sqlite_store.hpp"

namespace kurir::fuzz {

namespace {

/// One shared-cache in-memory database: the store's two handles and the
/// probe all see it; it vanishes when the last of them closes.
constexpr const char* db_uri = "file:kurir-fuzz?mode=memory&cache=shared";

constexpr std::size_t read_chunk = 4096; // as net/conn_broker.cpp reads

/// With KURIR_FUZZ_TRACE set, what each client sends goes to stderr.
const bool trace = std::getenv("KURIR_FUZZ_TRACE") != nullptr;

/// Unix time of the first tick of every input (2026-11-01).
constexpr int64_t epoch_ms = 1793491200000;

/// What a connection sends before the input, by `scenario::prefix`.
const char* const prefixes[] = {
  "",
  "--login--|%s|password1;",
  "--hello--|3|ack;--login--|%s|password1;",
  "--hello--|2;--login--|%s|password1;",
};

/// Returns whether actor `a` has ended.
bool gone(const caf::actor& a) {
  auto* p = caf::actor_cast<caf::abstract_actor*>(a);
  return p->getf(caf::abstract_actor::is_terminated_flag)
         || p->getf(caf::abstract_actor::is_cleaned_up_flag);
}

/// The session limits of a scenario: the defaults, or with `tight` every
/// limit within reach of a short input.
session_settings settings_for(const scenario& sc) {
  session_settings s;
  if (!sc.tight)
    return s;
  s.max_frame_before_login = 128;
  s.max_frame_after_login = 512;
  s.max_body = 64;
  s.max_inflight = 3;
  s.pending_page = 2;
  s.max_outbound = 1024;
  s.history_page = 2;
  s.history_max = 4;
  s.max_errors_before_login = 2;
  s.names.max_name = 8;
  s.names.max_password = 16;
  return s;
}

} // namespace

scenario scenario::from_byte(uint8_t b) {
  scenario sc;
  sc.prefix = {b & 3, (b >> 2) & 3};
  sc.seed_group = (b & 0x10) != 0;
  sc.tight = (b & 0x20) != 0;
  sc.small_queue = (b & 0x40) != 0;
  sc.batch_of_one = (b & 0x80) != 0;
  return sc;
}

world::world() {
  cfg_.set("scheduler.policy", caf::atom("testing"));
  cfg_.add_message_types<caf::id_block::kurir>();
  sys_ = std::make_unique<caf::actor_system>(cfg_);
  sched_ = &dynamic_cast<caf::scheduler::test_coordinator&>(sys_->scheduler());
  auto cost = persistence::hash_cost::minimal();
  password_hash_ = persistence::hash_password("password1", cost);
  dummy_hash_ = persistence::hash_password("kurir-unknown-user", cost);
  log_file_ = std::make_shared<persistence::event_log>();
  require(static_cast<bool>(log_file_->open("/dev/null")), "no /dev/null");
  open_store();
}

world::~world() = default;

void world::open_store() {
  auto rw = persistence::sqlite_store::open({db_uri, "OFF", 0, false});
  require(static_cast<bool>(rw), "cannot open the in-memory database");
  read_write_ = std::move(*rw);
  auto ro = persistence::sqlite_store::open({db_uri, "OFF", 0, true});
  require(static_cast<bool>(ro), "cannot open the read-only handle");
  read_only_ = std::move(*ro);
  probe_ = std::make_unique<db_probe>(db_uri);
}

void world::reset_store() {
  probe_->clear();
  read_write_->forget_cached_rows(); // the rows it knew are gone
  store_ = std::make_shared<recording_store>(read_write_);
  for (auto name : users) // a leftover row would fail here
    require(
      static_cast<bool>(store_->add_user({name, password_hash_, "seed", 0})),
      "cannot add a user: the database was not empty");
}

void world::spawn_services(const scenario& sc) {
  svc_.settings = settings_for(sc);
  if (sc.seed_group)
    require(static_cast<bool>(
              store_->ensure_group({"crew", "", {"alice", "bob", "carol"}})),
            "cannot add the seed group");
  auto* sys = sys_.get();
  auto start = sys->clock().now(); // each input starts at epoch_ms
  wall_clock clock = [sys, start] {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    auto since = duration_cast<milliseconds>(sys->clock().now() - start);
    return epoch_ms + since.count();
  };
  writer_settings ws;
  ws.max_batch = sc.batch_of_one ? 1u : 256u;
  ws.max_unacked = sc.small_queue ? 3 : 10000;
  svc_.dummy_hash = dummy_hash_;
  svc_.log = sys->spawn(event_log_actor, log_file_, clock);
  svc_.registry = sys->spawn(registry_actor);
  svc_.writer
    = sys->spawn(writer_actor, store_, svc_.registry, svc_.log, clock, ws);
  svc_.hasher = sys->spawn(auth_actor, persistence::hash_cost::minimal(),
                           std::size_t{1}, false, svc_.log, svc_.writer);
  svc_.spool = sys->spawn(spool_actor, read_only_);
}

void world::spawn_client(std::size_t c) {
  auto& cl = clients_[c];
  cl = client{};
  cl.checker = std::make_unique<frame_checker>(*probe_, *store_);
  cl.rec.checker = cl.checker.get();
  cl.rec.name = static_cast<char>('A' + c);
  cl.rec.max_frame = svc_.settings.max_frame_before_login;
  cl.conn = sys_->spawn<fuzz_conn>(&cl.rec);
  auto peer = "127.0.0.1:" + std::to_string(40001 + c);
  cl.session = sys_->spawn(session_actor, cl.conn, peer, svc_);
  cl.rec.session = cl.session.address();
}

void world::begin(const scenario& sc) {
  reset_store();
  spawn_services(sc);
  for (std::size_t c = 0; c < clients; ++c)
    spawn_client(c);
  run();
  for (std::size_t c = 0; c < clients; ++c) {
    char frames[128];
    std::snprintf(frames, sizeof(frames), prefixes[sc.prefix[c]], users[c]);
    feed(c, frames);
  }
  run();
}

void world::feed(std::size_t c, std::string_view bytes) {
  auto& cl = clients_[c];
  for (std::size_t off = 0; off < bytes.size() && cl.reading; off += read_chunk)
    on_chunk(cl, bytes.substr(off, read_chunk));
}

void world::on_chunk(client& cl, std::string_view chunk) {
  if (trace)
    std::fprintf(stderr, "%c > %.*s\n", cl.rec.name,
                 static_cast<int>(chunk.size()), chunk.data());
  // What conn_state::on_data does, without the rate limit.
  if (cl.bytes_read == 0
      && (net::looks_like_http(chunk) || net::looks_like_tls(chunk))) {
    cl.reading = false;
    caf::anon_send(cl.session, inbound{net::command{}, errc::not_kurir, ""});
    return;
  }
  cl.bytes_read += chunk.size();
  auto res = net::decode(cl.decoder, chunk, cl.rec.max_frame);
  for (auto& raw : res.frames) {
    auto p = net::parse_command(raw);
    if (p.error == errc::none && p.cmd.kind == net::command_kind::ack)
      note_acks(cl, p.cmd);
    caf::anon_send(cl.session,
                   inbound{std::move(p.cmd), p.error, std::move(p.detail)});
  }
  if (res.error != errc::none) {
    cl.reading = false;
    auto detail
      = "frame exceeds " + std::to_string(cl.rec.max_frame) + " bytes";
    caf::anon_send(cl.session, inbound{net::command{}, res.error, detail});
  }
}

void world::note_acks(client& cl, const net::command& cmd) {
  for (auto id : cmd.ids)
    if (id >= 0)
      cl.acked.insert(id);
}

bool world::delivered(const std::string& member, int64_t id) const {
  if (written_.count({member, id}) == 1)
    return true;
  // Acknowledged on a connection that sent it to them. The session takes
  // an ack when it comes to it, so this ignores the order of the two (and
  // so is more lenient than the session).
  for (const auto& cl : clients_)
    if (cl.acked.count(id) == 1 && cl.rec.sent.count({member, id}) == 1)
      return true;
  return false;
}

void world::run() {
  sched_->run();
}

void world::step(std::size_t n) {
  sched_->run(n);
}

void world::run_lifo() {
  while (sched_->try_run_once_lifo())
    ; // nop
}

void world::advance(std::chrono::milliseconds d) {
  sched_->advance_time(d);
  run();
}

void world::written(std::size_t c, bool all) {
  auto& cl = clients_[c];
  auto& queue = cl.rec.unwritten;
  auto n = all ? queue.size() : std::min<std::size_t>(1, queue.size());
  if (n == 0 || cl.rec.close_asked || cl.peer_closed)
    return;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& d = queue.front();
    if (!d.acking) // an acking session's cursor waits for the ack
      written_.emplace(d.user, d.id);
    queue.pop_front();
  }
  caf::anon_send(cl.session, written_atom_v, static_cast<uint64_t>(n));
}

void world::close_peer(std::size_t c) {
  auto& cl = clients_[c];
  if (cl.peer_closed || cl.rec.close_asked)
    return;
  cl.peer_closed = true;
  cl.reading = false;
  caf::anon_send(cl.session, caf::close_atom_v);
}

void world::shutdown(std::size_t c) {
  auto& cl = clients_[c];
  if (cl.shut_down || cl.peer_closed || cl.rec.close_asked)
    return;
  cl.shut_down = true;
  cl.reading = false;
  caf::anon_send(cl.session, shutdown_atom_v);
}

void world::check_idle(const client& cl) {
  if (gone(cl.session))
    return;
  // Closed by either side: the session ends once its replies are out.
  require(!cl.peer_closed && !cl.shut_down && !cl.rec.close_asked,
          "a closed connection's session lives on");
  // Nothing left to do, so every command has been answered.
  auto* self = caf::actor_cast<caf::abstract_actor*>(cl.session);
  auto& st = static_cast<caf::stateful_actor<session_state>*>(self)->state;
  require(!st.input.busy && st.input.queue.empty() && st.replies.empty(),
          "a command was never answered");
  require(st.input.pending_writes == 0 && !st.flow.reading(),
          "a session waits for something that will not come");
}

void world::check_cursors() {
  // Commit the cursor moves the writer still batches, then: a cursor only
  // passes a member's own messages and messages written to them (or that
  // they acknowledged). One that passed anything else would hide it from
  // every later login: a loss.
  caf::anon_send(svc_.writer, drain_atom_v);
  run();
  for (const auto& [member, id, sender] : probe_->passed())
    require(sender == member || delivered(member, id),
            "a cursor passed a message not delivered to its member");
}

void world::end() {
  run();
  for (const auto& cl : clients_)
    check_idle(cl);
  check_cursors();
  stop_all();
}

void world::stop_all() {
  using caf::exit_reason;
  for (auto& cl : clients_) {
    caf::anon_send_exit(cl.session, exit_reason::kill);
    caf::anon_send_exit(cl.conn, exit_reason::kill);
  }
  run();
  for (auto h : {caf::actor_cast<caf::actor>(svc_.writer),
                 caf::actor_cast<caf::actor>(svc_.spool),
                 caf::actor_cast<caf::actor>(svc_.registry),
                 caf::actor_cast<caf::actor>(svc_.hasher),
                 caf::actor_cast<caf::actor>(svc_.log)})
    caf::anon_send_exit(h, exit_reason::kill);
  run();
  // Timers still pending hold their receivers: fire them all (they find
  // nobody) so nothing of this input outlives it.
  while (sched_->has_pending_timeout()) {
    sched_->trigger_timeouts();
    run();
  }
  for (auto& cl : clients_)
    cl = client{};
  svc_ = services{};
  store_.reset();
  written_.clear();
}

} // namespace kurir::fuzz
