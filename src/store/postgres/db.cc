#include "store/postgres/db.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "store/postgres/migrations.h"
#include "store/sqlite_status.h"  // store_busy_timeout_ms(): the same wait as the SQLite stores'

namespace ecomon::pg {
namespace {

constexpr size_t kSqlInMessage = 160;   // characters of a statement quoted in an error
constexpr size_t kPipelineChunk = 500;  // statements sent before their results are read

std::string clip(std::string_view sql) {
  std::string s(sql.substr(0, kSqlInMessage));
  for (char& ch : s) {
    if (ch == '\n') ch = ' ';
  }
  if (sql.size() > kSqlInMessage) s += "...";
  return s;
}

std::string trimmed(const char* msg) {
  std::string m = msg ? msg : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

void ignore_notice(void* /*arg*/, const char* /*message*/) {}

bool ok_result(const PGresult* r) {
  const ExecStatusType s = PQresultStatus(r);
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

}  // namespace

StatusCode status_code_of(std::string_view sqlstate) {
  if (sqlstate.size() != 5) return StatusCode::kInternal;
  const std::string_view cls = sqlstate.substr(0, 2);
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03" || sqlstate == "57014" ||
      sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03" || cls == "08" || cls == "53") {
    return StatusCode::kUnavailable;
  }
  if (cls == "23") return StatusCode::kAlreadyExists;
  if (cls == "22") return StatusCode::kInvalidArgument;
  return StatusCode::kInternal;
}

// ---- Params

constexpr unsigned kInt8Oid = 20;
constexpr unsigned kFloat8Oid = 701;

Params& Params::add(int64_t v) {
  values_.push_back(std::to_string(v));
  nulls_.push_back(false);
  types_.push_back(kInt8Oid);
  return *this;
}

namespace {
std::string real_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back exactly
  return std::string(buf, ec == std::errc() ? end : buf);
}
}  // namespace

Params& Params::add(double v) {
  values_.push_back(real_text(v));
  nulls_.push_back(false);
  types_.push_back(kFloat8Oid);
  return *this;
}

Params& Params::add(std::string_view text) {
  if (problem_.empty() && text.find('\0') != std::string_view::npos) {
    problem_ = "parameter $" + std::to_string(values_.size() + 1) + " holds a NUL byte, which text cannot";
  }
  values_.emplace_back(text);
  nulls_.push_back(false);
  types_.push_back(0);
  return *this;
}

Params& Params::null() {
  values_.emplace_back();
  nulls_.push_back(true);
  types_.push_back(0);
  return *this;
}

Params& Params::add_array(const std::vector<std::string>& texts) {
  std::string a = "{";
  for (size_t i = 0; i < texts.size(); ++i) {
    if (texts[i].find('\0') != std::string::npos && problem_.empty()) {
      problem_ = "parameter $" + std::to_string(values_.size() + 1) + " (element " + std::to_string(i + 1) +
                 ") holds a NUL byte, which text cannot";
    }
    if (i) a += ',';
    a += '"';
    for (char ch : texts[i]) {
      if (ch == '"' || ch == '\\') a += '\\';
      a += ch;
    }
    a += '"';
  }
  a += '}';
  values_.push_back(std::move(a));
  nulls_.push_back(false);
  types_.push_back(0);
  return *this;
}

Params& Params::add_array(const std::vector<int64_t>& values) {
  std::string a = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) a += ',';
    a += std::to_string(values[i]);
  }
  a += '}';
  values_.push_back(std::move(a));
  nulls_.push_back(false);
  types_.push_back(0);
  return *this;
}

Params& Params::add_array(const std::vector<double>& values) {
  std::string a = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) a += ',';
    a += real_text(values[i]);
  }
  a += '}';
  values_.push_back(std::move(a));
  nulls_.push_back(false);
  types_.push_back(0);
  return *this;
}

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> p(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) p[i] = nulls_[i] ? nullptr : values_[i].c_str();
  return p;
}

// ---- Result

Result& Result::operator=(Result&& o) noexcept {
  if (this != &o) {
    PQclear(r_);
    r_ = std::exchange(o.r_, nullptr);
  }
  return *this;
}

Result::~Result() { PQclear(r_); }

int Result::rows() const { return r_ ? PQntuples(r_) : 0; }
int Result::columns() const { return r_ ? PQnfields(r_) : 0; }
bool Result::is_null(int row, int col) const { return !r_ || PQgetisnull(r_, row, col) != 0; }

std::string_view Result::text(int row, int col) const {
  if (!r_ || row < 0 || row >= rows() || col < 0 || col >= columns()) return {};
  return {PQgetvalue(r_, row, col), static_cast<size_t>(PQgetlength(r_, row, col))};
}

