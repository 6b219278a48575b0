#include "actors/settings.hpp"

#include <chrono>

namespace kurir {

wall_clock system_wall_clock() {
  return [] {
    using namespace std::chrono;
    return static_cast<int64_t>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch())
        .count());
  };
}

} // namespace kurir
