#include "persistence/store.hpp"

namespace kurir::persistence {

store::~store() = default;

store_stats store::stats() const {
  return {};
}

} // namespace kurir::persistence
