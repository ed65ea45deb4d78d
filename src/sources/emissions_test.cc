// Emission totals from HJ 212 records, worked by hand: a day of hourly uploads with flow and concentration,
// the -Cou path, unit conversions, what is not counted, and the sums up the registry.
#include "sources/emissions.h"

#include <gtest/gtest.h>

#include "sources/test_registry.h"

namespace ecomon::sources {
namespace {

using test_support::at;

PollutantValue val(const std::string& code, std::optional<Decimal> avg, DataFlag flag = DataFlag::kNormal,
                   std::optional<Decimal> cou = std::nullopt) {
  PollutantValue v{.code = code, .avg = avg, .flag = flag};
  v.cou = cou;
  return v;
}
MonitoringRecord hour(const std::string& mn, const std::string& time, std::vector<PollutantValue> values) {
  return MonitoringRecord{
      .mn = mn, .kind = DataKind::kHourly, .data_time = at(time), .values = std::move(values)};
}
const PollutantLoad& of(const DeviceLoads& d, const std::string& code) {
  for (const PollutantLoad& p : d.pollutants) {
    if (p.pollutant == code) return p;
  }
  throw std::runtime_error("no " + code);
}

const TimeSpan kDay{at("2025-03-09 00:00"), at("2025-03-10 00:00")};

// A day of hourly uploads of a gas outlet: flow a00000 = 10 m3/s (HJ 212's unit), SO2 20 mg/m3, NOx 50 mg/m3,
// hour 23's SO2 flagged D (a fault: missing).
//   SO2: 20 mg/m3 × 10 m3/s × 3600 s = 720,000 mg = 0.72 kg per hour; 23 hours = 16.56 kg; 23 of 24 hours
//        covered = 95.833..%.
//   NOx: 50 × 10 × 3600 = 1,800,000 mg = 1.8 kg per hour; 24 hours = 43.2 kg, 100 %.
TEST(Emissions, ADayOfHourlyUploadsWithFlowAndConcentration) {
  const Device d = test_support::gas_device(test_support::kMnG);
  std::vector<MonitoringRecord> recs;
  for (int h = 0; h < 24; ++h) {
    const std::string t = "2025-03-09 " + std::string(h < 10 ? "0" : "") + std::to_string(h) + ":00";
    recs.push_back(hour(d.mn, t,
                        {val("a00000", Decimal{100, 1}),
                         val("a21026", Decimal{20, 0}, h == 23 ? DataFlag::kFault : DataFlag::kNormal),
                         val("a21002", Decimal{500, 1})}));
  }
  recs.push_back(recs[5]);                                         // a repeat: counted once
  recs.push_back(hour(d.mn, "2025-03-10 00:00", recs[0].values));  // the next day: outside
  auto loads = device_loads(d, OutletKind::kGas, kDay, recs, {});
  ASSERT_TRUE(loads.ok()) << loads.status().message();
  const PollutantLoad& so2 = of(*loads, "a21026");
  EXPECT_EQ(round_text(so2.kg, 3), "16.560");
  EXPECT_EQ(so2.intervals_flow, 23);
  EXPECT_EQ(so2.intervals_missing, 1);
  EXPECT_EQ(so2.covered_seconds, 23 * 3600);
  EXPECT_EQ(so2.period_seconds, 24 * 3600);
  EXPECT_EQ(round_text(*so2.completeness_percent(), 1), "95.8");
  EXPECT_EQ(so2.method(), LoadMethod::kConcentrationFlow);
  EXPECT_EQ(round_text(of(*loads, "a21002").kg, 3), "43.200");
  // a34013 has no value in any record: 24 missing intervals, no load; a19001 (%, O2) has no load at all.
  EXPECT_EQ(of(*loads, "a34013").intervals_missing, 24);
  EXPECT_EQ(of(*loads, "a34013").method(), LoadMethod::kNone);
  EXPECT_EQ(loads->pollutants.size(), 3u);
}

// The -Cou path: a water outlet whose COD carries the hour's emission in kg (Cou 1.25 for 23 hours: 28.75
// kg); the 24th hour has no Cou but 40 mg/L at 5 L/s: 40 × 1000 mg/m3 × 0.005 m3/s × 3600 s = 720,000 mg =
// 0.72 kg. 28.75 + 0.72 = 29.47 kg, both methods: mixed.
TEST(Emissions, CumulativeValuesFirstThenConcentrationTimesFlow) {
  const Device d = test_support::water_device();
  std::vector<MonitoringRecord> recs;
  for (int h = 0; h < 24; ++h) {
    const std::string t = "2025-03-09 " + std::string(h < 10 ? "0" : "") + std::to_string(h) + ":00";
    recs.push_back(hour(d.mn, t,
                        {val("w00000", Decimal{5, 0}),
                         h < 23 ? val("w01018", Decimal{99, 0}, DataFlag::kNormal, Decimal{125, 2})
                                : val("w01018", Decimal{40, 0})}));
  }
  auto loads = device_loads(d, OutletKind::kWater, kDay, recs, {});
  ASSERT_TRUE(loads.ok());
  const PollutantLoad& cod = of(*loads, "w01018");
  EXPECT_EQ(round_text(cod.kg, 3), "29.470");
  EXPECT_EQ(cod.intervals_cou, 23);
  EXPECT_EQ(cod.intervals_flow, 1);
  EXPECT_EQ(cod.method(), LoadMethod::kMixed);
  EXPECT_EQ(load_method_name(cod.method()), "累计值与浓度×流量");
}

// The registry's flow unit is used: 36,000 m3/h is 10 m3/s, so one hour of SO2 at 20 mg/m3 is 0.72 kg again.
// A stop period of 12 hours leaves 12 expected hours; the 12 records inside it are not counted.
TEST(Emissions, FlowUnitsAndStopPeriods) {
  Device d = test_support::gas_device(test_support::kMnG);
  d.pollutants.push_back({.code = "a00000", .unit = "m3/h", .rated = false});
  d.stops.push_back({.span = {at("2025-03-09 12:00"), at("2025-03-10 00:00")}, .reason = "检修"});
  std::vector<MonitoringRecord> recs;
  for (int h = 0; h < 24; ++h) {
    const std::string t = "2025-03-09 " + std::string(h < 10 ? "0" : "") + std::to_string(h) + ":00";
    recs.push_back(hour(d.mn, t, {val("a00000", Decimal{36000, 0}), val("a21026", Decimal{20, 0})}));
  }
  auto loads = device_loads(d, OutletKind::kGas, kDay, recs, {});
  ASSERT_TRUE(loads.ok());
  const PollutantLoad& so2 = of(*loads, "a21026");
  EXPECT_EQ(round_text(so2.kg, 3), "8.640");  // 12 × 0.72
  EXPECT_EQ(so2.period_seconds, 12 * 3600);
  EXPECT_EQ(round_text(*so2.completeness_percent(), 1), "100.0");
}

// Day-loads: three days of hourly uploads of a gas outlet (flow 10 m3/s, SO2 20 mg/m3: 0.72 kg an hour) with
// a stop period from 2025-03-09 12:00 to 2025-03-10 00:00, summed from their days equal the period's loads:
//   03-08: 24 × 0.72 = 17.28 kg;  03-09: 12 hours in service × 0.72 = 8.64 kg (the 12 inside the stop not
//   counted);  03-10: hour 0 by its -Cou 1.5 kg, hour 5 flagged D (missing), 22 × 0.72 = 15.84: 17.34 kg.
//   Sum 43.26 kg; 58 intervals by flow, 1 by -Cou, 1 missing; covered 59 h of the 72 − 12 = 60 expected: 98.3
//   %.
// An upload arriving late for 03-08 (hour 7 held back): recomputing that day alone and replacing its
// day-loads gives the same sum as computing the three days at once.
TEST(Emissions, DayLoadsSumToThePeriodsLoads) {
  Device d = test_support::gas_device(test_support::kMnG);
  d.stops.push_back({.span = {at("2025-03-09 12:00"), at("2025-03-10 00:00")}, .reason = "检修"});
  std::vector<MonitoringRecord> recs, late;
  for (const char* day : {"2025-03-08", "2025-03-09", "2025-03-10", "2025-03-11"}) {
    for (int h = 0; h < 24; ++h) {
      const std::string t = std::string(day) + " " + (h < 10 ? "0" : "") + std::to_string(h) + ":00";
      const bool d10 = std::string(day) == "2025-03-10";
      PollutantValue so2 = val("a21026", Decimal{20, 0}, d10 && h == 5 ? DataFlag::kFault : DataFlag::kNormal,
                               d10 && h == 0 ? std::optional<Decimal>(Decimal{15, 1}) : std::nullopt);
      MonitoringRecord r = hour(d.mn, t, {val("a00000", Decimal{10, 0}), so2, val("a21002", Decimal{50, 0})});
      (std::string(day) == "2025-03-08" && h == 7 ? late : recs).push_back(std::move(r));
    }
  }
  const DayRange days{CivilDay::from_ymd(2025, 3, 8), CivilDay::from_ymd(2025, 3, 10)};
  const TimeSpan span{SourceTime::of(days.first), SourceTime::of(days.last + 1)};
  std::vector<MonitoringRecord> all = recs;
  all.push_back(late[0]);
  auto whole = device_loads(d, OutletKind::kGas, span, all, {});
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  // Kept before the late upload, then its day recomputed and replaced.
  auto kept = device_day_loads(d, OutletKind::kGas, days, recs, {});
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  std::vector<MonitoringRecord> day8;
  for (const MonitoringRecord& r : all)
    if (r.data_time.day() == days.first) day8.push_back(r);
  auto redone = device_day_loads(d, OutletKind::kGas, {days.first, days.first}, day8, {});
  ASSERT_TRUE(redone.ok());
  std::erase_if(*kept, [&](const DayLoad& x) { return x.day == days.first; });
  kept->insert(kept->end(), redone->begin(), redone->end());
  for (const DayLoad& x : *kept) {
    EXPECT_EQ(x.load.period_seconds, 0);
    if (x.day == days.first + 1 && x.load.pollutant == "a21026") {
      EXPECT_EQ(round_text(x.load.kg, 3), "8.640");
    }
  }
  const DeviceLoads summed = loads_from_days(d, OutletKind::kGas, days, DataKind::kHourly, *kept);
  ASSERT_EQ(summed.pollutants.size(), whole->pollutants.size());
  for (size_t i = 0; i < summed.pollutants.size(); ++i) {
    const PollutantLoad &a = summed.pollutants[i], &b = whole->pollutants[i];
    EXPECT_EQ(a.pollutant, b.pollutant);
    EXPECT_NEAR(a.kg, b.kg, 1e-9 * std::max(1.0, b.kg));
    EXPECT_EQ(a.intervals_cou, b.intervals_cou);
    EXPECT_EQ(a.intervals_flow, b.intervals_flow);
    EXPECT_EQ(a.intervals_missing, b.intervals_missing);
    EXPECT_EQ(a.covered_seconds, b.covered_seconds);
    EXPECT_EQ(a.period_seconds, b.period_seconds);
  }
  const PollutantLoad& so2 = of(summed, "a21026");
  EXPECT_EQ(round_text(so2.kg, 3), "43.260");
  EXPECT_EQ(so2.intervals_flow, 58);
  EXPECT_EQ(so2.intervals_cou, 1);
  EXPECT_EQ(so2.intervals_missing, 1);
  EXPECT_EQ(so2.covered_seconds, 59 * 3600);
  EXPECT_EQ(so2.period_seconds, 60 * 3600);
  EXPECT_EQ(round_text(*so2.completeness_percent(), 1), "98.3");
  // Another device's, another kind's or another day's day-loads are not summed; a device without any day-load
  // has its pollutants with nothing covered over the expected seconds.
  std::vector<DayLoad> other = *kept;
  for (DayLoad& x : other) x.mn = "OTHER";
  const DeviceLoads none = loads_from_days(d, OutletKind::kGas, days, DataKind::kHourly, other);
  EXPECT_EQ(of(none, "a21026").kg, 0.0);
  EXPECT_EQ(of(none, "a21026").period_seconds, 60 * 3600);
  EXPECT_EQ(of(none, "a21026").method(), LoadMethod::kNone);
  EXPECT_EQ(of(loads_from_days(d, OutletKind::kGas, days, DataKind::kMinute, *kept), "a21026").kg, 0.0);
}

TEST(Emissions, Units) {
  EXPECT_EQ(concentration_factor("mg/L"), 1000.0);
  EXPECT_EQ(concentration_factor("毫克/立方米"), 1.0);
  EXPECT_EQ(concentration_factor("μg/m³"), 1e-3);
  EXPECT_EQ(concentration_factor("无量纲"), std::nullopt);
  EXPECT_EQ(flow_factor("L/s"), 0.001);
  EXPECT_EQ(flow_factor("m3/d"), 1.0 / 86400);
  EXPECT_EQ(flow_factor("kg"), std::nullopt);
  EXPECT_EQ(cumulative_factor("ug/L"), 1e-3);
  EXPECT_EQ(cumulative_factor("%"), std::nullopt);
  EXPECT_EQ(change_percent(98, 100), -2.0);
  EXPECT_EQ(change_percent(1, 0), std::nullopt);
  EXPECT_EQ(round_text(1.2345, 3), "1.234");  // half to even at the tie
  EXPECT_EQ(round_text(1.2355, 3), "1.236");
  EXPECT_EQ(round_text(-2.05, 1), "-2.0");
}

// Up the registry: G and S (both E1's outlet G1, 泽州县, 火电) and W (E2, 城区, 污水处理).
TEST(Emissions, TotalsPerOutletEnterpriseCountyIndustry) {
  const SourceRegistry reg = test_support::test_registry();
  auto load = [](const std::string& mn, const std::string& outlet, const std::string& code, double kg) {
    PollutantLoad p;
    p.pollutant = code;
    p.kg = kg;
    p.intervals_flow = 1;
    p.covered_seconds = 3600;
    p.period_seconds = 7200;
    return DeviceLoads{mn, outlet, {p}, 0};
  };
  std::vector<DeviceLoads> devices = {load(std::string(test_support::kMnG), "G1", "a21026", 1.5),
                                      load(std::string(test_support::kMnS), "G1", "a21026", 2.25),
                                      load(std::string(test_support::kMnW), "W1", "w01018", 4),
                                      load("UNKNOWN", "X9", "a21026", 100)};
  EmissionTotals t = emission_totals(reg, devices);
  ASSERT_EQ(t.outlets.size(), 2u);
  EXPECT_EQ(t.outlets[0].key, "G1");
  EXPECT_EQ(t.outlets[0].devices, 2);
  EXPECT_EQ(t.outlets[0].pollutants.at("a21026").kg, 3.75);
  EXPECT_EQ(t.outlets[0].pollutants.at("a21026").period_seconds, 14400);
  ASSERT_EQ(t.counties.size(), 2u);
  EXPECT_EQ(t.counties[0].key, "城区");
  EXPECT_EQ(t.counties[1].pollutants.at("a21026").kg, 3.75);
  EXPECT_EQ(t.industries[0].key, "污水处理");
  EXPECT_EQ(t.enterprises[0].name, "晋城某电厂");
  EXPECT_EQ(t.total.devices, 3);  // the device outside the registry is skipped
  EXPECT_EQ(t.total.pollutants.at("a21026").kg, 3.75);
}

}  // namespace
}  // namespace ecomon::sources
