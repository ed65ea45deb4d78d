#include "demo/quality_demo.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <span>
#include <string_view>

#include "core/time.h"
#include "demo/demo_archive.h"
#include "demo/demo_io.h"
#include "demo/demo_random.h"

namespace ecomon::demo {
namespace {

using internal::fixed;
using internal::Rng;
using internal::Stream;

// One random substream per file family, so that a change to one family leaves the others' numbers alone.
enum class Substream : uint64_t { kWater = 0, kWells = 1, kSources = 2, kNoise = 3, kRain = 4 };

// ---- surface water: seed 002 annex 1 ----

struct SectionSpec {
  std::string_view name, county;
  std::string_view target;  // "" = 完成省定目标 (the class is a demo assumption, kProvincialTargets)
  std::string_view level, river, body;
};
// Order, names, counties, targets and levels as in the annex; rivers and bodies are demo assumptions.
constexpr SectionSpec kSections[] = {
    {"赵庄", "高平市", "", "国考", "丹河", "river"},
    {"牛村", "高平市", "", "国考", "丹河", "river"},
    {"青天河", "泽州县", "", "国考", "丹河", "river"},
    {"后寨", "泽州县", "", "国考", "丹河", "river"},
    {"张峰水库出口", "沁水县", "", "国考", "沁河", "river"},
    {"润城", "阳城县", "", "国考", "沁河", "river"},
    {"拴驴泉", "泽州县", "", "国考", "沁河", "river"},
    {"尉迟", "沁水县", "", "省考", "沁河", "river"},
    {"白水河", "城区", "", "省考", "丹河", "river"},
    {"洞头", "城区", "Ⅴ", "市考", "白水河", "river"},
    {"金匠桥", "城区", "Ⅴ", "市考", "白水河", "river"},
    {"寺底南桥", "开发区", "Ⅴ", "市考", "白水河", "river"},
    {"东焦河水库出口", "泽州县", "Ⅲ", "市考", "东焦河", "river"},
    {"黑龙潭", "泽州县", "Ⅲ", "市考", "丹河", "river"},
    {"北焦庄", "泽州县", "Ⅳ", "市考", "巴公河", "river"},
    {"背荫村", "泽州县", "Ⅴ", "市考", "北石店河", "river"},
    {"高平河西", "高平市", "Ⅴ", "市考", "东仓河", "river"},
    {"九女湖", "阳城县", "Ⅲ", "市考", "九女湖", "lake"},
    {"芦苇河", "阳城县", "Ⅲ", "市考", "芦苇河", "river"},
    {"台北村", "陵川县", "Ⅳ", "市考", "武家湾河", "river"},
    {"桥西村", "陵川县", "Ⅳ", "市考", "廖东河", "river"},
    {"郑庄", "沁水县", "Ⅲ", "市考", "沁河", "river"},
};

struct NamedClass {
  std::string_view name, cls;
};
// Demo classes for 完成省定目标: Ⅱ for the reservoir outlet and the two border sections, else Ⅲ.
constexpr NamedClass kProvincialTargets[] = {{"张峰水库出口", "Ⅱ"}, {"拴驴泉", "Ⅱ"}, {"青天河", "Ⅱ"}};
constexpr std::string_view kDefaultProvincialTarget = "Ⅲ";

struct NamedStress {
  std::string_view name;
  int stress;  // 0 meets its target comfortably (not listed), 1 near the limit, 2 often over
};
constexpr NamedStress kStress[] = {{"后寨", 1},     {"白水河", 2}, {"洞头", 1},     {"金匠桥", 2},
                                   {"寺底南桥", 1}, {"北焦庄", 1}, {"高平河西", 2}, {"背荫村", 1}};
// Sections whose stress drops by one from the second year on (visible as 好转 in the year-on-year change).
constexpr std::string_view kImproving[] = {"白水河", "高平河西"};

// Typical level of the items for a section at its target class, as a factor on the class-Ⅲ-ish base values.
double target_factor(std::string_view target) {
  if (target == "Ⅱ") return 0.45;
  if (target == "Ⅳ") return 1.25;
  if (target == "Ⅴ") return 1.7;
  return 0.8;  // Ⅲ
}

std::string_view target_of(const SectionSpec& s) {
  if (!s.target.empty()) return s.target;
  for (const NamedClass& p : kProvincialTargets) {
    if (p.name == s.name) return p.cls;
  }
  return kDefaultProvincialTarget;
}

int stress_of(std::string_view name, bool later_year) {
  int stress = 0;
  for (const NamedStress& s : kStress) {
    if (s.name == name) stress = s.stress;
  }
  if (later_year && std::find(std::begin(kImproving), std::end(kImproving), name) != std::end(kImproving))
    --stress;
  return std::max(stress, 0);
}

// ---- groundwater, drinking water, noise ----

struct Well {
  std::string_view name, county;
};
constexpr Well kWells[] = {{"J01", "城区"},   {"J02", "城区"},   {"J03", "泽州县"}, {"J04", "泽州县"},
                           {"J05", "高平市"}, {"J06", "高平市"}, {"J07", "阳城县"}, {"J08", "陵川县"},
                           {"J09", "沁水县"}, {"J10", "开发区"}};

// An item drawn uniformly in [lo, hi] and written with `decimals` decimals.
struct Drawn {
  std::string_view key;
  double lo, hi;
  int decimals;
  std::string_view unit;
};
constexpr Drawn kWellIndicators[] = {
    {"pH", 7.0, 8.3, 2, ""},
    {"total_hardness", 180, 520, 0, "mg/L"},
    {"tds", 280, 900, 0, "mg/L"},
    {"sulfate", 40, 300, 0, "mg/L"},
    {"chloride", 10, 120, 0, "mg/L"},
    {"Fe", 0.02, 0.35, 2, "mg/L"},
    {"Mn", 0.005, 0.12, 3, "mg/L"},
    {"CODMn", 0.4, 2.8, 1, "mg/L"},
    {"NH3_N", 0.01, 0.6, 2, "mg/L"},
    {"nitrate", 1, 24, 1, "mg/L"},
    {"nitrite", 0.001, 0.05, 3, "mg/L"},
    {"fluoride", 0.2, 1.3, 2, "mg/L"},
};
// Not detected at every well; total coliforms mostly below the detection limit.
constexpr std::string_view kColiformDraws[] = {"<2", "<2", "<2", "5", "23"};

struct Source {
  std::string_view name, county, kind;
};
constexpr Source kSources[] = {{"演示市一水厂水源地", "城区", "ground"},
                               {"张峰水库水源地", "沁水县", "surface"},
                               {"郭壁水源地", "沁水县", "ground"}};
constexpr Drawn kSurfaceSourceItems[] = {
    {"pH", 7.4, 8.2, 2, ""},         {"DO", 6.5, 10, 1, "mg/L"},    {"CODMn", 1.5, 3.6, 1, "mg/L"},
    {"NH3_N", 0.05, 0.4, 2, "mg/L"}, {"TP", 0.01, 0.06, 3, "mg/L"}, {"sulfate", 60, 180, 0, "mg/L"},
};
constexpr Drawn kGroundSourceItems[] = {
    {"pH", 7.2, 8.0, 2, ""},       {"total_hardness", 200, 440, 0, "mg/L"}, {"NH3_N", 0.02, 0.3, 2, "mg/L"},
    {"nitrate", 2, 12, 1, "mg/L"}, {"fluoride", 0.3, 0.9, 2, "mg/L"},
};
// The first year's incidents: TP over the lake/reservoir class Ⅲ limit (0.05) at the surface source in July;
// total hardness over GB/T 14848 class Ⅲ (450) at 郭壁 in March and April.
constexpr std::string_view kIncidentTpSource = "张峰水库水源地", kIncidentTp = "0.062";
constexpr int kIncidentTpMonth = 7;
constexpr std::string_view kIncidentHardnessSource = "郭壁水源地", kIncidentHardness = "468";
constexpr int kIncidentHardnessMonths[] = {3, 4};

struct ZonePoint {
  std::string_view name, zone;
  int day_limit, night_limit;  // GB 3096-2008 Table 1, dB(A)
};
constexpr ZonePoint kZonePoints[] = {
    {"功能区1-文教区", "1", 55, 45},   {"功能区1-居住区", "1", 55, 45}, {"功能区2-商业区", "2", 60, 50},
    {"功能区2-混合区", "2", 60, 50},   {"功能区3-工业园", "3", 65, 55}, {"功能区4a-泽州路", "4a", 70, 55},
    {"功能区4a-凤台街", "4a", 70, 55}, {"功能区0-疗养院", "0", 50, 40},
};
constexpr int kGridPoints = 20;
struct Road {
  std::string_view name, length_km;
};
constexpr Road kRoads[] = {{"泽州路", "4.2"}, {"凤台街", "3.1"}, {"太行路", "5.6"},
                           {"红星街", "2.4"}, {"中原街", "3.8"}, {"书院街", "1.9"}};
constexpr int kZoneMonths[] = {2, 5, 8, 11};  // functional-zone points: quarterly, on the 15th
constexpr int kZoneDay = 15;
constexpr int kSurveyMonth = 6, kGridDay = 10, kRoadDay = 12;  // regional grid and roads: once a year

constexpr std::string_view kRainSite = "演示市监测站";
constexpr int kRainMinGap = 3, kRainMaxGap = 9, kRainLastDayMargin = 5;

// ---- text ----

class Csv {
 public:
  explicit Csv(std::string_view header) { line({header}); }
  void row(std::initializer_list<std::string_view> fields) {
    line(fields);
    ++rows_;
  }
  const std::string& text() const { return text_; }
  int64_t rows() const { return rows_; }

