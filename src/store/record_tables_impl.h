// RecordTables (store/api/record_tables.h) written once for both SQL backends (store/sql_backend.h): the
// record tables as store/sqlite/migrations.cc and store/postgres/migrations.cc make them, each column typed.
// Where the two schemas differ it says so: PostgreSQL keeps the insertion order in a `seq` column (SQLite in
// its rowid) and a device key's sealed bytes as hex text (`sealed_hex`; SQLite: a BLOB).
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "core/hex.h"
#include "store/api/record_tables.h"
#include "store/sql_backend.h"

namespace ecomon {
namespace record_tables {

enum class Type : uint8_t { kInt, kReal, kText, kBlob };
struct Column {
  std::string name;
  Type type = Type::kText;
};
struct Table {
  RecordTable info;
  std::vector<Type> types;
  bool pg_seq = false;         // PostgreSQL orders its rows by a `seq` column (bigserial); else by key
  bool generated_id = false;   // the key is an id the backend generates (PostgreSQL: an identity)
  bool without_rowid = false;  // SQLite: a WITHOUT ROWID table, read in key order
};

// "name:i" an integer, ":r" a real, ":b" a blob, else text.
inline Table table(const char* name, const char* concern, std::vector<std::string> cols, size_t key,
                   bool pg_seq = false, bool generated_id = false) {
  Table t;
  t.info.name = name;
  t.info.concern = concern;
  t.info.key_columns = key;
  for (std::string& c : cols) {
    Type type = Type::kText;
    if (const size_t colon = c.find(':'); colon != std::string::npos) {
      const char k = c[colon + 1];
      type = k == 'i' ? Type::kInt : k == 'r' ? Type::kReal : k == 'b' ? Type::kBlob : Type::kText;
      c.resize(colon);
    }
    t.info.columns.push_back(c);
    t.types.push_back(type);
  }
  t.pg_seq = pg_seq;
  t.generated_id = generated_id;
  return t;
}

// A SQLite WITHOUT ROWID table (read in key order on both backends).
inline Table without_rowid(Table t) {
  t.without_rowid = true;
  return t;
}

// Every record table, parents first.
inline const std::vector<Table>& all() {
  static const std::vector<Table> tables = {
      table("station", "stations",
            {"id:i", "code", "name", "city", "longitude:r", "latitude:r", "is_reference:i", "in_site_list:i",
             "kind", "assessment:i", "county", "mn"},
            1, false, true),
      table("source_device", "devices",
            {"mn", "password", "protocol:i", "enterprise", "outlet", "county", "rtd_interval_s:i",
             "min_interval_min:i", "active:i", "policy"},
            1),
      table("q_water_section", "quality", {"name", "river", "county", "body", "target", "level"}, 1, true),
      table("q_water_value", "quality", {"section", "month", "item", "value"}, 3, true),
      table("q_gw_well", "quality", {"name", "county", "kind"}, 1, true),
      table("q_gw_value", "quality", {"well", "day", "indicator", "value", "nd:i"}, 3, true),
      table("q_drink_source", "quality", {"name", "county", "kind"}, 1, true),
      table("q_drink_value", "quality", {"source", "month", "item", "value", "volume"}, 3, true),
      table("q_noise_point", "quality", {"name", "kind", "zone", "length"}, 1, true),
      table("q_noise_value", "quality", {"point", "day", "part", "leq", "lmax"}, 3, true),
      table("q_rain_sample", "quality", {"site", "day", "ph", "rainfall"}, 2),
      table("q_result", "quality", {"kind", "period", "json"}, 2),
      table("soil_point", "soil", {"point", "county", "land_use", "ph"}, 1),
      table("soil_value", "soil", {"point", "item", "value", "nd:i"}, 2, true),
      table("soil_plot", "soil", {"plot", "name", "county", "planned_use", "area", "status", "redeveloped:i"},
            1),
      table("soil_parcel", "soil",
            {"parcel", "county", "area", "category", "light:i", "measures:i", "produce"}, 1),
      table("sr_enterprise", "source registry", {"id", "name", "county", "industry"}, 1),
      table("sr_outlet", "source registry", {"id", "enterprise", "kind", "name"}, 1),
      table("sr_device", "source registry",
            {"mn", "outlet", "realtime:i", "realtime_s:i", "minute:i", "minute_min:i", "hourly:i", "daily:i",
             "registered_at:i"},
            1),
      table("sr_device_pollutant", "source registry", {"mn", "code", "unit", "rated:i"}, 2, true),
      table("sr_stop", "source registry", {"mn", "begin_at:i", "end_at:i", "reason"}, 2),
      table("sr_limit", "source registry",
            {"outlet", "pollutant", "valid_from", "valid_to", "upper", "lower", "unit", "basis", "source"},
            3),
      table("sr_permit", "source registry",
            {"enterprise", "outlet", "pollutant", "year:i", "tonnes", "licence"}, 4),
      table("source_event", "events",
            {"mn", "kind", "pollutant", "flag", "opened_at:i", "closed_at:i", "data_time:i",
             "close_data_time:i", "cause", "value", "limit_value", "basis", "backfill:i", "raised_ms:i",
             "closed_ms:i"},
            5),
      table("source_event_watch", "events", {"begin_at:i", "end_at:i"}, 1),
      table("source_command", "commands",
            {"id:i", "mn", "name", "cn:i", "argument", "state", "qn", "attempts:i", "created_ms:i",
             "sent_ms:i", "finished_ms:i", "created_by", "qn_rtn:i", "exe_rtn:i", "result", "detail"},
            1, false, true),
      table("source_device_key", "device keys",
            {"mn", "serial:i", "sealed:b", "issued_ms:i", "issued_by", "valid_until_ms:i"}, 2),
      // HJ 212-2025 loggers seen without an MN (CN 1001) and the MN each was given (SQLite migration 10,
      // PostgreSQL 12; store/api/pending_devices.h): its identity fields are what its MN is bound to.
      table("pending_device", "pending devices",
            {"id:i", "hardware_id", "cpu_id", "mac1", "mac2", "st", "pw", "peer", "first_seen_ms:i",
             "last_seen_ms:i", "seen_count:i", "mn", "assigned_ms:i", "assigned_by"},
            1, false, true),
      table("ld_plan", "ledger", {"id", "title", "document", "issued", "year:i", "seed", "note"}, 1),
      table("ld_category", "ledger", {"plan", "name", "ordinal:i"}, 2),
      table("ld_task", "ledger",
            {"id", "plan", "no", "ordinal:i", "category", "key_work", "title", "text", "lead_units",
             "responsible_units", "deadline_text", "deadline_kind", "start", "due", "quantities", "remark",
             "note", "source", "status"},
            1),
      table("ld_target", "ledger",
            {"plan", "indicator", "scope", "period_text", "label", "comparison", "value", "unit", "first",
             "last", "owner", "note", "source"},
            5, true),
      table("ld_status", "ledger",
            {"id:i", "task", "day", "from_status", "to_status", "note", "user", "role", "operator", "at"}, 1,
            false, true),
      table(
          "ld_progress", "ledger",
          {"id:i", "task", "quantity:i", "day", "amount", "county", "note", "user", "role", "operator", "at"},
          1, false, true),
      table("ld_problem", "ledger",
            {"id:i", "task", "problem", "responsibility", "measure", "deadline_text", "due", "county", "user",
             "role", "operator", "at"},
            1, false, true),
      table("ld_evidence", "ledger",
            {"id:i", "task", "note", "file_name", "size:i", "sha256", "county", "user", "role", "operator",
             "at"},
            1, false, true),
      table("ld_history", "ledger", {"id:i", "task", "action", "detail", "user", "role", "operator", "at"}, 1,
            false, true),
      table("em_enterprise", "emergency",
            {"id", "name", "county", "industry", "grade", "guarantee:i", "source_enterprise"}, 1),
      table("em_line", "emergency",
            {"enterprise", "line", "seq:i", "name", "process", "so2:i", "nox:i", "pm:i", "vocs:i"}, 2),
      table("em_measure", "emergency",
            {"enterprise", "line", "level", "kind", "cut_percent:i", "process", "note", "so2:i", "nox:i",
             "pm:i", "vocs:i"},
            3),
      table("em_warning", "emergency",
            {"id:i", "action", "level", "effective_from", "declared_by", "role", "reason"}, 1, false, true),
      table("em_inspection", "emergency", {"enterprise", "time", "inspector", "compliant:i", "note"}, 3),
      table("acc_user", "accounts",
            {"login", "role", "county", "enterprise", "password_hash", "created_at:i", "disabled:i"}, 1),
      table("acc_session", "accounts", {"id_hash", "login", "csrf", "expires_at:i"}, 1),
      table("acc_token", "accounts", {"id:i", "token_hash", "login", "name", "created_at:i"}, 1, false, true),
      table("acc_audit", "audit log",
            {"id:i", "at_ms:i", "user", "role", "action", "target", "outcome", "detail", "via"}, 1, false,
            true),
      table("event_ack", "notifications",
            {"mn", "kind", "pollutant", "opened_at:i", "by_login", "at_ms:i", "note"}, 4),
      table("notify_rule", "notifications",
            {"id:i", "role", "county", "kinds", "levels", "channel", "target", "created_by", "created_ms:i"},
            1, false, true),
      table("notify_job", "notifications",
            {"id:i", "rule_id:i", "mn", "kind", "pollutant", "opened_at:i", "level", "channel", "target",
             "payload", "attempts:i", "next_ms:i", "state", "created_ms:i"},
            1, false, true),
      table("notify_attempt", "notifications",
            {"id:i", "job_id:i", "attempt:i", "at_ms:i", "ok:i", "detail", "took_ms:i"}, 1, false, true),
      table("audit_version", "data audit",
            {"station_id:i", "pollutant:i", "hour:i", "version:i", "action", "value:i", "previous:i",
             "reason", "note", "source", "who", "at_ms:i"},
            4),
      table("audit_month", "data audit", {"id:i", "month:i", "closed:i", "who", "reason", "at_ms:i"}, 1,
            false, true),
      table("audit_station_county", "data audit", {"code", "county"}, 1),
      table("dust_point", "dust", {"id", "name", "type", "owner", "county", "lon", "lat", "mn"}, 1),
      table("dust_reading", "dust",
            {"point", "cn:i", "at_s:i", "tsp", "pm10", "pm25", "noise", "wind_speed", "wind_dir"}, 3),
      table("qs_station", "water and noise stations",
            {"code", "name", "kind", "site", "city", "county", "mn"}, 1),
      table("qs_hour", "water and noise stations", {"station", "hour:i", "item", "value"}, 3),
      table("power_line", "power",
            {"line", "enterprise", "name", "role", "running_kw", "interval_s:i", "mn", "code", "serves",
             "outlets", "list_lines"},
            1),
      table("power_site", "power", {"site", "name", "county", "meter", "status", "closed_since"}, 1),
      without_rowid(table("power_reading", "power", {"line", "at_s:i", "kw", "kw_milli:i"}, 2)),
      table("power_grid", "power", {"meter", "period", "start", "enterprise", "kwh"}, 3),
      table("power_case", "power",
            {"site", "opened", "closed", "name", "county", "meter", "status", "days:i", "threshold_kwh",
             "found_ms:i", "updated_ms:i"},
            2),
  };
  return tables;
}

// A blob column's stored hex back to bytes (core/hex.h), or data_loss naming the row.
inline StatusOr<std::string> from_hex(std::string_view hex, const std::string& where) {
  auto bytes = ecomon::from_hex(hex);
  if (!bytes) return data_loss(where + ": stored bytes are not hex");
  return std::move(*bytes);
}

}  // namespace record_tables

// The rows of both SQL backends: `Sql` is SqliteSql or PgSql (store/sql_backend.h).
template <class Sql>
class SqlRecordTables final : public RecordTables {
 public:
  explicit SqlRecordTables(typename Sql::Db& db) : db_(db) {
    for (const record_tables::Table& t : record_tables::all()) infos_.push_back(t.info);
  }

