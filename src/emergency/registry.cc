#include "emergency/registry.h"

#include <algorithm>
#include <limits>

#include "core/decimal.h"

namespace ecomon::emergency {
namespace {

constexpr int64_t kGramsPerKg = 1000;
constexpr int64_t kKgPerTonne = 1000;
// Largest emission a line may state: 1,000,000 t/d is far beyond any plant and keeps sums far from overflow.
constexpr int64_t kMaxGramsPerDay = int64_t{1'000'000} * kKgPerTonne * kGramsPerKg;
constexpr int kMaxPercent = 100;

std::string where(const Enterprise& e, const Line* l, WarningLevel level) {
  std::string w = "enterprise " + e.id;
  if (l) w += " line " + l->id;
  if (level != WarningLevel::kNone) w += " " + std::string(level_name(level));
  return w;
}

}  // namespace

std::string_view pollutant_name(Pollutant p) {
  switch (p) {
    case Pollutant::kSO2:
      return "SO2";
    case Pollutant::kNOx:
      return "NOx";
    case Pollutant::kPM:
      return "PM";
    case Pollutant::kVOCs:
      return "VOCs";
  }
  return "?";
}

Emissions operator+(const Emissions& a, const Emissions& b) {
  Emissions r{};
  for (size_t i = 0; i < r.size(); ++i) r[i] = a[i] + b[i];
  return r;
}

Emissions operator-(const Emissions& a, const Emissions& b) {
  Emissions r{};
  for (size_t i = 0; i < r.size(); ++i) r[i] = a[i] - b[i];
  return r;
}

std::string kg_per_day(int64_t grams_per_day) { return Decimal{grams_per_day, 3}.to_string(); }

std::optional<EmissionUnit> parse_emission_unit(std::string_view s) {
  if (s == "t/d") return EmissionUnit::kTonnesPerDay;
  if (s == "kg/d") return EmissionUnit::kKgPerDay;
  return std::nullopt;
}

std::optional<int64_t> parse_emission(std::string_view text, EmissionUnit unit) {
  // kg/d with 3 decimals is grams exactly; t/d with 3 decimals is kilograms, i.e. 1000 g each.
  std::optional<int64_t> thousandths = parse_milli(text);
  if (!thousandths || *thousandths < 0) return std::nullopt;
  const int64_t factor = unit == EmissionUnit::kTonnesPerDay ? kKgPerTonne : 1;
  if (*thousandths > kMaxGramsPerDay / factor) return std::nullopt;
  return *thousandths * factor;
}

std::string_view level_name(WarningLevel l) {
  switch (l) {
    case WarningLevel::kNone:
      return "none";
    case WarningLevel::kYellow:
      return "yellow";
    case WarningLevel::kOrange:
      return "orange";
    case WarningLevel::kRed:
      return "red";
  }
  return "none";
}

std::string_view level_name_zh(WarningLevel l) {
  switch (l) {
    case WarningLevel::kNone:
      return "无";
    case WarningLevel::kYellow:
      return "黄色";
    case WarningLevel::kOrange:
      return "橙色";
    case WarningLevel::kRed:
      return "红色";
  }
  return "无";
}

std::optional<WarningLevel> parse_level(std::string_view s) {
  for (WarningLevel l :
       {WarningLevel::kNone, WarningLevel::kYellow, WarningLevel::kOrange, WarningLevel::kRed})
    if (s == level_name(l) || s == level_name_zh(l)) return l;
  return std::nullopt;
}

std::string_view grade_name(Grade g) {
  switch (g) {
    case Grade::kA:
      return "A";
    case Grade::kB:
      return "B";
    case Grade::kC:
      return "C";
    case Grade::kD:
      return "D";
    case Grade::kLeading:
      return "引领性";
    case Grade::kNonLeading:
      return "非引领性";
    case Grade::kUngraded:
      return "未分级";
  }
  return "未分级";
}

std::optional<Grade> parse_grade(std::string_view s) {
  for (Grade g :
       {Grade::kA, Grade::kB, Grade::kC, Grade::kD, Grade::kLeading, Grade::kNonLeading, Grade::kUngraded})
    if (s == grade_name(g)) return g;
  return std::nullopt;
}

std::string_view measure_name(MeasureKind k) {
  switch (k) {
    case MeasureKind::kNone:
      return "none";
    case MeasureKind::kStop:
      return "stop";
    case MeasureKind::kCutProduction:
      return "cut";
    case MeasureKind::kStopProcess:
      return "stop-process";
    case MeasureKind::kVoluntary:
      return "voluntary";
  }
  return "none";
}

std::string_view measure_name_zh(MeasureKind k) {
  switch (k) {
    case MeasureKind::kNone:
      return "无措施";
    case MeasureKind::kStop:
      return "停产";
    case MeasureKind::kCutProduction:
      return "限产";
    case MeasureKind::kStopProcess:
      return "停止工序";
    case MeasureKind::kVoluntary:
      return "自主减排";
  }
  return "无措施";
}

std::optional<MeasureKind> parse_measure(std::string_view s) {
  for (MeasureKind k : {MeasureKind::kNone, MeasureKind::kStop, MeasureKind::kCutProduction,
                        MeasureKind::kStopProcess, MeasureKind::kVoluntary})
    if (s == measure_name(k) || s == measure_name_zh(k)) return k;
  return std::nullopt;
}

Emissions Enterprise::baseline() const {
  Emissions sum{};
  for (const Line& l : lines) sum = sum + l.baseline;
  return sum;
}

Emissions Enterprise::emission_at(WarningLevel level) const {
  if (level == WarningLevel::kNone) return baseline();
  Emissions sum{};
  for (const Line& l : lines) sum = sum + l.measures[level_index(level)].emission;
  return sum;
}

Status validate_enterprise(const Enterprise& e, const ListRules& rules) {
  if (e.id.empty()) return invalid_argument("enterprise: id is empty");
  if (e.name.empty()) return invalid_argument(where(e, nullptr, WarningLevel::kNone) + ": name is empty");
  if (e.county.empty()) return invalid_argument(where(e, nullptr, WarningLevel::kNone) + ": county is empty");
  if (e.lines.empty())
    return invalid_argument(where(e, nullptr, WarningLevel::kNone) + ": has no production line");
  std::set<std::string> ids;
  for (const Line& l : e.lines) {
    if (l.id.empty()) return invalid_argument(where(e, nullptr, WarningLevel::kNone) + ": a line has no id");
    if (!ids.insert(l.id).second)
      return invalid_argument(where(e, &l, WarningLevel::kNone) + ": line id repeated");
    for (Pollutant p : kPollutants) {
      if (at(l.baseline, p) < 0 || at(l.baseline, p) > kMaxGramsPerDay)
        return invalid_argument(where(e, &l, WarningLevel::kNone) + ": " + std::string(pollutant_name(p)) +
                                " baseline out of range");
    }
    const Emissions* looser = &l.baseline;
    for (WarningLevel level : kLevels) {
      const Measure& m = l.measures[level_index(level)];
      const std::string w = where(e, &l, level);
      if (m.kind == MeasureKind::kCutProduction && (m.cut_percent < 1 || m.cut_percent > kMaxPercent))
        return invalid_argument(w + ": cut percent must be 1..100, got " + std::to_string(m.cut_percent));
      if (m.kind != MeasureKind::kCutProduction && m.cut_percent != 0)
        return invalid_argument(w + ": cut percent given for a measure that is not a production cut");
      if (m.kind == MeasureKind::kStopProcess && m.process.empty())
        return invalid_argument(w + ": stop-process names no process");
      if (m.kind == MeasureKind::kVoluntary && !rules.voluntary_grades.contains(e.grade))
        return invalid_argument(w + ": grade " + std::string(grade_name(e.grade)) +
                                " may not take voluntary measures");
      for (Pollutant p : kPollutants) {
        const std::string name(pollutant_name(p));
        const int64_t v = at(m.emission, p);
        if (v < 0) return invalid_argument(w + ": " + name + " emission is negative");
        if (v > at(l.baseline, p))
          return invalid_argument(w + ": " + name + " emission " + kg_per_day(v) +
                                  " kg/d exceeds the baseline " + kg_per_day(at(l.baseline, p)));
        if (m.kind == MeasureKind::kStop && rules.stop_emits_nothing && v != 0)
          return invalid_argument(w + ": " + name + " emission must be 0 when the line stops");
        if (rules.require_tightening && v > at(*looser, p))
          return invalid_argument(w + ": " + name + " emission " + kg_per_day(v) +
                                  " kg/d is above the lower level's " + kg_per_day(at(*looser, p)));
      }
      looser = &m.emission;
    }
    const Measure& red = l.measures[level_index(WarningLevel::kRed)];
    if (rules.require_measure_at_red && !e.guarantee && red.kind == MeasureKind::kNone &&
        !rules.voluntary_grades.contains(e.grade))
      return invalid_argument(where(e, &l, WarningLevel::kRed) + ": grade " +
                              std::string(grade_name(e.grade)) + " names no measure at red");
  }
  return Status::ok_status();
}

const Enterprise* ReductionList::find(std::string_view id) const {
  auto it = std::lower_bound(enterprises.begin(), enterprises.end(), id,
                             [](const Enterprise& e, std::string_view k) { return e.id < k; });
  return it != enterprises.end() && it->id == id ? &*it : nullptr;
}

}  // namespace ecomon::emergency
