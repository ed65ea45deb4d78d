#include "report/period_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "report/bulletin_builder.h"
#include "report/phrases.h"
#include "sources/emissions_format.h"

namespace ecomon::report {

using namespace internal;  // NOLINT: the builder's parts, internal to src/report

namespace {

constexpr int kMinYear = 1900, kMaxYear = 2999, kMonthsPerQuarter = 3, kQuarters = 4, kMonths = 12;
constexpr std::array<const char*, kQuarters> kQuarterNames = {"一", "二", "三", "四"};

ReportPeriod make_period(ReportPeriod::Kind kind, int year, int index) {
  ReportPeriod p;
  p.kind = kind;
  p.year = year;
  p.index = index;
  if (kind == ReportPeriod::Kind::kMonth) {
    p.label = fmt::format("{}-{:02}", year, index);
    p.range = DayRange::month(year, index);
    p.months = {MonthKey::of(year, index)};
  } else {
    p.label = fmt::format("{}-Q{}", year, index);
    p.range = DayRange::quarter(year, index);
    for (int m = 0; m < kMonthsPerQuarter; ++m)
      p.months.push_back(MonthKey::of(year, (index - 1) * 3 + 1 + m));
  }
  return p;
}

PeriodWords period_words(const ReportPeriod& p) {
  const bool month = p.kind == ReportPeriod::Kind::kMonth;
  return {p.label,
          month ? "--month" : "--quarter",
          p.name(),
          p.previous_year().name(),
          month ? "当月" : "本季度",
          month ? "月均浓度" : "季均浓度",
          "本期类别",
          "与上年同期相比"};
}

// ---- air ----

// The rows with an index, and a table of them under `caption` naming the areas (城市, 区县).
std::vector<const RankRow*> ranked_rows(const std::vector<RankRow>& rows) {
  std::vector<const RankRow*> ranked;
  for (const RankRow& x : rows) {
    if (x.rank > 0 && x.composite) ranked.push_back(&x);
  }
  return ranked;
}

Table ranking_table(const std::string& caption, const std::string& area,
                    const std::vector<const RankRow*>& ranked, int q) {
  Table t{caption, {"排名", area, "综合指数", "最大分指数污染物"}, {}};
  for (const RankRow* x : ranked) {
    t.rows.push_back({{std::to_string(x->rank), q},
                      {x->city, 0},
                      {printed(*x->composite).to_string(), q},
                      {x->primary_share.empty() ? "—" : x->primary_share, x->primary_share.empty() ? 0 : q}});
  }
  return t;
}

void air_ranking(Builder& bd, Section& s, const PeriodReportRequest& r) {
  std::vector<std::string> args = {"air", "rank", bd.period().flag, bd.period().label, "--format", "json"};
  const std::vector<RankRow>* rows = bd.figures(r.ranking, args);
  if (!rows) return;
  std::vector<const RankRow*> ranked = ranked_rows(*rows);
  // One city ranks against nothing: the table says nothing then.
  if (ranked.size() < 2)
    return bd.note("air rank: fewer than two cities with an index in " + bd.period().label);
  int q = bd.ref(Query{args, ""});
  const std::string city = city_name(r.city);
  for (const RankRow* x : ranked) {
    if (city_name(x->city) != city) continue;
    Para p;
    p.t(bd.period().name + "，在")
        .f(std::to_string(ranked.size()), q)
        .t("个城市中，" + city + "环境空气质量综合指数排名第");
    p.f(std::to_string(x->rank), q).t("（综合指数越小排名越前）。");
    s.blocks.emplace_back(p.p);
  }
  s.blocks.emplace_back(
      ranking_table(bd.period().name + "各城市环境空气质量综合指数排名", "城市", ranked, q));
}

// The city's counties by composite index (`air rank --counties --city C`): the best and the worst named.
void county_ranking(Builder& bd, Section& s, const PeriodReportRequest& r) {
  std::vector<std::string> args = {
      "air", "rank", "--counties", "--city", r.city, bd.period().flag, bd.period().label, "--format", "json"};
  const std::vector<RankRow>* rows = bd.figures(r.county_ranking, args);
  if (!rows || rows->empty()) return;
  std::vector<const RankRow*> ranked = ranked_rows(*rows);
  if (ranked.size() < 2)
    return bd.note("air rank --counties: fewer than two counties with an index in " + bd.period().label);
  int q = bd.ref(Query{args, ""});
  Para p;
  p.t(bd.period().name + "，全市")
      .f(std::to_string(ranked.size()), q)
      .t("个区县中，环境空气质量综合指数最小的是");
  p.f(ranked.front()->city, q)
      .t("（")
      .f(printed(*ranked.front()->composite).to_string(), q)
      .t("），最大的是");
  p.f(ranked.back()->city, q).t("（").f(printed(*ranked.back()->composite).to_string(), q).t("）。");
  s.blocks.emplace_back(p.p);
  s.blocks.emplace_back(
      ranking_table(bd.period().name + "各区县环境空气质量综合指数排名", "区县", ranked, q));
}

void air_months(Builder& bd, Section& s, const PeriodAirFigures& f, const std::string& city_arg) {
  if (f.months.empty()) return;
  Table t{bd.period().name + "各月环境空气质量",
          {"月份", "综合指数", "有效天数", "优良天数", "优良天数比率", "重污染天数", "PM2.5（微克/立方米）"},
          {}};
  for (const auto& [month, a] : f.months) {
    int q = bd.ref(Query{air_args("period", city_arg, "--month", month), ""});
    const PollutantAssessment& pm = a.pollutants[static_cast<size_t>(index_of(Pollutant::kPM25))];
    auto ratio = printed(a.days.good_ratio);
    t.rows.push_back({{month, 0},
                      {a.composite ? printed(a.composite->value).to_string() : "—", a.composite ? q : 0},
                      {std::to_string(a.days.valid), q},
                      {std::to_string(a.days.good), q},
                      {ratio ? ratio->to_string() + "%" : "—", ratio ? q : 0},
                      {std::to_string(a.days.heavy), q},
                      {pm.assessed ? printed(pm.assessed->value).to_string() : "—", pm.assessed ? q : 0}});
  }
  s.blocks.emplace_back(t);
}

void air_part(Builder& bd, const PeriodReportRequest& r) {
  Section s{"air", "环境空气", {}};
  auto args = air_args("period", r.city, bd.period().flag, bd.period().label);
  const PeriodAirFigures* f = bd.figures(r.air, args);
  if (f && f->assessment.days.valid > 0) {
    int qa = bd.ref(Query{args, ""});
    const PeriodAssessment* prev = f->previous && f->previous->days.valid > 0 ? &*f->previous : nullptr;
    int qp = 0;
    if (prev) {
      qp = bd.ref(Query{air_args("period", r.city, bd.period().flag, r.period.previous_year().label), ""});
    } else {
      bd.note("air: no data for " + r.period.previous_year().label + ", changes from last year left out");
    }
    air_days_paragraph(bd, s, f->assessment, f->year_on_year, qa, prev, qp);
    air_pollutants(bd, s, f->assessment, f->year_on_year, qa);
    air_months(bd, s, *f, r.city);
  } else if (f) {
    bd.note("air: no valid day for " + r.city + " in " + r.period.label);
  }
  air_ranking(bd, s, r);
  county_ranking(bd, s, r);
  bd.add(std::move(s));
}

// ---- sources ----

std::string sources_time_arg(CivilDay d) { return d.to_compact() + "000000"; }

struct Counts {
  int64_t expected = 0, received = 0, valid = 0;
  std::set<std::string> devices;
};

void transmission(Builder& bd, Section& s, const PeriodReportRequest& r) {
  const ReportPeriod& p = r.period;
  std::vector<std::string> args = {"sources",  "rates",
                                   "--month",  p.months.front().first_day().to_string().substr(0, 7),
                                   "--format", "json"};
  Query query{args, ""};
  if (p.months.size() > 1) {
    query.display = fmt::format("ecomon sources rates --month {}-MM --format json（MM = {:02}…{:02}）",
                                p.year, p.months.front().month(), p.months.back().month());
  }
  const std::vector<sources::RateList>* lists = bd.figures(r.rates, args);
  if (!lists) return;
  Counts all;
  std::map<std::string, Counts> by_enterprise;
  for (const sources::RateList& l : *lists) {
    for (const sources::DeviceRate& d : l.devices) {
      if (d.rate.counts.expected == 0) continue;
      for (Counts* c : {&all, &by_enterprise[d.enterprise.empty() ? "（未登记企业）" : d.enterprise]}) {
        c->expected += d.rate.counts.expected;
        c->received += d.rate.counts.received;
        c->valid += d.rate.counts.valid;
        c->devices.insert(d.mn);
      }
    }
  }
  if (all.expected == 0) return bd.note("sources rates: no device expected to upload in " + p.label);
  if (all.received == 0) return bd.note("sources rates: no upload stored for " + p.label);
  int q = bd.ref(query);
  auto rate = share_percent(all.valid, all.expected);
  Para para;
  para.t(bd.period().name + "，全市").f(std::to_string(by_enterprise.size()), q).t("家企业的");
  para.f(std::to_string(all.devices.size()), q).t("套污染源自动监测设备应传输数据");
  para.f(std::to_string(all.expected), q)
      .t("个，实际传输")
      .f(std::to_string(all.received), q)
      .t("个，其中有效数据");
  para.f(std::to_string(all.valid), q).t("个，数据有效传输率为").f(rate->to_string() + "%", q).t("。");
  bd.highlight({{"污染源自动监控数据有效传输率为", 0}, {rate->to_string() + "%", q}});
  s.blocks.emplace_back(para.p);
  // The enterprises, the lowest rate first (what the bureau follows up), then by name.
  std::vector<std::pair<std::string, const Counts*>> rows;
  for (const auto& [name, c] : by_enterprise) rows.emplace_back(name, &c);
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    // valid_a / expected_a < valid_b / expected_b, exactly (counts of a quarter stay far below 2^31).
    return a.second->valid * b.second->expected < b.second->valid * a.second->expected;
  });
  Table t{bd.period().name + "重点排污单位自动监控数据传输情况",
          {"企业", "设备数", "应传输", "实际传输", "有效数据", "有效传输率"},
          {}};
  for (const auto& [name, c] : rows) {
    t.rows.push_back({{name, 0},
                      {std::to_string(c->devices.size()), q},
                      {std::to_string(c->expected), q},
                      {std::to_string(c->received), q},
                      {std::to_string(c->valid), q},
                      {share_percent(c->valid, c->expected)->to_string() + "%", q}});
  }
  s.blocks.emplace_back(t);
}

