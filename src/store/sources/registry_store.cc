#include "store/sources/registry_store.h"

#include <charconv>
#include <functional>
#include <optional>
#include <utility>

#include "ingest/hj212/codec.h"

namespace ecomon {
namespace {

using sources::Device;
using sources::EmissionLimit;
using sources::Enterprise;
using sources::Outlet;
using sources::SourceTime;

constexpr int kProtocol2017 = 2017;
constexpr int kProtocol2005 = 2005;
// The entries written one by one (put_*) are checked with the default options (the importer passes its own).
const sources::RegistryOptions kOptions{};

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
// The stored spellings (the tables' CHECK constraints allow only these).
std::optional<sources::OutletKind> parse_kind(const std::string& s) {
  if (s == "water") return sources::OutletKind::kWater;
  if (s == "gas") return sources::OutletKind::kGas;
  return std::nullopt;
}
std::optional<sources::LimitBasis> parse_basis(const std::string& s) {
  if (s.empty() || s == "measured") return sources::LimitBasis::kMeasured;
  if (s == "standardised") return sources::LimitBasis::kStandardised;
  return std::nullopt;
}

std::optional<int64_t> parse_int(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
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

// Runs `sql` with the text parameters; the rows it returns as text (NULL reads as "").
StatusOr<std::vector<Row>> query(sqlite::Db& db, const std::string& sql, const Row& params) {
  sqlite::Stmt& q = db.cached(sql);
  for (size_t i = 0; i < params.size(); ++i) q.bind(static_cast<int>(i + 1), params[i]);
  std::vector<Row> out;
  while (true) {
    auto row = q.step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    Row r(static_cast<size_t>(q.columns()));
    for (int c = 0; c < q.columns(); ++c) r[static_cast<size_t>(c)] = q.str(c);
    out.push_back(std::move(r));
  }
}

Status run(sqlite::Db& db, const std::string& sql, const Row& params) {
  auto r = query(db, sql, params);
  return r.ok() ? Status() : r.status();
}

Status in_transaction(sqlite::Db& db, const std::function<Status()>& body) {
  auto tx = sqlite::Tx::begin(db);
  if (!tx.ok()) return tx.status();
  ECOMON_RETURN_IF_ERROR(body());
  return tx->commit();
}

// Inserts or updates one row by its key; says whether anything changed.
StatusOr<Change> upsert(sqlite::Db& db, const TableSpec& t, const Row& row) {
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
  auto stored = query(db, std::string("SELECT ") + cols + " FROM " + t.table + " WHERE " + where, key);
  if (!stored.ok()) return stored.status();
  if (!stored->empty() && stored->front() == row) return Change::kUnchanged;
  std::string sql = std::string("INSERT INTO ") + t.table + "(" + cols + ") VALUES(" + marks + ")";
  sql += " ON CONFLICT(" + std::string(t.columns[0]);
  for (size_t i = 1; i < t.keys; ++i) sql += std::string(",") + t.columns[i];
  sql += ") DO " + (set.empty() ? std::string("NOTHING") : "UPDATE SET " + set);
  ECOMON_RETURN_IF_ERROR(run(db, sql, row));
  return stored->empty() ? Change::kAdded : Change::kUpdated;
}

// The source_device row of a device: descriptive names from its outlet and enterprise.
Row auth_row(const RegistrySnapshot& s, const Device& d) {
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
StatusOr<Change> write_device(sqlite::Db& db, const RegistrySnapshot& s, const Device& d) {
  auto a = upsert(db, kDeviceTable, device_row(d));
  if (!a.ok()) return a.status();
  auto b = upsert(db, kAuthTable, auth_row(s, d));
  if (!b.ok()) return b.status();
  return combine(*a, *b);
}

}  // namespace

StatusOr<RegistrySnapshot> SqliteSourceRegistryStore::snapshot() {
  RegistrySnapshot s;
  auto ents = query(db_, "SELECT id, name, county, industry FROM sr_enterprise ORDER BY id", {});
  if (!ents.ok()) return ents.status();
  for (Row& r : *ents) s.enterprises[r[0]] = {r[0], r[1], r[2], r[3]};

  auto outs = query(db_, "SELECT id, enterprise, kind, name FROM sr_outlet ORDER BY id", {});
  if (!outs.ok()) return outs.status();
  for (Row& r : *outs) {
    auto kind = parse_kind(r[2]);
    if (!kind) {
      s.problems.push_back("outlet " + r[0] + ": stored kind '" + r[2] + "' is not water or gas");
      continue;
    }
    s.outlets[r[0]] = {r[0], r[1], *kind, r[3]};
  }

  auto devs =
      query(db_,
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

  auto pols = query(db_, "SELECT mn, code, unit, rated FROM sr_device_pollutant ORDER BY mn, rowid", {});
  if (!pols.ok()) return pols.status();
  for (Row& r : *pols) {
    auto d = s.devices.find(r[0]);
    if (d != s.devices.end()) d->second.pollutants.push_back({r[1], r[2], r[3] == "1"});
  }

  auto stops = query(db_, "SELECT mn, begin_at, end_at, reason FROM sr_stop ORDER BY mn, begin_at", {});
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

  auto lims =
      query(db_,
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
      query(db_, "SELECT mn FROM source_device WHERE mn NOT IN (SELECT mn FROM sr_device) ORDER BY mn", {});
  if (!bare.ok()) return bare.status();
  for (Row& r : *bare) s.without_details.push_back(r[0]);
  return s;
}

Status SqliteSourceRegistryStore::put_enterprise(const Enterprise& e) {
  ECOMON_RETURN_IF_ERROR(sources::validate_enterprise(e));
  return in_transaction(db_, [&] { return upsert(db_, kEnterpriseTable, enterprise_row(e)).status(); });
}

Status SqliteSourceRegistryStore::put_outlet(const Outlet& o) {
  ECOMON_RETURN_IF_ERROR(sources::validate_outlet(o));
  return in_transaction(db_, [&]() -> Status {
    auto s = snapshot();
    if (!s.ok()) return s.status();
    if (!s->enterprises.contains(o.enterprise_id)) {
      return not_found("outlet " + o.id + ": enterprise " + o.enterprise_id + " is not registered");
    }
    return upsert(db_, kOutletTable, outlet_row(o)).status();
  });
}

Status SqliteSourceRegistryStore::put_device(const Device& d) {
  ECOMON_RETURN_IF_ERROR(sources::validate_device(d, kOptions));
  return in_transaction(db_, [&]() -> Status {
    auto s = snapshot();
    if (!s.ok()) return s.status();
    ECOMON_RETURN_IF_ERROR(probe_registry_device(*s, d, kOptions).with_context("device " + d.mn));
    ECOMON_RETURN_IF_ERROR(write_device(db_, *s, d).status());
    ECOMON_RETURN_IF_ERROR(run(db_, "DELETE FROM sr_device_pollutant WHERE mn=?1", {d.mn}));
    ECOMON_RETURN_IF_ERROR(run(db_, "DELETE FROM sr_stop WHERE mn=?1", {d.mn}));
    for (const sources::MonitoredPollutant& p : d.pollutants) {
      ECOMON_RETURN_IF_ERROR(upsert(db_, kPollutantTable, pollutant_row(d.mn, p)).status());
    }
    for (const sources::StopPeriod& st : d.stops) {
      ECOMON_RETURN_IF_ERROR(upsert(db_, kStopTable, stop_row(d.mn, st)).status());
    }
    return Status();
  });
}

Status SqliteSourceRegistryStore::put_limit(const EmissionLimit& l) {
  ECOMON_RETURN_IF_ERROR(sources::validate_limit(l));
  return in_transaction(db_, [&]() -> Status {
    auto s = snapshot();
    if (!s.ok()) return s.status();
    ECOMON_RETURN_IF_ERROR(probe_registry_limit(*s, l, kOptions));
    return upsert(db_, kLimitTable, limit_row(l)).status();
  });
}

StatusOr<RegistryLoad> SqliteSourceRegistryStore::load(const sources::RegistryOptions& options) {
  auto s = snapshot();
  if (!s.ok()) return s.status();
  RegistryLoad out{sources::SourceRegistry(options), std::move(s->problems), std::move(s->without_details)};
  auto note = [&](const Status& st) {
    if (!st.ok()) out.problems.push_back(st.message());
  };
  for (auto& [id, e] : s->enterprises) note(out.registry.add_enterprise(e));
  for (auto& [id, o] : s->outlets) note(out.registry.add_outlet(o));
  for (EmissionLimit& l : s->limits) note(out.registry.add_limit(std::move(l)));
  for (auto& [mn, d] : s->devices) note(out.registry.add_device(std::move(d)));
  return out;
}

StatusOr<RegistryImportCounts> SqliteSourceRegistryStore::write(std::span<const RegistryEntry> entries) {
  RegistryImportCounts counts;
  Status st = in_transaction(db_, [&]() -> Status {
    // The source_device rows name the device's outlet and enterprise: as stored when the batch begins.
    std::optional<RegistrySnapshot> names;
    for (const RegistryEntry& e : entries) {
      StatusOr<Change> ch = Change::kUnchanged;
      if (auto* en = std::get_if<Enterprise>(&e)) {
        ch = upsert(db_, kEnterpriseTable, enterprise_row(*en));
      } else if (auto* o = std::get_if<Outlet>(&e)) {
        ch = upsert(db_, kOutletTable, outlet_row(*o));
      } else if (auto* d = std::get_if<Device>(&e)) {
        if (!names) {
          auto s = snapshot();
          if (!s.ok()) return s.status();
          names = std::move(*s);
        }
        ch = write_device(db_, *names, *d);
      } else if (auto* p = std::get_if<RegistryDevicePollutant>(&e)) {
        ch = upsert(db_, kPollutantTable, pollutant_row(p->mn, p->pollutant));
      } else if (auto* l = std::get_if<EmissionLimit>(&e)) {
        ch = upsert(db_, kLimitTable, limit_row(*l));
      } else if (auto* sp = std::get_if<RegistryDeviceStop>(&e)) {
        ch = upsert(db_, kStopTable, stop_row(sp->mn, sp->stop));
      }
      if (!ch.ok()) return ch.status();
      count(counts, *ch);
    }
    return Status();
  });
  if (!st.ok()) return st;
  return counts;
}

namespace {

// The transitional SourceRegistryStore::open: the store with the connection it owns.
class OwningSourceRegistryStore final : public SqliteSourceRegistryStore {
 public:
  explicit OwningSourceRegistryStore(std::unique_ptr<sqlite::Db> db)
      : SqliteSourceRegistryStore(*db), db_(std::move(db)) {}

 private:
  std::unique_ptr<sqlite::Db> db_;
};

}  // namespace

StatusOr<std::unique_ptr<SourceRegistryStore>> SourceRegistryStore::open(const std::string& path) {
  auto db = sqlite::Db::open(path);
  if (!db.ok()) return db.status();
  return std::unique_ptr<SourceRegistryStore>(new OwningSourceRegistryStore(std::move(*db)));
}

}  // namespace ecomon
