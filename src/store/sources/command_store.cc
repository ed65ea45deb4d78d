#include "store/sources/command_store.h"

#include <charconv>

#include "ingest/hj212/encoder.h"
#include "store/sources/sql_db.h"
#include "store/sqlite_store.h"

namespace ecomon {
namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS source_command(id INTEGER PRIMARY KEY AUTOINCREMENT, mn TEXT NOT NULL,
  name TEXT NOT NULL, cn INTEGER NOT NULL, argument TEXT NOT NULL, state TEXT NOT NULL, qn TEXT NOT NULL,
  attempts INTEGER NOT NULL, created_ms INTEGER NOT NULL, sent_ms INTEGER NOT NULL, finished_ms INTEGER NOT NULL,
  created_by TEXT NOT NULL, qn_rtn INTEGER NOT NULL, exe_rtn INTEGER NOT NULL, result TEXT NOT NULL,
  detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS source_command_mn ON source_command(mn, id);
CREATE INDEX IF NOT EXISTS source_command_state ON source_command(state, id);
)SQL";

constexpr const char* kColumns =
    "id, mn, name, cn, argument, state, qn, attempts, created_ms, sent_ms, finished_ms, created_by, qn_rtn, "
    "exe_rtn, result, detail";
constexpr std::string_view kProbeQn = "20000101000000000";  // a valid QN to check a command by encoding it

struct Spec {
  const char* name;
  uint16_t cn;
  size_t args;
  const char* usage;
};
constexpr Spec kSpecs[] = {
    {"set-time", hj212::kCnSetTime, 0, "set-time"},
    {"get-time", hj212::kCnGetTime, 0, "get-time"},
    {"set-interval", hj212::kCnSetRtdInterval, 1, "set-interval SECONDS"},
    {"get-interval", hj212::kCnGetRtdInterval, 0, "get-interval"},
    {"set-min-interval", hj212::kCnSetMinInterval, 1, "set-min-interval MINUTES"},
    {"get-min-interval", hj212::kCnGetMinInterval, 0, "get-min-interval"},
    {"get-info", hj212::kCnDeviceInfo, 2, "get-info POLID INFOID"},
};

const Spec* spec_of(std::string_view name) {
  for (const Spec& s : kSpecs) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

StatusOr<int> whole_number(const std::string& name, const std::string& text) {
  int v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) {
    return invalid_argument("'" + text + "' is not a whole number of " + name);
  }
  return v;
}

int64_t to_int(const std::string& s) { return s.empty() ? 0 : std::stoll(s); }

SourceCommand command_of_row(const SqlRow& r) {
  SourceCommand c;
  c.id = to_int(r[0]);
  c.mn = r[1];
  c.name = r[2];
  c.cn = static_cast<int>(to_int(r[3]));
  c.argument = r[4];
  c.state = r[5];
  c.qn = r[6];
  c.attempts = static_cast<int>(to_int(r[7]));
  c.created_ms = to_int(r[8]);
  c.sent_ms = to_int(r[9]);
  c.finished_ms = to_int(r[10]);
  c.created_by = r[11];
  c.qn_rtn = static_cast<int>(to_int(r[12]));
  c.exe_rtn = static_cast<int>(to_int(r[13]));
  c.result = r[14];
  c.detail = r[15];
  return c;
}

}  // namespace

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const Spec& s : kSpecs) v.push_back(s.name);
    return v;
  }();
  return names;
}

StatusOr<std::string> encode_command(const SourceCommand& c, std::string_view qn, std::string_view st,
                                     std::string_view pw, const hj212::Timestamp& now) {
  const hj212::CommandTarget t{.qn = qn, .st = st, .pw = pw, .mn = c.mn};
  switch (c.cn) {
    case hj212::kCnSetTime:
      return hj212::encode_set_time(t, now);
    case hj212::kCnGetTime:
      return hj212::encode_get_time(t);
    case hj212::kCnSetRtdInterval: {
      auto n = whole_number("seconds", c.argument);
      if (!n.ok()) return n.status();
      return hj212::encode_set_rtd_interval(t, *n);
    }
    case hj212::kCnGetRtdInterval:
      return hj212::encode_get_rtd_interval(t);
    case hj212::kCnSetMinInterval: {
      auto n = whole_number("minutes", c.argument);
      if (!n.ok()) return n.status();
      return hj212::encode_set_min_interval(t, *n);
    }
    case hj212::kCnGetMinInterval:
      return hj212::encode_get_min_interval(t);
    case hj212::kCnDeviceInfo: {
      const size_t comma = c.argument.find(',');
      if (comma == std::string::npos) return invalid_argument("get-info: needs POLID and INFOID");
      return hj212::encode_get_device_info(t, std::string_view(c.argument).substr(0, comma),
                                           std::string_view(c.argument).substr(comma + 1));
    }
    default:
      return invalid_argument("command CN " + std::to_string(c.cn) + " is not sent by the platform");
  }
}

