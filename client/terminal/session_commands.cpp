// The command side of `session`: input lines in, frames out.

#include "client/terminal/session.hpp"

#include <algorithm>
#include <utility>

#include "client/core/frames.hpp"
#include "client/terminal/error_text.hpp"
#include "net/frame.hpp"

namespace kurir::client {

namespace {

/// Folds ASCII upper case to lower case, as the broker does for names.
std::string fold(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return s;
}

/// Joins escaped fields into one frame: `a|b|c;`.
std::string frame_of(std::initializer_list<std::string> fields) {
  std::string out;
  for (const auto& f : fields) {
    if (!out.empty())
      out += '|';
    out += f;
  }
  return out + ";";
}

} // namespace

// -- input
// ----------------------------------------------------------------------

void session::execute(const user_command& cmd) {
  if (finishing_ || done_)
    return; // after /quit or /logout nothing more is done
  const auto& a = cmd.args;
  switch (cmd.word) {
    case command_word::none: break;
    case command_word::invalid:
      local(event_kind::error, {"usage", cmd.error, ""});
      break;
    case command_word::text:
      if (current_.empty())
        local(event_kind::error,
              {"no_conversation", explain("no_conversation"), ""});
      else
        send(current_, a[0]);
      break;
    case command_word::msg:
    case command_word::group: send(fold(a[0]), a[1]); break;
    case command_word::join: switch_to("join", a[0]); break;
    case command_word::query: switch_to("query", a[0]); break;
    case command_word::help: local(event_kind::help, help_lines()); break;
    case command_word::quit:
      if (!connected_ && waiting_.empty()) {
        done_ = true;
        emit(event_kind::finished);
      } else {
        finish();
      }
      break;
    case command_word::logout:
      finishing_ = true;
      issue_simple(req::logout, "--logout--;", "/logout");
      break;
    default: execute_group_command(cmd);
  }
}

void session::execute_group_command(const user_command& cmd) {
  std::vector<std::string> a;
  for (const auto& x : cmd.args)
    a.push_back(net::escape(fold(x)));
  switch (cmd.word) {
    case command_word::create:
      issue_simple(req::create, frame_of({"--create--", a[0]}), "/create");
      break;
    case command_word::add:
      issue_simple(req::add, frame_of({"--add--", a[0], a[1]}), "/add");
      break;
    case command_word::remove:
      issue_simple(req::remove, frame_of({"--remove--", a[0], a[1]}),
                   "/remove");
      break;
    case command_word::leave:
      issue_simple(req::leave, frame_of({"--leave--", a[0]}), "/leave");
      break;
    default: execute_read(cmd);
  }
}

void session::execute_read(const user_command& cmd) {
  const auto& a = cmd.args;
  switch (cmd.word) {
    case command_word::who: issue_simple(req::who, "--who--;", "/who"); break;
    case command_word::groups:
      issue_simple(req::groups, "--groups--;", "/groups");
      break;
    case command_word::members: {
      auto group = a.empty() ? current_ : fold(a[0]);
      if (group.empty())
        local(event_kind::error, {"usage", "usage: /members group", ""});
      else
        issue_simple(req::members,
                     frame_of({"--members--", net::escape(group)}), "/members");
      break;
    }
    case command_word::history: {
      if (current_.empty()) {
        local(event_kind::error,
              {"no_conversation", explain("no_conversation"), "/history"});
        break;
      }
      auto n = a.empty() ? std::to_string(cfg_.history_default) : a[0];
      issue_simple(req::history,
                   frame_of({"--history--", net::escape(current_), n}),
                   "/history");
      break;
    }
    default: break;
  }
}

void session::switch_to(const std::string& what, const std::string& name) {
  current_ = fold(name);
  note_name(current_);
  local(event_kind::ok, {what, current_});
}

void session::send(const std::string& target, const std::string& body) {
  request r;
  r.kind = req::send;
  r.send_no = outbox_.add(target, body);
  r.client_id = outbox_.client_id(r.send_no);
  r.target = target;
  r.body = body;
  r.context = "/msg " + target;
  // Sent again after a reconnect as the same frame: the same client id.
  outbox_.write(r.send_no, 1, r.frame);
  if (r.frame.size() - 1 > cfg_.max_frame) {
    outbox_.settle(r.send_no);
    local(event_kind::error, {"too_long", explain("too_long"), r.context});
    return;
  }
  issue(std::move(r));
}

void session::shown(int64_t id) {
  if (unacked_.erase(id) > 0)
    acks_.push_back(id);
}

void session::finish() {
  if (finishing_ || done_)
    return;
  finishing_ = true;
  issue_simple(req::end, "--ping--|end-" + std::to_string(++next_token_) + ";",
               "end of input");
}

void session::stop(int status) {
  done_ = true;
  exit_status_ = status;
}

// -- requests
// -------------------------------------------------------------------

void session::issue(request r) {
  if (r.kind == req::local && pending_.empty() && waiting_.empty()) {
    events_.push_back(std::move(r.local)); // nothing before it: show now
    return;
  }
  bool auth = r.kind == req::hello || r.kind == req::register_user
              || r.kind == req::login || r.kind == req::backlog;
  if (connected_ && (ready_ || auth)) {
    out_ += r.frame;
    pending_.push_back(std::move(r));
  } else {
    waiting_.push_back(std::move(r));
  }
}

void session::issue_simple(req kind, std::string frame, std::string context) {
  request r;
  r.kind = kind;
  r.frame = std::move(frame);
  r.context = std::move(context);
  issue(std::move(r));
}

void session::flush_waiting() {
  auto queue = std::move(waiting_);
  waiting_.clear();
  for (auto& r : queue)
    issue(std::move(r));
}

std::size_t session::unconfirmed() const {
  return outbox_.size();
}

// -- output
// ---------------------------------------------------------------------

std::string session::take_output() {
  if (connected_)
    client_core::put_acks(out_, acks_.data(), acks_.size());
  acks_.clear();
  return std::exchange(out_, {});
}

std::vector<event> session::take_events() {
  return std::exchange(events_, {});
}

void session::local(event_kind kind, std::vector<std::string> fields) {
  request r;
  r.kind = req::local;
  r.local.kind = kind;
  r.local.fields = std::move(fields);
  issue(std::move(r));
}

void session::drain_local() {
  while (!pending_.empty() && pending_.front().kind == req::local) {
    events_.push_back(std::move(pending_.front().local));
    pending_.pop_front();
  }
}

void session::fatal(const std::string& code, const std::string& text,
                    int status) {
  done_ = true;
  exit_status_ = status;
  emit(event_kind::fatal, {code, text});
}

void session::emit(event_kind kind, std::vector<std::string> fields) {
  event e;
  e.kind = kind;
  e.fields = std::move(fields);
  events_.push_back(std::move(e));
}

void session::note_name(const std::string& name) {
  if (!name.empty() && name != self_)
    names_.insert(name);
}

} // namespace kurir::client
