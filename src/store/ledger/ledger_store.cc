#include "store/ledger/ledger_store.h"

#include <sodium.h>

#include <array>
#include <chrono>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "store/ledger/ledger_store_impl.h"

namespace ecomon {
namespace {

constexpr size_t kMaxText = 4000;     // bytes of a note or a problem's field
constexpr size_t kMaxFileName = 255;  // bytes of an attachment's name
constexpr char kListSeparator = '|';

using Row = SqlLedgerStore::Impl::Row;

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : std::string(1, kListSeparator)) + x;
  return s;
}
std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t b = 0;
  for (size_t e; (e = s.find(kListSeparator, b)) != std::string::npos; b = e + 1)
    out.push_back(s.substr(b, e - b));
  out.push_back(s.substr(b));
  return out;
}
std::string day_text(const std::optional<CivilDay>& d) { return d ? d->to_string() : ""; }
std::optional<CivilDay> parse_day(const std::string& s) {
  if (s.empty()) return std::nullopt;
  auto d = CivilDay::parse(s);
  return d.ok() ? std::optional<CivilDay>(*d) : std::nullopt;
}

std::string now_utc() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf.data();
}

Status check_text(const char* field, const std::string& s, size_t max = kMaxText) {
  if (s.size() > max)
    return invalid_argument(std::string(field) + ": " + std::to_string(s.size()) + " bytes, at most " +
                            std::to_string(max));
  return Status();
}

WriteStamp change_of(const Row& r, size_t first) {
  return WriteStamp{r[first], r[first + 1], r[first + 2], r[first + 3]};
}

std::string comparison_symbol(Bound b) {
  switch (b) {
    case Bound::kAtLeast:
      return ">=";
    case Bound::kAtMost:
      return "<=";
    case Bound::kMoreThan:
      return ">";
    case Bound::kLessThan:
      return "<";
    case Bound::kExactly:
      return "=";
  }
  return "=";
}

}  // namespace

StatusOr<EvidenceInput> attachment_metadata(const std::filesystem::path& path) {
  if (sodium_init() < 0) return internal_error("libsodium could not be initialised");
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot read attachment " + path.string());
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  constexpr size_t kChunk = 1 << 16;
  std::vector<char> buf(kChunk);
  EvidenceInput e;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::streamsize n = in.gcount();
    if (n <= 0) break;
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(buf.data()),
                              static_cast<uint64_t>(n));
    e.size += n;
  }
  if (in.bad()) return data_loss("error reading attachment " + path.string());
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&st, digest.data());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  e.sha256 = hex.data();
  e.file_name = path.filename().string();
  return e;
}

// ---- the statements (SqlLedgerStore::Impl): the backend's query and transaction, the rest here

Status SqlLedgerStore::Impl::run(const std::string& sql, const Row& params) {
  return query(sql, params).status();
}

StatusOr<SqlLedgerStore::Impl::Upsert> SqlLedgerStore::Impl::upsert(const std::string& table,
                                                                    const std::vector<std::string>& cols,
                                                                    size_t nkey, const Row& vals) {
  std::string where, all, marks, set;
  for (size_t i = 0; i < cols.size(); ++i) {
    all += (i ? "," : "") + cols[i];
    marks += i ? ",?" : "?";
    if (i < nkey) {
      where += (i ? " AND " : "") + cols[i] + "=?";
    } else {
      set += (set.empty() ? "" : ",") + cols[i] + "=?";
    }
  }
  auto table_rows = stored_.find(table);
  if (table_rows == stored_.end()) {
    auto rows = query("SELECT " + all + " FROM " + table, {});
    if (!rows.ok()) return rows.status();
    std::map<Row, Row> by_key;
    for (Row& r : *rows)
      by_key.emplace(Row(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(nkey)), std::move(r));
    table_rows = stored_.emplace(table, std::move(by_key)).first;
  }
  Row key(vals.begin(), vals.begin() + static_cast<std::ptrdiff_t>(nkey));
  Row rest(vals.begin() + static_cast<std::ptrdiff_t>(nkey), vals.end());
  auto old = table_rows->second.find(key);
  if (old == table_rows->second.end()) {
    ECOMON_RETURN_IF_ERROR(run("INSERT INTO " + table + "(" + all + ") VALUES(" + marks + ")", vals));
    table_rows->second.emplace(key, vals);
    return Upsert::kNew;
  }
  if (old->second == vals) return Upsert::kSame;
  Row params = rest;
  params.insert(params.end(), key.begin(), key.end());
  ECOMON_RETURN_IF_ERROR(run("UPDATE " + table + " SET " + set + " WHERE " + where, params));
  old->second = vals;
  return Upsert::kChanged;
}

