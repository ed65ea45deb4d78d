// Benchmarks of the soil judgement (GB 15618-2018 farmland, GB 36600-2018 development land), Google
// Benchmark:
//   BM_JudgeFarmItem     one item at a land use and pH band (items per second)
//   BM_AssessSurvey      10,000 stored points as the store hands them over (text values): every farmland
//   point
//                        with the eight metals and every fourth with the three organics, one in ten a
//                        development-land point with four items; each point judged, then the per-county
//                        summary (issue 21 target: under one second)
// Data are synthetic and deterministic (index arithmetic): pH over all four bands, values from below
// screening to above control, so that every comparison is exercised. See docs/soil.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "soil/gb15618.h"
#include "soil/survey.h"
#include "standards/water/exact.h"

namespace ecomon::soil {
namespace {

constexpr int kPoints = 10000;
constexpr int kDevEvery = 10, kOrganicsEvery = 4, kCounties = 6;
constexpr const char* kUses[] = {"paddy", "dryland", "irrigated", "orchard", "tea", "pasture", "rotation"};
constexpr const char* kMetals[] = {"Cd", "Hg", "As", "Pb", "Cr", "Cu", "Ni", "Zn"};
// Typical level of each metal in thousandths of mg/kg; values spread from 0.2× to 5× of it.
constexpr int64_t kLevelMilli[] = {300, 500, 25000, 100000, 200000, 80000, 80000, 220000};
constexpr int64_t kSpreadSteps = 48;
constexpr const char* kDevItems[] = {"砷", "铅", "苯", "苯并[a]芘"};
constexpr int64_t kDevLevelMilli[] = {40000, 600000, 4000, 1000};

std::string milli_text(int64_t milli) { return exact::to_string(Rational{milli, 1000}); }

std::vector<SoilPoint> survey() {
  std::vector<SoilPoint> points;
  points.reserve(kPoints);
  for (int64_t i = 0; i < kPoints; ++i) {
    SoilPoint p;
    p.id = "P" + std::to_string(i);
    p.county = "county" + std::to_string(i % kCounties);
    if (i % kDevEvery == 0) {
      p.land_use = i % (2 * kDevEvery) == 0 ? "class1" : "class2";
      for (int k = 0; k < 4; ++k) {
        int64_t step = (i * 31 + k * 7) % kSpreadSteps + 1;
        p.values.push_back({kDevItems[k], milli_text(kDevLevelMilli[k] * step / 10), false});
      }
    } else {
      p.land_use = kUses[i % std::size(kUses)];
      p.ph = milli_text(4500 + (i * 37) % 4500);  // pH 4.5 .. 8.999
      for (int k = 0; k < 8; ++k) {
        int64_t step = (i * 13 + k * 5) % kSpreadSteps + 2;
        p.values.push_back({kMetals[k], milli_text(kLevelMilli[k] * step / 10), false});
      }
      if (i % kOrganicsEvery == 0) {
        p.values.push_back({"HCH", "0.01", true});
        p.values.push_back({"DDT", milli_text(20 + i % 200), false});
        p.values.push_back({"BaP", milli_text(100 + i % 900), false});
      }
    }
    points.push_back(std::move(p));
  }
  return points;
}

void BM_JudgeFarmItem(benchmark::State& state) {
  FarmParams p;
  FarmMeasurement m{FarmItem::kPb, *exact::parse("141")};
  PhBand band = ph_band(*exact::parse("7.5"));
  for (auto _ : state) {
    benchmark::DoNotOptimize(judge_farm_item(m, FarmLandUse::kPaddy, band, p));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JudgeFarmItem);

void BM_AssessSurvey(benchmark::State& state) {
  std::vector<SoilPoint> points = survey();
  FarmParams fp;
  DevParams dp;
  for (auto _ : state) {
    std::vector<PointAssessment> results;
    results.reserve(points.size());
    for (const SoilPoint& p : points) results.push_back(assess_point(p, fp, dp));
    benchmark::DoNotOptimize(summarize(points, results));
  }
  state.SetItemsProcessed(state.iterations() * kPoints);
}
BENCHMARK(BM_AssessSurvey)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ecomon::soil

BENCHMARK_MAIN();