  const std::vector<RecordTable>& tables() const override { return infos_; }

  StatusOr<std::vector<RecordRow>> read(const std::string& name, int64_t offset, int64_t limit) override {
    const record_tables::Table* t = find(name);
    if (!t) return not_found("no record table " + name);
    std::string sql = "SELECT ";
    for (size_t i = 0; i < t->info.columns.size(); ++i) sql += (i ? ", " : "") + column_sql(*t, i);
    sql += " FROM " + name + " ORDER BY ";
    if (t->pg_seq || (!kPostgres && !t->without_rowid)) {
      sql += "rowid";  // PostgreSQL's translation: seq
    } else {
      for (size_t i = 0; i < t->info.key_columns; ++i) sql += (i ? ", " : "") + t->info.columns[i];
    }
    sql += " LIMIT ?1 OFFSET ?2";
    auto st = db_.prepare(sql);
    if (!st.ok()) return st.status().with_context("read " + name);
    st->bind(1, limit).bind(2, offset);
    std::vector<RecordRow> out;
    while (true) {
      auto more = st->step();
      if (!more.ok()) return more.status().with_context("read " + name);
      if (!*more) break;
      RecordRow row(t->types.size());
      for (size_t i = 0; i < t->types.size(); ++i) {
        const int c = static_cast<int>(i);
        if (st->is_null(c)) continue;
        switch (t->types[i]) {
          case record_tables::Type::kInt:
            row[i] = st->int64(c);
            break;
          case record_tables::Type::kReal:
            row[i] = st->real(c);
            break;
          case record_tables::Type::kText:
            row[i] = st->str(c);
            break;
          case record_tables::Type::kBlob:
            if constexpr (kPostgres) {
              auto bytes =
                  record_tables::from_hex(st->text(c), name + " row " + std::to_string(offset + out.size()));
              if (!bytes.ok()) return bytes.status();
              row[i] = std::move(*bytes);
            } else {
              row[i] = std::string(st->blob(c));
            }
            break;
        }
      }
      out.push_back(std::move(row));
    }
    return out;
  }

