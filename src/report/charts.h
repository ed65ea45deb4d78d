// Charts of the bulletin as inline SVG, generated here so that the HTML needs no script and the PDF is
// deterministic (the same data gives the same bytes). Geometry only uses doubles; the numbers printed on a
// chart come from the caller as text.
//
//   Series s{"PM2.5 2019", "#d9534f", false, {48, 52}};  // a value per month, nullopt: none
//   std::string svg = monthly_line_chart({s}, "微克/立方米");
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace ecomon::report {

struct Series {
  std::string name;
  std::string colour;  // "#rrggbb"
  bool dashed = false;
  std::array<std::optional<double>, 12> values{};  // January..December
};
// Lines over the twelve months with a legend; a month without value breaks the line.
std::string monthly_line_chart(const std::vector<Series>& series, const std::string& unit);

// A year's calendar: one row per month, one cell per day coloured by its AQI level (1..6; 0 = no valid day),
// with the level legend.
struct CalendarDay {
  CivilDay day;
  int level = 0;
};
std::string level_calendar(int year, const std::vector<CalendarDay>& days);

// One 100% bar of days per AQI level 1..6, each part labelled with its count and share (texts from the
// caller).
struct LevelShare {
  int level = 1;
  int days = 0;
  std::string label;  // e.g. "二级 163天 46.3%"
};
std::string level_share_bar(const std::vector<LevelShare>& parts);

// Grouped bars: for each category (e.g. water classes Ⅰ..劣Ⅴ) one bar per series.
struct BarSeries {
  std::string name;
  std::string colour;
  std::vector<int> values;  // one per category
};
std::string grouped_bar_chart(const std::vector<std::string>& categories,
                              const std::vector<BarSeries>& series, const std::string& unit);

// AQI level names and colours (HJ 633 Table 2): 1 优 #00e400 ... 6 严重污染 #7e0023; level 0 = no data
// (grey).
const char* level_name(int level);
const char* level_colour(int level);

// Escapes &, <, >, " for HTML and SVG text.
std::string escape_xml(const std::string& text);

}  // namespace ecomon::report
