// Air quality index (环境空气质量指数, AQI) per HJ 633-2012 and HJ 633-2026, as rule sets chosen by date.
//
// A rule set holds the breakpoint tables (IAQI <-> concentration) and the special rules of one version of the
// standard. Pure functions: no I/O, no clock. Concentrations are passed in thousandths of their unit (Milli:
// ug/m3, CO mg/m3); they are first rounded per GB/T 8170 to the reporting precision (integer, CO one
// decimal), then interpolated, and IAQI/AQI are rounded up ("全部进位取整数").
//
//   const AqiRuleSet& rules = *aqi_rules_for(CivilDay::from_ymd(2019, 6, 1)).value();   // HJ633-2012
//   IaqiResult r = iaqi(rules, AqiIndicator::kPM25_24h, 75'000);                        // {kValue, 100}
//   IndicatorValues v;  v[index_of(AqiIndicator::kPM25_24h)] = 80'000; ...
//   AqiResult day = compute_aqi(rules, AqiMode::kDaily, v);   // AQI, level, primary pollutant(s)
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "standards/pollutant.h"

namespace ecomon {

// What a concentration is an average of, as the breakpoint table names it. PM "1h" values are evaluated on
// the 24-h breakpoints (HJ 633-2026 real-time rule; the tables of kPM10_1h/kPM25_1h are the 24-h ones).
enum class AqiIndicator : uint8_t {
  kSO2_24h = 0,
  kSO2_1h,
  kNO2_24h,
  kNO2_1h,
  kPM10_24h,
  kPM10_1h,
  kPM25_24h,
  kPM25_1h,
  kCO_24h,
  kCO_1h,
  kO3_1h,
  kO3_8h
};
inline constexpr int kIndicatorCount = 12;
constexpr int index_of(AqiIndicator i) { return static_cast<int>(i); }
Pollutant pollutant_of(AqiIndicator i);
// "SO2_24h", "SO2_1h", ..., "PM2.5_24h", "PM2.5_1h", "CO_24h", "CO_1h", "O3_1h", "O3_8h".
std::string_view indicator_code(AqiIndicator i);
std::optional<AqiIndicator> parse_indicator(std::string_view text);

struct Breakpoint {
  int32_t iaqi;
  int64_t conc_milli;  // concentration in thousandths of the unit
};

// Which value feeds a real-time PM IAQI under HJ 633-2012 (the 2012 text lists both; UNCONFIRMED which).
enum class RealtimePmSource : uint8_t { kHourOnDailyBreakpoints, kMovingDailyMean };
// What happens to the AQI when an indicator is missing.
enum class MissingAqiPolicy : uint8_t {
  kFromRemaining,     // AQI from the remaining indicators, marked incomplete
  kPublishIfOver100,  // HJ 633-2026: AQI from the remaining indicators only if it is > 100, else NA
};

struct AqiRuleSet {
  std::string_view id;     // "HJ633-2012", "HJ633-2026"
  std::string_view title;  // "HJ 633-2012 环境空气质量指数（AQI）技术规定（试行）"
  CivilDay valid_from;
  std::optional<CivilDay> valid_to;  // inclusive; nullopt = still in force
  std::array<std::span<const Breakpoint>, kIndicatorCount> tables;
  bool so2_1h_over_800_is_200;  // 2026: IAQI 200; 2012: not computed, SO2 from its 24-h mean
  bool o3_8h_over_800_is_300;   // 2026: IAQI 300; 2012: not computed, O3 from its 1-h value
  int32_t aqi_min;              // 2026: AQI range 1..500; 2012: 0..500
  bool daily_uses_o3_1h;        // 2012: the daily report includes the day's max 1-h O3
  bool realtime_uses_o3_8h;     // 2012: the real-time report includes the 8-h moving mean of O3
  bool rounds_concentrations;   // round concentrations per GB/T 8170 before IAQI (2026 4.2.2; done for 2012
                                // too)
  RealtimePmSource realtime_pm_2012 = RealtimePmSource::kHourOnDailyBreakpoints;
  MissingAqiPolicy missing_policy;
  bool defines_exceeding_pollutant;  // 超标污染物 (IAQI > 100) is a term of 2012 only
};

const AqiRuleSet& hj633_2012();
const AqiRuleSet& hj633_2026();
// The rule set in force on day d; an error (naming --rules) before the first one came into force.
StatusOr<const AqiRuleSet*> aqi_rules_for(CivilDay d);
// "HJ633-2012" / "HJ 633-2012" / "2012", "HJ633-2026" / "2026".
StatusOr<const AqiRuleSet*> aqi_rules_by_id(std::string_view id);

// GB/T 8170 rounding of a concentration to its reporting precision (integer; CO one decimal), in Milli.
int64_t round_concentration(Pollutant p, int64_t milli);

enum class IaqiStatus : uint8_t {
  kValue,              // value holds the IAQI
  kNotComputedUse24h,  // 2012: SO2 1-h > 800, report SO2 from its 24-h mean
  kNotComputedUse1h,   // 2012: O3 8-h > 800, report O3 from its 1-h value
  kNotInTable,         // the rule set has no table for this indicator
};
struct IaqiResult {
  IaqiStatus status = IaqiStatus::kValue;
  int32_t value = 0;
  bool above_table = false;  // concentration beyond the IAQI 500 breakpoint: value capped at 500
  bool operator==(const IaqiResult&) const = default;
};
// Individual AQI of one indicator (concentration rounded first when the rule set says so). conc_milli >= 0.
IaqiResult iaqi(const AqiRuleSet& rules, AqiIndicator indicator, int64_t conc_milli);

// AQI levels (级别), categories (类别) and colours (Table 2 of both versions).
struct AqiLevel {
  int level;                     // 1..6
  std::string_view level_name;   // 一级..六级
  std::string_view category;     // 优, 良, 轻度污染, 中度污染, 重度污染, 严重污染
  std::string_view category_en;  // Excellent, Good, Lightly polluted, Moderately polluted, Heavily polluted,
                                 // Severely polluted
  std::string_view colour;       // 绿, 黄, 橙, 红, 紫, 褐红
  std::string_view hex;          // #00E400 ...
  std::string_view health_effect;
  std::string_view advice;
};
const AqiLevel& aqi_level(int32_t aqi);

enum class AqiMode : uint8_t { kDaily, kRealtime };
using IndicatorValues = std::array<std::optional<int64_t>, kIndicatorCount>;  // Milli, nullopt = missing

struct AqiResult {
  std::optional<int32_t> aqi;                                // nullopt = NA
  bool complete = true;                                      // every indicator the mode uses was present
  std::array<std::optional<int32_t>, kIndicatorCount> iaqi;  // per indicator that took part
  std::array<std::optional<int32_t>, kPollutantCount>
      pollutant_iaqi;                // the IAQI that speaks for each pollutant
  std::vector<Pollutant> primary;    // 首要污染物: only when AQI > 50; ties all listed
  std::vector<Pollutant> exceeding;  // IAQI > 100 (超标污染物 in 2012)
  int level() const { return aqi ? aqi_level(*aqi).level : 0; }
};

// The indicators a report of `mode` uses under `rules` (e.g. 2012 daily: six 24-h/8-h values plus O3 1-h
// max).
std::vector<AqiIndicator> indicators_for(const AqiRuleSet& rules, AqiMode mode);
// AQI of a day (daily means, O3 daily max 8-h [and max 1-h in 2012]) or of an hour (1-h values; 2012 also
// the O3 8-h moving mean, and SO2/PM 24-h moving means where its rules call for them).
AqiResult compute_aqi(const AqiRuleSet& rules, AqiMode mode, const IndicatorValues& values);

}  // namespace ecomon
