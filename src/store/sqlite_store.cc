#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <span>
#include <string_view>
#include <tuple>

#include "store/block_codec.h"
#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite_status.h"

namespace ecomon {

// A prepared statement, reset after each use.
class SqliteStore::Stmt {
 public:
  Stmt(sqlite3_stmt* s) : s_(s) {}  // NOLINT
  ~Stmt() { sqlite3_finalize(s_); }
  sqlite3_stmt* get() { return s_; }
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  void bind(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_blob(int i, const std::string& v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void bind_opt(int i, const std::optional<double>& v) {
    if (v)
      sqlite3_bind_double(s_, i, *v);
    else
      sqlite3_bind_null(s_, i);
  }
  void bind_text_or_null(int i, const std::string& v) {
    if (v.empty())
      sqlite3_bind_null(s_, i);
    else
      bind(i, v);
  }

 private:
  sqlite3_stmt* s_;
};

namespace {

// The main file's schema is store/sqlite/migrations.cc's (applied by opening it as a sqlite::Db first); this
// file keeps only the shard files' tables, which the migrations do not know.

// The source records' table, in the main file and in every shard file (SCHEMA is "main" or "srcK"). Rows in
// arrival order (rowid) and the key in a unique index: a commit appends its rows to a few sequential pages
// and touches one small index page per device, where the earlier WITHOUT ROWID table (whole 360-byte rows in
// its B-tree, interior pages included) split and rewrote a page per device (docs/performance.md: the
// checkpointer's CPU -35 %, gateway p99 -30 % at 100,000 uploads/s). Stores created before keep that table:
// the same SQL reads and writes both.
// source_record_conflict (issue 15) keeps the other versions of a record: an upload re-sent with the same
// MN, CN and DataTime but another CP. The first version stays in source_record; each different one is kept
// here once (an identical re-send of any version changes nothing). Created where missing, so stores of older
// versions gain it.
std::string source_record_ddl(const std::string& schema) {
  return "CREATE TABLE IF NOT EXISTS " + schema +
         ".source_record(mn TEXT NOT NULL, cn INTEGER NOT NULL, data_time INTEGER NOT NULL, "
         "qn TEXT NOT NULL DEFAULT '', received_ms INTEGER NOT NULL, flag INTEGER NOT NULL DEFAULT 0, "
         "cp TEXT NOT NULL, UNIQUE(mn, cn, data_time));"
         "CREATE TABLE IF NOT EXISTS " +
         schema +
         ".source_record_conflict(mn TEXT NOT NULL, cn INTEGER NOT NULL, data_time INTEGER NOT NULL, "
         "qn TEXT NOT NULL DEFAULT '', received_ms INTEGER NOT NULL, flag INTEGER NOT NULL DEFAULT 0, "
         "cp TEXT NOT NULL, UNIQUE(mn, cn, data_time, cp))";
}

// A duplicate key whose CP differs from the stored record's (and from every version kept before) goes to
// source_record_conflict; nothing happens for an identical re-send.
std::string source_conflict_sql(const std::string& schema) {
  return "INSERT OR IGNORE INTO " + schema +
         ".source_record_conflict(mn, cn, data_time, qn, received_ms, flag, cp) "
         "SELECT ?1,?2,?3,?4,?5,?6,?7 WHERE NOT EXISTS (SELECT 1 FROM " +
         schema + ".source_record WHERE mn=?1 AND cn=?2 AND data_time=?3 AND cp=?7)";
}

std::string shard_schema(int shard) { return shard == 0 ? "main" : "src" + std::to_string(shard); }

// The day-loads (store/api/source_day_loads.h) in every file holding uploads (SCHEMA "main" or "srcK"),
// beside the uploads, so that an upload and its day's stale mark commit together: source_day_load's rows
// (pollutant '' the day's own row) and source_day_stale's marks, raised by every insert that stores an
// upload of the day.
constexpr int64_t kDigitsPerDay = 1000000;  // DataTime yyyymmddhhmmss / this = the day yyyymmdd
std::string source_day_ddl(const std::string& schema) {
  return "CREATE TABLE IF NOT EXISTS " + schema +
         ".source_day_load(cn INTEGER NOT NULL, day INTEGER NOT NULL, mn TEXT NOT NULL, "
         "pollutant TEXT NOT NULL, kg REAL NOT NULL, intervals_cou INTEGER NOT NULL, "
         "intervals_flow INTEGER NOT NULL, intervals_missing INTEGER NOT NULL, covered_s INTEGER NOT NULL, "
         "fingerprint INTEGER NOT NULL, PRIMARY KEY(cn, day, mn, pollutant)) WITHOUT ROWID;"
         "CREATE TABLE IF NOT EXISTS " +
         schema +
         ".source_day_stale(mn TEXT NOT NULL, cn INTEGER NOT NULL, day INTEGER NOT NULL, "
         "mark INTEGER NOT NULL, PRIMARY KEY(mn, cn, day)) WITHOUT ROWID";
}

std::string source_mark_sql(const std::string& schema) {
  return "INSERT INTO " + schema +
         ".source_day_stale(mn, cn, day, mark) VALUES (?1, ?2, ?3, 1) "
         "ON CONFLICT(mn, cn, day) DO UPDATE SET mark = mark + 1";
}

// What the store and the shard connections share: opening a file (busy timeout 10 s by default, see
// store/sqlite_status.h: another connection may write for a moment), errors that name the file, SQL without
// parameters.
StatusOr<sqlite3*> open_file(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status(StatusCode::kUnavailable, "cannot open store " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, store_busy_timeout_ms());
  return db;
}

// A busy or locked store is kUnavailable (try again later), anything else kInternal (store/sqlite_status.h).
Status file_error(sqlite3* db, const std::string& path, const std::string& what) {
  return sqlite_status(db, "store " + path + ": " + what);
}

Status exec_sql(sqlite3* db, const std::string& path, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    return Status(sqlite_status_code(sqlite3_extended_errcode(db)), "store " + path + ": " + m);
  }
  return Status();
}

// Creates the day-load tables in `schema` where missing; a file that held uploads before them has every
// day of its uploads marked stale then (the next reader computes them), so no stored upload goes uncounted.
Status ensure_day_tables(sqlite3* db, const std::string& path, const std::string& schema) {
  ECOMON_RETURN_IF_ERROR(exec_sql(db, path, "BEGIN IMMEDIATE"));
  bool exists = false;
  {
    sqlite3_stmt* st = nullptr;
    const std::string sql =
        "SELECT 1 FROM " + schema + ".sqlite_master WHERE type='table' AND name='source_day_stale'";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      Status e = file_error(db, path, "read the schema");
      (void)exec_sql(db, path, "ROLLBACK");
      return e;
    }
    exists = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
  }
  Status s;
  if (!exists) {
    s = exec_sql(db, path, source_day_ddl(schema));
    if (s.ok()) {
      s = exec_sql(db, path,
                   "INSERT OR IGNORE INTO " + schema +
                       ".source_day_stale(mn, cn, day, mark) SELECT DISTINCT mn, cn, data_time / " +
                       std::to_string(kDigitsPerDay) + ", 1 FROM " + schema + ".source_record");
    }
  }
  if (!s.ok()) {
    (void)exec_sql(db, path, "ROLLBACK");
    return s;
  }
  return exec_sql(db, path, "COMMIT");
}

std::string source_insert_sql(const std::string& schema) {
  return "INSERT OR IGNORE INTO " + schema +
         ".source_record(mn, cn, data_time, qn, received_ms, flag, cp) VALUES (?1,?2,?3,?4,?5,?6,?7)";
}

// Binds a record to the seven parameters of an insert (text in place: SQLITE_STATIC, the caller's bytes
// outlive the step). An empty view may have no bytes at all (data() null), which SQLite would bind as NULL:
// the NOT NULL column would then make INSERT OR IGNORE drop the record without a word. It is bound as ''.
void bind_record(sqlite3_stmt* st, const SourceRecordView& r) {
  const auto text = [&](int i, std::string_view v) {
    sqlite3_bind_text(st, i, v.data() ? v.data() : "", static_cast<int>(v.size()), SQLITE_STATIC);
  };
  text(1, r.mn);
  sqlite3_bind_int64(st, 2, r.cn);
  sqlite3_bind_int64(st, 3, r.data_time);
  text(4, r.qn);
  sqlite3_bind_int64(st, 5, r.received_ms);
  sqlite3_bind_int64(st, 6, r.flag);
  text(7, r.cp);
}

// A record whose key was stored already: kept in `schema`.source_record_conflict when its CP is new.
// Returns 1 when it was a new version, 0 for an identical re-send, -1 on an error. Rare: prepared each time.
int keep_conflict(sqlite3* db, const std::string& schema, const SourceRecordView& r) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, source_conflict_sql(schema).c_str(), -1, &st, nullptr) != SQLITE_OK) return -1;
  bind_record(st, r);
  const int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return -1;
  return sqlite3_changes(db) > 0 ? 1 : 0;
}

