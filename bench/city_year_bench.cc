// Issue 19: "re-computing a city-year after an invalidation < 100 ms", as a Google Benchmark on a synthetic
// city (no shared data needed; bench/audit_bench.cc does the same on 晋城 2019's archive). A fresh SQLite
// store gets one city of 6 stations with a full year of hourly values of the six pollutants (6 x 6 x 8,760 =
// 315,360 values). Then:
//   BM_CityYearRealtime              the city's annual assessment (app::air_period, no year-on-year) of the
//                                    real-time view: the floor
//   BM_CityYearAfterInvalidation     the audited view after one station-day invalidated (144 versions)
//   BM_InvalidateAndRecompute        per iteration: invalidate (odd) or restore (even) one station-day
//   through
//                                    app::audit_change, then the audited city-year: what a bureau user waits
//                                    for after pressing "invalidate" (20 steps: 144 to 2,880 versions more)
// Run: build/release/bench/city_year_bench [--benchmark_repetitions=N]
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "app/air.h"
#include "app/audit.h"
#include "store/open.h"

namespace fs = std::filesystem;
using namespace ecomon;

namespace {

void check(const Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "city_year_bench: %s: %s\n", what, s.message().c_str());
  std::exit(2);
}

constexpr int kYear = 2025;
constexpr int kStations = 6;

// The store, built once: stations C0..C5 of 基准市 and their year of values (a value per hour that varies
// with station, pollutant and hour, all plausible concentrations).
const fs::path& store_dir() {
  static const fs::path dir =
      fs::temp_directory_path() / ("ecomon_city_year_bench_" + std::to_string(::getpid()));
  return dir;
}

Stores& city_store() {
  static std::unique_ptr<Stores> stores = [] {
    const fs::path& dir = store_dir();
    fs::create_directories(dir);
    auto s = open_stores((dir / "b.db").string());
    check(s.status(), "open");
    RecordStore& rs = (*s)->records();
    std::vector<HourlyBlock> blocks;
    for (int k = 0; k < kStations; ++k) {
      check(rs.begin_write(), "begin");
      auto id = rs.upsert_station(
          {.code = "C" + std::to_string(k), .name = "站" + std::to_string(k), .city = "基准市"});
      check(id.status(), "station");
      check(rs.commit(), "commit");
      for (int m = 1; m <= 12; ++m) {
        const MonthKey month = MonthKey::of(CivilDay::from_ymd(kYear, m, 1));
        for (Pollutant p : kAllPollutants) {
          HourlyBlock b{*id, p, month, std::vector<Milli>(static_cast<size_t>(month.hours()))};
          for (size_t h = 0; h < b.values.size(); ++h) {
            const int64_t v = 20 + static_cast<int64_t>((h * 7 + static_cast<size_t>(k) * 13 + m * 5) % 60);
            b.values[h] = p == Pollutant::kCO ? v * 20 : v * 1000;  // CO in mg/m³ (0.4..1.6), others µg/m³
          }
          blocks.push_back(std::move(b));
        }
      }
    }
    MergeStats stats;
    check(rs.begin_write(), "begin");
    check((*s)->time_series().merge_hourly(blocks, stats, nullptr), "merge");
    check(rs.commit(), "commit");
    return std::move(*s);
  }();
  return *stores;
}

std::string assess(Stores& st, DataView view) {
  app::AirRequest req{"基准市", "", DayRange::year(kYear), RuleChoice{}, false, view};
  auto p = app::air_period(st, Actor::operator_cli(), req);
  check(p.status(), "assess");
  return p->assessment.pollutants[index_of(Pollutant::kPM25)].assessed->value.to_string();
}

app::AuditChange station_day(AuditAction action, int day_of_year) {
  const CivilDay d = CivilDay::from_ymd(kYear, 1, 1) + day_of_year;
  return {.action = action,
          .station = "C0",
          .first = Hour::ending(d, 1),
          .last = Hour::ending(d, 24),
          .reason = action == AuditAction::kRestore ? "" : "instrument-fault",
          .note = "city_year_bench"};
}

void BM_CityYearRealtime(benchmark::State& state) {
  Stores& st = city_store();
  for (auto _ : state) benchmark::DoNotOptimize(assess(st, DataView::kRealtime));
}
BENCHMARK(BM_CityYearRealtime)->Unit(benchmark::kMillisecond);

void BM_CityYearAfterInvalidation(benchmark::State& state) {
  Stores& st = city_store();
  static const bool once = [&] {
    check(app::audit_change(st, Actor::operator_cli(), station_day(AuditAction::kInvalidate, 190)).status(),
          "invalidate");
    return true;
  }();
  benchmark::DoNotOptimize(once);
  std::string pm25;
  for (auto _ : state) pm25 = assess(st, DataView::kAudited);
  state.SetLabel("PM2.5 " + pm25);
}
BENCHMARK(BM_CityYearAfterInvalidation)->Unit(benchmark::kMillisecond);

void BM_InvalidateAndRecompute(benchmark::State& state) {
  Stores& st = city_store();
  int64_t n = 0;
  for (auto _ : state) {
    const AuditAction a = n % 2 == 0 ? AuditAction::kInvalidate : AuditAction::kRestore;
    auto r = app::audit_change(st, Actor::operator_cli(), station_day(a, 200));
    check(r.status(), "audit change");
    benchmark::DoNotOptimize(assess(st, DataView::kAudited));
    ++n;
  }
  auto count = st.audit().version_count();
  state.SetLabel(std::to_string(count.ok() ? *count : -1) + " versions at the end");
}
// A fixed number of steps: every step adds 144 versions, and the audited view reads the year's versions.
BENCHMARK(BM_InvalidateAndRecompute)->Unit(benchmark::kMillisecond)->Iterations(20);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  fs::remove_all(store_dir(), ec);  // the store stays open until exit; SQLite does not mind its files going
  return 0;
}