void exceedances(Builder& bd, Section& s, const PeriodReportRequest& r) {
  const ReportPeriod& p = r.period;
  std::vector<std::string> args = {"sources",  "events",
                                   "--from",   sources_time_arg(p.range.first),
                                   "--to",     sources_time_arg(p.range.last + 1),
                                   "--format", "json"};
  const sources::EventList* list = bd.figures(r.events, args);
  if (!list) return;
  // No device in the registry was judged: the store does not hold the online monitoring.
  if (list->devices == 0 && list->events.empty())
    return bd.note("sources events: no device judged in " + p.label);
  std::array<int64_t, 5> by_kind{};  // by sources::EventKind
  struct Over {
    int64_t count = 0;
    std::optional<Decimal> max_value, limit;
  };
  std::map<std::tuple<std::string, std::string, std::string>, Over> over;
  std::set<std::string> enterprises;
  for (const sources::EventRow& e : list->events) {
    ++by_kind[static_cast<size_t>(e.open.key.kind)];
    if (e.open.key.kind != sources::EventKind::kExceedance) continue;
    const std::string enterprise = e.enterprise.empty() ? e.open.key.mn : e.enterprise;
    enterprises.insert(enterprise);
    Over& o = over[{enterprise, e.outlet, e.open.key.pollutant}];
    ++o.count;
    if (e.open.value && (!o.max_value || *o.max_value < *e.open.value)) o.max_value = e.open.value;
    if (e.open.limit) o.limit = e.open.limit;
  }
  int q = bd.ref(Query{args, ""});
  Para para;
  const auto kind = [&](sources::EventKind k) { return std::to_string(by_kind[static_cast<size_t>(k)]); };
  para.t(bd.period().name + "，自动监控发现超标事件").f(kind(sources::EventKind::kExceedance), q).t("起");
  if (!enterprises.empty()) para.t("（涉及").f(std::to_string(enterprises.size()), q).t("家企业）");
  para.t("，离线（数据缺失）事件").f(kind(sources::EventKind::kSilence), q).t("起，数据标记异常事件");
  para.f(kind(sources::EventKind::kFlagFault), q).t("起。");
  s.blocks.emplace_back(para.p);
  if (over.empty()) return;
  Table t{
      bd.period().name + "污染源超标情况", {"企业", "排放口", "污染物", "超标次数", "最大值", "限值"}, {}};
  for (const auto& [key, o] : over) {
    const auto& [enterprise, outlet, pollutant] = key;
    t.rows.push_back({{enterprise, 0},
                      {outlet.empty() ? "—" : outlet, 0},
                      {sources::pollutant_name(pollutant), 0},
                      {std::to_string(o.count), q},
                      {o.max_value ? o.max_value->to_string() : "—", o.max_value ? q : 0},
                      {o.limit ? o.limit->to_string() : "—", o.limit ? q : 0}});
  }
  s.blocks.emplace_back(t);
}