Status SqlLedgerStore::Impl::history(const std::string& task, const std::string& action,
                                     const std::string& detail, const WriteStamp& c) {
  return run("INSERT INTO ld_history(task, action, detail, user, role, operator, at) VALUES(?,?,?,?,?,?,?)",
             {task, action, detail, c.user, c.role, c.operator_name, c.at});
}

SqlLedgerStore::SqlLedgerStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqlLedgerStore::~SqlLedgerStore() = default;

SqliteLedgerStore::SqliteLedgerStore(sqlite::Db& db)
    : SqlLedgerStore(std::make_unique<SqlLedgerImpl<SqliteSql>>(db)) {}

static WriteStamp make_change(const Who& who) {
  return WriteStamp{who.actor.user, std::string(role_name(who.actor.role)),
                    who.name.empty() ? who.actor.user : who.name, who.at.empty() ? now_utc() : who.at};
}

StatusOr<LedgerImportResult> SqlLedgerStore::import_data(const LedgerData& data, const Who& who) {
  ECOMON_RETURN_IF_ERROR(check_import(who.actor));
  LedgerImportResult r;
  Impl& m = *impl_;
  auto count = [](Impl::Upsert u, int32_t& n, int32_t& c, int32_t& s) {
    (u == Impl::Upsert::kNew ? n : u == Impl::Upsert::kChanged ? c : s) += 1;
  };
  Status st = m.transaction([&]() -> Status {
    m.forget_rows();  // read anew in this transaction
    for (const Plan& p : data.plans) {
      auto u =
          m.upsert("ld_plan", {"id", "title", "document", "issued", "year", "seed", "note"}, 1,
                   {p.id, p.title, p.document, day_text(p.issued), std::to_string(p.year), p.seed, p.note});
      if (!u.ok()) return u.status();
      count(*u, r.plans_new, r.plans_changed, r.plans_same);
    }
    std::map<std::string, int32_t> category_ordinal;
    std::map<std::string, std::set<std::string>> listed;
    for (size_t i = 0; i < data.tasks.size(); ++i) {
      const Task& t = data.tasks[i];
      std::string key = t.plan + "\n" + t.category;
      if (!category_ordinal.count(key)) {
        int32_t n = static_cast<int32_t>(category_ordinal.size());
        category_ordinal[key] = n;
        auto u =
            m.upsert("ld_category", {"plan", "name", "ordinal"}, 2, {t.plan, t.category, std::to_string(n)});
        if (!u.ok()) return u.status();
      }
      std::vector<std::string> qs;
      for (const Quantity& q : t.quantities) qs.push_back(quantity_text(q));
      const std::optional<Deadline>& d = t.deadline;
      std::string id = task_id(t);
      listed[t.plan].insert(id);
      auto u = m.upsert(
          "ld_task",
          {"id", "plan", "no", "ordinal", "category", "key_work", "title", "text", "lead_units",
           "responsible_units", "deadline_text", "deadline_kind", "start", "due", "quantities", "remark",
           "note", "source"},
          1,
          {id, t.plan, t.no, std::to_string(i), t.category, t.key_work, t.title, t.text, join(t.lead_units),
           join(t.responsible_units), t.deadline_text, d ? std::string(deadline_kind_name(d->kind)) : "",
           d ? day_text(d->start) : "", d ? day_text(d->due) : "", join(qs), t.remark, t.note, t.source});
      if (!u.ok()) return u.status();
      count(*u, r.tasks_new, r.tasks_changed, r.tasks_same);
    }
    for (const auto& [plan, ids] : listed) {
      auto stored = m.query("SELECT id FROM ld_task WHERE plan=?", {plan});
      if (!stored.ok()) return stored.status();
      for (const Row& row : *stored) r.tasks_not_in_files += ids.count(row[0]) ? 0 : 1;
    }
    for (const Target& t : data.targets) {
      auto u = m.upsert("ld_target",
                        {"plan", "indicator", "scope", "period_text", "label", "comparison", "value", "unit",
                         "first", "last", "owner", "note", "source"},
                        5,
                        {t.plan, std::string(indicator_name(t.indicator)), t.scope, t.period_text, t.label,
                         comparison_symbol(t.bound), t.value ? t.value->to_string() : "", t.unit,
                         t.period.first.to_string(), t.period.last.to_string(), t.owner, t.note, t.source});
      if (!u.ok()) return u.status();
      count(*u, r.targets_new, r.targets_changed, r.targets_same);
    }
    if (!r.changed()) return Status();
    std::string detail = std::to_string(r.plans_new) + " plans new, " + std::to_string(r.plans_changed) +
                         " changed; " + std::to_string(r.tasks_new) + " tasks new, " +
                         std::to_string(r.tasks_changed) + " changed; " + std::to_string(r.targets_new) +
                         " targets new, " + std::to_string(r.targets_changed) + " changed";
    return m.history("", "import", detail, make_change(who));
  });
  if (!st.ok()) return st;
  return r;
}