int64_t Result::int64(int row, int col) const {
  const std::string_view t = text(row, col);
  if (t == "t") return 1;  // a boolean reads as SQLite's 1 (and "f" as 0, below)
  int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

double Result::real(int row, int col) const {
  const std::string_view t = text(row, col);
  double v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

std::optional<int64_t> Result::opt_int64(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return int64(row, col);
}

std::optional<double> Result::opt_real(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return real(row, col);
}

int64_t Result::affected() const {
  if (!r_) return 0;
  const std::string_view t = PQcmdTuples(r_);
  int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

Row Result::row(int i) const { return Row(*this, i); }

std::string dollar_params(std::string_view sql) {
  std::string out(sql);
  char quote = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const char ch = out[i];
    if (quote) {
      if (ch == quote) quote = 0;
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
    } else if (ch == '?' && i + 1 < out.size() && out[i + 1] >= '0' && out[i + 1] <= '9') {
      out[i] = '$';
    }
  }
  return out;
}

// ---- Conn

Conn::Conn(pg_conn* c, OpenOptions options) : c_(c), options_(std::move(options)) {
  PQsetNoticeProcessor(c_, &ignore_notice, nullptr);  // "relation already exists, skipping" and the like
  name_ = std::string(PQuser(c_)) + "@" + PQhost(c_) + ":" + PQport(c_) + "/" + PQdb(c_);
  if (!options_.schema.empty()) name_ += " schema " + options_.schema;
}

Conn::~Conn() { PQfinish(c_); }

StatusOr<std::unique_ptr<Conn>> Conn::open(const std::string& uri, const OpenOptions& options) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(uri.c_str(), &parse_error);
  if (!parsed) {
    std::string m = trimmed(parse_error);
    PQfreemem(parse_error);
    return Status(StatusCode::kInvalidArgument, "postgres store URL: " + m);
  }
  PQconninfoFree(parsed);
  pg_conn* raw = PQconnectdb(uri.c_str());
  if (!raw) return Status(StatusCode::kUnavailable, "postgres: out of memory");
  if (PQstatus(raw) != CONNECTION_OK) {
    std::string m = trimmed(PQerrorMessage(raw));
    PQfinish(raw);
    return Status(StatusCode::kUnavailable, "cannot connect to the postgres store: " + m);
  }
  std::unique_ptr<Conn> c(new Conn(raw, options));
  ECOMON_RETURN_IF_ERROR(c->setup_session());
  if (options.migrate) ECOMON_RETURN_IF_ERROR(migrate(*c, migrations()));
  return c;
}

Status Conn::setup_session() {
  const int lock_ms = options_.lock_timeout_ms >= 0 ? options_.lock_timeout_ms : store_busy_timeout_ms();
  std::string sql = "SET client_encoding = 'UTF8'; SET client_min_messages = warning; SET lock_timeout = " +
                    std::to_string(lock_ms) + ";";
  if (!options_.schema.empty()) {
    char* id = PQescapeIdentifier(c_, options_.schema.data(), options_.schema.size());
    if (!id) return error("quote schema name");
    const std::string quoted = id;
    PQfreemem(id);
    if (options_.create_schema) sql += "CREATE SCHEMA IF NOT EXISTS " + quoted + ";";
    sql += "SET search_path TO " + quoted + ";";
  }
  return exec(sql);
}

Status Conn::ensure_connected() {
  if (PQstatus(c_) == CONNECTION_OK) return Status();
  if (tx_depth_ > 0) {
    return Status(StatusCode::kUnavailable,
                  "postgres " + name_ + ": the connection was lost inside a transaction (rolled back)");
  }
  PQreset(c_);
  if (PQstatus(c_) != CONNECTION_OK) {
    return Status(StatusCode::kUnavailable, "postgres " + name_ + ": connection lost, reconnecting failed: " +
                                                trimmed(PQerrorMessage(c_)));
  }
  ++generation_;
  prepared_.clear();
  deferred_.clear();
  return setup_session();
}

Status Conn::error(std::string_view what, const pg_result* r) const {
  std::string msg = trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(c_));
  if (msg.empty()) msg = trimmed(PQerrorMessage(c_));
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  StatusCode code = state ? status_code_of(state) : StatusCode::kInternal;
  if (PQstatus(c_) != CONNECTION_OK) {
    code = StatusCode::kUnavailable;
    if (msg.empty()) msg = "connection lost";
  }
  if (msg.rfind("ERROR:  ", 0) == 0) msg.erase(0, 8);
  std::string out = "postgres " + name_ + ": " + std::string(what) + ": " + msg;
  if (state) out += std::string(" (SQLSTATE ") + state + ")";
  return Status(code, out);
}

