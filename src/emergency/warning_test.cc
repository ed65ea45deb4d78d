// Warning rules beyond the golden cases: bad forecasts, bad rules, the declaration history and who may write
// it.
#include "emergency/warning.h"

#include <gtest/gtest.h>

namespace ecomon::emergency {
namespace {

const CivilDay kDec1 = CivilDay::from_ymd(2020, 12, 1);

TEST(EmergencyWarning, ForecastWithGapOrRepeatIsRefused) {
  std::vector<ForecastDay> gap = {{kDec1, 150}, {kDec1 + 1, 250}, {kDec1 + 3, 260}};
  EXPECT_EQ(decide_level(gap, {}).status().message(),
            "forecast day 3 (2020-12-04): gap of 1 days after 2020-12-02");
  std::vector<ForecastDay> dup = {{kDec1, 150}, {kDec1, 250}};
  EXPECT_EQ(validate_forecast(dup).message(), "forecast day 2 (2020-12-01): repeats the previous day");
  std::vector<ForecastDay> back = {{kDec1 + 1, 150}, {kDec1, 250}};
  EXPECT_NE(validate_forecast(back).message().find("before the previous day"), std::string::npos);
  std::vector<ForecastDay> neg = {{kDec1, -1}};
  EXPECT_EQ(validate_forecast(neg).message(), "forecast day 1 (2020-12-01): AQI -1 out of 0..2000");
  EXPECT_FALSE(validate_forecast({}).ok());
}

TEST(EmergencyWarning, EpisodesInHindsight) {
  // 250 260 | 150 | 230 240 250 310 320 | 100 | 500: runs of 2 (yellow), 5 with 2 > 300 (red), 1 reaching 500
  // (red).
  const int aqi[] = {250, 260, 150, 230, 240, 250, 310, 320, 100, 500};
  std::vector<ForecastDay> s;
  for (int a : aqi) s.push_back({kDec1 + static_cast<int>(s.size()), a});
  auto e = episodes(s, {});
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->size(), 3U);
  EXPECT_EQ((*e)[0].level, WarningLevel::kYellow);
  EXPECT_EQ((*e)[1].level, WarningLevel::kRed);
  EXPECT_EQ((*e)[1].first->to_string(), "2020-12-04");
  EXPECT_EQ((*e)[1].heavy_days, 5);
  EXPECT_EQ((*e)[1].severe_days, 2);
  EXPECT_EQ((*e)[2].level, WarningLevel::kRed);
  EXPECT_TRUE((*e)[2].extreme);
  // decide_level takes the highest, the earliest of equals.
  EXPECT_EQ(decide_level(s, {})->first->to_string(), "2020-12-04");
}

TEST(EmergencyWarning, InconsistentRulesRefused) {
  WarningRules r;
  r.orange_days = 2;  // not above yellow's
  std::vector<ForecastDay> f = {{kDec1, 150}};
  EXPECT_FALSE(decide_level(f, r).ok());
  r = {};
  r.severe_above = 150;
  EXPECT_FALSE(decide_level(f, r).ok());
}

TEST(EmergencyWarning, DeclareUpgradeLiftHistory) {
  const Actor bureau{"wang", Role::kAnalyst, "", ""};
  std::vector<WarningEvent> h;
  auto d = declaration(h, WarningLevel::kYellow, "2020-12-01 12:00", bureau, "3 天重污染预报");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->action, WarningAction::kDeclare);
  EXPECT_EQ(d->declared_by, "wang");
  EXPECT_EQ(d->role, "analyst");
  h.push_back(*d);
  EXPECT_EQ(declaration(h, WarningLevel::kYellow, "2020-12-01 13:00", bureau, "").status().code(),
            StatusCode::kFailedPrecondition);
  auto up = declaration(h, WarningLevel::kRed, "2020-12-02 00:00", bureau, "");
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->action, WarningAction::kUpgrade);
  h.push_back(*up);
  EXPECT_EQ(state_of(h).level, WarningLevel::kRed);
  EXPECT_EQ(state_of(h).since, "2020-12-01 12:00");  // the warning began with the declaration
  auto down = declaration(h, WarningLevel::kOrange, "2020-12-03 00:00", bureau, "");
  ASSERT_TRUE(down.ok());
  EXPECT_EQ(down->action, WarningAction::kDowngrade);
  // Not before the last event.
  EXPECT_FALSE(lifting(h, "2020-12-01 23:00", bureau, "").ok());
  auto lift = lifting(h, "2020-12-04 08:00", bureau, "36 h below 200");
  ASSERT_TRUE(lift.ok());
  h.push_back(*lift);
  EXPECT_EQ(state_of(h).level, WarningLevel::kNone);
  EXPECT_EQ(lifting(h, "2020-12-05 08:00", bureau, "").status().code(), StatusCode::kFailedPrecondition);
}

TEST(EmergencyWarning, OnlyTheBureauDeclaresOrLifts) {
  std::vector<WarningEvent> h;
  const Actor county{"li", Role::kCounty, "城区", ""};
  auto d = declaration(h, WarningLevel::kOrange, "2020-12-01 12:00", county, "");
  EXPECT_EQ(d.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(d.status().message(), "declaring a warning is the bureau's: user 'li' (role county) may not");
  for (Role r : {Role::kEnterprise, Role::kPublic})
    EXPECT_EQ(
        declaration(h, WarningLevel::kRed, "2020-12-01 12:00", Actor{"x", r, "", ""}, "").status().code(),
        StatusCode::kPermissionDenied);
  h.push_back(*declaration(h, WarningLevel::kYellow, "2020-12-01 12:00", Actor::operator_cli(), ""));
  EXPECT_EQ(lifting(h, "2020-12-02 12:00", county, "").status().code(), StatusCode::kPermissionDenied);
}

TEST(EmergencyWarning, TimesAreCivilMinutes) {
  EXPECT_TRUE(validate_civil_minute("2020-12-01 00:00").ok());
  EXPECT_FALSE(validate_civil_minute("2020-12-01 24:00").ok());
  EXPECT_FALSE(validate_civil_minute("2020-02-30 10:00").ok());
  EXPECT_FALSE(validate_civil_minute("2020-12-01T10:00").ok());
  EXPECT_FALSE(validate_civil_minute("2020-12-01 1:00").ok());
}

}  // namespace
}  // namespace ecomon::emergency

namespace ecomon::emergency {
namespace {

// The roster's level and start: the warning in force by default, what is asked otherwise.
TEST(EmergencyRoster, PeriodFromTheWarningInForceOrAsked) {
  const WarningState orange{WarningLevel::kOrange, "2025-12-02 00:00"};
  auto p = roster_period(orange, "", "");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->level, WarningLevel::kOrange);
  EXPECT_EQ(p->from, "2025-12-02 00:00");
  p = roster_period(orange, "red", "2025-12-03 08:00");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->level, WarningLevel::kRed);
  EXPECT_EQ(p->from, "2025-12-03 08:00");
  const WarningState none{};
  EXPECT_EQ(roster_period(none, "yellow", "").status().code(), StatusCode::kInvalidArgument);  // no start
  EXPECT_EQ(roster_period(none, "", "2025-12-03 08:00").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(roster_period(none, "yellow", "2025-12-03 08:00").ok());
  EXPECT_EQ(roster_period(orange, "purple", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(roster_period(orange, "none", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(roster_period(orange, "", "2025-12-03").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ecomon::emergency
