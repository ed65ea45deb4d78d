#include "store/postgres/record_store.h"

namespace ecomon {

Status PgRecordStore::begin_write() {
  if (tx_) return failed_precondition("a write transaction is already open on postgres " + c_.name());
  auto tx = pg::Tx::begin(c_);
  if (!tx.ok()) return tx.status();
  tx_.emplace(std::move(*tx));
  return Status();
}

Status PgRecordStore::commit() {
  if (!tx_) return failed_precondition("no write transaction to commit on postgres " + c_.name());
  Status s = tx_->commit();
  tx_.reset();
  return s;
}

void PgRecordStore::rollback() { tx_.reset(); }

StatusOr<int64_t> PgRecordStore::upsert_station(const StationInfo& s) {
  // Empty name or city: NULL, so that the stored value stays (store/sqlite_store.cc's rule).
  const auto text_or_null = [](const std::string& v) {
    return v.empty() ? std::nullopt : std::optional<std::string>(v);
  };
  auto r = c_.run(
      "INSERT INTO station(code, name, city, longitude, latitude, is_reference, in_site_list, kind, "
      "assessment, "
      "county, mn) VALUES ($1, coalesce($2::text, ''), $3, $4, $5, $6, $7, $8::text, $9::bigint, $10::text, "
      "nullif($11::text, '')) "
      "ON CONFLICT(code) DO UPDATE SET "
      "name = CASE WHEN $7 = 1 OR station.name = '' THEN coalesce($2::text, station.name) ELSE station.name "
      "END, "
      "city = CASE WHEN $7 = 1 OR station.city IS NULL THEN coalesce($3, station.city) ELSE station.city "
      "END, "
      "longitude = coalesce($4, station.longitude), latitude = coalesce($5, station.latitude), "
      "is_reference = CASE WHEN $7 = 1 THEN $6 ELSE station.is_reference END, "
      "in_site_list = greatest(station.in_site_list, $7), "
      "kind = CASE WHEN $8::text <> '' THEN $8::text ELSE station.kind END, "
      "assessment = CASE WHEN $8::text <> '' THEN $9::bigint ELSE station.assessment END, "
      "county = CASE WHEN $8::text <> '' THEN $10::text ELSE station.county END, "
      "mn = CASE WHEN $8::text <> '' THEN nullif($11::text, '') ELSE station.mn END RETURNING id",
      pg::Params()
          .add(s.code)
          .add(text_or_null(s.name))
          .add(text_or_null(s.city))
          .add(s.longitude)
          .add(s.latitude)
          .add(s.is_reference)
          .add(s.in_site_list)
          .add(s.kind)
          .add(s.assessment)
          .add(s.county)
          .add(s.mn));
  if (!r.ok()) return r.status().with_context("upsert station " + s.code);
  return r->int64(0, 0);
}

StatusOr<std::vector<StationInfo>> PgRecordStore::query_stations(const std::string& where,
                                                                 const pg::Params& params) {
  auto r = c_.run(
      "SELECT id, code, name, coalesce(city, ''), longitude, latitude, is_reference, in_site_list, kind, "
      "assessment, county, coalesce(mn, '') FROM station " +
          where + " ORDER BY code",
      params);
  if (!r.ok()) return r.status().with_context("list stations");
  std::vector<StationInfo> out;
  out.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back({.id = r->int64(i, 0),
                   .code = r->str(i, 1),
                   .name = r->str(i, 2),
                   .city = r->str(i, 3),
                   .longitude = r->opt_real(i, 4),
                   .latitude = r->opt_real(i, 5),
                   .is_reference = r->int64(i, 6) != 0,
                   .in_site_list = r->int64(i, 7) != 0,
                   .kind = r->str(i, 8),
                   .assessment = r->int64(i, 9) != 0,
                   .county = r->str(i, 10),
                   .mn = r->str(i, 11)});
  }
  return out;
}

StatusOr<std::vector<StationInfo>> PgRecordStore::all_stations() { return query_stations("", pg::Params()); }

StatusOr<std::vector<StationInfo>> PgRecordStore::stations_of_city(const std::string& city) {
  return query_stations("WHERE city = $1", pg::Params().add(city));
}

StatusOr<std::vector<StationInfo>> PgRecordStore::stations_by_code_or_mn(const std::string& code,
                                                                         const std::string& mn) {
  // Two indexed arms (the code's UNIQUE, station_by_mn), not an OR over a scan.
  if (mn.empty()) return query_stations("WHERE code = $1", pg::Params().add(code));
  return query_stations(
      "WHERE id IN (SELECT id FROM station WHERE code = $1 UNION SELECT id FROM station WHERE mn = $2)",
      pg::Params().add(code).add(mn));
}

StatusOr<std::vector<std::string>> PgRecordStore::cities() {
  auto r = c_.run("SELECT DISTINCT city FROM station WHERE city IS NOT NULL AND city <> '' ORDER BY city");
  if (!r.ok()) return r.status().with_context("list cities");
  std::vector<std::string> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(r->str(i, 0));
  return out;
}

Status PgDeviceStore::upsert_device(const DeviceRecord& d) {
  auto r = c_.run(
      "INSERT INTO source_device(mn, password, protocol, enterprise, outlet, county, rtd_interval_s, "
      "min_interval_min, active, policy) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT(mn) DO UPDATE "
      "SET "
      "password=$2, protocol=$3, enterprise=$4, outlet=$5, county=$6, rtd_interval_s=$7, "
      "min_interval_min=$8, "
      "active=$9, policy=$10",
      pg::Params()
          .add(d.mn)
          .add(d.password)
          .add(d.protocol)
          .add(d.enterprise)
          .add(d.outlet)
          .add(d.county)
          .add(d.rtd_interval_s)
          .add(d.min_interval_min)
          .add(d.active)
          .add(d.policy));
  return r.ok() ? Status() : r.status().with_context("upsert device " + d.mn);
}

StatusOr<std::vector<DeviceRecord>> PgDeviceStore::devices() { return query_devices("", pg::Params()); }

StatusOr<std::optional<DeviceRecord>> PgDeviceStore::device(const std::string& mn) {
  auto found = query_devices("WHERE mn = $1", pg::Params().add(mn));
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<DeviceRecord>();
  return std::optional<DeviceRecord>(std::move(found->front()));
}

StatusOr<std::vector<DeviceRecord>> PgDeviceStore::query_devices(const std::string& where,
                                                                 const pg::Params& params) {
  auto r = c_.run(
      "SELECT mn, password, protocol, enterprise, outlet, county, rtd_interval_s, min_interval_min, active, "
      "policy FROM source_device " +
          where + " ORDER BY mn",
      params);
  if (!r.ok()) return r.status().with_context("list devices");
  std::vector<DeviceRecord> out;
  out.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back({.mn = r->str(i, 0),
                   .password = r->str(i, 1),
                   .protocol = static_cast<int>(r->int64(i, 2)),
                   .enterprise = r->str(i, 3),
                   .outlet = r->str(i, 4),
                   .county = r->str(i, 5),
                   .rtd_interval_s = static_cast<int>(r->int64(i, 6)),
                   .min_interval_min = static_cast<int>(r->int64(i, 7)),
                   .active = r->int64(i, 8) != 0,
                   .policy = r->str(i, 9)});
  }
  return out;
}

StatusOr<int64_t> PgDeviceStore::registry_revision() {
  auto r = c_.run("SELECT value::bigint FROM meta WHERE key = 'registry_revision'");
  if (!r.ok()) return r.status().with_context("read registry revision");
  return r->rows() ? r->int64(0, 0) : int64_t{0};
}

}  // namespace ecomon
