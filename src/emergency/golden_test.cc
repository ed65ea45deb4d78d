// Runs the golden cases tests/cases/warning_rules.csv and tests/cases/emergency_lists.csv (hand-worked).
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "emergency/list_check.h"
#include "emergency/warning.h"
#include "testing/csv_cases.h"

namespace ecomon::emergency {
namespace {

using testing::CaseRow;
using testing::read_cases;

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::map<std::string, std::string> overrides(const std::string& s) {
  std::map<std::string, std::string> out;
  std::istringstream in(s);
  for (std::string kv; std::getline(in, kv, ';');) {
    const size_t eq = kv.find('=');
    if (eq != std::string::npos) out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return out;
}

WarningRules rules_of(const CaseRow& row) {
  WarningRules r;
  for (const auto& [k, v] : overrides(row.get("rules"))) {
    Status s = set_rule(r, k, v);
    EXPECT_TRUE(s.ok()) << row.where() << ": " << s.message();
  }
  return r;
}

std::string day_or_empty(const std::optional<CivilDay>& d) { return d ? d->to_string() : ""; }

TEST(EmergencyGolden, WarningRules) {
  int n = 0;
  for (const CaseRow& row : read_cases("warning_rules.csv")) {
    ++n;
    SCOPED_TRACE(row.where() + " " + row.get("case"));
    const CivilDay start = *CivilDay::parse(row.get("start"));
    std::vector<ForecastDay> f;
    for (const std::string& w : words(row.get("forecast")))
      f.push_back({start + static_cast<int>(f.size()), std::stoi(w)});
    const WarningRules rules = rules_of(row);
    StatusOr<LevelDecision> d = decide_level(f, rules);
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_EQ(level_name(d->level), row.get("level"));
    EXPECT_EQ(day_or_empty(d->first), row.get("first"));
    EXPECT_EQ(day_or_empty(d->last), row.get("last"));
    const Advice a = advise(*parse_level(row.get("in_force")), *d, f, rules);
    EXPECT_EQ(advice_name(a.kind), row.get("advice")) << a.reason;
    EXPECT_EQ(level_name(a.level), row.get("advice_level"));
    EXPECT_EQ(day_or_empty(a.from), row.get("advice_from"));
  }
  EXPECT_GE(n, 20);
}

Emissions emissions_of(const std::string& text, const std::string& where) {
  Emissions e{};
  const std::vector<std::string> w = words(text);
  EXPECT_EQ(w.size(), 4U) << where;
  for (size_t i = 0; i < w.size() && i < e.size(); ++i) {
    std::optional<int64_t> g = parse_emission(w[i], EmissionUnit::kKgPerDay);
    EXPECT_TRUE(g.has_value()) << where << ": " << w[i];
    e[i] = g.value_or(0);
  }
  return e;
}

Measure measure_of(const std::string& text, const std::string& where) {
  Measure m;
  const size_t colon = text.find(':');
  std::string kind = text.substr(0, colon);
  m.emission = emissions_of(text.substr(colon + 1), where);
  if (kind.starts_with("cut")) {
    m.kind = MeasureKind::kCutProduction;
    m.cut_percent = std::stoi(kind.substr(3));
  } else if (kind.starts_with("stop-process=")) {
    m.kind = MeasureKind::kStopProcess;
    m.process = kind.substr(kind.find('=') + 1);
  } else {
    std::optional<MeasureKind> k = parse_measure(kind);
    EXPECT_TRUE(k.has_value()) << where << ": measure " << kind;
    m.kind = k.value_or(MeasureKind::kNone);
  }
  return m;
}

std::string share_text(const std::optional<Decimal>& d) { return d ? d->to_string() : "-"; }

TEST(EmergencyGolden, ListArithmetic) {
  const std::vector<CaseRow> rows = read_cases("emergency_lists.csv");
  std::map<std::string, ReductionList> lists;
  for (const CaseRow& row : rows) {
    if (row.get("kind") != "line") continue;
    ReductionList& list = lists[row.get("case")];
    const std::string id = row.get("enterprise");
    if (list.enterprises.empty() || list.enterprises.back().id != id) {
      Enterprise e{.id = id, .name = id + " 企业", .county = "城区", .industry = "测试"};
      e.grade = *parse_grade(row.get("grade"));
      e.guarantee = row.get("guarantee") == "Y";
      list.enterprises.push_back(e);
    }
    Line l{.id = row.get("line"), .name = row.get("line"), .process = "主工序"};
    l.baseline = emissions_of(row.get("baseline"), row.where());
    l.measures = {measure_of(row.get("yellow"), row.where()), measure_of(row.get("orange"), row.where()),
                  measure_of(row.get("red"), row.where())};
    list.enterprises.back().lines.push_back(l);
  }
  for (const auto& [name, list] : lists)
    for (const Enterprise& e : list.enterprises)
      EXPECT_TRUE(validate_enterprise(e, {}).ok())
          << name << " " << e.id << ": " << validate_enterprise(e, {}).message();

  int expects = 0;
  for (const CaseRow& row : rows) {
    const std::string kind = row.get("kind");
    if (kind == "line") continue;
    SCOPED_TRACE(row.where());
    ListCheckParams params;
    for (const auto& [k, v] : overrides(row.get("params"))) {
      if (k == "include_guarantee") {
        params.include_guarantee = v == "1";
      } else if (k == "required") {
        std::istringstream in(v);
        std::string part;
        for (size_t i = 0; i < params.required_percent.size() && std::getline(in, part, '/'); ++i)
          params.required_percent[i] = std::stoi(part);
      }
    }
    ASSERT_TRUE(lists.contains(row.get("case")));
    const ListCheck c = check_list(lists[row.get("case")], params);
    const LevelCheck& lc = c.levels[level_index(*parse_level(row.get("level")))];
    if (kind == "expect") {
      ++expects;
      const PollutantShare* s = nullptr;
      for (const PollutantShare& x : lc.pollutants)
        if (pollutant_name(x.pollutant) == row.get("pollutant")) s = &x;
      ASSERT_NE(s, nullptr);
      EXPECT_EQ(kg_per_day(s->baseline), kg_per_day(*parse_milli(row.get("baseline"))));
      EXPECT_EQ(kg_per_day(s->at_level), kg_per_day(*parse_milli(row.get("value"))));
      EXPECT_EQ(s->share_percent ? s->share_percent->to_string() : "", row.get("share"));
      EXPECT_EQ(s->reached ? "Y" : "N", row.get("reached"));
    } else if (kind == "carriers") {
      std::string got;
      for (const Carrier& k : lc.carriers) got += (got.empty() ? "" : " ") + k.enterprise;
      EXPECT_EQ(got, row.get("value"));
    } else if (kind == "share") {
      const Carrier* k = nullptr;
      for (const Carrier& x : lc.carriers)
        if (x.enterprise == row.get("enterprise")) k = &x;
      ASSERT_NE(k, nullptr);
      std::string got;
      for (const auto& s : k->share_of_reduction) got += (got.empty() ? "" : " ") + share_text(s);
      EXPECT_EQ(got, row.get("value"));
    } else {
      ADD_FAILURE() << "unknown kind " << kind;
    }
  }
  EXPECT_GE(expects, 20);
}

}  // namespace
}  // namespace ecomon::emergency
