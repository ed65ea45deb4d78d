#include "emergency/list_check.h"

#include <algorithm>
#include <sstream>
#include <tuple>

namespace ecomon::emergency {
namespace {

constexpr int64_t kPercent = 100;
constexpr int kShareDigits = 2;

bool counts(const Enterprise& e, const ListCheckParams& p) { return p.include_guarantee || !e.guarantee; }

Decimal percent_of(int64_t part, int64_t whole) {
  return round_half_even(Rational{part * kPercent, whole}, kShareDigits);
}

LevelCheck check_level(const ReductionList& list, WarningLevel level, const ListCheckParams& params) {
  LevelCheck c;
  c.level = level;
  c.required_percent = params.required_percent[level_index(level)];
  Emissions base{}, after{};
  for (const Enterprise& e : list.enterprises) {
    if (!counts(e, params)) continue;
    base = base + e.baseline();
    after = after + e.emission_at(level);
  }
  c.all_reached = true;
  for (Pollutant p : kPollutants) {
    PollutantShare& s = c.pollutants[static_cast<size_t>(p)];
    s.pollutant = p;
    s.baseline = at(base, p);
    s.at_level = at(after, p);
    s.reduction = s.baseline - s.at_level;
    if (s.baseline > 0) {
      s.share = Rational{s.reduction, s.baseline};
      s.share_percent = percent_of(s.reduction, s.baseline);
    }
    s.reached = s.reduction * kPercent >= int64_t{c.required_percent} * s.baseline;
    c.all_reached = c.all_reached && s.reached;
  }
  std::vector<std::pair<double, Carrier>> ranked;
  for (const Enterprise& e : list.enterprises) {
    if (!counts(e, params)) continue;
    const Emissions red = e.baseline() - e.emission_at(level);
    if (std::all_of(red.begin(), red.end(), [](int64_t v) { return v == 0; })) continue;
    Carrier k{e.id, e.name, e.county, e.grade, e.guarantee, red, {}};
    // Rank by the sum of the entry's shares of each pollutant's reduction (only the order depends on it).
    double weight = 0;
    for (Pollutant p : kPollutants) {
      const int64_t total = c.pollutants[static_cast<size_t>(p)].reduction;
      if (total <= 0) continue;
      k.share_of_reduction[static_cast<size_t>(p)] = percent_of(at(red, p), total);
      weight += static_cast<double>(at(red, p)) / static_cast<double>(total);
    }
    ranked.emplace_back(weight, std::move(k));
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return a.second.enterprise < b.second.enterprise;
  });
  for (auto& r : ranked) c.carriers.push_back(std::move(r.second));
  return c;
}

// "停产", "限产30%", "停止烧结工序", "无措施".
std::string measure_words(const Measure& m) {
  switch (m.kind) {
    case MeasureKind::kCutProduction:
      return "限产" + std::to_string(m.cut_percent) + "%";
    case MeasureKind::kStopProcess:
      return "停止" + m.process + "工序";
    default:
      return std::string(measure_name_zh(m.kind));
  }
}

// Seed 003: a 未分级 entry (not 保障类) stops or takes its strictest (red) production cut at every level.
void check_ungraded(const Enterprise& e, std::vector<RuleFinding>& out) {
  if (e.grade != Grade::kUngraded || e.guarantee) return;
  for (const Line& l : e.lines) {
    const Measure& red = l.measures[level_index(WarningLevel::kRed)];
    auto finding = [&](WarningLevel level, const std::string& what) {
      out.push_back({"ungraded-strictest", e.id, e.name, e.county, l.id, level,
                     "未分级企业" + e.id + "（" + e.name + "）生产线" + l.id + " " +
                         std::string(level_name_zh(level)) + "预警：" + what});
    };
    const bool strict = red.kind == MeasureKind::kStop || red.kind == MeasureKind::kCutProduction ||
                        red.kind == MeasureKind::kStopProcess;
    if (!strict) {
      finding(WarningLevel::kRed, measure_words(red) + "，应停产或限产");
      continue;
    }
    for (WarningLevel level : {WarningLevel::kYellow, WarningLevel::kOrange}) {
      const Measure& m = l.measures[level_index(level)];
      for (Pollutant p : kPollutants) {
        if (at(m.emission, p) <= at(red.emission, p)) continue;
        finding(level,
                measure_words(m) + "，应停产或采取最严级别限产（红色预警：" + measure_words(red) + "）");
        break;
      }
    }
  }
}

ReductionList sorted(ReductionList l) {
  std::sort(l.enterprises.begin(), l.enterprises.end(),
            [](const Enterprise& a, const Enterprise& b) { return a.id < b.id; });
  return l;
}

}  // namespace

