#include "store/emergency/compliance_data.h"

#include <nlohmann/json.hpp>

#include "emergency/emergency_format.h"
#include "ingest/hj212/codec.h"
#include "ingest/hj212/encoder.h"
#include "store/emergency/emergency_store.h"
#include "store/sources/registry_store.h"
#include "store/sources/stored_record.h"
#include "store/sqlite_store.h"

namespace ecomon {
namespace {

constexpr int kHourlyCn = 2061;
constexpr int64_t kMaxRecordsPerDevice = 1'000'000;

std::string civil_minute(sources::SourceTime t) { return t.to_string().substr(0, 16); }  // "YYYY-MM-DD hh:mm"

// The last warning episode in the history: from its declaration to its lift (or still in force: `to` empty),
// and the highest level it reached.
struct Episode {
  emergency::WarningLevel level = emergency::WarningLevel::kNone;
  std::string from, to;
};
std::optional<Episode> last_episode(const std::vector<emergency::WarningEvent>& h) {
  std::optional<Episode> ep;
  for (const emergency::WarningEvent& e : h) {
    if (e.action == emergency::WarningAction::kDeclare) ep = Episode{e.level, e.effective_from, ""};
    if (!ep) continue;
    if (e.action == emergency::WarningAction::kLift) {
      ep->to = e.effective_from;
    } else if (e.level > ep->level) {
      ep->level = e.level;
    }
  }
  return ep;
}

StatusOr<sources::SourceTime> parse_time(const std::string& what, const std::string& text) {
  auto t = sources::SourceTime::parse(text);
  if (!t.ok()) return invalid_argument(what + " '" + text + "' is not YYYY-MM-DD hh:mm");
  return *t;
}

}  // namespace

StatusOr<CompliancePeriod> resolve_compliance_period(const std::vector<emergency::WarningEvent>& history,
                                                     const ComplianceQuery& q) {
  const std::optional<Episode> ep = last_episode(history);
  std::string from = q.from, to = q.to;
  emergency::WarningLevel level = ep ? ep->level : emergency::WarningLevel::kNone;
  if (from.empty() && ep) from = ep->from;
  if (to.empty() && ep && q.from.empty()) to = ep->to;
  if (!q.level.empty()) {
    std::optional<emergency::WarningLevel> l = emergency::parse_level(q.level);
    if (!l || *l == emergency::WarningLevel::kNone)
      return invalid_argument("level '" + q.level + "' is not yellow, orange or red");
    level = *l;
  }
  if (level == emergency::WarningLevel::kNone || from.empty() || to.empty())
    return failed_precondition("no finished warning in the history: give level, from and to");
  auto wf = parse_time("from", from), wt = parse_time("to", to);
  if (!wf.ok()) return wf.status();
  if (!wt.ok()) return wt.status();
  if (!(*wf < *wt)) return invalid_argument("the warning period " + from + " .. " + to + " is empty");
  CompliancePeriod p{level, {*wf, *wt}, {}};
  auto bt =
      q.baseline_to.empty() ? StatusOr<sources::SourceTime>(*wf) : parse_time("baseline_to", q.baseline_to);
  if (!bt.ok()) return bt.status();
  auto bf = q.baseline_from.empty() ? StatusOr<sources::SourceTime>(*bt - (*wt - *wf))
                                    : parse_time("baseline_from", q.baseline_from);
  if (!bf.ok()) return bf.status();
  if (!(*bf < *bt)) return invalid_argument("the baseline period is empty");
  p.baseline = {*bf, *bt};
  return p;
}

int flagged_count(const ComplianceReport& r) {
  int flagged = 0;
  for (const emergency::ComplianceResult& x : r.results)
    flagged += x.verdict == emergency::Verdict::kNotCutting || x.verdict == emergency::Verdict::kInspectedNot;
  return flagged;
}

nlohmann::json compliance_json(const CompliancePeriod& p, const ComplianceReport& r) {
  return {{"level", emergency::level_name(p.level)},
          {"warning", {{"from", p.warning.begin.to_string()}, {"to", p.warning.end.to_string()}}},
          {"baseline", {{"from", p.baseline.begin.to_string()}, {"to", p.baseline.end.to_string()}}},
          {"records", r.records},
          {"undecodable", r.undecodable},
          {"problems", r.problems},
          {"flagged", flagged_count(r)},
          {"enterprises", emergency::to_json(r.results)}};
}

StatusOr<ComplianceReport> list_compliance(const std::string& db_path, const CompliancePeriod& period,
                                           const emergency::ComplianceParams& params) {
  if (period.level == emergency::WarningLevel::kNone) return invalid_argument("compliance: no warning level");
  if (!(period.warning.begin < period.warning.end) || !(period.baseline.begin < period.baseline.end))
    return invalid_argument("compliance: a period is empty");
  auto es = EmergencyStore::open(db_path);
  if (!es.ok()) return es.status();
  auto list = (*es)->load_list();
  if (!list.ok()) return list.status();
  auto inspections = (*es)->inspections();
  if (!inspections.ok()) return inspections.status();
  auto rs = SourceRegistryStore::open(db_path);
  if (!rs.ok()) return rs.status();
  auto reg = (*rs)->load();
  if (!reg.ok()) return reg.status();
  auto st = SqliteStore::open(db_path);
  if (!st.ok()) return st.status();

  ComplianceReport out;
  auto read = [&](const sources::Device& d, const sources::TimeSpan& span,
                  std::vector<sources::MonitoringRecord>& into) -> Status {
    auto recs = (*st)->source_records(d.mn, kHourlyCn, span.begin.to_digits(), (span.end - 1).to_digits(),
                                      kMaxRecordsPerDevice);
    if (!recs.ok()) return recs.status();
    for (const SourceRecord& r : *recs) {
      ++out.records;
      auto m = monitoring_record(r, d.password);
      if (m.ok()) {
        into.push_back(std::move(*m));
      } else {
        ++out.undecodable;
      }
    }
    return Status::ok_status();
  };
  for (const emergency::Enterprise& e : list->enterprises) {
    std::vector<emergency::DeviceSeries> series;
    if (!e.source_enterprise.empty()) {
      if (!reg->registry.find_enterprise(e.source_enterprise)) {
        out.problems.push_back(e.id + ": source enterprise " + e.source_enterprise +
                               " is not in the source registry");
      }
      for (const sources::Outlet* o : reg->registry.outlets_of(e.source_enterprise)) {
        if (o->kind != sources::OutletKind::kGas) continue;
        for (const sources::Device* d : reg->registry.devices_of(o->id)) {
          emergency::DeviceSeries s{.mn = d->mn};
          ECOMON_RETURN_IF_ERROR(read(*d, period.baseline, s.baseline));
          ECOMON_RETURN_IF_ERROR(read(*d, period.warning, s.warning));
          series.push_back(std::move(s));
        }
      }
    }
    out.results.push_back(emergency::check_compliance(e, period.level, series, *inspections,
                                                      civil_minute(period.warning.begin),
                                                      civil_minute(period.warning.end), params));
  }
  return out;
}

}  // namespace ecomon
