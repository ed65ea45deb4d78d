// The stored emission day-loads (store/api/source_day_loads.h) on PostgreSQL (migration 17: source_day_load,
// source_day_stale), on a connection it is given. The cluster's uploads (ClusterUploads,
// store/cluster_ingest.h) hand it out: their spool raises a day's mark in the transaction that stores an
// upload of it, so the rows here follow the uploads exactly as SQLite's do in its shard files.
//
//   PgDayLoadStore days(conn);
//   auto stale = days.stale_days(2051, 20250101, 20251231);
//   ECOMON_RETURN_IF_ERROR(days.replace_day_loads(those_days, their_rows));
//
// replace_day_loads is one transaction (a savepoint inside one already open) under the advisory lock
// kLockDayLoads, so two readers recomputing the same day one after the other leave the second's rows
// (SQLite's single writer does the same); it locks the marks it may delete in key order, as the spool's
// upsert takes them, so a writer and a reader never wait for each other in a circle.
//
// Thread safety: that of its Conn.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "store/api/source_day_loads.h"
#include "store/postgres/db.h"

namespace ecomon {

class PgDayLoadStore final : public SourceDayLoadStore {
 public:
  explicit PgDayLoadStore(pg::Conn& c) : c_(c) {}
  // By MN and day.
  StatusOr<std::vector<SourceDay>> stale_days(int cn, int64_t first, int64_t last) override;
  // By day, MN and pollutant (code-point order, as SQLite's key).
  StatusOr<std::vector<StoredDayLoad>> day_loads(const std::string& mn, int cn, int64_t first,
                                                 int64_t last) override;
  Status replace_day_loads(std::span<const SourceDay> days, std::span<const StoredDayLoad> rows) override;
  // Marks `days` stale where they are not marked (a marked day keeps its mark): the uploads stored before
  // the day-loads were (ClusterUploads). In the caller's transaction when one is open.
  Status mark_unmarked(std::span<const SourceDay> days);

  // Rows per statement of the array inserts (a year's recomputed rows go in several).
  static constexpr size_t kChunkRows = 20000;

 private:
  pg::Conn& c_;
};

}  // namespace ecomon
