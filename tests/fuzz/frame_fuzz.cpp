// libFuzzer target for the frame codec (GUARANTEES.md case 30): decode in
// chunks chosen by the input, parse every frame, and check the invariants
// that the broker relies on. Built by scripts/fuzz with clang.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "net/command.hpp"
#include "net/encode.hpp"
#include "net/frame.hpp"

namespace {

constexpr std::size_t max_frame = 512;

void check(bool ok) {
  if (!ok)
    std::abort();
}

/// Splits fields, escapes them again and checks the round trip.
void check_round_trip(const std::string& raw) {
  auto fields = kurir::net::split_fields(raw, 8);
  std::string again;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0)
      again += '|';
    again += kurir::net::escape(fields[i]);
  }
  check(kurir::net::split_fields(again, 8) == fields);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  // The first byte picks the chunk size, so splits land everywhere.
  auto chunk = static_cast<std::size_t>(data[0] % 64) + 1;
  std::string_view input{reinterpret_cast<const char*>(data) + 1, size - 1};
  kurir::net::decoder_state st;
  for (std::size_t off = 0; off < input.size(); off += chunk) {
    auto res = kurir::net::decode(st, input.substr(off, chunk), max_frame);
    check(st.partial.size() <= max_frame); // memory stays bounded
    for (auto& raw : res.frames) {
      check(raw.size() <= max_frame);
      auto parsed = kurir::net::parse_command(raw);
      if (parsed.error != kurir::errc::none)
        check(!kurir::net::encode_error(parsed.error, parsed.detail).empty());
      check_round_trip(raw);
    }
    if (res.error != kurir::errc::none)
      break;
  }
  return 0;
}
