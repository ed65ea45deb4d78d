// The national 2019 archive into ClickHouse and into SQLite, same run (issue 18): import, the same import
// again (idempotence: nothing new may be written), the annual assessment of every city from each store, and
// whether the two stores give the same assessment JSON for every city. The ClickHouse store holds the
// time series; stations are in a SQLite file beside it (PostgreSQL's part in the cluster, not measured here).
//
// Usage: clickhouse_bench [--archive FILE.tar.zst | --dir UNPACKED_DIR] [--endpoints host:port,host:port]
//   endpoints default to $ECOMON_BENCH_CLICKHOUSE, else $ECOMON_TEST_CLICKHOUSE
//   (scripts/cluster/clickhouse.sh up prints them); database ecomon_bench, dropped first and at the end.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "air/air_format.h"
#include "air/city_data.h"
#include "ingest/cnemc.h"
#include "store/clickhouse/clickhouse_store.h"
#include "store/sqlite_store.h"

namespace fs = std::filesystem;
using namespace ecomon;

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Assessed {
  double seconds = 0;
  double slowest = 0;
  std::string slowest_city;
  std::vector<std::string> json;  // per city
};

Assessed assess_all(TimeSeriesStore& ts, RecordStore& rs, const std::vector<std::string>& cities) {
  Assessed out;
  RuleChoice choice;
  const double t0 = now();
  for (const std::string& city : cities) {
    const double c0 = now();
    auto a = assess_city(ts, rs, city, DayRange::year(2019), choice);
    const double dt = now() - c0;
    if (dt > out.slowest) {
      out.slowest = dt;
      out.slowest_city = city;
    }
    out.json.push_back(a.ok() ? to_json(*a, choice, std::nullopt).dump() : "error: " + a.status().message());
  }
  out.seconds = now() - t0;
  return out;
}

void print_import(const char* what, const ImportReport& r, double s) {
  std::printf(
      "%-22s %.2f s  (%lld files, %.0f MB, %lld values: new %lld, same %lld, conflicting %lld; %lld blocks "
      "written)\n",
      what, s, static_cast<long long>(r.files), r.bytes / 1e6, static_cast<long long>(r.values),
      static_cast<long long>(r.merge.values_new), static_cast<long long>(r.merge.values_same),
      static_cast<long long>(r.merge.values_conflicting), static_cast<long long>(r.merge.blocks_written));
}

}  // namespace