// The year to date against the year's permitted amounts, with the year's elapsed share (时间进度).
void permits(Builder& bd, Section& s, const PeriodReportRequest& r) {
  const DayRange ytd = year_to_date(r.period);
  std::vector<std::string> args = {"emissions", "--from", ytd.first.to_string(), "--to", ytd.last.to_string(),
                                   "--format",  "json"};
  const std::vector<sources::PermitUse>* list = bd.figures(r.permits, args);
  if (!list || list->empty()) return;
  // Amounts without any monitored load (the store holds no uploads of the year): a table of 无监测数据 says
  // nothing of the period.
  if (std::none_of(list->begin(), list->end(), [](const sources::PermitUse& u) { return u.kg.has_value(); }))
    return bd.note("emissions: no monitored load for the " + std::to_string(list->size()) +
                   " permitted amounts of " + std::to_string(r.period.year));
  constexpr double kHundred = 100;
  const double elapsed =
      static_cast<double>(ytd.size()) * kHundred / static_cast<double>(DayRange::year(r.period.year).size());
  const std::string words = ytd.first.month() == ytd.last.month()
                                ? fmt::format("{}年{}月", r.period.year, ytd.last.month())
                                : fmt::format("{}年1—{}月", r.period.year, ytd.last.month());
  permits_table(bd, s, *list, {words, Query{args, ""}, "累计排放量（吨）", elapsed});
}

