#include "store/sqlite_stores.h"

#include "store/ledger/ledger_store.h"
#include "store/quality/quality_store.h"
#include "store/soil/soil_store.h"
#include "store/sqlite/db.h"
#include "store/sqlite_store.h"

namespace ecomon {
namespace {

class SqliteStores final : public Stores {
 public:
  SqliteStores(std::unique_ptr<sqlite::Db> db, std::unique_ptr<SqliteStore> air)
      : db_(std::move(db)), air_(std::move(air)), ledger_(*db_), quality_(*db_), soil_(*db_) {}
  TimeSeriesStore& time_series() override { return *air_; }
  RecordStore& records() override { return *air_; }
  SourceStore& sources() override { return *air_; }
  LedgerStore& ledger() override { return ledger_; }
  QualityStore& quality() override { return quality_; }
  SoilStore& soil() override { return soil_; }

 private:
  std::unique_ptr<sqlite::Db> db_;  // the connection the concerns share (migrated on open)
  // Not on db_ yet: SqliteStore keeps its own connection (its statements and the gateway's shard files).
  std::unique_ptr<SqliteStore> air_;
  SqliteLedgerStore ledger_;    // on db_
  SqliteQualityStore quality_;  // on db_
  SqliteSoilStore soil_;        // on db_
};

}  // namespace

StatusOr<std::unique_ptr<Stores>> open_sqlite_stores(const std::string& path) {
  auto db = sqlite::Db::open(path);
  if (!db.ok()) return db.status();
  auto air = SqliteStore::open(path);
  if (!air.ok()) return air.status();
  return std::unique_ptr<Stores>(new SqliteStores(std::move(*db), std::move(*air)));
}

StoresOpener sqlite_stores_opener(const std::string& path) {
  return [path]() { return open_sqlite_stores(path); };
}

}  // namespace ecomon
