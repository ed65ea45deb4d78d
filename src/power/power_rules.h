// Power-use monitoring (用电监控, issue 22): the rules that read an enterprise's metered lines — production
// lines (生产设施) and the treatment lines (治污设施) that serve them — from their power readings. Pure: the
// lines, readings, stop orders and sites come in, events and verdicts go out (no clock, no store).
//
// A reading is a line's mean power over the interval that starts at its time (HJ 212-2025 electricity data,
// codes d2xxxx for production and d3xxxx for treatment facilities, UNCONFIRMED: spec 11), in kW; a line is
// running at a reading when its power is at or above the line's `running_kw` threshold (set per line: local
// practice differs, e.g. a fraction of the rated power). Readings of different lines are compared at the same
// time stamp only; a time where a line has no reading judges nothing and ends a run (a data gap is not
// evidence either way).
//
//   auto events = power::treatment_not_running(lines, readings, {});      // 治污设施未同步运行
//   auto orders = power::production_during_stop(lines, readings, stops, {});
//   auto verdict = power::cut_compliance(line, readings, warning, 30, {}); // 限产 30 %: achieved?
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "sources/record.h"

namespace ecomon::power {

using sources::SourceTime;
using sources::TimeSpan;

enum class LineRole : uint8_t { kProduction, kTreatment };

struct MeteredLine {
  std::string id;  // unique within the platform: "E01/P1"
  std::string enterprise, name;
  LineRole role = LineRole::kProduction;
  Decimal running_kw;               // running at a reading >= this
  std::vector<std::string> serves;  // treatment lines: the production lines they treat
  int64_t interval_s = 60;          // the readings' interval (minute data: 60)
};

struct Reading {
  SourceTime at;  // start of the interval
  Decimal kw;     // mean power over the interval
};
// Each line's readings by line id, in time order (unsorted input is sorted; a repeated time keeps the first).
using Readings = std::map<std::string, std::vector<Reading>>;

// An event of a rule: [opened, closed) where closed is the time of the first reading that ends it (none:
// still open at the last reading).
struct PowerEvent {
  std::string rule;  // "treatment_not_running", "production_during_stop", "site_drawing_power"
  std::string enterprise, line, related;  // related: the treatment line, the stop order's reason, the site
  SourceTime opened;
  std::optional<SourceTime> closed;
  int64_t readings = 0;  // readings in the run
};

struct TreatmentParams {
  // A run opens an event only once it lasts this long (readings × interval): short dips are not events.
  int64_t min_seconds = 15 * 60;
};
// 治污设施未同步运行: for each treatment line and each production line it serves, the runs of time stamps
// where the production line is running and the treatment line is not, lasting at least min_seconds. kInvalid-
// Argument for a treatment line serving an unknown or non-production line.
StatusOr<std::vector<PowerEvent>> treatment_not_running(const std::vector<MeteredLine>& lines,
                                                        const Readings& readings,
                                                        const TreatmentParams& params);

// A stop order of the warning in force for one production line (the emergency roster's 停产 at the level).
struct StopOrder {
  std::string line;
  TimeSpan span;
  std::string reason;  // "橙色预警 停产"
};
struct StopParams {
  // Time after the order takes effect during which the line may still be shutting down (UNCONFIRMED: the
  // seeds give none; default none).
  int64_t grace_seconds = 0;
  int64_t min_seconds = 15 * 60;  // as TreatmentParams::min_seconds
};
// The runs of readings inside an order (after its grace) where its line is running, lasting at least
// min_seconds; a run still going when the order ends closes at the order's end.
StatusOr<std::vector<PowerEvent>> production_during_stop(const std::vector<MeteredLine>& lines,
                                                         const Readings& readings,
                                                         const std::vector<StopOrder>& orders,
                                                         const StopParams& params);

// Energy in kWh of a line's readings whose interval starts inside `span`, with how many readings counted.
struct Energy {
  Rational kwh{0, 1};
  int64_t readings = 0;
  int64_t expected = 0;  // span length / interval
};
Energy energy(const MeteredLine& line, const std::vector<Reading>& readings, TimeSpan span);
// What the means need of a line's readings in a span, as a store sums them (PowerStore::reading_sums): how
// many readings (one per time) and the sum of their kW in thousandths.
struct ReadingSum {
  int64_t readings = 0;
  int64_t milli_kw = 0;
};
ReadingSum reading_sum(const std::vector<Reading>& readings, TimeSpan span);
Energy energy(const MeteredLine& line, ReadingSum sum, TimeSpan span);

struct CutParams {
  int64_t baseline_days = 7;  // the baseline: the days just before the warning (UNCONFIRMED, a parameter)
  // A period whose readings cover less than this share of it is "insufficient data", not judged.
  int min_coverage_percent = 75;
};
enum class CutVerdict : uint8_t { kCutting, kNotCutting, kInsufficientData };
std::string_view cut_verdict_name(CutVerdict v);  // "cutting", "not_cutting", "insufficient_data"
struct CutCompliance {
  Energy baseline, during;
  // Mean power in each period (energy / covered hours), kW, exact.
  std::optional<Rational> baseline_kw, during_kw;
  std::optional<Rational> achieved_cut;  // 1 - during_kw / baseline_kw (a fraction; negative: more power)
  int required_percent = 0;
  CutVerdict verdict = CutVerdict::kInsufficientData;
};
// Whether a production line cut its power by the required share during `warning`: the mean power while the
// warning is in force against the mean power of the baseline_days before it begins (means over the readings
// present, so that a gap does not count as a cut). Cutting when achieved_cut × 100 >= required_percent.
CutCompliance cut_compliance(const MeteredLine& line, const std::vector<Reading>& readings, TimeSpan warning,
                             int required_percent, const CutParams& params);
// The same verdict from the sums of the readings of the baseline (the baseline_days before warning.begin)
// and of the warning: exactly what the readings give (app::power_check asks the store for the sums).
CutCompliance cut_compliance(const MeteredLine& line, ReadingSum baseline, ReadingSum during,
                             TimeSpan warning, int required_percent, const CutParams& params);
TimeSpan cut_baseline(TimeSpan warning, const CutParams& params);  // [begin − baseline_days, begin)

// The required cut of one production line during one warning, as judged (app::power_check).
struct LineCut {
  std::string enterprise, line, list_line;
  std::string list_enterprise, county;  // the reduction list's entry the line's enterprise is, and its county
  std::string level;                    // "yellow", "orange", "red"
  TimeSpan during;                      // the warning inside the period judged
  CutCompliance compliance;
};

// A site that must draw no power (a closed or 散乱污 site, 取缔/关停) and its daily energy from the grid
// company's file.
struct ClosedSite {
  std::string id, name, meter;
  SourceTime closed_since;
};
struct DailyEnergy {
  std::string meter;
  CivilDay day;
  Decimal kwh;
};
struct SiteParams {
  Decimal max_kwh_per_day{5, 0};  // above this a closed site is drawing power (UNCONFIRMED, a parameter)
};
// One event per site and run of consecutive days (from the day after closed_since's day) above the limit:
// opened at the first such day's start, closed at the start of the first day at or below it (or of a day
// without a figure).
// An enforcement case as stored (store/api/power.h PowerCaseRow, app::power_cases): a site's run of days
// drawing power, "YYYY-MM-DD" days, closed "" while open.
struct EnforcementCase {
  std::string site, opened, closed, name, county, meter, status;
  int64_t days = 0;
  std::string threshold_kwh;
  int64_t found_ms = 0, updated_ms = 0;
};

std::vector<PowerEvent> sites_drawing_power(const std::vector<ClosedSite>& sites,
                                            const std::vector<DailyEnergy>& days, const SiteParams& params);

}  // namespace ecomon::power
