// Civil time for monitoring data: natural days, hours with the hour-ending convention made explicit, months.
//
// All monitoring times are Beijing civil time (no time zone arithmetic is ever needed or done).
// The national centre labels an hourly value "hour h" when it is the mean over (h-1):00 .. h:00. Such a
// value is an Hour: the one-hour interval it averages. A natural day (自然日) is the 24 hours ending 01:00 ..
// 24:00, so the centre's "hour 0" of a file dated D is the hour ending 24:00 of D-1 and belongs to the
// previous day.
//
//   CivilDay d = CivilDay::from_ymd(2019, 1, 1);
//   Hour h = Hour::ending(d, 24);            // 2019-01-01 23:00-24:00, the last hour of that day
//   Hour c = Hour::from_cnemc(d + 1, 0);     // the same hour, as the file of 2019-01-02 labels it
//   assert(h == c && h.day() == d && h.hour_ending() == 24);
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ecomon {

// A calendar day, stored as days since 1970-01-01.
class CivilDay {
 public:
  constexpr CivilDay() = default;
  static constexpr CivilDay from_days(int32_t days_since_epoch) { return CivilDay(days_since_epoch); }
  // Requires a valid date (use is_valid_ymd first for input from outside).
  static CivilDay from_ymd(int year, int month, int day);
  static bool is_valid_ymd(int year, int month, int day);
  // Accepts "YYYY-MM-DD" and "YYYYMMDD".
  static StatusOr<CivilDay> parse(std::string_view text);

  constexpr int32_t days_since_epoch() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  int day_of_year() const;         // 1..366
  std::string to_string() const;   // YYYY-MM-DD
  std::string to_compact() const;  // YYYYMMDD

  constexpr CivilDay operator+(int n) const { return CivilDay(days_ + n); }
  constexpr CivilDay operator-(int n) const { return CivilDay(days_ - n); }
  constexpr int32_t operator-(CivilDay o) const { return days_ - o.days_; }
  constexpr auto operator<=>(const CivilDay&) const = default;

 private:
  constexpr explicit CivilDay(int32_t d) : days_(d) {}
  int32_t days_ = 0;
};

bool is_leap_year(int year);
int days_in_month(int year, int month);
int days_in_year(int year);

// A one-hour averaging interval, stored as hours since 1970-01-01 00:00 of its start.
class Hour {
 public:
  constexpr Hour() = default;
  static constexpr Hour from_index(int64_t index) { return Hour(index); }
  // The hour ending at hour_ending:00 of day d, hour_ending in 1..24.
  static constexpr Hour ending(CivilDay d, int hour_ending) {
    return Hour(int64_t{d.days_since_epoch()} * 24 + hour_ending - 1);
  }
  // The hour the national centre's files label (file_date, hour) with hour in 0..23.
  static constexpr Hour from_cnemc(CivilDay file_date, int hour) {
    return Hour(int64_t{file_date.days_since_epoch()} * 24 + hour - 1);
  }
  static constexpr Hour first_of(CivilDay d) { return ending(d, 1); }

  constexpr int64_t index() const { return index_; }
  // The natural day this hour belongs to.
  constexpr CivilDay day() const {
    int64_t d = index_ >= 0 ? index_ / 24 : (index_ - 23) / 24;
    return CivilDay::from_days(static_cast<int32_t>(d));
  }
  constexpr int hour_ending() const {
    return static_cast<int>(index_ - int64_t{day().days_since_epoch()} * 24) + 1;
  }
  std::string to_string() const;  // "2019-01-01 24:00" (hour-ending form)

  constexpr Hour operator+(int64_t n) const { return Hour(index_ + n); }
  constexpr Hour operator-(int64_t n) const { return Hour(index_ - n); }
  constexpr int64_t operator-(Hour o) const { return index_ - o.index_; }
  constexpr auto operator<=>(const Hour&) const = default;

 private:
  constexpr explicit Hour(int64_t i) : index_(i) {}
  int64_t index_ = 0;
};

// An inclusive range of natural days [first, last].
struct DayRange {
  CivilDay first;
  CivilDay last;

  static DayRange year(int y);
  static DayRange month(int y, int m);
  static DayRange quarter(int y, int q);
  int32_t size() const { return last - first + 1; }
  bool contains(CivilDay d) const { return first <= d && d <= last; }
  // The same range one year earlier (Feb 29 maps to Feb 28).
  DayRange previous_year() const;
  std::string to_string() const;
  bool operator==(const DayRange&) const = default;
};

// Year and month as one ordinal (year*12 + month-1): the key of monthly storage blocks.
struct MonthKey {
  int32_t ordinal = 0;
  static MonthKey of(CivilDay d) { return {d.year() * 12 + d.month() - 1}; }
  static MonthKey of(int year, int month) { return {year * 12 + month - 1}; }
  int year() const { return ordinal / 12; }
  int month() const { return ordinal % 12 + 1; }
  CivilDay first_day() const { return CivilDay::from_ymd(year(), month(), 1); }
  int days() const { return days_in_month(year(), month()); }
  Hour first_hour() const { return Hour::first_of(first_day()); }
  int hours() const { return days() * 24; }
  auto operator<=>(const MonthKey&) const = default;
};

}  // namespace ecomon