// Inserts the records with `ins` (an INSERT OR IGNORE over the seven columns into `schema`.source_record) in
// the caller's transaction and returns how many were new; -1 when one failed (its index in *failed). A
// duplicate key with another CP is kept as a conflict; their indices are appended to *conflicts when given.
// Each new record marks its (MN, CN, day) stale with `mark` (source_mark_sql), once per batch for a run of
// records of one device-day.
int64_t insert_rows(sqlite3* db, sqlite3_stmt* ins, sqlite3_stmt* mark, const std::string& schema,
                    std::span<const SourceRecordView> records, size_t* failed,
                    std::vector<size_t>* conflicts = nullptr, size_t index_base = 0) {
  int64_t added = 0;
  const SourceRecordView* marked = nullptr;
  // Every parameter is bound for every row, so no clear_bindings.
  for (size_t i = 0; i < records.size(); ++i) {
    const SourceRecordView& r = records[i];
    bind_record(ins, r);
    const int rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    if (rc != SQLITE_DONE) {
      *failed = i;
      return -1;
    }
    if (sqlite3_changes(db) > 0) {
      ++added;
      const int64_t day = r.data_time / kDigitsPerDay;
      if (marked && marked->mn == r.mn && marked->cn == r.cn && marked->data_time / kDigitsPerDay == day)
        continue;
      sqlite3_bind_text(mark, 1, r.mn.data() ? r.mn.data() : "", static_cast<int>(r.mn.size()),
                        SQLITE_STATIC);
      sqlite3_bind_int64(mark, 2, r.cn);
      sqlite3_bind_int64(mark, 3, day);
      const int mrc = sqlite3_step(mark);
      sqlite3_reset(mark);
      if (mrc != SQLITE_DONE) {
        *failed = i;
        return -1;
      }
      marked = &r;
      continue;
    }
    const int kept = keep_conflict(db, schema, records[i]);
    if (kept < 0) {
      *failed = i;
      return -1;
    }
    if (kept > 0 && conflicts) conflicts->push_back(index_base + i);
  }
  return added;
}

}  // namespace

SqliteStore::SqliteStore(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}

SqliteStore::~SqliteStore() {
  if (in_write_) rollback();
  select_block_.reset();
  insert_block_.reset();
  update_block_.reset();
  select_range_.reset();
  upsert_station_.reset();
  select_station_id_.reset();
  extent_.reset();
  select_hour_.reset();
  insert_hour_.reset();
  select_hours_.reset();
  select_hours_range_.reset();
  delete_hours_.reset();
  shard_.clear();
  // close_v2: should a statement above be missed, the connection still closes (and checkpoints the WAL into
  // the file) once that statement is finalized, instead of staying open with the WAL unmerged.
  sqlite3_close_v2(db_);
}

Status SqliteStore::error(const std::string& what) const { return file_error(db_, path_, what); }

StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
  auto db = open_file(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<SqliteStore> s(new SqliteStore(path, *db));
  ECOMON_RETURN_IF_ERROR(
      s->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"));
  {
    // The schema: the numbered migrations of the connection module, on this connection (a no-op when the file
    // is up to date; an in-memory store has only this one).
    auto db_view = sqlite::Db::borrow(s->db_, path);
    ECOMON_RETURN_IF_ERROR(sqlite::migrate(*db_view, sqlite::migrations()));
  }
  ECOMON_RETURN_IF_ERROR(ensure_day_tables(s->db_, path, "main"));
  ECOMON_RETURN_IF_ERROR(s->attach_shards());
  ECOMON_RETURN_IF_ERROR(s->prepare_all());
  return s;
}

StatusOr<int64_t> SqliteStore::registry_revision() {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT CAST(value AS INTEGER) FROM meta WHERE key='registry_revision'", -1,
                         &raw, nullptr) != SQLITE_OK) {
    return error("read registry revision");
  }
  Stmt st(raw);
  const int rc = sqlite3_step(raw);
  if (rc == SQLITE_ROW) return sqlite3_column_int64(raw, 0);
  if (rc == SQLITE_DONE) return int64_t{0};
  return error("read registry revision");
}

std::string SqliteStore::source_shard_path(const std::string& db_path, int shard) {
  return shard == 0 ? db_path : db_path + "-src" + std::to_string(shard);
}

int SqliteStore::source_shard_of(std::string_view mn, int shards) {
  if (shards <= 1) return 0;
  uint32_t h = 2166136261U;  // FNV-1a: stable across builds and machines (the shard of a device never moves)
  for (unsigned char c : mn) h = (h ^ c) * 16777619U;
  return static_cast<int>(h % static_cast<uint32_t>(shards));
}

// Reads meta('source_shards') and attaches the shard files 1..n-1 as src1.. (each created when missing).
Status SqliteStore::attach_shards() {
  int n = 1;
  {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT value FROM meta WHERE key='source_shards'", -1, &raw, nullptr) !=
        SQLITE_OK) {
      return error("read the number of source shards");
    }
    Stmt st(raw);  // finalized before the ATTACHes (an open statement would hold a transaction)
    if (sqlite3_step(raw) == SQLITE_ROW) n = sqlite3_column_int(raw, 0);
  }
  if (n < 1 || n > kMaxSourceShards) {
    return Status(StatusCode::kDataLoss, "store " + path_ + ": meta source_shards is " + std::to_string(n) +
                                             ", not 1.." + std::to_string(kMaxSourceShards));
  }
  for (int k = shards_; k < n; ++k) {
    sqlite3_stmt* a = nullptr;
    if (sqlite3_prepare_v2(db_, "ATTACH DATABASE ?1 AS ?2", -1, &a, nullptr) != SQLITE_OK)
      return error("attach");
    {
      Stmt at(a);
      at.bind(1, source_shard_path(path_, k));
      at.bind(2, shard_schema(k));
      if (sqlite3_step(a) != SQLITE_DONE) return error("attach source shard " + source_shard_path(path_, k));
    }
    ECOMON_RETURN_IF_ERROR(exec("PRAGMA " + shard_schema(k) + ".journal_mode=WAL"));
    ECOMON_RETURN_IF_ERROR(exec(source_record_ddl(shard_schema(k))));
    ECOMON_RETURN_IF_ERROR(ensure_day_tables(db_, path_, shard_schema(k)));
  }
  shards_ = n;
  return Status();
}

// Another connection (a gateway started with --writers) may have added shards since this one opened.
Status SqliteStore::follow_shards() {
  if (in_write_) return Status();  // ATTACH cannot run inside a transaction; the caller's view stays
  const int before = shards_;
  ECOMON_RETURN_IF_ERROR(attach_shards());
  return shards_ == before ? Status() : prepare_shard_statements();
}