StatusOr<std::vector<Plan>> SqlLedgerStore::plans() {
  auto rows =
      impl_->query("SELECT id, title, document, issued, year, seed, note FROM ld_plan ORDER BY id", {});
  if (!rows.ok()) return rows.status();
  std::vector<Plan> out;
  for (const Row& r : *rows)
    out.push_back(Plan{r[0], r[1], r[2], parse_day(r[3]), std::stoi(r[4]), r[5], r[6]});
  return out;
}

StatusOr<std::vector<Target>> SqlLedgerStore::targets() {
  auto rows = impl_->query(
      "SELECT plan, indicator, label, scope, comparison, value, unit, period_text, first, last, owner, note, "
      "source "
      "FROM ld_target ORDER BY plan, rowid",
      {});
  if (!rows.ok()) return rows.status();
  std::vector<Target> out;
  for (const Row& r : *rows) {
    Target t;
    t.plan = r[0];
    auto ind = indicator_from_name(r[1]);
    auto first = parse_day(r[8]), last = parse_day(r[9]);
    if (!ind || !first || !last) return data_loss("ledger store: bad target row of plan " + r[0]);
    t.indicator = *ind;
    t.label = r[2];
    t.scope = r[3];
    t.bound = r[4] == ">="   ? Bound::kAtLeast
              : r[4] == "<=" ? Bound::kAtMost
              : r[4] == ">"  ? Bound::kMoreThan
              : r[4] == "<"  ? Bound::kLessThan
                             : Bound::kExactly;
    if (!r[5].empty()) {
      auto q = parse_quantity(r[5] + " 个");
      if (q.ok()) t.value = q->value;
    }
    t.unit = r[6];
    t.period_text = r[7];
    t.period = DayRange{*first, *last};
    t.owner = r[10];
    t.note = r[11];
    t.source = r[12];
    out.push_back(std::move(t));
  }
  return out;
}

