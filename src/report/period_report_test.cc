// Period reports (月报, 季报) on typed figures: the periods' parsing and which have closed, the sentences of
// a month and a quarter, the sources' transmission summed over the months, the exceedances, the ledger, parts
// without data left out, and the tables as .xlsx. The run on the demo city is tests/bulletin_cli_test.cc.
#include "report/period_report.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "report/render.h"
#include "report/tables_xlsx.h"
#include "testing/temp_dir.h"

namespace ecomon::report {
namespace {

ReportPeriod period(const char* text) {
  auto p = parse_report_period(text);
  EXPECT_TRUE(p.ok()) << text << ": " << p.status().message();
  return p.ok() ? *p : ReportPeriod{};
}

TEST(ReportPeriod, MonthsAndQuarters) {
  ReportPeriod m = period("2019-01");
  EXPECT_EQ(m.kind, ReportPeriod::Kind::kMonth);
  EXPECT_EQ(m.range.first.to_string(), "2019-01-01");
  EXPECT_EQ(m.range.last.to_string(), "2019-01-31");
  EXPECT_EQ(m.name(), "2019年1月");
  EXPECT_EQ(m.report_name(), "月报");
  EXPECT_EQ(m.previous_year().label, "2018-01");
  ASSERT_EQ(m.months.size(), 1u);

  ReportPeriod q = period("2020-Q1");
  EXPECT_EQ(q.kind, ReportPeriod::Kind::kQuarter);
  EXPECT_EQ(q.range.first.to_string(), "2020-01-01");
  EXPECT_EQ(q.range.last.to_string(), "2020-03-31");  // 2020 is a leap year: February has 29 days
  EXPECT_EQ(q.name(), "2020年第一季度");
  EXPECT_EQ(q.report_name(), "季报");
  ASSERT_EQ(q.months.size(), 3u);
  EXPECT_EQ(q.months[2], MonthKey::of(2020, 3));
  EXPECT_EQ(period("2019-Q4").range.last.to_string(), "2019-12-31");
  EXPECT_EQ(period("2019-Q4").name(), "2019年第四季度");
  EXPECT_EQ(period("2019-12").range.last.to_string(), "2019-12-31");
}

TEST(ReportPeriod, BadTextNamesTheForms) {
  for (const char* bad : {"", "2019", "2019-1", "2019-13", "2019-00", "2019-Q0", "2019-Q5", "2019-q1",
                          "2019/01", "1899-12", "3000-01", "2019-01 ", "２０19-01", "2019-1a"}) {
    auto p = parse_report_period(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_NE(p.status().message().find("YYYY-MM or a quarter YYYY-Qn"), std::string::npos) << bad;
  }
}

TEST(ReportPeriod, ClosedPeriodsEndBeforeToday) {
  auto labels = [](const std::vector<ReportPeriod>& ps) {
    std::vector<std::string> out;
    for (const ReportPeriod& p : ps) out.push_back(p.label);
    return out;
  };
  const CivilDay dec7 = CivilDay::from_ymd(2026, 12, 7);
  EXPECT_EQ(labels(closed_periods(ReportPeriod::Kind::kMonth, dec7, 3)),
            (std::vector<std::string>{"2026-11", "2026-10", "2026-09"}));
  EXPECT_EQ(labels(closed_periods(ReportPeriod::Kind::kQuarter, dec7, 2)),
            (std::vector<std::string>{"2026-Q3", "2026-Q2"}));
  // The first day of a period: the one before has just closed (its report is due that day).
  const CivilDay jan1 = CivilDay::from_ymd(2026, 1, 1);
  EXPECT_EQ(labels(closed_periods(ReportPeriod::Kind::kMonth, jan1, 1)),
            (std::vector<std::string>{"2025-12"}));
  EXPECT_EQ(labels(closed_periods(ReportPeriod::Kind::kQuarter, jan1, 1)),
            (std::vector<std::string>{"2025-Q4"}));
  EXPECT_EQ(labels(closed_periods(ReportPeriod::Kind::kQuarter, CivilDay::from_ymd(2026, 4, 1), 1)),
            (std::vector<std::string>{"2026-Q1"}));
  EXPECT_EQ(labels(closed_periods(ReportPeriod::Kind::kQuarter, CivilDay::from_ymd(2026, 3, 31), 1)),
            (std::vector<std::string>{"2025-Q4"}));
}

sources::DeviceRate device(const std::string& mn, const std::string& enterprise, int64_t expected,
                           int64_t received, int64_t valid) {
  sources::DeviceRate d{mn, enterprise, {}};
  d.rate.counts.expected = expected;
  d.rate.counts.received = received;
  d.rate.counts.valid = valid;
  return d;
}

std::string paragraphs(const Bulletin& b, const std::string& id) {
  const Section* s = b.section(id);
  return s ? section_text(*s) : "";
}

const Table* table(const Bulletin& b, const std::string& caption_part) {
  for (const Section& s : b.sections) {
    for (const Block& block : s.blocks) {
      const auto* t = std::get_if<Table>(&block);
      if (t && t->caption.find(caption_part) != std::string::npos) return t;
    }
  }
  return nullptr;
}

// A quarter of a city with sources and a ledger but no air or water data.
PeriodReportRequest sources_quarter() {
  PeriodReportRequest r{"晋城", period("2019-Q1")};
  r.air = not_found("no data for 晋城");
  r.ranking = std::vector<RankRow>{};
  r.water = not_found("no section");
  // January: enterprise 甲 has two devices (744 hours each, 31 days × 24), 乙 one; a device not expected to
  // upload (expected 0: stopped) is left out. February: 672 hours (28 × 24) for 乙 only. March: none.
  sources::RateList jan{"2019-01", "hourly", "", {}, {}, {}, 0};
  jan.devices = {device("MN1", "甲公司", 744, 744, 700), device("MN2", "甲公司", 744, 740, 740),
                 device("MN3", "乙公司", 744, 744, 744), device("MN4", "乙公司", 0, 0, 0)};
  sources::RateList feb{"2019-02", "hourly", "", {device("MN3", "乙公司", 672, 672, 600)}, {}, {}, 0};
  sources::RateList mar{"2019-03", "hourly", "", {}, {}, {}, 0};
  r.rates = std::vector<sources::RateList>{jan, feb, mar};
  sources::EventList events;
  events.to = sources::SourceTime::of(CivilDay::from_ymd(2019, 4, 1));
  events.devices = 4;
  auto event = [](const std::string& mn, sources::EventKind kind, const std::string& pol,
                  std::optional<Decimal> value, std::optional<Decimal> limit) {
    sources::EventRow e;
    e.open.key = {mn, kind, pol};
    e.open.value = value;
    e.open.limit = limit;
    e.enterprise = mn == "MN3" ? "乙公司" : "甲公司";
    e.outlet = "1号排口";
    return e;
  };
  events.events = {event("MN1", sources::EventKind::kExceedance, "a21026", Decimal{1205, 1}, Decimal{100, 0}),
                   event("MN1", sources::EventKind::kExceedance, "a21026", Decimal{1312, 1}, Decimal{100, 0}),
                   event("MN3", sources::EventKind::kExceedance, "a21002", Decimal{210, 0}, Decimal{200, 0}),
                   event("MN2", sources::EventKind::kSilence, "", std::nullopt, std::nullopt)};
  r.events = events;
  r.scorecard =
      std::vector<ScoreRow>{{"城区", 10, 2, 3, 4, 1, 1, 0, 0, 0}, {"泽州县", 5, 0, 1, 3, 1, 2, 0, 0, 0}};
  return r;
}

TEST(PeriodReport, SourcesSummedOverTheQuartersMonths) {
  auto b = build_period_report(sources_quarter());
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->title, "晋城市2019年第一季度生态环境质量季报");
  // Expected 744 + 744 + 744 + 672 = 2904, received 744 + 740 + 744 + 672 = 2900, valid 700 + 740 + 744 +
  // 600 = 2784; 2784 / 2904 = 95.867...% -> 95.9 (one decimal).
  EXPECT_EQ(paragraphs(*b, "sources").substr(0, paragraphs(*b, "sources").find('\n')),
            "2019年第一季度，全市2家企业的3套污染源自动监测设备应传输数据2904个，实际传输2900个，其中有效数据"
            "2784个，数据有效传输率为95.9%。");
  const Table* t = table(*b, "自动监控数据传输情况");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->rows.size(), 2u);
  // 甲 1440 / 1488 = 96.77% (2 devices); 乙 1344 / 1416 = 94.92%: the lower rate first.
  EXPECT_EQ(t->rows[0][0].text, "乙公司");
  EXPECT_EQ(t->rows[0][1].text, "1");
  EXPECT_EQ(t->rows[0][2].text, "1416");
  EXPECT_EQ(t->rows[0][5].text, "94.9%");
  EXPECT_EQ(t->rows[1][0].text, "甲公司");
  EXPECT_EQ(t->rows[1][1].text, "2");
  EXPECT_EQ(t->rows[1][5].text, "96.8%");
  // Two SO2 exceedances of 甲 (max 131.2 of limit 100), one NOx of 乙, one silence.
  EXPECT_NE(
      paragraphs(*b, "sources")
          .find("自动监控发现超标事件3起（涉及2家企业），离线（数据缺失）事件1起，数据标记异常事件0起。"),
      std::string::npos)
      << paragraphs(*b, "sources");
  const Table* over = table(*b, "污染源超标情况");
  ASSERT_NE(over, nullptr);
  ASSERT_EQ(over->rows.size(), 2u);
  EXPECT_EQ(over->rows[1][0].text, "甲公司");
  EXPECT_EQ(over->rows[1][3].text, "2");
  EXPECT_EQ(over->rows[1][4].text, "131.2");
  EXPECT_EQ(over->rows[1][5].text, "100");
  // The ledger as of the quarter's last day, the rows summed (ScoreRow's order: total, not_started,
  // in_progress, done, closed, overdue): 10 + 5 = 15 total, 4 + 3 = 7 done, 1 + 1 = 2 closed, 3 + 1 = 4 in
  // progress, 2 + 0 = 2 not started, 1 + 2 = 3 overdue.
  EXPECT_NE(
      paragraphs(*b, "work")
          .find("截至2019-03-"
                "31，台账任务（按责任单位计）15项，已完成7项、已销号2项，推进中4项，未启动2项；逾期3项。"),
      std::string::npos)
      << paragraphs(*b, "work");
  // No air data, no ranking, no water: those parts are left out and noted.
  EXPECT_EQ(b->section("air"), nullptr);
  EXPECT_EQ(b->section("water"), nullptr);
  EXPECT_FALSE(b->notes.empty());
  // Every figure names its query; the months of a quarter in one footnote.
  bool months_footnote = false;
  for (const Query& q : b->queries) months_footnote |= q.command_line().find("2019-MM") != std::string::npos;
  EXPECT_TRUE(months_footnote);
}

// The year to date against the year's permitted amounts and the ranking of the city's counties, on the
// quarter 2019-Q1: 1 January to 31 March is 90 of 2019's 365 days, 时间进度 90 / 365 = 24.657 % -> 24.7 %.
//   甲 SO2 3,000 kg of 10 t = 30.0 %: within the amount, above 24.7 -> 高于时间进度;
//   甲's outlet NOx 1,000 kg of 5 t = 20.0 % -> 未超许可;
//   乙 烟尘 2,500 kg of 2 t = 125.0 % -> 超许可;  乙 SO2 without a monitored load -> 无监测数据.
// Counties: 西区 3.50 ranks 1, 东区 6.00 ranks 2 (printed as air rank's JSON does: 3.5, 6.0), one without an
// index is left out of the table.
TEST(PeriodReport, PermitsYearToDateAndCountyRanking) {
  PeriodReportRequest r = sources_quarter();
  EXPECT_EQ(year_to_date(r.period).to_string(), "2019-01-01..2019-03-31");
  auto permit = [](const char* enterprise, const char* outlet, const char* pollutant, Decimal t) {
    return sources::PermittedAmount{enterprise, outlet, pollutant, 2019, t, "L"};
  };
  r.permits = std::vector<sources::PermitUse>{
      {permit("A", "", "a21026", Decimal{10, 0}), "甲公司", "甲公司", 3000.0},
      {permit("A", "A-G1", "a21002", Decimal{5, 0}), "1号排口", "甲公司", 1000.0},
      {permit("B", "", "a34013", Decimal{2, 0}), "乙公司", "乙公司", 2500.0},
      {permit("B", "", "a21026", Decimal{1, 0}), "乙公司", "乙公司", std::nullopt}};
  r.county_ranking = std::vector<RankRow>{{1, "西区", Decimal{350, 2}, "PM2.5"},
                                          {2, "东区", Decimal{600, 2}, "SO2"},
                                          {0, "北区", std::nullopt, ""}};
  auto b = build_period_report(r);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_NE(paragraphs(*b, "sources")
                .find("2019年1—3月，按自动监测数据核算，4项许可排放量中1项排放量超过许可量；时间进度为24.7%，"
                      "1项占许可量高于时间进度。"),
            std::string::npos)
      << paragraphs(*b, "sources");
  const Table* t = table(*b, "2019年1—3月重点排污单位许可排放量执行情况");
  ASSERT_NE(t, nullptr);
  auto row = [](const Table* x, size_t i) {
    std::vector<std::string> out;
    for (const report::Run& run : x->rows[i]) out.push_back(run.text);
    return out;
  };
  ASSERT_EQ(t->rows.size(), 4u);
  EXPECT_EQ(t->header[3], "累计排放量（吨）");
  EXPECT_EQ(row(t, 0),
            (std::vector<std::string>{"甲公司", "二氧化硫", "10", "3.000", "30.0", "高于时间进度"}));
  EXPECT_EQ(row(t, 1),
            (std::vector<std::string>{"甲公司（1号排口）", "氮氧化物", "5", "1.000", "20.0", "未超许可"}));
  EXPECT_EQ(row(t, 2), (std::vector<std::string>{"乙公司", "烟尘", "2", "2.500", "125.0", "超许可"}));
  EXPECT_EQ(row(t, 3), (std::vector<std::string>{"乙公司", "二氧化硫", "1", "—", "—", "无监测数据"}));
  EXPECT_NE(
      paragraphs(*b, "air").find("2019年第一季度，全市2个区县中，环境空气质量综合指数最小的是西区（3.5），"
                                 "最大的是东区（6.0）。"),
      std::string::npos)
      << paragraphs(*b, "air");
  const Table* c = table(*b, "各区县环境空气质量综合指数排名");
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->rows.size(), 2u);
  EXPECT_EQ(row(c, 0), (std::vector<std::string>{"1", "西区", "3.5", "PM2.5"}));
  std::set<std::string> cited;
  for (const Query& q : b->queries) cited.insert(q.command_line());
  EXPECT_TRUE(cited.count("ecomon emissions --from 2019-01-01 --to 2019-03-31 --format json"));
  EXPECT_TRUE(cited.count("ecomon air rank --counties --city 晋城 --quarter 2019-Q1 --format json"));
  // A month: the year to date is January alone (31 / 365 = 8.49 % -> 8.5 %); one county ranks against
  // nothing.
  PeriodReportRequest jan = sources_quarter();
  jan.period = period("2019-01");
  jan.permits =
      std::vector<sources::PermitUse>{{permit("A", "", "a21026", Decimal{10, 0}), "甲公司", "甲公司", 500.0}};
  jan.county_ranking = std::vector<RankRow>{{1, "西区", Decimal{350, 2}, "PM2.5"}};
  auto m = build_period_report(jan);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_NE(paragraphs(*m, "sources")
                .find("2019年1月，按自动监测数据核算，1项许可排放量中无排放量超过许可量的情况；"
                      "时间进度为8.5%，无占许可量高于时间进度的情况。"),
            std::string::npos)
      << paragraphs(*m, "sources");
  EXPECT_EQ(table(*m, "各区县"), nullptr);
  // A failed query is noted with its command line, the rest of the report kept.
  jan.permits = internal_error("store busy");
  auto failed = build_period_report(jan);
  ASSERT_TRUE(failed.ok());
  bool noted = false;
  for (const std::string& n : failed->notes)
    noted |= n.find("ecomon emissions --from 2019-01-01 --to 2019-01-31 --format json: store busy") !=
             std::string::npos;
  EXPECT_TRUE(noted);
  // Amounts without any monitored load: no table, a note.
  jan.permits = std::vector<sources::PermitUse>{
      {permit("A", "", "a21026", Decimal{10, 0}), "甲公司", "甲公司", std::nullopt}};
  auto none = build_period_report(jan);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(table(*none, "许可排放量"), nullptr);
}

