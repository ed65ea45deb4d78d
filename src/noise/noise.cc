#include "noise/noise.h"

#include <cctype>

#include "standards/water/exact.h"

namespace ecomon::noise {
namespace {

// GB 3096-2008 Table 1, dB(A): {day, night} per zone class 0, 1, 2, 3, 4a, 4b.
constexpr int64_t kLimits[kZoneCount][2] = {{50, 40}, {55, 45}, {60, 50}, {65, 55}, {70, 55}, {70, 60}};
// HJ 640-2012 upper bounds of 一级..四级 (五级 above), in tenths of dB(A): regional day/night, road
// day/night.
constexpr int64_t kRegionalBounds[2][4] = {{500, 550, 600, 650}, {400, 450, 500, 550}};
constexpr int64_t kRoadBounds[2][4] = {{680, 700, 720, 740}, {580, 600, 620, 640}};
constexpr int64_t kTenths = 10;
constexpr int kRateDecimals = 1;

Grade grade_of(const int64_t (&bounds)[4], const Decimal& v) {
  Rational r = v.to_rational();
  for (int g = 0; g < 4; ++g) {
    if (r <= Rational{bounds[g], kTenths}) return static_cast<Grade>(g);
  }
  return Grade::k5;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

ZoneRate finish(ZoneRate r) {
  if (auto pct = exact::percent(r.compliant, r.measured))
    r.rate_percent = round_half_even(*pct, kRateDecimals);
  return r;
}

}  // namespace

std::string_view zone_name(ZoneClass z) {
  static constexpr std::string_view kNames[] = {"0", "1", "2", "3", "4a", "4b"};
  return kNames[static_cast<int>(z)];
}

StatusOr<ZoneClass> parse_zone(std::string_view t) {
  std::string s = lower_ascii(t);
  if (s.size() > 3 && s.compare(s.size() - 3, 3, "类") == 0) s.erase(s.size() - 3);
  for (int z = 0; z < kZoneCount; ++z) {
    if (s == zone_name(static_cast<ZoneClass>(z))) return static_cast<ZoneClass>(z);
  }
  return invalid_argument("'" + std::string(t) + "' is not a functional zone class (0, 1, 2, 3, 4a, 4b)");
}

std::string_view part_name(DayPart p) { return p == DayPart::kDay ? "昼间" : "夜间"; }

StatusOr<DayPart> parse_part(std::string_view t) {
  std::string s = lower_ascii(t);
  if (s == "day" || s == "d" || s == "昼" || s == "昼间") return DayPart::kDay;
  if (s == "night" || s == "n" || s == "夜" || s == "夜间") return DayPart::kNight;
  return invalid_argument("'" + std::string(t) + "' is not day|night (昼间|夜间)");
}

Rational zone_limit(ZoneClass z, DayPart p) {
  return {kLimits[static_cast<int>(z)][p == DayPart::kDay ? 0 : 1], 1};
}

bool zone_complies(ZoneClass z, DayPart p, const Rational& leq, const std::optional<Rational>& lmax,
                   const NoiseParams& params) {
  Rational limit = zone_limit(z, p);
  if (leq > limit) return false;
  if (params.check_night_lmax && p == DayPart::kNight && lmax &&
      *lmax > exact::add(limit, params.night_lmax_allowance)) {
    return false;
  }
  return true;
}

ZoneCompliance zone_compliance(std::span<const ZoneMeasurement> m, const NoiseParams& params) {
  ZoneRate cells[kZoneCount][2];
  ZoneCompliance out;
  out.total_day.part = DayPart::kDay;
  out.total_night.part = DayPart::kNight;
  for (const ZoneMeasurement& x : m) {
    int pi = x.part == DayPart::kDay ? 0 : 1;
    ZoneRate& c = cells[static_cast<int>(x.zone)][pi];
    ZoneRate& total = pi == 0 ? out.total_day : out.total_night;
    bool ok = zone_complies(x.zone, x.part, x.leq, x.lmax, params);
    ++c.measured;
    ++total.measured;
    if (ok) {
      ++c.compliant;
      ++total.compliant;
    }
  }
  for (int z = 0; z < kZoneCount; ++z) {
    for (int pi = 0; pi < 2; ++pi) {
      ZoneRate c = cells[z][pi];
      if (c.measured == 0) continue;
      c.zone = static_cast<ZoneClass>(z);
      c.part = pi == 0 ? DayPart::kDay : DayPart::kNight;
      out.by_zone.push_back(finish(c));
    }
  }
  out.total_day = finish(out.total_day);
  out.total_night = finish(out.total_night);
  return out;
}

std::string_view grade_name(Grade g) {
  static constexpr std::string_view kNames[] = {"一级", "二级", "三级", "四级", "五级"};
  return kNames[static_cast<int>(g)];
}
std::string_view grade_rating(Grade g) {
  static constexpr std::string_view kNames[] = {"好", "较好", "一般", "较差", "差"};
  return kNames[static_cast<int>(g)];
}

Grade grade_regional(DayPart p, const Decimal& v) {
  return grade_of(kRegionalBounds[p == DayPart::kDay ? 0 : 1], v);
}
Grade grade_road(DayPart p, const Decimal& v) { return grade_of(kRoadBounds[p == DayPart::kDay ? 0 : 1], v); }

std::optional<GradedValue> regional_grade(DayPart p, std::span<const Rational> grid_leq,
                                          const NoiseParams& params) {
  std::optional<Rational> mean = exact::mean(grid_leq);
  if (!mean) return std::nullopt;
  Decimal v = round_half_even(*mean, params.leq_decimals);
  return GradedValue{v, grade_regional(p, v)};
}

std::optional<GradedValue> road_grade(DayPart p, std::span<const RoadSection> sections,
                                      const NoiseParams& params) {
  Rational weighted{0, 1}, length{0, 1};
  for (const RoadSection& s : sections) {
    weighted = exact::add(weighted, exact::mul(s.length, s.leq));
    length = exact::add(length, s.length);
  }
  if (length.num <= 0) return std::nullopt;
  Decimal v = round_half_even(exact::div(weighted, length), params.leq_decimals);
  return GradedValue{v, grade_road(p, v)};
}

}  // namespace ecomon::noise
