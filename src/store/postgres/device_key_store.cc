#include "store/postgres/device_key_store.h"

#include "core/hex.h"

namespace ecomon {
namespace {

constexpr const char* kColumns = "mn, serial, sealed_hex, issued_ms, issued_by, valid_until_ms";

StatusOr<std::vector<DeviceKeyRecord>> rows_of(const pg::Result& r) {
  std::vector<DeviceKeyRecord> out;
  for (int i = 0; i < r.rows(); ++i) {
    DeviceKeyRecord k;
    k.mn = r.str(i, 0);
    k.serial = r.int64(i, 1);
    auto sealed = from_hex(r.text(i, 2));
    if (!sealed) return data_loss("device " + k.mn + "'s stored key is not hex");
    k.sealed = std::move(*sealed);
    k.issued_ms = r.int64(i, 3);
    k.issued_by = r.str(i, 4);
    k.valid_until_ms = r.opt_int64(i, 5);
    out.push_back(std::move(k));
  }
  return out;
}

}  // namespace

StatusOr<int64_t> PgDeviceKeyStore::rotate(const DeviceKeyRecord& k, int64_t previous_valid_until_ms) {
  auto tx = pg::Tx::begin(c_);
  if (!tx.ok()) return tx.status();
  // The device's row locked: two rotations of one device follow one another.
  auto known = c_.query("SELECT 1 FROM source_device WHERE mn = $1 FOR UPDATE", pg::Params().add(k.mn));
  if (!known.ok()) return known.status();
  if (known->rows() == 0) return not_found("device " + k.mn + " is not registered");
  ECOMON_RETURN_IF_ERROR(c_.run("UPDATE source_device_key SET valid_until_ms = $2 "
                                "WHERE mn = $1 AND valid_until_ms IS NULL",
                                pg::Params().add(k.mn).add(previous_valid_until_ms))
                             .status());
  auto next = c_.query("SELECT coalesce(max(serial), 0) + 1 FROM source_device_key WHERE mn = $1",
                       pg::Params().add(k.mn));
  if (!next.ok()) return next.status();
  const int64_t serial = next->int64(0, 0);
  ECOMON_RETURN_IF_ERROR(
      c_.run("INSERT INTO source_device_key(mn, serial, sealed_hex, issued_ms, issued_by, "
             "valid_until_ms) VALUES($1, $2, $3, $4, $5, NULL)",
             pg::Params().add(k.mn).add(serial).add(to_hex(k.sealed)).add(k.issued_ms).add(k.issued_by))
          .status());
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return serial;
}

StatusOr<std::vector<DeviceKeyRecord>> PgDeviceKeyStore::valid_keys(const std::string& mn, int64_t now_ms) {
  auto r = c_.query(
      std::string("SELECT ") + kColumns +
          " FROM source_device_key WHERE mn = $1 AND (valid_until_ms IS NULL OR valid_until_ms > $2) "
          "ORDER BY valid_until_ms IS NOT NULL, serial DESC",
      pg::Params().add(mn).add(now_ms));
  if (!r.ok()) return r.status();
  return rows_of(*r);
}

StatusOr<std::vector<DeviceKeyRecord>> PgDeviceKeyStore::all_valid_keys(int64_t now_ms) {
  auto r = c_.query(std::string("SELECT ") + kColumns +
                        " FROM source_device_key WHERE valid_until_ms IS NULL OR valid_until_ms > $1 "
                        "ORDER BY mn, valid_until_ms IS NOT NULL, serial DESC",
                    pg::Params().add(now_ms));
  if (!r.ok()) return r.status();
  return rows_of(*r);
}

StatusOr<std::vector<DeviceKeyRecord>> PgDeviceKeyStore::history(const std::string& mn) {
  auto r = mn.empty()
               ? c_.query(std::string("SELECT ") + kColumns + " FROM source_device_key ORDER BY mn, serial")
               : c_.query(std::string("SELECT ") + kColumns +
                              " FROM source_device_key WHERE mn = $1 ORDER BY mn, serial",
                          pg::Params().add(mn));
  if (!r.ok()) return r.status();
  return rows_of(*r);
}

}  // namespace ecomon
