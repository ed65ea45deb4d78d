// The bulletin model: the facts file (parsing, errors naming file/line/field), industry ranking, and the
// builder on typed figures (air/year_figures.h, the quality reports, sources/year_rates.h):
// sections without data are left out, year-on-year wording appears only with last year's data, every figure
// names its query. The end-to-end run on real data is tests/bulletin_cli_test.cc.
#include "report/bulletin.h"

#include <gtest/gtest.h>

#include <map>

#include "report/charts.h"
#include "report/facts.h"
#include "report/render.h"

namespace ecomon::report {
namespace {

using nlohmann::json;

// An annual air assessment as `ecomon air annual --format json` reports it (values invented, sums consistent:
// by_level adds up to valid = 350): PM2.5 over its limit, CO within it, the others without a statistic.
PeriodAssessment annual(int good, int l1, int heavy) {
  PeriodAssessment a;
  a.days.valid = 350;
  a.days.good = good;
  a.days.good_ratio = Decimal{600, 1};
  a.days.heavy = heavy;
  a.days.by_level = {l1, good - l1, 100, 30, heavy, 0};
  PollutantAssessment& pm = a.pollutants[static_cast<size_t>(index_of(Pollutant::kPM25))];
  pm.pollutant = Pollutant::kPM25;
  pm.assessed = Statistic{"mean", Decimal{44, 0}, Decimal{35, 0}, "annual", false, Decimal{26, 2}};
  PollutantAssessment& co = a.pollutants[static_cast<size_t>(index_of(Pollutant::kCO))];
  co.pollutant = Pollutant::kCO;
  co.assessed = Statistic{"p95_daily_mean", Decimal{16, 1}, Decimal{4, 0}, "24h", true, std::nullopt};
  a.composite = CompositeIndex{"", Decimal{592, 2}, {}};
  return a;
}
// The air year of 2019 with its annual assessment, the change from 2018 and 2018's assessment when given.
AirYearFigures air_year(PeriodAssessment a, std::optional<YearOnYear> yoy = std::nullopt,
                        std::optional<PeriodAssessment> previous = std::nullopt) {
  AirYearFigures f;
  f.annual = std::move(a);
  f.annual_year_on_year = std::move(yoy);
  f.previous = std::move(previous);
  f.daily_error = not_found("no data");
  return f;
}

const std::string kAnnual2019 = "ecomon air annual --city 晋城 --year 2019 --format json";
const std::string kAnnual2018 = "ecomon air annual --city 晋城 --year 2018 --format json";

std::string all_text(const Bulletin& b) {
  std::string s;
  for (const Section& sec : b.sections) s += section_text(sec);
  return s;
}

TEST(BulletinFacts, DemoFileParses) {
  auto f = read_facts_file(std::string(ECOMON_SOURCE_DIR) + "/demo/bulletin-facts-2019.json");
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->year, 2019);
  ASSERT_TRUE(f->enforcement.has_value());
  EXPECT_EQ(f->enforcement->cases, 312);
  EXPECT_EQ(f->enforcement->fines_10k_yuan.to_string(), "2856.4");
  ASSERT_EQ(f->emissions.size(), 2u);
}

TEST(BulletinFacts, ErrorsNameFileLineAndField) {
  auto syntax = parse_facts("{\n  \"year\": 2019,\n  \"city\" \"x\"\n}", "f.json");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.status().message().find("f.json"), std::string::npos);
  EXPECT_NE(syntax.status().message().find("line 3"), std::string::npos) << syntax.status().message();

  auto unknown =
      parse_facts(R"({"year": 2019, "city": "x", "enforcement": {"cases": 1, "fine": 2}})", "f.json");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("enforcement.fine: unknown field"), std::string::npos);

  auto negative = parse_facts(
      R"({"year": 2019, "city": "x", "permit_trading": {"deals": -1, "amount_10k_yuan": 1}})", "f.json");
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("f.json: permit_trading.deals"), std::string::npos);

  auto missing =
      parse_facts(R"({"year": 2019, "city": "x", "solid_waste": {"industrial_generated_10k_t": 1}})", "f");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("solid_waste.industrial_utilised_10k_t: missing"),
            std::string::npos);

  auto bad_decimal =
      parse_facts(R"({"year": 2019, "city": "x", "nature": {"forest_cover_percent": "4l.7"}})", "f");
  ASSERT_FALSE(bad_decimal.ok());
  EXPECT_NE(bad_decimal.status().message().find("nature.forest_cover_percent"), std::string::npos);

  auto rate = parse_facts(
      R"({"year": 2019, "city": "x", "online_monitoring": {"enterprises": 1, "sets": 2, "effective_transmission_rate": 100.1}})",
      "f");
  ASSERT_FALSE(rate.ok());
}

