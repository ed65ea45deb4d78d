#include "water/assessment.h"

#include <algorithm>
#include <array>
#include <map>

#include "standards/water/exact.h"

namespace ecomon::water {
namespace {

constexpr int kItemsOfMainPollutants = 3;

WaterStatus proportion_status(const Rational& good, const Rational& worse_v, const AssessParams& p) {
  if (good >= Rational{p.excellent_share, 1}) return WaterStatus::kExcellent;
  if (good >= Rational{p.good_share, 1}) return WaterStatus::kGood;
  if (worse_v < Rational{p.moderate_worse_v, 1}) return WaterStatus::kLightlyPolluted;
  if (worse_v < Rational{p.heavy_worse_v, 1}) return WaterStatus::kModeratelyPolluted;
  return WaterStatus::kHeavilyPolluted;
}

Change graded(int64_t signed_steps, int64_t slight, int64_t marked, bool marked_is_at_least) {
  int64_t mag = signed_steps < 0 ? -signed_steps : signed_steps;
  bool is_marked = marked_is_at_least ? mag >= marked : mag > marked;
  bool is_slight = marked_is_at_least ? mag >= slight : mag > slight;
  if (!is_slight) return Change::kNoChange;
  if (signed_steps > 0) return is_marked ? Change::kMarkedlyBetter : Change::kBetter;
  return is_marked ? Change::kMarkedlyWorse : Change::kWorse;
}

}  // namespace

std::vector<Measurement> period_means(std::span<const std::vector<Measurement>> samples) {
  // One running exact sum per item (no list of values, no map): the hot path of a national assessment.
  std::array<exact::Sum, kItemCount> sums;
  std::array<Item, kItemCount> order{};
  int items = 0;
  for (const auto& sample : samples) {
    for (const Measurement& m : sample) {
      exact::Sum& s = sums[static_cast<int>(m.item)];
      if (s.count() == 0) order[items++] = m.item;
      s.add(m.value);
    }
  }
  std::vector<Measurement> out;
  out.reserve(items);
  for (int i = 0; i < items; ++i) out.push_back({order[i], *sums[static_cast<int>(order[i])].mean()});
  return out;
}

SectionAssessment assess_section(const SectionInput& s, const AssessParams& p) {
  SectionAssessment a;
  a.name = s.name;
  a.river = s.river;
  a.body = s.body;
  a.target = s.target;
  a.samples = static_cast<int>(s.samples.size());
  a.period_values = period_means(s.samples);
  a.result = classify_section(a.period_values, s.body, p.rules);
  if (!a.result.cls) return a;
  a.status = status_of(*a.result.cls);
  if (s.target) {
    a.meets_target = meets_target(*a.result.cls, *s.target);
    a.over_target = exceedances(a.result, *s.target, s.body, p.rules);
  }
  a.over_three = exceedances(a.result, WaterClass::kIII, s.body, p.rules);
  a.main_pollutants = main_pollutants(a.result, s.body, p.rules);
  return a;
}

std::string_view method_name(RiverMethod m) { return m == RiverMethod::kMean ? "断面均值法" : "类别比例法"; }

RiverAssessment assess_river(std::string river, std::span<const SectionAssessment> sections,
                             const AssessParams& p) {
  RiverAssessment r;
  r.river = std::move(river);
  std::vector<const SectionAssessment*> classed;
  for (const SectionAssessment& s : sections) {
    if (s.result.cls) classed.push_back(&s);
  }
  r.sections = static_cast<int>(classed.size());
  if (r.sections == 0) return r;
  int good = 0;
  for (const SectionAssessment* s : classed) {
    int rank = class_rank(*s->result.cls);
    ++r.counts[rank - 1];
    if (rank <= class_rank(WaterClass::kIII)) ++good;
  }
  r.good_share = *exact::percent(good, r.sections);
  r.worse_v_share = *exact::percent(r.counts[kClassCount - 1], r.sections);
  r.good_share_rounded = round_half_even(r.good_share, p.share_decimals);
  r.worse_v_share_rounded = round_half_even(r.worse_v_share, p.share_decimals);
  if (r.sections < p.proportion_min_sections) {
    r.method = RiverMethod::kMean;
    // Mean of each item over the sections that measured it, judged like one section. A river of lake and
    // river sections is judged with river limits unless every section is a lake/reservoir.
    std::vector<std::vector<Measurement>> per_section;
    bool all_lake = true;
    for (const SectionAssessment* s : classed) {
      per_section.push_back(s->period_values);
      all_lake = all_lake && s->body == WaterBody::kLakeReservoir;
    }
    WaterBody body = all_lake ? WaterBody::kLakeReservoir : WaterBody::kRiver;
    SectionResult mean = classify_section(period_means(per_section), body, p.rules);
    r.mean_class = mean.cls;
    if (mean.cls) r.status = status_of(*mean.cls);
    r.main_pollutants = main_pollutants(mean, body, p.rules);
    return r;
  }
  r.method = RiverMethod::kProportion;
  r.status = proportion_status(r.good_share, r.worse_v_share, p);
  // 主要污染指标 by 断面超标率: the share of sections where the item fails class Ⅲ (UNCONFIRMED; top 3).
  std::map<Item, int> over;
  for (const SectionAssessment* s : classed) {
    for (const Exceedance& e : s->over_three) ++over[e.item];
  }
  std::vector<std::pair<Item, int>> ranked(over.begin(), over.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [item, n] : ranked) {
    if (static_cast<int>(r.main_pollutants.size()) == kItemsOfMainPollutants) break;
    r.main_pollutants.push_back(item);
  }
  return r;
}

std::string_view change_name(Change c, Vocabulary v) {
  static constexpr std::string_view k2011[] = {"明显好转", "有所好转", "无明显变化", "有所变差", "明显变差"};
  static constexpr std::string_view kBulletin[] = {"水质好转", "水质好转", "无明显变化", "水质恶化",
                                                   "水质恶化"};
  return (v == Vocabulary::kBulletin ? kBulletin : k2011)[static_cast<int>(c)];
}

Change section_change(WaterClass previous, WaterClass current, const ChangeParams& p) {
  int64_t better_by = class_rank(previous) - class_rank(current);
  return graded(better_by, 1, p.section_marked_levels, true);
}

std::optional<Change> river_change(const RiverAssessment& prev, const RiverAssessment& cur,
                                   const ChangeParams& p) {
  if (prev.sections == 0 || cur.sections == 0) return std::nullopt;
  if (prev.method == RiverMethod::kMean && cur.method == RiverMethod::kMean) {
    if (!prev.mean_class || !cur.mean_class) return std::nullopt;
    return section_change(*prev.mean_class, *cur.mean_class, p);
  }
  // Δ = ΔG − ΔD in percentage points, exact; compared with the bounds without rounding.
  Rational dg = exact::sub(cur.good_share, prev.good_share);
  Rational dd = exact::sub(cur.worse_v_share, prev.worse_v_share);
  Rational delta = exact::sub(dg, dd);
  Rational mag = delta.num < 0 ? Rational{-delta.num, delta.den} : delta;
  if (mag <= Rational{p.river_slight_points, 1}) return Change::kNoChange;
  bool marked = mag > Rational{p.river_marked_points, 1};
  if (delta.num > 0) return marked ? Change::kMarkedlyBetter : Change::kBetter;
  return marked ? Change::kMarkedlyWorse : Change::kWorse;
}

std::vector<SourceCompliance> source_compliance(std::span<const SourceSample> samples) {
  constexpr int kRateDecimals = 1;
  std::vector<SourceCompliance> out;
  SourceCompliance total;
  auto add = [](SourceCompliance& c, const SourceSample& s) {
    ++c.samples;
    c.volume = exact::add(c.volume, s.volume);
    if (s.compliant) {
      ++c.compliant_samples;
      c.compliant_volume = exact::add(c.compliant_volume, s.volume);
    }
  };
  for (const SourceSample& s : samples) {
    auto it =
        std::find_if(out.begin(), out.end(), [&](const SourceCompliance& c) { return c.source == s.source; });
    if (it == out.end()) {
      out.push_back(SourceCompliance{s.source});
      it = out.end() - 1;
    }
    add(*it, s);
    add(total, s);
  }
  out.push_back(total);
  for (SourceCompliance& c : out) {
    if (auto r = exact::percent(c.compliant_samples, c.samples))
      c.sample_rate_percent = round_half_even(*r, kRateDecimals);
    if (c.volume.num > 0) {
      Rational share = exact::mul(exact::div(c.compliant_volume, c.volume), Rational{100, 1});
      c.volume_rate_percent = round_half_even(share, kRateDecimals);
    }
  }
  return out;
}

namespace {
struct Supplementary {
  SupplementaryItem item;
  std::string_view key, name_cn;
  int64_t limit_thousandths;
};
constexpr Supplementary kSupplementary[] = {
    {SupplementaryItem::kSulfate, "sulfate", "硫酸盐", 250'000},
    {SupplementaryItem::kChloride, "chloride", "氯化物", 250'000},
    {SupplementaryItem::kNitrate, "nitrate", "硝酸盐", 10'000},
    {SupplementaryItem::kFe, "Fe_supplementary", "铁", 300},
    {SupplementaryItem::kMn, "Mn_supplementary", "锰", 100},
};
}  // namespace

std::optional<SupplementaryItem> supplementary_by_name(std::string_view name) {
  for (const Supplementary& s : kSupplementary) {
    if (name == s.key || name == s.name_cn) return s.item;
  }
  if (name == "Fe") return SupplementaryItem::kFe;
  if (name == "Mn") return SupplementaryItem::kMn;
  return std::nullopt;
}
std::string_view supplementary_key(SupplementaryItem i) { return kSupplementary[static_cast<int>(i)].key; }
Rational supplementary_limit(SupplementaryItem i) {
  return Rational{kSupplementary[static_cast<int>(i)].limit_thousandths, kMilliPerUnit};
}

}  // namespace ecomon::water
