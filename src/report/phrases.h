// The Chinese wording of a bulletin (生态环境状况公报): year-on-year changes, shares and attainment, with the
// rounding the standards require (GB/T 8170 half to even via core/decimal.h; percentages to one decimal).
// Pure functions; the golden table tests/cases/bulletin_phrases.csv holds every rule with its working.
//
//   percent_change_phrase(Decimal{39, 0}, Decimal{48, 0});  // "同比下降18.8%" (-18.75 -> -18.8)
//   days_change_phrase(10);                                 // "同比增加10天"
//   attainment_phrase("Ⅲ");                                 // "达到或优于Ⅲ类"
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/decimal.h"

namespace ecomon::report {

// (current - previous) / previous x 100 rounded half-even to 1 decimal; nullopt when previous is zero.
std::optional<Decimal> rounded_percent_change(const Decimal& current, const Decimal& previous);
// "同比下降18.8%", "同比上升3.2%", "同比持平" (the rounded change is 0.0); "" when previous is zero.
std::string percent_change_phrase(const Decimal& current, const Decimal& previous);
// The same wording for a change already rounded (e.g. the air module's year_on_year.percent).
std::string rounded_percent_phrase(const Decimal& percent);
// Day counts: "同比增加10天", "同比减少3天", "与上年持平".
std::string days_change_phrase(int64_t delta);
// Any count with its measure word: count_change_phrase(25, "件") = "同比增加25件"; 0 = "与上年持平".
std::string count_change_phrase(int64_t delta, const std::string& unit);
// Percentage points (优良天数比率): "同比上升3.2个百分点", "同比下降0.5个百分点", "与上年持平".
std::string points_change_phrase(const Decimal& delta);
// a - b exactly, at the larger of their scales (54.3 - 54 = 0.3; 53 - 54.0 = -1.0).
Decimal difference(const Decimal& a, const Decimal& b);
// A level's change in decibels, this year minus last, exact at the larger of their scales:
// "同比上升0.3分贝", "同比下降1.0分贝", "与上年持平".
std::string decibel_change_phrase(const Decimal& current, const Decimal& previous);
// part / whole x 100 rounded half-even to 1 decimal ("占66.7%" of 2 of 3); nullopt when whole is zero.
std::optional<Decimal> share_percent(int64_t part, int64_t whole);
// "达到或优于Ⅲ类" for a class name ("Ⅲ").
std::string attainment_phrase(const std::string& class_name);
// 超标倍数 against a standard: "超过国家二级标准0.26倍"; "达到国家二级标准" when there is no multiple.
std::string limit_phrase(const std::optional<Decimal>& exceed_multiple,
                         const std::string& standard = "国家二级标准");

}  // namespace ecomon::report
