#include "store/emergency/sqlite_emergency_store.h"

#include "store/emergency/emergency_store_impl.h"

namespace ecomon {

std::unique_ptr<EmergencyStore> sqlite_emergency_store(sqlite::Db& db) {
  return std::make_unique<SqlEmergencyStore<SqliteSql>>(db);
}

}  // namespace ecomon
