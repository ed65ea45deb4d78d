#include "store/sources/device_key_store.h"

namespace ecomon {
namespace {

constexpr const char* kColumns = "mn, serial, sealed, issued_ms, issued_by, valid_until_ms";

StatusOr<std::vector<DeviceKeyRecord>> all_rows(sqlite::Stmt& q) {
  std::vector<DeviceKeyRecord> out;
  while (true) {
    auto row = q.step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    DeviceKeyRecord k;
    k.mn = q.str(0);
    k.serial = q.int64(1);
    k.sealed = std::string(q.blob(2));
    k.issued_ms = q.int64(3);
    k.issued_by = q.str(4);
    k.valid_until_ms = q.opt_int64(5);
    out.push_back(std::move(k));
  }
}

}  // namespace

StatusOr<int64_t> SqliteDeviceKeyStore::rotate(const DeviceKeyRecord& k, int64_t previous_valid_until_ms) {
  auto tx = sqlite::Tx::begin(db_);
  if (!tx.ok()) return tx.status();
  sqlite::Stmt& known = db_.cached("SELECT count(*) FROM source_device WHERE mn = ?1");
  known.bind(1, k.mn);
  auto row = known.step();
  if (!row.ok()) return row.status();
  const bool found = *row && known.int64(0) > 0;
  known.reset();
  if (!found) return not_found("device " + k.mn + " is not registered");
  ECOMON_RETURN_IF_ERROR(db_.cached("UPDATE source_device_key SET valid_until_ms = ?2 "
                                    "WHERE mn = ?1 AND valid_until_ms IS NULL")
                             .bind(1, k.mn)
                             .bind(2, previous_valid_until_ms)
                             .run());
  sqlite::Stmt& next = db_.cached("SELECT coalesce(max(serial), 0) + 1 FROM source_device_key WHERE mn = ?1");
  next.bind(1, k.mn);
  auto n = next.step();
  if (!n.ok()) return n.status();
  const int64_t serial = next.int64(0);
  next.reset();
  ECOMON_RETURN_IF_ERROR(db_.cached("INSERT INTO source_device_key(mn, serial, sealed, issued_ms, issued_by, "
                                    "valid_until_ms) VALUES(?1, ?2, ?3, ?4, ?5, NULL)")
                             .bind(1, k.mn)
                             .bind(2, serial)
                             .bind_blob(3, k.sealed)
                             .bind(4, k.issued_ms)
                             .bind(5, k.issued_by)
                             .run());
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return serial;
}

StatusOr<std::vector<DeviceKeyRecord>> SqliteDeviceKeyStore::valid_keys(const std::string& mn,
                                                                        int64_t now_ms) {
  sqlite::Stmt& q = db_.cached(std::string("SELECT ") + kColumns +
                               " FROM source_device_key WHERE mn = ?1 AND (valid_until_ms IS NULL OR "
                               "valid_until_ms > ?2) ORDER BY valid_until_ms IS NOT NULL, serial DESC");
  q.bind(1, mn).bind(2, now_ms);
  return all_rows(q);
}

StatusOr<std::vector<DeviceKeyRecord>> SqliteDeviceKeyStore::all_valid_keys(int64_t now_ms) {
  sqlite::Stmt& q = db_.cached(std::string("SELECT ") + kColumns +
                               " FROM source_device_key WHERE valid_until_ms IS NULL OR valid_until_ms > ?1 "
                               "ORDER BY mn, valid_until_ms IS NOT NULL, serial DESC");
  q.bind(1, now_ms);
  return all_rows(q);
}

StatusOr<std::vector<DeviceKeyRecord>> SqliteDeviceKeyStore::history(const std::string& mn) {
  sqlite::Stmt& q =
      mn.empty()
          ? db_.cached(std::string("SELECT ") + kColumns + " FROM source_device_key ORDER BY mn, serial")
          : db_.cached(std::string("SELECT ") + kColumns +
                       " FROM source_device_key WHERE mn = ?1 ORDER BY mn, serial");
  if (!mn.empty()) q.bind(1, mn);
  return all_rows(q);
}

}  // namespace ecomon
