#include "store/postgres/sql_db.h"

#include <algorithm>
#include <cctype>

namespace ecomon::pg {
namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// ?N and ? as $N, rowid as seq, user as "user": outside quoted text.
std::string rewrite_tokens(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  char quote = 0;
  int bare = 0;  // SQLite numbers a bare ? one past the largest so far
  int largest = 0;
  for (size_t i = 0; i < sql.size();) {
    const char ch = sql[i];
    if (quote) {
      out += ch;
      if (ch == quote) quote = 0;
      ++i;
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
      out += ch;
      ++i;
    } else if (ch == '?') {
      size_t j = i + 1;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
      int n = 0;
      if (j > i + 1) {
        n = std::stoi(std::string(sql.substr(i + 1, j - i - 1)));
      } else {
        n = std::max(largest, bare) + 1;
        bare = n;
      }
      largest = std::max(largest, n);
      out += "$" + std::to_string(n);
      i = j;
    } else if (is_word_char(ch) && (i == 0 || !is_word_char(sql[i - 1]))) {
      size_t j = i;
      while (j < sql.size() && is_word_char(sql[j])) ++j;
      const std::string word = lower(sql.substr(i, j - i));
      if (word == "rowid") {
        out += "seq";
      } else if (word == "user") {
        out += "\"user\"";
      } else {
        out.append(sql.substr(i, j - i));
      }
      i = j;
    } else {
      out += ch;
      ++i;
    }
  }
  return out;
}

// Skips spaces from `i`; then whether `word` (upper case) follows, case-insensitively.
bool take_word(const std::string& s, size_t& i, std::string_view word) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  if (s.size() - i < word.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (std::toupper(static_cast<unsigned char>(s[i + k])) != word[k]) return false;
  }
  if (i + word.size() < s.size() && is_word_char(s[i + word.size()])) return false;
  i += word.size();
  return true;
}

}  // namespace

// ---- SqlStmt

SqlStmt::SqlStmt(SqlDb* db, std::string sql, Status error)
    : db_(db), sql_(std::move(sql)), error_(std::move(error)) {
  size_t i = 0;
  write_ = take_word(sql_, i, "INSERT");
  i = 0;
  write_ = write_ || take_word(sql_, i, "UPDATE");
  i = 0;
  write_ = write_ || take_word(sql_, i, "DELETE");
}

SqlStmt& SqlStmt::set(int i, Value v) {
  if (i < 1) return *this;
  if (values_.size() < static_cast<size_t>(i)) values_.resize(static_cast<size_t>(i), Value{std::nullopt});
  values_[static_cast<size_t>(i - 1)] = std::move(v);
  return *this;
}

SqlStmt& SqlStmt::bind(int i, int64_t v) { return set(i, Value{"", v, 0, Value::kInteger}); }
SqlStmt& SqlStmt::bind(int i, double v) { return set(i, Value{"", 0, v, Value::kReal}); }
SqlStmt& SqlStmt::bind(int i, std::string_view text) { return set(i, Value{std::string(text)}); }
SqlStmt& SqlStmt::bind_null(int i) { return set(i, Value{std::nullopt}); }

Params SqlStmt::params() const {
  Params p;
  for (const Value& v : values_) {
    if (!v.text) {
      p.null();
    } else if (v.kind == Value::kInteger) {
      p.add(v.integer);
    } else if (v.kind == Value::kReal) {
      p.add(v.real);
    } else {
      p.add(*v.text);
    }
  }
  return p;
}

StatusOr<bool> SqlStmt::step() {
  if (!error_.ok()) return error_;
  if (!executed_) {
    auto r = db_->conn().run(sql_, params());
    if (!r.ok()) return r.status();
    result_ = std::move(*r);
    row_ = -1;
    executed_ = true;
  }
  ++row_;
  return row_ < result_.rows();
}

Status SqlStmt::run() {
  if (!error_.ok()) return error_;
  if (write_) return db_->conn().defer({sql_, params()});
  while (true) {
    auto more = step();
    if (!more.ok()) return more.status();
    if (!*more) return Status();
  }
}

void SqlStmt::reset() {
  values_.clear();
  result_ = Result();
  row_ = -1;
  executed_ = false;
}

// ---- SqlDb

Status SqlDb::exec(std::string_view sql) { return c_.exec(sql); }

SqlStmt& SqlDb::cached(std::string_view sqlite_sql) {
  auto it = cache_.find(sqlite_sql);
  if (it == cache_.end()) {
    auto t = translate(sqlite_sql);
    auto st = std::unique_ptr<SqlStmt>(
        new SqlStmt(this, t.ok() ? *t : std::string(), t.ok() ? Status() : t.status()));
    it = cache_.emplace(std::string(sqlite_sql), std::move(st)).first;
  }
  it->second->reset();
  return *it->second;
}

