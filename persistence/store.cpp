#include "persistence/store.hpp"

namespace kurir::persistence {

store::~store() = default;

} // namespace kurir::persistence