Status SqliteStore::set_source_shards(int n) {
  if (n < 1 || n > kMaxSourceShards) {
    return invalid_argument("source shards: " + std::to_string(n) + " is not 1.." +
                            std::to_string(kMaxSourceShards));
  }
  if (n == shards_) return Status();
  if (path_ == ":memory:" || path_.empty())
    return invalid_argument("an in-memory store has one source shard");
  if (n < shards_)
    return failed_precondition("store " + path_ + " has " + std::to_string(shards_) +
                               " source shards; they cannot be fewer");
  auto count = count_source_records();
  if (!count.ok()) return count.status();
  if (*count > 0) {
    return failed_precondition("store " + path_ + " already holds " + std::to_string(*count) +
                               " source records in " + std::to_string(shards_) +
                               " shard(s); the number of shards can only change before the first record");
  }
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_,
                         "INSERT INTO meta(key, value) VALUES('source_shards', ?1) "
                         "ON CONFLICT(key) DO UPDATE SET value=?1",
                         -1, &raw, nullptr) != SQLITE_OK) {
    return error("set source shards");
  }
  {
    Stmt st(raw);
    st.bind(1, std::to_string(n));
    if (sqlite3_step(raw) != SQLITE_DONE) return error("set source shards");
  }
  ECOMON_RETURN_IF_ERROR(attach_shards());
  return prepare_shard_statements();
}

Status SqliteStore::prepare_shard_statements() {
  shard_.clear();
  shard_.resize(static_cast<size_t>(shards_));
  for (int k = 0; k < shards_; ++k) {
    const std::string schema = shard_schema(k);
    ShardStatements& st = shard_[static_cast<size_t>(k)];
    const std::pair<std::string, std::unique_ptr<Stmt>*> sqls[] = {
        {source_insert_sql(schema), &st.insert},
        {source_mark_sql(schema), &st.mark},
        {"SELECT mn, day, mark FROM " + schema + ".source_day_stale WHERE cn = ?1 AND day BETWEEN ?2 AND ?3",
         &st.stale_days},
        {"SELECT mn, day, pollutant, kg, intervals_cou, intervals_flow, intervals_missing, covered_s, "
         "fingerprint FROM " +
             schema + ".source_day_load WHERE cn = ?1 AND day BETWEEN ?2 AND ?3 AND (?4 = '' OR mn = ?4)",
         &st.day_loads},
        {"DELETE FROM " + schema + ".source_day_load WHERE cn = ?1 AND day = ?2 AND mn = ?3",
         &st.delete_loads},
        {"DELETE FROM " + schema + ".source_day_stale WHERE cn = ?1 AND day = ?2 AND mn = ?3 AND mark = ?4",
         &st.delete_mark},
        {"INSERT INTO " + schema +
             ".source_day_load(cn, day, mn, pollutant, kg, intervals_cou, intervals_flow, intervals_missing, "
             "covered_s, fingerprint) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
         &st.insert_load},
    };
    for (const auto& [sql, out] : sqls) {
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
        return error("prepare " + sql);
      *out = std::make_unique<Stmt>(s);
    }
  }
  return Status();
}

Status SqliteStore::exec(const std::string& sql) { return exec_sql(db_, path_, sql); }

Status SqliteStore::prepare_all() {
  auto prep = [&](const char* sql, std::unique_ptr<Stmt>& out) -> Status {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
      return error(std::string("prepare ") + sql);
    }
    out = std::make_unique<Stmt>(s);
    return Status();
  };
  ECOMON_RETURN_IF_ERROR(prep(
      "SELECT data FROM air_hourly_block WHERE station_id=?1 AND pollutant=?2 AND month=?3", select_block_));
  ECOMON_RETURN_IF_ERROR(
      prep("INSERT INTO air_hourly_block(station_id, pollutant, month, data) VALUES (?1,?2,?3,?4)",
           insert_block_));
  ECOMON_RETURN_IF_ERROR(
      prep("UPDATE air_hourly_block SET data=?4 WHERE station_id=?1 AND pollutant=?2 AND month=?3",
           update_block_));
  ECOMON_RETURN_IF_ERROR(
      prep("SELECT month, data FROM air_hourly_block WHERE station_id=?1 AND pollutant=?2 "
           "AND month BETWEEN ?3 AND ?4 ORDER BY month",
           select_range_));
  ECOMON_RETURN_IF_ERROR(prep(
      "INSERT INTO station(code, name, city, longitude, latitude, is_reference, in_site_list, kind, "
      "assessment, county, mn) VALUES (?1, coalesce(?2, ''), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, nullif(?11, "
      "'')) "
      "ON CONFLICT(code) DO UPDATE SET "
      "name = CASE WHEN ?7 = 1 OR station.name = '' THEN coalesce(?2, station.name) ELSE station.name END, "
      "city = CASE WHEN ?7 = 1 OR station.city IS NULL THEN coalesce(?3, station.city) ELSE station.city "
      "END, "
      "longitude = coalesce(?4, station.longitude), latitude = coalesce(?5, station.latitude), "
      "is_reference = CASE WHEN ?7 = 1 THEN ?6 ELSE station.is_reference END, "
      "in_site_list = max(station.in_site_list, ?7), "
      "kind = CASE WHEN ?8 <> '' THEN ?8 ELSE station.kind END, "
      "assessment = CASE WHEN ?8 <> '' THEN ?9 ELSE station.assessment END, "
      "county = CASE WHEN ?8 <> '' THEN ?10 ELSE station.county END, "
      "mn = CASE WHEN ?8 <> '' THEN nullif(?11, '') ELSE station.mn END",
      upsert_station_));
  ECOMON_RETURN_IF_ERROR(prep("SELECT id FROM station WHERE code=?1", select_station_id_));
  ECOMON_RETURN_IF_ERROR(
      prep("SELECT min(a), max(b) FROM (SELECT min(month) AS a, max(month) AS b FROM air_hourly_block WHERE "
           "station_id=?1 UNION ALL SELECT min(month), max(month) FROM air_hour WHERE station_id=?1)",
           extent_));
  ECOMON_RETURN_IF_ERROR(
      prep("SELECT value FROM air_hour WHERE station_id=?1 AND pollutant=?2 AND month=?3 AND hour=?4",
           select_hour_));
  ECOMON_RETURN_IF_ERROR(
      prep("INSERT INTO air_hour(station_id, pollutant, month, hour, value) VALUES (?1,?2,?3,?4,?5) ON "
           "CONFLICT DO NOTHING",
           insert_hour_));
  ECOMON_RETURN_IF_ERROR(prep(
      "SELECT hour, value FROM air_hour WHERE station_id=?1 AND pollutant=?2 AND month=?3", select_hours_));
  ECOMON_RETURN_IF_ERROR(prep(
      "SELECT month, hour, value FROM air_hour WHERE station_id=?1 AND pollutant=?2 AND month BETWEEN ?3 "
      "AND ?4",
      select_hours_range_));
  ECOMON_RETURN_IF_ERROR(
      prep("DELETE FROM air_hour WHERE station_id=?1 AND pollutant=?2 AND month=?3", delete_hours_));
  return prepare_shard_statements();
}

Status SqliteStore::begin_write() {
  if (in_write_) return failed_precondition("a write transaction is already open on " + path_);
  ECOMON_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
  in_write_ = true;
  return Status();
}

Status SqliteStore::commit() {
  if (!in_write_) return failed_precondition("no write transaction to commit on " + path_);
  in_write_ = false;
  return exec("COMMIT");
}

void SqliteStore::rollback() {
  if (!in_write_) return;
  in_write_ = false;
  (void)exec("ROLLBACK");
}

