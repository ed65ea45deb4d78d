#include "store/sources/registry_store.h"

#include <charconv>
#include <functional>
#include <map>
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
const TableSpec kPermitTable{
    "sr_permit", {"enterprise", "outlet", "pollutant", "year", "tonnes", "licence"}, 4};

using Row = std::vector<std::string>;
using Statement = TextRowRegistryStore::Statement;

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

Row permit_row(const sources::PermittedAmount& p) {
  return {p.enterprise_id, p.outlet_id, p.pollutant, std::to_string(p.year), p.tonnes.to_string(), p.licence};
}

// The row of `t` holding `row`'s key.
TextRowRegistryStore::Statement select_row(const TableSpec& t, const Row& row) {
  std::string cols, where;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    cols += (i ? "," : "") + std::string(t.columns[i]);
    if (i < t.keys) where += (i ? " AND " : "") + std::string(t.columns[i]) + "=?" + std::to_string(i + 1);
  }
  return {"SELECT " + cols + " FROM " + t.table + " WHERE " + where,
          Row(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(t.keys))};
}

// Inserts `row` into `t`, or updates the row of its key.
TextRowRegistryStore::Statement upsert_row(const TableSpec& t, const Row& row) {
  std::string cols, marks, set, keys;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const std::string c = t.columns[i];
    const std::string n = "?" + std::to_string(i + 1);
    cols += (i ? "," : "") + c;
    marks += (i ? "," : "") + n;
    if (i < t.keys) {
      keys += (i ? "," : "") + c;
    } else {
      set += (set.empty() ? "" : ",") + c + "=" + n;
    }
  }
  return {std::string("INSERT INTO ") + t.table + "(" + cols + ") VALUES(" + marks + ") ON CONFLICT(" + keys +
              ") DO " + (set.empty() ? std::string("NOTHING") : "UPDATE SET " + set),
          row};
}

// One row to write into a table.
struct TableRow {
  const TableSpec* table;
  Row row;
};

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
std::vector<TableRow> device_rows(const RegistrySnapshot& s, const Device& d) {
  return {{&kDeviceTable, device_row(d)}, {&kAuthTable, auth_row(s, d)}};
}

StatusOr<std::vector<Row>> query(TextRowRegistryStore& s, const std::string& sql, const Row& params) {
  auto r = s.run_all({{sql, params}});
  if (!r.ok()) return r.status();
  return std::move(r->front());
}

// Writes entries of rows (each entry one or more table rows), skipping rows stored exactly so, and says what
// each entry did. Three round trips whatever the number of rows: the stored rows of every key, then (worked
// out here, in order, so that an entry sees what earlier ones of the batch wrote) the writes.
StatusOr<std::vector<Change>> write_rows(TextRowRegistryStore& s,
                                         const std::vector<std::vector<TableRow>>& entries) {
  using Key = std::pair<const TableSpec*, Row>;
  std::map<Key, size_t> index;  // key -> its select statement
  std::vector<Statement> selects;
  const auto key_of = [](const TableRow& r) {
    return Key{r.table, Row(r.row.begin(), r.row.begin() + static_cast<std::ptrdiff_t>(r.table->keys))};
  };
  for (const auto& entry : entries) {
    for (const TableRow& r : entry) {
      if (index.emplace(key_of(r), selects.size()).second) selects.push_back(select_row(*r.table, r.row));
    }
  }
  auto stored_rows = s.run_all(selects);
  if (!stored_rows.ok()) return stored_rows.status();
  std::map<Key, std::optional<Row>> current;
  for (const auto& [key, i] : index) {
    const auto& rows = (*stored_rows)[i];
    current[key] = rows.empty() ? std::nullopt : std::optional<Row>(rows.front());
  }
  std::vector<Statement> writes;
  std::vector<Change> out;
  for (const auto& entry : entries) {
    Change ch = Change::kUnchanged;
    for (const TableRow& r : entry) {
      std::optional<Row>& stored = current[key_of(r)];
      if (stored && *stored == r.row) continue;
      ch = combine(ch, stored ? Change::kUpdated : Change::kAdded);
      writes.push_back(upsert_row(*r.table, r.row));
      stored = r.row;
    }
    out.push_back(ch);
  }
  auto written = s.run_all(writes);
  if (!written.ok()) return written.status();
  return out;
}