StatusOr<std::vector<TaskRecord>> SqlLedgerStore::Impl::load(const std::string* only) {
  std::string filter = only ? " WHERE t.id=?" : "";
  Row params = only ? Row{*only} : Row{};
  auto rows = query(
      "SELECT t.id, t.plan, t.no, t.category, t.key_work, t.title, t.text, t.lead_units, "
      "t.responsible_units, "
      "t.deadline_text, t.quantities, t.remark, t.note, t.source, p.year, p.issued FROM ld_task t JOIN "
      "ld_plan p "
      "ON p.id = t.plan" +
          filter + " ORDER BY t.plan, t.ordinal",
      params);
  if (!rows.ok()) return rows.status();
  std::vector<TaskRecord> out;
  std::map<std::string, size_t> index;
  for (const Row& r : *rows) {
    TaskRecord rec;
    rec.id = r[0];
    Task& t = rec.task;
    t.plan = r[1];
    t.no = r[2];
    t.category = r[3];
    t.key_work = r[4];
    t.title = r[5];
    t.text = r[6];
    t.lead_units = split(r[7]);
    t.responsible_units = split(r[8]);
    t.deadline_text = r[9];
    if (!t.deadline_text.empty()) {
      auto d = parse_deadline(t.deadline_text, std::stoi(r[14]));
      if (!d.ok()) return data_loss("ledger store: task " + rec.id + ": " + d.status().message());
      t.deadline = *d;
    }
    for (const std::string& q : split(r[10])) {
      auto parsed = parse_quantity(q);
      if (!parsed.ok()) return data_loss("ledger store: task " + rec.id + ": " + parsed.status().message());
      t.quantities.push_back(*parsed);
    }
    t.remark = r[11];
    t.note = r[12];
    t.source = r[13];
    rec.plan_issued = parse_day(r[15]);
    index[rec.id] = out.size();
    out.push_back(std::move(rec));
  }
  std::string tf = only ? " WHERE task=?" : "";
  auto at = [&](const std::string& id) -> TaskRecord* {
    auto it = index.find(id);
    return it == index.end() ? nullptr : &out[it->second];
  };
  auto sts = query("SELECT task, day, from_status, to_status, note, user, role, operator, at FROM ld_status" +
                       tf + " ORDER BY id",
                   params);
  if (!sts.ok()) return sts.status();
  for (const Row& r : *sts) {
    TaskRecord* rec = at(r[0]);
    auto d = parse_day(r[1]);
    auto from = parse_task_status(r[2]), to = parse_task_status(r[3]);
    if (!rec || !d || !from || !to) continue;
    rec->status_changes.push_back({*d, *from, *to, r[4], change_of(r, 5)});
  }
  auto prog =
      query("SELECT task, quantity, day, amount, county, note, user, role, operator, at FROM ld_progress" +
                tf + " ORDER BY id",
            params);
  if (!prog.ok()) return prog.status();
  for (const Row& r : *prog) {
    TaskRecord* rec = at(r[0]);
    auto d = parse_day(r[2]);
    auto amount = parse_quantity(r[3] + " 个");
    if (!rec || !d || !amount.ok()) continue;
    rec->progress.push_back({std::stoi(r[1]), *d, amount->value, r[4], r[5], change_of(r, 6)});
  }
  auto probs = query(
      "SELECT task, id, problem, responsibility, measure, deadline_text, due, county, user, role, "
      "operator, at FROM ld_problem" +
          tf + " ORDER BY id",
      params);
  if (!probs.ok()) return probs.status();
  for (const Row& r : *probs) {
    if (TaskRecord* rec = at(r[0]))
      rec->problems.push_back(
          {std::stoll(r[1]), r[2], r[3], r[4], r[5], parse_day(r[6]), r[7], change_of(r, 8)});
  }
  auto ev = query(
      "SELECT task, id, note, file_name, size, sha256, county, user, role, operator, at FROM ld_evidence" +
          tf + " ORDER BY id",
      params);
  if (!ev.ok()) return ev.status();
  for (const Row& r : *ev) {
    if (TaskRecord* rec = at(r[0]))
      rec->evidence.push_back({std::stoll(r[1]), r[2], r[3], std::stoll(r[4]), r[5], r[6], change_of(r, 7)});
  }
  return out;
}

StatusOr<std::vector<TaskRecord>> SqlLedgerStore::records() { return impl_->load(nullptr); }

