// The data audit's services (app/audit.h) and the audited view of the air services (app/air.h) on a small
// city whose figures are worked out by hand: invalidating one hour moves the station's daily mean, the city's
// daily AQI and the annual mean exactly as the working below says; restoring brings the original back; the
// trail shows both; the real-time view never moves; county users are refused other counties' stations with
// nothing stored; a closed month refuses changes until reopened; exceptional events leave the figures only
// when asked.
#include "app/audit.h"

#include <gtest/gtest.h>

#include "app/air.h"
#include "store/sqlite_stores.h"
#include "testing/temp_dir.h"

namespace ecomon::app {
namespace {

const CivilDay kDay = CivilDay::from_ymd(2019, 1, 10);

// 测试市, two stations with PM2.5 only, on 2019-01-10 (HJ 633-2012 and GB 3095-2012 by date):
//   T001A: 40 every hour except the hour ending 01:00, 88 -> daily mean (23 x 40 + 88) / 24 = 1008 / 24 = 42
//   T002A: 50 every hour                                   -> daily mean 50
//   city daily PM2.5 = (42 + 50) / 2 = 46; IAQI (35..75 -> 50..100) = 50 + (46 - 35) x 50 / 40 = 63.75 -> 64
class AuditServices : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_sqlite_stores((dir_.path() / "a.db").string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    stores_ = std::move(*s);
    RecordStore& rs = stores_->records();
    ASSERT_TRUE(rs.begin_write().ok());
    for (const char* code : {"T001A", "T002A"}) {
      StationInfo st{.code = code, .name = code, .city = "测试市", .in_site_list = true};
      auto id = rs.upsert_station(st);
      ASSERT_TRUE(id.ok());
      HourlyBlock b{*id, Pollutant::kPM25, MonthKey::of(kDay), {}};
      b.values.assign(static_cast<size_t>(b.month.hours()), kMissing);
      const auto at = static_cast<size_t>(Hour::ending(kDay, 1) - b.month.first_hour());
      for (size_t i = 0; i < 24; ++i) b.values[at + i] = std::string(code) == "T001A" ? 40'000 : 50'000;
      if (std::string(code) == "T001A") b.values[at] = 88'000;
      MergeStats stats;
      ASSERT_TRUE(stores_->time_series().merge_hourly({&b, 1}, stats, nullptr).ok());
    }
    ASSERT_TRUE(rs.commit().ok());
  }

  // The city's day and the annual PM2.5 mean in a view, and station T001A's daily PM2.5.
  struct Figures {
    int64_t station_mean = 0;  // T001A's daily PM2.5, Milli (from the hourly report's 24-h moving mean)
    int64_t city_mean = 0;     // city daily PM2.5, Milli
    int aqi = 0;
    std::string annual;  // the year's PM2.5 statistic
  };
  Figures figures(DataView view, bool exclude_exceptional = false, bool with_station = true) {
    Figures f;
    AirRequest req{"测试市", "", DayRange{kDay, kDay}, RuleChoice{}, false, view};
    req.choice.params.exclude_exceptional_events = exclude_exceptional;
    auto days = air_daily(*stores_, Actor::operator_cli(), req);
    EXPECT_TRUE(days.ok()) << days.status().message();
    if (!days.ok()) return f;
    f.city_mean = days->at(0).stats.mean[index_of(Pollutant::kPM25)].value_or(-1);
    f.aqi = static_cast<int>(days->at(0).aqi.aqi.value_or(-1));
    req.station = "T001A";
    auto hours = with_station ? air_hourly(*stores_, Actor::operator_cli(), req)
                              : StatusOr<std::vector<HourReport>>(not_found("not asked"));
    EXPECT_TRUE(hours.ok() || !with_station) << hours.status().message();
    if (hours.ok()) f.station_mean = hours->back().moving_24h[index_of(Pollutant::kPM25)].value_or(-1);
    req.station.clear();
    req.range = DayRange::year(2019);
    auto year = air_period(*stores_, Actor::operator_cli(), req);
    EXPECT_TRUE(year.ok()) << year.status().message();
    if (year.ok() && year->assessment.pollutants[index_of(Pollutant::kPM25)].assessed)
      f.annual = year->assessment.pollutants[index_of(Pollutant::kPM25)].assessed->value.to_string();
    return f;
  }

