// Compliance from hourly monitoring records, hand-worked (loads = concentration x flow per hour).
#include "emergency/compliance.h"

#include <gtest/gtest.h>

#include "emergency/test_list.h"

namespace ecomon::emergency {
namespace {

using sources::DataFlag;

sources::MonitoringRecord hour(int h, double flow, double so2, double nox, double pm,
                               DataFlag flag = DataFlag::kNormal) {
  sources::MonitoringRecord r;
  r.mn = "010000A8900016F000169DC0";
  r.kind = sources::DataKind::kHourly;
  r.data_time = sources::SourceTime::of(CivilDay::from_ymd(2020, 12, 1), h);
  auto dec = [](double v) { return Decimal{static_cast<int64_t>(v * 10), 1}; };
  r.values.push_back({.code = "a00000", .avg = dec(flow), .flag = flag});
  r.values.push_back({.code = "a21026", .avg = dec(so2), .flag = flag});
  r.values.push_back({.code = "a21002", .avg = dec(nox), .flag = flag});
  r.values.push_back({.code = "a34013", .avg = dec(pm), .flag = flag});
  return r;
}

// Baseline: 4 hours at flow 100, SO2 20, NOx 40, PM 10 -> loads 2000, 4000, 1000 per hour.
std::vector<sources::MonitoringRecord> baseline() {
  std::vector<sources::MonitoringRecord> b;
  for (int h = 0; h < 4; ++h) b.push_back(hour(h, 100, 20, 40, 10));
  return b;
}

ComplianceResult run(const std::vector<sources::MonitoringRecord>& warning, ComplianceParams p = {}) {
  return check_compliance(test::coke_b(), WarningLevel::kOrange, {{"mn", baseline(), warning}}, {},
                          "2020-12-01 00:00", "2020-12-03 00:00", p);
}

TEST(EmergencyCompliance, CuttingAsRequired) {
  // Orange requires 50 % (cut 50 %: 100 -> 50 kg/d SO2). Warning: flow 60, SO2 15 -> load 900 vs 2000: 55 %
  // cut; NOx 30*60 = 1800 vs 4000: 55 %; PM 8*60 = 480 vs 1000: 52 %.
  std::vector<sources::MonitoringRecord> w;
  for (int h = 10; h < 14; ++h) w.push_back(hour(h, 60, 15, 30, 8));
  const ComplianceResult r = run(w);
  EXPECT_EQ(r.verdict, Verdict::kCompliant) << r.reason;
  EXPECT_DOUBLE_EQ(*r.pollutants[0].required_percent, 50.0);
  EXPECT_NEAR(*r.pollutants[0].achieved_percent, 55.0, 1e-9);
  EXPECT_NEAR(*r.pollutants[1].achieved_percent, 55.0, 1e-9);
  EXPECT_NEAR(*r.pollutants[2].achieved_percent, 52.0, 1e-9);
  EXPECT_FALSE(r.pollutants[3].monitored);  // no VOCs device
  EXPECT_DOUBLE_EQ(r.baseline.flow, 100.0);
  EXPECT_DOUBLE_EQ(r.warning.flow, 60.0);
  EXPECT_NEAR(*r.warning.concentration[0], 15.0, 1e-9);
  EXPECT_EQ(r.warning.valid_hours, 4);
}

TEST(EmergencyCompliance, NotCuttingIsFlagged) {
  // Flow 95, SO2 19 -> 1805 vs 2000: 9.75 % < 50.
  std::vector<sources::MonitoringRecord> w;
  for (int h = 10; h < 14; ++h) w.push_back(hour(h, 95, 19, 20, 5));
  const ComplianceResult r = run(w);
  EXPECT_EQ(r.verdict, Verdict::kNotCutting);
  EXPECT_NEAR(*r.pollutants[0].achieved_percent, 9.75, 1e-9);
  EXPECT_TRUE(r.pollutants[0].short_of_required);
  // NOx 20*95 = 1900 vs 4000: 52.5 % is enough; PM 5*95 = 475 vs 1000: 52.5 %.
  EXPECT_FALSE(r.pollutants[1].short_of_required);
  EXPECT_EQ(r.reason, "SO2 load cut 9.8 % < required 50.0 %");
  // A tolerance of 41 points would let 9.75 + 41 = 50.75 >= 50 pass.
  EXPECT_EQ(run(w, {.tolerance_points = 41}).verdict, Verdict::kCompliant);
}

TEST(EmergencyCompliance, StoppedHoursCountAsZeroAndFaultsAreNotUsed) {
  // Two hours stopped (F: load 0), one faulty hour (D: ignored), one hour at the baseline:
  // mean load SO2 = (0 + 0 + 2000) / 3 = 666.67 -> cut 66.67 % >= 50.
  std::vector<sources::MonitoringRecord> w = {
      hour(10, 0, 0, 0, 0, DataFlag::kStopped), hour(11, 0, 0, 0, 0, DataFlag::kStopped),
      hour(12, 100, 20, 40, 10, DataFlag::kFault), hour(13, 100, 20, 40, 10)};
  const ComplianceResult r = run(w);
  EXPECT_EQ(r.warning.valid_hours, 3);
  EXPECT_EQ(r.warning.invalid_hours, 1);
  EXPECT_NEAR(*r.pollutants[0].achieved_percent, 100.0 * 2 / 3, 1e-9);
  EXPECT_EQ(r.verdict, Verdict::kCompliant);
}

TEST(EmergencyCompliance, NoWarningDataIsNoVerdict) {
  const ComplianceResult r = run({});
  EXPECT_TRUE(r.monitored);
  EXPECT_EQ(r.verdict, Verdict::kNoData);
}

TEST(EmergencyCompliance, UnmonitoredJudgedByInspections) {
  const Enterprise e = test::coke_b();
  std::vector<Inspection> ins = {{"JC001", "2020-11-30 10:00", "zhao", false, "before the warning"},
                                 {"JC001", "2020-12-01 10:00", "zhao", false, "焦炉未限产"},
                                 {"JC001", "2020-12-02 09:00", "qian", true, "已限产"},
                                 {"JC002", "2020-12-02 10:00", "qian", false, "other enterprise"}};
  ComplianceResult r =
      check_compliance(e, WarningLevel::kOrange, {}, ins, "2020-12-01 00:00", "2020-12-03 00:00", {});
  EXPECT_FALSE(r.monitored);
  EXPECT_EQ(r.verdict, Verdict::kInspectedOk);  // the latest inspection in the warning decides
  EXPECT_EQ(r.inspection->inspector, "qian");
  r = check_compliance(e, WarningLevel::kOrange, {}, ins, "2020-12-01 00:00", "2020-12-02 00:00", {});
  EXPECT_EQ(r.verdict, Verdict::kInspectedNot);
  r = check_compliance(e, WarningLevel::kOrange, {}, ins, "2020-12-05 00:00", "", {});
  EXPECT_EQ(r.verdict, Verdict::kNotInspected);
}

}  // namespace
}  // namespace ecomon::emergency
