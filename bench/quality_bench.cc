// Benchmarks of the surface-water judgement (GB 3838-2002, the 2011 evaluation method), Google Benchmark:
//   BM_ItemClass          single-factor class of one item-measurement (target: 10 million per second per
//   core) BM_ClassifySection    a section's class from its 22 evaluated items (items per second)
//   BM_AssessNational     3,641 sections x 12 months x all 24 items: monthly values -> annual means -> class,
//                         status, target attainment, 超标倍数, main pollutants; then every river (target:
//                         well under a second)
// Data are synthetic and deterministic: values spread over all classes, with the decimals automatic stations
// publish (1 to 5), so that every limit comparison is exercised. See docs/performance.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "standards/water/exact.h"
#include "standards/water/gb3838.h"
#include "water/assessment.h"

namespace ecomon::water {
namespace {

constexpr int kNationalSections = 3641;
constexpr int kMonths = 12;
constexpr int kSectionsPerRiver = 12;

// A small deterministic generator (splitmix64), enough to spread values over the classes.
class Gen {
 public:
  explicit Gen(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int64_t below(int64_t n) { return static_cast<int64_t>(next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t s_;
};

// A value of `item` between 0.3 x its class Ⅰ limit and 1.6 x its class Ⅴ limit (DO 1..11 mg/L), on a grid of
// 10^-decimals with 1..5 decimals as published, more where the limits need them.
Rational synthetic_value(Item item, Gen& g) {
  const Gb3838Params p;
  if (item == Item::kWaterTemperature) return {static_cast<int64_t>(50 + g.below(250)), 10};
  if (item == Item::kPH) return {static_cast<int64_t>(550 + g.below(400)), 100};  // 5.50 .. 9.49
  const Rational lo = *limit_of(item, WaterClass::kI, WaterBody::kRiver, p);
  const Rational hi = *limit_of(item, WaterClass::kV, WaterBody::kRiver, p);
  const Rational a = item == Item::kDO ? Rational{1, 1} : exact::mul(lo, {3, 10});
  const Rational b = item == Item::kDO ? Rational{11, 1} : exact::mul(hi, {8, 5});
  const int64_t decimals = 1 + g.below(5);
  int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  int64_t first = a.num * scale / a.den, last = b.num * scale / b.den;
  // At least 100 steps between the bounds (trace metals need more decimals), at most 10^6 (coliforms fewer).
  while (last - first < 100 || last - first > 1'000'000) {
    scale = last - first < 100 ? scale * 10 : scale / 10;
    first = a.num * scale / a.den;
    last = b.num * scale / b.den;
  }
  return exact::div({first + g.below(last - first + 1), 1}, {scale, 1});
}

std::vector<Measurement> synthetic_measurements(size_t n, uint64_t seed) {
  Gen g(seed);
  std::vector<Measurement> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const auto item = static_cast<Item>(1 + g.below(kItemCount - 1));  // every item with limits
    out.push_back({item, synthetic_value(item, g)});
  }
  return out;
}

void BM_ItemClass(benchmark::State& state) {
  const std::vector<Measurement> m = synthetic_measurements(1 << 14, 1);
  const Gb3838Params p;
  size_t i = 0;
  for (auto _ : state) {
    const Measurement& x = m[i];
    benchmark::DoNotOptimize(
        item_class(x.item, x.value, (i & 7) == 0 ? WaterBody::kLakeReservoir : WaterBody::kRiver, p));
    i = (i + 1) & (m.size() - 1);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ItemClass);

void BM_ClassifySection(benchmark::State& state) {
  Gen g(2);
  std::vector<std::vector<Measurement>> sections(256);
  for (auto& s : sections) {
    for (int i = 0; i < kItemCount; ++i)
      s.push_back({static_cast<Item>(i), synthetic_value(static_cast<Item>(i), g)});
  }
  const Gb3838Params p;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(classify_section(sections[i], WaterBody::kRiver, p));
    i = (i + 1) % sections.size();
  }
  state.SetItemsProcessed(state.iterations() * kItemCount);
}
BENCHMARK(BM_ClassifySection);

std::vector<SectionInput> national_year() {
  Gen g(3);
  std::vector<SectionInput> out(kNationalSections);
  for (int s = 0; s < kNationalSections; ++s) {
    SectionInput& in = out[s];
    in.name = "断面" + std::to_string(s);
    in.river = "河流" + std::to_string(s / kSectionsPerRiver);
    in.body = s % 10 == 0 ? WaterBody::kLakeReservoir : WaterBody::kRiver;
    in.target = static_cast<WaterClass>(2 + s % 3);
    in.samples.resize(kMonths);
    for (auto& month : in.samples) {
      for (int i = 0; i < kItemCount; ++i) {
        month.push_back({static_cast<Item>(i), synthetic_value(static_cast<Item>(i), g)});
      }
    }
  }
  return out;
}

void BM_AssessNational(benchmark::State& state) {
  const std::vector<SectionInput> year = national_year();
  const AssessParams p;
  for (auto _ : state) {
    std::vector<SectionAssessment> sections;
    sections.reserve(year.size());
    for (const SectionInput& s : year) sections.push_back(assess_section(s, p));
    std::map<std::string, std::vector<SectionAssessment>> rivers;
    for (const SectionAssessment& a : sections) rivers[a.river].push_back(a);
    int classed = 0;
    for (const auto& [river, list] : rivers) classed += assess_river(river, list, p).sections;
    benchmark::DoNotOptimize(classed);
  }
  state.SetItemsProcessed(state.iterations() * kNationalSections * kMonths * kItemCount);
  state.counters["sections"] = kNationalSections;
}
BENCHMARK(BM_AssessNational)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ecomon::water

BENCHMARK_MAIN();
