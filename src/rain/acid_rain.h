// Acid rain (酸雨) statistics as the national bulletins use them: class per sample (pH < 5.6 酸雨, < 5.0
// 较重酸雨, < 4.5 重酸雨), 酸雨频率, and the rainfall-weighted mean pH through the hydrogen ion concentration
// (pH̄ = −lg(Σ[H⁺]ᵢVᵢ / ΣVᵢ), [H⁺]ᵢ = 10^−pHᵢ; pH values are never averaged directly).
//
//   using namespace ecomon::rain;
//   std::vector<RainSample> s = {{*exact::parse("4.00"), *exact::parse("10")}, {*exact::parse("6.00"),
//                                *exact::parse("10")}};
//   RainSummary r = *summarise(s);   // [H⁺] mean = (1e-4 + 1e-6)/2 = 5.05e-5 → pH̄ 4.30 (not 5.00);
//   frequency 50.0%
//
// Precision: sample classes and frequencies are exact (decimal pH against decimal thresholds). The mean pH
// needs a power and a logarithm, which have no exact decimal form: it is computed in long double (64-bit
// mantissa; relative error of the mean [H⁺] below 1e-17, absolute error of pH̄ below 1e-15), then rounded
// half-even to 2 decimals. A rounding tie would need pH̄ to equal x.xx5 exactly, which only happens when every
// sample has the same pH — that case is returned exactly. The city class is judged on the reported (rounded)
// pH̄, as bulletins print it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/decimal.h"

namespace ecomon::rain {

// 非酸雨 (pH ≥ 5.6), 酸雨 (5.0 ≤ pH < 5.6), 较重酸雨 (4.5 ≤ pH < 5.0), 重酸雨 (pH < 4.5).
enum class AcidClass : uint8_t { kNotAcid, kAcid, kHeavierAcid, kHeavyAcid };
std::string_view sample_class_name(AcidClass c);  // 非酸雨 酸雨 较重酸雨 重酸雨
std::string_view city_class_name(AcidClass c);  // 非酸雨城市 酸雨城市 较重酸雨城市 重酸雨城市

struct RainParams {
  // Thresholds in hundredths of pH (MEE bulletins: strictly below).
  int64_t acid_below = 560, heavier_below = 500, heavy_below = 450;
  int ph_decimals = 2;
  int frequency_decimals = 1;
};

AcidClass classify_ph(const Rational& ph, const RainParams& p = {});

struct RainSample {
  Rational ph;
  Rational rainfall;  // mm (or volume): the weight; a sample with no rainfall is not valid
};

struct RainSummary {
  int64_t samples = 0;                       // valid samples (rainfall > 0)
  int64_t acid = 0, heavier = 0, heavy = 0;  // pH < 5.6, < 5.0, < 4.5 (nested counts)
  Decimal frequency_percent;                 // 酸雨频率 = acid / samples
  Decimal heavier_frequency_percent, heavy_frequency_percent;
  Decimal mean_ph;  // rainfall-weighted, rounded
  Rational min_ph, max_ph;
  AcidClass city_class = AcidClass::kNotAcid;  // on the rounded mean
  bool acid_seen = false;                      // 出现酸雨: the lowest sample pH < 5.6
};
// nullopt when no sample is valid.
std::optional<RainSummary> summarise(std::span<const RainSample> samples, const RainParams& p = {});

// −lg(Σ 10^−pHᵢ·Vᵢ / Σ Vᵢ) rounded to `decimals`; exposed for the golden cases.
std::optional<Decimal> weighted_mean_ph(std::span<const RainSample> samples, int decimals);

}  // namespace ecomon::rain
