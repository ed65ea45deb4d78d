// Fugitive-dust monitoring points (扬尘 / 无组织 TSP 监测点, issue 22 item 3; docs/dust.md): the rules that
// read a point's TSP readings. Pure: points and readings come in, event transitions go out (no clock, no
// store); the gateway's live events feed it as uploads are committed, `ecomon dust check` over stored
// readings.
//
// Exceedance (扬尘超标): at each reading of a point, the mean TSP of its readings in the trailing window
// (at in (t − window_min, t]) is judged once the window holds at least min_readings readings; a mean above
// the point type's threshold opens an event at t, the first judged mean at or below it closes the event at
// that reading's t. Silence (扬尘离线): no reading for silence_min minutes after the newest one (at `last`)
// opens an event at last + silence_min; the next reading closes it at its time.
//
//   dust::DustTracker t;                                   // default DustParams
//   auto ts = t.feed({"T01", "MN01", dust::PointType::kConstruction}, {at, Decimal{8125, 1}});
//   auto quiet = t.evaluate(now);                          // silences due by now
//
// Readings of a point are expected in time order: one at or before the newest seen changes nothing (a
// re-sent upload is idempotent; a late one is not judged). Not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "sources/events.h"
#include "sources/record.h"

namespace ecomon::dust {

using sources::SourceTime;

enum class PointType : uint8_t {
  kBoundary,      // enterprise boundary (厂界 / 无组织)
  kConstruction,  // construction site (建筑工地, HJ 212 ST 39 工地扬尘)
  kRoad,          // road (道路扬尘)
  kOther,
};
// "boundary", "construction", "road", "other"
std::string_view point_type_name(PointType t);
// The names above, or 厂界/无组织, 工地/施工工地/建筑工地, 道路, 其他; nullopt else.
std::optional<PointType> parse_point_type(std::string_view name);

// The HJ 212 code judged (a34001 TSP, code table B.2) and the codes kept as readings.
inline constexpr const char* kTspCode = "a34001";

// The parameters of the rules. Thresholds are TSP window means in µg/m³. Local limits vary (provincial
// 施工扬尘 standards set their own); the defaults are choices to be set per bureau:
//   boundary 1000 µg/m³ — GB 16297-1996's 无组织排放监控浓度限值 for 颗粒物, 1.0 mg/m³ (recalled, not in
//     ../shared/spec: UNCONFIRMED here);
//   construction and road 800 µg/m³, other 1000 µg/m³ — a choice (the seeds give no figure).
struct DustParams {
  Decimal boundary_ug{1000, 0};
  Decimal construction_ug{800, 0};
  Decimal road_ug{800, 0};
  Decimal other_ug{1000, 0};
  int window_min = 15;   // the trailing window of the mean (minutes)
  int min_readings = 8;  // a mean is judged only over at least this many readings (more than half of 15)
  int silence_min = 30;  // silent after this many minutes without a reading
  const Decimal& threshold(PointType t) const;
};
// kInvalidArgument naming the parameter: a threshold <= 0, window_min outside 1..1440, min_readings outside
// 1..window_min, silence_min outside 1..10080.
Status validate_dust_params(const DustParams& p);

// What a TSP point's HJ 212 upload carries (HJ 212 Table B.2/B.3; CN 2011 as `code-Rtd`, CN 2051 as
// `code-Avg`): a34001 TSP, a34002 PM10, a34004 PM2.5, LA noise, a01007 wind speed, a01008 wind direction, as
// decimal text ("" = absent). A value counts only with flag N (a missing flag reads as N). nullopt when the
// record is neither real-time nor minute data, or carries none of them.
struct UploadValues {
  int cn = 2051;
  SourceTime at;
  std::string tsp, pm10, pm25, noise, wind_speed, wind_dir;
};
std::optional<UploadValues> upload_values(const sources::MonitoringRecord& m);

struct Point {
  std::string id, mn;
  PointType type = PointType::kOther;
};
struct Reading {
  SourceTime at;  // the minute's start (DataTime)
  Decimal tsp;    // µg/m³
};

class DustTracker {
 public:
  explicit DustTracker(DustParams params = {}) : params_(params) {}

  // One reading of a point: the transitions it causes (a silence's close, then the exceedance's open or
  // close). Event keys: the point's MN, kind dust_exceedance with pollutant a34001, or dust_silence.
  std::vector<sources::EventTransition> feed(const Point& point, const Reading& r);
  // Opens the silences due by `now` of every point seen. Calling it again changes nothing.
  std::vector<sources::EventTransition> evaluate(SourceTime now);
  // Takes back an event open in the store (a restart), and the time of a point's newest reading (its silence
  // clock), changing nothing else and emitting nothing.
  void restore(const Point& point, const sources::EventTransition& open);
  void seen(const Point& point, SourceTime newest);
  // The Open transitions of the events open now, by MN then kind.
  std::vector<sources::EventTransition> open_events() const;
  const DustParams& params() const { return params_; }

 private:
  struct State {
    Point point;
    std::optional<SourceTime> newest;
    std::deque<Reading> window;
    std::optional<sources::EventTransition> exceedance, silence;
  };
  State& state(const Point& point);
  DustParams params_;
  std::map<std::string, State> by_mn_;
};

}  // namespace ecomon::dust
