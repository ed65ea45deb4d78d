// The power-use rules at their edges, worked by hand: a production line P (running at >= 50 kW) and the
// treatment line T (running at >= 10 kW) that serves it, minute readings; a stop order's start and end; a
// required cut against the week before; a closed site's daily energy.
#include "power/power_rules.h"

#include <gtest/gtest.h>

namespace ecomon::power {
namespace {

SourceTime at(const std::string& text) { return SourceTime::parse(text).value(); }
std::string text(SourceTime t) {
  const CivilDay d = t.day();
  const int64_t s = t.seconds - SourceTime::of(d).seconds;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02lld:%02lld", d.to_string().c_str(), static_cast<long long>(s / 3600),
                static_cast<long long>(s % 3600 / 60));
  return buf;
}

std::vector<MeteredLine> lines(int64_t interval = 60) {
  return {{"E01/P1", "E01", "1#生产线", LineRole::kProduction, Decimal{50, 0}, {}, interval},
          {"E01/T1", "E01", "1#除尘器", LineRole::kTreatment, Decimal{10, 0}, {"E01/P1"}, interval}};
}

// Minute readings from `from` for `minutes`, each the value kw(i) returns (nullopt: no reading).
std::vector<Reading> minutes(const std::string& from, int count,
                             const std::function<std::optional<Decimal>(int)>& kw, int64_t step = 60) {
  std::vector<Reading> out;
  for (int i = 0; i < count; ++i) {
    if (auto v = kw(i)) out.push_back({SourceTime::of_seconds(at(from).seconds + i * step), *v});
  }
  return out;
}

TEST(PowerRules, TreatmentOffWhileProductionRunsAtTheThresholdsAndDurations) {
  // 08:00..08:59, P at 100 kW throughout; T at 20 kW except:
  //   08:05..08:19 at 5 kW: 15 readings = 15 min, exactly the minimum -> an event [08:05, 08:20);
  //   08:25 at 10.000 kW: at the threshold, running -> nothing;
  //   08:30..08:43 at 9.999 kW: 14 min, one short of the minimum -> nothing;
  //   08:50..08:59 at 0 kW: 10 min, still going at the last reading but too short -> nothing.
  Readings r;
  r["E01/P1"] = minutes("2025-12-03 08:00", 60, [](int) { return Decimal{100, 0}; });
  r["E01/T1"] = minutes("2025-12-03 08:00", 60, [](int i) -> std::optional<Decimal> {
    if (i >= 5 && i <= 19) return Decimal{5, 0};
    if (i == 25) return Decimal{10000, 3};
    if (i >= 30 && i <= 43) return Decimal{9999, 3};
    if (i >= 50) return Decimal{0, 0};
    return Decimal{20, 0};
  });
  auto events = treatment_not_running(lines(), r, {});
  ASSERT_TRUE(events.ok()) << events.status().message();
  ASSERT_EQ(events->size(), 1u);
  const PowerEvent& e = (*events)[0];
  EXPECT_EQ(e.rule, "treatment_not_running");
  EXPECT_EQ(e.line, "E01/P1");
  EXPECT_EQ(e.related, "E01/T1");
  EXPECT_EQ(text(e.opened), "2025-12-03 08:05");
  EXPECT_EQ(text(*e.closed), "2025-12-03 08:20");
  EXPECT_EQ(e.readings, 15);
  // A shorter minimum catches the 14-minute dip (closed at 08:44) and the last run (still open).
  auto more = treatment_not_running(lines(), r, {.min_seconds = 10 * 60});
  ASSERT_EQ(more->size(), 3u);
  EXPECT_EQ(text(*(*more)[1].closed), "2025-12-03 08:44");
  EXPECT_FALSE((*more)[2].closed.has_value());
}

TEST(PowerRules, TreatmentRuleNeedsBothLinesAtTheSameTime) {
  // 09:00..09:39: T at 0 throughout. P runs 09:00..09:09 (10 min: too short), stops 09:10..09:14 (P 0: the
  // treatment may be off), runs again 09:15..09:39 (25 readings): an event from 09:15, open at the end.
  Readings r;
  r["E01/T1"] = minutes("2025-12-03 09:00", 40, [](int) { return Decimal{0, 0}; });
  r["E01/P1"] = minutes("2025-12-03 09:00", 40, [](int i) { return Decimal{i >= 10 && i < 15 ? 0 : 80, 0}; });
  auto events = treatment_not_running(lines(), r, {});
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(text((*events)[0].opened), "2025-12-03 09:15");
  EXPECT_FALSE((*events)[0].closed.has_value());
  EXPECT_EQ((*events)[0].readings, 25);
  // The treatment's 09:30 reading missing: a gap ends the run where 09:29's interval ends (09:15..09:29, 15
  // readings: an event closed at 09:30); 09:31..09:39 (9) is too short.
  r["E01/T1"].erase(r["E01/T1"].begin() + 30);
  events = treatment_not_running(lines(), r, {});
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(text(*(*events)[0].closed), "2025-12-03 09:30");
  EXPECT_EQ((*events)[0].readings, 15);
  // A treatment line serving what is not a production line is refused, naming both.
  auto bad = lines();
  bad[1].serves = {"E01/T1"};
  auto refused = treatment_not_running(bad, r, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "treatment line E01/T1 serves 'E01/T1', not a production line");
}

TEST(PowerRules, ProductionDuringAStopOrderAtItsStartAndEnd) {
  const std::vector<StopOrder> orders = {
      {"E01/P1", {at("2025-12-03 10:00"), at("2025-12-03 12:00")}, "橙色预警 停产"}};
  // 09:50..12:09: P at 80 kW until 10:14, 0 from 10:15 to 10:29, 80 again from 10:30.
  Readings r;
  r["E01/P1"] = minutes("2025-12-03 09:50", 140, [](int i) {
    return Decimal{i >= 25 && i < 40 ? 0 : 80, 0};
  });
  auto events = production_during_stop(lines(), r, orders, {});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  // The order's first 15 minutes, 10:00..10:14 (what ran before 10:00 is not in the order): an event.
  EXPECT_EQ(text((*events)[0].opened), "2025-12-03 10:00");
  EXPECT_EQ(text(*(*events)[0].closed), "2025-12-03 10:15");
  EXPECT_EQ((*events)[0].related, "橙色预警 停产");
  // 10:30..11:59 (90 readings), closed by the order's end although the line runs on.
  EXPECT_EQ(text((*events)[1].opened), "2025-12-03 10:30");
  EXPECT_EQ(text(*(*events)[1].closed), "2025-12-03 12:00");
  EXPECT_EQ((*events)[1].readings, 90);
  // A 15-minute grace (the line shutting down): the first run is inside it, only the second is an event.
  auto graced = production_during_stop(lines(), r, orders, {.grace_seconds = 15 * 60});
  ASSERT_EQ(graced->size(), 1u);
  EXPECT_EQ(text((*graced)[0].opened), "2025-12-03 10:30");
  // Readings that stop before the order ends leave the event open.
  r["E01/P1"].resize(100);  // the last reading 11:29
  auto open = production_during_stop(lines(), r, orders, {});
  EXPECT_FALSE((*open)[1].closed.has_value());
}

// Hourly readings: 168 (the week from 2025-12-01) at `before` kW, then 48 (from 2025-12-08) at `during` kW.
std::vector<Reading> week_then(int64_t before, int64_t during) {
  constexpr int64_t kHour = 3600;
  std::vector<Reading> r = minutes(
      "2025-12-01 00:00", 168,
      [&](int) {
        return Decimal{before, 0};
      },
      kHour);
  for (const Reading& x : minutes(
           "2025-12-08 00:00", 48,
           [&](int) {
             return Decimal{during, 0};
           },
           kHour))
    r.push_back(x);
  return r;
}

TEST(PowerRules, RequiredCutAgainstTheWeekBefore) {
  // Hourly readings. Baseline: the 7 days before 2025-12-08 00:00, 168 readings at 100 kW (16,800 kWh). The
  // warning: 48 h at 65 kW (3,120 kWh). Achieved cut = 1 - 65/100 = 35 %.
  MeteredLine p = lines(3600)[0];
  const std::vector<Reading> r = week_then(100, 65);
  const TimeSpan warning{at("2025-12-08 00:00"), at("2025-12-10 00:00")};
  CutCompliance c = cut_compliance(p, r, warning, 30, {});
  EXPECT_EQ(c.baseline.kwh, (Rational{16800, 1}));
  EXPECT_EQ(c.during.kwh, (Rational{3120, 1}));
  EXPECT_EQ(*c.baseline_kw, (Rational{100, 1}));
  EXPECT_EQ(*c.achieved_cut, (Rational{35, 100}));
  EXPECT_EQ(c.verdict, CutVerdict::kCutting);
  EXPECT_EQ(cut_compliance(p, r, warning, 35, {}).verdict,
            CutVerdict::kCutting);  // exactly the required share
  EXPECT_EQ(cut_compliance(p, r, warning, 36, {}).verdict, CutVerdict::kNotCutting);
  // Coverage: 36 of the warning's 48 readings is 75 % (judged on the mean of those present); 35 is not.
  std::vector<Reading> gaps(r.begin(), r.begin() + 168 + 36);
  EXPECT_EQ(cut_compliance(p, gaps, warning, 30, {}).verdict, CutVerdict::kCutting);
  gaps.pop_back();
  EXPECT_EQ(cut_compliance(p, gaps, warning, 30, {}).verdict, CutVerdict::kInsufficientData);
  // More power during the warning than before: a negative cut, not cutting.
  const std::vector<Reading> up = week_then(100, 110);
  CutCompliance u = cut_compliance(p, up, warning, 10, {});
  EXPECT_EQ(*u.achieved_cut, (Rational{-10, 100}));
  EXPECT_EQ(u.verdict, CutVerdict::kNotCutting);
}

TEST(PowerRules, ClosedSiteDrawingPower) {
  // Closed 2025-03-01 10:00: that day is not judged (100 kWh). 03-02 3 kWh and 03-03 5.0 (the limit: not
  // above) are fine; 03-04 5.1 and 03-05 80 are above: an event from 03-04, closed at 03-06 00:00 where the
  // figures stop for a day; 03-07 40 opens another, still open. A second figure for 03-04 (0) is ignored.
  const std::vector<ClosedSite> sites = {{"S1", "取缔的散乱污作坊", "M-001", at("2025-03-01 10:00")}};
  auto day = [](const char* d, Decimal kwh) { return DailyEnergy{"M-001", CivilDay::parse(d).value(), kwh}; };
  const std::vector<DailyEnergy> days = {
      day("2025-03-01", {100, 0}), day("2025-03-02", {3, 0}),
      day("2025-03-03", {50, 1}),  day("2025-03-04", {51, 1}),
      day("2025-03-04", {0, 0}),   day("2025-03-05", {80, 0}),
      day("2025-03-07", {40, 0}),  {"M-other", CivilDay::parse("2025-03-02").value(), {900, 0}}};
  auto events = sites_drawing_power(sites, days, {});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].rule, "site_drawing_power");
  EXPECT_EQ(events[0].enterprise, "S1");
  EXPECT_EQ(text(events[0].opened), "2025-03-04 00:00");
  EXPECT_EQ(text(*events[0].closed), "2025-03-06 00:00");
  EXPECT_EQ(events[0].readings, 2);
  EXPECT_EQ(text(events[1].opened), "2025-03-07 00:00");
  EXPECT_FALSE(events[1].closed.has_value());
}

}  // namespace
}  // namespace ecomon::power
