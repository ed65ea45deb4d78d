#include "app/emergency.h"

namespace ecomon::app {
namespace {

namespace em = emergency;

// Staff read the emergency data: the bureau and county users.
Status may_read(const Actor& who) {
  if (who.is_bureau() || who.role == Role::kCounty) return Status();
  return permission_denied("the emergency data are for the bureau's and the counties' staff");
}

}  // namespace

StatusOr<std::string> county_cut(const Actor& who, const std::string& county) {
  if (who.role != Role::kCounty) return county;
  if (!county.empty() && county != who.county)
    return permission_denied("county " + county + " is not yours to see");
  return who.county;
}

StatusOr<em::ReductionList> emergency_list(Stores& stores, const Actor& who) {
  ECOMON_RETURN_IF_ERROR(may_read(who));
  return stores.emergency().load_list();
}

StatusOr<ListImportCounts> write_emergency_list(Stores& stores, const Actor& who,
                                                const std::vector<em::Enterprise>& entries,
                                                const std::vector<em::Inspection>& inspections) {
  for (const em::Enterprise& e : entries)
    if (!who.may_write_county(e.county))
      return permission_denied("user '" + who.user + "' may not change entries of " + e.county);
  if (!inspections.empty()) {
    auto stored = stores.emergency().load_list();
    if (!stored.ok()) return stored.status();
    for (const em::Inspection& in : inspections) {
      const em::Enterprise* e = stored->find(in.enterprise);
      for (const em::Enterprise& x : entries)
        if (x.id == in.enterprise) e = &x;
      if (!e) return not_found("'" + in.enterprise + "' is not on the list");
      if (!who.may_write_county(e->county))
        return permission_denied("user '" + who.user + "' may not record inspections in " + e->county);
    }
  }
  return stores.emergency().write_list(entries, inspections);
}

StatusOr<std::vector<em::WarningEvent>> warnings_history(Stores& stores, const Actor& who) {
  ECOMON_RETURN_IF_ERROR(may_read(who));
  return stores.emergency().warnings();
}

StatusOr<em::WarningEvent> declare_warning(Stores& stores, const Actor& who, em::WarningLevel level,
                                           const std::string& effective_from, const std::string& reason) {
  if (reason.size() > kMaxWarningReasonBytes) return invalid_argument("reason is longer than 500 bytes");
  return stores.emergency().append_warning([&](const std::vector<em::WarningEvent>& h) {
    return em::declaration(h, level, effective_from, who, reason);
  });
}

StatusOr<em::WarningEvent> lift_warning(Stores& stores, const Actor& who, const std::string& effective_from,
                                        const std::string& reason) {
  if (reason.size() > kMaxWarningReasonBytes) return invalid_argument("reason is longer than 500 bytes");
  return stores.emergency().append_warning(
      [&](const std::vector<em::WarningEvent>& h) { return em::lifting(h, effective_from, who, reason); });
}

StatusOr<WarningAdvice> warning_advice(Stores& stores, const Actor& who,
                                       const std::vector<em::ForecastDay>& forecast,
                                       const em::WarningRules& rules) {
  auto h = warnings_history(stores, who);
  if (!h.ok()) return h.status();
  const em::WarningState state = em::state_of(*h);
  auto d = em::decide_level(forecast, rules);
  if (!d.ok()) return d.status();
  return WarningAdvice{state, *d, em::advise(state.level, *d, forecast, rules)};
}

StatusOr<Roster> control_roster(Stores& stores, const Actor& who, const RosterRequest& req) {
  auto county = county_cut(who, req.county);
  if (!county.ok()) return county.status();
  auto h = warnings_history(stores, who);
  if (!h.ok()) return h.status();
  auto p = em::roster_period(em::state_of(*h), req.level, req.from);
  if (!p.ok()) return p.status();
  auto list = stores.emergency().load_list();
  if (!list.ok()) return list.status();
  return Roster{p->level, p->from, em::roster(*list, p->level, p->from, *county)};
}

StatusOr<ListCheckResult> check_emergency_list(Stores& stores, const Actor& who,
                                               const em::ListCheckParams& params, const em::WhatIf& what_if) {
  auto list = emergency_list(stores, who);
  if (!list.ok()) return list.status();
  ListCheckResult out{em::check_list(*list, params), std::nullopt};
  if (what_if.empty()) return out;
  auto changed = em::apply_what_if(*list, what_if, {});
  if (!changed.ok()) return changed.status();
  out.what_if = em::check_list(*changed, params);
  return out;
}

StatusOr<ComplianceReport> judge_compliance(Stores& stores, const Actor& who, const CompliancePeriod& period,
                                            const em::ComplianceParams& params,
                                            const MonitoringReader& monitoring) {
  if (period.level == em::WarningLevel::kNone) return invalid_argument("compliance: no warning level");
  if (!(period.warning.begin < period.warning.end) || !(period.baseline.begin < period.baseline.end))
    return invalid_argument("compliance: a period is empty");
  auto list = emergency_list(stores, who);
  if (!list.ok()) return list.status();
  auto inspections = stores.emergency().inspections();
  if (!inspections.ok()) return inspections.status();
  auto minute = [](sources::SourceTime t) { return t.to_string().substr(0, 16); };  // "YYYY-MM-DD hh:mm"
  ComplianceReport out;
  for (const em::Enterprise& e : list->enterprises) {
    std::vector<em::DeviceSeries> series;
    if (!e.source_enterprise.empty()) {
      auto m = monitoring(e.source_enterprise, period);
      if (!m.ok()) return m.status();
      if (!m->registered)
        out.problems.push_back(e.id + ": source enterprise " + e.source_enterprise +
                               " is not in the source registry");
      out.records += m->records;
      out.undecodable += m->undecodable;
      series = std::move(m->devices);
    }
    out.results.push_back(em::check_compliance(e, period.level, series, *inspections,
                                               minute(period.warning.begin), minute(period.warning.end),
                                               params));
  }
  return out;
}

StatusOr<Compliance> emergency_compliance(Stores& stores, const Actor& who, const ComplianceRequest& req,
                                          const MonitoringReader& monitoring) {
  auto county = county_cut(who, req.county);
  if (!county.ok()) return county.status();
  auto h = warnings_history(stores, who);
  if (!h.ok()) return h.status();
  auto period = resolve_compliance_period(*h, req.query);
  if (!period.ok()) return period.status();
  auto report = judge_compliance(stores, who, *period, req.params, monitoring);
  if (!report.ok()) return report.status();
  if (!county->empty())
    std::erase_if(report->results, [&](const em::ComplianceResult& x) { return x.county != *county; });
  Compliance out{*period, std::move(*report), {}};
  auto power = power_check(stores, who, {.span = period->warning});
  if (power.ok()) {
    out.power = std::move(power->cuts);
    if (!county->empty()) std::erase_if(out.power, [&](const PowerCut& c) { return c.county != *county; });
  } else if (power.status().code() != StatusCode::kPermissionDenied) {
    return power.status();
  }
  return out;
}

}  // namespace ecomon::app
