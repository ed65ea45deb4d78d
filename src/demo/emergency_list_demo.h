// The demo city's emergency reduction list (演示市重污染天气应急减排清单): a deterministic, synthetic
// registry written as the list templates (emergency/list_templates.h), plus a sample forecast and a few
// inspections, so that `ecomon emergency import DIR` reads it like a real list.
//
//   Status s = write_demo_list("build/demo-emergency");   // enterprises.csv lines.csv measures.csv
//                                                          // inspections.csv forecast.csv
//
// Size and mix follow seed 003 scaled by 1/5: the city listed 1,266 enterprises in 2020 (kDemoListEnterprises
// = 253), of which 409 VOCs enterprises (化工 22, 工业涂装 330, 包装印刷 23, 塑料制品 33: here 4, 66, 5, 7).
// Grades spread like a real list (few A and 引领性, most C/D/未分级); about 5 % 保障类. The first ten entries
// are the gas-emitting enterprises of the demo source registry (store/sources/demo_registry.h: E01..E10, same
// names and counties) and link to them, so their compliance is checked on the HJ 212 data. Measures are
// illustrative (tightening yellow < orange < red by grade), not any real plan's. Pure function of nothing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace ecomon {

inline constexpr int kDemoListEnterprises = 253;
inline constexpr int kDemoListLinked = 10;  // JC0001..JC0010 -> E01..E10

Status write_demo_list(const std::string& dir);

// The line ids (L1, L2, ...) of the list entries linked to the demo source registry, by source enterprise
// (E01 -> {"L1", "L2"}): what the demo's power lines name as their reduction-list lines (demo/power_demo.h).
std::map<std::string, std::vector<std::string>> demo_list_linked_lines();

}  // namespace ecomon
