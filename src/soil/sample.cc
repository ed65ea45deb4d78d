#include "soil/sample.h"

#include <string>

#include "soil/text.h"
#include "standards/water/exact.h"

namespace ecomon::soil {
namespace {

constexpr int64_t kThousand = 1000;
constexpr int64_t kMillion = 1000000;

}  // namespace

StatusOr<LabValue> parse_lab_value(std::string_view text) {
  std::string t(text);
  if (t == "ND" || t == "nd" || t == "未检出") return LabValue{Rational{0, 1}, true};
  bool nd = false;
  if (!t.empty() && (t.back() == 'L' || t.back() == 'l')) {
    t.pop_back();
    nd = true;
  } else if (!t.empty() && t.front() == '<') {
    t.erase(0, 1);
    nd = true;
  }
  auto v = exact::parse(t);
  if (!v)
    return invalid_argument("'" + std::string(text) + "' is not a number (or 未检出 as 0.1L, <0.1, ND)");
  if (v->num < 0) return invalid_argument("'" + std::string(text) + "' is negative");
  return LabValue{*v, nd};
}

std::string_view canonical_unit(std::string_view unit) {
  std::string u;
  for (char ch : lower_ascii(unit)) {
    if (ch != ' ' && ch != '-') u += ch;
  }
  if (auto teq = u.find("teq"); teq != std::string::npos) u.erase(teq, 3);
  // µ (U+00B5) and μ (U+03BC) as u.
  for (std::string_view micro : {std::string_view("\xC2\xB5"), std::string_view("\xCE\xBC")}) {
    if (u.rfind(micro, 0) == 0) u.replace(0, micro.size(), "u");
  }
  if (u == "mg/kg") return "mg/kg";
  if (u == "ug/kg") return "ug/kg";
  if (u == "ng/kg") return "ng/kg";
  return "";
}

StatusOr<Rational> to_mg_per_kg(const Rational& value, std::string_view unit) {
  std::string_view u = canonical_unit(unit);
  if (u == "mg/kg") return value;
  if (u == "ug/kg") return exact::div(value, Rational{kThousand, 1});
  if (u == "ng/kg") return exact::div(value, Rational{kMillion, 1});
  return invalid_argument("unit '" + std::string(unit) +
                          "' is not a mass fraction of soil (mg/kg, µg/kg, ng/kg)");
}

}  // namespace ecomon::soil
