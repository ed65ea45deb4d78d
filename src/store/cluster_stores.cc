#include "store/cluster_stores.h"

#include "store/clickhouse/clickhouse_store.h"
#include "store/postgres/stores.h"

namespace ecomon {
namespace {

// One shard's writer: its own connections to the cluster (a writer is used by one thread).
class ClickHouseShardWriter final : public SourceShardWriter {
 public:
  ClickHouseShardWriter(std::unique_ptr<ClickHouseCluster> c, int shard)
      : cluster_(std::move(c)), uploads_(*cluster_), shard_(shard) {}
  StatusOr<int64_t> insert(std::span<const SourceRecordView> records,
                           std::vector<size_t>* conflicts) override {
    // The gateway gives a writer only its shard's devices; a stray one is refused rather than written to
    // another shard's writer's lane.
    for (const SourceRecordView& r : records) {
      if (cluster_->shard_of_device(r.mn) != shard_) {
        return internal_error("device " + std::string(r.mn) + " is not in shard " + std::to_string(shard_));
      }
    }
    return uploads_.insert_source_records(records, conflicts);
  }
  bool settle() override { return false; }  // the servers merge their parts themselves

 private:
  std::unique_ptr<ClickHouseCluster> cluster_;
  ClickHouseSourceUploads uploads_;
  int shard_;
};

// The writer half of SourceIngest over the cluster (devices and revision: PostgreSQL's, see PgSourceIngest).
class ClickHouseIngest final : public SourceIngest {
 public:
  ClickHouseIngest(ClickHouseConfig config, int shards) : config_(std::move(config)), shards_(shards) {}
  StatusOr<std::vector<DeviceRecord>> devices() override { return unused(); }
  StatusOr<int64_t> registry_revision() override { return unused(); }
  int shards() override { return shards_; }
  int shard_of(std::string_view mn, int shards) const override {
    return static_cast<int>(ClickHouseCluster::device_key(mn) % static_cast<uint32_t>(shards));
  }
  Status set_shards(int n) override {
    if (n == shards_) return Status();
    return failed_precondition("the cluster's uploads have " + std::to_string(shards_) +
                               " shards, its ClickHouse shards; `--writers` sets SQLite's shard files only");
  }
  StatusOr<std::unique_ptr<SourceShardWriter>> open_writer(int shard) override {
    if (shard < 0 || shard >= shards_) return invalid_argument("no shard " + std::to_string(shard));
    ClickHouseConfig c = config_;
    c.create_schema = false;  // created by the Stores that opened this
    auto cluster = ClickHouseCluster::open(c);
    if (!cluster.ok())
      return cluster.status().with_context("ClickHouse writer of shard " + std::to_string(shard));
    return std::unique_ptr<SourceShardWriter>(new ClickHouseShardWriter(std::move(*cluster), shard));
  }
  StatusOr<std::unique_ptr<SourceShardMaintainer>> open_maintainer(int) override {
    return std::unique_ptr<SourceShardMaintainer>();
  }

 private:
  static Status unused() { return internal_error("the cluster's devices are PostgreSQL's"); }
  ClickHouseConfig config_;
  int shards_;
};

// What the PostgreSQL Stores borrows from ClickHouse, kept alive with it. The device methods of the uploads'
// SourceStore are never called: the PostgreSQL Stores answers them from its device table.
struct ClickHouseParts {
  class NoDevices final : public SourceStore {
   public:
    Status upsert_device(const DeviceRecord&) override { return unused(); }
    StatusOr<std::vector<DeviceRecord>> devices() override { return unused(); }
    StatusOr<int64_t> insert_source_records(std::span<const SourceRecord>) override { return unused(); }
    StatusOr<std::vector<SourceRecord>> source_records(const std::string&, int, int64_t, int64_t,
                                                       int64_t) override {
      return unused();
    }
    StatusOr<std::vector<SourceRecord>> latest_source_records(int) override { return unused(); }
    StatusOr<int64_t> count_source_records() override { return unused(); }
    StatusOr<std::vector<SourceRecordSpan>> source_record_spans() override { return unused(); }
    StatusOr<std::vector<SourceRecord>> source_record_conflicts(const std::string&, int, int64_t, int64_t,
                                                                int64_t) override {
      return unused();
    }

   private:
    static Status unused() { return internal_error("the cluster's devices are PostgreSQL's"); }
  };

  ClickHouseParts(std::unique_ptr<ClickHouseCluster> c, const ClickHouseConfig& config)
      : cluster(std::move(c)),
        series(*cluster),
        uploads(*cluster),
        sources(uploads, no_devices),
        ingest(config, cluster->shards()) {}
  std::unique_ptr<ClickHouseCluster> cluster;
  ClickHouseTimeSeries series;
  ClickHouseSourceUploads uploads;
  NoDevices no_devices;
  ClickHouseSourceStore sources;
  ClickHouseIngest ingest;
};

}  // namespace

StatusOr<std::unique_ptr<Stores>> open_cluster_stores(const StoreUrl& url) {
  ClickHouseConfig config;
  std::string list;
  for (const std::string& e : url.clickhouse) list += (list.empty() ? "" : ",") + e;
  ECOMON_RETURN_IF_ERROR(parse_clickhouse_shards(list, config));
  config.database = url.clickhouse_database;
  // Replicas named: the tables are replicated, and an insert waits for every replica of its shard.
  size_t replicas = 1;
  for (const auto& r : config.replicas) replicas = std::max(replicas, r.size() + 1);
  if (replicas > 1) {
    config.replicated = true;
    config.insert_quorum = static_cast<int>(replicas);
  }
  auto cluster = ClickHouseCluster::open(config);
  if (!cluster.ok()) return cluster.status().with_context("ClickHouse");
  auto parts = std::make_shared<ClickHouseParts>(std::move(*cluster), config);
  auto stores = open_postgres_stores(
      url.postgres,
      {.time_series = &parts->series, .uploads = &parts->sources, .ingest = &parts->ingest, .owner = parts});
  if (!stores.ok()) return stores.status().with_context("PostgreSQL");
  return stores;
}

}  // namespace ecomon