StatusOr<TaskRecord> SqlLedgerStore::record(const std::string& id) {
  auto r = impl_->load(&id);
  if (!r.ok()) return r.status();
  if (r->empty()) return not_found("no task '" + id + "' in the ledger (ids are plan/no, e.g. air-2021/14)");
  return std::move((*r)[0]);
}

Status SqlLedgerStore::change_status(const std::string& id, TaskStatus to, CivilDay day,
                                     const std::string& note, const Who& who) {
  ECOMON_RETURN_IF_ERROR(check_text("note", note));
  return impl_->transaction([&]() -> Status {
    auto rec = record(id);
    if (!rec.ok()) return rec.status();
    ECOMON_RETURN_IF_ERROR(check_task_write(
        who.actor, rec->task, id, to == TaskStatus::kClosed ? TaskWrite::kClose : TaskWrite::kStatus));
    TaskStatus from = rec->status_changes.empty() ? TaskStatus::kNotStarted : rec->status_changes.back().to;
    ECOMON_RETURN_IF_ERROR(check_transition(from, to).with_context("task " + id));
    if (!rec->status_changes.empty() && day < rec->status_changes.back().day)
      return failed_precondition("task " + id + ": the change takes effect " + day.to_string() +
                                 ", before the last change (" + rec->status_changes.back().day.to_string() +
                                 ")");
    if (to == TaskStatus::kClosed && rec->evidence.empty())
      return failed_precondition("task " + id +
                                 ": 销号 needs at least one evidence record (ecomon ledger evidence add)");
    WriteStamp c = make_change(who);
    ECOMON_RETURN_IF_ERROR(
        impl_->run("INSERT INTO ld_status(task, day, from_status, to_status, note, user, role, operator, at) "
                   "VALUES(?,?,?,?,?,?,?,?,?)",
                   {id, day.to_string(), std::string(task_status_code(from)),
                    std::string(task_status_code(to)), note, c.user, c.role, c.operator_name, c.at}));
    ECOMON_RETURN_IF_ERROR(
        impl_->run("UPDATE ld_task SET status=? WHERE id=?", {std::string(task_status_code(to)), id}));
    return impl_->history(id, "status",
                          day.to_string() + " " + std::string(task_status_chinese(from)) + " → " +
                              std::string(task_status_chinese(to)) + (note.empty() ? "" : ": " + note),
                          c);
  });
}

Status SqlLedgerStore::add_progress(const std::string& id, const std::string& label,
                                    const std::string& amount, CivilDay day, const std::string& note,
                                    const Who& who) {
  ECOMON_RETURN_IF_ERROR(check_text("note", note));
  return impl_->transaction([&]() -> Status {
    auto rec = record(id);
    if (!rec.ok()) return rec.status();
    ECOMON_RETURN_IF_ERROR(check_task_write(who.actor, rec->task, id, TaskWrite::kProgress));
    auto a = check_progress(rec->task, label, amount);
    if (!a.ok()) return a.status();
    WriteStamp c = make_change(who);
    std::string county = report_county(who.actor);
    const Quantity& q = rec->task.quantities[static_cast<size_t>(a->quantity)];
    ECOMON_RETURN_IF_ERROR(impl_->run(
        "INSERT INTO ld_progress(task, quantity, day, amount, county, note, user, role, operator, at) "
        "VALUES(?,?,?,?,?,?,?,?,?,?)",
        {id, std::to_string(a->quantity), day.to_string(), a->amount.to_string(), county, note, c.user,
         c.role, c.operator_name, c.at}));
    return impl_->history(id, "progress",
                          day.to_string() + " " + a->amount.to_string() + " " + q.unit + " of " +
                              quantity_text(q) + (county.empty() ? "" : " (" + county + ")") +
                              (note.empty() ? "" : ": " + note),
                          c);
  });
}

