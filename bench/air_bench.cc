// Micro-benchmarks of the air judgement's hot paths (Google Benchmark): IAQI, a daily AQI, a station-year of
// daily statistics, and the block codec of the store.
#include <benchmark/benchmark.h>

#include "air/daily.h"
#include "standards/aqi.h"
#include "store/block_codec.h"

namespace ecomon {
namespace {

void BM_Iaqi(benchmark::State& state) {
  const AqiRuleSet& r = hj633_2012();
  int64_t c = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(iaqi(r, AqiIndicator::kPM25_24h, c));
    c = (c + 1237) % 600'000;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Iaqi);

void BM_DailyAqi(benchmark::State& state) {
  const AqiRuleSet& r = hj633_2012();
  IndicatorValues v;
  v[index_of(AqiIndicator::kSO2_24h)] = 20'000;
  v[index_of(AqiIndicator::kNO2_24h)] = 40'000;
  v[index_of(AqiIndicator::kPM10_24h)] = 120'000;
  v[index_of(AqiIndicator::kPM25_24h)] = 80'000;
  v[index_of(AqiIndicator::kCO_24h)] = 1'300;
  v[index_of(AqiIndicator::kO3_8h)] = 150'000;
  v[index_of(AqiIndicator::kO3_1h)] = 180'000;
  for (auto _ : state) benchmark::DoNotOptimize(compute_aqi(r, AqiMode::kDaily, v));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DailyAqi);

StationHours synthetic_year() {
  StationHours h;
  h.first = Hour::first_of(CivilDay::from_ymd(2018, 12, 31));
  for (Pollutant p : kAllPollutants) {
    auto& v = h.values[index_of(p)];
    v.resize(366 * 24);
    for (size_t i = 0; i < v.size(); ++i)
      v[i] = i % 97 == 0 ? kMissing : static_cast<Milli>((i * 7919 % 150) * 1000);
  }
  return h;
}

void BM_StationYearDays(benchmark::State& state) {
  StationHours h = synthetic_year();
  AssessmentParams params;
  for (auto _ : state) benchmark::DoNotOptimize(station_days(h, DayRange::year(2019), params, 160'000));
  state.SetItemsProcessed(state.iterations() * 365 * 24 * kPollutantCount);  // hourly values judged
}
BENCHMARK(BM_StationYearDays);

void BM_BlockDecode(benchmark::State& state) {
  std::vector<Milli> v(744);
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = i % 50 == 0 ? kMissing : static_cast<Milli>((i * 31 % 200) * 1000);
  std::string bytes = encode_block(v);
  std::vector<Milli> out(v.size());
  for (auto _ : state) benchmark::DoNotOptimize(decode_block(bytes, out));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(v.size()));
}
BENCHMARK(BM_BlockDecode);

}  // namespace
}  // namespace ecomon

BENCHMARK_MAIN();
