// The record concerns' store tests, once for every SQL backend: a suite written with TEST_P over
// StoreBackend and instantiated with store_backends() runs on SQLite (a fresh file per test) in the unit
// binaries, and on PostgreSQL (a fresh schema per test in the server ECOMON_TEST_POSTGRES names; the tests
// skip and say so when it is unset) in the same sources built with ECOMON_TEST_ON_POSTGRES (the `cluster`
// binary, store/postgres/CMakeLists.txt). On PostgreSQL the time series and uploads, which the cluster keeps
// elsewhere, are an in-memory SQLite store. Built with ECOMON_TEST_ON_CLUSTER instead, a suite runs on the
// whole cluster (open_cluster_stores: a PostgreSQL schema and a ClickHouse database of the test's own in the
// servers ECOMON_TEST_POSTGRES and ECOMON_TEST_CLICKHOUSE name; skipped without them): for the concerns whose
// data is ClickHouse's or the spool's (the uploads, their day-loads).
//
//   class RegistryStoreTest : public ::testing::TestWithParam<StoreBackend> {
//     void SetUp() override { ECOMON_OPEN_TEST_STORES(ts_); }
//     std::unique_ptr<TestStores> ts_;
//   };
//   TEST_P(RegistryStoreTest, X) { ts_->stores().source_registry().put_enterprise(...); }
//   INSTANTIATE_TEST_SUITE_P(Backends, RegistryStoreTest, store_backends(), store_backend_name);
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/api/stores.h"
#include "store/sqlite/db.h"
#include "store/sqlite_store.h"
#include "store/sqlite_stores.h"
#include "testing/temp_dir.h"
#if defined(ECOMON_TEST_ON_POSTGRES) || defined(ECOMON_TEST_ON_CLUSTER)
#include "store/postgres/stores.h"
#include "store/postgres/test_postgres.h"
#endif
#ifdef ECOMON_TEST_ON_CLUSTER
#include "store/clickhouse/test_clickhouse.h"
#include "store/cluster_stores.h"
#endif

namespace ecomon {

enum class StoreBackend { kSqlite, kPostgres, kCluster };

inline auto store_backends() {
#if defined(ECOMON_TEST_ON_POSTGRES)
  return ::testing::Values(StoreBackend::kPostgres);
#elif defined(ECOMON_TEST_ON_CLUSTER)
  return ::testing::Values(StoreBackend::kCluster);
#else
  return ::testing::Values(StoreBackend::kSqlite);
#endif
}

inline std::string store_backend_name(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param == StoreBackend::kSqlite     ? "Sqlite"
         : info.param == StoreBackend::kPostgres ? "Postgres"
                                                 : "Cluster";
}

// One fresh store of a backend for one test.
class TestStores {
 public:
  virtual ~TestStores() = default;
  static std::unique_ptr<TestStores> make(StoreBackend b);
  // nullptr with the reason when the backend is not available (no server given): the test skips.
  const std::string& unavailable() const { return unavailable_; }

  Stores& stores() { return *stores_; }
  // Opens the same store anew (as another process, or a restart, would).
  virtual Status reopen() = 0;
  // The registry's revision (SqliteStore::registry_revision; PostgreSQL's meta).
  virtual StatusOr<int64_t> registry_revision() = 0;
  // Plain SQL on the backend, as another program writing the tables would.
  virtual Status exec(const std::string& sql) = 0;
  // A second connection to the same store (another thread or process), beside stores().
  virtual StatusOr<std::unique_ptr<Stores>> open_another() = 0;

 protected:
  std::unique_ptr<Stores> stores_;
  std::string unavailable_;
};

class SqliteTestStores final : public TestStores {
 public:
  SqliteTestStores() { unavailable_ = reopen().ok() ? "" : "cannot open " + path_; }
  Status reopen() override {
    stores_.reset();
    auto s = open_sqlite_stores(path_);
    if (!s.ok()) return s.status();
    stores_ = std::move(*s);
    return Status();
  }
  StatusOr<int64_t> registry_revision() override {
    auto s = SqliteStore::open(path_);
    if (!s.ok()) return s.status();
    return (*s)->registry_revision();
  }
  Status exec(const std::string& sql) override {
    auto db = sqlite::Db::open(path_);
    if (!db.ok()) return db.status();
    return (*db)->exec(sql);
  }
  StatusOr<std::unique_ptr<Stores>> open_another() override { return open_sqlite_stores(path_); }
  const std::string& path() const { return path_; }

