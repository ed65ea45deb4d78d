// Emission totals (排放量核算) from HJ 212 online-monitoring data: the load of each pollutant per device over
// a period, then per outlet, enterprise, county and industry of the registry, with the method used and how
// completely the period is covered. Pure: the registry and the decoded records come in, values go out.
//
// Per record of the chosen kind (hourly 2061 by default; minute 2051, daily 2031, real-time 2011):
//   1. the device's cumulative emission of the interval (`-Cou`) when present and flagged N — the standard's
//      emission unit: kg for a pollutant reported in mg/m3 or mg/L, g for ug/m3 or ug/L, mg for ng/m3 or ng/L
//      (HJ 212-2017 Appendix B, default_unit_emission);
//   2. otherwise concentration × flow × interval: the pollutant's -Avg (-Rtd for real-time) and the outlet's
//      flow (a00000 for gas, w00000 for water) both flagged N, with the units converted — concentration to
//      mg/m3 (mg/L × 1000, ug/m3 × 0.001, ug/L × 1, ng/m3 × 10^-6, ng/L × 0.001), flow to m3/s (L/s × 0.001,
//      m3/h ÷ 3600, m3/d ÷ 86400; the registry's unit of the flow, else HJ 212's default: m3/s gas, L/s
//      water), the interval in seconds (the device's interval of that kind) — mg, then kg (× 10^-6);
//   3. otherwise the interval counts as missing (no value, a flag other than N, no flow, an unknown unit).
// The measured concentration (-Avg) is used, never the standardised one (-ZsAvg: a compliance figure).
// A record repeated with the same DataTime counts once (the first).
//
//   sources::EmissionParams p;                                       // hourly records
//   auto loads = sources::device_loads(device, OutletKind::kGas, span, records, p);   // per pollutant, kg
//   auto totals = sources::emission_totals(registry, {loads...});      // per
//   outlet/enterprise/county/industry
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sources/record.h"
#include "sources/registry.h"

namespace ecomon::sources {

enum class LoadMethod : uint8_t { kCumulative, kConcentrationFlow, kMixed, kNone };
// "cou", "concentration_x_flow", "mixed", "none"
std::string_view load_method_key(LoadMethod m);
// "累计值(-Cou)", "浓度×流量", "累计值与浓度×流量", "无数据"
std::string_view load_method_name(LoadMethod m);

struct EmissionParams {
  DataKind kind = DataKind::kHourly;
};

// One pollutant's load over the period.
struct PollutantLoad {
  std::string pollutant;          // vocabulary code, e.g. "a21026"
  double kg = 0;                  // the load, kg
  int64_t intervals_cou = 0;      // intervals counted from -Cou
  int64_t intervals_flow = 0;     // intervals counted as concentration × flow
  int64_t intervals_missing = 0;  // records of the kind without a usable value
  int64_t covered_seconds = 0;    // the counted intervals' length
  int64_t period_seconds = 0;     // the length the devices were expected to cover
  LoadMethod method() const;
  // covered / period × 100; nullopt when nothing was expected.
  std::optional<double> completeness_percent() const;
  PollutantLoad& operator+=(const PollutantLoad& o);
};

// Concentration unit → factor to mg/m3 (nullopt: not a concentration the load can use).
std::optional<double> concentration_factor(std::string_view unit);
// Flow unit → factor to m3/s (nullopt: unknown).
std::optional<double> flow_factor(std::string_view unit);
// The emission (-Cou) unit of a concentration unit, as a factor to kg (mg/* → 1, ug/* → 0.001, ng/* → 10^-6).
std::optional<double> cumulative_factor(std::string_view concentration_unit);
// The flow's code of an outlet kind: a00000 (gas), w00000 (water).
std::string_view flow_code(OutletKind kind);

struct DeviceLoads {
  std::string mn, outlet;
  std::vector<PollutantLoad>
      pollutants;  // the device's monitored pollutants with a usable unit, registry order
  int64_t undecodable = 0;
};
// The device's loads over `span` from its records of params.kind (other kinds and records outside the span
// are ignored). The period each pollutant is expected to cover is the span from the device's registration on,
// minus its registered stop periods. Fails on a device without a usable interval for the kind.
StatusOr<DeviceLoads> device_loads(const Device& device, OutletKind kind, TimeSpan span,
                                   std::span<const MonitoringRecord> records, const EmissionParams& params);

// ---- Day-loads (issue 21): a device's loads kept per pollutant and day, so that a year is a sum of days
// ---- One device's load of one pollutant on one day, from its records of one kind: device_loads over that
// day alone. Only the record-derived parts are kept (kg, the intervals, covered seconds); period_seconds is 0
// — the expected seconds depend on the registry (registration, stop periods) and are worked out when the
// day-loads are summed (loads_from_days), so a registry change leaves no day-load stale.
struct DayLoad {
  std::string mn;
  DataKind kind = DataKind::kHourly;
  CivilDay day;
  PollutantLoad load;
};
// The device's day-loads over `days`: for each day with at least one record of params.kind, one per pollutant
// with a load (the pollutants device_loads reports). A day without a record has none.
StatusOr<std::vector<DayLoad>> device_day_loads(const Device& device, OutletKind kind, DayRange days,
                                                std::span<const MonitoringRecord> records,
                                                const EmissionParams& params);
// The device's loads over `days` from its day-loads (those of other devices, kinds or days ignored): the
// record-derived parts summed, period_seconds over the whole span from the registry — equal to device_loads
// over the same records and span (kg to the last bits of a double's sum).
DeviceLoads loads_from_days(const Device& device, OutletKind kind, DayRange days, DataKind data_kind,
                            std::span<const DayLoad> day_loads);

// Totals of a group (an outlet, an enterprise, a county, an industry, or the whole: key "").
struct LoadGroup {
  std::string key, name;                            // id and name (outlet/enterprise), or the county/industry
  std::map<std::string, PollutantLoad> pollutants;  // by code
  int64_t devices = 0;
};
struct EmissionTotals {
  std::vector<LoadGroup> outlets, enterprises, counties, industries;  // by key
  LoadGroup total;
};
// The devices' loads summed up the registry's tree (devices not in it, or whose outlet is not, are skipped).
EmissionTotals emission_totals(const SourceRegistry& registry, std::span<const DeviceLoads> devices);

// A load compared with its permitted amount (许可排放量) of the year: the outlet's load for an outlet's
// amount, the enterprise's for a whole-enterprise one. The period's load is set against the year's amount
// as it is (a month's load uses part of the year's amount).
struct PermitUse {
  PermittedAmount permit;
  std::string name;  // the enterprise's or the outlet's name
  std::string enterprise_name;
  std::optional<double> kg;  // the period's load; nullopt when nothing of it was monitored
  // load / (tonnes × 1000 kg) × 100; nullopt without a load.
  std::optional<double> share_percent() const;
  bool over() const;  // the load is above the permitted amount
};
// One PermitUse per amount, in the order given; names from the registry.
std::vector<PermitUse> permit_use(const SourceRegistry& registry, const EmissionTotals& totals,
                                  std::span<const PermittedAmount* const> permits);

// (current - base) / base × 100, nullopt when base is 0.
std::optional<double> change_percent(double current, double base);
// The value rounded half to even (GB/T 8170) at `digits` decimals (0..9), read at three digits more first so
// that a double's representation error does not decide a tie (1.2345 → "1.234" at 3 digits).
std::string round_text(double value, int digits);

}  // namespace ecomon::sources
