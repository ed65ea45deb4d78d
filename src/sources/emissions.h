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

// (current - base) / base × 100, nullopt when base is 0.
std::optional<double> change_percent(double current, double base);
// The value rounded half to even (GB/T 8170) at `digits` decimals (0..9), read at three digits more first so
// that a double's representation error does not decide a tie (1.2345 → "1.234" at 3 digits).
std::string round_text(double value, int digits);

}  // namespace ecomon::sources
