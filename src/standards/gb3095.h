// Ambient air quality limits (环境空气质量标准) GB 3095-2012 and GB 3095-2026 (transition phase to
// 2030-12-31, final limits from 2031-01-01), Table 1 basic items, as rule sets chosen by date.
//
//   const LimitSet& s = *limit_set_for(CivilDay::from_ymd(2027, 1, 1)).value();   // GB3095-2026T
//   s.limit(Pollutant::kPM25, Averaging::kAnnual, ZoneClass::kClass2);           // 30 ug/m3 (Decimal)
#pragma once

#include <optional>
#include <string_view>

#include "core/decimal.h"
#include "core/status.h"
#include "core/time.h"
#include "standards/pollutant.h"

namespace ecomon {

enum class Averaging : uint8_t { kAnnual, k24h, k1h, kMaxDaily8h };
enum class ZoneClass : uint8_t { kClass1 = 1, kClass2 = 2 };  // 一类区 / 二类区

std::string_view averaging_code(Averaging a);  // "annual", "24h", "1h", "max_daily_8h"

struct LimitSet {
  std::string_view id;     // "GB3095-2012", "GB3095-2026T", "GB3095-2026"
  std::string_view title;  // "GB 3095-2012 环境空气质量标准"
  CivilDay valid_from;
  std::optional<CivilDay> valid_to;
  // The limit, or nullopt where the standard sets none (CO and O3 have no annual limit).
  std::optional<Decimal> limit(Pollutant p, Averaging a, ZoneClass z) const;
};

const LimitSet& gb3095_2012();
const LimitSet& gb3095_2026_transition();
const LimitSet& gb3095_2026_final();
StatusOr<const LimitSet*> limit_set_for(CivilDay d);
// "GB3095-2012" / "2012", "GB3095-2026T" / "2026T", "GB3095-2026" / "2026".
StatusOr<const LimitSet*> limit_set_by_id(std::string_view id);

}  // namespace ecomon