StatusOr<int64_t> SqliteStore::upsert_station(const StationInfo& s) {
  Stmt& u = *upsert_station_;
  u.bind(1, s.code);
  u.bind_text_or_null(2, s.name);
  u.bind_text_or_null(3, s.city);
  u.bind_opt(4, s.longitude);
  u.bind_opt(5, s.latitude);
  u.bind(6, s.is_reference ? 1 : 0);
  u.bind(7, s.in_site_list ? 1 : 0);
  u.bind(8, s.kind);
  u.bind(9, s.assessment ? 1 : 0);
  u.bind(10, s.county);
  u.bind(11, s.mn);
  int rc = sqlite3_step(u.get());
  u.reset();
  if (rc != SQLITE_DONE) return error("upsert station " + s.code);
  Stmt& q = *select_station_id_;
  q.bind(1, s.code);
  rc = sqlite3_step(q.get());
  int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(q.get(), 0) : 0;
  q.reset();
  if (rc != SQLITE_ROW) return error("find station " + s.code);
  return id;
}

StatusOr<std::vector<StationInfo>> SqliteStore::query_stations(const char* where,
                                                               std::span<const std::string> args) {
  std::string sql =
      "SELECT id, code, name, coalesce(city, ''), longitude, latitude, is_reference, in_site_list, kind, "
      "assessment, county, coalesce(mn, '') FROM station ";
  sql += where;
  sql += " ORDER BY code";
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) return error("list stations");
  Stmt st(raw);
  for (size_t i = 0; i < args.size(); ++i) st.bind(static_cast<int>(i + 1), args[i]);
  std::vector<StationInfo> out;
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    StationInfo s;
    s.id = sqlite3_column_int64(raw, 0);
    s.code = reinterpret_cast<const char*>(sqlite3_column_text(raw, 1));
    s.name = reinterpret_cast<const char*>(sqlite3_column_text(raw, 2));
    s.city = reinterpret_cast<const char*>(sqlite3_column_text(raw, 3));
    if (sqlite3_column_type(raw, 4) != SQLITE_NULL) s.longitude = sqlite3_column_double(raw, 4);
    if (sqlite3_column_type(raw, 5) != SQLITE_NULL) s.latitude = sqlite3_column_double(raw, 5);
    s.is_reference = sqlite3_column_int(raw, 6) != 0;
    s.in_site_list = sqlite3_column_int(raw, 7) != 0;
    s.kind = reinterpret_cast<const char*>(sqlite3_column_text(raw, 8));
    s.assessment = sqlite3_column_int(raw, 9) != 0;
    s.county = reinterpret_cast<const char*>(sqlite3_column_text(raw, 10));
    s.mn = reinterpret_cast<const char*>(sqlite3_column_text(raw, 11));
    out.push_back(std::move(s));
  }
  if (rc != SQLITE_DONE) return error("list stations");
  return out;
}

StatusOr<std::vector<StationInfo>> SqliteStore::all_stations() { return query_stations("", {}); }

StatusOr<std::vector<StationInfo>> SqliteStore::stations_of_city(const std::string& city) {
  return query_stations("WHERE city = ?1", std::span<const std::string>(&city, 1));
}

StatusOr<std::vector<StationInfo>> SqliteStore::stations_by_code_or_mn(const std::string& code,
                                                                       const std::string& mn) {
  // A UNION, so that each arm uses its index (code's UNIQUE, station_by_mn) instead of an OR over a scan.
  if (mn.empty()) return query_stations("WHERE code = ?1", std::span<const std::string>(&code, 1));
  const std::string args[] = {code, mn};
  return query_stations(
      "WHERE id IN (SELECT id FROM station WHERE code = ?1 UNION SELECT id FROM station WHERE mn = ?2)",
      args);
}

StatusOr<std::vector<std::string>> SqliteStore::cities() {
  sqlite3_stmt* raw = nullptr;
  const char* sql = "SELECT DISTINCT city FROM station WHERE city IS NOT NULL AND city <> '' ORDER BY city";
  if (sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr) != SQLITE_OK) return error("list cities");
  Stmt st(raw);
  std::vector<std::string> out;
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW)
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(raw, 0)));
  if (rc != SQLITE_DONE) return error("list cities");
  return out;
}

Status SqliteStore::write_block(Stmt& st, const HourlyBlock& key, std::span<const Milli> values) {
  std::string bytes = encode_block(values);
  st.bind(1, key.station_id);
  st.bind(2, index_of(key.pollutant));
  st.bind(3, key.month.ordinal);
  st.bind_blob(4, bytes);
  int rc = sqlite3_step(st.get());
  st.reset();
  return rc == SQLITE_DONE ? Status() : error("write hourly block");
}

Status SqliteStore::read_block(const HourlyBlock& key, std::vector<Milli>& stored, bool* had_block) {
  stored.assign(static_cast<size_t>(key.month.hours()), kMissing);
  Stmt& sel = *select_block_;
  sel.bind(1, key.station_id);
  sel.bind(2, index_of(key.pollutant));
  sel.bind(3, key.month.ordinal);
  int rc = sqlite3_step(sel.get());
  *had_block = rc == SQLITE_ROW;
  Status st;
  if (rc == SQLITE_ROW) {
    std::string_view bytes(static_cast<const char*>(sqlite3_column_blob(sel.get(), 0)),
                           static_cast<size_t>(sqlite3_column_bytes(sel.get(), 0)));
    st = decode_block(bytes, stored);
  }
  sel.reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return error("read hourly block");
  return st.ok() ? st : st.with_context("station " + std::to_string(key.station_id));
}

StatusOr<int64_t> SqliteStore::overlay_hours(const HourlyBlock& key, std::vector<Milli>& stored) {
  Stmt& hours = *select_hours_;
  hours.bind(1, key.station_id);
  hours.bind(2, index_of(key.pollutant));
  hours.bind(3, key.month.ordinal);
  int64_t pending = 0;
  int rc;
  while ((rc = sqlite3_step(hours.get())) == SQLITE_ROW) {
    const int64_t i = sqlite3_column_int64(hours.get(), 0);
    if (i >= 0 && i < static_cast<int64_t>(stored.size()))
      stored[static_cast<size_t>(i)] = static_cast<Milli>(sqlite3_column_int64(hours.get(), 1));
    ++pending;
  }
  hours.reset();
  if (rc != SQLITE_DONE) return error("read single hours");
  return pending;
}

Status SqliteStore::fold(const HourlyBlock& key, std::span<const Milli> stored, bool had_block,
                         int64_t pending) {
  ECOMON_RETURN_IF_ERROR(write_block(had_block ? *update_block_ : *insert_block_, key, stored));
  if (pending == 0) return Status();
  Stmt& del = *delete_hours_;
  del.bind(1, key.station_id);
  del.bind(2, index_of(key.pollutant));
  del.bind(3, key.month.ordinal);
  int rc = sqlite3_step(del.get());
  del.reset();
  return rc == SQLITE_DONE ? Status() : error("fold single hours");
}

Status SqliteStore::merge_hourly(std::span<const HourlyBlock> blocks, MergeStats& stats,
                                 std::vector<HourConflict>* conflicts) {
  if (!in_write_) return failed_precondition("merge_hourly needs a write transaction (begin_write)");
  std::vector<Milli> stored;
  for (const HourlyBlock& b : blocks) {
    size_t hours = static_cast<size_t>(b.month.hours());
    if (b.values.size() != hours) {
      return invalid_argument("hourly block for " + std::to_string(b.month.year()) + "-" +
                              std::to_string(b.month.month()) + " has " + std::to_string(b.values.size()) +
                              " values, expected " + std::to_string(hours));
    }
    // What is stored: the block with the key's single hours laid over it; a block written here takes
    // those hours in (folds them).
    bool had_block = false;
    ECOMON_RETURN_IF_ERROR(read_block(b, stored, &had_block));
    auto pending = overlay_hours(b, stored);
    if (!pending.ok()) return pending.status();
    bool changed = *pending > 0;
    Hour first = b.month.first_hour();
    for (size_t i = 0; i < hours; ++i) {
      Milli in = b.values[i];
      if (in == kMissing) continue;
      if (stored[i] == kMissing) {
        stored[i] = in;
        ++stats.values_new;
        changed = true;
      } else if (stored[i] == in) {
        ++stats.values_same;
      } else {
        ++stats.values_conflicting;
        if (conflicts) {
          conflicts->push_back({b.station_id, b.pollutant, first + static_cast<int64_t>(i), stored[i], in});
        }
      }
    }
    if (!changed) continue;
    ECOMON_RETURN_IF_ERROR(fold(b, stored, had_block, *pending));
    ++stats.blocks_written;
  }
  return Status();
}