void sources_part(Builder& bd, const PeriodReportRequest& r) {
  Section s{"sources", "污染源自动监控", {}};
  transmission(bd, s, r);
  exceedances(bd, s, r);
  permits(bd, s, r);
  bd.add(std::move(s));
}

// ---- the ledger ----

void ledger_part(Builder& bd, const PeriodReportRequest& r) {
  const std::string as_of = r.period.range.last.to_string();
  std::vector<std::string> args = {"ledger", "report", "scorecard", "--as-of", as_of, "--format", "json"};
  const std::vector<ScoreRow>* rows = bd.figures(r.scorecard, args);
  if (!rows) return;
  ScoreRow all;
  for (const ScoreRow& x : *rows) {
    all.total += x.total;
    all.done += x.done;
    all.closed += x.closed;
    all.in_progress += x.in_progress;
    all.not_started += x.not_started;
    all.overdue += x.overdue;
  }
  if (all.total == 0) return bd.note("ledger: no task as of " + as_of);
  int q = bd.ref(Query{args, ""});
  Section s{"work", "重点任务进展", {}};
  Para p;
  p.t("截至" + as_of + "，台账任务（按责任单位计）").f(std::to_string(all.total), q).t("项，已完成");
  p.f(std::to_string(all.done), q).t("项、已销号").f(std::to_string(all.closed), q).t("项，推进中");
  p.f(std::to_string(all.in_progress), q).t("项，未启动").f(std::to_string(all.not_started), q);
  p.t("项；逾期").f(std::to_string(all.overdue), q).t("项。");
  s.blocks.emplace_back(p.p);
  Table t{"各责任单位任务进展（截至" + as_of + "）",
          {"责任单位", "任务数", "完成", "销号", "推进中", "未启动", "逾期"},
          {}};
  for (const ScoreRow& x : *rows) {
    t.rows.push_back({{x.unit, 0},
                      {std::to_string(x.total), q},
                      {std::to_string(x.done), q},
                      {std::to_string(x.closed), q},
                      {std::to_string(x.in_progress), q},
                      {std::to_string(x.not_started), q},
                      {std::to_string(x.overdue), q}});
  }
  s.blocks.emplace_back(t);
  bd.add(std::move(s));
}

}  // namespace