TEST(BulletinFacts, DecimalsKeepTheirScale) {
  EXPECT_EQ(parse_decimal("1580.25")->to_string(), "1580.25");
  EXPECT_EQ(parse_decimal("3120.0")->to_string(), "3120.0");
  EXPECT_FALSE(parse_decimal("1.").has_value());
  EXPECT_FALSE(parse_decimal("1e3").has_value());
  EXPECT_FALSE(parse_decimal("").has_value());
}

TEST(BulletinFacts, TopThreeSharesRoundTheExactSum) {
  // d 13, a 1, b 1, c 1: total 16. d = 13/16 = 81.25% -> 81.2 (half-even, 2 even); a, b (tie, by name) =
  // 6.25% -> 6.2 each; top three = 15/16 = 93.75% -> 93.8 from the exact sum (the rounded parts add to 93.6).
  IndustryEmissions e{
      "二氧化硫",
      "吨",
      {{"c", Decimal{1, 0}}, {"a", Decimal{1, 0}}, {"d", Decimal{13, 0}}, {"b", Decimal{1, 0}}}};
  IndustryRanking r = rank_industries(e);
  EXPECT_EQ(r.total.to_string(), "16");
  ASSERT_EQ(r.ranked.size(), 4u);
  EXPECT_EQ(r.ranked[0].industry, "d");
  EXPECT_EQ(r.ranked[0].share->to_string(), "81.2");
  EXPECT_EQ(r.ranked[1].industry, "a");
  EXPECT_EQ(r.ranked[2].industry, "b");
  EXPECT_EQ(r.ranked[1].share->to_string(), "6.2");
  EXPECT_EQ(r.top3_share->to_string(), "93.8");
  // Mixed scales: 0.5 + 1.25 = 1.75; 0.5/1.75 = 28.571...% -> 28.6.
  IndustryRanking m = rank_industries({"x", "t", {{"p", Decimal{5, 1}}, {"q", Decimal{125, 2}}}});
  EXPECT_EQ(m.total.to_string(), "1.75");
  EXPECT_EQ(m.ranked[1].share->to_string(), "28.6");
}

TEST(BulletinBuild, WithoutLastYearNoChangeIsWritten) {
  auto b = build_bulletin({2019, "晋城", std::nullopt, air_year(annual(210, 20, 5))});
  ASSERT_TRUE(b.ok()) << b.status().message();
  const Section* air = b->section("air");
  ASSERT_NE(air, nullptr);
  std::string text = section_text(*air);
  EXPECT_NE(text.find("优良天数210天（一级20天、二级190天），优良天数比率为60.0%"), std::string::npos)
      << text;
  EXPECT_NE(text.find("细颗粒物（PM2.5）年均浓度为44微克/立方米，超过国家二级标准0.26倍"), std::string::npos)
      << text;
  EXPECT_NE(text.find("一氧化碳（CO）日均值第95百分位数浓度为1.6毫克/立方米，达到国家二级标准"),
            std::string::npos);
  EXPECT_EQ(text.find("同比"), std::string::npos) << text;
  EXPECT_EQ(text.find("持平"), std::string::npos) << text;
  // No water, noise, facts: those sections are left out, the reasons noted.
  EXPECT_EQ(b->section("water"), nullptr);
  EXPECT_EQ(b->section("noise"), nullptr);
  EXPECT_EQ(b->section("radiation"), nullptr);
  EXPECT_FALSE(b->notes.empty());
  EXPECT_EQ(b->subtitle, "由 ecomon 根据监测数据生成");  // no facts file, not claimed
}

