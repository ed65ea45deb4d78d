#include "ingest/source_registry_csv.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <set>
#include <utility>

#include "core/csv.h"
#include "ingest/hj212/codec.h"

namespace ecomon {
namespace {

using sources::Device;
using sources::EmissionLimit;
using sources::Enterprise;
using sources::Outlet;
using sources::SourceTime;
using Row = std::vector<std::string>;

constexpr int kProtocol2017 = 2017;
constexpr int kProtocol2005 = 2005;
constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

struct TemplateInfo {
  RegistryTemplate t;
  const char* file;
  const char* header;
};
constexpr TemplateInfo kTemplates[kRegistryTemplateCount] = {
    {RegistryTemplate::kEnterprises, "enterprises.csv", "id,name,county,industry"},
    {RegistryTemplate::kOutlets, "outlets.csv", "id,enterprise,kind,name"},
    {RegistryTemplate::kDevices, "devices.csv",
     "mn,password,protocol,outlet,realtime_s,minute_min,hourly,daily,registered_at,active"},
    {RegistryTemplate::kDevicePollutants, "device_pollutants.csv", "mn,pollutant,unit,rated"},
    {RegistryTemplate::kLimits, "limits.csv",
     "outlet,pollutant,upper,lower,unit,basis,valid_from,valid_to,source"},
    {RegistryTemplate::kStopPeriods, "stop_periods.csv", "mn,begin,end,reason"},
    {RegistryTemplate::kPermits, "permits.csv", "enterprise,outlet,pollutant,year,tonnes,licence"},
};

std::optional<int64_t> parse_int(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string lower_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Y/N in the templates (also yes/no, true/false, 1/0, 是/否); empty gives `fallback`.
std::optional<bool> parse_bool(const std::string& s, bool fallback) {
  if (s.empty()) return fallback;
  const std::string l = lower_ascii(s);
  if (l == "y" || l == "yes" || l == "true" || l == "1" || s == "是") return true;
  if (l == "n" || l == "no" || l == "false" || l == "0" || s == "否") return false;
  return std::nullopt;
}

std::optional<sources::OutletKind> parse_kind(const std::string& s) {
  const std::string l = lower_ascii(s);
  if (l == "water" || s == "废水") return sources::OutletKind::kWater;
  if (l == "gas" || s == "废气") return sources::OutletKind::kGas;
  return std::nullopt;
}

std::optional<sources::LimitBasis> parse_basis(const std::string& s) {
  const std::string l = lower_ascii(s);
  if (l.empty() || l == "measured" || s == "实测") return sources::LimitBasis::kMeasured;
  if (l == "standardised" || l == "standardized" || s == "折算") return sources::LimitBasis::kStandardised;
  return std::nullopt;
}

// The template column a registry message is about, from the words the sources module uses; `fallback` when
// none fits.
std::string column_of(const std::string& message,
                      std::initializer_list<std::pair<const char*, const char*>> hints,
                      const char* fallback) {
  for (const auto& [word, column] : hints) {
    if (message.find(word) != std::string::npos) return column;
  }
  return fallback;
}

// One row being checked: reports problems at file:line [column].
struct RowCheck {
  ImportReport& report;
  const std::string& file;
  int64_t line;
  bool ok = true;
  void fail(const std::string& kind, const std::string& column, const std::string& message) {
    report.add(ImportIssue{kind, file, line, column, message});
    ok = false;
  }
  void check(const Status& s, const std::string& kind, const std::string& column) {
    if (!s.ok()) fail(kind, column, s.message());
  }
};

std::vector<std::string> split_trimmed(std::string_view line) {
  std::vector<std::string> out;
  split_csv_fields(line, out);
  for (std::string& s : out) {
    const size_t b = s.find_first_not_of(" \t");
    const size_t e = s.find_last_not_of(" \t");
    s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  }
  return out;
}

}  // namespace

const char* registry_template_file(RegistryTemplate t) { return kTemplates[static_cast<int>(t)].file; }
const char* registry_template_header(RegistryTemplate t) { return kTemplates[static_cast<int>(t)].header; }

namespace {

// Checks one data row against the snapshot (what is stored and what the file has added so far); when good,
// updates the snapshot and returns the entry to write.
std::optional<RegistryEntry> check_row(RegistryTemplate t, const Row& c, const Row& header, RowCheck& row,
                                       RegistrySnapshot& s, const sources::RegistryOptions& options) {
  auto need = [&](size_t i) {
    if (c[i].empty()) row.fail("missing_value", header[i], "empty");
    return !c[i].empty();
  };
  auto time_of = [&](size_t i) -> std::optional<SourceTime> {
    if (!need(i)) return std::nullopt;
    auto v = SourceTime::parse(c[i]);
    if (!v.ok()) row.fail("bad_time", header[i], v.status().message());
    return v.ok() ? std::optional<SourceTime>(*v) : std::nullopt;
  };
  auto day_of = [&](size_t i) -> std::optional<CivilDay> {
    auto v = CivilDay::parse(c[i]);
    if (!v.ok()) row.fail("bad_date", header[i], "'" + c[i] + "' is not YYYY-MM-DD");
    return v.ok() ? std::optional<CivilDay>(*v) : std::nullopt;
  };
  auto bool_of = [&](size_t i, bool fallback) {
    auto v = parse_bool(c[i], fallback);
    if (!v) row.fail("bad_value", header[i], "'" + c[i] + "' is not Y or N");
    return v.value_or(fallback);
  };
  auto device_of = [&](size_t i) -> Device* {
    if (!need(i)) return nullptr;
    auto d = s.devices.find(c[i]);
    if (d == s.devices.end()) {
      row.fail("unknown_device", header[i], "device '" + c[i] + "' is not registered (devices.csv)");
      return nullptr;
    }
    return &d->second;
  };

  switch (t) {
    case RegistryTemplate::kEnterprises: {
      Enterprise e{c[0], c[1], c[2], c[3]};
      row.check(sources::validate_enterprise(e), "missing_value", e.id.empty() ? "id" : "name");
      if (!row.ok) return std::nullopt;
      s.enterprises[e.id] = e;
      return e;
    }
    case RegistryTemplate::kOutlets: {
      auto kind = parse_kind(c[2]);
      if (!kind) row.fail("bad_value", "kind", "'" + c[2] + "' is not water or gas (废水/废气)");
      Outlet o{c[0], c[1], kind.value_or(sources::OutletKind::kGas), c[3]};
      row.check(sources::validate_outlet(o), "missing_value",
                column_of(sources::validate_outlet(o).message(),
                          {{"enterprise", "enterprise"}, {"name", "name"}}, "id"));
      if (row.ok && !s.enterprises.contains(o.enterprise_id)) {
        row.fail("unknown_enterprise", "enterprise",
                 "enterprise '" + o.enterprise_id + "' is not registered (enterprises.csv)");
      }
      if (row.ok) {
        // An outlet changing its medium must still fit its devices and limits.
        const std::vector<const Device*> devices = s.devices_of(o.id);
        RegistrySnapshot probe;
        if (!devices.empty()) {
          probe.outlets[o.id] = o;
          probe.limits = s.limits;
        }
        for (const Device* d : devices) {
          if (d->pollutants.empty()) continue;
          if (Status st = probe_registry_device(probe, *d, options); !st.ok()) {
            row.fail("conflict", "kind", st.message());
            break;
          }
        }
      }
      if (!row.ok) return std::nullopt;
      s.outlets[o.id] = o;
      return o;
    }
    case RegistryTemplate::kDevices: {
      Device d;
      d.mn = c[0];
      d.password = c[1];
      if (c[2].empty() || c[2] == std::to_string(kProtocol2017)) {
        d.protocol = sources::ProtocolYear::k2017;
      } else if (c[2] == std::to_string(kProtocol2005)) {
        d.protocol = sources::ProtocolYear::k2005;
      } else {
        row.fail("bad_value", "protocol", "'" + c[2] + "' is not 2017 or 2005");
      }
      row.check(sources::validate_mn(d.mn, d.protocol, options), "bad_mn", "mn");
      row.check(sources::validate_password(d.password).with_context("device " + d.mn), "bad_password",
                "password");
      d.outlet_id = c[3];
      if (need(3) && !s.outlets.contains(d.outlet_id)) {
        row.fail("unknown_outlet", "outlet", "outlet '" + d.outlet_id + "' is not registered (outlets.csv)");
      }
      // Real-time and minute data: an interval, or empty / "-" when the device does not upload them.
      auto interval = [&](size_t i, bool& uploads, int32_t& value) {
        uploads = !(c[i].empty() || c[i] == "-");
        if (!uploads) return;
        auto v = parse_int(c[i]);
        if (!v || *v < 0 || *v > std::numeric_limits<int32_t>::max()) {
          row.fail("bad_number", header[i], "'" + c[i] + "' is not a whole number");
          return;
        }
        value = static_cast<int32_t>(*v);
      };
      interval(4, d.intervals.realtime, d.intervals.realtime_s);
      interval(5, d.intervals.minute, d.intervals.minute_min);
      d.intervals.hourly = bool_of(6, true);
      d.intervals.daily = bool_of(7, true);
      if (row.ok) {
        sources::ReportingIntervals only_rt{.realtime = d.intervals.realtime,
                                            .realtime_s = d.intervals.realtime_s,
                                            .minute = false,
                                            .hourly = true};
        sources::ReportingIntervals only_min{.realtime = false,
                                             .minute = d.intervals.minute,
                                             .minute_min = d.intervals.minute_min,
                                             .hourly = true};
        row.check(sources::validate_intervals(only_rt), "bad_interval", "realtime_s");
        row.check(sources::validate_intervals(only_min), "bad_interval", "minute_min");
        if (row.ok) row.check(sources::validate_intervals(d.intervals), "bad_interval", "");
      }
      if (auto reg = time_of(8)) d.registered_at = *reg;
      d.active = bool_of(9, true);
      if (!row.ok) return std::nullopt;
      if (auto old = s.devices.find(d.mn); old != s.devices.end()) {
        d.pollutants = old->second.pollutants;  // this template sets the device's settings only
        d.stops = old->second.stops;
      }
      row.check(sources::validate_device_settings(d, options), "bad_value", "");
      if (row.ok && !d.pollutants.empty())
        row.check(probe_registry_device(s, d, options), "conflict", "outlet");
      if (!row.ok) return std::nullopt;
      s.devices[d.mn] = d;
      return d;
    }
    case RegistryTemplate::kDevicePollutants: {
      Device* d = device_of(0);
      sources::MonitoredPollutant p{c[1], c[2], bool_of(3, true)};
      if (need(1) && !hj212::find_pollutant(p.code)) {
        row.fail("unknown_pollutant", "pollutant",
                 "'" + p.code + "' is not a pollutant code of the HJ 212-2017 vocabulary");
      }
      need(2);
      if (!row.ok || !d) return std::nullopt;
      Device probe = *d;
      probe.pollutants = {p};
      probe.pollutants[0].rated =
          true;  // whether any pollutant is rated is judged on the whole device (loader)
      if (Status st = probe_registry_device(s, probe, options); !st.ok()) {
        row.fail("conflict", column_of(st.message(), {{"belong", "pollutant"}, {" in ", "unit"}}, ""),
                 st.message());
        return std::nullopt;
      }
      auto same = std::find_if(d->pollutants.begin(), d->pollutants.end(),
                               [&](const sources::MonitoredPollutant& q) { return q.code == p.code; });
      if (same == d->pollutants.end()) {
        d->pollutants.push_back(p);
      } else {
        *same = p;
      }
      return RegistryDevicePollutant{d->mn, p};
    }
    case RegistryTemplate::kLimits: {
      EmissionLimit l;
      l.outlet_id = c[0];
      l.pollutant = c[1];
      if (need(0) && !s.outlets.contains(l.outlet_id)) {
        row.fail("unknown_outlet", "outlet", "outlet '" + l.outlet_id + "' is not registered (outlets.csv)");
      }
      if (need(2)) {
        if (auto v = hj212::parse_decimal(c[2])) {
          l.upper = *v;
        } else {
          row.fail("bad_number", "upper", "'" + c[2] + "' is not a number");
        }
      }
      if (!c[3].empty()) {
        if (auto v = hj212::parse_decimal(c[3])) {
          l.lower = *v;
        } else {
          row.fail("bad_number", "lower", "'" + c[3] + "' is not a number");
        }
      }
      l.unit = c[4];
      auto basis = parse_basis(c[5]);
      if (!basis)
        row.fail("bad_value", "basis", "'" + c[5] + "' is not measured or standardised (实测/折算)");
      l.basis = basis.value_or(sources::LimitBasis::kMeasured);
      if (need(6)) {
        if (auto d = day_of(6)) l.valid_from = *d;
      }
      if (!c[7].empty()) {
        if (auto d = day_of(7)) l.valid_to = *d;
      }
      l.source = c[8];
      if (!row.ok) return std::nullopt;
      if (Status st = sources::validate_limit(l); !st.ok()) {
        row.fail("bad_value",
                 column_of(st.message(),
                           {{"lower limit", "lower"},
                            {"not positive", "upper"},
                            {"unit", "unit"},
                            {"pollutant", "pollutant"},
                            {"valid", "valid_to"}},
                           ""),
                 st.message());
        return std::nullopt;
      }
      if (Status st = probe_registry_limit(s, l, options); !st.ok()) {
        row.fail(st.code() == StatusCode::kAlreadyExists ? "overlap" : "conflict",
                 column_of(st.message(),
                           {{"overlaps", "valid_from"},
                            {"flue gas", "basis"},
                            {"belong", "pollutant"},
                            {"reports in", "unit"}},
                           ""),
                 st.message());
        return std::nullopt;
      }
      s.put_limit(l);
      return l;
    }
    case RegistryTemplate::kStopPeriods: {
      Device* d = device_of(0);
      auto begin = time_of(1);
      auto end = time_of(2);
      if (!row.ok || !d) return std::nullopt;
      Device probe = *d;
      sources::StopPeriod stop{{*begin, *end}, c[3]};
      probe.stops = {stop};
      row.check(sources::validate_device_settings(probe, options), "bad_value", "end");
      if (!row.ok) return std::nullopt;
      std::erase_if(d->stops, [&](const sources::StopPeriod& o) { return o.span.begin == stop.span.begin; });
      d->stops.push_back(stop);
      return RegistryDeviceStop{d->mn, stop};
    }
    case RegistryTemplate::kPermits: {
      sources::PermittedAmount p;
      p.enterprise_id = c[0];
      p.outlet_id = c[1];
      p.pollutant = c[2];
      p.licence = c[5];
      if (need(0) && !s.enterprises.contains(p.enterprise_id)) {
        row.fail("unknown_enterprise", "enterprise",
                 "enterprise '" + p.enterprise_id + "' is not registered (enterprises.csv)");
      }
      const auto outlet = s.outlets.find(p.outlet_id);
      if (!p.outlet_id.empty() &&
          (outlet == s.outlets.end() || outlet->second.enterprise_id != p.enterprise_id)) {
        row.fail("unknown_outlet", "outlet",
                 "outlet '" + p.outlet_id + "' is not an outlet of enterprise '" + p.enterprise_id +
                     "' (outlets.csv)");
      }
      if (need(2) && !hj212::find_pollutant(p.pollutant)) {
        row.fail("unknown_pollutant", "pollutant",
                 "'" + p.pollutant + "' is not a pollutant code of the HJ 212-2017 vocabulary");
      }
      if (need(3)) {
        auto y = parse_int(c[3]);
        if (!y || c[3].size() != 4) {
          row.fail("bad_value", "year", "'" + c[3] + "' is not a year YYYY");
        } else {
          p.year = static_cast<int>(*y);
        }
      }
      if (need(4)) {
        if (auto v = hj212::parse_decimal(c[4])) {
          p.tonnes = *v;
        } else {
          row.fail("bad_number", "tonnes", "'" + c[4] + "' is not a number");
        }
      }
      need(5);
      if (!row.ok) return std::nullopt;
      // The rest of the checks (positive tonnes, the pollutant's medium on the outlet) are the registry's.
      sources::SourceRegistry probe(options);
      const sources::Enterprise& e = s.enterprises.at(p.enterprise_id);
      Status st = probe.add_enterprise(e);
      if (st.ok() && outlet != s.outlets.end()) st = probe.add_outlet(outlet->second);
      if (st.ok()) st = probe.add_permit(p);
      if (!st.ok()) {
        row.fail(
            "bad_value",
            column_of(st.message(),
                      {{"not positive", "tonnes"}, {"belong", "pollutant"}, {"is not 1900", "year"}}, ""),
            st.message());
        return std::nullopt;
      }
      s.put_permit(p);
      return p;
    }
  }
  return std::nullopt;
}

}  // namespace

StatusOr<RegistryImport> import_registry_file(SourceRegistryStore& store, RegistryTemplate t,
                                              const std::string& file_path,
                                              const sources::RegistryOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::ifstream in(file_path, std::ios::binary);
  if (!in) return not_found("cannot read '" + file_path + "'");
  RegistryImport result;
  ImportReport& report = result.report;
  report.files = 1;
  const std::string file = std::filesystem::path(file_path).filename().string();
  std::string line;
  if (!std::getline(in, line)) {
    report.files_rejected = 1;
    report.add(ImportIssue{"bad_layout", file, 1, "", "empty file"});
    return result;
  }
  if (line.rfind(kUtf8Bom, 0) == 0) line.erase(0, sizeof(kUtf8Bom) - 1);
  report.bytes += static_cast<int64_t>(line.size()) + 1;
  const Row header = split_trimmed(registry_template_header(t));
  if (auto bad = find_non_utf8_cell(split_trimmed(line))) {
    report.files_rejected = 1;
    report.add(ImportIssue{"bad_utf8", file, 1, bad->column, "header: " + bad->message});
    return result;
  }
  if (split_trimmed(line) != header) {
    report.files_rejected = 1;
    report.add(ImportIssue{"bad_layout", file, 1, "",
                           "header must be '" + std::string(registry_template_header(t)) + "'"});
    return result;
  }
  std::vector<std::pair<int64_t, Row>> rows;
  for (int64_t n = 2; std::getline(in, line); ++n) {
    report.bytes += static_cast<int64_t>(line.size()) + 1;
    if (line.empty() || line == "\r" || line[0] == '#') continue;
    rows.emplace_back(n, split_trimmed(line));
  }

  Status s = [&]() -> Status {
    auto snap = store.snapshot();
    if (!snap.ok()) return snap.status();
    std::vector<RegistryEntry> entries;
    std::set<Row> keys;
    const size_t key_columns = t == RegistryTemplate::kDevicePollutants || t == RegistryTemplate::kStopPeriods
                                   ? 2
                               : t == RegistryTemplate::kLimits  ? 3
                               : t == RegistryTemplate::kPermits ? 4
                                                                 : 1;
    for (auto& [n, c] : rows) {
      ++report.rows;
      RowCheck row{report, file, n};
      if (auto bad = find_non_utf8_cell(c, header)) {
        row.fail("bad_utf8", bad->column, bad->message);
        ++report.rows_rejected;
        continue;
      }
      if (c.size() != header.size()) {
        row.fail("bad_row", "",
                 std::to_string(c.size()) + " cells, the header has " + std::to_string(header.size()));
        ++report.rows_rejected;
        continue;
      }
      // Limits are keyed by outlet, pollutant and first day (the day as written may vary: 2025-01-01,
      // 20250101).
      Row key(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(key_columns));
      if (t == RegistryTemplate::kLimits) {
        key = {c[0], c[1], c[6]};
        if (auto d = CivilDay::parse(c[6]); d.ok()) key[2] = d->to_string();
      }
      if (keys.contains(key)) {
        row.fail("duplicate", "", "the same entry is accepted earlier in this file");
        ++report.rows_rejected;
        continue;
      }
      auto entry = check_row(t, c, header, row, *snap, options);
      if (!row.ok || !entry) {
        ++report.rows_rejected;
        continue;
      }
      keys.insert(std::move(key));
      entries.push_back(std::move(*entry));
      ++report.values;
    }
    auto counts = store.write(entries);
    if (!counts.ok()) return counts.status();
    result.counts = *counts;
    return Status();
  }();
  if (!s.ok()) return s.with_context("importing " + file + " (nothing stored)");
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

StatusOr<RegistryImport> import_registry_dir(SourceRegistryStore& store, const std::string& dir,
                                             const sources::RegistryOptions& options) {
  RegistryImport total;
  bool any = false;
  for (const TemplateInfo& ti : kTemplates) {
    const std::filesystem::path p = std::filesystem::path(dir) / ti.file;
    if (!std::filesystem::exists(p)) continue;
    any = true;
    auto r = import_registry_file(store, ti.t, p.string(), options);
    if (!r.ok()) return r.status();
    ImportReport& a = total.report;
    const ImportReport& b = r->report;
    a.files += b.files;
    a.files_rejected += b.files_rejected;
    a.bytes += b.bytes;
    a.rows += b.rows;
    a.rows_rejected += b.rows_rejected;
    a.values += b.values;
    a.seconds += b.seconds;
    for (const auto& [kind, n] : b.issue_counts) {
      // add() counts the listed ones; the rest only by number.
      const int64_t listed = std::count_if(b.issues.begin(), b.issues.end(),
                                           [&](const ImportIssue& i) { return i.kind == kind; });
      a.issue_counts[kind] += n - listed;
    }
    for (const ImportIssue& i : b.issues) a.add(i);
    total.counts.added += r->counts.added;
    total.counts.updated += r->counts.updated;
    total.counts.unchanged += r->counts.unchanged;
  }
  if (!any) {
    return not_found("no registry template in '" + dir + "' (enterprises.csv, outlets.csv, devices.csv, " +
                     "device_pollutants.csv, limits.csv, stop_periods.csv, permits.csv)");
  }
  return total;
}

}  // namespace ecomon
