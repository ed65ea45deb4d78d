#include "report/charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/render.h"

namespace ecomon::report {
namespace {

// Chart geometry (px in the SVG's own coordinates; the page scales it to the column width).
constexpr double kWidth = 640, kPlotLeft = 48, kPlotRight = 620, kPlotTop = 30, kPlotBottom = 200;
constexpr double kLineHeight = 250;
constexpr int kMonths = 12, kDaysMax = 31, kLevels = 6, kTicks = 5;
// The bulletin's font families (render.h), in an SVG attribute: single quotes inside the double-quoted value.
std::string font_attribute() {
  std::string families = kBulletinFontFamily;
  std::replace(families.begin(), families.end(), '"', '\'');
  return "font-family=\"" + families + "\"";
}

std::string num(double v) { return fmt::format("{:.1f}", v); }

std::string open_svg(double height, const std::string& label) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\" "
      "{} font-size=\"11\">",
      num(kWidth), num(height), escape_xml(label), font_attribute());
}

// A "nice" axis maximum: 1, 2 or 5 x 10^k at or above v.
double nice_max(double v) {
  if (v <= 0) return 1;
  double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= v) return m * p;
  }
  return 10 * p;
}

// Horizontal grid lines with labels on the left and the unit above.
std::string y_axis(double max, const std::string& unit) {
  std::string s;
  for (int i = 0; i <= kTicks; ++i) {
    double v = max * i / kTicks;
    double y = kPlotBottom - (kPlotBottom - kPlotTop) * i / kTicks;
    s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ddd\"/>", num(kPlotLeft),
                     num(y), num(kPlotRight), num(y));
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", num(kPlotLeft - 4), num(y + 4),
                     v == std::floor(v) ? fmt::format("{:.0f}", v) : num(v));
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", num(kPlotLeft - 40), num(kPlotTop - 14),
                   escape_xml(unit));
  return s;
}

// One legend entry per series along the bottom: a line (dashed for dashed series) and the name.
struct LegendItem {
  std::string name, colour;
  bool dashed = false;
};
std::string legend(const std::vector<LegendItem>& items) {
  std::string s;
  double x = kPlotLeft;
  const double y = kLineHeight - 18;
  for (const LegendItem& i : items) {
    s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"3\"{}/>",
                     num(x), num(y), num(x + 22), num(y), i.colour,
                     i.dashed ? " stroke-dasharray=\"5,3\"" : "");
    s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", num(x + 26), num(y + 4), escape_xml(i.name));
    x += 40 + 7.0 * static_cast<double>(i.name.size());
  }
  return s;
}

}  // namespace

const char* level_name(int level) {
  static const char* const kNames[] = {"无有效数据", "优",       "良",      "轻度污染",
                                       "中度污染",   "重度污染", "严重污染"};
  return level >= 0 && level <= kLevels ? kNames[level] : kNames[0];
}

const char* level_colour(int level) {
  static const char* const kColours[] = {"#e6e6e6", "#00e400", "#ffff00", "#ff7e00",
                                         "#ff0000", "#99004c", "#7e0023"};
  return level >= 0 && level <= kLevels ? kColours[level] : kColours[0];
}

std::string escape_xml(const std::string& text) {
  std::string s;
  s.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        s += "&amp;";
        break;
      case '<':
        s += "&lt;";
        break;
      case '>':
        s += "&gt;";
        break;
      case '"':
        s += "&quot;";
        break;
      default:
        s += c;
    }
  }
  return s;
}

std::string monthly_line_chart(const std::vector<Series>& series, const std::string& unit) {
  double max = 0;
  for (const Series& s : series) {
    for (const auto& v : s.values) max = std::max(max, v.value_or(0));
  }
  max = nice_max(max);
  std::string out = open_svg(kLineHeight, "monthly") + y_axis(max, unit);
  const double step = (kPlotRight - kPlotLeft) / kMonths;
  for (int m = 0; m < kMonths; ++m) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}月</text>",
                       num(kPlotLeft + step * (m + 0.5)), num(kPlotBottom + 16), m + 1);
  }
  auto y_of = [&](double v) { return kPlotBottom - (kPlotBottom - kPlotTop) * v / max; };
  std::vector<LegendItem> names;
  for (const Series& s : series) {
    std::string path;
    bool pen_down = false;
    for (int m = 0; m < kMonths; ++m) {
      if (!s.values[static_cast<size_t>(m)]) {
        pen_down = false;
        continue;
      }
      double x = kPlotLeft + step * (m + 0.5), y = y_of(*s.values[static_cast<size_t>(m)]);
      path += fmt::format("{}{},{} ", pen_down ? "L" : "M", num(x), num(y));
      pen_down = true;
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{}\"/>", num(x), num(y), s.colour);
    }
    out += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>", path, s.colour,
                       s.dashed ? " stroke-dasharray=\"5,3\"" : "");
    names.push_back({s.name, s.colour, s.dashed});
  }
  out += legend(names);
  return out + "</svg>";
}