int main(int argc, char** argv) {
  fs::path archive = fs::path(ECOMON_SOURCE_DIR) / "../shared/data/cnemc-2019/china_sites_2019.tar.zst";
  fs::path dir;
  std::string endpoints;
  fs::path keep;  // --keep DIR: the stores stay there (database ecomon_bench too); a second run assesses only
  for (const char* env : {"ECOMON_BENCH_CLICKHOUSE", "ECOMON_TEST_CLICKHOUSE"}) {
    if (endpoints.empty() && std::getenv(env)) endpoints = std::getenv(env);
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--archive")
      archive = argv[i + 1];
    else if (a == "--dir")
      dir = argv[i + 1];
    else if (a == "--endpoints")
      endpoints = argv[i + 1];
    else if (a == "--keep")
      keep = argv[i + 1];
    else {
      std::cerr << "clickhouse_bench: unknown option " << a << "\n";
      return 2;
    }
  }
  if (endpoints.empty()) {
    std::cout << "clickhouse_bench: skipped, no cluster (set ECOMON_BENCH_CLICKHOUSE=host:port,host:port)\n";
    return 0;
  }
  const bool reuse = !keep.empty() && fs::exists(keep / "records.db");
  const fs::path work =
      keep.empty() ? fs::temp_directory_path() / ("ecomon_chbench_" + std::to_string(::getpid())) : keep;
  fs::create_directories(work);
  if (dir.empty() && !reuse) {
    if (!fs::exists(archive)) {
      std::cout << "clickhouse_bench: skipped, " << archive << " not found\n";
      return 0;
    }
    dir = work / "archive";
    fs::create_directories(dir);
    const std::string cmd =
        "zstd -dc --long=27 '" + archive.string() + "' | tar -x -C '" + dir.string() + "'";
    if (std::system(cmd.c_str()) != 0) {
      std::cerr << "cannot unpack " << archive << " (needs zstd and tar)\n";
      return 1;
    }
  }
  const fs::path sites = fs::path(ECOMON_SOURCE_DIR) / "../shared/data/cnemc-2019/sites-2022.csv";
  ImportOptions opt;
  opt.stations_file = sites;

  // SQLite: everything in one file.
  auto lite = SqliteStore::open((work / "sqlite.db").string());
  if (!lite.ok()) return 1;
  double t0 = now();
  StatusOr<ImportReport> r1 = ImportReport{};
  if (!reuse) r1 = import_cnemc(**lite, **lite, dir, opt);
  const double lite_s = now() - t0;
  if (!r1.ok()) {
    std::cerr << r1.status().message() << "\n";
    return 1;
  }

  // ClickHouse: the series on the cluster, the stations in a SQLite file.
  auto eps = parse_clickhouse_endpoints(endpoints);
  if (!eps.ok()) {
    std::cerr << eps.status().message() << "\n";
    return 2;
  }
  ClickHouseConfig cfg{.shards = *eps, .database = "ecomon_bench"};
  if (!reuse) {
    auto c = ClickHouseCluster::open(cfg);
    if (!c.ok() || !(*c)->drop_database().ok()) {
      std::cerr << (c.ok() ? "cannot drop ecomon_bench" : c.status().message()) << "\n";
      return 1;
    }
  }
  auto cluster = ClickHouseCluster::open(cfg);
  if (!cluster.ok()) {
    std::cerr << cluster.status().message() << "\n";
    return 1;
  }
  ClickHouseTimeSeries series(**cluster);
  auto records = SqliteStore::open((work / "records.db").string());
  if (!records.ok()) return 1;
  if (!reuse) {
    t0 = now();
    auto r2 = import_cnemc(series, **records, dir, opt);
    const double ch_s = now() - t0;
    if (!r2.ok()) {
      std::cerr << r2.status().message() << "\n";
      return 1;
    }
    t0 = now();
    auto r3 = import_cnemc(series, **records, dir, opt);
    const double ch_again_s = now() - t0;
    if (!r3.ok()) {
      std::cerr << r3.status().message() << "\n";
      return 1;
    }
    t0 = now();
    auto r4 = import_cnemc(**lite, **lite, dir, opt);
    const double lite_again_s = now() - t0;
    if (!r4.ok()) return 1;

    std::printf("endpoints %s, archive %s\n", endpoints.c_str(), dir.c_str());
    print_import("sqlite import", *r1, lite_s);
    print_import("clickhouse import", *r2, ch_s);
    std::printf("  clickhouse requests (both imports): %lld, %.1f MB sent, %.2f s waiting for replies\n",
                static_cast<long long>((*cluster)->stats().requests), (*cluster)->stats().bytes_sent / 1e6,
                (*cluster)->stats().seconds);
    std::printf("  ratio clickhouse/sqlite: %.2f\n", ch_s / lite_s);
    print_import("sqlite again", *r4, lite_again_s);
    print_import("clickhouse again", *r3, ch_again_s);
  }
  // Rows and bytes on the shards.
  for (int k = 0; k < (*cluster)->shards(); ++k) {
    auto body = (*cluster)->shard(k).query(
        "SELECT toUInt64(sum(rows)), toUInt64(sum(bytes)) FROM system.parts WHERE active AND database = "
        "'ecomon_bench' AND table = 'air_hourly_local' FORMAT RowBinary");
    uint64_t rows = 0, bytes = 0;
    if (body.ok()) {
      RowBinaryReader rb(*body, "parts");
      (void)rb.u64(rows);
      (void)rb.u64(bytes);
    }
    std::printf("shard %d: %llu block rows, %.1f MB on disk\n", k + 1, static_cast<unsigned long long>(rows),
                bytes / 1e6);
  }

  auto cities = (*records)->cities();
  if (!cities.ok()) return 1;
  const auto requests = [&] {
    ClickHouseHttp::Stats sum;
    for (int k = 0; k < (*cluster)->shards(); ++k) {
      const auto& st = (*cluster)->shard(k).stats();
      sum.requests += st.requests;
      sum.bytes_received += st.bytes_received;
      sum.bytes_sent += st.bytes_sent;
      sum.seconds += st.seconds;
    }
    return sum;
  };
  Assessed a = assess_all(**lite, **lite, *cities);
  const ClickHouseHttp::Stats before = requests();
  Assessed b = assess_all(series, **records, *cities);
  const ClickHouseHttp::Stats after = requests();
  std::printf(
      "clickhouse reads for every city: %lld requests, %.1f MB received, %.2f s waiting for replies\n",
      static_cast<long long>(after.requests - before.requests),
      (after.bytes_received - before.bytes_received) / 1e6, after.seconds - before.seconds);
  size_t same = 0;
  for (size_t i = 0; i < cities->size(); ++i) {
    if (a.json[i] == b.json[i]) {
      ++same;
    } else if (same + 3 > i) {
      std::printf("differs: %s\n  sqlite:     %.200s\n  clickhouse: %.200s\n", (*cities)[i].c_str(),
                  a.json[i].c_str(), b.json[i].c_str());
    }
  }
  std::printf(
      "every city, annual 2019, one thread: sqlite %.2f s (slowest %s %.3f s), clickhouse %.2f s (slowest %s "
      "%.3f s)\n",
      a.seconds, a.slowest_city.c_str(), a.slowest, b.seconds, b.slowest_city.c_str(), b.slowest);
  std::printf("assessment JSON identical for %zu of %zu cities\n", same, cities->size());
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  std::printf("peak RSS %ld MB\n", u.ru_maxrss / 1024);
  if (keep.empty()) {
    (void)(*cluster)->drop_database();
    fs::remove_all(work);
  }
  return same == cities->size() ? 0 : 1;
}