DayRange year_to_date(const ReportPeriod& p) {
  return DayRange{CivilDay::from_ymd(p.year, 1, 1), p.range.last};
}

ReportPeriod ReportPeriod::previous_year() const { return make_period(kind, year - 1, index); }

std::string ReportPeriod::name() const {
  return kind == Kind::kMonth
             ? fmt::format("{}年{}月", year, index)
             : fmt::format("{}年第{}季度", year, kQuarterNames[static_cast<size_t>(index - 1)]);
}

std::string ReportPeriod::report_name() const { return kind == Kind::kMonth ? "月报" : "季报"; }

StatusOr<ReportPeriod> parse_report_period(std::string_view text) {
  auto bad = [&] {
    return invalid_argument("period '" + std::string(text) +
                            "': expected a month YYYY-MM or a quarter YYYY-Qn (year 1900-2999)");
  };
  constexpr size_t kYearDigits = 4, kLength = 7;
  if (text.size() != kLength || text[kYearDigits] != '-') return bad();
  int year = 0;
  for (size_t i = 0; i < kYearDigits; ++i) {
    if (text[i] < '0' || text[i] > '9') return bad();
    year = year * 10 + (text[i] - '0');
  }
  if (year < kMinYear || year > kMaxYear) return bad();
  const char a = text[5], b = text[6];
  if (a == 'Q' && b >= '1' && b <= '4') return make_period(ReportPeriod::Kind::kQuarter, year, b - '0');
  if (a < '0' || a > '9' || b < '0' || b > '9') return bad();
  const int month = (a - '0') * 10 + (b - '0');
  if (month < 1 || month > kMonths) return bad();
  return make_period(ReportPeriod::Kind::kMonth, year, month);
}

std::vector<ReportPeriod> closed_periods(ReportPeriod::Kind kind, CivilDay today, int count) {
  std::vector<ReportPeriod> out;
  const int per = kind == ReportPeriod::Kind::kMonth ? 1 : kMonthsPerQuarter;
  // The period holding today is open; the one before it closed when today's period began.
  int ordinal = (today.year() * kMonths + today.month() - 1) / per - 1;  // periods since year 0
  const int per_year = kMonths / per;
  for (int i = 0; i < count; ++i, --ordinal) {
    const int year = ordinal / per_year, index = ordinal % per_year + 1;
    if (year < kMinYear) break;
    out.push_back(make_period(kind, year, index));
  }
  return out;
}

StatusOr<Bulletin> build_period_report(const PeriodReportRequest& request) {
  if (request.city.empty()) return invalid_argument("--city is empty");
  if (request.period.label.empty()) return invalid_argument("no period");
  BulletinRequest base;
  base.year = request.period.year;
  base.city = request.city;
  base.water = request.water;
  Builder bd(base, period_words(request.period));
  bd.bulletin().title =
      city_name(request.city) + request.period.name() + "生态环境质量" + request.period.report_name();
  bd.bulletin().subtitle = "由 ecomon 根据监测数据生成";
  air_part(bd, request);
  Section water{"water", "地表水环境", {}};
  surface_water(bd, water);
  bd.add(std::move(water));
  sources_part(bd, request);
  ledger_part(bd, request);
  Section o = overview(bd);
  Bulletin b = std::move(bd.bulletin());
  number_tables_and_charts(b);
  if (b.sections.empty()) {
    return not_found("no data for " + request.city + " in " + request.period.label +
                     " (air, water, sources, ledger): nothing to publish");
  }
  if (!o.blocks.empty()) b.sections.insert(b.sections.begin(), std::move(o));
  return b;
}

}  // namespace ecomon::report