ListCheck check_list(const ReductionList& list, const ListCheckParams& params) {
  ListCheck c;
  for (const Enterprise& e : list.enterprises) {
    if (e.guarantee) ++c.guarantee_entries;
    if (!counts(e, params)) continue;
    ++c.enterprises;
    c.lines += static_cast<int>(e.lines.size());
  }
  for (WarningLevel l : kLevels) c.levels[level_index(l)] = check_level(list, l, params);
  if (params.ungraded_strictest) {
    for (const Enterprise& e : list.enterprises) check_ungraded(e, c.findings);
  }
  return c;
}

StatusOr<ReductionList> with_grade(const ReductionList& list, const std::string& id, Grade grade,
                                   const ListRules& rules, const WhatIfParams& params) {
  if (params.voluntary_assumed_cut_percent < 0 || params.voluntary_assumed_cut_percent > kPercent)
    return invalid_argument("what-if: voluntary assumed cut must be 0..100 %");
  ReductionList out = list;
  auto it = std::find_if(out.enterprises.begin(), out.enterprises.end(),
                         [&](const Enterprise& e) { return e.id == id; });
  if (it == out.enterprises.end()) return not_found("what-if: enterprise " + id + " is not on the list");
  it->grade = grade;
  if (rules.voluntary_grades.contains(grade)) {
    for (Line& l : it->lines) {
      for (Measure& m : l.measures) {
        m = Measure{};
        m.kind = MeasureKind::kVoluntary;
        m.note =
            "what-if: voluntary, assumed cut " + std::to_string(params.voluntary_assumed_cut_percent) + " %";
        for (Pollutant p : kPollutants)
          at(m.emission, p) =
              at(l.baseline, p) - at(l.baseline, p) * params.voluntary_assumed_cut_percent / kPercent;
      }
    }
  }
  if (Status s = validate_enterprise(*it, rules); !s.ok())
    return s.with_context("what-if grade " + std::string(grade_name(grade)) +
                          " (give the entry's new measures as an added enterprise)");
  return out;
}

StatusOr<ReductionList> with_added(const ReductionList& list, const std::vector<Enterprise>& added,
                                   const ListRules& rules) {
  ReductionList out = list;
  for (const Enterprise& e : added) {
    ECOMON_RETURN_IF_ERROR(validate_enterprise(e, rules).with_context("what-if added"));
    auto it = std::find_if(out.enterprises.begin(), out.enterprises.end(),
                           [&](const Enterprise& x) { return x.id == e.id; });
    if (it != out.enterprises.end()) {
      *it = e;
    } else {
      out.enterprises.push_back(e);
    }
  }
  return sorted(std::move(out));
}

std::vector<RosterEntry> roster(const ReductionList& list, WarningLevel level, const std::string& from,
                                const std::string& county) {
  std::vector<RosterEntry> out;
  if (level == WarningLevel::kNone) return out;
  for (const Enterprise& e : list.enterprises) {
    if (!county.empty() && e.county != county) continue;
    for (const Line& l : e.lines) {
      const Measure& m = l.measures[level_index(level)];
      out.push_back({e.county, e.id, e.name, e.grade, e.guarantee, l.id, l.name, l.process, m, from,
                     l.baseline - m.emission});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const RosterEntry& a, const RosterEntry& b) {
    return std::tie(a.county, a.enterprise, a.line) < std::tie(b.county, b.enterprise, b.line);
  });
  return out;
}

StatusOr<ReductionList> apply_what_if(const ReductionList& list, const WhatIf& w, const ListRules& rules) {
  ReductionList out = list;
  if (!w.added.empty()) {
    auto a = with_added(out, w.added, rules);
    if (!a.ok()) return a.status();
    out = std::move(*a);
  }
  for (const auto& [id, grade] : w.grades) {
    auto g = with_grade(out, id, grade, rules, w.params);
    if (!g.ok()) return g.status();
    out = std::move(*g);
  }
  return out;
}

StatusOr<std::pair<std::string, Grade>> parse_grade_change(const std::string& text) {
  const size_t eq = text.find('=');
  std::optional<Grade> grade = eq == std::string::npos ? std::nullopt : parse_grade(text.substr(eq + 1));
  if (!grade || eq == 0)
    return invalid_argument("what-if grade '" + text + "' is not ID=GRADE (A B C D 引领性 非引领性 未分级)");
  return std::pair<std::string, Grade>{text.substr(0, eq), *grade};
}

StatusOr<std::array<int, kLevelCount>> parse_required_percent(const std::string& text) {
  int y = 0, o = 0, r = 0;
  char s1 = 0, s2 = 0;
  std::istringstream in(text);
  constexpr int kMax = 100;
  if (!(in >> y >> s1 >> o >> s2 >> r) || s1 != '/' || s2 != '/' || !in.eof() || y < 0 || o < 0 || r < 0 ||
      y > kMax || o > kMax || r > kMax)
    return invalid_argument("required shares '" + text + "' are not yellow/orange/red percentages 0..100");
  return std::array<int, kLevelCount>{y, o, r};
}

}  // namespace ecomon::emergency
