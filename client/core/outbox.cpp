#include "client/core/outbox.hpp"

#include "client/core/frames.hpp"

namespace kurir::client_core {

int64_t outbox::add(std::string target, std::string body) {
  auto n = ++next_;
  sends_.emplace_hint(sends_.end(), n,
                      entry{std::move(target), std::move(body), 0});
  return n;
}

void outbox::write(int64_t n, uint32_t gen, std::string& out) {
  auto& e = sends_.at(n);
  e.gen = gen;
  out += "--send--|";
  append_escaped(out, prefix_);
  append_int(out, n);
  out += '|';
  append_escaped(out, e.target);
  out += '|';
  append_escaped(out, e.body);
  out += ';';
}

std::string outbox::client_id(int64_t n) const {
  auto id = prefix_;
  append_int(id, n);
  return id;
}

bool outbox::is_client_id(int64_t n, std::string_view id) const {
  if (id.substr(0, prefix_.size()) != prefix_)
    return false;
  int64_t x = 0;
  return to_int(id.substr(prefix_.size()), x) && x == n;
}

const outbox::entry* outbox::find(int64_t n) const {
  auto i = sends_.find(n);
  return i == sends_.end() ? nullptr : &i->second;
}

} // namespace kurir::client_core