StatusOr<int64_t> SqlLedgerStore::add_problem(const std::string& id, const ProblemInput& p, const Who& who) {
  for (const auto& [field, text] :
       {std::pair{"problem", &p.problem}, std::pair{"responsibility", &p.responsibility},
        std::pair{"measure", &p.measure}, std::pair{"deadline", &p.deadline_text}}) {
    if (text->empty())
      return invalid_argument(std::string(field) +
                              ": empty (a 五张清单 row needs problem, "
                              "responsibility, measure and deadline)");
    ECOMON_RETURN_IF_ERROR(check_text(field, *text));
  }
  int64_t new_id = 0;
  Status s = impl_->transaction([&]() -> Status {
    auto rec = record(id);
    if (!rec.ok()) return rec.status();
    ECOMON_RETURN_IF_ERROR(check_task_write(who.actor, rec->task, id, TaskWrite::kProblem));
    auto plan_year = impl_->query("SELECT year FROM ld_plan WHERE id=?", {rec->task.plan});
    if (!plan_year.ok()) return plan_year.status();
    auto d = parse_deadline(p.deadline_text, plan_year->empty() ? 0 : std::stoi((*plan_year)[0][0]));
    if (!d.ok()) return d.status().with_context("deadline");
    WriteStamp c = make_change(who);
    std::string county = report_county(who.actor);
    ECOMON_RETURN_IF_ERROR(
        impl_->run("INSERT INTO ld_problem(task, problem, responsibility, measure, deadline_text, due, "
                   "county, user, role, "
                   "operator, at) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                   {id, p.problem, p.responsibility, p.measure, p.deadline_text, day_text(d->due), county,
                    c.user, c.role, c.operator_name, c.at}));
    new_id = impl_->last_insert_rowid();
    return impl_->history(id, "problem", "#" + std::to_string(new_id) + " " + p.problem, c);
  });
  if (!s.ok()) return s;
  return new_id;
}

StatusOr<int64_t> SqlLedgerStore::add_evidence(const std::string& id, const EvidenceInput& e,
                                               const Who& who) {
  if (e.note.empty() && e.file_name.empty()) return invalid_argument("evidence: give a note, a file or both");
  ECOMON_RETURN_IF_ERROR(check_text("note", e.note));
  ECOMON_RETURN_IF_ERROR(check_text("file name", e.file_name, kMaxFileName));
  if (!e.file_name.empty() && (e.sha256.size() != crypto_hash_sha256_BYTES * 2 || e.size < 0))
    return invalid_argument("evidence: an attachment needs its size and a 64-digit SHA-256");
  int64_t new_id = 0;
  Status s = impl_->transaction([&]() -> Status {
    auto rec = record(id);
    if (!rec.ok()) return rec.status();
    ECOMON_RETURN_IF_ERROR(check_task_write(who.actor, rec->task, id, TaskWrite::kEvidence));
    WriteStamp c = make_change(who);
    std::string county = report_county(who.actor);
    ECOMON_RETURN_IF_ERROR(impl_->run(
        "INSERT INTO ld_evidence(task, note, file_name, size, sha256, county, user, role, operator, at) "
        "VALUES(?,?,?,?,?,?,?,?,?,?)",
        {id, e.note, e.file_name, std::to_string(e.size), e.sha256, county, c.user, c.role, c.operator_name,
         c.at}));
    new_id = impl_->last_insert_rowid();
    std::string what = e.file_name.empty() ? e.note : e.file_name + " (" + std::to_string(e.size) + " bytes)";
    return impl_->history(id, "evidence", "#" + std::to_string(new_id) + " " + what, c);
  });
  if (!s.ok()) return s;
  return new_id;
}

StatusOr<std::vector<HistoryEntry>> SqlLedgerStore::history(const std::string& id) {
  auto rows = impl_->query("SELECT task, action, detail, user, role, operator, at FROM ld_history" +
                               std::string(id.empty() ? "" : " WHERE task=?") + " ORDER BY id",
                           id.empty() ? Row{} : Row{id});
  if (!rows.ok()) return rows.status();
  std::vector<HistoryEntry> out;
  for (const Row& r : *rows) out.push_back({r[0], r[1], r[2], change_of(r, 3)});
  return out;
}

}  // namespace ecomon
