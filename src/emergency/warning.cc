#include "emergency/warning.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace ecomon::emergency {
namespace {

constexpr int kHoursPerDay = 24;

// The level one run of heavy days reaches.
WarningLevel level_of_run(int heavy, int severe, bool extreme, const WarningRules& r) {
  if (extreme || (heavy >= r.red_days && severe >= r.red_severe_days)) return WarningLevel::kRed;
  if (heavy >= r.orange_days && severe >= r.orange_severe_days) return WarningLevel::kOrange;
  if (heavy >= r.yellow_days) return WarningLevel::kYellow;
  return WarningLevel::kNone;
}

std::string run_reason(const LevelDecision& d, const WarningRules& r) {
  if (!d.first) return fmt::format("no {} days > {} in a row", r.yellow_days, r.heavy_above);
  std::string s = fmt::format("{} days > {} ({}..{})", d.heavy_days, r.heavy_above, d.first->to_string(),
                              d.last->to_string());
  if (d.severe_days > 0) s += fmt::format(", {} of them > {}", d.severe_days, r.severe_above);
  if (d.extreme) s += fmt::format(", reaching {}", r.extreme_at);
  return s;
}

}  // namespace

Status set_rule(WarningRules& r, std::string_view name, std::string_view value) {
  const std::pair<std::string_view, int*> ints[] = {
      {"heavy_above", &r.heavy_above}, {"severe_above", &r.severe_above},
      {"extreme_at", &r.extreme_at},   {"yellow_days", &r.yellow_days},
      {"orange_days", &r.orange_days}, {"orange_severe_days", &r.orange_severe_days},
      {"red_days", &r.red_days},       {"red_severe_days", &r.red_severe_days},
      {"lift_hours", &r.lift_hours}};
  constexpr int kMaxRuleValue = 100000;
  int v = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || end != value.data() + value.size() || v < 0 || v > kMaxRuleValue)
    return invalid_argument(
        fmt::format("warning rule {}: '{}' is not a whole number 0..{}", name, value, kMaxRuleValue));
  if (name == "allow_downgrade") {
    if (v > 1) return invalid_argument("warning rule allow_downgrade: 0 or 1");
    r.allow_downgrade = v == 1;
    return Status::ok_status();
  }
  for (const auto& [n, field] : ints) {
    if (n != name) continue;
    *field = v;
    return Status::ok_status();
  }
  return invalid_argument(fmt::format("unknown warning rule '{}'", name));
}

Status validate_rules(const WarningRules& r) {
  if (r.heavy_above < 0 || r.severe_above <= r.heavy_above)
    return invalid_argument("warning rules: need 0 <= heavy_above < severe_above");
  if (r.extreme_at != 0 && r.extreme_at <= r.heavy_above)
    return invalid_argument("warning rules: extreme_at must be above heavy_above (or 0 to disable)");
  if (r.yellow_days < 1 || r.orange_days <= r.yellow_days || r.red_days <= r.orange_days)
    return invalid_argument("warning rules: need 1 <= yellow_days < orange_days < red_days");
  if (r.orange_severe_days < 0 || r.orange_severe_days > r.orange_days || r.red_severe_days < 0 ||
      r.red_severe_days > r.red_days)
    return invalid_argument("warning rules: severe days must be 0..the level's days");
  if (r.lift_hours < 1) return invalid_argument("warning rules: lift_hours must be >= 1");
  return Status::ok_status();
}

Status validate_forecast(const std::vector<ForecastDay>& f) {
  if (f.empty()) return invalid_argument("forecast: no days");
  for (size_t i = 0; i < f.size(); ++i) {
    const std::string w = fmt::format("forecast day {} ({})", i + 1, f[i].day.to_string());
    if (f[i].aqi < 0 || f[i].aqi > kMaxAqi)
      return invalid_argument(fmt::format("{}: AQI {} out of 0..{}", w, f[i].aqi, kMaxAqi));
    if (i == 0) continue;
    const int32_t step = f[i].day - f[i - 1].day;
    if (step == 0) return invalid_argument(w + ": repeats the previous day");
    if (step < 0) return invalid_argument(w + ": before the previous day " + f[i - 1].day.to_string());
    if (step > 1)
      return invalid_argument(
          fmt::format("{}: gap of {} days after {}", w, step - 1, f[i - 1].day.to_string()));
  }
  return Status::ok_status();
}