Status write_one(TextRowRegistryStore& s, const std::vector<TableRow>& rows) {
  auto r = write_rows(s, {rows});
  return r.ok() ? Status() : r.status();
}

}  // namespace

StatusOr<RegistrySnapshot> TextRowRegistryStore::snapshot() {
  RegistrySnapshot s;
  auto ents = query(*this, "SELECT id, name, county, industry FROM sr_enterprise ORDER BY id", {});
  if (!ents.ok()) return ents.status();
  for (Row& r : *ents) s.enterprises[r[0]] = {r[0], r[1], r[2], r[3]};

  auto outs = query(*this, "SELECT id, enterprise, kind, name FROM sr_outlet ORDER BY id", {});
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
      query(*this,
            "SELECT d.mn, d.outlet, d.realtime, d.realtime_s, d.minute, d.minute_min, d.hourly, d.daily, "
            "d.registered_at, CASE WHEN a.mn IS NULL THEN 0 ELSE 1 END, a.password, a.protocol, a.active "
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

  auto pols = query(
      *this, "SELECT mn, code, unit, rated FROM sr_device_pollutant ORDER BY mn, " + insertion_order(), {});
  if (!pols.ok()) return pols.status();
  for (Row& r : *pols) {
    auto d = s.devices.find(r[0]);
    if (d != s.devices.end()) d->second.pollutants.push_back({r[1], r[2], r[3] == "1"});
  }

  auto stops = query(*this, "SELECT mn, begin_at, end_at, reason FROM sr_stop ORDER BY mn, begin_at", {});
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
      query(*this,
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

  auto permits = query(*this,
                       "SELECT enterprise, outlet, pollutant, year, tonnes, licence FROM sr_permit "
                       "ORDER BY year, enterprise, outlet, pollutant",
                       {});
  if (!permits.ok()) return permits.status();
  for (Row& r : *permits) {
    auto year = parse_int(r[3]);
    auto tonnes = hj212::parse_decimal(r[4]);
    if (!year || !tonnes) {
      s.problems.push_back("permit " + r[0] + "/" + r[1] + "/" + r[2] + " " + r[3] +
                           ": stored values cannot be read");
      continue;
    }
    s.permits.push_back({r[0], r[1], r[2], static_cast<int>(*year), *tonnes, r[5]});
  }

  auto bare =
      query(*this, "SELECT mn FROM source_device WHERE mn NOT IN (SELECT mn FROM sr_device) ORDER BY mn", {});
  if (!bare.ok()) return bare.status();
  for (Row& r : *bare) s.without_details.push_back(r[0]);
  return s;
}

Status TextRowRegistryStore::put_enterprise(const Enterprise& e) {
  ECOMON_RETURN_IF_ERROR(sources::validate_enterprise(e));
  return in_transaction([&] { return write_one(*this, {{&kEnterpriseTable, enterprise_row(e)}}); });
}

Status TextRowRegistryStore::put_outlet(const Outlet& o) {
  ECOMON_RETURN_IF_ERROR(sources::validate_outlet(o));
  return in_transaction([&]() -> Status {
    auto s = snapshot();
    if (!s.ok()) return s.status();
    if (!s->enterprises.contains(o.enterprise_id)) {
      return not_found("outlet " + o.id + ": enterprise " + o.enterprise_id + " is not registered");
    }
    return write_one(*this, {{&kOutletTable, outlet_row(o)}});
  });
}

Status TextRowRegistryStore::put_device(const Device& d) {
  ECOMON_RETURN_IF_ERROR(sources::validate_device(d, kOptions));
  return in_transaction([&]() -> Status {
    auto s = snapshot();
    if (!s.ok()) return s.status();
    ECOMON_RETURN_IF_ERROR(probe_registry_device(*s, d, kOptions).with_context("device " + d.mn));
    ECOMON_RETURN_IF_ERROR(write_one(*this, device_rows(*s, d)));
    // Its pollutants and stops replace those stored: deleted, then inserted (one round trip).
    std::vector<Statement> replace = {{"DELETE FROM sr_device_pollutant WHERE mn=?1", {d.mn}},
                                      {"DELETE FROM sr_stop WHERE mn=?1", {d.mn}}};
    for (const sources::MonitoredPollutant& p : d.pollutants) {
      replace.push_back(upsert_row(kPollutantTable, pollutant_row(d.mn, p)));
    }
    for (const sources::StopPeriod& st : d.stops)
      replace.push_back(upsert_row(kStopTable, stop_row(d.mn, st)));
    auto r = run_all(replace);
    return r.ok() ? Status() : r.status();
  });
}

Status TextRowRegistryStore::put_limit(const EmissionLimit& l) {
  ECOMON_RETURN_IF_ERROR(sources::validate_limit(l));
  return in_transaction([&]() -> Status {
    auto s = snapshot();
    if (!s.ok()) return s.status();
    ECOMON_RETURN_IF_ERROR(probe_registry_limit(*s, l, kOptions));
    return write_one(*this, {{&kLimitTable, limit_row(l)}});
  });
}

StatusOr<RegistryLoad> TextRowRegistryStore::load(const sources::RegistryOptions& options) {
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
  for (sources::PermittedAmount& p : s->permits) note(out.registry.add_permit(std::move(p)));
  return out;
}

StatusOr<RegistryImportCounts> TextRowRegistryStore::write(std::span<const RegistryEntry> entries) {
  RegistryImportCounts counts;
  Status st = in_transaction([&]() -> Status {
    // The source_device rows name the device's outlet and enterprise: as stored when the batch's first
    // device comes, with the enterprises and outlets written before it in the batch.
    std::optional<RegistrySnapshot> names;
    std::vector<const Enterprise*> earlier_enterprises;
    std::vector<const Outlet*> earlier_outlets;
    std::vector<std::vector<TableRow>> rows;
    rows.reserve(entries.size());
    for (const RegistryEntry& e : entries) {
      if (auto* en = std::get_if<Enterprise>(&e)) {
        rows.push_back({{&kEnterpriseTable, enterprise_row(*en)}});
        if (!names) earlier_enterprises.push_back(en);
      } else if (auto* o = std::get_if<Outlet>(&e)) {
        rows.push_back({{&kOutletTable, outlet_row(*o)}});
        if (!names) earlier_outlets.push_back(o);
      } else if (auto* d = std::get_if<Device>(&e)) {
        if (!names) {
          auto s = snapshot();
          if (!s.ok()) return s.status();
          names = std::move(*s);
          for (const Enterprise* x : earlier_enterprises) names->enterprises.insert_or_assign(x->id, *x);
          for (const Outlet* x : earlier_outlets) names->outlets.insert_or_assign(x->id, *x);
        }
        rows.push_back(device_rows(*names, *d));
      } else if (auto* p = std::get_if<RegistryDevicePollutant>(&e)) {
        rows.push_back({{&kPollutantTable, pollutant_row(p->mn, p->pollutant)}});
      } else if (auto* l = std::get_if<EmissionLimit>(&e)) {
        rows.push_back({{&kLimitTable, limit_row(*l)}});
      } else if (auto* sp = std::get_if<RegistryDeviceStop>(&e)) {
        rows.push_back({{&kStopTable, stop_row(sp->mn, sp->stop)}});
      } else if (auto* pa = std::get_if<sources::PermittedAmount>(&e)) {
        rows.push_back({{&kPermitTable, permit_row(*pa)}});
      }
    }
    auto changes = write_rows(*this, rows);
    if (!changes.ok()) return changes.status();
    for (Change ch : *changes) count(counts, ch);
    return Status();
  });
  if (!st.ok()) return st;
  return counts;
}

// ---- SQLite

StatusOr<std::vector<std::vector<TextRowRegistryStore::Row>>> SqliteSourceRegistryStore::run_all(
    const std::vector<Statement>& statements) {
  std::vector<std::vector<Row>> out;
  out.reserve(statements.size());
  for (const Statement& st : statements) {
    sqlite::Stmt& q = db_.cached(st.sql);
    for (size_t i = 0; i < st.params.size(); ++i) q.bind(static_cast<int>(i + 1), st.params[i]);
    std::vector<Row>& rows = out.emplace_back();
    while (true) {
      auto row = q.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      Row r(static_cast<size_t>(q.columns()));
      for (int c = 0; c < q.columns(); ++c) r[static_cast<size_t>(c)] = q.str(c);
      rows.push_back(std::move(r));
    }
  }
  return out;
}

Status SqliteSourceRegistryStore::in_transaction(const std::function<Status()>& body) {
  auto tx = sqlite::Tx::begin(db_);
  if (!tx.ok()) return tx.status();
  ECOMON_RETURN_IF_ERROR(body());
  return tx->commit();
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
