#include "net/utf8.hpp"

namespace kurir::net {

namespace {

/// Returns the length of the sequence that starts with `b` and the bounds
/// of its second byte, or 0 for a byte that cannot start one.
int sequence(unsigned char b, unsigned char& lo, unsigned char& hi) {
  lo = 0x80;
  hi = 0xBF;
  if (b < 0x80)
    return 1;
  if (b >= 0xC2 && b <= 0xDF)
    return 2;
  if (b >= 0xE0 && b <= 0xEF) {
    if (b == 0xE0)
      lo = 0xA0; // no overlong forms
    if (b == 0xED)
      hi = 0x9F; // no surrogates
    return 3;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    if (b == 0xF0)
      lo = 0x90;
    if (b == 0xF4)
      hi = 0x8F; // nothing above U+10FFFF
    return 4;
  }
  return 0;
}

} // namespace

bool valid_utf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    unsigned char lo = 0;
    unsigned char hi = 0;
    int n = sequence(static_cast<unsigned char>(bytes[i]), lo, hi);
    if (n == 0 || i + n > bytes.size())
      return false;
    for (int k = 1; k < n; ++k) {
      auto c = static_cast<unsigned char>(bytes[i + k]);
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF))
        return false;
    }
    i += static_cast<std::size_t>(n);
  }
  return true;
}

} // namespace kurir::net