  Status write(const std::string& name, std::span<const RecordRow> rows, bool replace) override {
    const record_tables::Table* t = find(name);
    if (!t) return not_found("no record table " + name);
    if (rows.empty()) return Status();
    std::string sql = std::string(replace ? "INSERT OR REPLACE" : "INSERT") + " INTO " + name + "(";
    std::string values;
    for (size_t i = 0; i < t->info.columns.size(); ++i) {
      sql += (i ? ", " : "") + column_name(*t, i);
      values += (i ? ", ?" : "?") + std::to_string(i + 1);
    }
    sql += ") VALUES(" + values + ")";
    // One transaction per call. The concern named only picks PostgreSQL's advisory lock (which writers wait
    // for each other); a copy writes every concern, so any one serves.
    auto tx = Sql::begin(db_, SqlConcern::kAccounts);
    if (!tx.ok()) return tx.status().with_context("write " + name);
    auto& st = db_.cached(sql);
    for (const RecordRow& row : rows) {
      if (row.size() != t->types.size()) {
        return invalid_argument("write " + name + ": a row of " + std::to_string(row.size()) +
                                " values, the table has " + std::to_string(t->types.size()) + " columns");
      }
      st.reset();
      for (size_t i = 0; i < row.size(); ++i) {
        const int p = static_cast<int>(i + 1);
        const RecordValue& v = row[i];
        if (std::holds_alternative<std::monostate>(v)) {
          st.bind_null(p);
        } else if (const int64_t* n = std::get_if<int64_t>(&v)) {
          st.bind(p, *n);
        } else if (const double* d = std::get_if<double>(&v)) {
          st.bind(p, *d);
        } else if (t->types[i] == record_tables::Type::kBlob) {
          if constexpr (kPostgres) {
            st.bind(p, ecomon::to_hex(std::get<std::string>(v)));
          } else {
            st.bind_blob(p, std::get<std::string>(v));
          }
        } else {
          st.bind(p, std::get<std::string>(v));
        }
      }
      Status s = st.run();
      if (!s.ok()) return s.with_context("write " + name);
    }
    Status s = tx->commit();
    if (!s.ok()) return s.with_context("write " + name);
    return Status();
  }

