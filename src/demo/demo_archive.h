// A deterministic demo archive: realistic hourly air-quality data for the fictional 演示市 ("Demo City"),
// written in the national monitoring centre's (CNEMC) daily file layout so that every importer, judge and
// report in ecomon can be shown and tested without real data.
//
// Demo City is modelled on a mid-sized northern city's six-station network (one reference station, 对照点).
// Its climate is calibrated on the 2019 real-time archive of such a city: winter PM2.5 episodes (haze that
// builds up over days, then a clean cold front), a heating season for SO2 (Nov 15 - Mar 15), rush-hour NO2,
// summer O3 with a strong afternoon peak, a few spring dust days, and the gaps of a real archive (station
// outages, weekly calibration hours, a missing day file, a day with only 8 hours). The second year is a
// little cleaner than the first, so year-on-year comparisons show a change.
//
//   DemoOptions options;                       // 2024-2025, default seed
//   StatusOr<DemoArchiveInfo> info = write_demo_archive(options, "/tmp/demo");
//   if (!info.ok()) { std::cerr << info.status().to_string(); return 1; }
//   // /tmp/demo/sites.csv and /tmp/demo/cnemc/china_sites_20240101.csv ... china_sites_20260101.csv
//
// Files written (UTF-8, LF line endings, as the centre's own files):
//   <out>/sites.csv — the centre's station list layout:
//       监测点编码,监测点名称,城市,经度,纬度,对照点
//   <out>/cnemc/china_sites_YYYYMMDD.csv — one file per day: header date,hour,type,9160A,...,9165A, then for
//       each hour 0..23 the 15 rows AQI, PM2.5, PM2.5_24h, PM10, PM10_24h, SO2, SO2_24h, NO2, NO2_24h, O3,
//       O3_24h, O3_8h, O3_8h_24h, CO, CO_24h; a blank cell is a missing value.
// Hour h of the file dated D is the mean over (h-1):00..h:00, so hour 0 is the last hour of D-1 (see
// core/time.h). Files run from first_year-01-01 to last_year-12-31, plus (last_year+1)-01-01 holding hour 0
// only, so that the last natural day is complete. One day file per year is absent on purpose and one day per
// year has only hours 0..7, like the real archive. The AQI row is always blank (ecomon computes AQI itself).
// Units: ug/m3 integers; CO in mg/m3 with one decimal ("0.9", "1.2"; "1" for 1.0, as the centre writes it).
//
// Output is byte-identical for the same options on every machine (own PRNG and math, integer derived rows).
// Existing files of the same names are overwritten; other files in <out> are left alone.
// Thread safety: write_demo_archive may run concurrently for different output directories.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace ecomon::demo {

struct DemoOptions {
  int first_year = 2024;     // inclusive
  int last_year = 2025;      // inclusive
  uint64_t seed = 20240101;  // same seed -> byte-identical files
  // The live demo (issue 19): no hour after this one is written (the files end with it; a day file holds
  // the hours it can), so the archive reaches the present and the HJ 212 stations carry on from there. Must
  // lie in first_year .. last_year + 1's first hour.
  std::optional<Hour> until;
};

struct DemoArchiveInfo {
  std::string city;                        // "演示市"
  std::vector<std::string> station_codes;  // 9160A .. 9165A, in file column order
  std::string reference_station;           // 9165A, the reference station (对照点)
  int files_written = 0;                   // daily archive files written (sites.csv not counted)
  std::filesystem::path stations_file;     // <out>/sites.csv
  std::filesystem::path archive_dir;       // <out>/cnemc
};

// Years accepted by write_demo_archive (a demo needs no more; it keeps a run well under a second per year).
inline constexpr int kDemoMinYear = 2000;
inline constexpr int kDemoMaxYear = 2099;
inline constexpr int kDemoMaxYears = 10;

// Writes the demo archive under `out` (created if needed). Errors: kInvalidArgument for a bad year range,
// kPermissionDenied / kUnavailable when a directory or file cannot be created or written (the message names
// the path).
StatusOr<DemoArchiveInfo> write_demo_archive(const DemoOptions& options, const std::filesystem::path& out);

}  // namespace ecomon::demo
