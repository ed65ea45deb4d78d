#include "core/time.h"

#include <charconv>
#include <cstdint>
#include <cstdio>

namespace ecomon {
namespace {

// Days since 1970-01-01 <-> proleptic Gregorian year, month, day: the integer algorithms of H. Hinnant's
// "chrono-Compatible Low-Level Date Algorithms" (days_from_civil, civil_from_days), exact for every int32
// day. Not std::chrono::year_month_day: with g++ 12's libstdc++ at -O1 its conversion gave 1969-01-01 for
// 2019-02-28 (DayRange.PeriodsAndPreviousYear in the fast tier, no sanitizers); these have no such
// dependence.
struct Ymd {
  int y, m, d;
};

Ymd ymd_of(CivilDay day) {
  constexpr int64_t kEraDays = 146097, kShift = 719468;
  const int64_t z = int64_t{day.days_since_epoch()} + kShift;
  const int64_t era = (z >= 0 ? z : z - (kEraDays - 1)) / kEraDays;
  const int64_t doe = z - era * kEraDays;                                     // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11], March first
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return Ymd{static_cast<int>(y), m, d};
}

int64_t days_from_civil(int64_t y, int m, int d) {
  constexpr int64_t kEraDays = 146097, kShift = 719468;
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                                    // [0, 399]
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * kEraDays + doe - kShift;
}

bool parse_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

int days_in_year(int y) { return is_leap_year(y) ? 366 : 365; }

bool CivilDay::is_valid_ymd(int y, int m, int d) {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

CivilDay CivilDay::from_ymd(int y, int m, int d) {
  return CivilDay(static_cast<int32_t>(days_from_civil(y, m, d)));
}

StatusOr<CivilDay> CivilDay::parse(std::string_view t) {
  int y = 0, m = 0, d = 0;
  bool ok = false;
  if (t.size() == 10 && t[4] == '-' && t[7] == '-') {
    ok = parse_int(t.substr(0, 4), y) && parse_int(t.substr(5, 2), m) && parse_int(t.substr(8, 2), d);
  } else if (t.size() == 8) {
    ok = parse_int(t.substr(0, 4), y) && parse_int(t.substr(4, 2), m) && parse_int(t.substr(6, 2), d);
  }
  if (!ok || !is_valid_ymd(y, m, d)) {
    return invalid_argument("invalid date '" + std::string(t) + "' (expected YYYY-MM-DD or YYYYMMDD)");
  }
  return from_ymd(y, m, d);
}

int CivilDay::year() const { return ymd_of(*this).y; }
int CivilDay::month() const { return ymd_of(*this).m; }
int CivilDay::day() const { return ymd_of(*this).d; }
int CivilDay::day_of_year() const { return *this - from_ymd(year(), 1, 1) + 1; }

std::string CivilDay::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year(), month(), day());
  return buf;
}

std::string CivilDay::to_compact() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", year(), month(), day());
  return buf;
}

std::string Hour::to_string() const {
  char buf[24];
  std::snprintf(buf, sizeof buf, " %02d:00", hour_ending());
  return day().to_string() + buf;
}

DayRange DayRange::year(int y) { return {CivilDay::from_ymd(y, 1, 1), CivilDay::from_ymd(y, 12, 31)}; }
DayRange DayRange::month(int y, int m) {
  return {CivilDay::from_ymd(y, m, 1), CivilDay::from_ymd(y, m, days_in_month(y, m))};
}
DayRange DayRange::quarter(int y, int q) {
  int m0 = (q - 1) * 3 + 1;
  return {CivilDay::from_ymd(y, m0, 1), CivilDay::from_ymd(y, m0 + 2, days_in_month(y, m0 + 2))};
}

DayRange DayRange::previous_year() const {
  auto shift = [](CivilDay d) {
    int y = d.year() - 1, m = d.month(), dd = d.day();
    if (m == 2 && dd == 29 && !is_leap_year(y)) dd = 28;
    return CivilDay::from_ymd(y, m, dd);
  };
  return {shift(first), shift(last)};
}

std::string DayRange::to_string() const { return first.to_string() + ".." + last.to_string(); }

}  // namespace ecomon