StatusOr<SourceCommand> command_of(const CommandRequest& r) {
  const Spec* spec = spec_of(r.name);
  if (!spec) {
    std::string known;
    for (const std::string& n : command_names()) known += (known.empty() ? "" : ", ") + n;
    return invalid_argument("unknown command '" + r.name + "' (one of " + known + ")");
  }
  if (r.args.size() != spec->args) {
    return invalid_argument(std::string(spec->name) + " takes " + std::to_string(spec->args) +
                            " argument(s), got " + std::to_string(r.args.size()) + ": " + spec->usage);
  }
  if (r.mn.empty()) return invalid_argument("no device MN given");
  SourceCommand c;
  c.mn = r.mn;
  c.name = spec->name;
  c.cn = spec->cn;
  for (size_t i = 0; i < r.args.size(); ++i) {
    if (r.args[i].find(',') != std::string::npos) {
      return invalid_argument(std::string(spec->name) + ": '" + r.args[i] + "' must not contain ','");
    }
    c.argument += (i ? "," : "") + r.args[i];
  }
  // The encoder's own checks (ranges, characters the frame cannot carry) decide: one rule, not two.
  auto frame = encode_command(c, kProbeQn, "31", "000000", hj212::Timestamp{});
  if (!frame.ok()) return invalid_argument(std::string(spec->name) + ": " + frame.status().message());
  return c;
}

SourceCommandStore::SourceCommandStore(std::unique_ptr<SqlDb> db) : db_(std::move(db)) {}
SourceCommandStore::~SourceCommandStore() = default;

StatusOr<std::unique_ptr<SourceCommandStore>> SourceCommandStore::open(const std::string& path) {
  {
    auto main = SqliteStore::open(path);  // source_device is the main store's table
    if (!main.ok()) return main.status();
  }
  auto db = SqlDb::open(path, kSchema);
  if (!db.ok()) return db.status();
  return std::unique_ptr<SourceCommandStore>(new SourceCommandStore(std::move(*db)));
}

StatusOr<SourceCommand> SourceCommandStore::enqueue(const CommandRequest& r, const Actor& who,
                                                    int64_t now_ms) {
  if (!who.is_bureau()) {
    return permission_denied("only the bureau (admin, analyst) may send commands to devices; " + who.user +
                             " is " + std::string(role_name(who.role)));
  }
  auto c = command_of(r);
  if (!c.ok()) return c.status();
  auto known = db_->query("SELECT 1 FROM source_device WHERE mn = ?1", {r.mn});
  if (!known.ok()) return known.status();
  if (known->empty()) return not_found("device " + r.mn + " is not registered");
  c->created_ms = now_ms;
  c->created_by = who.user;
  ECOMON_RETURN_IF_ERROR(db_->run(
      "INSERT INTO source_command(mn, name, cn, argument, state, qn, attempts, created_ms, sent_ms, "
      "finished_ms, "
      "created_by, qn_rtn, exe_rtn, result, detail) VALUES(?1, ?2, ?3, ?4, ?5, '', 0, ?6, 0, 0, ?7, 0, 0, "
      "'', '')",
      {c->mn, c->name, std::to_string(c->cn), c->argument, c->state, std::to_string(now_ms), c->created_by}));
  c->id = db_->last_insert_id();
  return c;
}

StatusOr<std::vector<SourceCommand>> SourceCommandStore::commands(const std::string& mn, int64_t limit) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM source_command";
  std::vector<SqlParam> params;
  if (!mn.empty()) {
    sql += " WHERE mn = ?1";
    params.push_back(mn);
  }
  sql += " ORDER BY id DESC LIMIT " + std::to_string(limit);
  auto rows = db_->query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<SourceCommand> out;
  for (const SqlRow& r : *rows) out.push_back(command_of_row(r));
  return out;
}

StatusOr<SourceCommand> SourceCommandStore::command(int64_t id) {
  auto rows = db_->query(std::string("SELECT ") + kColumns + " FROM source_command WHERE id = ?1",
                         {std::to_string(id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return not_found("no command " + std::to_string(id));
  return command_of_row(rows->front());
}

StatusOr<std::vector<SourceCommand>> SourceCommandStore::pending() {
  auto rows = db_->query(std::string("SELECT ") + kColumns +
                             " FROM source_command WHERE state IN ('queued', 'sent', 'accepted') ORDER BY id",
                         {});
  if (!rows.ok()) return rows.status();
  std::vector<SourceCommand> out;
  for (const SqlRow& r : *rows) out.push_back(command_of_row(r));
  return out;
}

Status SourceCommandStore::update(const SourceCommand& c) {
  return db_->run(
      "UPDATE source_command SET state = ?2, qn = ?3, attempts = ?4, sent_ms = ?5, finished_ms = ?6, qn_rtn "
      "= ?7, "
      "exe_rtn = ?8, result = ?9, detail = ?10 WHERE id = ?1",
      {std::to_string(c.id), c.state, c.qn, std::to_string(c.attempts), std::to_string(c.sent_ms),
       std::to_string(c.finished_ms), std::to_string(c.qn_rtn), std::to_string(c.exe_rtn), c.result,
       c.detail});
}

}  // namespace ecomon
