// Benchmarks of the emission totals (sources/emissions.h), Google Benchmark:
//   BM_DeviceYearHourly   one gas device's year of hourly records (8,760, flow + three pollutants, every
//                         fourth hour with -Cou): its loads per pollutant (device-years per second)
//   BM_DeviceDayMinute    one device's day of minute records (1,440) at the minute kind
//   BM_CountyTotals       the sums up the registry of 500 devices' loads (outlet, enterprise, county,
//                         industry)
// The issue-21 target is a county-year of 500 devices "from minute data" in under 2 s through the service,
// which also reads and decodes every stored upload: docs/performance.md works out what that takes from these
// figures and the codec's (bench/hj212). Data are synthetic and deterministic.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "sources/emissions.h"
#include "sources/test_registry.h"

namespace ecomon::sources {
namespace {

using test_support::at;

PollutantValue value(const char* code, int64_t units, int scale, bool with_cou, int64_t i) {
  PollutantValue v{.code = code, .avg = Decimal{units + i % 7, scale}};
  if (with_cou) v.cou = Decimal{units * 36 + i % 5, scale + 1};
  return v;
}

std::vector<MonitoringRecord> records(const std::string& mn, DataKind kind, SourceTime first, int count,
                                      int64_t step_seconds) {
  std::vector<MonitoringRecord> out;
  out.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    const bool cou = i % 4 == 0;
    out.push_back(
        MonitoringRecord{.mn = mn,
                         .kind = kind,
                         .data_time = SourceTime::of_seconds(first.seconds + i * step_seconds),
                         .values = {value("a00000", 100, 1, false, i), value("a21026", 20, 0, cou, i),
                                    value("a21002", 500, 1, cou, i), value("a34013", 8, 0, false, i)}});
  }
  return out;
}

void BM_DeviceYearHourly(benchmark::State& state) {
  const Device d = test_support::gas_device(test_support::kMnG);
  constexpr int kHours = 8760;
  const auto recs = records(d.mn, DataKind::kHourly, at("2025-01-01 00:00"), kHours, 3600);
  const TimeSpan year{at("2025-01-01 00:00"), at("2026-01-01 00:00")};
  for (auto _ : state) {
    auto loads = device_loads(d, OutletKind::kGas, year, recs, {});
    benchmark::DoNotOptimize(loads);
  }
  state.SetItemsProcessed(state.iterations() * kHours);
}
BENCHMARK(BM_DeviceYearHourly)->Unit(benchmark::kMillisecond);

void BM_DeviceDayMinute(benchmark::State& state) {
  Device d = test_support::gas_device(test_support::kMnG);
  d.intervals.minute_min = 1;  // minute data every minute (MinInterval 1)
  constexpr int kMinutes = 1440;
  const auto recs = records(d.mn, DataKind::kMinute, at("2025-03-09 00:00"), kMinutes, 60);
  const TimeSpan day{at("2025-03-09 00:00"), at("2025-03-10 00:00")};
  EmissionParams p;
  p.kind = DataKind::kMinute;
  for (auto _ : state) {
    auto loads = device_loads(d, OutletKind::kGas, day, recs, p);
    benchmark::DoNotOptimize(loads);
  }
  state.SetItemsProcessed(state.iterations() * kMinutes);
}
BENCHMARK(BM_DeviceDayMinute)->Unit(benchmark::kMicrosecond);

void BM_CountyTotals(benchmark::State& state) {
  const SourceRegistry reg = test_support::test_registry("G");
  const Device d = test_support::gas_device(test_support::kMnG);
  const auto recs = records(d.mn, DataKind::kHourly, at("2025-01-01 00:00"), 24, 3600);
  auto one = device_loads(d, OutletKind::kGas, {at("2025-01-01 00:00"), at("2025-01-02 00:00")}, recs, {});
  constexpr int kDevices = 500;
  std::vector<DeviceLoads> all(kDevices, *one);
  for (auto _ : state) {
    auto totals = emission_totals(reg, all);
    benchmark::DoNotOptimize(totals);
  }
  state.SetItemsProcessed(state.iterations() * kDevices);
}
BENCHMARK(BM_CountyTotals)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace ecomon::sources

BENCHMARK_MAIN();
