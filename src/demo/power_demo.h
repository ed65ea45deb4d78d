// The demo city's power-use modules (用电监控, issue 22, docs/power.md) as the metered-line template
// `line,enterprise,name,role,running_kw,interval_s,mn,code,serves,outlets,list_lines`. Seed 004 counts 53
// power-use modules beside 17 online monitoring points; the demo's 16 online devices scale that to
// 16 × 53 / 17 ≈ 50 modules, spread over the demo registry's 12 enterprises by size (the steelworks 7, the
// power plant 6, ... the sewage plants 2 each). Module k (0-based) is HJ 212 device sim_mn(first_device + k)
// and meters two lines of its enterprise: a production line `E01/P1` (d20101, running at >= 50 kW) and the
// treatment line `E01/T1` (d30101, running at >= 10 kW) that serves it; both name the outlet they emit
// through (the enterprise's outlets in turn) and the production line names a line of the enterprise's entry
// on the demo reduction list (its lines in turn; the sewage plants are not on the list). Readings every 60 s.
// `hj212-sim --power --protocol 2025 --first-device F --devices N` feeds them (gateway/simulator.h,
// power_module_reading: running thresholds chosen so that its night standby and its treatment outages count
// as off). More than 50 modules (benchmarks) repeat the spread with higher line numbers.
//
//   std::string csv = demo::power_lines_csv(demo::kDemoPowerModules, demo::kDemoPowerFirstDevice);
#pragma once

#include <string>

namespace ecomon::demo {

inline constexpr int kDemoPowerModules = 50;
inline constexpr int kDemoPowerFirstDevice = 200;
inline constexpr const char* kDemoProductionRunningKw = "50";
inline constexpr const char* kDemoTreatmentRunningKw = "10";

std::string power_lines_csv(int modules, int first_device);

}  // namespace ecomon::demo
