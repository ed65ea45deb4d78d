#include "store/sources/registry_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "core/csv.h"
#include "ingest/hj212/codec.h"
#include "store/sources/sql_db.h"
#include "store/sqlite_store.h"

namespace ecomon {
namespace {

using sources::Device;
using sources::EmissionLimit;
using sources::Enterprise;
using sources::Outlet;
using sources::SourceTime;

constexpr int kBusyTimeoutMs = 10000;
constexpr int kProtocol2017 = 2017;
constexpr int kProtocol2005 = 2005;
constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS sr_enterprise(id TEXT PRIMARY KEY, name TEXT NOT NULL, county TEXT NOT NULL,
  industry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sr_outlet(id TEXT PRIMARY KEY, enterprise TEXT NOT NULL REFERENCES sr_enterprise(id),
  kind TEXT NOT NULL CHECK(kind IN ('water', 'gas')), name TEXT NOT NULL);
-- Device details beyond the gateway's source_device (MN, PW, protocol, active live there).
-- registered_at: yyyymmddhhmmss (civil, Beijing).
CREATE TABLE IF NOT EXISTS sr_device(mn TEXT PRIMARY KEY, outlet TEXT NOT NULL REFERENCES sr_outlet(id),
  realtime INTEGER NOT NULL, realtime_s INTEGER NOT NULL, minute INTEGER NOT NULL, minute_min INTEGER NOT NULL,
  hourly INTEGER NOT NULL, daily INTEGER NOT NULL, registered_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sr_device_pollutant(mn TEXT NOT NULL REFERENCES sr_device(mn), code TEXT NOT NULL,
  unit TEXT NOT NULL, rated INTEGER NOT NULL, PRIMARY KEY(mn, code));
-- Stop periods (停运): [begin_at, end_at) as yyyymmddhhmmss.
CREATE TABLE IF NOT EXISTS sr_stop(mn TEXT NOT NULL REFERENCES sr_device(mn), begin_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL, reason TEXT NOT NULL, PRIMARY KEY(mn, begin_at));
-- Emission limits: decimals as the text imported; lower and valid_to '' when absent; basis measured|standardised.
CREATE TABLE IF NOT EXISTS sr_limit(outlet TEXT NOT NULL REFERENCES sr_outlet(id), pollutant TEXT NOT NULL,
  valid_from TEXT NOT NULL, valid_to TEXT NOT NULL, upper TEXT NOT NULL, lower TEXT NOT NULL, unit TEXT NOT NULL,
  basis TEXT NOT NULL CHECK(basis IN ('measured', 'standardised')), source TEXT NOT NULL,
  PRIMARY KEY(outlet, pollutant, valid_from));
)SQL";

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
};

// A table written by upsert: its columns, the first `keys` of which form the primary key.
struct TableSpec {
  const char* table;
  std::vector<const char*> columns;
  size_t keys;
};
const TableSpec kEnterpriseTable{"sr_enterprise", {"id", "name", "county", "industry"}, 1};
const TableSpec kOutletTable{"sr_outlet", {"id", "enterprise", "kind", "name"}, 1};
const TableSpec kDeviceTable{
    "sr_device",
    {"mn", "outlet", "realtime", "realtime_s", "minute", "minute_min", "hourly", "daily", "registered_at"},
    1};
// Only the columns of the gateway's table this class owns; others (policy, ...) are left as they are.
const TableSpec kAuthTable{"source_device",
                           {"mn", "password", "protocol", "enterprise", "outlet", "county", "rtd_interval_s",
                            "min_interval_min", "active"},
                           1};
const TableSpec kPollutantTable{"sr_device_pollutant", {"mn", "code", "unit", "rated"}, 2};
const TableSpec kLimitTable{
    "sr_limit",
    {"outlet", "pollutant", "valid_from", "valid_to", "upper", "lower", "unit", "basis", "source"},
    3};
const TableSpec kStopTable{"sr_stop", {"mn", "begin_at", "end_at", "reason"}, 2};

using Row = std::vector<std::string>;

enum class Change : uint8_t { kAdded, kUpdated, kUnchanged };

void count(RegistryImportCounts& c, Change ch) {
  switch (ch) {
    case Change::kAdded:
      ++c.added;
      break;
    case Change::kUpdated:
      ++c.updated;
      break;
    case Change::kUnchanged:
      ++c.unchanged;
      break;
  }
}

// The combined effect of writing one entry to several tables.
Change combine(Change a, Change b) {
  if (a == Change::kAdded || b == Change::kAdded) return Change::kAdded;
  if (a == Change::kUpdated || b == Change::kUpdated) return Change::kUpdated;
  return Change::kUnchanged;
}

std::string flag01(bool b) { return b ? "1" : "0"; }
const char* kind_name(sources::OutletKind k) { return k == sources::OutletKind::kWater ? "water" : "gas"; }
const char* basis_name(sources::LimitBasis b) {
  return b == sources::LimitBasis::kStandardised ? "standardised" : "measured";
}

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

Row enterprise_row(const Enterprise& e) { return {e.id, e.name, e.county, e.industry}; }
Row outlet_row(const Outlet& o) { return {o.id, o.enterprise_id, kind_name(o.kind), o.name}; }
Row device_row(const Device& d) {
  const sources::ReportingIntervals& i = d.intervals;
  return {d.mn,
          d.outlet_id,
          flag01(i.realtime),
          std::to_string(i.realtime_s),
          flag01(i.minute),
          std::to_string(i.minute_min),
          flag01(i.hourly),
          flag01(i.daily),
          std::to_string(d.registered_at.to_digits())};
}
Row pollutant_row(const std::string& mn, const sources::MonitoredPollutant& p) {
  return {mn, p.code, p.unit, flag01(p.rated)};
}
Row stop_row(const std::string& mn, const sources::StopPeriod& s) {
  return {mn, std::to_string(s.span.begin.to_digits()), std::to_string(s.span.end.to_digits()), s.reason};
}
Row limit_row(const EmissionLimit& l) {
  return {l.outlet_id,
          l.pollutant,
          l.valid_from.to_string(),
          l.valid_to ? l.valid_to->to_string() : "",
          l.upper.to_string(),
          l.lower ? l.lower->to_string() : "",
          l.unit,
          basis_name(l.basis),
          l.source};
}

// What is stored, as domain values (plus what the file being imported has added so far).
struct Snapshot {
  std::map<std::string, Enterprise, std::less<>> enterprises;
  std::map<std::string, Outlet, std::less<>> outlets;
  std::map<std::string, Device, std::less<>> devices;
  std::vector<EmissionLimit> limits;
  std::vector<std::string> problems;  // stored values that could not be read
  std::vector<std::string> without_details;

