#include "actors/metrics/http_broker.hpp"

#include <caf/io/system_messages.hpp>

#include "actors/messages.hpp"
#include "actors/metrics/exposition.hpp"
#include "net/http_request.hpp"

namespace kurir {

namespace {

constexpr std::string_view text_plain = "text/plain; charset=utf-8";

std::string error_page(int code) {
  return net::http_response(code, text_plain,
                            std::string{net::http_reason(code)} + "\n");
}

} // namespace

void metrics_http_state::on_connection(caf::io::broker* self,
                                       caf::io::connection_handle hdl) {
  if (conns.size() >= max_conns) {
    auto page = error_page(503);
    self->write(hdl, page.size(), page.data());
    self->flush(hdl);
    self->close(hdl);
    return;
  }
  conns[hdl].accepted = self->clock().now();
  self->configure_read(hdl, caf::io::receive_policy::at_most(4096));
  if (!ticking) {
    ticking = true;
    self->delayed_send(self, std::chrono::seconds(1), caf::tick_atom_v);
  }
}

void metrics_http_state::on_data(caf::io::broker* self,
                                 caf::io::connection_handle hdl,
                                 const std::vector<char>& buf) {
  auto i = conns.find(hdl);
  if (i == conns.end() || i->second.answered)
    return; // one request per connection: the rest is ignored
  auto& head = i->second.head;
  head.append(buf.data(), buf.size());
  auto res = net::parse_http_head(head);
  switch (res.status) {
    case net::http_status::incomplete: return;
    case net::http_status::bad: respond(self, hdl, error_page(400)); return;
    case net::http_status::too_large:
      respond(self, hdl, error_page(431));
      return;
    case net::http_status::complete:
      i->second.answered = true;
      on_request(self, hdl, res.method, res.path);
  }
}

void metrics_http_state::on_request(caf::io::broker* self,
                                    caf::io::connection_handle hdl,
                                    const std::string& method,
                                    const std::string& path) {
  if (path != "/metrics") {
    respond(self, hdl, error_page(404));
    return;
  }
  if (method != "GET" && method != "HEAD") {
    respond(self, hdl, error_page(405));
    return;
  }
  auto head_only = method == "HEAD";
  self->request(metrics, std::chrono::seconds(5), caf::get_atom_v)
    .then(
      [=](const std::string& page) {
        respond(
          self, hdl,
          net::http_response(200, metrics::content_type, page, head_only));
      },
      [=](caf::error&) { respond(self, hdl, error_page(503)); });
}

void metrics_http_state::respond(caf::io::broker* self,
                                 caf::io::connection_handle hdl,
                                 const std::string& response) {
  auto i = conns.find(hdl);
  if (i == conns.end())
    return; // the client went away meanwhile
  conns.erase(i);
  self->write(hdl, response.size(), response.data());
  self->flush(hdl);
  self->close(hdl);
}

void metrics_http_state::on_tick(caf::io::broker* self) {
  auto now = self->clock().now();
  std::vector<caf::io::connection_handle> late;
  for (auto& [hdl, c] : conns)
    if (!c.answered && now - c.accepted >= request_deadline)
      late.push_back(hdl);
  for (auto hdl : late)
    respond(self, hdl, error_page(408));
  ticking = !conns.empty();
  if (ticking)
    self->delayed_send(self, std::chrono::seconds(1), caf::tick_atom_v);
}

caf::behavior
metrics_http_actor(caf::io::stateful_broker<metrics_http_state>* self,
                   metrics_handle metrics) {
  self->state.metrics = std::move(metrics);
  return {
    [=](const caf::io::new_connection_msg& msg) {
      self->state.on_connection(self, msg.handle);
    },
    [=](const caf::io::new_data_msg& msg) {
      self->state.on_data(self, msg.handle, msg.buf);
    },
    [=](const caf::io::connection_closed_msg& msg) {
      self->state.conns.erase(msg.handle);
    },
    [=](const caf::io::acceptor_closed_msg&) {},
    [=](caf::tick_atom) { self->state.on_tick(self); },
    [=](caf::open_atom, uint16_t port,
        const std::string& bind) -> caf::result<uint16_t> {
      auto res = self->add_tcp_doorman(port, bind.c_str(), true);
      if (!res)
        return res.error();
      return res->second;
    },
  };
}

} // namespace kurir