 private:
  testing::TempDir dir_{"store_backend"};
  std::string path_ = (dir_.path() / "t.db").string();
};

#if defined(ECOMON_TEST_ON_POSTGRES) || defined(ECOMON_TEST_ON_CLUSTER)
// What the backends with PostgreSQL's records share: a schema of the test's own, the registry's revision,
// plain SQL on the schema.
class PgSchemaTestStores : public TestStores {
 public:
  StatusOr<int64_t> registry_revision() override { return postgres_registry_revision(*stores_); }
  Status exec(const std::string& sql) override {
    auto c = schema_.open(false);
    if (!c.ok()) return c.status();
    return (*c)->exec(sql);
  }

 protected:
  pg::TestSchema schema_;
};
#endif

#ifdef ECOMON_TEST_ON_POSTGRES
class PostgresTestStores final : public PgSchemaTestStores {
 public:
  PostgresTestStores() {
    if (!pg::test_postgres_uri()) {
      unavailable_ =
          "ECOMON_TEST_POSTGRES is not set: no PostgreSQL to test against (start one with "
          "scripts/cluster/postgres.sh up build/cluster/pg and export the URI it prints)";
      return;
    }
    Status s = reopen();
    if (!s.ok()) unavailable_ = "cannot open the PostgreSQL test store: " + s.message();
  }
  Status reopen() override {
    stores_.reset();
    if (!rest_) {
      auto ts = SqliteStore::open(":memory:");
      if (!ts.ok()) return ts.status();
      rest_ = std::shared_ptr<SqliteStore>(std::move(*ts));
    }
    auto s = open_postgres_stores(schema_.uri(),
                                  {.time_series = rest_.get(), .uploads = rest_.get(), .owner = rest_},
                                  schema_.options());
    if (!s.ok()) return s.status();
    stores_ = std::move(*s);
    return Status();
  }
  StatusOr<std::unique_ptr<Stores>> open_another() override {
    return open_postgres_stores(schema_.uri(),
                                {.time_series = rest_.get(), .uploads = rest_.get(), .owner = rest_},
                                schema_.options());
  }

 private:
  std::shared_ptr<SqliteStore> rest_;
};
#endif

#ifdef ECOMON_TEST_ON_CLUSTER
class ClusterTestStores final : public PgSchemaTestStores {
 public:
  ClusterTestStores() {
    if (!pg::test_postgres_uri()) {
      unavailable_ = "ECOMON_TEST_POSTGRES is not set: no PostgreSQL to test against (scripts/cluster.sh up)";
      return;
    }
    auto config = test_clickhouse_config("ecomon_suite", unavailable_);
    if (!config) return;
    config_ = *config;
    Status s = reopen();
    if (!s.ok()) unavailable_ = "cannot open the cluster test store: " + s.message();
  }
  ~ClusterTestStores() override {
    stores_.reset();
    if (config_.shards.empty()) return;
    auto c = ClickHouseCluster::open(config_);
    if (c.ok()) (void)(*c)->drop_database();
  }
  Status reopen() override {
    stores_.reset();
    auto s = open_another();
    if (!s.ok()) return s.status();
    stores_ = std::move(*s);
    return Status();
  }
  StatusOr<std::unique_ptr<Stores>> open_another() override {
    return open_cluster_stores(schema_.uri(), schema_.options(), config_);
  }

 private:
  ClickHouseConfig config_;
};
#endif

inline std::unique_ptr<TestStores> TestStores::make(StoreBackend b) {
#ifdef ECOMON_TEST_ON_POSTGRES
  if (b == StoreBackend::kPostgres) return std::make_unique<PostgresTestStores>();
#endif
#ifdef ECOMON_TEST_ON_CLUSTER
  if (b == StoreBackend::kCluster) return std::make_unique<ClusterTestStores>();
#endif
  (void)b;
  return std::make_unique<SqliteTestStores>();
}

// In SetUp: a fresh store of the test's backend into `var`, or the test skipped with the reason.
#define ECOMON_OPEN_TEST_STORES(var)                                     \
  do {                                                                   \
    var = ::ecomon::TestStores::make(GetParam());                        \
    if (!var->unavailable().empty()) GTEST_SKIP() << var->unavailable(); \
  } while (0)

}  // namespace ecomon
