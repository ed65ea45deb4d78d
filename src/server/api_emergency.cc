// /api/emergency/...: heavy-pollution emergency (重污染天气应急). The JSON is emergency_format.h's, the same
// `ecomon emergency warnings|roster|check-list --format json` prints. Staff read; a county user's roster is
// its county's only (another county is 403). Declaring and lifting a warning is the bureau's (route access;
// the service checks the Actor again). Adapters over app/emergency.h on the thread's stores (ctx.stores()).
#include "app/emergency.h"
#include "app/sources.h"
#include "emergency/emergency_format.h"
#include "emergency/list_check.h"
#include "emergency/list_csv.h"
#include "emergency/registry.h"
#include "emergency/warning.h"
#include "power/power_format.h"
#include "server/api.h"

namespace ecomon::server {
namespace {

namespace em = emergency;

constexpr size_t kMaxReasonBytes = 2000;
constexpr size_t kMaxForecastDays = 30;
constexpr size_t kMaxGradeChanges = 100;

// A service's refusal of the request's content as `make` (400 or 422) makes it; the store's failures and a
// refused caller keep their code (503, 500, 403).
Status as_input_error(const Status& s, Status (*make)(std::string)) {
  const StatusCode code = s.code();
  if (code == StatusCode::kUnavailable || code == StatusCode::kInternal ||
      code == StatusCode::kPermissionDenied)
    return s;
  return make(s.message());
}

// "a,b,c" -> {"a", "b", "c"} (empty text: none).
std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (!text.empty() && at <= text.size()) {
    const size_t comma = std::min(text.find(',', at), text.size());
    out.push_back(text.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

// The list check's parameters from `required` ("10/20/30") and `exclude_guarantee` ("true"/"false").
StatusOr<em::ListCheckParams> list_params(const std::string& required, const std::string& exclude_guarantee) {
  em::ListCheckParams params;
  if (!required.empty()) {
    auto r = em::parse_required_percent(required);
    if (!r.ok()) return r.status();
    params.required_percent = *r;
  }
  if (exclude_guarantee != "" && exclude_guarantee != "true" && exclude_guarantee != "false")
    return invalid_argument("exclude_guarantee must be true or false");
  params.include_guarantee = exclude_guarantee != "true";
  return params;
}

StatusOr<ApiReply> warnings(ApiContext& ctx, const ApiRequest& req) {
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto h = app::warnings_history(**stores, req.actor);
  if (!h.ok()) return h.status();
  const em::WarningState state = em::state_of(*h);
  ApiReply r = items_reply(em::to_json(*h));
  r.body["in_force"] = {{"level", em::level_name(state.level)}, {"since", state.since}};
  return r;
}

StatusOr<ApiReply> roster(ApiContext& ctx, const ApiRequest& req) {
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto r =
      app::control_roster(**stores, req.actor, {req.param("level"), req.param("from"), req.param("county")});
  if (!r.ok()) return r.status();
  ApiReply reply = items_reply(em::to_json(r->entries));
  reply.body["level"] = em::level_name(r->level);
  reply.body["from"] = r->from;
  return reply;
}

StatusOr<ApiReply> check_list(ApiContext& ctx, const ApiRequest& req) {
  auto params = list_params(req.param("required"), req.param("exclude_guarantee"));
  if (!params.ok()) return params.status();
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto checked = app::check_emergency_list(**stores, req.actor, *params);
  if (!checked.ok()) return checked.status();
  ApiReply r;
  r.body = em::to_json(checked->list);
  return r;
}

// POST /api/emergency/what-if: the list check of the stored list and of the list as it would be with grade
// changes and added entries (the list templates' CSV texts). Nothing is stored.
StatusOr<ApiReply> what_if(ApiContext& ctx, const ApiRequest& req) {
  auto body = parse_body(req.body, {},
                         {"grades", "assumed_cut", "required", "exclude_guarantee", "enterprises_csv",
                          "lines_csv", "measures_csv"});
  if (!body.ok()) return body.status();
  const json& b = *body;
  auto params = list_params(b.value("required", ""), b.value("exclude_guarantee", ""));
  if (!params.ok()) return failed_precondition(params.status().message());
  em::WhatIf w;
  const std::string cut = b.value("assumed_cut", "0");
  constexpr int kMaxPercent = 100;
  if (cut.empty() || cut.size() > 3 || cut.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(cut) > kMaxPercent)
    return failed_precondition("assumed_cut: '" + cut + "' is not a whole percent 0..100");
  w.params.voluntary_assumed_cut_percent = std::stoi(cut);
  const std::vector<std::string> grades = split_commas(b.value("grades", ""));
  if (grades.size() > kMaxGradeChanges)
    return failed_precondition("grades: more than " + std::to_string(kMaxGradeChanges) + " changes");
  for (const std::string& g : grades) {
    auto change = em::parse_grade_change(g);
    if (!change.ok()) return failed_precondition("grades: " + change.status().message());
    w.grades.push_back(*change);
  }
  std::map<EmergencyTemplate, std::string> texts;
  if (b.contains("enterprises_csv")) texts[EmergencyTemplate::kEnterprises] = b["enterprises_csv"];
  if (b.contains("lines_csv")) texts[EmergencyTemplate::kLines] = b["lines_csv"];
  if (b.contains("measures_csv")) texts[EmergencyTemplate::kMeasures] = b["measures_csv"];
  if (!texts.empty()) {
    em::ListReport rep;
    auto added = em::read_list_texts(texts, {}, &rep);
    if (!added.ok()) return added.status();
    if (rep.issue_total() > 0) {
      std::string msg = "added entries rejected:";
      for (const em::ListIssue& i : rep.issues) msg += "\n  " + i.where() + ": " + i.message;
      return failed_precondition(msg);
    }
    w.added = std::move(*added);
  }
  if (w.empty())
    return failed_precondition("give grades or added entries (enterprises_csv, lines_csv, measures_csv)");
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto checked = app::check_emergency_list(**stores, req.actor, *params, w);
  if (!checked.ok()) return as_input_error(checked.status(), failed_precondition);
  ApiReply r;
  r.body = em::to_json(checked->list);
  r.body["what_if"] = em::to_json(*checked->what_if);
  r.audit_target = std::to_string(w.grades.size()) + " grade change(s), " + std::to_string(w.added.size()) +
                   " added entr(ies)";
  return r;
}

// GET /api/emergency/advice: the level a daily AQI forecast calls for under the warning rules, and what to do
// given the warning in force (raise, upgrade, keep, lift...), as `ecomon emergency warnings --forecast`.
StatusOr<ApiReply> advice(ApiContext& ctx, const ApiRequest& req) {
  StatusOr<CivilDay> start = CivilDay::parse(req.param("start"));
  if (!start.ok() || req.param("start").size() != 10)
    return invalid_argument("start: '" + req.param("start") + "' is not YYYY-MM-DD");
  const std::vector<std::string> values = split_commas(req.param("aqi"));
  if (values.empty() || values.size() > kMaxForecastDays)
    return invalid_argument("aqi: give 1.." + std::to_string(kMaxForecastDays) +
                            " daily AQI values, today first");
  std::vector<em::ForecastDay> forecast;
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string& v = values[i];
    if (v.empty() || v.size() > 4 || v.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(v) > em::kMaxAqi)
      return invalid_argument("aqi: value " + std::to_string(i + 1) + " '" + v + "' is not a whole AQI 0.." +
                              std::to_string(em::kMaxAqi));
    forecast.push_back({*start + static_cast<int32_t>(i), std::stoi(v)});
  }
  em::WarningRules rules;
  for (const std::string& kv : split_commas(req.param("rules"))) {
    const size_t eq = kv.find('=');
    Status s = eq == std::string::npos ? invalid_argument("rules: '" + kv + "' is not NAME=VALUE")
                                       : em::set_rule(rules, kv.substr(0, eq), kv.substr(eq + 1));
    if (!s.ok()) return invalid_argument("rules: " + s.message());
  }
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto adv = app::warning_advice(**stores, req.actor, forecast, rules);
  if (!adv.ok()) return as_input_error(adv.status(), invalid_argument);
  ApiReply r;
  r.body = em::to_json(adv->decision, adv->advice, adv->in_force);
  return r;
}

// GET /api/emergency/compliance: who cuts as required during a warning (the last one by default).
StatusOr<ApiReply> compliance(ApiContext& ctx, const ApiRequest& req) {
  auto county = app::county_cut(req.actor, req.param("county"));
  if (!county.ok()) return county.status();
  emergency::ComplianceParams params;
  const std::string tol = req.param("tolerance", "0");
  char* end = nullptr;
  params.tolerance_points = std::strtod(tol.c_str(), &end);
  constexpr double kMaxTolerance = 100;
  if (tol.empty() || *end != '\0' ||
      !(params.tolerance_points >= 0 && params.tolerance_points <= kMaxTolerance))
    return invalid_argument("tolerance: '" + tol + "' is not percentage points 0..100");
  constexpr int64_t kMaxHours = 24 * 366;
  auto hours = int_param(req, "min_hours", 1, 1, kMaxHours);
  if (!hours.ok()) return hours.status();
  params.min_valid_hours = static_cast<int>(*hours);
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto c = app::emergency_compliance(**stores, req.actor,
                                     {.query = {req.param("level"), req.param("from"), req.param("to"),
                                                req.param("baseline_from"), req.param("baseline_to")},
                                      .params = params,
                                      .county = *county},
                                     app::hj212_monitoring(**stores));
  if (!c.ok()) return c.status();
  ApiReply r;
  r.body = compliance_json(c->period, c->report);
  power::attach_cuts(r.body["enterprises"], c->power);  // the electricity verdicts beside (docs/power.md)
  r.body["items"] = std::move(r.body["enterprises"]);
  r.body.erase("enterprises");
  return r;
}

StatusOr<ApiReply> declare_or_lift(ApiContext& ctx, const ApiRequest& req, bool lift) {
  auto body =
      lift ? parse_body(req.body, {"from"}, {"reason"}) : parse_body(req.body, {"level", "from"}, {"reason"});
  if (!body.ok()) return body.status();
  const json& b = *body;
  const std::string reason = b.value("reason", "");
  if (reason.size() > kMaxReasonBytes)
    return failed_precondition("reason: longer than " + std::to_string(kMaxReasonBytes) + " bytes");
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  StatusOr<em::WarningEvent> ev = em::WarningEvent{};
  if (lift) {
    ev = app::lift_warning(**stores, req.actor, b["from"].get<std::string>(), reason);
  } else {
    std::optional<em::WarningLevel> l = em::parse_level(b["level"].get<std::string>());
    if (!l || *l == em::WarningLevel::kNone) return failed_precondition("level: yellow, orange or red");
    ev = app::declare_warning(**stores, req.actor, *l, b["from"].get<std::string>(), reason);
  }
  if (!ev.ok()) {
    if (ev.status().code() == StatusCode::kInvalidArgument) return failed_precondition(ev.status().message());
    return ev.status();
  }
  ApiReply r;
  r.body = em::to_json(std::vector<em::WarningEvent>{*ev})[0];
  r.audit_target = std::string(em::level_name(ev->level));
  return r;
}

}  // namespace

void add_emergency_routes(Router& r) {
  r.add({.method = "GET",
         .pattern = "/api/emergency/warnings",
         .access = Access::kStaff,
         .summary = "the warning in force and the warnings history (oldest first)",
         .paged = true,
         .handler = warnings});
  r.add({.method = "GET",
         .pattern = "/api/emergency/roster",
         .access = Access::kStaff,
         .summary = "the control roster: per county each enterprise and line, what it must do from when",
         .params = {{"level", "yellow, orange or red (default: the warning in force)"},
                    {"from", "YYYY-MM-DD hh:mm (default: since the warning in force)"},
                    {"county", "one county only (county users: their own)"}},
         .paged = true,
         .handler = roster});
  r.add({.method = "GET",
         .pattern = "/api/emergency/check-list",
         .access = Access::kStaff,
         .summary =
             "per level each pollutant's reduction across the list and whether the required share is reached",
         .params = {{"required", "required shares yellow/orange/red in % (default 10/20/30)"},
                    {"exclude_guarantee", "true: leave 保障类 entries out of baseline and reduction"}},
         .handler = check_list});
  r.add({.method = "POST",
         .pattern = "/api/emergency/what-if",
         .access = Access::kStaff,
         .summary = "the list check with grade changes and added entries (nothing is stored)",
         .action = "emergency.what_if",
         .handler = what_if});
  r.add({.method = "GET",
         .pattern = "/api/emergency/advice",
         .access = Access::kStaff,
         .summary = "the level a daily AQI forecast calls for and what to do given the warning in force",
         .params = {{"start", "the forecast's first day (today), YYYY-MM-DD", true},
                    {"aqi", "daily AQI values from start on, comma-separated", true},
                    {"rules", "rule overrides NAME=VALUE, comma-separated (e.g. lift_hours=24)"}},
         .handler = advice});
  r.add({.method = "GET",
         .pattern = "/api/emergency/compliance",
         .access = Access::kStaff,
         .summary =
             "who cuts as required during a warning: monitored loads against a baseline, else inspections",
         .params = {{"level", "yellow, orange or red (default: the highest of the last warning)"},
                    {"from", "warning start, YYYY-MM-DD hh:mm (default: the last warning's)"},
                    {"to", "warning end, exclusive (default: the last warning's lift)"},
                    {"baseline_from", "baseline start (default: as long before from as the warning)"},
                    {"baseline_to", "baseline end, exclusive (default: from)"},
                    {"tolerance", "percentage points a cut may fall short (default 0)"},
                    {"min_hours", "valid hours each period needs per device (default 1)"},
                    {"county", "one county only (county users: their own)"}},
         .paged = true,
         .handler = compliance});
  r.add({.method = "POST",
         .pattern = "/api/emergency/declare",
         .access = Access::kBureau,
         .summary = "declare, upgrade or downgrade the warning",
         .action = "emergency.declare",
         .handler = [](ApiContext& ctx, const ApiRequest& req) { return declare_or_lift(ctx, req, false); }});
  r.add({.method = "POST",
         .pattern = "/api/emergency/lift",
         .access = Access::kBureau,
         .summary = "lift the warning in force",
         .action = "emergency.lift",
         .handler = [](ApiContext& ctx, const ApiRequest& req) { return declare_or_lift(ctx, req, true); }});
}

}  // namespace ecomon::server