  AuditChange invalidate_first_hour() {
    return AuditChange{.action = AuditAction::kInvalidate,
                       .station = "T001A",
                       .pollutant = Pollutant::kPM25,
                       .first = Hour::ending(kDay, 1),
                       .last = Hour::ending(kDay, 1),
                       .reason = "instrument-fault",
                       .note = "颗粒物分析仪纸带断裂"};
  }

  testing::TempDir dir_{"app_audit"};
  std::unique_ptr<Stores> stores_;
};

TEST_F(AuditServices, InvalidateMovesTheFiguresAsWorkedOutAndRestoreBringsThemBack) {
  const Figures before = figures(DataView::kAudited);
  EXPECT_EQ(before.station_mean, 42'000);
  EXPECT_EQ(before.city_mean, 46'000);
  EXPECT_EQ(before.aqi, 64);
  EXPECT_EQ(before.annual, "46");  // one day with a value: the year's mean is that day's
  const Figures realtime = figures(DataView::kRealtime);
  EXPECT_EQ(realtime.city_mean, 46'000);

  auto r = audit_change(*stores_, Actor::operator_cli(), invalidate_first_hour());
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->recorded.size(), 1u);
  EXPECT_EQ(r->recorded[0].version, 1);
  EXPECT_EQ(r->recorded[0].previous, 88'000);
  // Invalidated: T001A = 23 x 40 / 23 = 40 (23 >= 20 hours: still a valid day); city (40 + 50) / 2 = 45;
  // IAQI 50 + (45 - 35) x 50 / 40 = 62.5 -> 63; the annual mean 45.
  const Figures after = figures(DataView::kAudited);
  EXPECT_EQ(after.station_mean, 40'000);
  EXPECT_EQ(after.city_mean, 45'000);
  EXPECT_EQ(after.aqi, 63);
  EXPECT_EQ(after.annual, "45");
  // The real-time view is the data as imported, throughout.
  const Figures rt_after = figures(DataView::kRealtime);
  EXPECT_EQ(rt_after.station_mean, 42'000);
  EXPECT_EQ(rt_after.city_mean, 46'000);
  EXPECT_EQ(rt_after.aqi, 64);
  EXPECT_EQ(rt_after.annual, "46");
  // Invalidating again changes nothing and records nothing.
  auto again = audit_change(*stores_, Actor::operator_cli(), invalidate_first_hour());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->recorded.size(), 0u);
  EXPECT_EQ(again->unchanged, 1);

  AuditChange restore = invalidate_first_hour();
  restore.action = AuditAction::kRestore;
  restore.reason.clear();
  restore.note = "更换纸带后复核，数据有效";
  auto back = audit_change(*stores_, Actor{"li", Role::kAnalyst, "", ""}, restore);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->recorded.size(), 1u);
  EXPECT_EQ(back->recorded[0].version, 2);
  const Figures restored = figures(DataView::kAudited);
  EXPECT_EQ(restored.station_mean, 42'000);
  EXPECT_EQ(restored.city_mean, 46'000);
  EXPECT_EQ(restored.aqi, 64);
  EXPECT_EQ(restored.annual, "46");
  EXPECT_EQ(figures(DataView::kRealtime).city_mean, 46'000);

  // The trail shows both, with who, why, old and new.
  auto trail = audit_history(*stores_, Actor::operator_cli(),
                             {"T001A", Pollutant::kPM25, Hour::first_of(kDay), Hour::ending(kDay, 24)});
  ASSERT_TRUE(trail.ok()) << trail.status().message();
  ASSERT_EQ(trail->size(), 1u);
  const AuditTrail& t = trail->at(0);
  EXPECT_EQ(t.hour.to_string(), "2019-01-10 01:00");
  EXPECT_EQ(t.realtime, 88'000);
  ASSERT_EQ(t.versions.size(), 2u);
  EXPECT_EQ(t.versions[0].action, AuditAction::kInvalidate);
  EXPECT_EQ(t.versions[0].previous, 88'000);
  EXPECT_EQ(t.versions[0].reason, "instrument-fault");
  EXPECT_EQ(t.versions[0].note, "颗粒物分析仪纸带断裂");
  EXPECT_EQ(t.versions[0].who, "cli");
  EXPECT_EQ(t.versions[1].action, AuditAction::kRestore);
  EXPECT_EQ(t.versions[1].previous, kMissing);
  EXPECT_EQ(t.versions[1].who, "li");
  EXPECT_EQ(t.audited, 88'000);
  EXPECT_EQ(t.state, AuditedHour::State::kAudited);
}

TEST_F(AuditServices, ACorrectionIsRoundedAtEachLevelHalfToEven) {
  // T001A's first hour corrected to 112: (23 x 40 + 112) / 24 = 1032 / 24 = 43; city (43 + 50) / 2 = 46.5,
  // rounded half to even (GB/T 8170) = 46; IAQI 64.
  AuditChange c = invalidate_first_hour();
  c.action = AuditAction::kCorrect;
  c.reason = "calibration";
  c.value = 112'000;
  auto r = audit_change(*stores_, Actor::operator_cli(), c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Figures f = figures(DataView::kAudited);
  EXPECT_EQ(f.station_mean, 43'000);
  EXPECT_EQ(f.city_mean, 46'000);
  EXPECT_EQ(f.aqi, 64);
  // A range over all pollutants: only PM2.5 has values, but every pollutant's hours get a version (the hours
  // exist; invalidating "no value" records that it is not valid).
  AuditChange day = c;
  day.action = AuditAction::kInvalidate;
  day.pollutant.reset();
  day.value.reset();
  day.first = Hour::ending(kDay, 1);
  day.last = *parse_audit_hour("2019-01-11 00:00");
  auto all = audit_change(*stores_, Actor::operator_cli(), day);
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(all->recorded.size(), 6u * 24u);
  // T001A has no valid hour left (no longer an assessment station that day): the city is T002A alone, 50;
  // IAQI 50 + 15 x 1.25 = 68.75 -> 69.
  const Figures g = figures(DataView::kAudited, false, false);
  EXPECT_EQ(g.city_mean, 50'000);
  EXPECT_EQ(g.aqi, 69);
}

TEST_F(AuditServices, CountyUsersAuditOnlyTheirCountysStationsAndARefusalStoresNothing) {
  ASSERT_TRUE(audit_assign_station(*stores_, Actor::operator_cli(), "T001A", "城区").ok());
  // Only the bureau assigns.
  EXPECT_EQ(audit_assign_station(*stores_, Actor{"c", Role::kCounty, "城区", ""}, "T002A", "城区").code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(audit_assign_station(*stores_, Actor::operator_cli(), "NOPE", "城区").code(),
            StatusCode::kNotFound);
  const Actor other{"wang", Role::kCounty, "泽州县", ""};
  auto refused = audit_change(*stores_, other, invalidate_first_hour());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("may not audit station T001A (of 城区)"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(*stores_->audit().version_count(), 0);
  for (const Actor& nobody : {Actor{"p", Role::kPublic, "", ""}, Actor{"e", Role::kEnterprise, "", "E1"}}) {
    EXPECT_EQ(audit_change(*stores_, nobody, invalidate_first_hour()).status().code(),
              StatusCode::kPermissionDenied);
  }
  // A station assigned to no county: the bureau's only.
  AuditChange b = invalidate_first_hour();
  b.station = "T002A";
  EXPECT_EQ(audit_change(*stores_, Actor{"z", Role::kCounty, "城区", ""}, b).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(*stores_->audit().version_count(), 0);
  EXPECT_EQ(figures(DataView::kAudited).city_mean, 46'000);
  // The county's own user may.
  auto own = audit_change(*stores_, Actor{"zhao", Role::kCounty, "城区", ""}, invalidate_first_hour());
  ASSERT_TRUE(own.ok()) << own.status().message();
  EXPECT_EQ(own->recorded.size(), 1u);
  EXPECT_EQ(figures(DataView::kAudited).city_mean, 45'000);
  // Reading the trail: staff only.
  AuditHistoryRequest h{"T001A", std::nullopt, Hour::ending(kDay, 1), Hour::ending(kDay, 1)};
  EXPECT_EQ(audit_history(*stores_, Actor{"p", Role::kPublic, "", ""}, h).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(audit_history(*stores_, other, h)->size(), 1u);
}

TEST_F(AuditServices, AClosedMonthsFiguresDoNotMoveUntilReopenedWithAReason) {
  const MonthKey jan = *parse_audit_month("2019-01");
  EXPECT_EQ(audit_close_month(*stores_, Actor{"c", Role::kCounty, "城区", ""}, jan, "").code(),
            StatusCode::kPermissionDenied);
  ASSERT_TRUE(audit_close_month(*stores_, Actor::operator_cli(), jan, "1月数据审核完成").ok());
  auto refused = audit_change(*stores_, Actor::operator_cli(), invalidate_first_hour());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(*stores_->audit().version_count(), 0);
  EXPECT_EQ(figures(DataView::kAudited).city_mean, 46'000);
  // Reopening needs a reason.
  EXPECT_EQ(audit_reopen_month(*stores_, Actor::operator_cli(), jan, "").code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(audit_reopen_month(*stores_, Actor::operator_cli(), jan, "省站复核发现仪器故障").ok());
  ASSERT_TRUE(audit_change(*stores_, Actor::operator_cli(), invalidate_first_hour()).ok());
  EXPECT_EQ(figures(DataView::kAudited).city_mean, 45'000);
  auto months = audit_months(*stores_, Actor::operator_cli(), 2019);
  ASSERT_TRUE(months.ok());
  ASSERT_EQ(months->size(), 2u);
  EXPECT_EQ((*months)[1].reason, "省站复核发现仪器故障");
  EXPECT_EQ(audit_months(*stores_, Actor::operator_cli(), 2018)->size(), 0u);
}

TEST_F(AuditServices, ExceptionalEventsLeaveTheFiguresOnlyWhenTheRuleSaysSo) {
  // T002A's hours ending 01..05 flagged (dust): with the HJ 663-2026 exclusion, T002A keeps 19 hours (< 20:
  // no daily mean), so the city is T001A alone: 42, IAQI 50 + 7 x 1.25 = 58.75 -> 59. Without it: unchanged.
  AuditChange f{.action = AuditAction::kFlag,
                .station = "T002A",
                .pollutant = Pollutant::kPM25,
                .first = Hour::ending(kDay, 1),
                .last = Hour::ending(kDay, 5),
                .reason = "exceptional-event",
                .note = "沙尘天气"};
  auto r = audit_change(*stores_, Actor::operator_cli(), f);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->recorded.size(), 5u);
  EXPECT_EQ(figures(DataView::kAudited).city_mean, 46'000);
  const Figures excluded = figures(DataView::kAudited, true);
  EXPECT_EQ(excluded.city_mean, 42'000);
  EXPECT_EQ(excluded.aqi, 59);
  EXPECT_EQ(figures(DataView::kRealtime, true).city_mean, 46'000);  // real-time: no audit at all
  // flag takes exceptional-event only.
  f.reason = "other";
  EXPECT_EQ(audit_change(*stores_, Actor::operator_cli(), f).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AuditServices, BadInputIsRefusedWithWhatAndWhere) {
  AuditChange c = invalidate_first_hour();
  c.reason = "bad-luck";
  EXPECT_NE(audit_change(*stores_, Actor::operator_cli(), c)
                .status()
                .message()
                .find("reason 'bad-luck' is not one of"),
            std::string::npos);
  c = invalidate_first_hour();
  c.reason.clear();
  EXPECT_EQ(audit_change(*stores_, Actor::operator_cli(), c).status().code(), StatusCode::kInvalidArgument);
  c = invalidate_first_hour();
  c.station = "9999A";
  EXPECT_EQ(audit_change(*stores_, Actor::operator_cli(), c).status().code(), StatusCode::kNotFound);
  c = invalidate_first_hour();
  c.last = c.first - 1;
  EXPECT_EQ(audit_change(*stores_, Actor::operator_cli(), c).status().code(), StatusCode::kInvalidArgument);
  c = invalidate_first_hour();
  c.last = c.first + kMaxAuditHours;  // one hour too many
  EXPECT_EQ(audit_change(*stores_, Actor::operator_cli(), c).status().code(), StatusCode::kInvalidArgument);
  c = invalidate_first_hour();
  c.action = AuditAction::kCorrect;  // no value
  EXPECT_EQ(audit_change(*stores_, Actor::operator_cli(), c).status().code(), StatusCode::kInvalidArgument);
  c.value = -1;
  EXPECT_EQ(audit_change(*stores_, Actor::operator_cli(), c).status().code(), StatusCode::kInvalidArgument);
  c = invalidate_first_hour();
  c.value = 5;  // a value on invalidate
  EXPECT_EQ(audit_change(*stores_, Actor::operator_cli(), c).status().code(), StatusCode::kInvalidArgument);
  c = invalidate_first_hour();
  c.action = AuditAction::kRepublish;
  EXPECT_EQ(audit_change(*stores_, Actor::operator_cli(), c).status().code(), StatusCode::kInvalidArgument);
  // A restore of hours never audited records nothing.
  c = invalidate_first_hour();
  c.action = AuditAction::kRestore;
  auto r = audit_change(*stores_, Actor::operator_cli(), c);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->recorded.size(), 0u);
  EXPECT_EQ(*stores_->audit().version_count(), 0);
}

TEST(AuditHours, HoursAreNamedByTheirEnd) {
  EXPECT_EQ(parse_audit_hour("2019-01-10 01:00")->to_string(), "2019-01-10 01:00");
  // 00:00 is the previous day's 24:00, the same hour as "24:00".
  EXPECT_EQ(*parse_audit_hour("2019-01-11 00:00"), Hour::ending(kDay, 24));
  EXPECT_EQ(*parse_audit_hour("2019-01-10 24:00"), Hour::ending(kDay, 24));
  EXPECT_EQ(*parse_audit_hour("2019-01-01 00:00"), Hour::ending(CivilDay::from_ymd(2018, 12, 31), 24));
  for (const char* bad : {"", "2019-01-10", "2019-01-10 25:00", "2019-01-10 01:30", "2019-02-30 01:00",
                          "2019-01-10T01:00", "2019-01-10 1:00", "2019-01-10 0x:00"}) {
    auto h = parse_audit_hour(bad);
    EXPECT_EQ(h.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  // A range as the adapters give it: to defaults to from; the field named as a flag or a query field.
  auto r = parse_audit_range("2019-01-10 01:00", "", "PM2.5", false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first, r->last);
  EXPECT_EQ(r->pollutant, Pollutant::kPM25);
  EXPECT_FALSE(parse_audit_range("2019-01-10 01:00", "", "", true)->pollutant);
  EXPECT_EQ(parse_audit_range("2019-01-10 01:00", "", "PM1", false).status().message(),
            "--pollutant 'PM1' is not SO2, NO2, PM10, PM2.5, CO or O3");
  EXPECT_EQ(parse_audit_range("x", "", "", true).status().message().rfind("from: 'x' is not an hour", 0), 0u)
      << parse_audit_range("x", "", "", true).status().message();
  EXPECT_EQ(parse_audit_range("2019-01-10 01:00", "y", "", false).status().message().rfind("--to: 'y'", 0),
            0u);
  EXPECT_EQ(month_text(*parse_audit_month("2019-01")), "2019-01");
  EXPECT_FALSE(parse_audit_month("2019-13").ok());
  EXPECT_FALSE(parse_audit_month("2019-1").ok());
}

}  // namespace
}  // namespace ecomon::app