StatusOr<std::vector<LevelDecision>> episodes(const std::vector<ForecastDay>& series,
                                              const WarningRules& rules) {
  ECOMON_RETURN_IF_ERROR(validate_rules(rules));
  ECOMON_RETURN_IF_ERROR(validate_forecast(series));
  std::vector<LevelDecision> out;
  size_t i = 0;
  while (i < series.size()) {
    if (series[i].aqi <= rules.heavy_above) {
      ++i;
      continue;
    }
    LevelDecision run;
    run.first = series[i].day;
    while (i < series.size() && series[i].aqi > rules.heavy_above) {
      ++run.heavy_days;
      if (series[i].aqi > rules.severe_above) ++run.severe_days;
      if (rules.extreme_at != 0 && series[i].aqi >= rules.extreme_at) run.extreme = true;
      run.last = series[i].day;
      ++i;
    }
    run.level = level_of_run(run.heavy_days, run.severe_days, run.extreme, rules);
    if (run.level == WarningLevel::kNone) continue;
    run.reason = run_reason(run, rules);
    out.push_back(std::move(run));
  }
  return out;
}

StatusOr<LevelDecision> decide_level(const std::vector<ForecastDay>& forecast, const WarningRules& rules) {
  auto runs = episodes(forecast, rules);
  if (!runs.ok()) return runs.status();
  LevelDecision best;
  for (const LevelDecision& r : *runs)
    if (r.level > best.level) best = r;
  if (best.level == WarningLevel::kNone) best.reason = run_reason(best, rules);
  return best;
}

std::string_view advice_name(AdviceKind k) {
  switch (k) {
    case AdviceKind::kNone:
      return "none";
    case AdviceKind::kRaise:
      return "raise";
    case AdviceKind::kUpgrade:
      return "upgrade";
    case AdviceKind::kKeep:
      return "keep";
    case AdviceKind::kDowngrade:
      return "downgrade";
    case AdviceKind::kLift:
      return "lift";
  }
  return "none";
}

Advice advise(WarningLevel in_force, const LevelDecision& decision, const std::vector<ForecastDay>& forecast,
              const WarningRules& rules) {
  Advice a;
  if (in_force == WarningLevel::kNone) {
    if (decision.level == WarningLevel::kNone)
      return {AdviceKind::kNone, WarningLevel::kNone, {}, decision.reason};
    return {AdviceKind::kRaise, decision.level, decision.first, decision.reason};
  }
  // The 36-hour rule on daily values: the first ceil(lift_hours / 24) days must all be at or below the start
  // criterion (AQI <= heavy_above); a forecast shorter than that cannot show it.
  const size_t lift_days = static_cast<size_t>((rules.lift_hours + kHoursPerDay - 1) / kHoursPerDay);
  bool clean = forecast.size() >= lift_days;
  for (size_t i = 0; clean && i < lift_days; ++i) clean = forecast[i].aqi <= rules.heavy_above;
  if (clean) {
    std::string why = fmt::format("AQI <= {} for the first {} forecast days (>= {} h)", rules.heavy_above,
                                  lift_days, rules.lift_hours);
    if (decision.level != WarningLevel::kNone)
      why += fmt::format("; a new {} episode is forecast: {}", level_name(decision.level), decision.reason);
    return {AdviceKind::kLift, WarningLevel::kNone, forecast.front().day, why};
  }
  if (decision.level > in_force)
    return {AdviceKind::kUpgrade, decision.level, decision.first, decision.reason};
  if (decision.level < in_force && decision.level != WarningLevel::kNone && rules.allow_downgrade)
    return {AdviceKind::kDowngrade, decision.level, forecast.front().day, decision.reason};
  a.kind = AdviceKind::kKeep;
  a.level = in_force;
  a.reason = decision.level == in_force
                 ? decision.reason
                 : decision.reason + fmt::format("; heavy days continue: keep {}", level_name(in_force));
  return a;
}

std::string_view action_name(WarningAction a) {
  switch (a) {
    case WarningAction::kDeclare:
      return "declare";
    case WarningAction::kUpgrade:
      return "upgrade";
    case WarningAction::kDowngrade:
      return "downgrade";
    case WarningAction::kLift:
      return "lift";
  }
  return "declare";
}

