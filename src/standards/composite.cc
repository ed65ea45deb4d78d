#include "standards/composite.h"

#include <charconv>
#include <string>

namespace ecomon {

CompositeRule composite_2018() {
  CompositeRule r;
  r.id = "RANK-2018";
  // S_i: SO2 60, NO2 40, PM10 70, PM2.5 35 ug/m3 (annual class-2), CO 4 mg/m3 (24-h), O3 160 ug/m3 (8-h).
  r.s = {Decimal::of_int(60), Decimal::of_int(40), Decimal::of_int(70),
         Decimal::of_int(35), Decimal::of_int(4),  Decimal::of_int(160)};
  r.weight = {1, 1, 1, 1, 1, 1};
  return r;
}

namespace {

// Parses "A=x,B=y" into (pollutant, milli value) pairs and hands each to `set`.
template <typename F>
Status parse_pairs(std::string_view spec, std::string_view what, F set) {
  size_t pos = 0;
  while (pos < spec.size()) {
    size_t end = spec.find(',', pos);
    if (end == std::string_view::npos) end = spec.size();
    std::string_view item = spec.substr(pos, end - pos);
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return invalid_argument(std::string(what) + ": '" + std::string(item) + "' is not POLLUTANT=VALUE");
    }
    auto p = parse_pollutant(item.substr(0, eq));
    if (!p)
      return invalid_argument(std::string(what) + ": unknown pollutant '" + std::string(item.substr(0, eq)) +
                              "'");
    auto v = parse_milli(item.substr(eq + 1));
    if (!v || *v <= 0) {
      return invalid_argument(std::string(what) + ": '" + std::string(item.substr(eq + 1)) +
                              "' is not a positive number");
    }
    ECOMON_RETURN_IF_ERROR(set(*p, *v));
    pos = end + 1;
  }
  return Status();
}

}  // namespace

Status apply_composite_weights(CompositeRule& rule, std::string_view spec) {
  Status st = parse_pairs(spec, "composite weights", [&](Pollutant p, int64_t milli) -> Status {
    if (milli % kMilliPerUnit != 0) return invalid_argument("composite weights must be whole numbers");
    rule.weight[static_cast<size_t>(index_of(p))] = static_cast<int32_t>(milli / kMilliPerUnit);
    return Status();
  });
  if (st.ok() && rule.id.find("/custom") == std::string::npos) rule.id += "/custom";
  return st;
}

Status apply_composite_limits(CompositeRule& rule, std::string_view spec) {
  Status st = parse_pairs(spec, "composite limits", [&](Pollutant p, int64_t milli) -> Status {
    rule.s[static_cast<size_t>(index_of(p))] = Decimal{milli, 3};
    return Status();
  });
  if (st.ok() && rule.id.find("/custom") == std::string::npos) rule.id += "/custom";
  return st;
}

}  // namespace ecomon
