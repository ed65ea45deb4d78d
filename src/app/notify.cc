#include "app/notify.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/utf8.h"
#include "sources/emissions_format.h"
#include "sources/events.h"
#include "sources/record.h"

namespace ecomon::app {

Status acknowledge_event(Stores& stores, const Actor& who, const EventRef& event, const std::string& note,
                         int64_t now_ms) {
  if (who.user.empty() || who.role == Role::kPublic)
    return permission_denied("acknowledging an event needs a signed-in user");
  if (!sources::parse_event_kind(event.kind))
    return invalid_argument(
        "kind must be exceedance, silence, flag_fault, standard_check, furnace_temperature, dust_exceedance, "
        "dust_silence, treatment_not_running or production_during_stop, not '" +
        event.kind + "'");
  if (!sources::SourceTime::from_digits(event.opened_at).ok())
    return invalid_argument("opened_at " + std::to_string(event.opened_at) + " is not a time");
  if (note.size() > kMaxAckNoteBytes)
    return invalid_argument("note is longer than " + std::to_string(kMaxAckNoteBytes) + " bytes");
  return stores.notify().acknowledge({event, who.user, now_ms, note});
}

StatusOr<std::map<EventRef, EventAck>> event_acks(Stores& stores, int64_t opened_from, int64_t opened_to) {
  auto rows = stores.notify().acks(opened_from, opened_to);
  if (!rows.ok()) return rows.status();
  std::map<EventRef, EventAck> out;
  for (EventAck& a : *rows) out[a.event] = std::move(a);
  return out;
}

namespace {

using nlohmann::json;

// Event times are civil (Beijing) time.
sources::SourceTime civil_of_ms(int64_t utc_ms) { return sources::SourceTime::of_utc_seconds(utc_ms / 1000); }

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text + ",") {
    if (c == ',') {
      while (!cur.empty() && cur.back() == ' ') cur.pop_back();
      size_t b = cur.find_first_not_of(' ');
      if (b != std::string::npos) out.push_back(cur.substr(b));
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

bool listed(const std::string& list, const std::string& item) {
  for (const std::string& x : split_list(list))
    if (x == item) return true;
  return false;
}

// `text` (comma-separated) as the members of `allowed` it names, in allowed's order; "" = all of them.
template <size_t N>
StatusOr<std::string> normalise_list(const std::string& field, const std::string& text,
                                     const char* const (&allowed)[N]) {
  std::set<std::string> given;
  for (const std::string& x : split_list(text)) {
    if (std::find_if(std::begin(allowed), std::end(allowed), [&](const char* a) { return x == a; }) ==
        std::end(allowed)) {
      std::string names;
      for (const char* a : allowed) names += std::string(names.empty() ? "" : ", ") + a;
      return invalid_argument(field + ": '" + x + "' is not one of " + names);
    }
    given.insert(x);
  }
  std::string out;
  for (const char* a : allowed) {
    if (given.empty() || given.count(a)) out += std::string(out.empty() ? "" : ",") + a;
  }
  return out;
}

bool valid_email(const std::string& t) {
  const size_t at = t.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= t.size() || t.find('@', at + 1) != std::string::npos)
    return false;
  for (unsigned char c : t) {
    if (c <= ' ' || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c >= 0x7f) return false;
  }
  return t.find('.', at) != std::string::npos;
}

bool valid_url(const std::string& t) {
  const bool scheme = t.rfind("http://", 0) == 0 || t.rfind("https://", 0) == 0;
  if (!scheme || t.size() > 2000) return false;
  const size_t host = t.find("://") + 3;
  if (host >= t.size() || t[host] == '/') return false;
  for (unsigned char c : t) {
    if (c <= ' ' || c >= 0x7f) return false;
  }
  return true;
}

Status admin_only(const Actor& who, const char* what) {
  if (who.role != Role::kAdmin) return permission_denied(std::string(what) + " is for the bureau's admins");
  return Status();
}

const char* kind_zh(const std::string& kind) {
  if (kind == "exceedance") return "超标";
  if (kind == "silence") return "离线";
  if (kind == "standard_check") return "标样核查不合格";
  if (kind == "furnace_temperature") return "炉膛温度低于下限";
  if (kind == "dust_exceedance") return "扬尘超标";
  if (kind == "dust_silence") return "扬尘离线";
  if (kind == "treatment_not_running") return "治污设施未同步运行";
  if (kind == "production_during_stop") return "停产期间生产";
  return "数据标记异常";
}

}  // namespace

StatusOr<NotifyRule> add_notify_rule(Stores& stores, const Actor& who, const NotifyRuleRequest& req,
                                     int64_t now_ms) {
  ECOMON_RETURN_IF_ERROR(admin_only(who, "notification rules"));
  if (req.role != "admin" && req.role != "analyst" && req.role != "county")
    return invalid_argument("role: '" + req.role + "' is not one of admin, analyst, county");
  if (req.role == "county" && req.county.empty())
    return invalid_argument("county: a county rule names its county");
  if (!req.county.empty() && (!is_valid_utf8(req.county) || req.county.size() > 100))
    return invalid_argument("county: not a county name");
  auto kinds = normalise_list("kinds", req.kinds, kNotifyKinds);
  if (!kinds.ok()) return kinds.status();
  auto levels = normalise_list("levels", req.levels, kNotifyLevels);
  if (!levels.ok()) return levels.status();
  if (req.channel == "webhook") {
    if (!valid_url(req.target))
      return invalid_argument("target: '" + req.target + "' is not an http:// or https:// URL");
  } else if (req.channel == "email") {
    if (!valid_email(req.target))
      return invalid_argument("target: '" + req.target + "' is not an e-mail address");
  } else {
    return invalid_argument("channel: '" + req.channel + "' is not one of webhook, email");
  }
  NotifyRule r{.role = req.role,
               .county = req.county,
               .kinds = *kinds,
               .levels = *levels,
               .channel = req.channel,
               .target = req.target,
               .created_by = who.user,
               .created_ms = now_ms};
  auto id = stores.notify().add_rule(r);
  if (!id.ok()) return id.status();
  r.id = *id;
  return r;
}

Status remove_notify_rule(Stores& stores, const Actor& who, int64_t id) {
  ECOMON_RETURN_IF_ERROR(admin_only(who, "notification rules"));
  auto removed = stores.notify().remove_rule(id);
  if (!removed.ok()) return removed.status();
  if (!*removed) return not_found("no notification rule " + std::to_string(id));
  return Status();
}

StatusOr<std::vector<NotifyRule>> notify_rules(Stores& stores, const Actor& who) {
  ECOMON_RETURN_IF_ERROR(admin_only(who, "notification rules"));
  return stores.notify().rules();
}

StatusOr<std::vector<NotifyLogEntry>> notify_log(Stores& stores, const Actor& who, const NotifyLogQuery& q) {
  ECOMON_RETURN_IF_ERROR(admin_only(who, "the notification log"));
  return stores.notify().log(q);
}

namespace {

std::string beijing_text(int64_t utc_ms) { return civil_of_ms(utc_ms).to_string(); }

}  // namespace

json notify_rule_json(const NotifyRule& r) {
  return {{"id", r.id},
          {"role", r.role},
          {"county", r.county},
          {"kinds", r.kinds},
          {"levels", r.levels},
          {"channel", r.channel},
          {"target", r.target},
          {"created_by", r.created_by},
          {"created_ms", r.created_ms},
          {"created", beijing_text(r.created_ms)}};
}

json notify_attempt_json(const NotifyLogEntry& e) {
  auto opened = sources::SourceTime::from_digits(e.job.event.opened_at);
  return {{"at_ms", e.attempt.at_ms},
          {"at", beijing_text(e.attempt.at_ms)},
          {"attempt", e.attempt.attempt},
          {"ok", e.attempt.ok},
          {"detail", e.attempt.detail},
          {"took_ms", e.attempt.took_ms},
          {"job", e.job.id},
          {"rule", e.job.rule_id},
          {"level", e.job.level},
          {"channel", e.job.channel},
          {"target", e.job.target},
          {"state", e.job.state},
          {"mn", e.job.event.mn},
          {"kind", e.job.event.kind},
          {"pollutant", e.job.event.pollutant},
          {"opened_at", opened.ok() ? opened->to_string() : std::to_string(e.job.event.opened_at)}};
}

std::pair<std::string, std::string> notify_email_text(const std::string& payload_json) {
  json p = json::parse(payload_json, nullptr, false);
  if (!p.is_object()) return {"[ecomon] notification", payload_json};
  auto s = [&](const char* k) { return p.contains(k) && p[k].is_string() ? p[k].get<std::string>() : ""; };
  const bool esc = s("level") == "escalation";
  std::string subject = std::string("[ecomon] ") + (esc ? "未确认升级 " : "") + kind_zh(s("kind")) + " " +
                        s("enterprise") + " " + s("pollutant_name") + " (" + s("mn") + ")";
  std::ostringstream t;
  t << (esc ? "事件未确认已超过 " + std::to_string(p.value("unacknowledged_min", int64_t{0})) +
                  " 分钟 / unacknowledged for " + std::to_string(p.value("unacknowledged_min", int64_t{0})) +
                  " min\r\n"
            : "")
    << "事件 event: " << kind_zh(s("kind")) << " / " << s("kind") << "\r\n"
    << "设备 device: " << s("mn") << "\r\n"
    << "企业 enterprise: " << s("enterprise") << "\r\n"
    << "排放口 outlet: " << s("outlet") << "\r\n"
    << "区县 county: " << s("county") << "\r\n";
  if (!s("pollutant").empty())
    t << "污染物 pollutant: " << s("pollutant_name") << " (" << s("pollutant") << ")\r\n";
  if (!s("value").empty()) t << "监测值 value: " << s("value") << "\r\n";
  if (!s("limit").empty()) t << "限值 limit: " << s("limit") << "\r\n";
  t << "开始 opened at: " << s("opened_at") << " (北京时间 Beijing time)\r\n";
  if (!s("closed_at").empty()) t << "结束 closed at: " << s("closed_at") << "\r\n";
  return {subject, t.str()};
}

StatusOr<NotifyStepResult> notify_step(Stores& stores, const NotifyParams& params, int64_t now_ms,
                                       const Deliver& deliver) {
  NotifyStepResult result;
  NotifyStore& store = stores.notify();
  auto rules = store.rules();
  if (!rules.ok()) return rules.status();
  if (!rules->empty()) {
    // The events still open at, or raised since, the look-back's start, and their acknowledgements.
    const int64_t window = std::max(params.lookback_ms, int64_t{0});
    auto events =
        stores.source_events().events({.from = civil_of_ms(now_ms - window - params.escalate_after_ms)});
    if (!events.ok()) return events.status();
    auto devices = stores.sources().devices();
    if (!devices.ok()) return devices.status();
    std::map<std::string, const DeviceRecord*> device;
    for (const DeviceRecord& d : *devices) device[d.mn] = &d;
    int64_t first = civil_of_ms(now_ms).to_digits();
    for (const StoredEvent& e : *events) first = std::min(first, e.open.at.to_digits());
    auto acks = event_acks(stores, first, civil_of_ms(now_ms).to_digits() + 1000000);
    if (!acks.ok()) return acks.status();
    std::vector<NotifyJob> jobs;
    for (const StoredEvent& e : *events) {
      const sources::EventTransition& t = e.open;
      const EventRef ref{t.key.mn, std::string(sources::event_kind_name(t.key.kind)), t.key.pollutant,
                         t.at.to_digits()};
      const auto d = device.find(t.key.mn);
      const std::string county = d == device.end() ? "" : d->second->county;
      const bool fresh = e.raised_ms >= now_ms - window;
      const int64_t unacked_ms = now_ms - e.raised_ms;
      const bool escalates = !e.closed_at && !acks->count(ref) && unacked_ms >= params.escalate_after_ms &&
                             unacked_ms < params.escalate_after_ms + window;
      if (!fresh && !escalates) continue;
      for (const NotifyRule& r : *rules) {
        if (!listed(r.kinds, ref.kind)) continue;
        if (!r.county.empty() && r.county != county) continue;
        for (const char* level : kNotifyLevels) {
          const bool wanted = std::string(level) == "open" ? fresh : escalates;
          if (!wanted || !listed(r.levels, level)) continue;
          json p{{"level", level},
                 {"rule_id", r.id},
                 {"role", r.role},
                 {"mn", ref.mn},
                 {"kind", ref.kind},
                 {"pollutant", ref.pollutant},
                 {"pollutant_name", ref.pollutant.empty() ? "" : sources::pollutant_name(ref.pollutant)},
                 {"enterprise", d == device.end() ? "" : d->second->enterprise},
                 {"outlet", d == device.end() ? "" : d->second->outlet},
                 {"county", county},
                 {"opened_at", t.at.to_string()},
                 {"closed_at", e.closed_at ? e.closed_at->to_string() : ""},
                 {"value", t.value ? t.value->to_string() : ""},
                 {"limit", t.limit ? t.limit->to_string() : ""}};
          if (std::string(level) == "escalation") p["unacknowledged_min"] = unacked_ms / 60000;
          jobs.push_back({.rule_id = r.id,
                          .event = ref,
                          .level = level,
                          .channel = r.channel,
                          .target = r.target,
                          .payload = p.dump(),
                          .next_ms = now_ms,
                          .created_ms = now_ms});
        }
      }
    }
    auto queued = store.enqueue(jobs);
    if (!queued.ok()) return queued.status();
    result.queued = *queued;
  }

  auto due = store.claim_due(now_ms, params.batch, params.claim_lease_ms);
  if (!due.ok()) return due.status();
  if (due->empty()) return result;
  std::vector<Delivery> out;
  for (const NotifyJob& j : *due) {
    auto [subject, text] = notify_email_text(j.payload);
    out.push_back({j.id, j.channel, j.target, j.payload, subject, text});
  }
  std::vector<DeliveryOutcome> outcomes = deliver(out);
  for (size_t i = 0; i < due->size(); ++i) {
    const NotifyJob& j = (*due)[i];
    const DeliveryOutcome o = i < outcomes.size() ? outcomes[i] : DeliveryOutcome{false, "not attempted", 0};
    const int attempt = j.attempts + 1;
    std::string state = "sent";
    int64_t next = now_ms;
    if (o.ok) {
      ++result.sent;
    } else if (attempt >= params.max_attempts) {
      state = "failed";
      ++result.gave_up;
    } else {
      state = "pending";
      next = now_ms + params.backoff_ms * (int64_t{1} << std::min(attempt - 1, 30));
      ++result.retrying;
    }
    ++result.attempted;
    ECOMON_RETURN_IF_ERROR(
        store.record_attempt({j.id, attempt, now_ms, o.ok, o.detail, o.took_ms}, state, next));
  }
  return result;
}

}  // namespace ecomon::app
