#include "standards/aqi.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "core/decimal.h"

namespace ecomon {
namespace {

constexpr int64_t k = kMilliPerUnit;  // breakpoints below are written in whole units

// HJ 633-2012 Table 1 and HJ 633-2026 Table 1 (identical except PM10/PM2.5 at IAQI 100).
constexpr Breakpoint kSO2_24h[] = {{0, 0},         {50, 50 * k},    {100, 150 * k},  {150, 475 * k},
                                   {200, 800 * k}, {300, 1600 * k}, {400, 2100 * k}, {500, 2620 * k}};
constexpr Breakpoint kSO2_1h[] = {{0, 0}, {50, 150 * k}, {100, 500 * k}, {150, 650 * k}, {200, 800 * k}};
constexpr Breakpoint kNO2_24h[] = {{0, 0},         {50, 40 * k},   {100, 80 * k},  {150, 180 * k},
                                   {200, 280 * k}, {300, 565 * k}, {400, 750 * k}, {500, 940 * k}};
constexpr Breakpoint kNO2_1h[] = {{0, 0},          {50, 100 * k},   {100, 200 * k},  {150, 700 * k},
                                  {200, 1200 * k}, {300, 2340 * k}, {400, 3090 * k}, {500, 3840 * k}};
constexpr Breakpoint kPM10_2012[] = {{0, 0},         {50, 50 * k},   {100, 150 * k}, {150, 250 * k},
                                     {200, 350 * k}, {300, 420 * k}, {400, 500 * k}, {500, 600 * k}};
constexpr Breakpoint kPM10_2026[] = {{0, 0},         {50, 50 * k},   {100, 120 * k}, {150, 250 * k},
                                     {200, 350 * k}, {300, 420 * k}, {400, 500 * k}, {500, 600 * k}};
constexpr Breakpoint kPM25_2012[] = {{0, 0},         {50, 35 * k},   {100, 75 * k},  {150, 115 * k},
                                     {200, 150 * k}, {300, 250 * k}, {400, 350 * k}, {500, 500 * k}};
constexpr Breakpoint kPM25_2026[] = {{0, 0},         {50, 35 * k},   {100, 60 * k},  {150, 115 * k},
                                     {200, 150 * k}, {300, 250 * k}, {400, 350 * k}, {500, 500 * k}};
constexpr Breakpoint kCO_24h[] = {{0, 0},        {50, 2 * k},   {100, 4 * k},  {150, 14 * k},
                                  {200, 24 * k}, {300, 36 * k}, {400, 48 * k}, {500, 60 * k}};
constexpr Breakpoint kCO_1h[] = {{0, 0},        {50, 5 * k},   {100, 10 * k},  {150, 35 * k},
                                 {200, 60 * k}, {300, 90 * k}, {400, 120 * k}, {500, 150 * k}};
constexpr Breakpoint kO3_1h[] = {{0, 0},         {50, 160 * k},  {100, 200 * k},  {150, 300 * k},
                                 {200, 400 * k}, {300, 800 * k}, {400, 1000 * k}, {500, 1200 * k}};
constexpr Breakpoint kO3_8h[] = {{0, 0},         {50, 100 * k},  {100, 160 * k},
                                 {150, 215 * k}, {200, 265 * k}, {300, 800 * k}};

constexpr int64_t kSO2_1hCeiling = 800 * k;  // top of the SO2 1-h table (note 2 of Table 1)
constexpr int64_t kO3_8hCeiling = 800 * k;   // top of the O3 8-h table (note 3 of Table 1)
constexpr int32_t kSO2_1hOverCeilingIaqi2026 = 200;
constexpr int32_t kO3_8hOverCeilingIaqi2026 = 300;
constexpr int32_t kIaqiMax = 500;
constexpr int32_t kPrimaryThreshold = 50;     // 首要污染物 only when AQI > 50
constexpr int32_t kExceedingThreshold = 100;  // 超标污染物: IAQI > 100

using Tables = std::array<std::span<const Breakpoint>, kIndicatorCount>;

constexpr Tables make_tables(std::span<const Breakpoint> pm10, std::span<const Breakpoint> pm25) {
  Tables t{};
  t[index_of(AqiIndicator::kSO2_24h)] = kSO2_24h;
  t[index_of(AqiIndicator::kSO2_1h)] = kSO2_1h;
  t[index_of(AqiIndicator::kNO2_24h)] = kNO2_24h;
  t[index_of(AqiIndicator::kNO2_1h)] = kNO2_1h;
  t[index_of(AqiIndicator::kPM10_24h)] = pm10;
  t[index_of(AqiIndicator::kPM10_1h)] = pm10;
  t[index_of(AqiIndicator::kPM25_24h)] = pm25;
  t[index_of(AqiIndicator::kPM25_1h)] = pm25;
  t[index_of(AqiIndicator::kCO_24h)] = kCO_24h;
  t[index_of(AqiIndicator::kCO_1h)] = kCO_1h;
  t[index_of(AqiIndicator::kO3_1h)] = kO3_1h;
  t[index_of(AqiIndicator::kO3_8h)] = kO3_8h;
  return t;
}

const AqiRuleSet kHj633_2012{
    .id = "HJ633-2012",
    .title = "HJ 633-2012 环境空气质量指数（AQI）技术规定（试行）",
    .valid_from = CivilDay::from_days(16801),  // 2016-01-01: national implementation date
    .valid_to = CivilDay::from_days(20512),    // 2026-02-28: replaced by HJ 633-2026
    .tables = make_tables(kPM10_2012, kPM25_2012),
    .so2_1h_over_800_is_200 = false,
    .o3_8h_over_800_is_300 = false,
    .aqi_min = 0,
    .daily_uses_o3_1h = true,
    // The 2012 text lists the O3 8-h moving mean in the real-time report but its IAQI does not enter the
    // centre's published real-time AQI (checked on the 2019 archive: air_test HourlyAqiAgrees...).
    // UNCONFIRMED.
    .realtime_uses_o3_8h = false,
    .rounds_concentrations = true,
    .realtime_pm_2012 = RealtimePmSource::kHourOnDailyBreakpoints,
    .missing_policy = MissingAqiPolicy::kFromRemaining,
    .defines_exceeding_pollutant = true,
};

const AqiRuleSet kHj633_2026{
    .id = "HJ633-2026",
    .title = "HJ 633-2026 环境空气质量指数（AQI）技术规定",
    .valid_from = CivilDay::from_days(20513),  // 2026-03-01
    .valid_to = std::nullopt,
    .tables = make_tables(kPM10_2026, kPM25_2026),
    .so2_1h_over_800_is_200 = true,
    .o3_8h_over_800_is_300 = true,
    .aqi_min = 1,
    .daily_uses_o3_1h = false,
    .realtime_uses_o3_8h = false,
    .rounds_concentrations = true,
    .realtime_pm_2012 = RealtimePmSource::kHourOnDailyBreakpoints,
    .missing_policy = MissingAqiPolicy::kPublishIfOver100,
    .defines_exceeding_pollutant = false,
};

constexpr std::array<std::string_view, kIndicatorCount> kIndicatorCodes = {
    "SO2_24h",   "SO2_1h",   "NO2_24h", "NO2_1h", "PM10_24h", "PM10_1h",
    "PM2.5_24h", "PM2.5_1h", "CO_24h",  "CO_1h",  "O3_1h",    "O3_8h"};

const AqiLevel kLevels[] = {
    {1, "一级", "优", "Excellent", "绿", "#00E400", "空气质量令人满意，基本无空气污染", "各类人群可正常活动"},
    {2, "二级", "良", "Good", "黄", "#FFFF00",
     "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响",
     "极少数异常敏感人群应减少户外活动"},
    {3, "三级", "轻度污染", "Lightly polluted", "橙", "#FF7E00",
     "易感人群症状有轻度加剧，健康人群出现刺激症状",
     "儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼"},
    {4, "四级", "中度污染", "Moderately polluted", "红", "#FF0000",
     "进一步加剧易感人群症状，可能对健康人群心脏、呼吸系统有影响",
     "儿童、老年人及心脏病、呼吸系统疾病患者避免长时间、高强度的户外锻炼，一般人群适量减少户外运动"},
    {5, "五级", "重度污染", "Heavily polluted", "紫", "#99004C",
     "心脏病和肺病患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状",
     "儿童、老年人和心脏病、肺病患者应停留在室内，停止户外运动，一般人群减少户外运动"},
    {6, "六级", "严重污染", "Severely polluted", "褐红", "#7E0023",
     "健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病",
     "儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动"},
};

}  // namespace

Pollutant pollutant_of(AqiIndicator i) {
  switch (i) {
    case AqiIndicator::kSO2_24h:
    case AqiIndicator::kSO2_1h:
      return Pollutant::kSO2;
    case AqiIndicator::kNO2_24h:
    case AqiIndicator::kNO2_1h:
      return Pollutant::kNO2;
    case AqiIndicator::kPM10_24h:
    case AqiIndicator::kPM10_1h:
      return Pollutant::kPM10;
    case AqiIndicator::kPM25_24h:
    case AqiIndicator::kPM25_1h:
      return Pollutant::kPM25;
    case AqiIndicator::kCO_24h:
    case AqiIndicator::kCO_1h:
      return Pollutant::kCO;
    case AqiIndicator::kO3_1h:
    case AqiIndicator::kO3_8h:
      return Pollutant::kO3;
  }
  return Pollutant::kSO2;
}

std::string_view indicator_code(AqiIndicator i) { return kIndicatorCodes[static_cast<size_t>(index_of(i))]; }

std::optional<AqiIndicator> parse_indicator(std::string_view text) {
  std::string t(text);
  if (t.rfind("PM25", 0) == 0) t = "PM2.5" + t.substr(4);
  for (int i = 0; i < kIndicatorCount; ++i) {
    if (kIndicatorCodes[static_cast<size_t>(i)] == t) return static_cast<AqiIndicator>(i);
  }
  return std::nullopt;
}

const AqiRuleSet& hj633_2012() { return kHj633_2012; }
const AqiRuleSet& hj633_2026() { return kHj633_2026; }

StatusOr<const AqiRuleSet*> aqi_rules_for(CivilDay d) {
  for (const AqiRuleSet* r : {&kHj633_2012, &kHj633_2026}) {
    if (d >= r->valid_from && (!r->valid_to || d <= *r->valid_to)) return r;
  }
  return not_found("no AQI rule set is in force on " + d.to_string() +
                   " (HJ 633-2012 applies from 2016-01-01); choose one with --rules HJ633-2012");
}

StatusOr<const AqiRuleSet*> aqi_rules_by_id(std::string_view id) {
  std::string n = normalise_rule_id(id);
  if (n == "HJ633-2012" || n == "2012") return &kHj633_2012;
  if (n == "HJ633-2026" || n == "2026") return &kHj633_2026;
  return not_found("unknown AQI rule set '" + std::string(id) + "' (known: HJ633-2012, HJ633-2026)");
}

int64_t round_concentration(Pollutant p, int64_t milli) {
  int digits = report_decimals(p);
  Decimal r = round_half_even(Rational{milli, kMilliPerUnit}, digits);
  return r.to_milli();
}

IaqiResult iaqi(const AqiRuleSet& rules, AqiIndicator indicator, int64_t conc_milli) {
  std::span<const Breakpoint> table = rules.tables[static_cast<size_t>(index_of(indicator))];
  if (table.empty()) return {IaqiStatus::kNotInTable, 0, false};
  int64_t c =
      rules.rounds_concentrations ? round_concentration(pollutant_of(indicator), conc_milli) : conc_milli;
  if (indicator == AqiIndicator::kSO2_1h && c > kSO2_1hCeiling) {
    if (rules.so2_1h_over_800_is_200) return {IaqiStatus::kValue, kSO2_1hOverCeilingIaqi2026, false};
    return {IaqiStatus::kNotComputedUse24h, 0, false};
  }
  if (indicator == AqiIndicator::kO3_8h && c > kO3_8hCeiling) {
    if (rules.o3_8h_over_800_is_300) return {IaqiStatus::kValue, kO3_8hOverCeilingIaqi2026, false};
    return {IaqiStatus::kNotComputedUse1h, 0, false};
  }
  if (c > table.back().conc_milli) return {IaqiStatus::kValue, kIaqiMax, true};
  // First segment whose upper breakpoint is >= c: c in (BP_Lo, BP_Hi] (a value on a breakpoint gives that
  // IAQI).
  size_t hi = 1;
  while (hi < table.size() && table[hi].conc_milli < c) ++hi;
  const Breakpoint& lo_bp = table[hi - 1];
  const Breakpoint& hi_bp = table[hi];
  // IAQI = (IAQI_Hi - IAQI_Lo) / (BP_Hi - BP_Lo) * (C - BP_Lo) + IAQI_Lo, rounded up.
  Rational frac{int64_t{hi_bp.iaqi - lo_bp.iaqi} * (c - lo_bp.conc_milli),
                hi_bp.conc_milli - lo_bp.conc_milli};
  int64_t value = ceil_to_int(frac) + lo_bp.iaqi;
  return {IaqiStatus::kValue, static_cast<int32_t>(value), false};
}

const AqiLevel& aqi_level(int32_t aqi) {
  static constexpr int32_t kUpper[] = {50, 100, 150, 200, 300};
  for (size_t i = 0; i < std::size(kUpper); ++i) {
    if (aqi <= kUpper[i]) return kLevels[i];
  }
  return kLevels[5];
}

std::vector<AqiIndicator> indicators_for(const AqiRuleSet& rules, AqiMode mode) {
  using I = AqiIndicator;
  if (mode == AqiMode::kDaily) {
    std::vector<I> v = {I::kSO2_24h, I::kNO2_24h, I::kPM10_24h, I::kPM25_24h, I::kCO_24h, I::kO3_8h};
    if (rules.daily_uses_o3_1h) v.push_back(I::kO3_1h);
    return v;
  }
  std::vector<I> v = {I::kSO2_1h, I::kNO2_1h, I::kCO_1h, I::kO3_1h};
  if (rules.realtime_uses_o3_8h) v.push_back(I::kO3_8h);
  bool moving_pm = rules.id == kHj633_2012.id && rules.realtime_pm_2012 == RealtimePmSource::kMovingDailyMean;
  if (moving_pm) {
    v.push_back(I::kPM10_24h);
    v.push_back(I::kPM25_24h);
  } else {
    v.push_back(I::kPM10_1h);
    v.push_back(I::kPM25_1h);
  }
  return v;
}

AqiResult compute_aqi(const AqiRuleSet& rules, AqiMode mode, const IndicatorValues& values) {
  AqiResult r;
  std::optional<int32_t> aqi;
  auto take = [&](AqiIndicator ind, int32_t v) {
    r.iaqi[static_cast<size_t>(index_of(ind))] = v;
    auto& p = r.pollutant_iaqi[static_cast<size_t>(index_of(pollutant_of(ind)))];
    p = p ? std::max(*p, v) : v;
    aqi = aqi ? std::max(*aqi, v) : v;
  };
  for (AqiIndicator ind : indicators_for(rules, mode)) {
    const std::optional<int64_t>& c = values[static_cast<size_t>(index_of(ind))];
    if (!c) {
      r.complete = false;
      continue;
    }
    IaqiResult ir = iaqi(rules, ind, *c);
    switch (ir.status) {
      case IaqiStatus::kValue:
        take(ind, ir.value);
        break;
      case IaqiStatus::kNotComputedUse24h: {
        // 2012 note 2: SO2 1-h above 800 -> report SO2 from its 24-h (moving) mean.
        const auto& c24 = values[static_cast<size_t>(index_of(AqiIndicator::kSO2_24h))];
        if (c24) {
          IaqiResult r24 = iaqi(rules, AqiIndicator::kSO2_24h, *c24);
          if (r24.status == IaqiStatus::kValue) take(AqiIndicator::kSO2_24h, r24.value);
        } else {
          r.complete = false;
        }
        break;
      }
      case IaqiStatus::kNotComputedUse1h: {
        // 2012 note 3: O3 8-h above 800 -> report O3 from its 1-h value (daily: the day's max 1-h).
        const auto& c1 = values[static_cast<size_t>(index_of(AqiIndicator::kO3_1h))];
        bool o3_1h_already = mode == AqiMode::kRealtime || rules.daily_uses_o3_1h;
        if (c1 && !o3_1h_already) {
          IaqiResult r1 = iaqi(rules, AqiIndicator::kO3_1h, *c1);
          if (r1.status == IaqiStatus::kValue) take(AqiIndicator::kO3_1h, r1.value);
        } else if (!c1) {
          r.complete = false;
        }
        break;
      }
      case IaqiStatus::kNotInTable:
        break;
    }
  }
  if (aqi && *aqi < rules.aqi_min) aqi = rules.aqi_min;
  if (aqi && !r.complete && rules.missing_policy == MissingAqiPolicy::kPublishIfOver100 &&
      *aqi <= kExceedingThreshold) {
    aqi.reset();
  }
  r.aqi = aqi;
  if (!r.aqi) return r;
  for (Pollutant p : kAllPollutants) {
    const auto& v = r.pollutant_iaqi[static_cast<size_t>(index_of(p))];
    if (!v) continue;
    if (*r.aqi > kPrimaryThreshold && *v == *r.aqi) r.primary.push_back(p);
    if (*v > kExceedingThreshold) r.exceeding.push_back(p);
  }
  return r;
}

}  // namespace ecomon
