#include "soil/gb15618.h"

#include <algorithm>
#include <string>

#include "soil/text.h"
#include "standards/water/exact.h"

namespace ecomon::soil {
namespace {

constexpr FarmItemInfo kItems[kFarmItemCount] = {
    {FarmItem::kCd, "Cd", "镉", "镉 Cd", true},
    {FarmItem::kHg, "Hg", "汞", "汞 Hg", true},
    {FarmItem::kAs, "As", "砷", "砷 As", true},
    {FarmItem::kPb, "Pb", "铅", "铅 Pb", true},
    {FarmItem::kCr, "Cr", "铬", "铬 Cr", true},
    {FarmItem::kCu, "Cu", "铜", "铜 Cu", true},
    {FarmItem::kNi, "Ni", "镍", "镍 Ni", true},
    {FarmItem::kZn, "Zn", "锌", "锌 Zn", true},
    {FarmItem::kHchTotal, "HCH", "六六六总量", "六六六总量 HCH total", false},
    {FarmItem::kDdtTotal, "DDT", "滴滴涕总量", "滴滴涕总量 DDT total", false},
    {FarmItem::kBaP, "BaP", "苯并[a]芘", "苯并[a]芘 BaP", false},
};

// One row of a table: an item, a land-use column, the four pH bands (pH≤5.5, 5.5<pH≤6.5, 6.5<pH≤7.5, pH>7.5),
// in mg/kg as printed.
struct Row {
  FarmItem item;
  TableLandUse column;
  std::string_view value[kPhBandCount];
};

// Table 1 (basic items) and Table 2 (other items, any pH and land use): 风险筛选值.
constexpr Row kScreening[] = {
    {FarmItem::kCd, TableLandUse::kPaddy, {"0.3", "0.4", "0.6", "0.8"}},
    {FarmItem::kCd, TableLandUse::kOther, {"0.3", "0.3", "0.3", "0.6"}},
    {FarmItem::kHg, TableLandUse::kPaddy, {"0.5", "0.5", "0.6", "1.0"}},
    {FarmItem::kHg, TableLandUse::kOther, {"1.3", "1.8", "2.4", "3.4"}},
    {FarmItem::kAs, TableLandUse::kPaddy, {"30", "30", "25", "20"}},
    {FarmItem::kAs, TableLandUse::kOther, {"40", "40", "30", "25"}},
    {FarmItem::kPb, TableLandUse::kPaddy, {"80", "100", "140", "240"}},
    {FarmItem::kPb, TableLandUse::kOther, {"70", "90", "120", "170"}},
    {FarmItem::kCr, TableLandUse::kPaddy, {"250", "250", "300", "350"}},
    {FarmItem::kCr, TableLandUse::kOther, {"150", "150", "200", "250"}},
    {FarmItem::kCu, TableLandUse::kOrchard, {"150", "150", "200", "200"}},
    {FarmItem::kCu, TableLandUse::kOther, {"50", "50", "100", "100"}},
    {FarmItem::kNi, TableLandUse::kAny, {"60", "70", "100", "190"}},
    {FarmItem::kZn, TableLandUse::kAny, {"200", "200", "250", "300"}},
    {FarmItem::kHchTotal, TableLandUse::kAny, {"0.10", "0.10", "0.10", "0.10"}},
    {FarmItem::kDdtTotal, TableLandUse::kAny, {"0.10", "0.10", "0.10", "0.10"}},
    {FarmItem::kBaP, TableLandUse::kAny, {"0.55", "0.55", "0.55", "0.55"}},
};

// Table 3: 风险管制值, any land use.
constexpr Row kControl[] = {
    {FarmItem::kCd, TableLandUse::kAny, {"1.5", "2.0", "3.0", "4.0"}},
    {FarmItem::kHg, TableLandUse::kAny, {"2.0", "2.5", "4.0", "6.0"}},
    {FarmItem::kAs, TableLandUse::kAny, {"200", "150", "120", "100"}},
    {FarmItem::kPb, TableLandUse::kAny, {"400", "500", "700", "1000"}},
    {FarmItem::kCr, TableLandUse::kAny, {"800", "850", "1000", "1300"}},
};

// Band edges as the standard words them: ≤5.5, ≤6.5, ≤7.5 (each band includes its upper bound).
constexpr std::string_view kBandUpper[kPhBandCount - 1] = {"5.5", "6.5", "7.5"};

constexpr std::string_view kLandUseKeys[kFarmLandUseCount] = {"paddy", "irrigated", "dryland", "orchard",
                                                              "tea",   "pasture",   "rotation"};
constexpr std::string_view kLandUseNames[kFarmLandUseCount] = {"水田", "水浇地", "旱地",      "果园",
                                                               "茶园", "牧草地", "水旱轮作地"};

constexpr int kColumnCount = 4;  // TableLandUse values

// The tables parsed once into exact values, indexed [item][column][band] and [item][band].
struct Parsed {
  std::optional<Rational> screening[kFarmItemCount][kColumnCount][kPhBandCount];
  std::optional<Rational> control[kFarmItemCount][kPhBandCount];
  Rational band_upper[kPhBandCount - 1];
};

const Parsed& parsed() {
  static const Parsed kParsed = [] {
    Parsed p;
    for (const Row& r : kScreening) {
      for (int b = 0; b < kPhBandCount; ++b) {
        p.screening[static_cast<int>(r.item)][static_cast<int>(r.column)][b] = exact::parse(r.value[b]);
      }
    }
    for (const Row& r : kControl) {
      for (int b = 0; b < kPhBandCount; ++b)
        p.control[static_cast<int>(r.item)][b] = exact::parse(r.value[b]);
    }
    for (int b = 0; b < kPhBandCount - 1; ++b) p.band_upper[b] = *exact::parse(kBandUpper[b]);
    return p;
  }();
  return kParsed;
}

}  // namespace

const FarmItemInfo& farm_item_info(FarmItem item) { return kItems[static_cast<int>(item)]; }
std::span<const FarmItemInfo> farm_items() { return kItems; }

std::optional<FarmItem> farm_item_by_name(std::string_view name) {
  std::string low = lower_ascii(name);
  for (const FarmItemInfo& i : kItems) {
    if (low == lower_ascii(i.key) || name == i.name_cn || name == i.spec_name) return i.item;
  }
  return std::nullopt;
}

std::string_view land_use_key(FarmLandUse use) { return kLandUseKeys[static_cast<int>(use)]; }
std::string_view land_use_name(FarmLandUse use) { return kLandUseNames[static_cast<int>(use)]; }

std::optional<FarmLandUse> parse_farm_land_use(std::string_view text) {
  std::string low = lower_ascii(text);
  for (int i = 0; i < kFarmLandUseCount; ++i) {
    if (low == kLandUseKeys[i] || text == kLandUseNames[i]) return static_cast<FarmLandUse>(i);
  }
  if (text == "天然牧草地" || text == "人工牧草地") return FarmLandUse::kPasture;
  return std::nullopt;
}

std::string_view table_land_use_key(TableLandUse use) {
  static constexpr std::string_view kKeys[] = {"paddy", "orchard", "other", "any"};
  return kKeys[static_cast<int>(use)];
}

PhBand ph_band(const Rational& ph) {
  const Parsed& p = parsed();
  for (int b = 0; b < kPhBandCount - 1; ++b) {
    if (ph <= p.band_upper[b]) return static_cast<PhBand>(b);
  }
  return PhBand::kAbove7_5;
}

std::string_view ph_band_key(PhBand band) {
  static constexpr std::string_view kKeys[] = {"pH<=5.5", "5.5<pH<=6.5", "6.5<pH<=7.5", "pH>7.5"};
  return kKeys[static_cast<int>(band)];
}

std::string_view ph_band_name(PhBand band) {
  static constexpr std::string_view kNames[] = {"pH≤5.5", "5.5<pH≤6.5", "6.5<pH≤7.5", "pH>7.5"};
  return kNames[static_cast<int>(band)];
}

std::optional<PhBand> parse_ph_band(std::string_view text) {
  for (int b = 0; b < kPhBandCount; ++b) {
    auto band = static_cast<PhBand>(b);
    if (text == ph_band_key(band) || text == ph_band_name(band)) return band;
  }
  return std::nullopt;
}

std::string_view risk_key(FarmRisk risk) {
  static constexpr std::string_view kKeys[] = {"low", "possible", "safe_use", "high"};
  return kKeys[static_cast<int>(risk)];
}

std::string_view risk_name(FarmRisk risk) {
  static constexpr std::string_view kNames[] = {"风险低", "可能存在风险", "可能存在风险，安全利用",
                                                "风险高，严格管控"};
  return kNames[static_cast<int>(risk)];
}

std::string_view category_key(FarmCategory c) {
  static constexpr std::string_view kKeys[] = {"priority", "safe_use", "strict"};
  return kKeys[static_cast<int>(c)];
}

std::string_view category_name(FarmCategory c) {
  static constexpr std::string_view kNames[] = {"优先保护类", "安全利用类", "严格管控类"};
  return kNames[static_cast<int>(c)];
}

std::optional<FarmCategory> parse_category(std::string_view text) {
  for (int i = 0; i < 3; ++i) {
    auto c = static_cast<FarmCategory>(i);
    if (text == category_key(c) || text == category_name(c)) return c;
  }
  return std::nullopt;
}

std::optional<Rational> farm_table_value(FarmItem item, bool control, TableLandUse column, PhBand band) {
  if (control) {
    if (column != TableLandUse::kAny) return std::nullopt;
    return parsed().control[static_cast<int>(item)][static_cast<int>(band)];
  }
  return parsed().screening[static_cast<int>(item)][static_cast<int>(column)][static_cast<int>(band)];
}

TableLandUse table_column(FarmItem item, FarmLandUse use) {
  switch (item) {
    case FarmItem::kCd:
    case FarmItem::kHg:
    case FarmItem::kAs:
    case FarmItem::kPb:
    case FarmItem::kCr:
      return use == FarmLandUse::kPaddy ? TableLandUse::kPaddy : TableLandUse::kOther;
    case FarmItem::kCu:
      return use == FarmLandUse::kOrchard ? TableLandUse::kOrchard : TableLandUse::kOther;
    default:
      return TableLandUse::kAny;
  }
}

Rational farm_screening(FarmItem item, FarmLandUse use, PhBand band, const FarmParams& p) {
  TableLandUse column = table_column(item, use);
  Rational v = *farm_table_value(item, false, column, band);
  if (use == FarmLandUse::kRotation && p.rotation_uses_stricter && column == TableLandUse::kOther) {
    if (auto paddy = farm_table_value(item, false, TableLandUse::kPaddy, band)) v = std::min(v, *paddy);
  }
  return v;
}

std::optional<Rational> farm_control(FarmItem item, PhBand band) {
  return farm_table_value(item, true, TableLandUse::kAny, band);
}

FarmItemResult judge_farm_item(const FarmMeasurement& m, FarmLandUse use, PhBand band, const FarmParams& p) {
  FarmItemResult r;
  r.item = m.item;
  r.value = m.value;
  r.not_detected = m.not_detected;
  r.screening = farm_screening(m.item, use, band, p);
  r.control = farm_control(m.item, band);
  r.index = round_half_even(exact::div(m.value, r.screening), p.index_decimals);
  if (m.not_detected && p.not_detected_is_low) {
    r.risk = FarmRisk::kLow;
  } else if (m.value <= r.screening) {
    r.risk = FarmRisk::kLow;  // "等于或者低于" passes: exceedance is a strict >
  } else if (!r.control) {
    r.risk = FarmRisk::kPossible;
  } else {
    r.risk = m.value <= *r.control ? FarmRisk::kSafeUse : FarmRisk::kHigh;
  }
  return r;
}

StatusOr<FarmPointResult> assess_farm_point(FarmLandUse use, std::optional<Rational> ph,
                                            std::span<const FarmMeasurement> values, const FarmParams& p) {
  constexpr int64_t kMaxPh = 14;
  if (!ph)
    return failed_precondition("no pH: a farmland point is looked up by its pH band and none is assumed");
  if (ph->num < 0 || *ph > Rational{kMaxPh, 1}) {
    return invalid_argument("pH " + exact::to_string(*ph) + " is outside 0..14");
  }
  if (values.empty()) return failed_precondition("no measured item");
  FarmPointResult out;
  out.band = ph_band(*ph);
  bool seen[kFarmItemCount] = {};
  for (const FarmMeasurement& m : values) {
    if (seen[static_cast<int>(m.item)]) {
      return invalid_argument(std::string(farm_item_info(m.item).name_cn) + " is given twice");
    }
    seen[static_cast<int>(m.item)] = true;
    out.items.push_back(judge_farm_item(m, use, out.band, p));
  }
  for (const FarmItemResult& r : out.items) out.worst = std::max(out.worst, r.risk);
  for (const FarmItemResult& r : out.items) {
    if (r.risk == out.worst) out.determining.push_back(r.item);
  }
  // The category: the worst item that counts for it (CategoryItems), 优先保护类 / 安全利用类 / 严格管控类.
  FarmRisk worst_counted = FarmRisk::kLow;
  for (const FarmItemResult& r : out.items) {
    if (p.category_items == CategoryItems::kControlItemsOnly && !r.control) continue;
    worst_counted = std::max(worst_counted, r.risk);
  }
  out.category = worst_counted == FarmRisk::kLow    ? FarmCategory::kPriorityProtection
                 : worst_counted == FarmRisk::kHigh ? FarmCategory::kStrictControl
                                                    : FarmCategory::kSafeUse;
  return out;
}

}  // namespace ecomon::soil
