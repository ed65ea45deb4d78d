// A surface-water automatic station's hours judged by GB 3838-2002 (issue 19): each hour's class per item
// (单因子评价) and the hour's class, the worst evaluated item (the section rule of classify_section, the same
// items left out: 水温, 总氮, 粪大肠菌群 by default). Pure: the service (app/quality_stations.h) reads the
// values (exact decimal text in GB 3838's units, sources/quality_station_upload.h) and the section's water
// body from the store.
//
//   std::vector<HourValues> in = {{hour, {{"pH", "7.62"}, {"NH3_N", "0.512"}}}};
//   auto hours = classify_hours(in, WaterBody::kRiver, Gb3838Params{});   // StatusOr<std::vector<WaterHour>>
//   // hours->at(0).result.cls == WaterClass::kIII (NH3_N 0.512 > 0.5, <= 1.0)
#pragma once

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "standards/water/gb3838.h"

namespace ecomon::water {

// One hour's stored values: (item key, exact decimal text).
struct HourValues {
  Hour hour;
  std::vector<std::pair<std::string, std::string>> values;
};

struct WaterHour {
  Hour hour;
  std::vector<std::string> texts;  // the values as stored, in the order of result.items (the standard's)
  SectionResult result;            // per item: value, class, evaluated; cls: the worst evaluated item
};

// kDataLoss naming the hour and item for a stored item that is not a GB 3838 item or a value that is not a
// decimal (the gateway stores neither; a store edited by hand could).
StatusOr<std::vector<WaterHour>> classify_hours(std::span<const HourValues> hours, WaterBody body,
                                                const Gb3838Params& p);

// The hourly view of one station: its registry fields, the water body used for 总磷, and the hours.
struct WaterHourly {
  std::string station, name, section, county, mn;
  WaterBody body = WaterBody::kRiver;
  bool section_known = false;  // the section is in the quality registry (else: river assumed)
  Hour first, last;            // the hours asked for, both included
  std::vector<WaterHour> hours;
};

}  // namespace ecomon::water
