#include "standards/water/gb14848.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "standards/water/exact.h"

namespace ecomon::groundwater {
namespace {

// Table 1 of GB/T 14848-2017: class Ⅰ..Ⅳ maxima as printed (../shared/spec/gb14848_limits.csv); "" = none
// (presence and pH indicators; 阴离子表面活性剂 Ⅰ is 不得检出; radioactivity has no Ⅳ limit of its own).
struct Row {
  IndicatorInfo info;
  std::string_view max[4];
};
constexpr Row kTable1[kIndicatorCount] = {
    {{Indicator::kColour, 1, "colour", "色", "铂钴色度单位", GwRule::kUpper, false}, {"5", "5", "15", "25"}},
    {{Indicator::kOdourTaste, 2, "odour_taste", "嗅和味", "", GwRule::kPresence, false}, {"", "", "", ""}},
    {{Indicator::kTurbidity, 3, "turbidity", "浑浊度", "NTU", GwRule::kUpper, false}, {"3", "3", "3", "10"}},
    {{Indicator::kVisibleMatter, 4, "visible_matter", "肉眼可见物", "", GwRule::kPresence, false},
     {"", "", "", ""}},
    {{Indicator::kPH, 5, "pH", "pH", "无量纲", GwRule::kPH, false}, {"", "", "", ""}},
    {{Indicator::kTotalHardness, 6, "total_hardness", "总硬度", "mg/L", GwRule::kUpper, false},
     {"150", "300", "450", "650"}},
    {{Indicator::kTDS, 7, "tds", "溶解性总固体", "mg/L", GwRule::kUpper, false},
     {"300", "500", "1000", "2000"}},
    {{Indicator::kSulfate, 8, "sulfate", "硫酸盐", "mg/L", GwRule::kUpper, false},
     {"50", "150", "250", "350"}},
    {{Indicator::kChloride, 9, "chloride", "氯化物", "mg/L", GwRule::kUpper, false},
     {"50", "150", "250", "350"}},
    {{Indicator::kFe, 10, "Fe", "铁", "mg/L", GwRule::kUpper, false}, {"0.1", "0.2", "0.3", "2.0"}},
    {{Indicator::kMn, 11, "Mn", "锰", "mg/L", GwRule::kUpper, false}, {"0.05", "0.05", "0.10", "1.50"}},
    {{Indicator::kCu, 12, "Cu", "铜", "mg/L", GwRule::kUpper, false}, {"0.01", "0.05", "1.00", "1.50"}},
    {{Indicator::kZn, 13, "Zn", "锌", "mg/L", GwRule::kUpper, false}, {"0.05", "0.5", "1.00", "5.00"}},
    {{Indicator::kAl, 14, "Al", "铝", "mg/L", GwRule::kUpper, false}, {"0.01", "0.05", "0.20", "0.50"}},
    {{Indicator::kVolatilePhenols, 15, "volatile_phenols", "挥发性酚类", "mg/L", GwRule::kUpper, false},
     {"0.001", "0.001", "0.002", "0.01"}},
    {{Indicator::kLAS, 16, "LAS", "阴离子表面活性剂", "mg/L", GwRule::kUpperNotDetectedI, false},
     {"", "0.1", "0.3", "0.3"}},
    {{Indicator::kCODMn, 17, "CODMn", "耗氧量", "mg/L", GwRule::kUpper, false},
     {"1.0", "2.0", "3.0", "10.0"}},
    {{Indicator::kNH3N, 18, "NH3_N", "氨氮", "mg/L", GwRule::kUpper, false},
     {"0.02", "0.10", "0.50", "1.50"}},
    {{Indicator::kSulfide, 19, "sulfide", "硫化物", "mg/L", GwRule::kUpper, false},
     {"0.005", "0.01", "0.02", "0.10"}},
    {{Indicator::kNa, 20, "Na", "钠", "mg/L", GwRule::kUpper, false}, {"100", "150", "200", "400"}},
    {{Indicator::kTotalColiforms, 21, "total_coliforms", "总大肠菌群", "MPN/100mL", GwRule::kUpper, true},
     {"3.0", "3.0", "3.0", "100"}},
    {{Indicator::kTotalBacteria, 22, "total_bacteria", "菌落总数", "CFU/mL", GwRule::kUpper, true},
     {"100", "100", "100", "1000"}},
    {{Indicator::kNitrite, 23, "nitrite", "亚硝酸盐", "mg/L", GwRule::kUpper, false},
     {"0.01", "0.10", "1.00", "4.80"}},
    {{Indicator::kNitrate, 24, "nitrate", "硝酸盐", "mg/L", GwRule::kUpper, false},
     {"2.0", "5.0", "20.0", "30.0"}},
    {{Indicator::kCyanide, 25, "cyanide", "氰化物", "mg/L", GwRule::kUpper, false},
     {"0.001", "0.01", "0.05", "0.1"}},
    {{Indicator::kFluoride, 26, "fluoride", "氟化物", "mg/L", GwRule::kUpper, false},
     {"1.0", "1.0", "1.0", "2.0"}},
    {{Indicator::kIodide, 27, "iodide", "碘化物", "mg/L", GwRule::kUpper, false},
     {"0.04", "0.04", "0.08", "0.50"}},
    {{Indicator::kHg, 28, "Hg", "汞", "mg/L", GwRule::kUpper, false}, {"0.0001", "0.0001", "0.001", "0.002"}},
    {{Indicator::kAs, 29, "As", "砷", "mg/L", GwRule::kUpper, false}, {"0.001", "0.001", "0.01", "0.05"}},
    {{Indicator::kSe, 30, "Se", "硒", "mg/L", GwRule::kUpper, false}, {"0.01", "0.01", "0.01", "0.1"}},
    {{Indicator::kCd, 31, "Cd", "镉", "mg/L", GwRule::kUpper, false}, {"0.0001", "0.001", "0.005", "0.01"}},
    {{Indicator::kCr6, 32, "Cr6", "铬(六价)", "mg/L", GwRule::kUpper, false},
     {"0.005", "0.01", "0.05", "0.10"}},
    {{Indicator::kPb, 33, "Pb", "铅", "mg/L", GwRule::kUpper, false}, {"0.005", "0.005", "0.01", "0.10"}},
    {{Indicator::kChloroform, 34, "chloroform", "三氯甲烷", "ug/L", GwRule::kUpper, false},
     {"0.5", "6", "60", "300"}},
    {{Indicator::kCarbonTetrachloride, 35, "carbon_tetrachloride", "四氯化碳", "ug/L", GwRule::kUpper, false},
     {"0.5", "0.5", "2.0", "50.0"}},
    {{Indicator::kBenzene, 36, "benzene", "苯", "ug/L", GwRule::kUpper, false},
     {"0.5", "1.0", "10.0", "120"}},
    {{Indicator::kToluene, 37, "toluene", "甲苯", "ug/L", GwRule::kUpper, false},
     {"0.5", "140", "700", "1400"}},
    {{Indicator::kGrossAlpha, 38, "gross_alpha", "总α放射性", "Bq/L", GwRule::kRadioactivity, false},
     {"0.1", "0.1", "0.5", ""}},
    {{Indicator::kGrossBeta, 39, "gross_beta", "总β放射性", "Bq/L", GwRule::kRadioactivity, false},
     {"0.1", "1.0", "1.0", ""}},
};

// pH bounds of Table 1.
constexpr std::string_view kPhLowIV = "5.5", kPhLowI = "6.5", kPhHighI = "8.5", kPhHighIV = "9.0";
// F-value grade bounds in hundredths: 0.80, 2.50, 4.25, 7.20.
constexpr int64_t kGradeBoundsHundredths[4] = {80, 250, 425, 720};
constexpr int64_t kHundred = 100;

struct Parsed {
  std::optional<Rational> max[kIndicatorCount][4];
  Rational ph_low_iv, ph_low_i, ph_high_i, ph_high_iv;
};
const Parsed& parsed() {
  static const Parsed kParsed = [] {
    Parsed p;
    for (int i = 0; i < kIndicatorCount; ++i) {
      for (int c = 0; c < 4; ++c) p.max[i][c] = exact::parse(kTable1[i].max[c]);
    }
    p.ph_low_iv = *exact::parse(kPhLowIV);
    p.ph_low_i = *exact::parse(kPhLowI);
    p.ph_high_i = *exact::parse(kPhHighI);
    p.ph_high_iv = *exact::parse(kPhHighIV);
    return p;
  }();
  return kParsed;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

int128 isqrt(int128 n) {
  if (n < 2) return n;
  // Newton's method from above.
  int128 x = n, y = (x + 1) / 2;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2;
  }
  return x;
}

}  // namespace

std::string_view class_name(GwClass c) {
  static constexpr std::string_view kNames[] = {"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ"};
  return kNames[class_rank(c) - 1];
}

StatusOr<GwClass> parse_class(std::string_view t) {
  std::string s(t);
  if (s.size() >= 3 && s.compare(s.size() - 3, 3, "类") == 0) s.erase(s.size() - 3);
  static constexpr std::string_view kRoman[] = {"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ"};
  static constexpr std::string_view kAscii[] = {"I", "II", "III", "IV", "V"};
  static constexpr std::string_view kDigit[] = {"1", "2", "3", "4", "5"};
  for (int c = 0; c < 5; ++c) {
    if (s == kRoman[c] || s == kAscii[c] || s == kDigit[c]) return static_cast<GwClass>(c + 1);
  }
  return invalid_argument("'" + std::string(t) + "' is not a groundwater class (Ⅰ..Ⅴ)");
}

std::string_view grade_name(FGrade g) {
  static constexpr std::string_view kNames[] = {"优良", "良好", "较好", "较差", "极差"};
  return kNames[static_cast<int>(g)];
}

const IndicatorInfo& indicator_info(Indicator i) { return kTable1[static_cast<int>(i)].info; }

std::span<const IndicatorInfo> all_indicators() {
  static const std::vector<IndicatorInfo> kInfos = [] {
    std::vector<IndicatorInfo> v;
    for (const Row& r : kTable1) v.push_back(r.info);
    return v;
  }();
  return kInfos;
}

std::optional<Indicator> indicator_by_name(std::string_view name) {
  std::string low = lower_ascii(name);
  for (const Row& r : kTable1) {
    if (low == lower_ascii(r.info.key) || name == r.info.name_cn) return r.info.indicator;
  }
  struct Alias {
    std::string_view alias;
    Indicator indicator;
  };
  static constexpr Alias kAliases[] = {
      {"色度", Indicator::kColour},
      {"总硬度(以caco3计)", Indicator::kTotalHardness},
      {"挥发性酚类(以苯酚计)", Indicator::kVolatilePhenols},
      {"耗氧量(codmn法,以o2计)", Indicator::kCODMn},
      {"高锰酸盐指数", Indicator::kCODMn},
      {"氨氮(以n计)", Indicator::kNH3N},
      {"亚硝酸盐(以n计)", Indicator::kNitrite},
      {"硝酸盐(以n计)", Indicator::kNitrate},
      {"六价铬", Indicator::kCr6},
      {"ph值", Indicator::kPH},
      {"tds", Indicator::kTDS},
  };
  for (const Alias& a : kAliases) {
    if (low == a.alias) return a.indicator;
  }
  return std::nullopt;
}

std::optional<Rational> class_three_limit(Indicator i) {
  GwRule rule = indicator_info(i).rule;
  if (rule == GwRule::kPresence || rule == GwRule::kPH) return std::nullopt;
  return parsed().max[static_cast<int>(i)][2];
}

GwClass indicator_class(Indicator i, const Rational& v, bool not_detected, const GwParams& p) {
  const IndicatorInfo& info = indicator_info(i);
  const Parsed& t = parsed();
  if (info.rule == GwRule::kPresence) return v.num == 0 ? GwClass::kI : GwClass::kV;
  if (info.rule == GwRule::kPH) {
    if (t.ph_low_i <= v && v <= t.ph_high_i) return GwClass::kI;
    if (t.ph_low_iv <= v && v <= t.ph_high_iv) return GwClass::kIV;
    return GwClass::kV;
  }
  if (not_detected && p.not_detected_is_class_one) return GwClass::kI;
  const auto& max = t.max[static_cast<int>(i)];
  for (int c = 0; c < 4; ++c) {
    if (!max[c]) {
      if (c == 0 && info.rule == GwRule::kUpperNotDetectedI && not_detected) return GwClass::kI;
      continue;  // 阴离子表面活性剂 Ⅰ needs 不得检出; radioactivity has no Ⅳ limit
    }
    if (v <= *max[c]) return static_cast<GwClass>(c + 1);
  }
  if (info.rule == GwRule::kRadioactivity) return p.radioactivity_above_three;
  return GwClass::kV;
}

WellResult classify_well(std::span<const GwMeasurement> values, const GwParams& p) {
  WellResult w;
  for (const GwMeasurement& m : values) {
    GwIndicatorResult r{m.indicator, m.value, m.not_detected,
                        indicator_class(m.indicator, m.value, m.not_detected, p), std::nullopt};
    if (class_rank(r.cls) > class_rank(GwClass::kIII)) {
      if (auto s = class_three_limit(m.indicator); s && s->num != 0 && m.value > *s) {
        r.multiple = round_half_even(exact::div(exact::sub(m.value, *s), *s), p.multiple_decimals);
      }
    }
    if (!w.cls || class_rank(r.cls) > class_rank(*w.cls)) w.cls = r.cls;
    w.indicators.push_back(r);
  }
  for (const GwIndicatorResult& r : w.indicators) {
    if (r.cls == w.cls) w.determining.push_back(r.indicator);
    if (class_rank(r.cls) > class_rank(GwClass::kIII) &&
        std::find(w.over_three.begin(), w.over_three.end(), r.indicator) == w.over_three.end()) {
      w.over_three.push_back(r.indicator);
    }
  }
  std::sort(w.over_three.begin(), w.over_three.end());
  return w;
}

std::optional<FValue> f_value(const WellResult& w, const GwParams& p) {
  int64_t n = 0, sum = 0, max = 0;
  for (const GwIndicatorResult& r : w.indicators) {
    if (p.excluded_from_f.has(r.indicator)) continue;
    int64_t score = p.f_scores[class_rank(r.cls) - 1];
    ++n;
    sum += score;
    max = std::max(max, score);
  }
  if (n == 0) return std::nullopt;
  // F² = ((sum/n)² + max²)/2 = (sum² + max²·n²) / (2n²)
  int128 num = static_cast<int128>(sum) * sum + static_cast<int128>(max) * max * n * n;
  int128 den = static_cast<int128>(2) * n * n;
  FValue f;
  f.n = static_cast<int>(n);
  f.f_squared = exact::div(Rational{static_cast<int64_t>(num), 1}, Rational{static_cast<int64_t>(den), 1});
  // F·100 = sqrt(num·10⁴/den); round half to even, decided exactly: compare (k + ½)² with the radicand.
  int128 scaled = num * kHundred * kHundred;
  int128 k = isqrt(scaled / den);
  int128 lhs = scaled * 4, rhs = (2 * k + 1) * (2 * k + 1) * den;
  if (lhs > rhs || (lhs == rhs && k % 2 == 1)) ++k;
  f.f = Decimal{static_cast<int64_t>(k), 2};
  // Grade on the unrounded F: F < b  ⇔  num·10⁴ < b_hundredths² · den.
  f.grade = FGrade::kVeryPoor;
  for (int g = 0; g < 4; ++g) {
    int128 b = kGradeBoundsHundredths[g];
    if (scaled < b * b * den) {
      f.grade = static_cast<FGrade>(g);
      break;
    }
  }
  return f;
}

}  // namespace ecomon::groundwater
