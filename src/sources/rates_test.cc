// Transmission rates: edge cases and parameters beyond the golden file (tests/cases/transmission_rates.csv).
#include <gtest/gtest.h>

#include "sources/rates.h"
#include "sources/test_registry.h"

namespace ecomon::sources {
namespace {

using test_support::at;

// A device watched over three hours 10:00..13:00, monitoring a21026 and a21002 (rated).
Device small_device() {
  Device d = test_support::gas_device(test_support::kMnG);
  d.pollutants = {{.code = "a21026", .unit = "mg/m3"}, {.code = "a21002", .unit = "mg/m3"}};
  return d;
}
const TimeSpan kThreeHours{at("2024-03-01 10:00"), at("2024-03-01 13:00")};

MonitoringRecord hourly(const std::string& time, DataFlag f1, DataFlag f2,
                        std::string mn = std::string(test_support::kMnG)) {
  MonitoringRecord r{.mn = std::move(mn), .kind = DataKind::kHourly, .data_time = at(time)};
  r.values = {{.code = "a21026", .avg = Decimal{1, 0}, .flag = f1},
              {.code = "a21002", .avg = Decimal{1, 0}, .flag = f2}};
  return r;
}

constexpr DataFlag N = DataFlag::kNormal;
constexpr DataFlag D = DataFlag::kFault;
constexpr DataFlag F = DataFlag::kStopped;

TEST(Rates, ExactProductVersusProductOfRoundedRates) {
  // 2 of 3 received (66.666..%), 1 of 2 valid (50 %): exact 1/3 = 33.33 %; 66.67 x 50.00 = 33.335 -> 33.34.
  const std::vector<MonitoringRecord> recs = {hourly("2024-03-01 10:00", N, N),
                                              hourly("2024-03-01 11:00", N, D)};
  RateParams p;
  TransmissionRate exact = device_transmission_rate(small_device(), kThreeHours, recs, p);
  EXPECT_EQ(exact.transmission_percent->to_string(), "66.67");
  EXPECT_EQ(exact.validity_percent->to_string(), "50.00");
  EXPECT_EQ(exact.effective, (Rational{1, 3}));
  EXPECT_EQ(exact.effective_percent->to_string(), "33.33");
  p.product = EffectiveProduct::kRoundedRates;
  TransmissionRate rounded = device_transmission_rate(small_device(), kThreeHours, recs, p);
  EXPECT_EQ(rounded.effective, (Rational{6667, 20000}));
  EXPECT_EQ(rounded.effective_percent->to_string(), "33.34");
  EXPECT_EQ(rounded.verdict, RateVerdict::kFail);
}

TEST(Rates, PerPollutantStopsOnlyTheFlaggedValue) {
  const std::vector<MonitoringRecord> recs = {
      hourly("2024-03-01 10:00", F, N), hourly("2024-03-01 11:00", N, N), hourly("2024-03-01 12:00", N, N)};
  RateParams p;
  TransmissionRate by_record = device_transmission_rate(small_device(), kThreeHours, recs, p);
  EXPECT_EQ(by_record.counts,
            (RateCounts{.slots = 3, .stopped = 1, .expected = 2, .received = 2, .valid = 2}));
  p.counting = CountingUnit::kPollutant;
  TransmissionRate by_value = device_transmission_rate(small_device(), kThreeHours, recs, p);
  EXPECT_EQ(by_value.counts,
            (RateCounts{.slots = 6, .stopped = 1, .expected = 5, .received = 5, .valid = 5}));
}

TEST(Rates, OtherDevicesKindsAndTimesAreNotCounted) {
  MonitoringRecord minute = hourly("2024-03-01 10:00", N, N);
  minute.kind = DataKind::kMinute;
  const std::vector<MonitoringRecord> recs = {
      hourly("2024-03-01 10:00", N, N, "010000A8900016F000169DC1"),  // another MN: not this device's
      minute,                                                        // another kind: not counted
      hourly("2024-03-01 13:00", N, N),                              // the period's end is exclusive
      hourly("2024-03-01 09:59:59", N, N),                           // before the period
      hourly("2024-03-01 11:30", N, D),                              // off the hour: still the 11:00 slot
  };
  TransmissionRate r = device_transmission_rate(small_device(), kThreeHours, recs, {});
  EXPECT_EQ(r.counts, (RateCounts{.slots = 3, .expected = 3, .received = 1, .valid = 0, .ignored = 2}));
  EXPECT_EQ(r.validity_percent->to_string(), "0.00");
}

TEST(Rates, SlotKeepsItsBestRecordAndFirstDuplicateWins) {
  // Same DataTime twice: the first one counts (the store keeps the first); a second record at another time in
  // the same slot raises the slot to valid.
  std::vector<MonitoringRecord> recs = {hourly("2024-03-01 10:00", N, D), hourly("2024-03-01 10:00", N, N),
                                        hourly("2024-03-01 11:00", N, D), hourly("2024-03-01 11:20", N, N)};
  TransmissionRate r = device_transmission_rate(small_device(), kThreeHours, recs, {});
  EXPECT_EQ(r.counts, (RateCounts{.slots = 3, .expected = 3, .received = 2, .valid = 1, .duplicates = 1}));
}

TEST(Rates, MonthToDateCountsOnlyTheSlotsThatHaveEnded) {
  // A month watched to 2024-03-07 08:24 (the case: the 7th of the month). Hourly slots from 03-01
  // 00:00 that have ended by 08:24 on the 7th: 6 days x 24 + 8 (00:00..07:00) = 152; the 08:00 slot is not
  // due. Received: every hour of the 1st (24), plus one record at 08:00 on the 7th (not due: ignored).
  // Transmission = 24 / 152 = 15.789..% -> 15.79; over the whole month (the 08:00 record counts then) it
  // would be 25 / 744 = 3.360..% -> 3.36.
  std::vector<MonitoringRecord> recs;
  for (int h = 0; h < 24; ++h)
    recs.push_back(hourly("2024-03-01 " + std::string(h < 10 ? "0" : "") + std::to_string(h) + ":00", N, N));
  recs.push_back(hourly("2024-03-07 08:00", N, N));
  const TimeSpan march = month_span(MonthKey::of(2024, 3));
  RateParams p;
  EXPECT_EQ(device_transmission_rate(small_device(), march, recs, p).transmission_percent->to_string(),
            "3.36");
  p.due_until = at("2024-03-07 08:24");
  TransmissionRate mtd = device_transmission_rate(small_device(), march, recs, p);
  EXPECT_EQ(mtd.counts,
            (RateCounts{.slots = 152, .expected = 152, .received = 24, .valid = 24, .ignored = 1}));
  EXPECT_EQ(mtd.transmission_percent->to_string(), "15.79");
  // Exactly on an hour: 08:00 ends the 07:00 slot, so the same 152; before the month began nothing is due.
  p.due_until = at("2024-03-07 08:00");
  EXPECT_EQ(device_transmission_rate(small_device(), march, recs, p).counts.expected, 152);
  p.due_until = at("2024-02-20 00:00");
  TransmissionRate none = device_transmission_rate(small_device(), march, recs, p);
  EXPECT_EQ(none.counts.expected, 0);
  EXPECT_FALSE(none.transmission.has_value());
  // A time after the month's end: the whole month (744 slots).
  p.due_until = at("2024-04-02 00:00");
  EXPECT_EQ(device_transmission_rate(small_device(), march, recs, p).counts.expected, 744);
}

TEST(Rates, NotAssessedDevices) {
  Device inactive = small_device();
  inactive.active = false;
  EXPECT_EQ(device_transmission_rate(inactive, kThreeHours, {}, {}).verdict, RateVerdict::kNotAssessed);
  Device no_daily = small_device();
  no_daily.intervals.daily = false;
  RateParams daily;
  daily.data_kind = DataKind::kDaily;
  EXPECT_EQ(device_transmission_rate(no_daily, kThreeHours, {}, daily).verdict, RateVerdict::kNotAssessed);
  EXPECT_EQ(device_transmission_rate(small_device(), {kThreeHours.end, kThreeHours.begin}, {}, {}).verdict,
            RateVerdict::kNotAssessed);
}

TEST(Rates, PrecisionAndThresholdAreParameters) {
  const std::vector<MonitoringRecord> recs = {hourly("2024-03-01 10:00", N, N),
                                              hourly("2024-03-01 11:00", N, N)};
  RateParams p;
  p.percent_digits = 1;
  p.pass_threshold = {2, 3};  // 66.7 %
  TransmissionRate r = device_transmission_rate(small_device(), kThreeHours, recs, p);
  EXPECT_EQ(r.effective_percent->to_string(), "66.7");
  EXPECT_EQ(r.verdict, RateVerdict::kPass);  // exactly 2/3
}

TEST(Rates, ParamsAreValidated) {
  RateParams p;
  EXPECT_TRUE(validate_rate_params(p).ok());
  p.pass_threshold = {11, 10};
  EXPECT_FALSE(validate_rate_params(p).ok());
  p = {};
  p.percent_digits = 10;
  EXPECT_FALSE(validate_rate_params(p).ok());
  p = {};
  p.extra_valid_flags.insert(DataFlag::kStopped);
  EXPECT_TRUE(validate_rate_params(p).message().find("F (停运)") != std::string::npos);
}

// A store stand-in: March 2024, hourly. G all valid; S (stopped 03-02) all valid; W silent all month.
class FakeSource : public RecordSource {
 public:
  StatusOr<std::vector<MonitoringRecord>> records(const Device& d, DataKind kind, TimeSpan period) override {
    if (fail) return Status(StatusCode::kUnavailable, "store closed");
    std::vector<MonitoringRecord> out;
    if (d.mn == test_support::kMnW || kind != DataKind::kHourly) return out;
    for (SourceTime t = period.begin; t < period.end; t = t + kSecondsPerHour) {
      MonitoringRecord r{.mn = d.mn, .kind = kind, .data_time = t};
      for (const MonitoredPollutant& p : d.pollutants)
        r.values.push_back({.code = p.code, .avg = Decimal{1, 0}});
      out.push_back(r);
    }
    return out;
  }
  bool fail = false;
};

TEST(Rates, MonthlyReportPerDeviceOutletEnterprise) {
  const SourceRegistry reg = test_support::test_registry();
  FakeSource source;
  StatusOr<MonthlyRateReport> rep = monthly_transmission_rates(reg, MonthKey::of(2024, 3), source, {});
  ASSERT_TRUE(rep.ok()) << rep.status().message();
  ASSERT_EQ(rep->devices.size(), 3u);
  EXPECT_EQ(rep->devices[0].id, test_support::kMnG);  // by MN
  EXPECT_EQ(rep->devices[0].rate.counts.expected, 744);
  EXPECT_EQ(rep->devices[1].rate.counts.expected, 720);  // S: 24 h registered stop
  EXPECT_EQ(rep->devices[2].rate.counts.received, 0);    // W
  ASSERT_EQ(rep->outlets.size(), 2u);
  EXPECT_EQ(rep->outlets[0].id, "G1");
  EXPECT_EQ(rep->outlets[0].rate.counts.expected, 1464);
  EXPECT_EQ(rep->outlets[0].rate.effective_percent->to_string(), "100.00");
  EXPECT_EQ(rep->outlets[1].rate.verdict, RateVerdict::kFail);
  ASSERT_EQ(rep->enterprises.size(), 2u);
  EXPECT_EQ(rep->enterprises[0].rate.verdict, RateVerdict::kPass);
  EXPECT_EQ(rep->enterprises[1].rate.effective_percent->to_string(), "0.00");

  source.fail = true;
  StatusOr<MonthlyRateReport> bad = monthly_transmission_rates(reg, MonthKey::of(2024, 3), source, {});
  EXPECT_EQ(bad.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(bad.status().message().find("records of device") != std::string::npos);
  RateParams wrong;
  wrong.percent_digits = -1;
  EXPECT_FALSE(monthly_transmission_rates(reg, MonthKey::of(2024, 3), source, wrong).ok());
}

TEST(Rates, MonthSpans) {
  EXPECT_EQ(month_span(MonthKey::of(2024, 2)).end - month_span(MonthKey::of(2024, 2)).begin,
            29 * kSecondsPerDay);
  EXPECT_EQ(month_span(MonthKey::of(2100, 2)).end - month_span(MonthKey::of(2100, 2)).begin,
            28 * kSecondsPerDay);
  EXPECT_EQ(month_span(MonthKey::of(2024, 12)).end, at("2025-01-01 00:00"));
}

}  // namespace
}  // namespace ecomon::sources