  std::vector<const Device*> devices_of(std::string_view outlet) const {
    std::vector<const Device*> out;
    for (const auto& [mn, d] : devices) {
      if (d.outlet_id == outlet) out.push_back(&d);
    }
    return out;
  }
  void put_limit(const EmissionLimit& l) {
    auto same = [&](const EmissionLimit& o) {
      return o.outlet_id == l.outlet_id && o.pollutant == l.pollutant && o.valid_from == l.valid_from;
    };
    std::erase_if(limits, same);
    limits.push_back(l);
  }
};

// The registry's own check of a device on its outlet: a registry holding the outlet, its limits and the
// device. Catches a pollutant on the wrong medium and units that differ from the outlet's limits.
Status probe_device(const Snapshot& s, const Device& d, const sources::RegistryOptions& options) {
  const auto outlet = s.outlets.find(d.outlet_id);
  if (outlet == s.outlets.end()) return not_found("outlet " + d.outlet_id + " is not registered");
  sources::SourceRegistry reg(options);
  ECOMON_RETURN_IF_ERROR(reg.add_enterprise({.id = outlet->second.enterprise_id, .name = "-"}));
  ECOMON_RETURN_IF_ERROR(reg.add_outlet(outlet->second));
  for (const EmissionLimit& l : s.limits) {
    if (l.outlet_id == d.outlet_id) (void)reg.add_limit(l);  // a stored bad limit is the loader's report
  }
  return reg.add_device(d);
}

// The registry's own check of a limit: a registry holding the outlet, the other limits of the same outlet and
// pollutant, and the outlet's devices that monitor it. Catches the medium, 折算 on water, units, overlaps.
Status probe_limit(const Snapshot& s, const EmissionLimit& l, const sources::RegistryOptions& options) {
  const auto outlet = s.outlets.find(l.outlet_id);
  if (outlet == s.outlets.end()) return not_found("outlet " + l.outlet_id + " is not registered");
  sources::SourceRegistry reg(options);
  ECOMON_RETURN_IF_ERROR(reg.add_enterprise({.id = outlet->second.enterprise_id, .name = "-"}));
  ECOMON_RETURN_IF_ERROR(reg.add_outlet(outlet->second));
  for (const EmissionLimit& o : s.limits) {
    if (o.outlet_id == l.outlet_id && o.pollutant == l.pollutant && o.valid_from != l.valid_from) {
      (void)reg.add_limit(o);
    }
  }
  for (const Device* d : s.devices_of(l.outlet_id)) {
    const sources::MonitoredPollutant* p = d->pollutant(l.pollutant);
    if (!p) continue;
    Device probe = *d;
    probe.pollutants = {*p};
    probe.pollutants[0].rated = true;
    (void)reg.add_device(std::move(probe));
  }
  return reg.add_limit(l);
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

class SourceRegistryStore::Impl {
 public:
  sqlite3* db = nullptr;
  std::string path;
  sources::RegistryOptions options;

  ~Impl() {
    if (db) sqlite3_close(db);
  }

  Status exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string m = msg ? msg : "unknown error";
      sqlite3_free(msg);
      return internal_error("registry store " + path + ": " + m);
    }
    return Status();
  }