TEST(PeriodReport, NothingToPublishIsAnError) {
  PeriodReportRequest r{"晋城", period("2019-02")};
  auto b = build_period_report(r);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("2019-02"), std::string::npos);
  EXPECT_FALSE(build_period_report(PeriodReportRequest{"", period("2019-02")}).ok());
}

TEST(PeriodReport, TablesAsXlsx) {
  auto b = build_period_report(sources_quarter());
  ASSERT_TRUE(b.ok());
  testing::TempDir dir("period_xlsx");
  const auto path = dir.path() / "report.xlsx";
  ASSERT_TRUE(write_tables_xlsx(*b, path).ok());
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  // A zip whose first sheet holds the first table's caption and an enterprise, and numbers as numbers.
  const std::string cmd = "unzip -p '" + path.string() + "' xl/sharedStrings.xml xl/worksheets/sheet1.xml";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string xml;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) xml.append(buf, n);
  const int rc = pclose(p);
  if (rc != 0 && xml.empty()) GTEST_SKIP() << "unzip absent";
  EXPECT_NE(xml.find("表1 2019年第一季度重点排污单位自动监控数据传输情况"), std::string::npos);
  EXPECT_NE(xml.find("乙公司"), std::string::npos);
  EXPECT_NE(xml.find("<v>1416</v>"), std::string::npos);  // a number cell, not a string
  Bulletin empty;
  empty.title = "空";
  EXPECT_FALSE(write_tables_xlsx(empty, dir.path() / "empty.xlsx").ok());
}

}  // namespace
}  // namespace ecomon::report
