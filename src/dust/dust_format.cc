#include "dust/dust_format.h"

#include "core/text_table.h"

namespace ecomon::dust {
namespace {

// A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}
std::string row(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + field(cells[i]);
  return out + "\n";
}
std::string when(const std::optional<sources::SourceTime>& t) { return t ? t->to_string() : ""; }
std::string dec(const std::optional<Decimal>& d) { return d ? d->to_string() : ""; }
nlohmann::json opt(const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); }
nlohmann::json opt_time(const std::optional<sources::SourceTime>& t) {
  return t ? nlohmann::json(t->to_string()) : nlohmann::json();
}

std::vector<std::string> point_cells(const PointView& p) {
  return {p.id, p.name, p.type, p.owner, p.county, p.lon, p.lat, p.mn, p.state, when(p.last_at), p.last_tsp};
}
const std::vector<std::string> kPointHeader = {"id",  "name", "type",  "owner",   "county",  "lon",
                                               "lat", "mn",   "state", "last_at", "last_tsp"};
std::vector<std::string> reading_cells(const ReadingView& r) {
  return {r.point, std::to_string(r.cn), r.at.to_string(), r.tsp, r.pm10, r.pm25,
          r.noise, r.wind_speed,         r.wind_dir};
}
const std::vector<std::string> kReadingHeader = {"point", "cn",    "at",         "tsp",     "pm10",
                                                 "pm25",  "noise", "wind_speed", "wind_dir"};
std::vector<std::string> event_cells(const EventView& e) {
  return {e.point,        e.mn,        e.kind,       e.opened.to_string(),
          when(e.closed), dec(e.mean), dec(e.limit), e.kind == "dust_silence" ? e.data_time.to_string() : ""};
}
const std::vector<std::string> kEventHeader = {"point",  "mn",   "kind",  "opened",
                                               "closed", "mean", "limit", "last_data"};

template <class T, class F>
std::string table(const std::vector<std::string>& header, const std::vector<T>& v, F cells) {
  TextTable t(header);
  for (const T& x : v) t.add(cells(x));
  return t.render();
}
template <class T, class F>
std::string csv(const std::vector<std::string>& header, const std::vector<T>& v, F cells) {
  std::string out = row(header);
  for (const T& x : v) out += row(cells(x));
  return out;
}

}  // namespace

std::string points_table(const std::vector<PointView>& v) { return table(kPointHeader, v, point_cells); }
std::string points_csv(const std::vector<PointView>& v) { return csv(kPointHeader, v, point_cells); }
nlohmann::json points_json(const std::vector<PointView>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const PointView& p : v) {
    a.push_back({{"id", p.id},
                 {"name", p.name},
                 {"type", p.type},
                 {"owner", p.owner},
                 {"county", p.county},
                 {"lon", p.lon},
                 {"lat", p.lat},
                 {"mn", p.mn},
                 {"state", p.state},
                 {"last_at", opt_time(p.last_at)},
                 {"last_tsp", opt(p.last_tsp)}});
  }
  return {{"points", a}};
}

std::string readings_table(const std::vector<ReadingView>& v) {
  return table(kReadingHeader, v, reading_cells);
}
std::string readings_csv(const std::vector<ReadingView>& v) { return csv(kReadingHeader, v, reading_cells); }
nlohmann::json readings_json(const std::vector<ReadingView>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const ReadingView& r : v) {
    a.push_back({{"point", r.point},
                 {"cn", r.cn},
                 {"at", r.at.to_string()},
                 {"tsp", opt(r.tsp)},
                 {"pm10", opt(r.pm10)},
                 {"pm25", opt(r.pm25)},
                 {"noise", opt(r.noise)},
                 {"wind_speed", opt(r.wind_speed)},
                 {"wind_dir", opt(r.wind_dir)}});
  }
  return {{"readings", a}};
}

std::string events_table(const std::vector<EventView>& v) { return table(kEventHeader, v, event_cells); }
std::string events_csv(const std::vector<EventView>& v) { return csv(kEventHeader, v, event_cells); }
nlohmann::json events_json(const std::vector<EventView>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const EventView& e : v) {
    a.push_back({{"point", e.point},
                 {"mn", e.mn},
                 {"kind", e.kind},
                 {"opened", e.opened.to_string()},
                 {"closed", opt_time(e.closed)},
                 {"mean", opt(dec(e.mean))},
                 {"limit", opt(dec(e.limit))},
                 {"last_data",
                  e.kind == "dust_silence" ? nlohmann::json(e.data_time.to_string()) : nlohmann::json()}});
  }
  return {{"events", a}};
}

}  // namespace ecomon::dust