TEST(BulletinBuild, ChangesFollowTheModuleAndLastYear) {
  YearOnYear yoy;
  yoy.good_days = {Decimal{50, 1}, Decimal{10, 0}};
  yoy.good_ratio = {std::nullopt, Decimal{29, 1}};
  yoy.heavy_days = {Decimal{-375, 1}, Decimal{-3, 0}};
  yoy.composite = {Decimal{-49, 1}, Decimal{-31, 2}};
  yoy.assessed[static_cast<size_t>(index_of(Pollutant::kPM25))] = {Decimal{-83, 1}, Decimal{-4, 0}};
  auto b =
      build_bulletin({2019, "晋城", std::nullopt, air_year(annual(210, 20, 5), yoy, annual(200, 25, 8))});
  ASSERT_TRUE(b.ok());
  std::string text = section_text(*b->section("air"));
  EXPECT_NE(text.find("综合指数为5.92，同比下降4.9%"), std::string::npos) << text;
  EXPECT_NE(text.find("优良天数同比增加10天，优良天数比率同比上升2.9个百分点"), std::string::npos) << text;
  // Level counts from last year's assessment: 20 - 25 = -5, (210-20) - (200-25) = 15.
  EXPECT_NE(text.find("一级天数同比减少5天，二级天数同比增加15天"), std::string::npos) << text;
  EXPECT_NE(text.find("重污染天数5天，同比减少3天"), std::string::npos) << text;
  EXPECT_NE(text.find("年均浓度为44微克/立方米，同比下降8.3%"), std::string::npos) << text;
  // Every figure names a query that was asked; the 2018 counts are footnoted to the 2018 query.
  for (const Section& s : b->sections) {
    for (const Block& bl : s.blocks) {
      if (const auto* p = std::get_if<Paragraph>(&bl)) {
        for (const ecomon::report::Run& r : *p) {
          EXPECT_LE(static_cast<size_t>(r.query), b->queries.size());
        }
      }
    }
  }
  bool has2018 = false;
  for (const Query& x : b->queries) has2018 = has2018 || x.command_line() == kAnnual2018;
  EXPECT_TRUE(has2018);
}

TEST(BulletinBuild, FactsSectionsAndOverview) {
  auto f = read_facts_file(std::string(ECOMON_SOURCE_DIR) + "/demo/bulletin-facts-2019.json");
  ASSERT_TRUE(f.ok());
  auto b = build_bulletin({2019, "晋城", *f});
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->section("air"), nullptr);
  std::string text = all_text(*b);
  // Enforcement: 312 - 287 = 25 more cases; fines (2856.4 - 3120.0)/3120.0 = -8.4487% -> 下降8.4%.
  EXPECT_NE(text.find("立案查处环境违法案件312件，同比增加25件，罚没款2856.4万元，同比下降8.4%"),
            std::string::npos)
      << text;
  // SO2: total 6120.5+3410.2+1830.0+1204.8+980.4 = 13545.9; 6120.5/13545.9 = 45.18..% -> 45.2;
  // 3410.2/13545.9 = 25.17..% -> 25.2; 1830.0/13545.9 = 13.509..% -> 13.5; top three 11360.7/13545.9
  // = 83.868..% -> 83.9.
  EXPECT_NE(text.find("二氧化硫排放量为13545.9吨"), std::string::npos) << text;
  EXPECT_NE(text.find("分别占45.2%、25.2%、13.5%，合计占83.9%"), std::string::npos) << text;
  // Solid waste: 1890.3/3125.6 = 60.477..% -> 60.5.
  EXPECT_NE(text.find("综合利用率60.5%"), std::string::npos) << text;
  // Reserves: 248.0 + 55.73 + 120.5 = 424.23.
  EXPECT_NE(text.find("自然保护区3个，其中国家级2个、省级1个，总面积424.23平方公里"), std::string::npos)
      << text;
  EXPECT_NE(text.find("数据有效传输率为96.3%"), std::string::npos);
}