Status SqliteStore::merge_hours(std::span<const HourValue> values, MergeStats& stats,
                                std::vector<HourConflict>* conflicts) {
  if (!in_write_) return failed_precondition("merge_hours needs a write transaction (begin_write)");
  // In key order (station, pollutant, month; then as given), so that the reads and writes walk the B-trees
  // in order, as merge_hourly's blocks do; each key's block is read once.
  std::vector<uint32_t> order;
  order.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i].value != kMissing) order.push_back(static_cast<uint32_t>(i));
  auto key_of = [&](uint32_t i) {
    const HourValue& v = values[i];
    return std::tuple(v.station_id, index_of(v.pollutant), MonthKey::of(v.hour.day()).ordinal);
  };
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return key_of(a) < key_of(b); });
  HourlyBlock key;
  std::vector<Milli> block;
  bool had_block = false, fold_key = false, any = false;
  // Once a day per station (at the hour of the day its id names), a key given a new hour is folded: its
  // air_hour rows, the new ones included, go into its block.
  auto finish = [&]() -> Status {
    if (!fold_key) return Status();
    auto pending = overlay_hours(key, block);
    if (!pending.ok()) return pending.status();
    if (*pending == 0) return Status();
    ++stats.blocks_written;
    return fold(key, block, had_block, *pending);
  };
  for (uint32_t i : order) {
    const HourValue& v = values[i];
    const MonthKey m = MonthKey::of(v.hour.day());
    if (!any || v.station_id != key.station_id || v.pollutant != key.pollutant || m != key.month) {
      if (any) ECOMON_RETURN_IF_ERROR(finish());
      key = HourlyBlock{v.station_id, v.pollutant, m, {}};
      ECOMON_RETURN_IF_ERROR(read_block(key, block, &had_block));
      fold_key = false;
      any = true;
    }
    const int64_t index = v.hour - m.first_hour();
    Milli stored = block[static_cast<size_t>(index)];
    if (stored == kMissing) {
      // Not in the block: a new row, unless the hour has one already.
      Stmt& ins = *insert_hour_;
      ins.bind(1, v.station_id);
      ins.bind(2, index_of(v.pollutant));
      ins.bind(3, m.ordinal);
      ins.bind(4, index);
      ins.bind(5, int64_t{v.value});
      int rc = sqlite3_step(ins.get());
      ins.reset();
      if (rc != SQLITE_DONE) return error("write single hour");
      if (sqlite3_changes(db_) == 1) {
        ++stats.values_new;
        if (v.hour.hour_ending() - 1 == static_cast<int>(v.station_id % 24)) fold_key = true;
        continue;
      }
      Stmt& q = *select_hour_;
      q.bind(1, v.station_id);
      q.bind(2, index_of(v.pollutant));
      q.bind(3, m.ordinal);
      q.bind(4, index);
      rc = sqlite3_step(q.get());
      if (rc == SQLITE_ROW) stored = static_cast<Milli>(sqlite3_column_int64(q.get(), 0));
      q.reset();
      if (rc != SQLITE_ROW) return error("read single hour");
    }
    if (stored == v.value) {
      ++stats.values_same;
    } else {
      ++stats.values_conflicting;
      if (conflicts) conflicts->push_back({v.station_id, v.pollutant, v.hour, stored, v.value});
    }
  }
  return any ? finish() : Status();
}

Status SqliteStore::read_hourly(int64_t station_id, Pollutant p, Hour first, int64_t count,
                                std::vector<Milli>& out) {
  out.assign(static_cast<size_t>(std::max<int64_t>(count, 0)), kMissing);
  if (count <= 0) return Status();
  Hour last = first + (count - 1);
  MonthKey m0 = MonthKey::of(first.day()), m1 = MonthKey::of(last.day());
  Stmt& q = *select_range_;
  q.bind(1, station_id);
  q.bind(2, index_of(p));
  q.bind(3, m0.ordinal);
  q.bind(4, m1.ordinal);
  std::vector<Milli> block;
  int rc;
  Status st;
  while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
    MonthKey m{static_cast<int32_t>(sqlite3_column_int(q.get(), 0))};
    std::string_view bytes(static_cast<const char*>(sqlite3_column_blob(q.get(), 1)),
                           static_cast<size_t>(sqlite3_column_bytes(q.get(), 1)));
    block.resize(static_cast<size_t>(m.hours()));
    st = decode_block(bytes, block);
    if (!st.ok()) break;
    Hour bfirst = m.first_hour();
    int64_t from = std::max<int64_t>(0, first - bfirst);
    int64_t to = std::min<int64_t>(m.hours(), last - bfirst + 1);
    for (int64_t i = from; i < to; ++i)
      out[static_cast<size_t>(bfirst + i - first)] = block[static_cast<size_t>(i)];
  }
  q.reset();
  if (!st.ok()) return st.with_context("station " + std::to_string(station_id));
  if (rc != SQLITE_DONE) return error("read hourly values");
  // The single hours not yet folded into their blocks (they never hold an hour their block has).
  Stmt& h = *select_hours_range_;
  h.bind(1, station_id);
  h.bind(2, index_of(p));
  h.bind(3, m0.ordinal);
  h.bind(4, m1.ordinal);
  while ((rc = sqlite3_step(h.get())) == SQLITE_ROW) {
    const MonthKey m{static_cast<int32_t>(sqlite3_column_int(h.get(), 0))};
    const int64_t at = m.first_hour() + sqlite3_column_int64(h.get(), 1) - first;
    if (at >= 0 && at < count)
      out[static_cast<size_t>(at)] = static_cast<Milli>(sqlite3_column_int64(h.get(), 2));
  }
  h.reset();
  if (rc != SQLITE_DONE) return error("read single hours");
  return Status();
}

StatusOr<std::optional<DayRange>> SqliteStore::hourly_extent(int64_t station_id) {
  Stmt& q = *extent_;
  q.bind(1, station_id);
  int rc = sqlite3_step(q.get());
  std::optional<DayRange> out;
  if (rc == SQLITE_ROW && sqlite3_column_type(q.get(), 0) != SQLITE_NULL) {
    MonthKey a{static_cast<int32_t>(sqlite3_column_int(q.get(), 0))};
    MonthKey b{static_cast<int32_t>(sqlite3_column_int(q.get(), 1))};
    out = DayRange{a.first_day(), b.first_day() + (b.days() - 1)};
  }
  q.reset();
  if (rc != SQLITE_ROW) return error("station extent");
  return out;
}

