// Laboratory soil values as reports print them: the number, the detection-limit conventions (未检出: "0.1L",
// "<0.1", "ND", "未检出") and the unit, converted to the standards' mg/kg. Pure functions over exact values.
//
//   auto v = parse_lab_value("0.05L");                  // {5/100, not_detected = true}
//   auto mg = to_mg_per_kg(*exact::parse("12"), "ng TEQ/kg");   // 0.000012 (dioxins: 10⁻⁶ mg per ng)
#pragma once

#include <string_view>

#include "core/decimal.h"
#include "core/status.h"

namespace ecomon::soil {

struct LabValue {
  Rational value;  // the number as printed (the detection limit for 未检出; 0 when none is given)
  bool not_detected = false;  // below the detection limit
};
// Plain non-negative decimal text, or one of the 未检出 forms: "<number>L", "<<number>", "ND", "未检出".
StatusOr<LabValue> parse_lab_value(std::string_view text);

// mg/kg, µg/kg (also μg/kg, ug/kg) and ng/kg, with an optional "TEQ" (toxic equivalents: "ng TEQ/kg",
// "ng-TEQ/kg") and case ignored. Fails on any other unit.
StatusOr<Rational> to_mg_per_kg(const Rational& value, std::string_view unit);
// The canonical form of a unit accepted by to_mg_per_kg ("mg/kg", "ug/kg", "ng/kg"); "" when not accepted.
std::string_view canonical_unit(std::string_view unit);

}  // namespace ecomon::soil
