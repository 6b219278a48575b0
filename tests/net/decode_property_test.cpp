#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "net/frame.hpp"

using kurir::errc;
using kurir::net::decode;
using kurir::net::decode_result;
using kurir::net::decoder_state;

namespace {

/// A random byte string, biased towards the bytes the framing cares about.
std::string random_bytes(std::mt19937& rng) {
  static constexpr char special[] = {';', '\\', '|', ' ', '\n', '\r', 'a'};
  std::uniform_int_distribution<std::size_t> len_dist{0, 300};
  std::uniform_int_distribution<int> pick{0, 9};
  std::uniform_int_distribution<std::size_t> special_dist{0,
                                                          sizeof(special) - 1};
  std::uniform_int_distribution<int> byte_dist{0, 255};
  std::string out(len_dist(rng), '\0');
  for (auto& c : out)
    c = pick(rng) < 6 ? special[special_dist(rng)]
                      : static_cast<char>(byte_dist(rng));
  return out;
}

/// The outcome of decoding a whole stream.
struct stream_result {
  std::vector<std::string> frames;
  errc error = errc::none;
  decoder_state state;
};

stream_result decode_in_chunks(const std::string& bytes, std::size_t limit,
                               std::mt19937& rng) {
  std::uniform_int_distribution<std::size_t> chunk_dist{0, 40};
  stream_result out;
  std::size_t pos = 0;
  while (pos < bytes.size() && out.error == errc::none) {
    auto n = std::min(chunk_dist(rng), bytes.size() - pos);
    decode_result res;
    REQUIRE_NOTHROW(res = decode(out.state, bytes.substr(pos, n), limit));
    REQUIRE(out.state.partial.size() <= limit);
    out.frames.insert(out.frames.end(), res.frames.begin(), res.frames.end());
    out.error = res.error;
    pos += n;
  }
  return out;
}

} // namespace

TEST_CASE("decode in random chunks equals decode in one piece",
          "[net][frame][property]") {
  std::mt19937 rng{20240601u};
  constexpr std::size_t limits[] = {1, 8, 32, 4096};
  int runs_with_frames = 0;
  int runs_with_error = 0;
  for (int run = 0; run < 400; ++run) {
    auto bytes = random_bytes(rng);
    auto limit = limits[static_cast<std::size_t>(run) % 4];
    INFO("run " << run << ", limit " << limit << ", size " << bytes.size());
    decoder_state whole_state;
    decode_result whole;
    REQUIRE_NOTHROW(whole = decode(whole_state, bytes, limit));
    REQUIRE(whole_state.partial.size() <= limit);
    auto chunked = decode_in_chunks(bytes, limit, rng);
    CHECK(chunked.frames == whole.frames);
    CHECK(chunked.error == whole.error);
    CHECK(chunked.state.partial == whole_state.partial);
    CHECK(chunked.state.escaped == whole_state.escaped);
    for (const auto& frame : whole.frames)
      CHECK(frame.size() <= limit);
    runs_with_frames += whole.frames.empty() ? 0 : 1;
    runs_with_error += whole.error == errc::none ? 0 : 1;
  }
  // The generator must exercise both outcomes, or the test proves little.
  CHECK(runs_with_frames > 100);
  CHECK(runs_with_error > 100);
}