Status SqliteStore::upsert_device(const DeviceRecord& d) {
  const char* sql =
      "INSERT INTO source_device(mn, password, protocol, enterprise, outlet, county, rtd_interval_s, "
      "min_interval_min, active, policy) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) ON CONFLICT(mn) DO UPDATE "
      "SET "
      "password=?2, protocol=?3, enterprise=?4, outlet=?5, county=?6, rtd_interval_s=?7, "
      "min_interval_min=?8, "
      "active=?9, policy=?10";
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr) != SQLITE_OK) return error("upsert device");
  Stmt st(raw);
  st.bind(1, d.mn);
  st.bind(2, d.password);
  st.bind(3, int64_t{d.protocol});
  st.bind(4, d.enterprise);
  st.bind(5, d.outlet);
  st.bind(6, d.county);
  st.bind(7, int64_t{d.rtd_interval_s});
  st.bind(8, int64_t{d.min_interval_min});
  st.bind(9, int64_t{d.active ? 1 : 0});
  st.bind(10, d.policy);
  return sqlite3_step(raw) == SQLITE_DONE ? Status() : error("upsert device " + d.mn);
}

StatusOr<std::vector<DeviceRecord>> SqliteStore::devices() { return query_devices("", nullptr); }

StatusOr<std::optional<DeviceRecord>> SqliteStore::device(const std::string& mn) {
  auto found = query_devices("WHERE mn = ?1", &mn);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<DeviceRecord>();
  return std::optional<DeviceRecord>(std::move(found->front()));
}

StatusOr<std::vector<DeviceRecord>> SqliteStore::query_devices(const char* where, const std::string* arg) {
  std::string sql =
      "SELECT mn, password, protocol, enterprise, outlet, county, rtd_interval_s, min_interval_min, "
      "active, policy FROM source_device ";
  sql += where;
  sql += " ORDER BY mn";
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) return error("list devices");
  Stmt st(raw);
  if (arg) st.bind(1, *arg);
  std::vector<DeviceRecord> out;
  int rc;
  auto text = [&](int c) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(raw, c))); };
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    DeviceRecord d;
    d.mn = text(0);
    d.password = text(1);
    d.protocol = sqlite3_column_int(raw, 2);
    d.enterprise = text(3);
    d.outlet = text(4);
    d.county = text(5);
    d.rtd_interval_s = sqlite3_column_int(raw, 6);
    d.min_interval_min = sqlite3_column_int(raw, 7);
    d.active = sqlite3_column_int(raw, 8) != 0;
    d.policy = text(9);
    out.push_back(std::move(d));
  }
  if (rc != SQLITE_DONE) return error("list devices");
  return out;
}

StatusOr<int64_t> SqliteStore::insert_source_records(std::span<const SourceRecord> records) {
  const std::vector<SourceRecordView> views = views_of(records);
  return insert_source_records(std::span<const SourceRecordView>(views));
}

StatusOr<int64_t> SqliteStore::insert_source_records(std::span<const SourceRecordView> records) {
  ECOMON_RETURN_IF_ERROR(follow_shards());
  bool own = !in_write_;
  if (own) ECOMON_RETURN_IF_ERROR(begin_write());
  int64_t added = 0;
  size_t failed = 0;
  if (shards_ == 1) {
    added =
        insert_rows(db_, shard_[0].insert->get(), shard_[0].mark->get(), shard_schema(0), records, &failed);
  } else {
    for (size_t i = 0; i < records.size(); ++i) {
      const auto k = static_cast<size_t>(source_shard_of(records[i].mn, shards_));
      size_t ignored = 0;
      const int64_t one = insert_rows(db_, shard_[k].insert->get(), shard_[k].mark->get(),
                                      shard_schema(static_cast<int>(k)), records.subspan(i, 1), &ignored);
      if (one < 0) {
        failed = i;
        added = -1;
        break;
      }
      added += one;
    }
  }
  if (added < 0) {
    Status e = error("insert source record " + std::string(records[failed].mn));
    if (own) rollback();
    return e;
  }
  if (own) ECOMON_RETURN_IF_ERROR(commit());
  return added;
}

namespace {
SourceRecord read_source_row(sqlite3_stmt* s) {
  SourceRecord r;
  r.mn = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  r.cn = sqlite3_column_int(s, 1);
  r.data_time = sqlite3_column_int64(s, 2);
  r.qn = reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
  r.received_ms = sqlite3_column_int64(s, 4);
  r.flag = sqlite3_column_int(s, 5);
  r.cp = reinterpret_cast<const char*>(sqlite3_column_text(s, 6));
  return r;
}
}  // namespace

// The shards' tables as one: "main.source_record" or "(SELECT ... UNION ALL SELECT ... FROM
// src1.source_record)".
std::string SqliteStore::source_table() const {
  if (shards_ == 1) return "main.source_record";
  std::string t = "(";
  for (int k = 0; k < shards_; ++k) {
    if (k > 0) t += " UNION ALL ";
    t += "SELECT mn, cn, data_time, qn, received_ms, flag, cp FROM " + shard_schema(k) + ".source_record";
  }
  return t + ")";
}

StatusOr<std::vector<SourceRecord>> SqliteStore::source_records(const std::string& mn, int cn, int64_t from,
                                                                int64_t to, int64_t limit) {
  return device_source_rows("source_record", "data_time, cn", mn, cn, from, to, limit);
}

// A device's rows of `table` (source_record or source_record_conflict: all in its shard, source_shard_of)
// with DataTime in [from, to], of CN `cn` (0: any), in `order`.
StatusOr<std::vector<SourceRecord>> SqliteStore::device_source_rows(const char* table, const char* order,
                                                                    const std::string& mn, int cn,
                                                                    int64_t from, int64_t to, int64_t limit) {
  ECOMON_RETURN_IF_ERROR(follow_shards());
  // With one CN the whole key (mn, cn, data_time) bounds the index range: `(?2 = 0 OR cn = ?2)` would leave
  // it at the MN, and a day's read would walk the device's whole history (the day-loads read days).
  const std::string sql = "SELECT mn, cn, data_time, qn, received_ms, flag, cp FROM " +
                          shard_schema(source_shard_of(mn, shards_)) + "." + table + " WHERE mn=?1 AND " +
                          (cn == 0 ? "?2 = 0" : "cn = ?2") + " AND data_time BETWEEN ?3 AND ?4 ORDER BY " +
                          order + " LIMIT ?5";
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    return error(std::string("read ") + table);
  Stmt st(raw);
  st.bind(1, mn);
  st.bind(2, int64_t{cn});
  st.bind(3, from);
  st.bind(4, to);
  st.bind(5, limit);
  std::vector<SourceRecord> out;
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) out.push_back(read_source_row(raw));
  if (rc != SQLITE_DONE) return error(std::string("read ") + table);
  return out;
}

StatusOr<std::vector<SourceDay>> SqliteStore::stale_days(int cn, int64_t first, int64_t last) {
  ECOMON_RETURN_IF_ERROR(follow_shards());
  std::vector<SourceDay> out;
  for (ShardStatements& shard : shard_) {
    Stmt& st = *shard.stale_days;
    st.bind(1, int64_t{cn});
    st.bind(2, first);
    st.bind(3, last);
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      out.push_back({reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0)), cn,
                     sqlite3_column_int64(st.get(), 1), sqlite3_column_int64(st.get(), 2)});
    }
    st.reset();
    if (rc != SQLITE_DONE) return error("read stale days");
  }
  std::sort(out.begin(), out.end(), [](const SourceDay& a, const SourceDay& b) {
    return std::tie(a.mn, a.day) < std::tie(b.mn, b.day);
  });
  return out;
}

