#include "air/city_data.h"

#include <algorithm>

#include "air/statistics.h"

namespace ecomon {
namespace {

constexpr int kHoursPerDay = 24;

int64_t o3_8h_limit(const RuleChoice& choice, DayRange range) {
  const LimitSet* l = choice.limits;
  if (!l) {
    auto by_date = limit_set_for(range.last);
    l = by_date.ok() ? *by_date : &gb3095_2012();
  }
  return l->limit(Pollutant::kO3, Averaging::kMaxDaily8h, choice.zone)->to_milli();
}

}  // namespace

StatusOr<CityData> load_city(TimeSeriesStore& ts, RecordStore& rs, const std::string& city, DayRange range,
                             const AssessmentParams& params, NonAssessment others, const std::string& county,
                             const std::string& only_station) {
  auto stations = rs.stations_of_city(city);
  if (!stations.ok()) return stations.status();
  if (!county.empty()) {
    std::erase_if(*stations, [&](const StationInfo& s) { return s.county != county; });
    if (stations->empty()) return not_found("city '" + city + "' has no station in county '" + county + "'");
  }
  if (stations->empty()) {
    auto known = rs.cities();
    std::string hint;
    if (known.ok() && !known->empty()) {
      hint = " (cities in the store: ";
      for (size_t i = 0; i < known->size() && i < 10; ++i) hint += (i ? ", " : "") + (*known)[i];
      hint += known->size() > 10 ? ", ...)" : ")";
    } else {
      hint = " (the store has no stations: import a station list and data first)";
    }
    return not_found("no stations for city '" + city + "'" + hint);
  }
  CityData d;
  d.city = city;
  Hour first = Hour::first_of(range.first) - kHoursPerDay;
  int64_t count = int64_t{range.size() + 1} * kHoursPerDay;
  auto read = [&](const StationInfo& s, StationHours& h) -> Status {
    h.first = first;
    for (Pollutant p : kAllPollutants) {
      ECOMON_RETURN_IF_ERROR(
          ts.read_hourly(s.id, p, first, count, h.values[static_cast<size_t>(index_of(p))]));
    }
    return Status();
  };
  for (StationInfo& s : *stations) {
    if (!only_station.empty() && s.code != only_station) continue;
    if (!s.assessment) {  // a micro station never enters the city value
      if (others == NonAssessment::kLoad) {
        StationHours h;
        ECOMON_RETURN_IF_ERROR(read(s, h));
        d.non_assessment_hours.push_back(std::move(h));
      }
      d.non_assessment.push_back(std::move(s));
      continue;
    }
    if (s.is_reference && params.exclude_reference_stations) {
      d.excluded.push_back(std::move(s));
      continue;
    }
    StationHours h;
    ECOMON_RETURN_IF_ERROR(read(s, h));
    bool any = false;
    for (const auto& v : h.values) {
      any = any || std::any_of(v.begin(), v.end(), [](Milli x) { return x != kMissing; });
    }
    if (!any) {
      d.without_data.push_back(std::move(s));  // listed, but silent in this period: not an assessment station
      continue;
    }
    d.hours.push_back(std::move(h));
    d.stations.push_back(std::move(s));
  }
  if (!only_station.empty() && d.stations.empty() && d.non_assessment_hours.empty())
    return not_found("station " + only_station + " is not an assessment station of " + city);
  if (d.stations.empty() && only_station.empty()) {
    return not_found("city '" + city + "'" + (county.empty() ? "" : " county '" + county + "'") +
                     " has no assessment station with data in " + range.to_string() +
                     (d.excluded.empty() ? "" : " (reference stations are left out)"));
  }
  return d;
}

std::vector<DayReport> city_day_reports(const CityData& data, DayRange range, const RuleChoice& choice) {
  int64_t limit = o3_8h_limit(choice, range);
  std::vector<std::vector<DayStats>> per_station;
  per_station.reserve(data.hours.size());
  for (const StationHours& h : data.hours)
    per_station.push_back(station_days(h, range, choice.params, limit));
  std::vector<DayStats> city = city_days(per_station, choice.params);
  std::vector<DayReport> out;
  out.reserve(city.size());
  for (size_t i = 0; i < city.size(); ++i) {
    out.push_back(make_day_report(range.first + static_cast<int>(i), city[i], choice));
  }
  return out;
}

void describe_stations(const CityData& data, PeriodAssessment& a) {
  for (const StationInfo& s : data.stations) a.stations.push_back(s.code);
  for (const StationInfo& s : data.excluded) a.excluded_stations.push_back(s.code);
  for (const StationInfo& s : data.without_data) a.silent_stations.push_back(s.code);
}

namespace {

// The city's (county "") or one county's assessment, named after the area.
StatusOr<PeriodAssessment> assess_area(TimeSeriesStore& ts, RecordStore& rs, const std::string& city,
                                       const std::string& county, DayRange range, const RuleChoice& choice) {
  if (!choice.limits && !limit_set_for(range.last).ok()) return limit_set_for(range.last).status();
  if (!choice.aqi && !aqi_rules_for(range.first).ok()) return aqi_rules_for(range.first).status();
  auto data = load_city(ts, rs, city, range, choice.params, NonAssessment::kList, county);
  if (!data.ok()) return data.status();
  PeriodAssessment a =
      assess_period(county.empty() ? city : county, range, city_day_reports(*data, range, choice), choice);
  describe_stations(*data, a);
  return a;
}

}  // namespace

StatusOr<PeriodAssessment> assess_city(TimeSeriesStore& ts, RecordStore& rs, const std::string& city,
                                       DayRange range, const RuleChoice& choice) {
  return assess_area(ts, rs, city, "", range, choice);
}

StatusOr<PeriodAssessment> assess_county(TimeSeriesStore& ts, RecordStore& rs, const std::string& city,
                                         const std::string& county, DayRange range,
                                         const RuleChoice& choice) {
  if (county.empty()) return invalid_argument("no county named");
  return assess_area(ts, rs, city, county, range, choice);
}

StatusOr<std::vector<std::string>> counties_of_city(RecordStore& rs, const std::string& city) {
  auto stations = rs.stations_of_city(city);
  if (!stations.ok()) return stations.status();
  std::vector<std::string> out;
  for (const StationInfo& s : *stations)
    if (!s.county.empty()) out.push_back(s.county);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

StatusOr<std::vector<HourReport>> city_hour_reports(const CityData& data, DayRange range,
                                                    const RuleChoice& choice,
                                                    const std::string& station_code) {
  // The series the report is made of: one station's, or the city's hourly means.
  StationHours series;
  series.first = data.hours.empty() ? Hour::first_of(range.first) : data.hours[0].first;
  if (!station_code.empty()) {
    size_t i = 0;
    while (i < data.stations.size() && data.stations[i].code != station_code) ++i;
    size_t j = 0;
    while (j < data.non_assessment_hours.size() && data.non_assessment[j].code != station_code) ++j;
    if (i < data.stations.size()) {
      series = data.hours[i];
    } else if (j < data.non_assessment_hours.size()) {
      series = data.non_assessment_hours[j];  // a micro station's own hours
    } else {
      return not_found("station " + station_code + " is not an assessment station of " + data.city);
    }
  } else {
    for (Pollutant p : kAllPollutants) {
      size_t pi = static_cast<size_t>(index_of(p));
      size_t n = data.hours.empty() ? 0 : data.hours[0].values[pi].size();
      std::vector<Milli>& out = series.values[pi];
      out.assign(n, kMissing);
      for (size_t t = 0; t < n; ++t) {
        int64_t sum = 0;
        int k = 0;
        for (const StationHours& h : data.hours) {
          Milli v = h.values[pi][t];
          if (v == kMissing) continue;
          sum += v;
          ++k;
        }
        if (k >= std::max(1, choice.params.min_stations_for_city_value)) {
          out[t] = static_cast<Milli>(round_milli(p, Rational{sum, k}));
        }
      }
    }
  }
  std::vector<HourReport> out;
  Hour first = Hour::first_of(range.first);
  int64_t n = int64_t{range.size()} * kHoursPerDay;
  out.reserve(static_cast<size_t>(n));
  for (int64_t t = 0; t < n; ++t) {
    HourReport r;
    r.hour = first + t;
    for (Pollutant p : kAllPollutants) {
      Milli v = series.at(p, r.hour);
      if (v != kMissing) r.value[static_cast<size_t>(index_of(p))] = v;
      if (p != Pollutant::kO3)
        r.moving_24h[static_cast<size_t>(index_of(p))] = moving_24h_mean(series, p, r.hour, choice.params);
    }
    r.o3_8h = choice.params.realtime_o3_8h_within_day ? o3_8h_within_day(series, r.hour, choice.params)
                                                      : o3_8h_mean(series, r.hour, choice.params);
    if (choice.aqi) {
      r.rules = choice.aqi;
    } else {
      auto a = aqi_rules_for(r.hour.day());
      if (!a.ok()) return a.status();
      r.rules = *a;
    }
    IndicatorValues v;
    auto set = [&](AqiIndicator i, const std::optional<int64_t>& x) {
      v[static_cast<size_t>(index_of(i))] = x;
    };
    auto val = [&](Pollutant p) { return r.value[static_cast<size_t>(index_of(p))]; };
    auto mov = [&](Pollutant p) { return r.moving_24h[static_cast<size_t>(index_of(p))]; };
    set(AqiIndicator::kSO2_1h, val(Pollutant::kSO2));
    set(AqiIndicator::kSO2_24h, mov(Pollutant::kSO2));
    set(AqiIndicator::kNO2_1h, val(Pollutant::kNO2));
    set(AqiIndicator::kCO_1h, val(Pollutant::kCO));
    set(AqiIndicator::kO3_1h, val(Pollutant::kO3));
    set(AqiIndicator::kO3_8h, r.o3_8h);
    set(AqiIndicator::kPM10_1h, val(Pollutant::kPM10));
    set(AqiIndicator::kPM25_1h, val(Pollutant::kPM25));
    set(AqiIndicator::kPM10_24h, mov(Pollutant::kPM10));
    set(AqiIndicator::kPM25_24h, mov(Pollutant::kPM25));
    r.aqi = compute_aqi(*r.rules, AqiMode::kRealtime, v);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace ecomon
