#include "client/terminal/session.hpp"

#include <cstdlib>
#include <utility>

#include "client/core/frames.hpp"
#include "client/core/replies.hpp"
#include "client/terminal/error_text.hpp"
#include "net/frame.hpp"

namespace kurir::client {

namespace {

/// Reads a decimal integer; false unless the whole field is one.
bool to_int(const std::string& s, int64_t& out) {
  if (s.empty())
    return false;
  char* end = nullptr;
  out = std::strtoll(s.c_str(), &end, 10);
  return end == s.c_str() + s.size();
}

/// The command word the broker names in `--ok--|<word>|...` for each request.
std::string_view ok_word(int kind) {
  static constexpr std::string_view words[]
    = {"hello", "register", "login",   "",       "send", "history",
       "who",   "groups",   "members", "create", "add",  "remove",
       "leave", "logout",   "",        ""};
  return words[kind];
}

/// Splits a comma-separated list; an empty string is an empty list.
std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> out;
  std::string name;
  for (char c : list + ",") {
    if (c != ',') {
      name += c;
    } else if (!name.empty()) {
      out.push_back(std::move(name));
      name.clear();
    }
  }
  return out;
}

} // namespace

session::session(session_config cfg)
    : cfg_(std::move(cfg)),
      backoff_(cfg_.backoff_base_ms, cfg_.backoff_cap_ms, cfg_.seed),
      outbox_(cfg_.client_id_prefix + "-") {
  // nop
}

// -- connection lifecycle -----------------------------------------------------

void session::on_connected(const std::string& host, uint16_t port) {
  connected_ = true;
  emit(event_kind::connected, {host, std::to_string(port)});
  std::string frame;
  client_core::put_hello(frame);
  issue_simple(req::hello, std::exchange(frame, {}), "hello");
  if (cfg_.register_first && !registered_) {
    ++register_attempts_;
    client_core::put_register(frame, cfg_.user, cfg_.password);
    issue_simple(req::register_user, std::exchange(frame, {}), "register");
  }
  client_core::put_login(frame, cfg_.user, cfg_.password);
  issue_simple(req::login, std::move(frame), "login");
}

void session::on_refused(const std::string& reason) {
  if (done_)
    return;
  connected_ = false;
  ready_ = false;
  out_.clear();
  fatal("tls_refused", explain("tls_refused") + " (" + reason + ")",
        exit_code::connect);
}

int64_t session::on_disconnected(const std::string& reason) {
  if (done_)
    return -1;
  connected_ = false;
  ready_ = false;
  reconnect_wanted_ = false;
  in_backlog_ = false;
  out_.clear();
  acks_.clear();
  unacked_.clear();
  requeue_pending();
  emit(event_kind::disconnected, {reason});
  if (done_)
    return -1;
  ++failures_;
  if (cfg_.max_retries > 0 && failures_ > cfg_.max_retries) {
    fatal("cannot_connect",
          explain("cannot_connect") + " (" + std::to_string(failures_)
            + " tries; last: " + reason + ")",
          exit_code::connect);
    return -1;
  }
  auto delay = backoff_.delay_ms(failures_);
  emit(event_kind::reconnecting,
       {std::to_string(failures_), std::to_string(delay)});
  return delay;
}

void session::requeue_pending() {
  std::deque<request> again;
  for (auto& r : pending_) {
    switch (r.kind) {
      case req::send:
      case req::history:
      case req::who:
      case req::groups:
      case req::members:
      case req::end:
      case req::local: again.push_back(std::move(r)); break;
      case req::create:
      case req::add:
      case req::remove:
      case req::leave:
        emit(event_kind::error,
             {"connection_lost", explain("connection_lost"), r.context});
        break;
      case req::logout:
        done_ = true;
        emit(event_kind::finished);
        break;
      default: // per-connection: hello, register, login, backlog
        break;
    }
  }
  pending_.clear();
  for (auto i = waiting_.begin(); i != waiting_.end(); ++i)
    again.push_back(std::move(*i));
  waiting_ = std::move(again);
}

// -- frames -------------------------------------------------------------------

void session::on_frame(std::string_view raw) {
  if (done_)
    return;
  auto head = net::split_fields(raw, 2);
  const auto& tag = head[0];
  if (tag == "--msg--" || tag == "--hist--")
    return on_delivery(raw, tag == "--hist--");
  auto f = net::split_fields(raw, 64);
  if (tag == "--ok--" && f.size() >= 2)
    on_ok(f);
  else if (tag == "--error--" && f.size() >= 2)
    on_error(net::split_fields(raw, 3));
  else if (tag == "--pong--")
    on_pong(net::split_fields(raw, 2));
  else if (tag == "--ping--") // the broker checks that we are alive
    client_core::put_pong(out_, client_core::parse_frame(raw).field(1));
  else if (tag == "--presence--" && f.size() == 3)
    on_presence(f);
  else if (tag == "--group--" && f.size() == 4)
    on_group_event(f);
  else
    emit(event_kind::error,
         {"protocol", explain("protocol"), std::string{raw.substr(0, 80)}});
  drain_local();
}

bool session::pop(request& out, std::string_view what) {
  if (pending_.empty()) {
    emit(event_kind::error,
         {"protocol", explain("protocol"), "unexpected " + std::string{what}});
    return false;
  }
  out = std::move(pending_.front());
  pending_.pop_front();
  return true;
}