  Status finish() override {
    if constexpr (kPostgres) {
      for (const record_tables::Table& t : record_tables::all()) {
        if (!t.generated_id) continue;
        // The identity's next value after the largest id stored (1 when the table is empty).
        const std::string& n = t.info.name;
        Status s = db_.exec("SELECT setval(pg_get_serial_sequence('" + n +
                            "', 'id'), coalesce((SELECT max(id) FROM " + n + "), 0) + 1, false)");
        if (!s.ok()) return s.with_context("set the next id of " + n);
      }
    }
    return Status();  // SQLite: the next rowid (and AUTOINCREMENT's sqlite_sequence) follow the largest id
  }

 private:
  static constexpr bool kPostgres = !std::is_same_v<Sql, SqliteSql>;
  const record_tables::Table* find(const std::string& name) const {
    for (const record_tables::Table& t : record_tables::all())
      if (t.info.name == name) return &t;
    return nullptr;
  }
  static std::string column_name(const record_tables::Table& t, size_t i) {
    if (kPostgres && t.types[i] == record_tables::Type::kBlob) return t.info.columns[i] + "_hex";
    return t.info.columns[i];
  }
  static std::string column_sql(const record_tables::Table& t, size_t i) { return column_name(t, i); }
  typename Sql::Db& db_;
  std::vector<RecordTable> infos_;
};

}  // namespace ecomon
