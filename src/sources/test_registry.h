// Test support (not part of the library): the registry the golden cases and unit tests share.
//   G, S: gas outlet G1 of enterprise E1; W: water outlet W1 of enterprise E2 (see
//   tests/cases/source_events.csv).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "sources/registry.h"

namespace ecomon::sources::test_support {

inline constexpr std::string_view kMnG = "010000A8900016F000169DC0";
inline constexpr std::string_view kMnS = "010000A8900016F000169DC1";
inline constexpr std::string_view kMnW = "0200001234567890ABCDEF01";

inline SourceTime at(std::string_view text) { return SourceTime::parse(text).value(); }
inline CivilDay day(std::string_view text) { return CivilDay::parse(text).value(); }

inline Device gas_device(std::string_view mn) {
  Device d{.mn = std::string(mn), .password = "123456", .outlet_id = "G1"};
  d.registered_at = at("2024-01-01 00:00");
  d.pollutants = {{.code = "a21026", .unit = "mg/m3"},
                  {.code = "a21002", .unit = "mg/m3"},
                  {.code = "a34013", .unit = "mg/m3"},
                  {.code = "a19001", .unit = "%", .rated = false}};
  return d;
}

inline Device water_device() {
  Device d{.mn = std::string(kMnW), .password = "654321", .outlet_id = "W1"};
  d.registered_at = at("2024-01-01 00:00");
  d.pollutants = {{.code = "w01018", .unit = "mg/L"},
                  {.code = "w01001", .unit = "无量纲"},
                  {.code = "w21003", .unit = "mg/L"}};
  return d;
}

// The test registry with the devices named (letters G, S, W); all when `letters` is empty.
inline SourceRegistry test_registry(std::string_view letters = "") {
  auto wanted = [&](char c) { return letters.empty() || letters.find(c) != std::string_view::npos; };
  SourceRegistry reg;
  auto ok = [](const Status& s) {
    if (!s.ok()) throw std::runtime_error("test registry: " + s.message());
  };
  ok(reg.add_enterprise({.id = "E1", .name = "晋城某电厂", .county = "泽州县", .industry = "火电"}));
  ok(reg.add_enterprise({.id = "E2", .name = "晋城某污水处理厂", .county = "城区", .industry = "污水处理"}));
  ok(reg.add_outlet({.id = "G1", .enterprise_id = "E1", .kind = OutletKind::kGas, .name = "1#脱硫出口"}));
  ok(reg.add_outlet({.id = "W1", .enterprise_id = "E2", .kind = OutletKind::kWater, .name = "总排口"}));
  const CivilDay since = day("2020-01-01");
  ok(reg.add_limit({.outlet_id = "G1",
                    .pollutant = "a21026",
                    .upper = {35, 0},
                    .unit = "mg/m3",
                    .basis = LimitBasis::kStandardised,
                    .valid_from = since}));
  ok(reg.add_limit({.outlet_id = "G1",
                    .pollutant = "a21002",
                    .upper = {50, 0},
                    .unit = "mg/m3",
                    .basis = LimitBasis::kMeasured,
                    .valid_from = since}));
  ok(reg.add_limit({.outlet_id = "G1",
                    .pollutant = "a34013",
                    .upper = {10, 0},
                    .unit = "mg/m3",
                    .basis = LimitBasis::kStandardised,
                    .valid_from = since}));
  ok(reg.add_limit(
      {.outlet_id = "W1", .pollutant = "w01018", .upper = {50, 0}, .unit = "mg/L", .valid_from = since}));
  ok(reg.add_limit({.outlet_id = "W1",
                    .pollutant = "w01001",
                    .upper = {9, 0},
                    .lower = Decimal{6, 0},
                    .unit = "无量纲",
                    .valid_from = since}));
  ok(reg.add_limit({.outlet_id = "W1",
                    .pollutant = "w21003",
                    .upper = {5, 0},
                    .unit = "mg/L",
                    .valid_from = since,
                    .valid_to = day("2024-06-30")}));
  ok(reg.add_limit({.outlet_id = "W1",
                    .pollutant = "w21003",
                    .upper = {3, 0},
                    .unit = "mg/L",
                    .valid_from = day("2024-07-01")}));
  if (wanted('G')) ok(reg.add_device(gas_device(kMnG)));
  if (wanted('S')) {
    Device s = gas_device(kMnS);
    s.stops.push_back({.span = {at("2024-03-02 00:00"), at("2024-03-03 00:00")}, .reason = "检修"});
    ok(reg.add_device(s));
  }
  if (wanted('W')) ok(reg.add_device(water_device()));
  return reg;
}

}  // namespace ecomon::sources::test_support
