#include "demo/demo_archive.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

#include "core/time.h"
#include "demo/demo_io.h"
#include "demo/demo_model.h"

namespace ecomon::demo {
namespace {

using internal::HourlySeries;
using internal::kNoValue;
using internal::make_directory;
using internal::Pollutant;
using internal::write_file;

constexpr std::string_view kArchiveSubdir = "cnemc";
constexpr std::string_view kStationsFileName = "sites.csv";
constexpr std::string_view kStationsHeader = "监测点编码,监测点名称,城市,经度,纬度,对照点";
constexpr int kHoursPerFile = 24;
constexpr int kHoursInLastFile = 1;  // (last_year+1)-01-01 holds hour 0 only: the last hour of last_year

// Moving statistics as the centre publishes them (integers; CO in tenths of mg/m3).
constexpr int kDayWindow = 24;
constexpr int kDayWindowMinValues = 20;
constexpr int kO3Window = 8;
constexpr int kO3WindowMinValues = 6;

// What a row of the file holds for one pollutant.
enum class RowKind : uint8_t {
  kBlank,        // AQI: left to ecomon
  kHourly,       // the 1-h value
  kMean24h,      // mean of the last 24 1-h values (>= 20)
  kMax24h,       // O3_24h: max of the last 24 1-h values (>= 20)
  kMean8h,       // O3_8h: mean of the last 8 1-h values (>= 6)
  kMaxOfMean8h,  // O3_8h_24h: max of the last 24 O3_8h values (>= 20)
};

struct RowType {
  std::string_view name;
  RowKind kind;
  Pollutant pollutant;
};

// The centre's 15 rows per hour, in its order.
constexpr std::array<RowType, 15> kRowTypes = {{
    {"AQI", RowKind::kBlank, Pollutant::kPm25},
    {"PM2.5", RowKind::kHourly, Pollutant::kPm25},
    {"PM2.5_24h", RowKind::kMean24h, Pollutant::kPm25},
    {"PM10", RowKind::kHourly, Pollutant::kPm10},
    {"PM10_24h", RowKind::kMean24h, Pollutant::kPm10},
    {"SO2", RowKind::kHourly, Pollutant::kSo2},
    {"SO2_24h", RowKind::kMean24h, Pollutant::kSo2},
    {"NO2", RowKind::kHourly, Pollutant::kNo2},
    {"NO2_24h", RowKind::kMean24h, Pollutant::kNo2},
    {"O3", RowKind::kHourly, Pollutant::kO3},
    {"O3_24h", RowKind::kMax24h, Pollutant::kO3},
    {"O3_8h", RowKind::kMean8h, Pollutant::kO3},
    {"O3_8h_24h", RowKind::kMaxOfMean8h, Pollutant::kO3},
    {"CO", RowKind::kHourly, Pollutant::kCo},
    {"CO_24h", RowKind::kMean24h, Pollutant::kCo},
}};

// sum / count rounded half to even (GB/T 8170), for non-negative sums.
int32_t rounded_mean(int64_t sum, int64_t count) {
  const int64_t quotient = sum / count;
  const int64_t twice_remainder = 2 * (sum % count);
  if (twice_remainder > count || (twice_remainder == count && quotient % 2 == 1))
    return static_cast<int32_t>(quotient + 1);
  return static_cast<int32_t>(quotient);
}

// Mean of the values at hours h-window+1 .. h, or kNoValue with fewer than min_values.
int32_t window_mean(const std::vector<int32_t>& values, int64_t i, int window, int min_values) {
  int64_t sum = 0;
  int count = 0;
  for (int64_t k = std::max<int64_t>(0, i - window + 1); k <= i; ++k) {
    if (values[static_cast<size_t>(k)] == kNoValue) continue;
    sum += values[static_cast<size_t>(k)];
    ++count;
  }
  return count < min_values ? kNoValue : rounded_mean(sum, count);
}

int32_t window_max(const std::vector<int32_t>& values, int64_t i, int window, int min_values) {
  int32_t best = kNoValue;
  int count = 0;
  for (int64_t k = std::max<int64_t>(0, i - window + 1); k <= i; ++k) {
    const int32_t v = values[static_cast<size_t>(k)];
    if (v == kNoValue) continue;
    best = std::max(best, v);
    ++count;
  }
  return count < min_values ? kNoValue : best;
}

// The derived (moving) series of one station, precomputed once.
struct DerivedSeries {
  std::array<std::vector<int32_t>, internal::kPollutantCount> mean24h;
  std::vector<int32_t> o3_max24h, o3_mean8h, o3_max_mean8h;
};

DerivedSeries derive(const HourlySeries& s, int station) {
  DerivedSeries d;
  const auto n = static_cast<size_t>(s.hours);
  for (int p = 0; p < internal::kPollutantCount; ++p) {
    d.mean24h[p].resize(n);
    for (size_t i = 0; i < n; ++i) {
      d.mean24h[p][i] =
          window_mean(s.value[station][p], static_cast<int64_t>(i), kDayWindow, kDayWindowMinValues);
    }
  }
  const std::vector<int32_t>& o3 = s.value[station][internal::index_of(Pollutant::kO3)];
  d.o3_max24h.resize(n);
  d.o3_mean8h.resize(n);
  d.o3_max_mean8h.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const auto k = static_cast<int64_t>(i);
    d.o3_max24h[i] = window_max(o3, k, kDayWindow, kDayWindowMinValues);
    d.o3_mean8h[i] = window_mean(o3, k, kO3Window, kO3WindowMinValues);
  }
  for (size_t i = 0; i < n; ++i) {
    d.o3_max_mean8h[i] = window_max(d.o3_mean8h, static_cast<int64_t>(i), kDayWindow, kDayWindowMinValues);
  }
  return d;
}

int32_t cell_value(const HourlySeries& s, const DerivedSeries& d, int station, const RowType& row, size_t i) {
  const int p = internal::index_of(row.pollutant);
  switch (row.kind) {
    case RowKind::kBlank:
      return kNoValue;
    case RowKind::kHourly:
      return s.value[station][p][i];
    case RowKind::kMean24h:
      return d.mean24h[p][i];
    case RowKind::kMax24h:
      return d.o3_max24h[i];
    case RowKind::kMean8h:
      return d.o3_mean8h[i];
    case RowKind::kMaxOfMean8h:
      return d.o3_max_mean8h[i];
  }
  return kNoValue;
}

void append_int(std::string& out, int64_t v) {
  constexpr size_t kInt64Chars = 20;  // "-9223372036854775808"
  std::array<char, kInt64Chars> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  (void)ec;  // always fits
  out.append(buf.data(), end);
}

// CO is kept in tenths of mg/m3 and written the centre's way: "0.9", "1.2", and "1" for 1.0.
void append_value(std::string& out, int32_t v, Pollutant p) {
  if (p != Pollutant::kCo) {
    append_int(out, v);
    return;
  }
  append_int(out, v / internal::kCoTenthsPerMg);
  const int32_t tenths = v % internal::kCoTenthsPerMg;
  if (tenths == 0) return;
  out.push_back('.');
  append_int(out, tenths);
}

std::string day_file_content(const HourlySeries& s, const std::vector<DerivedSeries>& derived, CivilDay day,
                             int hours) {
  const std::string date = day.to_compact();
  std::string out = "date,hour,type";
  for (const internal::StationSpec& station : internal::kStations) {
    out.push_back(',');
    out.append(station.code);
  }
  out.push_back('\n');
  for (int hour = 0; hour < hours; ++hour) {
    const Hour h = Hour::from_cnemc(day, hour);
    const auto i = static_cast<size_t>(h - s.first);
    for (const RowType& row : kRowTypes) {
      out.append(date);
      out.push_back(',');
      append_int(out, hour);
      out.push_back(',');
      out.append(row.name);
      for (int st = 0; st < internal::kStationCount; ++st) {
        out.push_back(',');
        if (s.is_offline(st, h)) continue;
        const int32_t v = cell_value(s, derived[static_cast<size_t>(st)], st, row, i);
        if (v != kNoValue) append_value(out, v, row.pollutant);
      }
      out.push_back('\n');
    }
  }
  return out;
}

std::string stations_file_content() {
  std::string out(kStationsHeader);
  out.push_back('\n');
  for (const internal::StationSpec& s : internal::kStations) {
    for (std::string_view field : {s.code, s.name, internal::kCityName, s.longitude, s.latitude}) {
      out.append(field);
      out.push_back(',');
    }
    out.append(s.reference ? "Y" : "N");
    out.push_back('\n');
  }
  return out;
}

Status validate(const DemoOptions& o) {
  const auto range = std::to_string(o.first_year) + ".." + std::to_string(o.last_year);
  if (o.first_year < kDemoMinYear || o.last_year > kDemoMaxYear) {
    return invalid_argument("demo years " + range + " outside " + std::to_string(kDemoMinYear) + ".." +
                            std::to_string(kDemoMaxYear));
  }
  if (o.last_year < o.first_year) return invalid_argument("demo years " + range + ": last year before first");
  if (o.last_year - o.first_year + 1 > kDemoMaxYears) {
    return invalid_argument("demo years " + range + ": at most " + std::to_string(kDemoMaxYears) + " years");
  }
  if (o.until && (*o.until < Hour::first_of(CivilDay::from_ymd(o.first_year, 1, 1)) ||
                  *o.until > Hour::from_cnemc(CivilDay::from_ymd(o.last_year + 1, 1, 1), 0))) {
    return invalid_argument("demo until " + o.until->to_string() + " outside the years " + range);
  }
  return Status::ok_status();
}

}  // namespace

