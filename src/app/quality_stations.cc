#include "app/quality_stations.h"

#include <algorithm>
#include <iterator>

#include "app/audit.h"

namespace ecomon::app {
namespace {

constexpr size_t kDayText = 10;  // "YYYY-MM-DD"

StatusOr<Hour> parse_bound(std::string_view text, bool end, const std::string& field) {
  if (text.size() == kDayText) {
    auto day = CivilDay::parse(text);
    if (!day.ok()) return invalid_argument(field + ": '" + std::string(text) + "' is not a day YYYY-MM-DD");
    return end ? Hour::ending(*day, 24) : Hour::first_of(*day);
  }
  auto h = parse_audit_hour(text);
  if (!h.ok()) return h.status().with_context(field);
  return *h;
}

// The registered station of `code`, or kNotFound naming what it is instead.
StatusOr<QualityStationRow> station_of(Stores& stores, const std::string& code, std::string_view kind) {
  auto all = stores.quality_stations().stations();
  if (!all.ok()) return all.status();
  for (const QualityStationRow& s : *all) {
    if (s.code != code) continue;
    if (s.kind != kind)
      return not_found("station " + code + " is a " + s.kind + " station, not a " + std::string(kind) +
                       " station");
    return s;
  }
  return not_found("no " + std::string(kind) + " station '" + code + "' (ecomon stations register --type " +
                   std::string(kind) + ")");
}

// The stored hours of the station grouped by hour: (hour, [(item, text)]).
template <class Values>
StatusOr<std::vector<Values>> grouped_hours(Stores& stores, const QualityHourlyRequest& req) {
  auto rows = stores.quality_stations().hours(req.station, req.first, req.last);
  if (!rows.ok()) return rows.status();
  std::vector<Values> out;
  for (QualityHourRow& r : *rows) {
    if (out.empty() || out.back().hour != r.hour) out.push_back(Values{.hour = r.hour, .values = {}});
    out.back().values.emplace_back(std::move(r.item), std::move(r.value));
  }
  return out;
}

}  // namespace

StatusOr<QualityHourlyRequest> quality_hourly_request(std::string station, std::string_view from,
                                                      std::string_view to, bool query_parameters) {
  const std::string dash = query_parameters ? "" : "--";
  if (station.empty()) return invalid_argument(dash + "station: the station's code is empty");
  if (from.empty()) return invalid_argument(dash + "from: the first hour is missing");
  auto a = parse_bound(from, false, dash + "from");
  if (!a.ok()) return a.status();
  auto b = parse_bound(to.empty() ? from : to, true, dash + "to");
  if (!b.ok()) return b.status();
  if (*b < *a)
    return invalid_argument(dash + "to: " + b->to_string() + " is before " + dash + "from " + a->to_string());
  if (*b - *a + 1 > kMaxQualityHours)
    return invalid_argument(dash + "to: at most " + std::to_string(kMaxQualityHours) +
                            " hours in one request, not " + std::to_string(*b - *a + 1));
  return QualityHourlyRequest{.station = std::move(station), .first = *a, .last = *b};
}

StatusOr<water::WaterHourly> water_hourly(Stores& stores, const Actor&, const QualityHourlyRequest& req) {
  auto station = station_of(stores, req.station, kStationWater);
  if (!station.ok()) return station.status();
  water::WaterHourly out{.station = station->code,
                         .name = station->name,
                         .section = station->site,
                         .county = station->county,
                         .mn = station->mn,
                         .first = req.first,
                         .last = req.last};
  auto sections = stores.quality().water_sections();
  if (!sections.ok()) return sections.status();
  for (const WaterSectionRecord& s : *sections) {
    if (s.name != station->site) continue;
    out.section_known = true;
    if (auto body = water::parse_body(s.body); body.ok()) out.body = *body;
  }
  auto hours = grouped_hours<water::HourValues>(stores, req);
  if (!hours.ok()) return hours.status();
  auto judged = water::classify_hours(*hours, out.body, water::Gb3838Params{});
  if (!judged.ok()) return judged.status().with_context("water station " + req.station);
  out.hours = std::move(*judged);
  return out;
}

StatusOr<noise::NoiseHourly> noise_hourly(Stores& stores, const Actor& who, const QualityHourlyRequest& req) {
  if (!who.is_bureau() && who.role != Role::kCounty)
    return permission_denied("a noise station's hours are for staff (admin, analyst, county)");
  auto station = station_of(stores, req.station, kStationNoise);
  if (!station.ok()) return station.status();
  noise::NoiseHourly out{.station = station->code,
                         .name = station->name,
                         .point = station->site,
                         .county = station->county,
                         .mn = station->mn,
                         .first = req.first,
                         .last = req.last};
  auto points = stores.quality().noise_points();
  if (!points.ok()) return points.status();
  for (const SiteRecord& p : *points) {
    if (p.name != station->site) continue;
    out.point_known = true;
    if (auto zone = noise::parse_zone(p.zone); zone.ok()) out.zone = *zone;
  }
  auto hours = grouped_hours<noise::NoiseHourValues>(stores, req);
  if (!hours.ok()) return hours.status();
  auto judged = noise::judge_hours(*hours, out.zone);
  if (!judged.ok()) return judged.status().with_context("noise station " + req.station);
  out.hours = std::move(*judged);
  return out;
}

StatusOr<std::vector<QualityStationRow>> quality_stations(Stores& stores, const Actor&,
                                                          const std::string& city) {
  auto all = stores.quality_stations().stations();
  if (!all.ok() || city.empty()) return all;
  std::vector<QualityStationRow> out;
  std::copy_if(all->begin(), all->end(), std::back_inserter(out),
               [&](const QualityStationRow& s) { return s.city == city; });
  return out;
}

}  // namespace ecomon::app