StatusOr<Result> Conn::check(pg_result* r, std::string_view sql) {
  Result owned(r);
  if (r && ok_result(r)) return owned;
  Status e = error(clip(sql), r);
  if (first_error_.ok() && in_transaction()) first_error_ = e;
  return e;
}

Status Conn::exec(std::string_view sql) {
  ECOMON_RETURN_IF_ERROR(ensure_connected());
  ECOMON_RETURN_IF_ERROR(flush());
  const std::string s(sql);
  auto r = check(PQexec(c_, s.c_str()), sql);
  return r.ok() ? Status() : r.status();
}

StatusOr<Result> Conn::query(std::string_view sql, const Params& params) {
  if (!params.problem().empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "postgres " + name_ + ": " + params.problem() + ": " + clip(sql));
  }
  ECOMON_RETURN_IF_ERROR(ensure_connected());
  const std::string s(sql);
  const std::vector<const char*> values = params.pointers();
  ECOMON_RETURN_IF_ERROR(flush());
  return check(PQexecParams(c_, s.c_str(), static_cast<int>(values.size()), params.types().data(),
                            values.data(), nullptr, nullptr, 0),
               sql);
}

StatusOr<Result> Conn::run(std::string_view sql, const Params& params) {
  if (!params.problem().empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "postgres " + name_ + ": " + params.problem() + ": " + clip(sql));
  }
  ECOMON_RETURN_IF_ERROR(ensure_connected());
  ECOMON_RETURN_IF_ERROR(flush());
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "ecomon_" + std::to_string(prepared_.size() + 1);
    const std::string s(sql);
    auto prep = check(
        PQprepare(c_, name.c_str(), s.c_str(), static_cast<int>(params.size()), params.types().data()), sql);
    if (!prep.ok()) return prep.status();
    it = prepared_.emplace(s, std::move(name)).first;
  }
  const std::vector<const char*> values = params.pointers();
  return check(PQexecPrepared(c_, it->second.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                              nullptr, 0),
               sql);
}

StatusOr<std::vector<Result>> Conn::pipeline(const std::vector<Query>& queries) {
  ECOMON_RETURN_IF_ERROR(flush());
  return send_pipeline(queries);
}

Status Conn::defer(Query q) {
  if (!in_transaction()) {
    auto r = query(q.sql, q.params);
    if (!r.ok()) return r.status();
    last_affected_ = r->affected();
    return Status();
  }
  deferred_.push_back(std::move(q));
  return Status();
}

Status Conn::flush() {
  if (deferred_.empty()) return Status();
  std::vector<Query> queries = std::move(deferred_);
  deferred_.clear();
  auto r = send_pipeline(queries);
  if (!r.ok()) return r.status();
  last_affected_ = r->empty() ? 0 : r->back().affected();
  return Status();
}

StatusOr<std::vector<Result>> Conn::send_pipeline(const std::vector<Query>& queries) {
  for (const Query& q : queries) {
    if (!q.params.problem().empty()) {
      return Status(StatusCode::kInvalidArgument,
                    "postgres " + name_ + ": " + q.params.problem() + ": " + clip(q.sql));
    }
  }
  ECOMON_RETURN_IF_ERROR(ensure_connected());
  std::vector<Result> out;
  out.reserve(queries.size());
  // In chunks: libpq sends while the server answers, and a connection in blocking mode could wait forever
  // with both socket buffers full; a chunk's results fit in them.
  for (size_t begin = 0; begin < queries.size(); begin += kPipelineChunk) {
    const size_t end = std::min(queries.size(), begin + kPipelineChunk);
    ECOMON_RETURN_IF_ERROR(send_chunk(queries, begin, end, out));
  }
  return out;
}