StatusOr<std::vector<StoredDayLoad>> SqliteStore::day_loads(const std::string& mn, int cn, int64_t first,
                                                            int64_t last) {
  ECOMON_RETURN_IF_ERROR(follow_shards());
  std::vector<StoredDayLoad> out;
  for (int k = 0; k < shards_; ++k) {
    if (!mn.empty() && k != source_shard_of(mn, shards_)) continue;
    Stmt& st = *shard_[static_cast<size_t>(k)].day_loads;
    sqlite3_stmt* raw = st.get();
    st.bind(1, int64_t{cn});
    st.bind(2, first);
    st.bind(3, last);
    st.bind(4, mn);
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
      StoredDayLoad d;
      d.mn = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
      d.cn = cn;
      d.day = sqlite3_column_int64(raw, 1);
      d.pollutant = reinterpret_cast<const char*>(sqlite3_column_text(raw, 2));
      d.kg = sqlite3_column_double(raw, 3);
      d.intervals_cou = sqlite3_column_int64(raw, 4);
      d.intervals_flow = sqlite3_column_int64(raw, 5);
      d.intervals_missing = sqlite3_column_int64(raw, 6);
      d.covered_seconds = sqlite3_column_int64(raw, 7);
      d.fingerprint = sqlite3_column_int64(raw, 8);
      out.push_back(std::move(d));
    }
    st.reset();
    if (rc != SQLITE_DONE) return error("read day-loads");
  }
  return out;  // each shard's rows in its key's order (day, MN, pollutant): not sorted again (a year's rows)
}

Status SqliteStore::replace_day_loads(std::span<const SourceDay> days, std::span<const StoredDayLoad> rows) {
  if (days.empty()) return Status();
  ECOMON_RETURN_IF_ERROR(follow_shards());
  const bool own = !in_write_;
  if (own) ECOMON_RETURN_IF_ERROR(begin_write());
  // One step of a cached statement (reset after it, bindings cleared for the next use).
  const auto step = [](Stmt& st) {
    const int rc = sqlite3_step(st.get());
    st.reset();
    return rc == SQLITE_DONE;
  };
  auto body = [&]() -> Status {
    for (const SourceDay& d : days) {
      ShardStatements& shard = shard_[static_cast<size_t>(source_shard_of(d.mn, shards_))];
      for (Stmt* del : {shard.delete_loads.get(), shard.delete_mark.get()}) {
        del->bind(1, int64_t{d.cn});
        del->bind(2, d.day);
        del->bind(3, d.mn);
        if (del == shard.delete_mark.get()) del->bind(4, d.mark);
        if (!step(*del)) return error("replace day-loads of " + d.mn);
      }
    }
    for (const StoredDayLoad& r : rows) {
      Stmt& st = *shard_[static_cast<size_t>(source_shard_of(r.mn, shards_))].insert_load;
      st.bind(1, int64_t{r.cn});
      st.bind(2, r.day);
      st.bind(3, r.mn);
      st.bind(4, r.pollutant);
      st.bind_opt(5, r.kg);
      st.bind(6, r.intervals_cou);
      st.bind(7, r.intervals_flow);
      st.bind(8, r.intervals_missing);
      st.bind(9, r.covered_seconds);
      st.bind(10, r.fingerprint);
      if (!step(st)) return error("write day-loads of " + r.mn);
    }
    return Status();
  };
  Status s = body();
  if (!s.ok()) {
    if (own) rollback();
    return s;
  }
  return own ? commit() : Status();
}

StatusOr<std::vector<SourceRecord>> SqliteStore::source_record_conflicts(const std::string& mn, int cn,
                                                                         int64_t from, int64_t to,
                                                                         int64_t limit) {
  return device_source_rows("source_record_conflict", "data_time, cn, received_ms, rowid", mn, cn, from, to,
                            limit);
}

StatusOr<std::vector<SourceRecord>> SqliteStore::latest_source_records(int cn) {
  ECOMON_RETURN_IF_ERROR(follow_shards());
  std::vector<SourceRecord> out;
  for (int k = 0; k < shards_; ++k) {  // each shard's devices; merged in MN order below
    const std::string t = shard_schema(k) + ".source_record";
    const std::string sql = "SELECT r.mn, r.cn, r.data_time, r.qn, r.received_ms, r.flag, r.cp FROM " + t +
                            " r JOIN (SELECT mn, max(data_time) AS t FROM " + t +
                            " WHERE cn=?1 GROUP BY mn) m ON r.mn = m.mn AND r.data_time = m.t AND r.cn = ?1 "
                            "ORDER BY r.mn";
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
      return error("latest source records");
    Stmt st(raw);
    st.bind(1, int64_t{cn});
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) out.push_back(read_source_row(raw));
    if (rc != SQLITE_DONE) return error("latest source records");
  }
  if (shards_ > 1) {
    std::sort(out.begin(), out.end(),
              [](const SourceRecord& a, const SourceRecord& b) { return a.mn < b.mn; });
  }
  return out;
}

StatusOr<int64_t> SqliteStore::count_source_records() {
  ECOMON_RETURN_IF_ERROR(follow_shards());
  sqlite3_stmt* raw = nullptr;
  const std::string sql = "SELECT count(*) FROM " + source_table();
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return error("count source records");
  }
  Stmt st(raw);
  if (sqlite3_step(raw) != SQLITE_ROW) return error("count source records");
  return sqlite3_column_int64(raw, 0);
}

StatusOr<std::vector<SourceRecordSpan>> SqliteStore::source_record_spans() {
  ECOMON_RETURN_IF_ERROR(follow_shards());
  std::map<std::string, SourceRecordSpan> by_mn;
  for (int k = 0; k < shards_; ++k) {
    for (const bool conflicts : {false, true}) {
      const std::string sql = "SELECT mn, min(data_time), max(data_time), count(*) FROM " + shard_schema(k) +
                              (conflicts ? ".source_record_conflict" : ".source_record") + " GROUP BY mn";
      sqlite3_stmt* raw = nullptr;
      if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
        return error("source record spans");
      Stmt st(raw);
      int rc;
      while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        const std::string mn = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
        const int64_t first = sqlite3_column_int64(raw, 1), last = sqlite3_column_int64(raw, 2);
        const int64_t n = sqlite3_column_int64(raw, 3);
        auto [it, fresh] = by_mn.try_emplace(mn, SourceRecordSpan{.mn = mn, .first = first, .last = last});
        if (!fresh) {
          it->second.first = std::min(it->second.first, first);
          it->second.last = std::max(it->second.last, last);
        }
        (conflicts ? it->second.conflicts : it->second.records) += n;
      }
      if (rc != SQLITE_DONE) return error("source record spans");
    }
  }
  std::vector<SourceRecordSpan> out;
  out.reserve(by_mn.size());
  for (auto& [mn, span] : by_mn) out.push_back(std::move(span));
  return out;
}

// ---- SourceShardConnection ----

SourceShardConnection::SourceShardConnection(std::string path, sqlite3* db, Role role)
    : path_(std::move(path)), db_(db), role_(role) {}

SourceShardConnection::~SourceShardConnection() {
  sqlite3_finalize(insert_);
  sqlite3_finalize(mark_);
  sqlite3_close(db_);
}

Status SourceShardConnection::error(const std::string& what) const { return file_error(db_, path_, what); }

Status SourceShardConnection::exec(const std::string& sql) { return exec_sql(db_, path_, sql); }

int SourceShardConnection::on_wal_commit(void* self, sqlite3* /*db*/, const char* /*schema*/, int frames) {
  static_cast<SourceShardConnection*>(self)->wal_frames_ = frames;
  return SQLITE_OK;
}

