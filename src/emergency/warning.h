// Heavy-pollution warnings (重污染天气预警): deciding the level from a daily AQI forecast, the advice for the
// warning in force (raise, upgrade, keep, lift under the 36-hour rule), and the history of declarations with
// who declared what.
//
// Spec 08 §1: yellow when the daily AQI is forecast > 200 for >= 2 days; orange for >= 3 days; red for >= 4
// days with >= 2 of them > 300, or when any day reaches 500; lift when the AQI improves below the start
// criterion and stays so for >= 36 h. The 2024 guidance's thresholds are UNCONFIRMED, so every number here is
// a field of WarningRules with the 2019/2020 scheme as default (docs/emergency.md lists them).
//
//   std::vector<ForecastDay> f = {{d, 180}, {d + 1, 230}, {d + 2, 260}, {d + 3, 190}};
//   StatusOr<LevelDecision> dec = decide_level(f, {});   // yellow: 2 days > 200 (d+1, d+2)
//   Advice a = advise(WarningLevel::kNone, *dec, f, {});  // kRaise to yellow from d+1
//
// Pure: no clock, no store. Days are natural days of the forecast (the AQI "daily" value may be a rolling
// 24-h mean: whoever makes the forecast decides; the rules only see one value per day).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/actor.h"
#include "core/status.h"
#include "core/time.h"
#include "emergency/registry.h"

namespace ecomon::emergency {

struct ForecastDay {
  CivilDay day;
  int aqi = 0;  // daily AQI (HJ 633), 0..kMaxAqi
};
inline constexpr int kMaxAqi =
    2000;  // AQI is not capped at 500 (IAQI extrapolates); anything above is an error

struct WarningRules {
  int heavy_above = 200;       // 重度污染: AQI > heavy_above
  int severe_above = 300;      // 严重污染: AQI > severe_above
  int extreme_at = 500;        // red whenever a day reaches it (AQI >= extreme_at); 0 disables
  int yellow_days = 2;         // heavy days in a row for yellow
  int orange_days = 3;         // ... for orange
  int orange_severe_days = 0;  // severe days the orange run must hold (2017 MEP variant: 1); default 0
  int red_days = 4;            // heavy days in a row for red ...
  int red_severe_days = 2;     // ... of which at least this many severe
  int lift_hours = 36;         // lift when the forecast stays below the start criterion this long
  // Whether the advice may lower a warning in force to a lower level while heavy days continue. Default no:
  // "frequent fluctuation between levels: apply the higher level" (Taiyuan 2019 text, spec 08 §1).
  bool allow_downgrade = false;
};

// Sets one rule by its field name ("yellow_days", "allow_downgrade" (0/1), ...), for CLI options and case
// files.
Status set_rule(WarningRules& r, std::string_view name, std::string_view value);

// Checks the rules' own consistency (positive counts, yellow < orange < red days, thresholds ordered).
Status validate_rules(const WarningRules& r);
// Checks a forecast series: non-empty, days strictly consecutive (no gap, no repeat), AQI in 0..kMaxAqi. The
// message names the position and day: "day 3 (2020-12-04): repeats the previous day".
Status validate_forecast(const std::vector<ForecastDay>& f);

// The level the forecast calls for and the run of heavy days that decides it.
struct LevelDecision {
  WarningLevel level = WarningLevel::kNone;
  std::optional<CivilDay> first;  // first and last day of the deciding run of heavy days (AQI > heavy_above)
  std::optional<CivilDay> last;
  int heavy_days = 0;    // days in the run
  int severe_days = 0;   // of them, days > severe_above
  bool extreme = false;  // a day of the run reached extreme_at
  std::string reason;    // "3 days > 200 (2020-12-02..2020-12-04)"
};

// Every run of consecutive heavy days in the series that reaches a level, in order: the episodes of a
// forecast, or in hindsight of the observed daily AQI (`ecomon emergency warnings --city`).
StatusOr<std::vector<LevelDecision>> episodes(const std::vector<ForecastDay>& series,
                                              const WarningRules& rules);

// The highest level any run of consecutive heavy days in the forecast reaches (the earliest such run).
StatusOr<LevelDecision> decide_level(const std::vector<ForecastDay>& forecast, const WarningRules& rules);

enum class AdviceKind : uint8_t {
  kNone,       // no warning in force and none called for
  kRaise,      // 启动: no warning in force, the forecast calls for one
  kUpgrade,    // 升级: the forecast calls for a higher level than the one in force
  kKeep,       // keep the level in force
  kDowngrade,  // 降级 (only with allow_downgrade)
  kLift,       // 解除: the forecast stays below the start criterion for lift_hours from the first day
};
std::string_view advice_name(AdviceKind k);

struct Advice {
  AdviceKind kind = AdviceKind::kNone;
  WarningLevel level = WarningLevel::kNone;  // the level to be in force after following the advice
  std::optional<CivilDay> from;              // from when (raise/upgrade: the run's first day)
  std::string reason;
};

// The advice for a warning `in_force` (kNone: none) given the forecast from today on (forecast[0] = today)
// and its decision. Lifting needs the first ceil(lift_hours / 24) forecast days all at or below heavy_above.
Advice advise(WarningLevel in_force, const LevelDecision& decision, const std::vector<ForecastDay>& forecast,
              const WarningRules& rules);

// ---- History of declarations (who declared what) ----

enum class WarningAction : uint8_t { kDeclare, kUpgrade, kDowngrade, kLift };
std::string_view action_name(WarningAction a);  // "declare", "upgrade", "downgrade", "lift"

struct WarningEvent {
  int64_t id = 0;  // assigned by the store, increasing
  WarningAction action = WarningAction::kDeclare;
  WarningLevel level = WarningLevel::kNone;  // the level in force after the event (kNone after a lift)
  std::string effective_from;                // "YYYY-MM-DD hh:mm", civil time
  std::string declared_by;                   // Actor::user
  std::string role;                          // role_name(Actor::role) at the time
  std::string reason;
};

// The warning in force after the history (kNone when none or lifted), and since when.
struct WarningState {
  WarningLevel level = WarningLevel::kNone;
  std::string since;
};
WarningState state_of(const std::vector<WarningEvent>& history);

// The event a declaration makes, checked: the actor must be the bureau's (declaring and lifting are
// city-level writes: Actor::is_bureau()); `level` must differ from the one in force (same level:
// kFailedPrecondition; higher: upgrade; lower: downgrade; none in force: declare); `effective_from` must be
// "YYYY-MM-DD hh:mm" and not before the last event's. kPermissionDenied for any other actor.
StatusOr<WarningEvent> declaration(const std::vector<WarningEvent>& history, WarningLevel level,
                                   const std::string& effective_from, const Actor& actor,
                                   const std::string& reason);
// The event that lifts the warning in force (kFailedPrecondition when none is).
StatusOr<WarningEvent> lifting(const std::vector<WarningEvent>& history, const std::string& effective_from,
                               const Actor& actor, const std::string& reason);

// Checks "YYYY-MM-DD hh:mm" (hh 00..23, mm 00..59).
Status validate_civil_minute(const std::string& text);

// The level and start of a control roster: `level` and `from` as asked, empty ones from the warning in force.
// invalid_argument for a bad level or time, or when no warning is in force and they are not both given.
struct RosterPeriod {
  WarningLevel level = WarningLevel::kNone;
  std::string from;  // "YYYY-MM-DD hh:mm"
};
StatusOr<RosterPeriod> roster_period(const WarningState& in_force, const std::string& level,
                                     const std::string& from);

}  // namespace ecomon::emergency
