#include "core/time.h"

#include <gtest/gtest.h>

namespace ecomon {
namespace {

TEST(CivilDay, ParsesBothLayoutsAndRejectsImpossibleDates) {
  EXPECT_EQ(CivilDay::parse("2019-01-01")->to_string(), "2019-01-01");
  EXPECT_EQ(CivilDay::parse("20190228")->to_string(), "2019-02-28");
  EXPECT_FALSE(CivilDay::parse("2019-02-29").ok());  // 2019 is not a leap year
  EXPECT_TRUE(CivilDay::parse("2020-02-29").ok());
  EXPECT_FALSE(CivilDay::parse("2019-13-01").ok());
  EXPECT_FALSE(CivilDay::parse("2019-1-01").ok());
  EXPECT_FALSE(CivilDay::parse("").ok());
  EXPECT_EQ(CivilDay::from_ymd(1970, 1, 1).days_since_epoch(), 0);
  EXPECT_EQ(CivilDay::from_ymd(2019, 12, 31).day_of_year(), 365);
  EXPECT_EQ(CivilDay::from_ymd(2020, 12, 31).day_of_year(), 366);
}

TEST(Hour, CnemcHourZeroBelongsToThePreviousNaturalDay) {
  // The centre's file of 2019-01-02, hour 0 = mean over 2019-01-01 23:00-24:00 = hour ending 24 of Jan 1.
  CivilDay jan1 = CivilDay::from_ymd(2019, 1, 1);
  Hour h = Hour::from_cnemc(jan1 + 1, 0);
  EXPECT_EQ(h, Hour::ending(jan1, 24));
  EXPECT_EQ(h.day(), jan1);
  EXPECT_EQ(h.hour_ending(), 24);
  EXPECT_EQ(h.to_string(), "2019-01-01 24:00");
  // Hour 1 of a file is the first hour of that file's day.
  Hour h1 = Hour::from_cnemc(jan1, 1);
  EXPECT_EQ(h1.day(), jan1);
  EXPECT_EQ(h1.hour_ending(), 1);
  EXPECT_EQ(h1, Hour::first_of(jan1));
  // A natural day has exactly 24 hours: ending 01 .. 24.
  EXPECT_EQ(Hour::ending(jan1, 24) - Hour::ending(jan1, 1), 23);
  // Before the epoch the day arithmetic still floors.
  CivilDay d1969 = CivilDay::from_ymd(1969, 12, 31);
  EXPECT_EQ(Hour::ending(d1969, 24).day(), d1969);
  EXPECT_EQ(Hour::ending(d1969, 1).hour_ending(), 1);
}

TEST(DayRange, PeriodsAndPreviousYear) {
  EXPECT_EQ(DayRange::year(2020).size(), 366);
  EXPECT_EQ(DayRange::month(2019, 2).size(), 28);
  EXPECT_EQ(DayRange::quarter(2019, 1).size(), 90);  // 31 + 28 + 31
  DayRange leap{CivilDay::from_ymd(2020, 2, 1), CivilDay::from_ymd(2020, 2, 29)};
  EXPECT_EQ(leap.previous_year().last.to_string(), "2019-02-28");
}

TEST(MonthKey, RoundTrips) {
  MonthKey m = MonthKey::of(CivilDay::from_ymd(2019, 12, 31));
  EXPECT_EQ(m.year(), 2019);
  EXPECT_EQ(m.month(), 12);
  EXPECT_EQ(m.hours(), 744);
  EXPECT_EQ(MonthKey::of(2020, 2).days(), 29);
}

}  // namespace
}  // namespace ecomon