StatusOr<DemoArchiveInfo> write_demo_archive(const DemoOptions& options, const std::filesystem::path& out) {
  ECOMON_RETURN_IF_ERROR(validate(options));
  DemoArchiveInfo info;
  info.city = std::string(internal::kCityName);
  for (const internal::StationSpec& s : internal::kStations) {
    info.station_codes.emplace_back(s.code);
    if (s.reference) info.reference_station = std::string(s.code);
  }
  info.stations_file = out / kStationsFileName;
  info.archive_dir = out / kArchiveSubdir;
  ECOMON_RETURN_IF_ERROR(make_directory(info.archive_dir));
  ECOMON_RETURN_IF_ERROR(write_file(info.stations_file, stations_file_content()));

  const internal::DemoSeries demo = internal::generate_series(options);
  std::vector<DerivedSeries> derived;
  for (int st = 0; st < internal::kStationCount; ++st) derived.push_back(derive(demo.series, st));

  const internal::ArchiveGaps& gaps = demo.gaps;
  const CivilDay first = CivilDay::from_ymd(options.first_year, 1, 1);
  const CivilDay last = CivilDay::from_ymd(options.last_year + 1, 1, 1);
  for (CivilDay day = first; day <= last; day = day + 1) {
    if (std::find(gaps.missing_files.begin(), gaps.missing_files.end(), day) != gaps.missing_files.end())
      continue;
    int hours = kHoursPerFile;
    if (std::find(gaps.partial_files.begin(), gaps.partial_files.end(), day) != gaps.partial_files.end()) {
      hours = gaps.partial_file_hours;
    }
    if (day == last) hours = kHoursInLastFile;
    if (options.until) {
      const int64_t allowed = *options.until - Hour::from_cnemc(day, 0) + 1;
      if (allowed <= 0) break;
      hours = static_cast<int>(std::min<int64_t>(hours, allowed));
    }
    const std::filesystem::path path = info.archive_dir / ("china_sites_" + day.to_compact() + ".csv");
    ECOMON_RETURN_IF_ERROR(write_file(path, day_file_content(demo.series, derived, day, hours)));
    ++info.files_written;
  }
  return info;
}

}  // namespace ecomon::demo