StatusOr<std::unique_ptr<SourceShardConnection>> SourceShardConnection::open(const std::string& db_path,
                                                                             int shard, Role role,
                                                                             int cache_mib) {
  const std::string path = SqliteStore::source_shard_path(db_path, shard);
  auto db = open_file(path);  // another process may write the shard (an import) for a moment
  if (!db.ok()) return db.status();
  sqlite3* raw = *db;
  std::unique_ptr<SourceShardConnection> c(new SourceShardConnection(path, raw, role));
  ECOMON_RETURN_IF_ERROR(c->exec("PRAGMA journal_mode=WAL"));
  ECOMON_RETURN_IF_ERROR(c->exec(source_record_ddl("main")));
  ECOMON_RETURN_IF_ERROR(ensure_day_tables(raw, path, "main"));
  if (role == Role::kCheckpointer) {
    ECOMON_RETURN_IF_ERROR(c->exec("PRAGMA wal_autocheckpoint=0"));
    return c;
  }
  ECOMON_RETURN_IF_ERROR(c->exec("PRAGMA synchronous=FULL"));
  constexpr int kKibPerMib = 1024;
  if (cache_mib > 0)
    ECOMON_RETURN_IF_ERROR(c->exec("PRAGMA cache_size=-" + std::to_string(int64_t{cache_mib} * kKibPerMib)));
  sqlite3_wal_hook(raw, &SourceShardConnection::on_wal_commit, c.get());  // replaces the automatic checkpoint
  if (sqlite3_prepare_v3(raw, source_insert_sql("main").c_str(), -1, SQLITE_PREPARE_PERSISTENT, &c->insert_,
                         nullptr) != SQLITE_OK) {
    return c->error("prepare source insert");
  }
  if (sqlite3_prepare_v3(raw, source_mark_sql("main").c_str(), -1, SQLITE_PREPARE_PERSISTENT, &c->mark_,
                         nullptr) != SQLITE_OK) {
    return c->error("prepare source day mark");
  }
  return c;
}

StatusOr<int64_t> SourceShardConnection::insert(std::span<const SourceRecordView> records,
                                                std::vector<size_t>* conflicts) {
  if (!insert_) return failed_precondition("store " + path_ + ": not opened as a writer");
  ECOMON_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
  size_t failed = 0;
  if (conflicts) conflicts->clear();
  const int64_t added = insert_rows(db_, insert_, mark_, "main", records, &failed, conflicts);
  if (added < 0) {
    Status e = error("insert source record " + std::string(records[failed].mn));
    (void)exec("ROLLBACK");
    return e;
  }
  if (Status c = exec("COMMIT"); !c.ok()) {
    (void)exec("ROLLBACK");
    return c;
  }
  return added;
}

Status SourceShardConnection::checkpoint() {
  int log = 0;
  int copied = 0;
  if (role_ == Role::kCheckpointer) {
    if (sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_PASSIVE, &log, &copied) != SQLITE_OK) {
      return error("checkpoint");
    }
    return Status();
  }
  sqlite3_busy_timeout(db_, 0);  // never wait here: the writer's next batch is more urgent
  const int rc = sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_RESTART, &log, &copied);
  sqlite3_busy_timeout(db_, store_busy_timeout_ms());
  if (rc == SQLITE_BUSY) return Status(StatusCode::kUnavailable, "store " + path_ + ": WAL in use");
  if (rc != SQLITE_OK) return error("checkpoint");
  wal_frames_ = 0;
  return Status();
}

// ---- the gateway's SourceIngest ----

namespace {

// SQLite page cache of each shard writer (SourceShardConnection::Role::kWriter): the pages a commit touches
// are the table's last pages and one index page per device and data type: 5,000 devices per shard with two
// shards and 10,000 devices, 20-40 MB of index leaves by the end of a 15 s load, so 32 MiB missed and read
// pages back. A larger cache used to cost a walk over its hash table at each commit; configure_sqlite()'s
// page-cache wrapper removed that (store/sqlite_setup.cc). Pages are allocated as used: a small city's writer
// stays small.
constexpr int kWriterCacheMib = 128;
// The maintainer (a kCheckpointer connection) copies a shard's WAL into its file (passive, beside the
// commits) each time the WAL has grown this much; the writer restarts its WAL (a short checkpoint of what is
// left, between two batches) beyond the second figure, so that the WAL's file stays bounded.
constexpr int kCheckpointStepFrames = 1000;  // about 4 MB
constexpr int kWalRestartFrames = 16384;     // about 64 MB

// What a shard's writer tells its maintainer: the WAL frames after its last commit (0 after a restart).
struct ShardProgress {
  std::atomic<int> wal_frames{0};
};

class SqliteShardWriter final : public SourceShardWriter {
 public:
  SqliteShardWriter(std::unique_ptr<SourceShardConnection> c, std::shared_ptr<ShardProgress> progress)
      : c_(std::move(c)), progress_(std::move(progress)) {}
  StatusOr<int64_t> insert(std::span<const SourceRecordView> records,
                           std::vector<size_t>* conflicts) override {
    return c_->insert(records, conflicts);
  }
  bool settle() override {
    int frames = c_->wal_frames();
    if (frames >= kWalRestartFrames && c_->checkpoint().ok()) frames = 0;
    progress_->wal_frames.store(frames, std::memory_order_relaxed);
    if (frames < asked_at_) asked_at_ = 0;
    if (frames - asked_at_ < kCheckpointStepFrames) return false;
    asked_at_ = frames;
    return true;
  }

 private:
  std::unique_ptr<SourceShardConnection> c_;
  std::shared_ptr<ShardProgress> progress_;
  int asked_at_ = 0;  // WAL frames when the maintainer was last asked for
};

class SqliteShardMaintainer final : public SourceShardMaintainer {
 public:
  SqliteShardMaintainer(std::unique_ptr<SourceShardConnection> c, std::shared_ptr<ShardProgress> progress)
      : c_(std::move(c)), progress_(std::move(progress)) {}
  Status maintain(bool writer_ended) override {
    const int frames = progress_->wal_frames.load(std::memory_order_relaxed);
    if (frames == done_at_ && !writer_ended) return Status();
    done_at_ = frames;
    return c_->checkpoint();
  }

 private:
  std::unique_ptr<SourceShardConnection> c_;
  std::shared_ptr<ShardProgress> progress_;
  int done_at_ = 0;  // WAL frames at the last checkpoint
};

class SqliteSourceIngest final : public SourceIngest {
 public:
  explicit SqliteSourceIngest(SqliteStore& store) : store_(store) {
    for (auto& p : progress_) p = std::make_shared<ShardProgress>();
  }
  StatusOr<std::vector<DeviceRecord>> devices() override { return store_.devices(); }
  StatusOr<int64_t> registry_revision() override { return store_.registry_revision(); }
  int shards() override { return store_.source_shards(); }
  int shard_of(std::string_view mn, int shards) const override {
    return SqliteStore::source_shard_of(mn, shards);
  }
  Status set_shards(int n) override { return store_.set_source_shards(n); }
  StatusOr<std::unique_ptr<SourceShardWriter>> open_writer(int shard) override {
    ECOMON_RETURN_IF_ERROR(check_shard(shard));
    auto c = SourceShardConnection::open(store_.path(), shard, SourceShardConnection::Role::kWriter,
                                         kWriterCacheMib);
    if (!c.ok()) return c.status();
    return std::unique_ptr<SourceShardWriter>(new SqliteShardWriter(std::move(*c), progress_[shard]));
  }
  StatusOr<std::unique_ptr<SourceShardMaintainer>> open_maintainer(int shard) override {
    ECOMON_RETURN_IF_ERROR(check_shard(shard));
    auto c = SourceShardConnection::open(store_.path(), shard, SourceShardConnection::Role::kCheckpointer);
    if (!c.ok()) return c.status();
    return std::unique_ptr<SourceShardMaintainer>(new SqliteShardMaintainer(std::move(*c), progress_[shard]));
  }

 private:
  Status check_shard(int shard) {
    if (shard < 0 || shard >= store_.source_shards()) {
      return invalid_argument("store " + store_.path() + ": no source shard " + std::to_string(shard) +
                              " of " + std::to_string(store_.source_shards()));
    }
    return Status();
  }

  SqliteStore& store_;
  std::shared_ptr<ShardProgress> progress_[kMaxSourceShards];
};

}  // namespace

std::unique_ptr<SourceIngest> sqlite_source_ingest(SqliteStore& store) {
  return std::make_unique<SqliteSourceIngest>(store);
}

}  // namespace ecomon