Status Conn::send_chunk(const std::vector<Query>& queries, size_t begin, size_t end,
                        std::vector<Result>& out) {
  if (PQenterPipelineMode(c_) != 1) return error("enter pipeline mode");
  for (size_t i = begin; i < end; ++i) {
    const Query& q = queries[i];
    const std::vector<const char*> values = q.params.pointers();
    if (PQsendQueryParams(c_, q.sql.c_str(), static_cast<int>(values.size()), q.params.types().data(),
                          values.data(), nullptr, nullptr, 0) != 1) {
      Status s = error("send " + clip(q.sql));
      PQexitPipelineMode(c_);
      return s;
    }
  }
  if (PQpipelineSync(c_) != 1) return error("pipeline sync");
  Status first;
  const size_t had = out.size();
  // Each statement gives one result and then NULL; the sync point gives PGRES_PIPELINE_SYNC. A lost
  // connection ends the wait (PQgetResult returns NULL without a sync).
  size_t index = begin;
  int nulls_in_a_row = 0;
  while (true) {
    PGresult* r = PQgetResult(c_);
    if (!r) {
      if (++nulls_in_a_row > 1 || PQstatus(c_) != CONNECTION_OK) break;
      continue;
    }
    nulls_in_a_row = 0;
    const ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_PIPELINE_SYNC) {
      PQclear(r);
      break;
    }
    const std::string_view sql = index < end ? std::string_view(queries[index].sql) : "";
    ++index;
    if (st == PGRES_PIPELINE_ABORTED) {
      PQclear(r);
      continue;
    }
    if (!ok_result(r)) {
      if (first.ok()) first = error(clip(sql), r);
      if (first_error_.ok() && in_transaction()) first_error_ = first;
      PQclear(r);
      continue;
    }
    out.emplace_back(r);
  }
  if (PQstatus(c_) == CONNECTION_OK) PQexitPipelineMode(c_);
  if (!first.ok()) return first;
  if (out.size() - had != end - begin) return error("pipeline: results missing");
  return Status();
}

bool Conn::in_transaction() const {
  const PGTransactionStatusType t = PQtransactionStatus(c_);
  return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

int Conn::backend_pid() const { return PQbackendPID(c_); }

StatusOr<int> Conn::schema_version() {
  auto exists = run("SELECT to_regclass('schema_version') IS NOT NULL");
  if (!exists.ok()) return exists.status();
  if (exists->text(0, 0) != "t") return 0;
  auto v = run("SELECT coalesce(max(version), 0) FROM schema_version");
  if (!v.ok()) return v.status();
  return static_cast<int>(v->int64(0, 0));
}

// ---- Tx

StatusOr<Tx> Tx::begin(Conn& c, int64_t lock) {
  const bool nested = c.in_transaction();
  ECOMON_RETURN_IF_ERROR(c.exec(nested ? "SAVEPOINT ecomon_tx" : "BEGIN"));
  Tx tx(&c, nested);
  ++c.tx_depth_;
  if (lock != 0) {
    auto r = c.run("SELECT pg_advisory_xact_lock($1)", Params().add(lock));
    if (!r.ok()) return r.status();  // tx rolls back
  }
  return tx;
}

Tx::~Tx() { rollback(); }

Status Tx::commit() {
  if (!c_) return Status(StatusCode::kFailedPrecondition, "no transaction to commit");
  Conn* c = std::exchange(c_, nullptr);
  --c->tx_depth_;
  if (PQstatus(c->raw()) != CONNECTION_OK || c->generation() != generation_) {
    c->deferred_.clear();
    return Status(StatusCode::kUnavailable, "postgres " + c->name() +
                                                ": the connection was lost before the commit: nothing of "
                                                "the transaction was written");
  }
  Status sent = c->flush();
  if (!sent.ok()) {
    (void)c->exec(savepoint_ ? "ROLLBACK TO SAVEPOINT ecomon_tx; RELEASE SAVEPOINT ecomon_tx" : "ROLLBACK");
    return sent;
  }
  if (PQtransactionStatus(c->raw()) == PQTRANS_INERROR) {
    (void)c->exec(savepoint_ ? "ROLLBACK TO SAVEPOINT ecomon_tx; RELEASE SAVEPOINT ecomon_tx" : "ROLLBACK");
    Status why = std::exchange(c->first_error_, Status());
    return Status(why.ok() ? StatusCode::kInternal : why.code(),
                  "postgres " + c->name() + ": commit refused: a statement of the transaction failed" +
                      (why.ok() ? std::string() : " (" + why.message() + ")"));
  }
  if (!savepoint_) c->first_error_ = Status();
  return c->exec(savepoint_ ? "RELEASE SAVEPOINT ecomon_tx" : "COMMIT");
}

void Tx::rollback() {
  if (!c_) return;
  Conn* c = std::exchange(c_, nullptr);
  --c->tx_depth_;
  c->deferred_.clear();  // written after this transaction (or savepoint) began: undone with it
  if (!savepoint_) c->first_error_ = Status();
  if (PQstatus(c->raw()) != CONNECTION_OK || c->generation() != generation_) return;  // the server did
  (void)c->exec(savepoint_ ? "ROLLBACK TO SAVEPOINT ecomon_tx; RELEASE SAVEPOINT ecomon_tx" : "ROLLBACK");
}

}  // namespace ecomon::pg
