#include "sources/sources_format.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <tuple>

#include "core/text_table.h"
#include "core/utf8.h"

namespace ecomon {

nlohmann::json source_cp_json(const std::string& stored_cp) {
  const std::string cp = is_valid_utf8(stored_cp) ? stored_cp : replace_invalid_utf8(stored_cp);
  nlohmann::json j = nlohmann::json::object();
  size_t pos = 0;
  while (pos <= cp.size()) {
    size_t end = cp.find_first_of(";,", pos);
    if (end == std::string::npos) end = cp.size();
    std::string item = cp.substr(pos, end - pos);
    pos = end + 1;
    size_t eq = item.find('=');
    if (eq == std::string::npos) continue;
    std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    size_t dash = key.find('-');
    if (dash == std::string::npos) {
      j[key] = value;
    } else {
      j[key.substr(0, dash)][key.substr(dash + 1)] = value;
    }
  }
  return j;
}

nlohmann::json source_command_json(const SourceCommand& c) {
  auto ms = [](int64_t v) { return v ? nlohmann::json(v) : nlohmann::json(); };
  auto rtn = [](int v) { return v ? nlohmann::json(v) : nlohmann::json(); };
  return {{"id", c.id},
          {"mn", c.mn},
          {"command", c.name},
          {"cn", c.cn},
          {"argument", c.argument},
          {"state", c.state},
          {"qn", c.qn},
          {"attempts", c.attempts},
          {"created_ms", c.created_ms},
          {"created_by", c.created_by},
          {"sent_ms", ms(c.sent_ms)},
          {"finished_ms", ms(c.finished_ms)},
          {"qn_rtn", rtn(c.qn_rtn)},
          {"exe_rtn", rtn(c.exe_rtn)},
          {"result", c.result},
          {"detail", c.detail}};
}

namespace {

std::string kind_label(sources::EventKind k) {
  switch (k) {
    case sources::EventKind::kExceedance:
      return "超标";
    case sources::EventKind::kSilence:
      return "离线";
    case sources::EventKind::kFlagFault:
      return "数据标记异常";
    case sources::EventKind::kStandardCheck:
      return "标样核查不合格";
    case sources::EventKind::kFurnaceTemperature:
      return "炉膛温度过低";
    case sources::EventKind::kDustExceedance:
      return "扬尘超标";
    case sources::EventKind::kDustSilence:
      return "扬尘离线";
    case sources::EventKind::kTreatmentNotRunning:
      return "治污设施未同步运行";
    case sources::EventKind::kProductionDuringStop:
      return "停产期间生产";
  }
  return "?";
}

std::string pct(const std::optional<Decimal>& d) { return d ? d->to_string() + "%" : "-"; }

nlohmann::json rate_json(const std::string& key, const std::string& id,
                         const sources::TransmissionRate& rate) {
  auto num = [](const std::optional<Decimal>& x) {
    return x ? nlohmann::json(x->to_double()) : nlohmann::json();
  };
  const auto& c = rate.counts;
  return nlohmann::json{{key, id},
                        {"expected", c.expected},
                        {"received", c.received},
                        {"valid", c.valid},
                        {"duplicates", c.duplicates},
                        {"transmission", num(rate.transmission_percent)},
                        {"validity", num(rate.validity_percent)},
                        {"effective", num(rate.effective_percent)},
                        {"verdict", sources::rate_verdict_name(rate.verdict)}};
}

}  // namespace

nlohmann::json source_events_json(const sources::EventList& l) {
  nlohmann::json list = nlohmann::json::array();
  for (const sources::EventRow& e : l.events) {
    const sources::EventTransition& t = e.open;
    const bool exceedance = t.key.kind == sources::EventKind::kExceedance;
    auto opt = [](const std::optional<Decimal>& d) {
      return d ? nlohmann::json(d->to_string()) : nlohmann::json();
    };
    list.push_back({
        {"kind", sources::event_kind_name(t.key.kind)},
        {"state", e.closed_at ? "closed" : "open"},
        {"mn", t.key.mn},
        {"enterprise", e.enterprise},
        {"outlet", e.outlet},
        {"pollutant", t.key.pollutant.empty() ? nlohmann::json() : nlohmann::json(t.key.pollutant)},
        {"flag", t.key.kind == sources::EventKind::kFlagFault
                     ? nlohmann::json(std::string(1, sources::flag_letter(t.key.flag)))
                     : nlohmann::json()},
        {"opened_at", t.at.to_string()},
        {"closed_at", e.closed_at ? nlohmann::json(e.closed_at->to_string()) : nlohmann::json()},
        {"data_time", t.data_time.to_string()},
        {"cause", exceedance ? nlohmann::json(std::string(sources::exceedance_cause_name(t.cause)))
                             : nlohmann::json()},
        {"value", opt(t.value)},
        {"limit", opt(t.limit)},
        {"basis",
         exceedance && t.value
             ? nlohmann::json(t.basis == sources::LimitBasis::kStandardised ? "standardised" : "measured")
             : nlohmann::json()},
        {"backfill", t.backfill},
    });
  }
  const int64_t open_count = l.open_count();
  return {{"from", l.from ? nlohmann::json(l.from->to_string()) : nlohmann::json()},
          {"to", l.to.to_string()},
          {"devices", l.devices},
          {"source", l.stored ? "stored" : "computed"},
          {"records", l.records},
          {"undecodable_records", l.undecodable},
          {"devices_without_details", l.devices_without_details},
          {"registry_problems", l.registry_problems},
          {"open", open_count},
          {"closed", static_cast<int64_t>(l.events.size()) - open_count},
          {"events", list}};
}

std::string source_events_text(const sources::EventList& l) {
  TextTable table({"事件", "状态", "MN", "企业", "排放口", "污染物", "开始", "结束", "说明"});
  for (const sources::EventRow& e : l.events) {
    const sources::EventTransition& t = e.open;
    std::string note;
    switch (t.key.kind) {
      case sources::EventKind::kExceedance: {
        const char* field = t.basis == sources::LimitBasis::kStandardised ? "ZsAvg" : "Avg";
        if (t.cause == sources::ExceedanceCause::kOverRange) {
          note = "标记 T (超测定上限)";
        } else if (t.value && t.limit) {
          note =
              fmt::format("{} {} {} {}", field, t.value->to_string(),
                          t.cause == sources::ExceedanceCause::kBelowLimit ? "<" : ">", t.limit->to_string());
        }
        break;
      }
      case sources::EventKind::kSilence:
        note = "最后数据(或登记)时间 " + t.data_time.to_string();
        break;
      case sources::EventKind::kFlagFault:
        note = std::string("标记 ") + sources::flag_letter(t.key.flag);
        break;
      case sources::EventKind::kStandardCheck:
        note = "SampleRd " + (t.value ? t.value->to_string() : std::string("-")) + ", StandardValue " +
               (t.limit ? t.limit->to_string() : std::string("-"));
        break;
      case sources::EventKind::kFurnaceTemperature:
        if (t.value && t.limit) note = "a01901-Avg " + t.value->to_string() + " < " + t.limit->to_string();
        break;
      case sources::EventKind::kDustExceedance:
        if (t.value && t.limit) note = "TSP 均值 " + t.value->to_string() + " > " + t.limit->to_string();
        break;
      case sources::EventKind::kDustSilence:
        note = "最后数据时间 " + t.data_time.to_string();
        break;
      case sources::EventKind::kTreatmentNotRunning:
      case sources::EventKind::kProductionDuringStop:
        if (t.value && t.limit)
          note = t.value->to_string() + " kW (运行阈值 " + t.limit->to_string() + " kW)";
        break;
    }
    if (t.backfill) note += " [补传]";
    table.add({kind_label(t.key.kind), e.closed_at ? "已结束" : "进行中", t.key.mn, e.enterprise, e.outlet,
               t.key.pollutant, t.at.to_string(), e.closed_at ? e.closed_at->to_string() : "-", note});
  }
  std::string out =
      fmt::format("{} .. {}: {} devices, {} events ({} open), {}\n", l.from ? l.from->to_string() : "start",
                  l.to.to_string(), l.devices, l.events.size(), l.open_count(),
                  l.stored ? "as the gateway raised them"
                           : fmt::format("computed from {} stored records", l.records)) +
      table.render();
  if (l.undecodable > 0) out += std::to_string(l.undecodable) + " stored records could not be decoded\n";
  if (!l.devices_without_details.empty()) {
    out += std::to_string(l.devices_without_details.size()) +
           " devices of source_device have no registry details and were not judged\n";
  }
  return out;
}

nlohmann::json source_rates_json(const sources::RateList& l) {
  nlohmann::json devices = nlohmann::json::array();
  for (const sources::DeviceRate& d : l.devices) {
    nlohmann::json row = rate_json("mn", d.mn, d.rate);
    row["enterprise"] = d.enterprise;
    devices.push_back(std::move(row));
  }
  nlohmann::json outlets = nlohmann::json::array(), enterprises = nlohmann::json::array();
  for (const sources::NamedRate& nr : l.outlets) outlets.push_back(rate_json("outlet", nr.id, nr.rate));
  for (const sources::NamedRate& nr : l.enterprises)
    enterprises.push_back(rate_json("enterprise", nr.id, nr.rate));
  nlohmann::json out = {{"month", l.month},           {"kind", l.kind},
                        {"devices", devices},         {"outlets", outlets},
                        {"enterprises", enterprises}, {"undecodable_records", l.undecodable}};
  if (!l.due_until.empty()) out["due_until"] = l.due_until;  // month to date only
  return out;
}

std::string source_rates_text(const sources::RateList& l) {
  TextTable t({"MN", "企业", "应传", "实传", "有效", "传输率", "有效率", "有效传输率", "结论"});
  for (const sources::DeviceRate& d : l.devices) {
    const auto& c = d.rate.counts;
    t.add({d.mn, d.enterprise, std::to_string(c.expected), std::to_string(c.received),
           std::to_string(c.valid), pct(d.rate.transmission_percent), pct(d.rate.validity_percent),
           pct(d.rate.effective_percent), std::string(sources::rate_verdict_name(d.rate.verdict))});
  }
  TextTable groups({"排放口/企业", "应传", "实传", "有效", "传输率", "有效率", "有效传输率", "结论"});
  for (const auto* rows : {&l.outlets, &l.enterprises}) {
    for (const sources::NamedRate& nr : *rows) {
      const auto& c = nr.rate.counts;
      groups.add({nr.id, std::to_string(c.expected), std::to_string(c.received), std::to_string(c.valid),
                  pct(nr.rate.transmission_percent), pct(nr.rate.validity_percent),
                  pct(nr.rate.effective_percent), std::string(sources::rate_verdict_name(nr.rate.verdict))});
    }
  }
  std::string out = fmt::format("{} 有效传输率 ({} 数据)\n", l.month, l.kind) + t.render();
  if (!l.outlets.empty()) out += groups.render();
  if (l.undecodable) out += std::to_string(l.undecodable) + " stored records could not be decoded\n";
  return out;
}

}  // namespace ecomon
