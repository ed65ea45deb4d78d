#include "standards/water/gb3838.h"

#include <algorithm>
#include <cctype>

#include "standards/water/exact.h"

namespace ecomon::water {
namespace {

constexpr ItemInfo kItems[kItemCount] = {
    {Item::kWaterTemperature, "water_temperature", "水温", "℃", LimitKind::kNone},
    {Item::kPH, "pH", "pH值", "无量纲", LimitKind::kRange},
    {Item::kDO, "DO", "溶解氧", "mg/L", LimitKind::kLower},
    {Item::kCODMn, "CODMn", "高锰酸盐指数", "mg/L", LimitKind::kUpper},
    {Item::kCOD, "COD", "化学需氧量", "mg/L", LimitKind::kUpper},
    {Item::kBOD5, "BOD5", "五日生化需氧量", "mg/L", LimitKind::kUpper},
    {Item::kNH3N, "NH3_N", "氨氮", "mg/L", LimitKind::kUpper},
    {Item::kTP, "TP", "总磷", "mg/L", LimitKind::kUpper},
    {Item::kTN, "TN", "总氮", "mg/L", LimitKind::kUpper},
    {Item::kCu, "Cu", "铜", "mg/L", LimitKind::kUpper},
    {Item::kZn, "Zn", "锌", "mg/L", LimitKind::kUpper},
    {Item::kF, "F", "氟化物", "mg/L", LimitKind::kUpper},
    {Item::kSe, "Se", "硒", "mg/L", LimitKind::kUpper},
    {Item::kAs, "As", "砷", "mg/L", LimitKind::kUpper},
    {Item::kHg, "Hg", "汞", "mg/L", LimitKind::kUpper},
    {Item::kCd, "Cd", "镉", "mg/L", LimitKind::kUpper},
    {Item::kCr6, "Cr6", "铬(六价)", "mg/L", LimitKind::kUpper},
    {Item::kPb, "Pb", "铅", "mg/L", LimitKind::kUpper},
    {Item::kCN, "CN", "氰化物", "mg/L", LimitKind::kUpper},
    {Item::kVolatilePhenol, "volatile_phenol", "挥发酚", "mg/L", LimitKind::kUpper},
    {Item::kPetroleum, "petroleum", "石油类", "mg/L", LimitKind::kUpper},
    {Item::kLAS, "LAS", "阴离子表面活性剂", "mg/L", LimitKind::kUpper},
    {Item::kSulfide, "sulfide", "硫化物", "mg/L", LimitKind::kUpper},
    {Item::kFecalColiform, "fecal_coliform", "粪大肠菌群", "个/L", LimitKind::kUpper},
};

// GB 3838-2002 Table 1, classes Ⅰ..Ⅴ, as printed (../shared/spec/gb3838_limits.csv). Empty: no limit.
struct LimitRow {
  Item item;
  std::string_view limits[5];
};
constexpr LimitRow kTable1[] = {
    {Item::kDO, {"7.5", "6", "5", "3", "2"}},
    {Item::kCODMn, {"2", "4", "6", "10", "15"}},
    {Item::kCOD, {"15", "15", "20", "30", "40"}},
    {Item::kBOD5, {"3", "3", "4", "6", "10"}},
    {Item::kNH3N, {"0.15", "0.5", "1.0", "1.5", "2.0"}},
    {Item::kTP, {"0.02", "0.1", "0.2", "0.3", "0.4"}},  // rivers
    {Item::kTN, {"0.2", "0.5", "1.0", "1.5", "2.0"}},
    {Item::kCu, {"0.01", "1.0", "1.0", "1.0", "1.0"}},
    {Item::kZn, {"0.05", "1.0", "1.0", "2.0", "2.0"}},
    {Item::kF, {"1.0", "1.0", "1.0", "1.5", "1.5"}},
    {Item::kSe, {"0.01", "0.01", "0.01", "0.02", "0.02"}},
    {Item::kAs, {"0.05", "0.05", "0.05", "0.1", "0.1"}},
    {Item::kHg, {"0.00005", "0.00005", "0.0001", "0.001", "0.001"}},
    {Item::kCd, {"0.001", "0.005", "0.005", "0.005", "0.01"}},
    {Item::kCr6, {"0.01", "0.05", "0.05", "0.05", "0.1"}},
    {Item::kPb, {"0.01", "0.01", "0.05", "0.05", "0.1"}},
    {Item::kCN, {"0.005", "0.05", "0.2", "0.2", "0.2"}},
    {Item::kVolatilePhenol, {"0.002", "0.002", "0.005", "0.01", "0.1"}},
    {Item::kPetroleum, {"0.05", "0.05", "0.05", "0.5", "1.0"}},
    {Item::kLAS, {"0.2", "0.2", "0.2", "0.3", "0.3"}},
    {Item::kSulfide, {"0.05", "0.1", "0.2", "0.5", "1.0"}},
    {Item::kFecalColiform, {"200", "2000", "10000", "20000", "40000"}},
};
constexpr std::string_view kTpLake[5] = {"0.01", "0.025", "0.05", "0.1", "0.2"};
constexpr std::string_view kPhLow = "6", kPhHigh = "9";

struct Limits {
  std::optional<Rational> table[kItemCount][5];
  Rational tp_lake[5];
  Rational ph_low, ph_high;
};

const Limits& limits() {
  static const Limits kLimits = [] {
    Limits l;
    for (const LimitRow& row : kTable1) {
      for (int c = 0; c < 5; ++c) l.table[static_cast<int>(row.item)][c] = exact::parse(row.limits[c]);
    }
    for (int c = 0; c < 5; ++c) l.tp_lake[c] = *exact::parse(kTpLake[c]);
    l.ph_low = *exact::parse(kPhLow);
    l.ph_high = *exact::parse(kPhHigh);
    return l;
  }();
  return kLimits;
}

bool in_ph_range(const Rational& v) { return limits().ph_low <= v && v <= limits().ph_high; }

// Meets the limit of class c (Ⅰ..Ⅴ).
bool meets(Item item, const Rational& v, WaterClass c, WaterBody body, const Gb3838Params& p) {
  LimitKind kind = item_info(item).kind;
  if (kind == LimitKind::kNone) return true;
  if (kind == LimitKind::kRange) return in_ph_range(v);
  std::optional<Rational> s = limit_of(item, c, body, p);
  if (!s) return true;
  return kind == LimitKind::kLower ? v >= *s : v <= *s;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace

std::string_view class_name(WaterClass c) {
  static constexpr std::string_view kNames[] = {"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"};
  return kNames[class_rank(c) - 1];
}

StatusOr<WaterClass> parse_class(std::string_view t) {
  std::string s(t);
  auto strip = [&s](std::string_view suffix) {
    if (s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0) {
      s.erase(s.size() - suffix.size());
    }
  };
  strip("类");
  bool worse = false;
  if (s.rfind("劣", 0) == 0) {
    worse = true;
    s.erase(0, std::string_view("劣").size());
  }
  static constexpr std::string_view kRoman[] = {"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ"};
  static constexpr std::string_view kAscii[] = {"I", "II", "III", "IV", "V"};
  static constexpr std::string_view kDigit[] = {"1", "2", "3", "4", "5"};
  for (int c = 0; c < 5; ++c) {
    if (s == kRoman[c] || s == kAscii[c] || s == kDigit[c]) {
      if (worse && c != 4) break;
      return worse ? WaterClass::kWorseThanV : static_cast<WaterClass>(c + 1);
    }
  }
  if (s == "6" && !worse) return WaterClass::kWorseThanV;
  return invalid_argument("'" + std::string(t) + "' is not a water class (Ⅰ..Ⅴ, 劣Ⅴ)");
}

std::string_view status_name(WaterStatus s) {
  static constexpr std::string_view kNames[] = {"优", "良好", "轻度污染", "中度污染", "重度污染"};
  return kNames[static_cast<int>(s)];
}

WaterStatus status_of(WaterClass c) {
  switch (c) {
    case WaterClass::kI:
    case WaterClass::kII:
      return WaterStatus::kExcellent;
    case WaterClass::kIII:
      return WaterStatus::kGood;
    case WaterClass::kIV:
      return WaterStatus::kLightlyPolluted;
    case WaterClass::kV:
      return WaterStatus::kModeratelyPolluted;
    case WaterClass::kWorseThanV:
      break;
  }
  return WaterStatus::kHeavilyPolluted;
}

std::string_view body_name(WaterBody b) { return b == WaterBody::kRiver ? "河流" : "湖库"; }

StatusOr<WaterBody> parse_body(std::string_view t) {
  std::string s = lower_ascii(t);
  if (s == "river" || s == "河流" || s == "河") return WaterBody::kRiver;
  if (s == "lake" || s == "reservoir" || s == "lake_reservoir" || s == "湖库" || s == "湖泊" || s == "水库" ||
      s == "湖" || s == "库") {
    return WaterBody::kLakeReservoir;
  }
  return invalid_argument("'" + std::string(t) + "' is not a water body (river|lake|reservoir, 河流|湖库)");
}

const ItemInfo& item_info(Item item) { return kItems[static_cast<int>(item)]; }
std::span<const ItemInfo> all_items() { return kItems; }

std::optional<Item> item_by_name(std::string_view name) {
  std::string low = lower_ascii(name);
  for (const ItemInfo& info : kItems) {
    if (low == lower_ascii(info.key) || name == info.name_cn) return info.item;
  }
  struct Alias {
    std::string_view alias;
    Item item;
  };
  static constexpr Alias kAliases[] = {
      {"temperature", Item::kWaterTemperature},
      {"ph值", Item::kPH},
      {"do", Item::kDO},
      {"codmn", Item::kCODMn},
      {"cod_mn", Item::kCODMn},
      {"permanganate_index", Item::kCODMn},
      {"codcr", Item::kCOD},
      {"nh3-n", Item::kNH3N},
      {"nh3n", Item::kNH3N},
      {"ammonia", Item::kNH3N},
      {"total_phosphorus", Item::kTP},
      {"total_nitrogen", Item::kTN},
      {"cr6+", Item::kCr6},
      {"cyanide", Item::kCN},
      {"phenol", Item::kVolatilePhenol},
      {"oil", Item::kPetroleum},
      {"sulphide", Item::kSulfide},
      {"fc", Item::kFecalColiform},
      {"化学需氧量(cod)", Item::kCOD},
      {"五日生化需氧量(bod5)", Item::kBOD5},
      {"氨氮(nh3-n)", Item::kNH3N},
      {"总磷(以p计)", Item::kTP},
      {"总氮(湖、库,以n计)", Item::kTN},
      {"氟化物(以f-计)", Item::kF},
      {"铬(六价)", Item::kCr6},
      {"六价铬", Item::kCr6},
      {"ph", Item::kPH},
      {"cod", Item::kCOD},
  };
  for (const Alias& a : kAliases) {
    if (low == a.alias) return a.item;
  }
  return std::nullopt;
}

std::optional<Rational> limit_of(Item item, WaterClass c, WaterBody body, const Gb3838Params& p) {
  if (c == WaterClass::kWorseThanV) return std::nullopt;
  int ci = class_rank(c) - 1;
  if (item == Item::kPH) return limits().ph_high;
  if (item == Item::kDO && c == WaterClass::kI) return p.do_class_one;
  if (item == Item::kTP && body == WaterBody::kLakeReservoir) return limits().tp_lake[ci];
  return limits().table[static_cast<int>(item)][ci];
}

std::optional<WaterClass> item_class(Item item, const Rational& value, WaterBody body,
                                     const Gb3838Params& p) {
  if (item_info(item).kind == LimitKind::kNone) return std::nullopt;
  for (int c = 1; c <= 5; ++c) {
    if (meets(item, value, static_cast<WaterClass>(c), body, p)) return static_cast<WaterClass>(c);
  }
  return WaterClass::kWorseThanV;
}

SectionResult classify_section(std::span<const Measurement> values, WaterBody body, const Gb3838Params& p) {
  SectionResult r;
  r.items.reserve(values.size());
  // The last value of a repeated item wins: remember where each item sits.
  std::array<int, kItemCount> last{};
  last.fill(-1);
  for (size_t i = 0; i < values.size(); ++i) last[static_cast<int>(values[i].item)] = static_cast<int>(i);
  for (size_t i = 0; i < values.size(); ++i) {
    const Measurement& m = values[i];
    ItemResult ir{m.item, m.value, item_class(m.item, m.value, body, p), false};
    ir.evaluated =
        ir.cls.has_value() && !p.excluded(body).has(m.item) && last[static_cast<int>(m.item)] == int(i);
    if (ir.evaluated && (!r.cls || class_rank(*ir.cls) > class_rank(*r.cls))) r.cls = ir.cls;
    r.items.push_back(ir);
  }
  if (r.cls) {
    for (const ItemResult& ir : r.items) {
      if (ir.evaluated && ir.cls == r.cls) r.determining.push_back(ir.item);
    }
  }
  return r;
}

bool exceeds(Item item, const Rational& value, WaterClass reference, WaterBody body, const Gb3838Params& p) {
  if (reference == WaterClass::kWorseThanV) return false;
  return !meets(item, value, reference, body, p);
}

std::optional<Rational> exceedance_multiple(Item item, const Rational& value, WaterClass reference,
                                            WaterBody body, const Gb3838Params& p) {
  if (!exceeds(item, value, reference, body, p)) return std::nullopt;
  LimitKind kind = item_info(item).kind;
  if (kind == LimitKind::kNone || kind == LimitKind::kRange) return std::nullopt;
  std::optional<Rational> s = limit_of(item, reference, body, p);
  if (!s) return std::nullopt;
  if (kind == LimitKind::kLower) {
    if (p.ph_do_multiple != PhDoMultiple::kDoDeficitRatio) return std::nullopt;
    return exact::div(exact::sub(*s, value), *s);  // (S − C)/S
  }
  return exact::div(exact::sub(value, *s), *s);  // (C − S)/S
}

std::vector<Exceedance> exceedances(const SectionResult& r, WaterClass reference, WaterBody body,
                                    const Gb3838Params& p) {
  std::vector<Exceedance> out;
  for (const ItemResult& ir : r.items) {
    if (!ir.evaluated || !exceeds(ir.item, ir.value, reference, body, p)) continue;
    Exceedance e{ir.item, ir.value, *ir.cls, std::nullopt};
    if (auto m = exceedance_multiple(ir.item, ir.value, reference, body, p)) {
      e.multiple = round_half_even(*m, p.multiple_decimals);
    }
    out.push_back(e);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Exceedance& a, const Exceedance& b) { return a.item < b.item; });
  return out;
}

std::vector<Item> main_pollutants(const SectionResult& r, WaterBody body, const Gb3838Params& p) {
  std::vector<Exceedance> ex = exceedances(r, WaterClass::kIII, body, p);
  // Rank on the exact multiple (ties: the standard's item order, kept by stable_sort).
  auto exact_multiple = [&](const Exceedance& e) {
    return exceedance_multiple(e.item, e.value, WaterClass::kIII, body, p);
  };
  std::stable_sort(ex.begin(), ex.end(), [&](const Exceedance& a, const Exceedance& b) {
    auto ma = exact_multiple(a), mb = exact_multiple(b);
    if (ma.has_value() != mb.has_value()) return ma.has_value();
    if (ma && mb) return *ma > *mb;
    return class_rank(a.cls) > class_rank(b.cls);
  });
  std::vector<Item> out;
  for (const Exceedance& e : ex) {
    if (static_cast<int>(out.size()) == p.main_pollutant_count) break;
    out.push_back(e.item);
  }
  return out;
}

}  // namespace ecomon::water
