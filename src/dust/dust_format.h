// What `ecomon dust` prints and /api/dust serves (docs/dust.md, docs/api.md): the points with their state, a
// point's readings, and dust events — as a table, CSV or JSON. The CLI's --format json is the API's body.
//
//   std::cout << dust::points_table(points);
//   res.body = json_text(dust::points_json(points));
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "sources/record.h"

namespace ecomon::dust {

// A point as the map shows it: the registry row and its state now.
struct PointView {
  std::string id, name, type, owner, county, lon, lat, mn;
  std::string
      state;  // "exceedance" (an open dust_exceedance), "silent" (an open dust_silence), "ok", "no_data"
  std::optional<sources::SourceTime> last_at;  // the newest minute reading seen in the look-back
  std::string last_tsp;
};

struct ReadingView {
  std::string point;
  int cn = 2051;
  sources::SourceTime at;
  std::string tsp, pm10, pm25, noise, wind_speed, wind_dir;
};

struct EventView {
  std::string point, mn;
  std::string kind;  // "dust_exceedance" | "dust_silence"
  sources::SourceTime opened;
  std::optional<sources::SourceTime> closed;
  std::optional<Decimal> mean, limit;  // exceedance: the window mean that opened it and the threshold
  sources::SourceTime data_time;       // silence: the newest reading before it
};

std::string points_table(const std::vector<PointView>& v);
std::string points_csv(const std::vector<PointView>& v);
nlohmann::json points_json(const std::vector<PointView>& v);
std::string readings_table(const std::vector<ReadingView>& v);
std::string readings_csv(const std::vector<ReadingView>& v);
nlohmann::json readings_json(const std::vector<ReadingView>& v);
std::string events_table(const std::vector<EventView>& v);
std::string events_csv(const std::vector<EventView>& v);
nlohmann::json events_json(const std::vector<EventView>& v);

}  // namespace ecomon::dust
