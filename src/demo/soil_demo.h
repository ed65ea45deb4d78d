// The demo city 演示市's soil data, written as the three soil CSV templates that `ecomon soil import` reads
// (docs/soil.md): farmland monitoring points with the eight GB 15618 metals (and the organics at some
// points), development-land points on former industrial plots (GB 36600), the plot registry and farmland
// parcels.
//
// Everything is synthetic. The counties are the demo city's; soils are calcareous (pH mostly above 7.5, as in
// the loess uplands of southern Shanxi), metals log-normal around typical background levels. Deliberate
// cases: three points near old mines with Cd above screening (安全利用类), one with As above control
// (严格管控类), one county lab reporting Hg in µg/kg, 未检出 as "0.01L"; two development-land plots over
// screening, one over control; the registry's plots at every stage (污染地块安全利用率 91.2 % for seed
// 20240101); parcels with produce failing now and then and one 严格管控类 parcel without measures
// (受污染耕地安全利用率 83.0 %, below the 90 % target).
//
//   StatusOr<SoilDemoInfo> info = write_soil_demo(20240101, "/tmp/demo/soil");
//   // /tmp/demo/soil/soil_samples.csv, soil_plots.csv, soil_parcels.csv; import with `ecomon soil import
//   DIR`
//
// Byte-identical for the same seed on every machine (demo_random.h, fixed-decimal text, -ffp-contract=off).
#pragma once

#include <cstdint>
#include <filesystem>

#include "core/status.h"

namespace ecomon::demo {

struct SoilDemoInfo {
  std::filesystem::path dir;
  int farm_points = 0, dev_points = 0, sample_rows = 0, plots = 0, parcels = 0;
};

// Writes soil_samples.csv, soil_plots.csv and soil_parcels.csv into `dir` (created if needed).
StatusOr<SoilDemoInfo> write_soil_demo(uint64_t seed, const std::filesystem::path& dir);

}  // namespace ecomon::demo
