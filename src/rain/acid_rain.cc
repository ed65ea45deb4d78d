#include "rain/acid_rain.h"

#include <cmath>

#include "standards/water/exact.h"

namespace ecomon::rain {
namespace {

constexpr int64_t kHundredths = 100;
constexpr long double kTen = 10.0L;
constexpr long double kHalf = 0.5L;

long double to_long_double(const Rational& r) {
  return static_cast<long double>(r.num) / static_cast<long double>(r.den);
}

int64_t pow10i(int d) {
  int64_t v = 1;
  for (int i = 0; i < d; ++i) v *= 10;
  return v;
}

}  // namespace

std::string_view sample_class_name(AcidClass c) {
  static constexpr std::string_view kNames[] = {"非酸雨", "酸雨", "较重酸雨", "重酸雨"};
  return kNames[static_cast<int>(c)];
}
std::string_view city_class_name(AcidClass c) {
  static constexpr std::string_view kNames[] = {"非酸雨城市", "酸雨城市", "较重酸雨城市", "重酸雨城市"};
  return kNames[static_cast<int>(c)];
}

AcidClass classify_ph(const Rational& ph, const RainParams& p) {
  if (ph < Rational{p.heavy_below, kHundredths}) return AcidClass::kHeavyAcid;
  if (ph < Rational{p.heavier_below, kHundredths}) return AcidClass::kHeavierAcid;
  if (ph < Rational{p.acid_below, kHundredths}) return AcidClass::kAcid;
  return AcidClass::kNotAcid;
}

std::optional<Decimal> weighted_mean_ph(std::span<const RainSample> samples, int decimals) {
  long double h_volume = 0, volume = 0;
  std::optional<Rational> same_ph;
  bool all_same = true;
  for (const RainSample& s : samples) {
    if (s.rainfall.num <= 0) continue;
    if (!same_ph)
      same_ph = s.ph;
    else if (!(*same_ph == s.ph))
      all_same = false;
    long double v = to_long_double(s.rainfall);
    h_volume += std::pow(kTen, -to_long_double(s.ph)) * v;
    volume += v;
  }
  if (!same_ph) return std::nullopt;
  if (all_same) return round_half_even(*same_ph, decimals);  // exact: the mean of equal pH is that pH
  long double mean_ph = -std::log10(h_volume / volume);
  long double scaled = mean_ph * static_cast<long double>(pow10i(decimals));
  long double whole = std::floor(scaled);
  int64_t units = static_cast<int64_t>(whole);
  if (scaled - whole > kHalf) ++units;  // an exact tie cannot occur here (see the header)
  return Decimal{units, decimals};
}

std::optional<RainSummary> summarise(std::span<const RainSample> samples, const RainParams& p) {
  RainSummary r;
  bool first = true;
  for (const RainSample& s : samples) {
    if (s.rainfall.num <= 0) continue;
    ++r.samples;
    AcidClass c = classify_ph(s.ph, p);
    if (c != AcidClass::kNotAcid) ++r.acid;
    if (c == AcidClass::kHeavierAcid || c == AcidClass::kHeavyAcid) ++r.heavier;
    if (c == AcidClass::kHeavyAcid) ++r.heavy;
    if (first || s.ph < r.min_ph) r.min_ph = s.ph;
    if (first || s.ph > r.max_ph) r.max_ph = s.ph;
    first = false;
  }
  if (r.samples == 0) return std::nullopt;
  r.frequency_percent = round_half_even(*exact::percent(r.acid, r.samples), p.frequency_decimals);
  r.heavier_frequency_percent = round_half_even(*exact::percent(r.heavier, r.samples), p.frequency_decimals);
  r.heavy_frequency_percent = round_half_even(*exact::percent(r.heavy, r.samples), p.frequency_decimals);
  r.mean_ph = *weighted_mean_ph(samples, p.ph_decimals);
  r.city_class = classify_ph(r.mean_ph.to_rational(), p);
  r.acid_seen = r.acid > 0;
  return r;
}

}  // namespace ecomon::rain