StatusOr<SqlStmt> SqlDb::prepare(std::string_view sqlite_sql) {
  auto t = translate(sqlite_sql);
  if (!t.ok()) return t.status();
  return SqlStmt(this, std::move(*t), Status());
}

int64_t SqlDb::changes() {
  if (!c_.flush().ok()) return 0;
  return c_.last_affected();
}

int64_t SqlDb::last_insert_rowid() {
  auto r = c_.run("SELECT lastval()");
  return r.ok() ? r->int64(0, 0) : 0;
}

StatusOr<std::string> SqlDb::translate(std::string_view sqlite_sql) {
  std::string s = rewrite_tokens(sqlite_sql);
  size_t i = 0;
  if (!take_word(s, i, "INSERT")) return s;
  const size_t after_insert = i;
  if (!take_word(s, i, "OR")) return s;
  if (take_word(s, i, "IGNORE")) return s.substr(0, after_insert) + s.substr(i) + " ON CONFLICT DO NOTHING";
  if (!take_word(s, i, "REPLACE")) {
    return Status(StatusCode::kInternal, "postgres: cannot translate '" + std::string(sqlite_sql) + "'");
  }
  std::string rest = s.substr(i);
  size_t k = 0;
  if (!take_word(rest, k, "INTO")) {
    return Status(StatusCode::kInternal,
                  "postgres: INSERT OR REPLACE without INTO: " + std::string(sqlite_sql));
  }
  while (k < rest.size() && std::isspace(static_cast<unsigned char>(rest[k]))) ++k;
  size_t t0 = k;
  while (k < rest.size() && is_word_char(rest[k])) ++k;
  const std::string table = rest.substr(t0, k - t0);
  const size_t open = rest.find('(', k);
  const size_t close = rest.find(')', open == std::string::npos ? k : open);
  if (table.empty() || open == std::string::npos || close == std::string::npos) {
    return Status(StatusCode::kInternal,
                  "postgres: INSERT OR REPLACE needs INTO t(columns): " + std::string(sqlite_sql));
  }
  std::vector<std::string> columns;
  std::string col;
  for (size_t p = open + 1; p <= close; ++p) {
    if (p == close || rest[p] == ',') {
      if (!col.empty()) columns.push_back(col);
      col.clear();
    } else if (!std::isspace(static_cast<unsigned char>(rest[p]))) {
      col += rest[p];
    }
  }
  auto clause = replace_clause(table, columns);
  if (!clause.ok()) return clause.status();
  return s.substr(0, after_insert) + rest + " " + *clause;
}

StatusOr<std::string> SqlDb::replace_clause(const std::string& table,
                                            const std::vector<std::string>& columns) {
  auto keys = c_.run(
      "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = "
      "ANY(i.indkey) "
      "WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)",
      Params().add(table));
  if (!keys.ok()) return keys.status();
  if (keys->rows() == 0) {
    return Status(StatusCode::kInternal,
                  "postgres: table " + table + " has no primary key for INSERT OR REPLACE");
  }
  auto seq = c_.run(
      "SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'seq' AND NOT "
      "attisdropped",
      Params().add(table));
  if (!seq.ok()) return seq.status();
  std::vector<std::string> key_names;
  std::string conflict;
  for (int r = 0; r < keys->rows(); ++r) {
    key_names.push_back(keys->str(r, 0));
    conflict += (r ? "," : "") + keys->str(r, 0);
  }
  std::string set;
  for (const std::string& c : columns) {
    if (std::find(key_names.begin(), key_names.end(), c) != key_names.end()) continue;
    set += (set.empty() ? "" : ", ") + c + " = excluded." + c;
  }
  if (seq->int64(0, 0) > 0) set += (set.empty() ? "" : ", ") + std::string("seq = excluded.seq");
  return "ON CONFLICT(" + conflict + ") DO " + (set.empty() ? std::string("NOTHING") : "UPDATE SET " + set);
}

// ---- SqlTx

StatusOr<SqlTx> SqlTx::begin(SqlDb& db, int64_t lock) {
  auto tx = Tx::begin(db.conn(), lock);
  if (!tx.ok()) return tx.status();
  return SqlTx(&db, std::move(*tx));
}

Status SqlTx::commit() {
  if (!tx_) return Status(StatusCode::kFailedPrecondition, "no transaction to commit");
  Status s = tx_->commit();
  tx_.reset();
  return s;
}

}  // namespace ecomon::pg