std::string level_calendar(int year, const std::vector<CalendarDay>& days) {
  constexpr double kCell = 17, kLeft = 40, kTop = 22, kLegendGap = 24;
  const double height = kTop + kCell * kMonths + kLegendGap + 16;
  std::string out = open_svg(height, "calendar");
  int level[kMonths][kDaysMax] = {};
  for (const CalendarDay& d : days) {
    if (d.day.year() == year) level[d.day.month() - 1][d.day.day() - 1] = std::clamp(d.level, 0, kLevels);
  }
  for (int dd = 1; dd <= kDaysMax; ++dd) {
    if (dd == 1 || dd % 5 == 0) {
      out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                         num(kLeft + kCell * (dd - 0.5)), num(kTop - 6), dd);
    }
  }
  for (int m = 0; m < kMonths; ++m) {
    double y = kTop + kCell * m;
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}月</text>", num(kLeft - 4), num(y + 12),
                       m + 1);
    for (int dd = 0; dd < days_in_month(year, m + 1); ++dd) {
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#fff\"/>",
                         num(kLeft + kCell * dd), num(y), num(kCell), num(kCell), level_colour(level[m][dd]));
    }
  }
  double x = kLeft, y = kTop + kCell * kMonths + kLegendGap;
  for (int l = 1; l <= kLevels + 1; ++l) {
    int lv = l % (kLevels + 1);  // 1..6, then 0 (no data)
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\" stroke=\"#999\"/>",
                       num(x), num(y - 10), level_colour(lv));
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", num(x + 16), num(y), level_name(lv));
    x += 30 + 11.0 * static_cast<double>(std::string(level_name(lv)).size()) / 3;
  }
  return out + "</svg>";
}

std::string level_share_bar(const std::vector<LevelShare>& parts) {
  constexpr double kBarTop = 10, kBarHeight = 34, kHeight = 70 + 18 * kLevels / 2;
  int total = 0;
  for (const LevelShare& p : parts) total += p.days;
  std::string out = open_svg(kHeight, "levels");
  if (total == 0) return out + "</svg>";
  double x = kPlotLeft;
  const double width = kPlotRight - kPlotLeft;
  for (const LevelShare& p : parts) {
    double w = width * p.days / total;
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>", num(x),
                       num(kBarTop), num(w), num(kBarHeight), level_colour(p.level));
    x += w;
  }
  // Labels in two columns below the bar.
  int i = 0;
  for (const LevelShare& p : parts) {
    double lx = kPlotLeft + (i % 3) * (width / 3), ly = kBarTop + kBarHeight + 20 + 18 * (i / 3);
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\" stroke=\"#999\"/>",
                       num(lx), num(ly - 10), level_colour(p.level));
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", num(lx + 16), num(ly), escape_xml(p.label));
    ++i;
  }
  return out + "</svg>";
}

std::string grouped_bar_chart(const std::vector<std::string>& categories,
                              const std::vector<BarSeries>& series, const std::string& unit) {
  double max = 0;
  for (const BarSeries& s : series) {
    for (int v : s.values) max = std::max(max, static_cast<double>(v));
  }
  max = nice_max(max);
  if (max < kTicks) max = kTicks;  // whole counts: one tick per unit at least
  std::string out = open_svg(kLineHeight, "bars") + y_axis(max, unit);
  const double step = (kPlotRight - kPlotLeft) / static_cast<double>(std::max<size_t>(categories.size(), 1));
  const double bar = step * 0.7 / static_cast<double>(std::max<size_t>(series.size(), 1));
  for (size_t c = 0; c < categories.size(); ++c) {
    double x0 = kPlotLeft + step * static_cast<double>(c) + step * 0.15;
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                       num(kPlotLeft + step * (static_cast<double>(c) + 0.5)), num(kPlotBottom + 16),
                       escape_xml(categories[c]));
    for (size_t s = 0; s < series.size(); ++s) {
      int v = c < series[s].values.size() ? series[s].values[c] : 0;
      double h = (kPlotBottom - kPlotTop) * v / max, x = x0 + bar * static_cast<double>(s);
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>", num(x),
                         num(kPlotBottom - h), num(bar - 2), num(h), series[s].colour);
      if (v > 0) {
        out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", num(x + bar / 2 - 1),
                           num(kPlotBottom - h - 3), v);
      }
    }
  }
  std::vector<LegendItem> items;
  for (const BarSeries& s : series) items.push_back({s.name, s.colour, false});
  return out + legend(items) + "</svg>";
}

}  // namespace ecomon::report
