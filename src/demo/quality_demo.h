// The demo city 演示市's environmental quality data: surface-water sections and monthly values, groundwater
// wells, drinking-water sources, noise points and rain samples, written as the nine CSV import templates that
// `ecomon water|groundwater|noise|rain import` read (docs/quality-import.md).
//
// Facts from seed 002 annex 1 (晋城市 2021 年地表水水质改善目标明细表): the 22 sections, their counties,
// their levels (国考/省考/市考) and the targets given as classes. Demo assumptions (the seed does not say
// them): the rivers, the class behind "完成省定目标" (Ⅱ for 张峰水库出口, 拴驴泉, 青天河; Ⅲ for the other
// six), 九女湖 as a lake. Everything measured is synthetic: monthly pH, DO, CODMn, COD, NH3-N, TP per
// section; one sampling a year of 15 indicators at 10 wells; monthly samples and volumes of 3 drinking-water
// sources; 34 noise points measured quarterly (functional zones) or once a year (regional grid, roads); rain
// samples every 3-9 days at one site. The first year holds two deliberate incidents (a surface source's TP in
// July, a ground source's hardness in March and April); from the second year on, two stressed sections
// (白水河, 高平河西) improve and rain is less acid.
//
//   QualityDemoOptions options;                          // 2024-2025, seed 20240101
//   StatusOr<QualityDemoInfo> info = write_quality_demo(options, "/tmp/demo/quality");
//   // /tmp/demo/quality/water_sections.csv ... rain_samples.csv; import with QualityStore::import_dir
//
// Files are UTF-8, LF line endings, no quoting (no field holds a comma). Output is byte-identical for the
// same options on every machine: an own PRNG (demo_random.h), values rounded by integer arithmetic,
// -ffp-contract=off. Existing files of the same names are overwritten; other files in the directory are left
// alone. Thread safety: write_quality_demo may run concurrently for different output directories.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/status.h"

namespace ecomon::demo {

struct QualityDemoOptions {
  int first_year =
      2024;              // inclusive; same limits as DemoOptions (kDemoMinYear.. kDemoMaxYear, kDemoMaxYears)
  int last_year = 2025;  // inclusive
  uint64_t seed = 20240101;  // same seed -> byte-identical files
};

struct QualityDemoFile {
  std::string kind;  // the `ecomon` verb that imports it: "water", "groundwater", "noise" or "rain"
  std::filesystem::path path;
  int64_t rows = 0;  // data rows (the header not counted)
};

struct QualityDemoInfo {
  std::filesystem::path dir;
  std::vector<QualityDemoFile> files;  // in import order: sections before values, registries before samples
  int sections = 0, wells = 0, sources = 0, noise_points = 0, rain_samples = 0;
};

// Writes the nine template files into `dir` (created if needed). Errors: kInvalidArgument for a bad year
// range, kPermissionDenied / kUnavailable when the directory or a file cannot be created or written (naming
// the path).
StatusOr<QualityDemoInfo> write_quality_demo(const QualityDemoOptions& options,
                                             const std::filesystem::path& dir);

}  // namespace ecomon::demo
