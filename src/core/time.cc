#include "core/time.h"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace ecomon {
namespace {
namespace chr = std::chrono;

chr::year_month_day ymd_of(CivilDay d) {
  return chr::year_month_day(chr::sys_days(chr::days(d.days_since_epoch())));
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
  chr::sys_days sd{chr::year{y} / chr::month{static_cast<unsigned>(m)} / chr::day{static_cast<unsigned>(d)}};
  return CivilDay(static_cast<int32_t>(sd.time_since_epoch().count()));
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

int CivilDay::year() const { return static_cast<int>(ymd_of(*this).year()); }
int CivilDay::month() const { return static_cast<int>(static_cast<unsigned>(ymd_of(*this).month())); }
int CivilDay::day() const { return static_cast<int>(static_cast<unsigned>(ymd_of(*this).day())); }
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