  // Runs `sql` with the text parameters; the rows it returns (NULL reads as "").
  StatusOr<std::vector<Row>> query(const std::string& sql, const Row& params) {
    return sql_query(db, "registry store " + path, sql, std::vector<SqlParam>(params.begin(), params.end()));
  }

  Status run(const std::string& sql, const Row& params) {
    auto r = query(sql, params);
    return r.ok() ? Status() : r.status();
  }

  // Inserts or updates one row by its key; says whether anything changed.
  StatusOr<Change> upsert(const TableSpec& t, const Row& row) {
    std::string cols, where, marks, set;
    for (size_t i = 0; i < t.columns.size(); ++i) {
      const std::string c = t.columns[i];
      const std::string n = "?" + std::to_string(i + 1);
      cols += (i ? "," : "") + c;
      marks += (i ? "," : "") + n;
      if (i < t.keys) {
        where += (i ? " AND " : "") + c + "=" + n;
      } else {
        set += (set.empty() ? "" : ",") + c + "=" + n;
      }
    }
    const Row key(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(t.keys));
    auto stored = query(std::string("SELECT ") + cols + " FROM " + t.table + " WHERE " + where, key);
    if (!stored.ok()) return stored.status();
    if (!stored->empty() && stored->front() == row) return Change::kUnchanged;
    std::string sql = std::string("INSERT INTO ") + t.table + "(" + cols + ") VALUES(" + marks + ")";
    sql += " ON CONFLICT(" + std::string(t.columns[0]);
    for (size_t i = 1; i < t.keys; ++i) sql += std::string(",") + t.columns[i];
    sql += ") DO " + (set.empty() ? std::string("NOTHING") : "UPDATE SET " + set);
    ECOMON_RETURN_IF_ERROR(run(sql, row));
    return stored->empty() ? Change::kAdded : Change::kUpdated;
  }

  // The source_device row of a device: descriptive names from its outlet and enterprise.
  Row auth_row(const Snapshot& s, const Device& d) {
    std::string enterprise, outlet, county;
    if (auto o = s.outlets.find(d.outlet_id); o != s.outlets.end()) {
      outlet = o->second.name;
      if (auto e = s.enterprises.find(o->second.enterprise_id); e != s.enterprises.end()) {
        enterprise = e->second.name;
        county = e->second.county;
      }
    }
    return {d.mn,
            d.password,
            std::to_string(d.protocol == sources::ProtocolYear::k2005 ? kProtocol2005 : kProtocol2017),
            enterprise,
            outlet,
            county,
            std::to_string(d.intervals.realtime_s),
            std::to_string(d.intervals.minute_min),
            flag01(d.active)};
  }