WarningState state_of(const std::vector<WarningEvent>& history) {
  WarningState s;
  for (const WarningEvent& e : history) {
    if (e.action == WarningAction::kLift) {
      s = {WarningLevel::kNone, e.effective_from};
    } else if (e.action == WarningAction::kDeclare) {
      s = {e.level, e.effective_from};
    } else {
      s.level = e.level;  // an upgrade or downgrade continues the warning begun by the declaration
    }
  }
  return s;
}

Status validate_civil_minute(const std::string& text) {
  // "YYYY-MM-DD hh:mm"
  constexpr size_t kLength = 16;
  constexpr size_t kDateLength = 10;
  constexpr int kHours = 24;
  constexpr int kMinutes = 60;
  auto bad = [&] { return invalid_argument("time '" + text + "' is not YYYY-MM-DD hh:mm"); };
  if (text.size() != kLength || text[kDateLength] != ' ' || text[13] != ':') return bad();
  if (!CivilDay::parse(text.substr(0, kDateLength)).ok()) return bad();
  auto two = [&](size_t pos) -> int {
    if (!std::isdigit(static_cast<unsigned char>(text[pos])) ||
        !std::isdigit(static_cast<unsigned char>(text[pos + 1])))
      return -1;
    return (text[pos] - '0') * 10 + (text[pos + 1] - '0');
  };
  const int hh = two(11), mm = two(14);
  if (hh < 0 || hh >= kHours || mm < 0 || mm >= kMinutes) return bad();
  return Status::ok_status();
}

namespace {

Status check_write(const std::vector<WarningEvent>& history, const std::string& effective_from,
                   const Actor& actor, std::string_view what) {
  if (!actor.is_bureau())
    return permission_denied(fmt::format("{} a warning is the bureau's: user '{}' (role {}) may not", what,
                                         actor.user, role_name(actor.role)));
  ECOMON_RETURN_IF_ERROR(validate_civil_minute(effective_from));
  if (!history.empty() && effective_from < history.back().effective_from)
    return invalid_argument("time " + effective_from + " is before the last event's " +
                            history.back().effective_from);
  return Status::ok_status();
}

}  // namespace

StatusOr<WarningEvent> declaration(const std::vector<WarningEvent>& history, WarningLevel level,
                                   const std::string& effective_from, const Actor& actor,
                                   const std::string& reason) {
  ECOMON_RETURN_IF_ERROR(check_write(history, effective_from, actor, "declaring"));
  if (level == WarningLevel::kNone) return invalid_argument("declare: level must be yellow, orange or red");
  const WarningState s = state_of(history);
  if (s.level == level)
    return failed_precondition(
        fmt::format("a {} warning is already in force since {}", level_name(level), s.since));
  WarningEvent e;
  e.action = s.level == WarningLevel::kNone ? WarningAction::kDeclare
             : level > s.level              ? WarningAction::kUpgrade
                                            : WarningAction::kDowngrade;
  e.level = level;
  e.effective_from = effective_from;
  e.declared_by = actor.user;
  e.role = std::string(role_name(actor.role));
  e.reason = reason;
  return e;
}

StatusOr<WarningEvent> lifting(const std::vector<WarningEvent>& history, const std::string& effective_from,
                               const Actor& actor, const std::string& reason) {
  ECOMON_RETURN_IF_ERROR(check_write(history, effective_from, actor, "lifting"));
  if (state_of(history).level == WarningLevel::kNone) return failed_precondition("no warning is in force");
  WarningEvent e;
  e.action = WarningAction::kLift;
  e.level = WarningLevel::kNone;
  e.effective_from = effective_from;
  e.declared_by = actor.user;
  e.role = std::string(role_name(actor.role));
  e.reason = reason;
  return e;
}

StatusOr<RosterPeriod> roster_period(const WarningState& in_force, const std::string& level,
                                     const std::string& from) {
  RosterPeriod p{in_force.level, from.empty() ? in_force.since : from};
  if (!level.empty()) {
    std::optional<WarningLevel> l = parse_level(level);
    if (!l || *l == WarningLevel::kNone)
      return invalid_argument("level '" + level + "' is not yellow, orange or red");
    p.level = *l;
  }
  if (p.level == WarningLevel::kNone || (in_force.level == WarningLevel::kNone && from.empty()))
    return invalid_argument("no warning in force: give level and from");
  ECOMON_RETURN_IF_ERROR(validate_civil_minute(p.from));
  return p;
}

}  // namespace ecomon::emergency
