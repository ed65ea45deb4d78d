#include "report/phrases.h"

#include <algorithm>

namespace ecomon::report {
namespace {

constexpr int kPercentDecimals = 1;

std::string magnitude(const Decimal& d) {
  return Decimal{d.units < 0 ? -d.units : d.units, d.scale}.to_string();
}

}  // namespace

std::optional<Decimal> rounded_percent_change(const Decimal& current, const Decimal& previous) {
  auto r = percent_change(current, previous);
  if (!r) return std::nullopt;
  return round_half_even(*r, kPercentDecimals);
}

std::string rounded_percent_phrase(const Decimal& percent) {
  if (percent.units == 0) return "同比持平";
  return std::string(percent.units < 0 ? "同比下降" : "同比上升") + magnitude(percent) + "%";
}

std::string percent_change_phrase(const Decimal& current, const Decimal& previous) {
  auto p = rounded_percent_change(current, previous);
  return p ? rounded_percent_phrase(*p) : std::string();
}

std::string count_change_phrase(int64_t delta, const std::string& unit) {
  if (delta == 0) return "与上年持平";
  return std::string(delta < 0 ? "同比减少" : "同比增加") + std::to_string(delta < 0 ? -delta : delta) + unit;
}

std::string days_change_phrase(int64_t delta) { return count_change_phrase(delta, "天"); }

std::string points_change_phrase(const Decimal& delta) {
  if (delta.units == 0) return "与上年持平";
  return std::string(delta.units < 0 ? "同比下降" : "同比上升") + magnitude(delta) + "个百分点";
}

Decimal difference(const Decimal& a, const Decimal& b) {
  constexpr int64_t kTen = 10;
  const int scale = std::max(a.scale, b.scale);
  auto at = [&](Decimal d) {
    for (; d.scale < scale; ++d.scale) d.units *= kTen;
    return d.units;
  };
  return Decimal{at(a) - at(b), scale};
}

std::string decibel_change_phrase(const Decimal& current, const Decimal& previous) {
  const Decimal delta = difference(current, previous);
  if (delta.units == 0) return "与上年持平";
  return std::string(delta.units < 0 ? "同比下降" : "同比上升") + magnitude(delta) + "分贝";
}

std::optional<Decimal> share_percent(int64_t part, int64_t whole) {
  if (whole == 0) return std::nullopt;
  constexpr int64_t kHundred = 100;
  return round_half_even(Rational{part * kHundred, whole}, kPercentDecimals);
}

std::string attainment_phrase(const std::string& class_name) { return "达到或优于" + class_name + "类"; }

std::string limit_phrase(const std::optional<Decimal>& exceed_multiple, const std::string& standard) {
  if (!exceed_multiple) return "达到" + standard;
  return "超过" + standard + exceed_multiple->to_string() + "倍";
}

}  // namespace ecomon::report