  // The device's settings in sr_device and its row in source_device.
  StatusOr<Change> write_device(const Snapshot& s, const Device& d) {
    auto a = upsert(kDeviceTable, device_row(d));
    if (!a.ok()) return a.status();
    auto b = upsert(kAuthTable, auth_row(s, d));
    if (!b.ok()) return b.status();
    return combine(*a, *b);
  }

  StatusOr<Snapshot> read_all();
  Status in_transaction(const std::function<Status()>& body);
  StatusOr<RegistryImport> import_file(RegistryTemplate t, const std::string& path);
  // Checks one data row; when good, updates the snapshot and returns the write to make.
  std::function<StatusOr<Change>()> check_row(RegistryTemplate t, const Row& c, const Row& header,
                                              RowCheck& row, Snapshot& s);
};

StatusOr<Snapshot> SourceRegistryStore::Impl::read_all() {
  Snapshot s;
  auto ents = query("SELECT id, name, county, industry FROM sr_enterprise ORDER BY id", {});
  if (!ents.ok()) return ents.status();
  for (Row& r : *ents) s.enterprises[r[0]] = {r[0], r[1], r[2], r[3]};

  auto outs = query("SELECT id, enterprise, kind, name FROM sr_outlet ORDER BY id", {});
  if (!outs.ok()) return outs.status();
  for (Row& r : *outs) {
    auto kind = parse_kind(r[2]);
    if (!kind) {
      s.problems.push_back("outlet " + r[0] + ": stored kind '" + r[2] + "' is not water or gas");
      continue;
    }
    s.outlets[r[0]] = {r[0], r[1], *kind, r[3]};
  }

  auto devs = query(
      "SELECT d.mn, d.outlet, d.realtime, d.realtime_s, d.minute, d.minute_min, d.hourly, d.daily, "
      "d.registered_at, a.mn IS NOT NULL, a.password, a.protocol, a.active "
      "FROM sr_device d LEFT JOIN source_device a ON a.mn = d.mn ORDER BY d.mn",
      {});
  if (!devs.ok()) return devs.status();
  for (Row& r : *devs) {
    if (r[9] != "1") {
      s.problems.push_back("device " + r[0] +
                           ": has registry details but no source_device row (the gateway "
                           "does not know it)");
      continue;
    }
    Device d;
    d.mn = r[0];
    d.outlet_id = r[1];
    d.intervals.realtime = r[2] == "1";
    d.intervals.realtime_s = static_cast<int32_t>(parse_int(r[3]).value_or(0));
    d.intervals.minute = r[4] == "1";
    d.intervals.minute_min = static_cast<int32_t>(parse_int(r[5]).value_or(0));
    d.intervals.hourly = r[6] == "1";
    d.intervals.daily = r[7] == "1";
    auto reg = SourceTime::from_digits(parse_int(r[8]).value_or(-1));
    if (!reg.ok()) {
      s.problems.push_back("device " + d.mn + ": stored registration time: " + reg.status().message());
      continue;
    }
    d.registered_at = *reg;
    d.password = r[10];
    d.protocol =
        r[11] == std::to_string(kProtocol2005) ? sources::ProtocolYear::k2005 : sources::ProtocolYear::k2017;
    d.active = r[12] != "0";
    s.devices[d.mn] = std::move(d);
  }

  auto pols = query("SELECT mn, code, unit, rated FROM sr_device_pollutant ORDER BY mn, rowid", {});
  if (!pols.ok()) return pols.status();
  for (Row& r : *pols) {
    auto d = s.devices.find(r[0]);
    if (d != s.devices.end()) d->second.pollutants.push_back({r[1], r[2], r[3] == "1"});
  }

  auto stops = query("SELECT mn, begin_at, end_at, reason FROM sr_stop ORDER BY mn, begin_at", {});
  if (!stops.ok()) return stops.status();
  for (Row& r : *stops) {
    auto d = s.devices.find(r[0]);
    if (d == s.devices.end()) continue;
    auto b = SourceTime::from_digits(parse_int(r[1]).value_or(-1));
    auto e = SourceTime::from_digits(parse_int(r[2]).value_or(-1));
    if (!b.ok() || !e.ok()) {
      s.problems.push_back("device " + r[0] + ": stored stop period " + r[1] + ".." + r[2] +
                           " is not a time");
      continue;
    }
    d->second.stops.push_back({{*b, *e}, r[3]});
  }

  auto lims = query(
      "SELECT outlet, pollutant, valid_from, valid_to, upper, lower, unit, basis, source FROM sr_limit "
      "ORDER BY outlet, pollutant, valid_from",
      {});
  if (!lims.ok()) return lims.status();
  for (Row& r : *lims) {
    EmissionLimit l;
    l.outlet_id = r[0];
    l.pollutant = r[1];
    auto from = CivilDay::parse(r[2]);
    auto upper = hj212::parse_decimal(r[4]);
    auto basis = parse_basis(r[7]);
    bool ok = from.ok() && upper && basis;
    if (ok) {
      l.valid_from = *from;
      l.upper = *upper;
      l.basis = *basis;
    }
    if (ok && !r[3].empty()) {
      auto to = CivilDay::parse(r[3]);
      ok = to.ok();
      if (ok) l.valid_to = *to;
    }
    if (ok && !r[5].empty()) {
      auto lower = hj212::parse_decimal(r[5]);
      ok = lower.has_value();
      if (ok) l.lower = *lower;
    }
    if (!ok) {
      s.problems.push_back("limit " + r[0] + "/" + r[1] + " from " + r[2] + ": stored values cannot be read");
      continue;
    }
    l.unit = r[6];
    l.source = r[8];
    s.limits.push_back(std::move(l));
  }

  auto bare =
      query("SELECT mn FROM source_device WHERE mn NOT IN (SELECT mn FROM sr_device) ORDER BY mn", {});
  if (!bare.ok()) return bare.status();
  for (Row& r : *bare) s.without_details.push_back(r[0]);
  return s;
}

Status SourceRegistryStore::Impl::in_transaction(const std::function<Status()>& body) {
  ECOMON_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
  Status s = body();
  if (s.ok()) s = exec("COMMIT");
  if (!s.ok()) (void)exec("ROLLBACK");
  return s;
}

std::function<StatusOr<Change>()> SourceRegistryStore::Impl::check_row(RegistryTemplate t, const Row& c,
                                                                       const Row& header, RowCheck& row,
                                                                       Snapshot& s) {
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
      if (!row.ok) return nullptr;
      s.enterprises[e.id] = e;
      return [this, e] { return upsert(kEnterpriseTable, enterprise_row(e)); };
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
        Snapshot probe;
        if (!devices.empty()) {
          probe.outlets[o.id] = o;
          probe.limits = s.limits;
        }
        for (const Device* d : devices) {
          if (d->pollutants.empty()) continue;
          if (Status st = probe_device(probe, *d, options); !st.ok()) {
            row.fail("conflict", "kind", st.message());
            break;
          }
        }
      }
      if (!row.ok) return nullptr;
      s.outlets[o.id] = o;
      return [this, o] { return upsert(kOutletTable, outlet_row(o)); };
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
      if (!row.ok) return nullptr;
      if (auto old = s.devices.find(d.mn); old != s.devices.end()) {
        d.pollutants = old->second.pollutants;  // this template sets the device's settings only
        d.stops = old->second.stops;
      }
      row.check(sources::validate_device_settings(d, options), "bad_value", "");
      if (row.ok && !d.pollutants.empty()) row.check(probe_device(s, d, options), "conflict", "outlet");
      if (!row.ok) return nullptr;
      s.devices[d.mn] = d;
      return [this, d, &s] { return write_device(s, d); };
    }
    case RegistryTemplate::kDevicePollutants: {
      Device* d = device_of(0);
      sources::MonitoredPollutant p{c[1], c[2], bool_of(3, true)};
      if (need(1) && !hj212::find_pollutant(p.code)) {
        row.fail("unknown_pollutant", "pollutant",
                 "'" + p.code + "' is not a pollutant code of the HJ 212-2017 vocabulary");
      }
      need(2);
      if (!row.ok || !d) return nullptr;
      Device probe = *d;
      probe.pollutants = {p};
      probe.pollutants[0].rated =
          true;  // whether any pollutant is rated is judged on the whole device (loader)
      if (Status st = probe_device(s, probe, options); !st.ok()) {
        row.fail("conflict", column_of(st.message(), {{"belong", "pollutant"}, {" in ", "unit"}}, ""),
                 st.message());
        return nullptr;
      }
      auto same = std::find_if(d->pollutants.begin(), d->pollutants.end(),
                               [&](const sources::MonitoredPollutant& q) { return q.code == p.code; });
      if (same == d->pollutants.end()) {
        d->pollutants.push_back(p);
      } else {
        *same = p;
      }
      return [this, mn = d->mn, p] { return upsert(kPollutantTable, pollutant_row(mn, p)); };
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
      if (!row.ok) return nullptr;
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
        return nullptr;
      }
      if (Status st = probe_limit(s, l, options); !st.ok()) {
        row.fail(st.code() == StatusCode::kAlreadyExists ? "overlap" : "conflict",
                 column_of(st.message(),
                           {{"overlaps", "valid_from"},
                            {"flue gas", "basis"},
                            {"belong", "pollutant"},
                            {"reports in", "unit"}},
                           ""),
                 st.message());
        return nullptr;
      }
      s.put_limit(l);
      return [this, l] { return upsert(kLimitTable, limit_row(l)); };
    }
    case RegistryTemplate::kStopPeriods: {
      Device* d = device_of(0);
      auto begin = time_of(1);
      auto end = time_of(2);
      if (!row.ok || !d) return nullptr;
      Device probe = *d;
      sources::StopPeriod stop{{*begin, *end}, c[3]};
      probe.stops = {stop};
      row.check(sources::validate_device_settings(probe, options), "bad_value", "end");
      if (!row.ok) return nullptr;
      std::erase_if(d->stops, [&](const sources::StopPeriod& o) { return o.span.begin == stop.span.begin; });
      d->stops.push_back(stop);
      return [this, mn = d->mn, stop] { return upsert(kStopTable, stop_row(mn, stop)); };
    }
  }
  return nullptr;
}