void session::on_ok(const std::vector<std::string>& f) {
  request r;
  if (!pop(r, f[1]))
    return;
  if (ok_word(static_cast<int>(r.kind)) != f[1])
    emit(event_kind::error, {"protocol", explain("protocol"),
                             "--ok--|" + f[1] + " for " + r.context});
  switch (r.kind) {
    case req::hello:
      if (f.size() < 4 || f[3] != "ack")
        fatal("protocol",
              "The broker does not grant acknowledged delivery (hello).",
              exit_code::protocol);
      break;
    case req::register_user:
      registered_ = true;
      emit(event_kind::registered, {f.size() > 2 ? f[2] : cfg_.user});
      break;
    case req::login: on_login(f.size() > 2 ? f[2] : cfg_.user); break;
    case req::send:
      outbox_.settle(r.send_no);
      note_name(r.target);
      emit(event_kind::sent,
           {f.size() > 2 ? f[2] : "", f.size() > 3 ? f[3] : "", r.client_id,
            r.target, r.body});
      break;
    default: on_ok_other(r, f);
  }
}

void session::on_ok_other(const request& r, const std::vector<std::string>& f) {
  std::vector<std::string> rest(f.begin() + 2, f.end());
  std::vector<std::string> all(f.begin() + 1, f.end());
  if (rest.empty())
    rest.emplace_back();
  switch (r.kind) {
    case req::history: emit(event_kind::history_done, rest); break;
    case req::who:
    case req::groups:
    case req::members:
      for (auto& n : split_list(rest.back()))
        note_name(n);
      if (r.kind == req::members)
        note_name(rest.front());
      emit(r.kind == req::who      ? event_kind::who
           : r.kind == req::groups ? event_kind::groups
                                   : event_kind::members,
           rest);
      break;
    case req::logout:
      emit(event_kind::ok, all);
      done_ = true;
      emit(event_kind::finished);
      break;
    default:
      for (const auto& x : rest)
        note_name(x);
      emit(event_kind::ok, all);
  }
}

void session::on_login(const std::string& user) {
  self_ = user;
  names_.erase(self_);
  ready_ = true;
  failures_ = 0;
  in_backlog_ = true;
  backlog_count_ = 0;
  emit(event_kind::logged_in, {self_});
  issue_simple(req::backlog,
               "--ping--|backlog-" + std::to_string(++next_token_) + ";",
               "backlog");
  flush_waiting();
}

void session::on_error(const std::vector<std::string>& f) {
  const auto& code = f[1];
  auto text = f.size() > 2 ? f[2] : std::string{};
  if (client_core::refuses_ack(code, text))
    return; // an acknowledgement the broker did not expect: harmless
  if (closes_on_its_own(code)) {
    emit(event_kind::error, {code, explain(code, text), "connection"});
    return; // not an answer; the connection is about to close
  }
  request r;
  if (!pop(r, "error " + code))
    return;
  auto sentence = explain(code, text);
  if (r.kind == req::send)
    outbox_.settle(r.send_no); // refused: it will not go again
  if (r.kind == req::hello) {
    fatal("protocol",
          "The broker does not speak protocol 2 with acknowledgements (" + text
            + ").",
          exit_code::protocol);
  } else if (r.kind == req::register_user) {
    if (register_attempts_ > 1 && code == "name_taken")
      registered_ = true; // our own earlier attempt got through
    else
      fatal(code, sentence, exit_code::auth);
  } else if (r.kind == req::login && code == "try_later") {
    emit(event_kind::error, {code, sentence, r.context});
    reconnect_wanted_ = true; // throttled: try again after a backoff
  } else if (r.kind == req::login) {
    fatal(code, sentence, exit_code::auth);
  } else {
    emit(event_kind::error, {code, sentence, r.context});
  }
}

void session::on_pong(const std::vector<std::string>& f) {
  request r;
  if (!pop(r, "pong"))
    return;
  auto token = f.size() > 1 ? f[1] : std::string{};
  if (r.frame != "--ping--|" + token + ";")
    emit(event_kind::error, {"protocol", explain("protocol"), "pong " + token});
  if (r.kind == req::backlog) {
    in_backlog_ = false;
    emit(event_kind::backlog_done, {std::to_string(backlog_count_)});
  } else if (r.kind == req::end) {
    done_ = true;
    emit(event_kind::finished);
  }
}

void session::on_delivery(std::string_view raw, bool history) {
  auto f = net::split_fields(raw, 7);
  delivery d;
  if (f.size() != 7 || !to_int(f[1], d.id) || !to_int(f[2], d.seq)
      || !to_int(f[3], d.ts_ms)) {
    emit(event_kind::error,
         {"protocol", explain("protocol"), std::string{raw.substr(0, 80)}});
    return;
  }
  d.from = std::move(f[4]);
  d.to = std::move(f[5]);
  d.body = std::move(f[6]);
  note_name(d.from);
  note_name(d.to);
  event e;
  e.kind = history ? event_kind::history_item : event_kind::message;
  if (!history) {
    if (!seen_.insert(d.id).second) {
      acks_.push_back(d.id); // shown before: only acknowledge it here
      return;
    }
    unacked_.insert(d.id);
    e.backlog = in_backlog_;
    if (in_backlog_)
      ++backlog_count_;
  }
  e.msg = std::move(d);
  events_.push_back(std::move(e));
}

void session::on_presence(const std::vector<std::string>& f) {
  note_name(f[1]);
  emit(event_kind::presence, {f[1], f[2]});
}

void session::on_group_event(const std::vector<std::string>& f) {
  note_name(f[1]);
  emit(event_kind::group_event, {f[1], f[2], f[3] == self_ ? "" : f[3]});
}

std::string conversation_of(const delivery& d, const std::string& self) {
  return d.to == self ? d.from : d.to;
}

} // namespace kurir::client
