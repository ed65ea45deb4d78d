#include "store/sqlite/migrations.h"

#include <string>

#include "store/sqlite/db.h"

namespace ecomon::sqlite {
namespace {

// ---- Migration 1: the schema of every concern as it stood before migrations (copied from each store's own
// DDL of that time, which each store ran on open).

// the air archive: stations, hourly blocks; HJ 212 devices (store/sqlite_store.cc)
constexpr const char* kAirAndDevices = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '1');
INSERT OR IGNORE INTO meta(key, value) VALUES ('registry_revision', '0');
CREATE TABLE IF NOT EXISTS station(
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  city TEXT,
  longitude REAL,
  latitude REAL,
  is_reference INTEGER NOT NULL DEFAULT 0,
  in_site_list INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS station_by_city ON station(city);
-- Hourly air observations: one row per station, pollutant and month (store/block_codec.h).
CREATE TABLE IF NOT EXISTS air_hourly_block(
  station_id INTEGER NOT NULL REFERENCES station(id),
  pollutant INTEGER NOT NULL,
  month INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY(station_id, pollutant, month));
-- Pollution-source monitoring (HJ 212): devices and the uploads they sent.
CREATE TABLE IF NOT EXISTS source_device(
  mn TEXT PRIMARY KEY,
  password TEXT NOT NULL,
  protocol INTEGER NOT NULL DEFAULT 2017,
  enterprise TEXT NOT NULL DEFAULT '',
  outlet TEXT NOT NULL DEFAULT '',
  county TEXT NOT NULL DEFAULT '',
  rtd_interval_s INTEGER NOT NULL DEFAULT 30,
  min_interval_min INTEGER NOT NULL DEFAULT 10,
  active INTEGER NOT NULL DEFAULT 1,
  policy TEXT NOT NULL DEFAULT 'lenient');
)sql";

// air quality results and the quality templates (store/quality)
constexpr const char* kQuality = R"sql(
CREATE TABLE IF NOT EXISTS q_water_section(name TEXT PRIMARY KEY, river TEXT NOT NULL, county TEXT NOT NULL,
  body TEXT NOT NULL, target TEXT NOT NULL, level TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS q_water_value(section TEXT NOT NULL, month TEXT NOT NULL, item TEXT NOT NULL,
  value TEXT NOT NULL, PRIMARY KEY(section, month, item));
CREATE TABLE IF NOT EXISTS q_gw_well(name TEXT PRIMARY KEY, county TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS q_gw_value(well TEXT NOT NULL, day TEXT NOT NULL, indicator TEXT NOT NULL,
  value TEXT NOT NULL, nd INTEGER NOT NULL, PRIMARY KEY(well, day, indicator));
CREATE TABLE IF NOT EXISTS q_drink_source(name TEXT PRIMARY KEY, county TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS q_drink_value(source TEXT NOT NULL, month TEXT NOT NULL, item TEXT NOT NULL,
  value TEXT NOT NULL, volume TEXT NOT NULL, PRIMARY KEY(source, month, item));
CREATE TABLE IF NOT EXISTS q_noise_point(name TEXT PRIMARY KEY, kind TEXT NOT NULL, zone TEXT NOT NULL,
  length TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS q_noise_value(point TEXT NOT NULL, day TEXT NOT NULL, part TEXT NOT NULL,
  leq TEXT NOT NULL, lmax TEXT NOT NULL, PRIMARY KEY(point, day, part));
CREATE TABLE IF NOT EXISTS q_rain_sample(site TEXT NOT NULL, day TEXT NOT NULL, ph TEXT NOT NULL,
  rainfall TEXT NOT NULL, PRIMARY KEY(site, day));
CREATE TABLE IF NOT EXISTS q_result(kind TEXT NOT NULL, period TEXT NOT NULL, json TEXT NOT NULL,
  PRIMARY KEY(kind, period));
)sql";

// soil (store/soil)
constexpr const char* kSoil = R"sql(
CREATE TABLE IF NOT EXISTS soil_point(point TEXT PRIMARY KEY, county TEXT NOT NULL, land_use TEXT NOT NULL,
  ph TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS soil_value(point TEXT NOT NULL, item TEXT NOT NULL, value TEXT NOT NULL,
  nd INTEGER NOT NULL, PRIMARY KEY(point, item));
CREATE TABLE IF NOT EXISTS soil_plot(plot TEXT PRIMARY KEY, name TEXT NOT NULL, county TEXT NOT NULL,
  planned_use TEXT NOT NULL, area TEXT NOT NULL, status TEXT NOT NULL, redeveloped INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS soil_parcel(parcel TEXT PRIMARY KEY, county TEXT NOT NULL, area TEXT NOT NULL,
  category TEXT NOT NULL, light INTEGER NOT NULL, measures INTEGER NOT NULL, produce TEXT NOT NULL);
)sql";

// the source registry (store/sources/registry_store.cc)
constexpr const char* kSourceRegistry = R"sql(
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
)sql";

// live events (store/sources/event_store.cc)
constexpr const char* kSourceEvents = R"sql(
CREATE TABLE IF NOT EXISTS source_event(mn TEXT NOT NULL, kind TEXT NOT NULL, pollutant TEXT NOT NULL,
  flag TEXT NOT NULL, opened_at INTEGER NOT NULL, closed_at INTEGER, data_time INTEGER NOT NULL,
  close_data_time INTEGER, cause TEXT NOT NULL, value TEXT NOT NULL, limit_value TEXT NOT NULL,
  basis TEXT NOT NULL, backfill INTEGER NOT NULL, raised_ms INTEGER NOT NULL, closed_ms INTEGER NOT NULL,
  PRIMARY KEY(mn, kind, pollutant, flag, opened_at));
CREATE INDEX IF NOT EXISTS source_event_open ON source_event(closed_at, opened_at);
CREATE TABLE IF NOT EXISTS source_event_watch(begin_at INTEGER PRIMARY KEY, end_at INTEGER NOT NULL);
)sql";

// downstream commands (store/sources/command_store.cc)
constexpr const char* kSourceCommands = R"sql(
CREATE TABLE IF NOT EXISTS source_command(id INTEGER PRIMARY KEY AUTOINCREMENT, mn TEXT NOT NULL,
  name TEXT NOT NULL, cn INTEGER NOT NULL, argument TEXT NOT NULL, state TEXT NOT NULL, qn TEXT NOT NULL,
  attempts INTEGER NOT NULL, created_ms INTEGER NOT NULL, sent_ms INTEGER NOT NULL, finished_ms INTEGER NOT NULL,
  created_by TEXT NOT NULL, qn_rtn INTEGER NOT NULL, exe_rtn INTEGER NOT NULL, result TEXT NOT NULL,
  detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS source_command_mn ON source_command(mn, id);
CREATE INDEX IF NOT EXISTS source_command_state ON source_command(state, id);
)sql";

// the task ledgers (store/ledger)
constexpr const char* kLedger = R"sql(
CREATE TABLE IF NOT EXISTS ld_plan(id TEXT PRIMARY KEY, title TEXT NOT NULL, document TEXT NOT NULL,
  issued TEXT NOT NULL, year INTEGER NOT NULL, seed TEXT NOT NULL, note TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ld_category(plan TEXT NOT NULL, name TEXT NOT NULL, ordinal INTEGER NOT NULL,
  PRIMARY KEY(plan, name));
CREATE TABLE IF NOT EXISTS ld_task(id TEXT PRIMARY KEY, plan TEXT NOT NULL, no TEXT NOT NULL,
  ordinal INTEGER NOT NULL, category TEXT NOT NULL, key_work TEXT NOT NULL, title TEXT NOT NULL,
  text TEXT NOT NULL, lead_units TEXT NOT NULL, responsible_units TEXT NOT NULL, deadline_text TEXT NOT NULL,
  deadline_kind TEXT NOT NULL, start TEXT NOT NULL, due TEXT NOT NULL, quantities TEXT NOT NULL,
  remark TEXT NOT NULL, note TEXT NOT NULL, source TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'not-started');
CREATE TABLE IF NOT EXISTS ld_target(plan TEXT NOT NULL, indicator TEXT NOT NULL, scope TEXT NOT NULL,
  period_text TEXT NOT NULL, label TEXT NOT NULL, comparison TEXT NOT NULL, value TEXT NOT NULL,
  unit TEXT NOT NULL, first TEXT NOT NULL, last TEXT NOT NULL, owner TEXT NOT NULL, note TEXT NOT NULL,
  source TEXT NOT NULL, PRIMARY KEY(plan, indicator, scope, period_text, label));
CREATE TABLE IF NOT EXISTS ld_status(id INTEGER PRIMARY KEY, task TEXT NOT NULL, day TEXT NOT NULL,
  from_status TEXT NOT NULL, to_status TEXT NOT NULL, note TEXT NOT NULL,
  user TEXT NOT NULL, role TEXT NOT NULL, operator TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ld_progress(id INTEGER PRIMARY KEY, task TEXT NOT NULL, quantity INTEGER NOT NULL,
  day TEXT NOT NULL, amount TEXT NOT NULL, county TEXT NOT NULL, note TEXT NOT NULL,
  user TEXT NOT NULL, role TEXT NOT NULL, operator TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ld_problem(id INTEGER PRIMARY KEY, task TEXT NOT NULL, problem TEXT NOT NULL,
  responsibility TEXT NOT NULL, measure TEXT NOT NULL, deadline_text TEXT NOT NULL, due TEXT NOT NULL,
  county TEXT NOT NULL, user TEXT NOT NULL, role TEXT NOT NULL, operator TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ld_evidence(id INTEGER PRIMARY KEY, task TEXT NOT NULL, note TEXT NOT NULL,
  file_name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, county TEXT NOT NULL,
  user TEXT NOT NULL, role TEXT NOT NULL, operator TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ld_history(id INTEGER PRIMARY KEY, task TEXT NOT NULL, action TEXT NOT NULL,
  detail TEXT NOT NULL, user TEXT NOT NULL, role TEXT NOT NULL, operator TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ld_history_task ON ld_history(task);
)sql";

// heavy-pollution response (store/emergency)
constexpr const char* kEmergency = R"sql(
CREATE TABLE IF NOT EXISTS em_enterprise(id TEXT PRIMARY KEY, name TEXT NOT NULL, county TEXT NOT NULL,
  industry TEXT NOT NULL, grade TEXT NOT NULL, guarantee INTEGER NOT NULL, source_enterprise TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS em_line(enterprise TEXT NOT NULL, line TEXT NOT NULL, seq INTEGER NOT NULL,
  name TEXT NOT NULL, process TEXT NOT NULL, so2 INTEGER NOT NULL, nox INTEGER NOT NULL, pm INTEGER NOT NULL,
  vocs INTEGER NOT NULL, PRIMARY KEY(enterprise, line));
CREATE TABLE IF NOT EXISTS em_measure(enterprise TEXT NOT NULL, line TEXT NOT NULL, level TEXT NOT NULL,
  kind TEXT NOT NULL, cut_percent INTEGER NOT NULL, process TEXT NOT NULL, note TEXT NOT NULL,
  so2 INTEGER NOT NULL, nox INTEGER NOT NULL, pm INTEGER NOT NULL, vocs INTEGER NOT NULL,
  PRIMARY KEY(enterprise, line, level));
CREATE TABLE IF NOT EXISTS em_warning(id INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL,
  level TEXT NOT NULL, effective_from TEXT NOT NULL, declared_by TEXT NOT NULL, role TEXT NOT NULL,
  reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS em_inspection(enterprise TEXT NOT NULL, time TEXT NOT NULL, inspector TEXT NOT NULL,
  compliant INTEGER NOT NULL, note TEXT NOT NULL, PRIMARY KEY(enterprise, time, inspector));
)sql";

// accounts and the audit log (accounts/accounts.cc)
constexpr const char* kAccounts = R"sql(
CREATE TABLE IF NOT EXISTS acc_user (
  login TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  county TEXT NOT NULL DEFAULT '',
  enterprise TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS acc_session (
  id_hash TEXT PRIMARY KEY,
  login TEXT NOT NULL REFERENCES acc_user(login),
  csrf TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS acc_token (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  login TEXT NOT NULL REFERENCES acc_user(login),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS acc_audit (
  id INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  user TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL,
  via TEXT NOT NULL
);
)sql";

// The HJ 212 uploads (main file; the gateway's shard files DB-srcN have the same two tables, made by
// SqliteStore when it attaches them). See store/sqlite_store.cc for why rows are in arrival order.
constexpr const char* kSourceRecords = R"sql(
CREATE TABLE IF NOT EXISTS source_record(mn TEXT NOT NULL, cn INTEGER NOT NULL, data_time INTEGER NOT NULL,
  qn TEXT NOT NULL DEFAULT '', received_ms INTEGER NOT NULL, flag INTEGER NOT NULL DEFAULT 0,
  cp TEXT NOT NULL, UNIQUE(mn, cn, data_time));
CREATE TABLE IF NOT EXISTS source_record_conflict(mn TEXT NOT NULL, cn INTEGER NOT NULL,
  data_time INTEGER NOT NULL, qn TEXT NOT NULL DEFAULT '', received_ms INTEGER NOT NULL,
  flag INTEGER NOT NULL DEFAULT 0, cp TEXT NOT NULL, UNIQUE(mn, cn, data_time, cp));
)sql";

// Any change to the device table bumps meta.registry_revision, which the gateway polls to reload devices.
std::string registry_revision_triggers(std::string_view table) {
  std::string sql;
  for (const char* op : {"insert", "update", "delete"}) {
    sql += "CREATE TRIGGER IF NOT EXISTS " + std::string(table) + "_revision_" + op + " AFTER " + op +
           " ON " + std::string(table) +
           " BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'registry_revision'; END;";
  }
  return sql;
}

// Adds a column that later versions gave an existing table, when the table lacks it.
Status add_column_if_missing(Db& db, std::string_view table, std::string_view column, std::string_view decl) {
  auto st = db.prepare("SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
  if (!st.ok()) return st.status();
  st->bind(1, table).bind(2, column);
  auto row = st->step();
  if (!row.ok()) return row.status();
  if (*row) return Status();
  return db.exec("ALTER TABLE " + std::string(table) + " ADD COLUMN " + std::string(column) + " " +
                 std::string(decl));
}

Status baseline(Db& db) {
  for (const char* sql : {kAirAndDevices, kSourceRecords, kQuality, kSoil, kSourceRegistry, kSourceEvents,
                          kSourceCommands, kLedger, kEmergency, kAccounts}) {
    ECOMON_RETURN_IF_ERROR(db.exec(sql));
  }
  ECOMON_RETURN_IF_ERROR(db.exec(registry_revision_triggers("source_device")));
  // Columns added in 2026 to tables of older stores.
  ECOMON_RETURN_IF_ERROR(
      add_column_if_missing(db, "source_device", "policy", "TEXT NOT NULL DEFAULT 'lenient'"));
  return add_column_if_missing(db, "acc_user", "disabled", "INTEGER NOT NULL DEFAULT 0");
}

// The source registry's tables bump the registry revision too (the registry store created these triggers on
// open before it was given its connection), so that the gateway reloads a registry changed by an import.
Status registry_triggers(Db& db) {
  for (const char* t :
       {"sr_enterprise", "sr_outlet", "sr_device", "sr_device_pollutant", "sr_stop", "sr_limit"}) {
    ECOMON_RETURN_IF_ERROR(db.exec(registry_revision_triggers(t)));
  }
  return Status();
}

// HJ 212-2025 session keys, sealed under the master key (store/api/device_keys.h, accounts/key_vault.h); a
// change bumps the registry revision so that a running gateway reloads them.
Status device_keys(Db& db) {
  ECOMON_RETURN_IF_ERROR(db.exec(R"sql(
CREATE TABLE IF NOT EXISTS source_device_key(
  mn TEXT NOT NULL,
  serial INTEGER NOT NULL,
  sealed BLOB NOT NULL,
  issued_ms INTEGER NOT NULL,
  issued_by TEXT NOT NULL,
  valid_until_ms INTEGER,
  PRIMARY KEY(mn, serial));
CREATE UNIQUE INDEX IF NOT EXISTS source_device_key_current ON source_device_key(mn) WHERE valid_until_ms IS NULL;
)sql"));
  return db.exec(registry_revision_triggers("source_device_key"));
}

// Acknowledgements of source events (issue 20's duty view): one per event, the newest kept
// (store/api/notify.h).
Status event_acks(Db& db) {
  return db.exec(R"sql(
CREATE TABLE IF NOT EXISTS event_ack(
  mn TEXT NOT NULL,
  kind TEXT NOT NULL,
  pollutant TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  by_login TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY(mn, kind, pollutant, opened_at));
CREATE INDEX IF NOT EXISTS event_ack_opened ON event_ack(opened_at);
)sql");
}

// Notifications of source events (issue 20): rules per role and county, the outbox (one job per rule,
// event and level) and every delivery attempt (store/api/notify.h).
Status notifications(Db& db) {
  return db.exec(R"sql(
CREATE TABLE IF NOT EXISTS notify_rule(
  id INTEGER PRIMARY KEY,
  role TEXT NOT NULL, county TEXT NOT NULL, kinds TEXT NOT NULL, levels TEXT NOT NULL,
  channel TEXT NOT NULL, target TEXT NOT NULL, created_by TEXT NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS notify_job(
  id INTEGER PRIMARY KEY,
  rule_id INTEGER NOT NULL, mn TEXT NOT NULL, kind TEXT NOT NULL, pollutant TEXT NOT NULL,
  opened_at INTEGER NOT NULL, level TEXT NOT NULL, channel TEXT NOT NULL, target TEXT NOT NULL,
  payload TEXT NOT NULL, attempts INTEGER NOT NULL, next_ms INTEGER NOT NULL, state TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  UNIQUE(rule_id, mn, kind, pollutant, opened_at, level));
CREATE INDEX IF NOT EXISTS notify_job_due ON notify_job(state, next_ms);
CREATE TABLE IF NOT EXISTS notify_attempt(
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL, attempt INTEGER NOT NULL, at_ms INTEGER NOT NULL, ok INTEGER NOT NULL,
  detail TEXT NOT NULL, took_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS notify_attempt_job ON notify_attempt(job_id);
)sql");
}

// The data audit (issue 19, store/api/audit.h): versions over the hourly observations, month closings and
// the stations' counties.
Status audit(Db& db) {
  return db.exec(R"sql(
CREATE TABLE IF NOT EXISTS audit_version(
  station_id INTEGER NOT NULL,
  pollutant INTEGER NOT NULL,
  hour INTEGER NOT NULL,
  version INTEGER NOT NULL,
  action TEXT NOT NULL,
  value INTEGER,
  previous INTEGER,
  reason TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  who TEXT NOT NULL DEFAULT '',
  at_ms INTEGER NOT NULL,
  PRIMARY KEY(station_id, pollutant, hour, version));
CREATE INDEX IF NOT EXISTS audit_version_by_hour ON audit_version(hour);
CREATE TABLE IF NOT EXISTS audit_month(
  id INTEGER PRIMARY KEY,
  month INTEGER NOT NULL,
  closed INTEGER NOT NULL,
  who TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS audit_month_by_month ON audit_month(month);
CREATE TABLE IF NOT EXISTS audit_station_county(code TEXT PRIMARY KEY, county TEXT NOT NULL);
)sql");
}

// The monitoring network over HJ 212 (issue 19): a station's type, whether it is an assessment station, its
// county and the MN of its data acquisition unit (store/api/store.h, StationInfo).
Status station_network(Db& db) {
  return db.exec(R"sql(
ALTER TABLE station ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE station ADD COLUMN assessment INTEGER NOT NULL DEFAULT 1;
ALTER TABLE station ADD COLUMN county TEXT NOT NULL DEFAULT '';
ALTER TABLE station ADD COLUMN mn TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS station_by_mn ON station(mn) WHERE mn IS NOT NULL;
)sql");
}

// Power-use monitoring (issue 22, store/api/power.h): metered lines, closed sites, readings, grid energy.
Status power(Db& db) {
  return db.exec(R"sql(
CREATE TABLE IF NOT EXISTS power_line(
  line TEXT PRIMARY KEY,
  enterprise TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  running_kw TEXT NOT NULL,
  interval_s INTEGER NOT NULL,
  mn TEXT NOT NULL DEFAULT '',
  code TEXT NOT NULL DEFAULT '',
  serves TEXT NOT NULL DEFAULT '',
  outlets TEXT NOT NULL DEFAULT '',
  list_lines TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS power_line_by_enterprise ON power_line(enterprise);
CREATE TABLE IF NOT EXISTS power_site(
  site TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  county TEXT NOT NULL,
  meter TEXT NOT NULL,
  status TEXT NOT NULL,
  closed_since TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS power_reading(
  line TEXT NOT NULL,
  at_s INTEGER NOT NULL,
  kw TEXT NOT NULL,
  PRIMARY KEY(line, at_s)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS power_reading_by_at ON power_reading(at_s);
CREATE TABLE IF NOT EXISTS power_grid(
  meter TEXT NOT NULL,
  period TEXT NOT NULL,
  start TEXT NOT NULL,
  enterprise TEXT NOT NULL,
  kwh TEXT NOT NULL,
  PRIMARY KEY(meter, period, start));
CREATE INDEX IF NOT EXISTS power_grid_by_start ON power_grid(start);
)sql");
}

// Permitted amounts (排污许可 许可排放量, issue 21) in the source registry: tonnes per enterprise, outlet (''
// = the whole enterprise), pollutant and year, with the licence number; tonnes as the decimal imported.
Status permits(Db& db) {
  return db.exec(R"sql(
CREATE TABLE IF NOT EXISTS sr_permit(enterprise TEXT NOT NULL REFERENCES sr_enterprise(id), outlet TEXT NOT NULL,
  pollutant TEXT NOT NULL, year INTEGER NOT NULL, tonnes TEXT NOT NULL, licence TEXT NOT NULL,
  PRIMARY KEY(enterprise, outlet, pollutant, year));
)sql");
}

// HJ 212-2025 provisioning (issue 17): data loggers seen without an MN (CN 1001), one row per 数采仪ID, and
// the MN the bureau assigned (store/api/pending_devices.h).
Status pending_devices(Db& db) {
  return db.exec(R"sql(
CREATE TABLE IF NOT EXISTS pending_device(
  id INTEGER PRIMARY KEY,
  hardware_id TEXT NOT NULL UNIQUE,
  cpu_id TEXT NOT NULL,
  mac1 TEXT NOT NULL,
  mac2 TEXT NOT NULL,
  st TEXT NOT NULL,
  pw TEXT NOT NULL,
  peer TEXT NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  seen_count INTEGER NOT NULL,
  mn TEXT NOT NULL,
  assigned_ms INTEGER NOT NULL,
  assigned_by TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS pending_device_mn ON pending_device(mn) WHERE mn <> '';
)sql");
}

// Fugitive-dust monitoring points (issue 22 item 3, store/api/dust.h): the points and their readings.
Status dust(Db& db) {
  return db.exec(R"sql(
CREATE TABLE IF NOT EXISTS dust_point(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  owner TEXT NOT NULL,
  county TEXT NOT NULL,
  lon TEXT NOT NULL,
  lat TEXT NOT NULL,
  mn TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS dust_reading(
  point TEXT NOT NULL,
  cn INTEGER NOT NULL,
  at_s INTEGER NOT NULL,
  tsp TEXT NOT NULL,
  pm10 TEXT NOT NULL,
  pm25 TEXT NOT NULL,
  noise TEXT NOT NULL,
  wind_speed TEXT NOT NULL,
  wind_dir TEXT NOT NULL,
  PRIMARY KEY(point, at_s, cn));
CREATE INDEX IF NOT EXISTS dust_reading_by_at ON dust_reading(at_s);
)sql");
}

// Power-use enforcement cases (issue 22, store/api/power.h): a closed or 散乱污 site drawing power.
Status power_cases(Db& db) {
  return db.exec(R"sql(
CREATE TABLE IF NOT EXISTS power_case(
  site TEXT NOT NULL,
  opened TEXT NOT NULL,
  closed TEXT NOT NULL,
  name TEXT NOT NULL,
  county TEXT NOT NULL,
  meter TEXT NOT NULL,
  status TEXT NOT NULL,
  days INTEGER NOT NULL,
  threshold_kwh TEXT NOT NULL,
  found_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY(site, opened));
CREATE INDEX IF NOT EXISTS power_case_by_county ON power_case(county);
)sql");
}

// Single hours of the time series (issue 19, sqlite_store.h): what an HJ 212 station's hourly upload adds,
// one row each, until folded into its month block (air_hourly_block). `hour` is the index in the month.
Status air_hours(Db& db) {
  return db.exec(R"sql(
CREATE TABLE IF NOT EXISTS air_hour(
  station_id INTEGER NOT NULL REFERENCES station(id),
  pollutant INTEGER NOT NULL,
  month INTEGER NOT NULL,
  hour INTEGER NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY(station_id, pollutant, month, hour)) WITHOUT ROWID;
)sql");
}

// Each power reading's kW in thousandths beside its text (issue 22, store/api/power.h reading_sums): the
// store sums them in SQL for the required-cut verdict. NULL where the text is no number of at most 3
// decimals, and on the rows stored before this migration (reading_sums returns those as text).
Status power_reading_milli(Db& db) {
  return db.exec("ALTER TABLE power_reading ADD COLUMN kw_milli INTEGER;");
}

// Surface-water automatic stations (ST 21) and noise stations (ST 23) over HJ 212 and their hourly values
// (issue 19, store/api/quality_stations.h). The hour is Hour::index(): hours since 1970-01-01 00:00 of the
// hour's start.
Status quality_stations(Db& db) {
  return db.exec(R"sql(
CREATE TABLE IF NOT EXISTS qs_station(
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  site TEXT NOT NULL,
  city TEXT NOT NULL,
  county TEXT NOT NULL,
  mn TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS qs_hour(
  station TEXT NOT NULL,
  hour INTEGER NOT NULL,
  item TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(station, hour, item));
)sql");
}

constexpr Migration kMigrations[] = {
    {1, "baseline: every concern's tables as of 2026-12", &baseline},
    {2, "source registry tables bump the registry revision", &registry_triggers},
    {3, "device session keys (HJ 212-2025), sealed", &device_keys},
    {4, "acknowledgements of source events", &event_acks},
    {5, "notification rules, outbox and delivery attempts", &notifications},
    {6, "data audit: observation versions, month closings, station counties", &audit},
    {7, "stations over HJ 212: type, assessment flag, county, MN", &station_network},
    {8, "power-use monitoring: metered lines, closed sites, readings, grid energy", &power},
    {9, "permitted amounts (许可排放量) in the source registry", &permits},
    {10, "HJ 212-2025 data loggers awaiting an MN (CN 1001) and the MNs assigned", &pending_devices},
    {11, "fugitive-dust (TSP) points and their readings", &dust},
    {12, "power-use enforcement cases (closed or 散乱污 sites drawing power)", &power_cases},
    {13, "single hours of the time series (HJ 212 stations' hourly uploads) before their month block",
     &air_hours},
    {14, "power readings' kW in thousandths, summed by the store", &power_reading_milli},
    {15, "water (ST 21) and noise (ST 23) stations over HJ 212 and their hourly values", &quality_stations},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

Status migrate(Db& db, std::span<const Migration> list) {
  auto current = db.user_version();
  if (!current.ok()) return current.status();
  const int latest = list.empty() ? 0 : list.back().version;
  if (*current > latest) {
    return Status(StatusCode::kFailedPrecondition,
                  "store " + db.path() + " has schema version " + std::to_string(*current) +
                      ", newer than this ecomon knows (" + std::to_string(latest) + "): use a newer ecomon");
  }
  for (const Migration& m : list) {
    if (m.version <= *current) continue;
    auto tx = Tx::begin(db);
    if (!tx.ok()) return tx.status();
    // Another connection may have migrated while this one waited for the write lock.
    auto now = db.user_version();
    if (!now.ok()) return now.status();
    if (*now >= m.version) continue;
    Status s = m.apply(db);
    if (s.ok()) s = db.exec("PRAGMA user_version = " + std::to_string(m.version));
    if (!s.ok()) {
      return Status(s.code(), "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                                  "): " + s.message());
    }
    ECOMON_RETURN_IF_ERROR(tx->commit());
  }
  return Status();
}

}  // namespace ecomon::sqlite
