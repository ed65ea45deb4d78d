// Surface-water assessment over a period (地表水环境质量评价, 环办〔2011〕22号): period values from monthly
// values, a section's class, status, target attainment, 超标倍数 and main pollution items; river and basin
// evaluation (断面均值法 below 5 sections, 断面水质类别比例法 from 5); change against the previous period per
// section and per river; drinking-water source compliance by samples and by volume. Pure functions over plain
// values; the store and the CLI feed them.
//
//   SectionInput s{"赵庄", "丹河", WaterBody::kRiver, WaterClass::kIII, {jan, feb, ...}};   // monthly values
//   SectionAssessment a = assess_section(s, AssessParams{});
//   // a.result.cls, a.status, a.meets_target, a.over_target (items with 超标倍数), a.main_pollutants
//   RiverAssessment r = assess_river(sections_of_the_river, AssessParams{});
//   Change c = section_change(previous.cls, a.result.cls, ChangeParams{});
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "standards/water/gb3838.h"

namespace ecomon::water {

// Period value of each item: the arithmetic mean of the valid values in the period (季度/年度: mean of the
// monthly values; a month or shorter period: its single value). Items keep the order of first appearance.
std::vector<Measurement> period_means(std::span<const std::vector<Measurement>> samples);

struct AssessParams {
  Gb3838Params rules;
  // Sections at which a river/basin switches from the mean method to the proportion method (">= 5": the 2011
  // method as usually read; the Shenzhen FAQ says "大于5个" — UNCONFIRMED).
  int proportion_min_sections = 5;
  // Proportion method bounds, percent: 优 I–III ≥ 90; 良好 75 ≤ I–III < 90; below 75: 劣Ⅴ < 20 轻度,
  // 20 ≤ 劣Ⅴ < 40 中度, ≥ 40 重度.
  int64_t excellent_share = 90, good_share = 75, moderate_worse_v = 20, heavy_worse_v = 40;
  int share_decimals = 1;
};

struct SectionInput {
  std::string name;
  std::string river;
  WaterBody body = WaterBody::kRiver;
  std::optional<WaterClass> target;               // 目标水质; nullopt: none set (no attainment judged)
  std::vector<std::vector<Measurement>> samples;  // one entry per month (or per sampling) in the period
};

struct SectionAssessment {
  std::string name, river;
  WaterBody body = WaterBody::kRiver;
  std::optional<WaterClass> target;
  int samples = 0;
  std::vector<Measurement> period_values;
  SectionResult result;  // class and items of the period values
  std::optional<WaterStatus> status;
  std::optional<bool> meets_target;     // nullopt without target or class
  std::vector<Exceedance> over_target;  // items failing the target class, with 超标倍数
  std::vector<Exceedance> over_three;   // items failing class Ⅲ, with 超标倍数
  std::vector<Item> main_pollutants;
};
SectionAssessment assess_section(const SectionInput& s, const AssessParams& p);

enum class RiverMethod : uint8_t { kMean, kProportion };
std::string_view method_name(RiverMethod m);  // "断面均值法", "类别比例法"

struct RiverAssessment {
  std::string river;
  int sections = 0;  // sections with a class
  RiverMethod method = RiverMethod::kMean;
  int counts[kClassCount] = {};  // sections per class Ⅰ..劣Ⅴ
  Rational good_share{0, 1};     // Ⅰ–Ⅲ share, percent, exact
  Rational worse_v_share{0, 1};  // 劣Ⅴ share, percent, exact
  Decimal good_share_rounded, worse_v_share_rounded;
  std::optional<WaterClass> mean_class;  // mean method: class of the item means
  std::optional<WaterStatus> status;
  std::vector<Item> main_pollutants;  // mean method: as a section; proportion: by 断面超标率 (share over Ⅲ)
};
// Sections of one river (or basin); uses each section's period values and class.
RiverAssessment assess_river(std::string river, std::span<const SectionAssessment> sections,
                             const AssessParams& p);

// 水质变化 words. The 2011 method grades a change as 有所 (slight) or 明显 (marked); a city bulletin prints
// 水质好转 / 水质恶化 / 无明显变化 (Vocabulary::kBulletin).
enum class Change : uint8_t { kMarkedlyBetter, kBetter, kNoChange, kWorse, kMarkedlyWorse };
enum class Vocabulary : uint8_t { kMethod2011, kBulletin };
std::string_view change_name(Change c, Vocabulary v = Vocabulary::kMethod2011);

struct ChangeParams {
  // Section: a class change of this many levels or more is 明显 (UNCONFIRMED; memory of the 2011 method).
  int section_marked_levels = 2;
  // River/basin by proportion: on ΔG − ΔD (percentage points; ΔG change of the Ⅰ–Ⅲ share, ΔD of the 劣Ⅴ
  // share): |Δ| ≤ 10 无明显变化, 10 < |Δ| ≤ 20 有所, > 20 明显 (UNCONFIRMED — the spec says "do not
  // hard-code": these are parameters, the defaults are the most common reading).
  int64_t river_slight_points = 10, river_marked_points = 20;
};
Change section_change(WaterClass previous, WaterClass current, const ChangeParams& p);
// Mean-method rivers change like a section (by class); proportion-method rivers by ΔG − ΔD. A river whose
// method differs between the periods is compared by proportion.
std::optional<Change> river_change(const RiverAssessment& previous, const RiverAssessment& current,
                                   const ChangeParams& p);

// 集中式饮用水水源地: one sampling of a source, judged elsewhere (GB 3838 Ⅲ + Table 2 for surface sources,
// GB/T 14848 Ⅲ for groundwater) and weighted by the water taken in the period it stands for.
struct SourceSample {
  std::string source;
  bool compliant = false;
  Rational volume{0, 1};  // 取水量, e.g. 万吨
};
struct SourceCompliance {
  std::string source;  // "" for the city total
  int64_t samples = 0, compliant_samples = 0;
  Rational volume{0, 1}, compliant_volume{0, 1};
  std::optional<Decimal> sample_rate_percent;  // 达标率 by samples, 1 decimal
  std::optional<Decimal> volume_rate_percent;  // 达标水量/总水量, 1 decimal
};
// Per source (in order of first appearance), then the city total last.
std::vector<SourceCompliance> source_compliance(std::span<const SourceSample> samples);

// GB 3838-2002 Table 2 (集中式生活饮用水地表水源地补充项目): 硫酸盐 250, 氯化物 250, 硝酸盐(以N) 10, 铁 0.3,
// 锰 0.1 mg/L (single source; UNCONFIRMED second reading).
enum class SupplementaryItem : uint8_t { kSulfate, kChloride, kNitrate, kFe, kMn };
std::optional<SupplementaryItem> supplementary_by_name(std::string_view name);
std::string_view supplementary_key(SupplementaryItem i);
Rational supplementary_limit(SupplementaryItem i);

}  // namespace ecomon::water