 private:
  void line(std::initializer_list<std::string_view> fields) {
    bool first = true;
    for (std::string_view f : fields) {
      if (!first) text_.push_back(',');
      text_.append(f);
      first = false;
    }
    text_.push_back('\n');
  }
  std::string text_;
  int64_t rows_ = 0;
};

std::string month_text(int year, int month) {
  return std::to_string(year) + (month < 10 ? "-0" : "-") + std::to_string(month);
}
std::string day_text(int year, int month, int day) {
  return CivilDay::from_ymd(year, month, day).to_string();
}

// A multiplicative jitter around 1 with spread s, never below 0.02.
double jitter(Rng& rng, double s) {
  constexpr double kFloor = 0.02;
  return std::max(kFloor, 1.0 + s * rng.normal());
}

Status validate(const QualityDemoOptions& o) {
  const auto range = std::to_string(o.first_year) + ".." + std::to_string(o.last_year);
  if (o.first_year < kDemoMinYear || o.last_year > kDemoMaxYear || o.last_year < o.first_year ||
      o.last_year - o.first_year + 1 > kDemoMaxYears) {
    return invalid_argument("quality demo years " + range + ": need " + std::to_string(kDemoMinYear) + ".." +
                            std::to_string(kDemoMaxYear) + ", first <= last, at most " +
                            std::to_string(kDemoMaxYears) + " years");
  }
  return Status::ok_status();
}

// ---- the files ----

void write_water(const QualityDemoOptions& o, Csv& sections, Csv& values) {
  Rng rng(o.seed, Stream::kQuality, static_cast<uint64_t>(Substream::kWater));
  constexpr int kSummerFirst = 6, kSummerLast = 8;
  constexpr double kSummerFactor = 1.25, kStressStep = 0.25, kLakeTpShare = 0.25;
  for (const SectionSpec& s : kSections) {
    const std::string_view target = target_of(s);
    sections.row({s.name, s.river, s.county, s.body, target, s.level});
    for (int y = o.first_year; y <= o.last_year; ++y) {
      const int stress = stress_of(s.name, y > o.first_year);
      const double f = target_factor(target) * (1.0 + kStressStep * stress);
      for (int m = 1; m <= 12; ++m) {
        const std::string month = month_text(y, m);
        const double summer = (m >= kSummerFirst && m <= kSummerLast) ? kSummerFactor : 1.0;
        const std::string ph = fixed(rng.uniform(7.3, 8.4), 2);
        const std::string dox = fixed(std::max(2.1, 10.5 - 3.2 * f * summer * jitter(rng, 0.1)), 1);
        const std::string codmn = fixed(3.5 * f * summer * jitter(rng, 0.18), 1);
        const std::string cod = fixed(13.5 * f * summer * jitter(rng, 0.18), 0);
        const std::string nh3n = fixed(0.55 * f * jitter(rng, 0.3), 3);
        double tp = 0.105 * f * summer * jitter(rng, 0.25);
        if (s.body == "lake")
          tp *= kLakeTpShare;  // lake/reservoir TP limits are a quarter to a half of rivers'
        values.row({s.name, month, "pH", ph, ""});
        values.row({s.name, month, "DO", dox, "mg/L"});
        values.row({s.name, month, "CODMn", codmn, "mg/L"});
        values.row({s.name, month, "COD", cod, "mg/L"});
        values.row({s.name, month, "NH3_N", nh3n, "mg/L"});
        values.row({s.name, month, "TP", fixed(tp, 3), "mg/L"});
      }
    }
  }
}

void write_wells(const QualityDemoOptions& o, Csv& wells, Csv& values) {
  Rng rng(o.seed, Stream::kQuality, static_cast<uint64_t>(Substream::kWells));
  constexpr int kSamplingMonth = 5, kSamplingDay = 15;
  for (size_t i = 0; i < std::size(kWells); ++i) {
    wells.row({kWells[i].name, kWells[i].county, i % 2 == 1 ? "潜水" : "承压水"});
  }
  for (int y = o.first_year; y <= o.last_year; ++y) {
    const std::string day = day_text(y, kSamplingMonth, kSamplingDay);
    for (const Well& w : kWells) {
      for (const Drawn& d : kWellIndicators)
        values.row({w.name, day, d.key, fixed(rng.uniform(d.lo, d.hi), d.decimals), d.unit});
      values.row({w.name, day, "As", "<0.001", "mg/L"});
      values.row({w.name, day, "Hg", "<0.0001", "mg/L"});
      const int k = rng.uniform_int(0, static_cast<int32_t>(std::size(kColiformDraws)) - 1);
      values.row({w.name, day, "total_coliforms", kColiformDraws[k], "MPN/100mL"});
    }
  }
}

void write_sources(const QualityDemoOptions& o, Csv& sources, Csv& samples) {
  Rng rng(o.seed, Stream::kQuality, static_cast<uint64_t>(Substream::kSources));
  for (const Source& s : kSources) sources.row({s.name, s.county, s.kind});
  for (int y = o.first_year; y <= o.last_year; ++y) {
    const bool first_year = y == o.first_year;
    for (int m = 1; m <= 12; ++m) {
      const std::string month = month_text(y, m);
      for (const Source& s : kSources) {
        const std::string volume = fixed(rng.uniform(80, 160), 1);  // 取水量, 万吨 a month
        const bool surface = s.kind == "surface";
        for (const Drawn& d : surface ? std::span<const Drawn>(kSurfaceSourceItems)
                                      : std::span<const Drawn>(kGroundSourceItems)) {
          std::string value = fixed(rng.uniform(d.lo, d.hi), d.decimals);
          if (first_year && s.name == kIncidentTpSource && m == kIncidentTpMonth && d.key == "TP") {
            value = kIncidentTp;
          }
          if (first_year && s.name == kIncidentHardnessSource && d.key == "total_hardness" &&
              std::find(std::begin(kIncidentHardnessMonths), std::end(kIncidentHardnessMonths), m) !=
                  std::end(kIncidentHardnessMonths)) {
            value = kIncidentHardness;
          }
          samples.row({s.name, month, volume, d.key, value, d.unit});
        }
      }
    }
  }
}

void write_noise(const QualityDemoOptions& o, Csv& points, Csv& values) {
  Rng rng(o.seed, Stream::kQuality, static_cast<uint64_t>(Substream::kNoise));
  auto grid_name = [](int i) { return std::string(i < 10 ? "网格0" : "网格") + std::to_string(i); };
  auto road_name = [](const Road& r) { return "道路-" + std::string(r.name); };
  for (const ZonePoint& z : kZonePoints) points.row({z.name, "zone", z.zone, ""});
  for (int i = 1; i <= kGridPoints; ++i) points.row({grid_name(i), "regional", "", ""});
  for (const Road& r : kRoads) points.row({road_name(r), "road", "", r.length_km});
  for (int y = o.first_year; y <= o.last_year; ++y) {
    for (int month : kZoneMonths) {
      const std::string day = day_text(y, month, kZoneDay);
      for (const ZonePoint& z : kZonePoints) {
        values.row({z.name, day, "day", fixed(z.day_limit + rng.uniform(-6, 2.5), 1), ""});
        const std::string night = fixed(z.night_limit + rng.uniform(-5, 6), 1);
        values.row({z.name, day, "night", night, fixed(z.night_limit + rng.uniform(5, 20), 1)});
      }
    }
    const std::string grid_day = day_text(y, kSurveyMonth, kGridDay);
    for (int i = 1; i <= kGridPoints; ++i) {
      values.row({grid_name(i), grid_day, "day", fixed(rng.uniform(48, 62), 1), ""});
      values.row({grid_name(i), grid_day, "night", fixed(rng.uniform(38, 50), 1), ""});
    }
    const std::string road_day = day_text(y, kSurveyMonth, kRoadDay);
    for (const Road& r : kRoads) {
      values.row({road_name(r), road_day, "day", fixed(rng.uniform(66, 72), 1), ""});
      values.row({road_name(r), road_day, "night", fixed(rng.uniform(55, 63), 1), ""});
    }
  }
}

void write_rain(const QualityDemoOptions& o, Csv& samples) {
  Rng rng(o.seed, Stream::kQuality, static_cast<uint64_t>(Substream::kRain));
  constexpr double kFirstYearMeanPh = 5.9, kLaterMeanPh = 6.1, kPhSpread = 0.55, kLowestPh = 4.2,
                   kHighestPh = 7.6;
  for (int y = o.first_year; y <= o.last_year; ++y) {
    const CivilDay jan1 = CivilDay::from_ymd(y, 1, 1);
    const double mean = y == o.first_year ? kFirstYearMeanPh : kLaterMeanPh;
    for (int day = rng.uniform_int(kRainMinGap, kRainMaxGap); day <= days_in_year(y) - kRainLastDayMargin;
         day += rng.uniform_int(kRainMinGap, kRainMaxGap)) {
      const double ph = std::clamp(mean + kPhSpread * rng.normal(), kLowestPh, kHighestPh);
      const std::string rainfall = fixed(rng.uniform(0.8, 35), 1);
      samples.row({kRainSite, (jan1 + (day - 1)).to_string(), fixed(ph, 2), rainfall});
    }
  }
}

}  // namespace

StatusOr<QualityDemoInfo> write_quality_demo(const QualityDemoOptions& options,
                                             const std::filesystem::path& dir) {
  ECOMON_RETURN_IF_ERROR(validate(options));
  Csv sections("section,river,county,body,target,level"), water_values("section,month,item,value,unit");
  Csv sources("source,county,kind"), source_samples("source,month,volume,item,value,unit");
  Csv wells("well,county,type"), well_values("well,date,indicator,value,unit");
  Csv noise_points("point,kind,zone,length_km"), noise_values("point,date,part,leq,lmax");
  Csv rain("site,date,ph,rainfall_mm");
  write_water(options, sections, water_values);
  write_sources(options, sources, source_samples);
  write_wells(options, wells, well_values);
  write_noise(options, noise_points, noise_values);
  write_rain(options, rain);

  ECOMON_RETURN_IF_ERROR(internal::make_directory(dir));
  QualityDemoInfo info;
  info.dir = dir;
  struct Out {
    std::string_view kind, file;
    const Csv& csv;
  };
  const Out outs[] = {
      {"water", "water_sections.csv", sections},   {"water", "water_values.csv", water_values},
      {"water", "drinking_sources.csv", sources},  {"water", "drinking_samples.csv", source_samples},
      {"groundwater", "wells.csv", wells},         {"groundwater", "well_values.csv", well_values},
      {"noise", "noise_points.csv", noise_points}, {"noise", "noise_values.csv", noise_values},
      {"rain", "rain_samples.csv", rain},
  };
  for (const Out& out : outs) {
    const std::filesystem::path path = dir / out.file;
    ECOMON_RETURN_IF_ERROR(internal::write_file(path, out.csv.text()));
    info.files.push_back({std::string(out.kind), path, out.csv.rows()});
  }
  info.sections = static_cast<int>(sections.rows());
  info.wells = static_cast<int>(wells.rows());
  info.sources = static_cast<int>(sources.rows());
  info.noise_points = static_cast<int>(noise_points.rows());
  info.rain_samples = static_cast<int>(rain.rows());
  return info;
}

}  // namespace ecomon::demo
