// The definitions of SqlPendingDeviceStore (pending_device_store.h), for SQLite (pending_device_store.cc) and
// PostgreSQL (store/postgres/concern_stores.cc): the same statements, SQLite's SQL (store/postgres/sql_db.h
// translates).
#pragma once

#include "store/sources/pending_device_store.h"

namespace ecomon {
namespace pending_impl {

inline constexpr const char* kColumns =
    "id, hardware_id, cpu_id, mac1, mac2, st, pw, peer, first_seen_ms, last_seen_ms, seen_count, mn, "
    "assigned_ms, assigned_by";

template <class Q>
PendingDevice row_of(const Q& q) {
  PendingDevice d;
  d.id = q.int64(0);
  d.hardware_id = q.str(1);
  d.cpu_id = q.str(2);
  d.mac1 = q.str(3);
  d.mac2 = q.str(4);
  d.st = q.str(5);
  d.pw = q.str(6);
  d.peer = q.str(7);
  d.first_seen_ms = q.int64(8);
  d.last_seen_ms = q.int64(9);
  d.count = q.int64(10);
  d.mn = q.str(11);
  d.assigned_ms = q.int64(12);
  d.assigned_by = q.str(13);
  return d;
}

}  // namespace pending_impl

template <class Sql>
Status SqlPendingDeviceStore<Sql>::record_sighting(const PendingSighting& s) {
  if (s.hardware_id.empty()) return invalid_argument("a 1001 without i23005-Info (数采仪ID) is not recorded");
  return db_
      .cached(
          "INSERT INTO pending_device(hardware_id, cpu_id, mac1, mac2, st, pw, peer, first_seen_ms, "
          "last_seen_ms, seen_count, mn, assigned_ms, assigned_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
          "?8, 1, "
          "'', 0, '') ON CONFLICT(hardware_id) DO UPDATE SET "
          // Once the row has an MN its identity fields are what the MN is bound to: kept (one not known yet
          // is taken from the first 1001 that states it).
          "cpu_id = CASE WHEN pending_device.mn = '' OR pending_device.cpu_id = '' THEN excluded.cpu_id "
          "ELSE pending_device.cpu_id END, "
          "mac1 = CASE WHEN pending_device.mn = '' OR pending_device.mac1 = '' THEN excluded.mac1 "
          "ELSE pending_device.mac1 END, "
          "mac2 = CASE WHEN pending_device.mn = '' OR pending_device.mac2 = '' THEN excluded.mac2 "
          "ELSE pending_device.mac2 END, "
          "st = excluded.st, pw = excluded.pw, peer = excluded.peer, last_seen_ms = "
          "excluded.last_seen_ms, seen_count = pending_device.seen_count + 1")
      .bind(1, s.hardware_id)
      .bind(2, s.cpu_id)
      .bind(3, s.mac1)
      .bind(4, s.mac2)
      .bind(5, s.st)
      .bind(6, s.pw)
      .bind(7, s.peer)
      .bind(8, s.seen_ms)
      .run();
}

template <class Sql>
StatusOr<std::vector<PendingDevice>> SqlPendingDeviceStore<Sql>::list() {
  auto& q = db_.cached(std::string("SELECT ") + pending_impl::kColumns + " FROM pending_device ORDER BY id");
  std::vector<PendingDevice> out;
  while (true) {
    auto more = q.step();
    if (!more.ok()) return more.status();
    if (!*more) break;
    out.push_back(pending_impl::row_of(q));
  }
  q.reset();
  return out;
}

template <class Sql>
StatusOr<PendingDevice> SqlPendingDeviceStore<Sql>::get(int64_t id) {
  auto& q =
      db_.cached(std::string("SELECT ") + pending_impl::kColumns + " FROM pending_device WHERE id = ?1");
  q.bind(1, id);
  auto more = q.step();
  if (!more.ok()) return more.status();
  if (!*more) {
    q.reset();
    return not_found("no pending device " + std::to_string(id) + " (ecomon sources pending lists them)");
  }
  PendingDevice d = pending_impl::row_of(q);
  q.reset();
  return d;
}

template <class Sql>
Status SqlPendingDeviceStore<Sql>::assign(int64_t id, const std::string& mn, const std::string& by,
                                          int64_t now_ms) {
  auto tx = Sql::begin(db_, SqlConcern::kPendingDevices);
  if (!tx.ok()) return tx.status();
  auto row = get(id);
  if (!row.ok()) return row.status();
  if (row->assigned()) {
    return failed_precondition("pending device " + std::to_string(id) + " (数采仪ID " + row->hardware_id +
                               ") already has MN " + row->mn);
  }
  auto& holder = db_.cached("SELECT id FROM pending_device WHERE mn = ?1");
  holder.bind(1, mn);
  auto taken = holder.step();
  if (!taken.ok()) return taken.status();
  const int64_t other = *taken ? holder.int64(0) : 0;
  holder.reset();
  if (other != 0) {
    return failed_precondition("MN " + mn + " is already assigned to pending device " +
                               std::to_string(other));
  }
  ECOMON_RETURN_IF_ERROR(
      db_.cached("UPDATE pending_device SET mn = ?1, assigned_ms = ?2, assigned_by = ?3 WHERE id = ?4")
          .bind(1, mn)
          .bind(2, now_ms)
          .bind(3, by)
          .bind(4, id)
          .run());
  return tx->commit();
}

}  // namespace ecomon