StatusOr<RegistryImport> SourceRegistryStore::Impl::import_file(RegistryTemplate t,
                                                                const std::string& file_path) {
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

  Status s = in_transaction([&]() -> Status {
    auto snap = read_all();
    if (!snap.ok()) return snap.status();
    std::set<Row> keys;
    const size_t key_columns = t == RegistryTemplate::kDevicePollutants || t == RegistryTemplate::kStopPeriods
                                   ? 2
                               : t == RegistryTemplate::kLimits ? 3
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
      auto write = check_row(t, c, header, row, *snap);
      if (!row.ok || !write) {
        ++report.rows_rejected;
        continue;
      }
      keys.insert(std::move(key));
      auto change = write();
      if (!change.ok()) return change.status();
      count(result.counts, *change);
      ++report.values;
    }
    return Status();
  });
  if (!s.ok()) return s.with_context("importing " + file + " (nothing stored)");
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

SourceRegistryStore::SourceRegistryStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SourceRegistryStore::~SourceRegistryStore() = default;

StatusOr<std::unique_ptr<SourceRegistryStore>> SourceRegistryStore::open(const std::string& path,
                                                                         sources::RegistryOptions options) {
  {
    // The main store's schema first: source_device is its table (created and migrated by SqliteStore).
    auto main = SqliteStore::open(path);
    if (!main.ok()) return main.status();
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string m = impl->db ? sqlite3_errmsg(impl->db) : "out of memory";
    return Status(StatusCode::kUnavailable, "cannot open store " + path + ": " + m);
  }
  sqlite3_busy_timeout(impl->db, kBusyTimeoutMs);
  ECOMON_RETURN_IF_ERROR(
      impl->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"));
  ECOMON_RETURN_IF_ERROR(impl->exec(kSchema));
  for (const char* t :
       {"sr_enterprise", "sr_outlet", "sr_device", "sr_device_pollutant", "sr_stop", "sr_limit"})
    ECOMON_RETURN_IF_ERROR(impl->exec(SqliteStore::registry_revision_triggers(t).c_str()));
  return std::unique_ptr<SourceRegistryStore>(new SourceRegistryStore(std::move(impl)));
}

Status SourceRegistryStore::put_enterprise(const Enterprise& e) {
  ECOMON_RETURN_IF_ERROR(sources::validate_enterprise(e));
  return impl_->in_transaction([&] { return impl_->upsert(kEnterpriseTable, enterprise_row(e)).status(); });
}

Status SourceRegistryStore::put_outlet(const Outlet& o) {
  ECOMON_RETURN_IF_ERROR(sources::validate_outlet(o));
  return impl_->in_transaction([&]() -> Status {
    auto s = impl_->read_all();
    if (!s.ok()) return s.status();
    if (!s->enterprises.contains(o.enterprise_id)) {
      return not_found("outlet " + o.id + ": enterprise " + o.enterprise_id + " is not registered");
    }
    return impl_->upsert(kOutletTable, outlet_row(o)).status();
  });
}

Status SourceRegistryStore::put_device(const Device& d) {
  ECOMON_RETURN_IF_ERROR(sources::validate_device(d, impl_->options));
  return impl_->in_transaction([&]() -> Status {
    auto s = impl_->read_all();
    if (!s.ok()) return s.status();
    ECOMON_RETURN_IF_ERROR(probe_device(*s, d, impl_->options).with_context("device " + d.mn));
    ECOMON_RETURN_IF_ERROR(impl_->write_device(*s, d).status());
    ECOMON_RETURN_IF_ERROR(impl_->run("DELETE FROM sr_device_pollutant WHERE mn=?1", {d.mn}));
    ECOMON_RETURN_IF_ERROR(impl_->run("DELETE FROM sr_stop WHERE mn=?1", {d.mn}));
    for (const sources::MonitoredPollutant& p : d.pollutants) {
      ECOMON_RETURN_IF_ERROR(impl_->upsert(kPollutantTable, pollutant_row(d.mn, p)).status());
    }
    for (const sources::StopPeriod& st : d.stops) {
      ECOMON_RETURN_IF_ERROR(impl_->upsert(kStopTable, stop_row(d.mn, st)).status());
    }
    return Status();
  });
}

Status SourceRegistryStore::put_limit(const EmissionLimit& l) {
  ECOMON_RETURN_IF_ERROR(sources::validate_limit(l));
  return impl_->in_transaction([&]() -> Status {
    auto s = impl_->read_all();
    if (!s.ok()) return s.status();
    ECOMON_RETURN_IF_ERROR(probe_limit(*s, l, impl_->options));
    return impl_->upsert(kLimitTable, limit_row(l)).status();
  });
}

StatusOr<RegistryLoad> SourceRegistryStore::load() {
  auto s = impl_->read_all();
  if (!s.ok()) return s.status();
  RegistryLoad out{sources::SourceRegistry(impl_->options), std::move(s->problems),
                   std::move(s->without_details)};
  auto note = [&](const Status& st) {
    if (!st.ok()) out.problems.push_back(st.message());
  };
  for (auto& [id, e] : s->enterprises) note(out.registry.add_enterprise(e));
  for (auto& [id, o] : s->outlets) note(out.registry.add_outlet(o));
  for (EmissionLimit& l : s->limits) note(out.registry.add_limit(std::move(l)));
  for (auto& [mn, d] : s->devices) note(out.registry.add_device(std::move(d)));
  return out;
}

StatusOr<RegistryImport> SourceRegistryStore::import_file(RegistryTemplate t, const std::string& path) {
  return impl_->import_file(t, path);
}

StatusOr<RegistryImport> SourceRegistryStore::import_dir(const std::string& dir) {
  RegistryImport total;
  bool any = false;
  for (const TemplateInfo& ti : kTemplates) {
    const std::filesystem::path p = std::filesystem::path(dir) / ti.file;
    if (!std::filesystem::exists(p)) continue;
    any = true;
    auto r = import_file(ti.t, p.string());
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
                     "device_pollutants.csv, limits.csv, stop_periods.csv)");
  }
  return total;
}

}  // namespace ecomon