// The year's 有效传输率 comes from the sources module when the store holds uploads, not from the facts file.
// January: A 700/744 valid, B 744/744; February: A 600/672 (C expected 0: not counted). Sums: valid 700 + 744
// + 600 = 2044, expected 744 + 744 + 672 = 2160; 2044/2160 = 94.6296..%
// -> 94.6% (GB/T 8170); devices A, B (2) of one enterprise E1.
TEST(BulletinBuild, TransmissionRateFromTheSourcesModule) {
  auto f = read_facts_file(std::string(ECOMON_SOURCE_DIR) + "/demo/bulletin-facts-2019.json");
  ASSERT_TRUE(f.ok());
  BulletinRequest req{2019, "晋城", *f};
  req.rates = sources::YearTransmission{744 + 744 + 672, 700 + 744 + 600, {"A", "B"}, {"E1"}};
  auto b = build_bulletin(req);
  ASSERT_TRUE(b.ok()) << b.status().message();
  std::string text = all_text(*b);
  EXPECT_NE(text.find("自动监控：全市1家企业的2套污染源自动监测设备联网上传数据，全年数据有效传输率为94.6%"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("96.3%"), std::string::npos) << "the facts file's figure must give way to the module's";
  bool cited = false;
  for (const Query& x : b->queries)
    cited = cited || x.command_line() == "ecomon sources rates --month 2019-MM --format json（MM = 01…12）";
  EXPECT_TRUE(cited);
}

// The targets are counted from the typed result: a section meeting its target, one failing it, one without a
// target (not counted) and one without a class (left out): 1 of 2 meet, 50.0%.
TEST(BulletinBuild, WaterTargetsFromTheTypedAssessment) {
  auto section = [](const char* name, std::optional<water::WaterClass> cls,
                    std::optional<water::WaterClass> target, std::optional<bool> meets) {
    water::SectionRow row;
    row.current.name = name;
    row.current.river = "丹河";
    row.current.result.cls = cls;
    row.current.target = target;
    row.current.meets_target = meets;
    return row;
  };
  water::WaterReport w;
  w.sections = {section("a", water::WaterClass::kII, water::WaterClass::kIII, true),
                section("b", water::WaterClass::kIV, water::WaterClass::kIII, false),
                section("c", water::WaterClass::kIII, std::nullopt, std::nullopt),
                section("d", std::nullopt, water::WaterClass::kIII, std::nullopt)};
  BulletinRequest req{2019, "晋城", std::nullopt};
  req.water = std::move(w);
  auto b = build_bulletin(req);
  ASSERT_TRUE(b.ok()) << b.status().message();
  std::string text = section_text(*b->section("water"));
  EXPECT_NE(text.find("全市3个地表水监测断面中，水质"), std::string::npos) << text;
  EXPECT_NE(text.find("设有水质目标的2个断面中，1个达到目标，达标率50.0%"), std::string::npos) << text;
  bool cited = false;
  for (const Query& x : b->queries) {
    cited =
        cited || x.command_line() == "ecomon water assess --year 2019 --vocabulary bulletin --format json";
  }
  EXPECT_TRUE(cited);
}

TEST(BulletinBuild, BadRequestsAndNothingToPublish) {
  EXPECT_FALSE(build_bulletin({2019, "", std::nullopt}).ok());
  EXPECT_FALSE(build_bulletin({99999, "晋城", std::nullopt}).ok());
  auto none = build_bulletin({2019, "晋城", std::nullopt});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("nothing to publish"), std::string::npos);
  Facts f;
  f.year = 2018;
  f.file = "f.json";
  auto wrong_year = build_bulletin({2019, "晋城", f});
  ASSERT_FALSE(wrong_year.ok());
  EXPECT_NE(wrong_year.status().message().find("f.json"), std::string::npos);
}

TEST(BulletinRender, FiguresLinkToTheirQueriesWithoutScript) {
  auto b = build_bulletin({2019, "晋城", std::nullopt, air_year(annual(210, 20, 5))});
  ASSERT_TRUE(b.ok());
  std::string html = render_html(*b, {"jc.db", ""});
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("<a class=\"fig\" href=\"#air-q1\" title=\"" + kAnnual2019 + "\">210</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<div id=\"air-q1\">[1] <code>" + kAnnual2019 + "</code></div>"), std::string::npos);
  EXPECT_NE(html.find("<h2>一、综述</h2>"), std::string::npos);
  // The overview cites the same query under its own anchor: ids stay unique.
  EXPECT_NE(html.find("<div id=\"overview-q1\">"), std::string::npos);
  EXPECT_EQ(html.find("id=\"air-q1\""), html.rfind("id=\"air-q1\""));
  EXPECT_NE(html.find("<svg"), std::string::npos);  // the level-share chart
  json j = bulletin_json(*b);
  EXPECT_EQ(j["queries"][0]["command"], kAnnual2019);
}

TEST(BulletinCharts, CalendarColoursEachDayByLevel) {
  std::string svg =
      level_calendar(2019, {{CivilDay::from_ymd(2019, 1, 1), 1}, {CivilDay::from_ymd(2019, 2, 28), 6}});
  // 365 day cells + 7 legend boxes; the first day green (level 1), 28 Feb dark red (level 6).
  size_t rects = 0;
  for (size_t p = svg.find("<rect"); p != std::string::npos; p = svg.find("<rect", p + 1)) ++rects;
  EXPECT_EQ(rects, 365u + 7u);
  EXPECT_NE(svg.find("fill=\"#00e400\""), std::string::npos);
  EXPECT_NE(svg.find("fill=\"#7e0023\""), std::string::npos);
  EXPECT_EQ(escape_xml("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
}

}  // namespace
}  // namespace ecomon::report
