// The bulletin model: the facts file (parsing, errors naming file/line/field), industry ranking, and the
// builder on typed figures (air/year_figures.h, the quality reports, sources/year_rates.h):
// sections without data are left out, year-on-year wording appears only with last year's data, every figure
// names its query. The end-to-end run on real data is tests/bulletin_cli_test.cc.
#include "report/bulletin.h"

#include <gtest/gtest.h>

#include <map>

#include "report/charts.h"
#include "report/facts.h"
#include "report/phrases.h"
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
  req.rates =
      sources::YearTransmission{744 + 744 + 672, 720 + 744 + 650, 700 + 744 + 600, {"A", "B"}, {"E1"}};
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

// The loads against the permitted amounts (app::emission_totals' "permits"): a whole-enterprise amount used
// 16.848 / 15 kg = 112.32 % -> 112.3 % (超许可), an outlet's 43.2 / 50 kg = 86.4 % (未超许可), one without a
// monitored load (无监测数据). One of three over. The section is there without a facts file.
TEST(BulletinBuild, PermittedAmountsTable) {
  BulletinRequest req{2021, "演示市"};
  auto permit = [](const char* outlet, const char* pollutant, Decimal t) {
    return sources::PermittedAmount{"P1", outlet, pollutant, 2021, t, "91140500MA0001X001P"};
  };
  req.permits = {{permit("", "a21026", Decimal{15, 3}), "演示电厂", "演示电厂", 16.848},
                 {permit("", "a34013", Decimal{3, 0}), "演示电厂", "演示电厂", std::nullopt},
                 {permit("P1-G1", "a21002", Decimal{5, 2}), "1#排放口", "演示电厂", 43.2}};
  auto b = build_bulletin(req);
  ASSERT_TRUE(b.ok()) << b.status().message();
  const Section* s = b->section("pollution");
  ASSERT_NE(s, nullptr);
  EXPECT_NE(section_text(*s).find("2021年，按自动监测数据核算，3项许可排放量中1项排放量超过许可量。"),
            std::string::npos)
      << section_text(*s);
  const Table* t = nullptr;
  for (const Block& x : s->blocks) {
    if (auto* y = std::get_if<Table>(&x)) t = y;
  }
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->caption, "表1 2021年重点排污单位许可排放量执行情况");
  ASSERT_EQ(t->rows.size(), 3U);
  auto row = [&](size_t i) {
    std::vector<std::string> out;
    for (const report::Run& r : t->rows[i]) out.push_back(r.text);
    return out;
  };
  EXPECT_EQ(row(0), (std::vector<std::string>{"演示电厂", "二氧化硫", "0.015", "0.017", "112.3", "超许可"}));
  EXPECT_EQ(row(1), (std::vector<std::string>{"演示电厂", "烟尘", "3", "—", "—", "无监测数据"}));
  EXPECT_EQ(row(2), (std::vector<std::string>{"演示电厂（1#排放口）", "氮氧化物", "0.05", "0.043", "86.4",
                                              "未超许可"}));
  bool cited = false;
  for (const Query& x : b->queries)
    cited = cited || x.command_line() == "ecomon emissions --year 2021 --format json";
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

water::SectionRow classed_section(const char* name, water::WaterClass cls) {
  water::SectionRow row;
  row.current.name = name;
  row.current.river = "丹河";
  row.current.result.cls = cls;
  return row;
}

// The facts file must be the bulletin's city: 晋城 and 晋城市 are the same city, 长治 is not.
TEST(BulletinBuild, FactsFileOfAnotherCityIsRefused) {
  Facts f;
  f.year = 2019;
  f.city = "长治";
  f.file = "f.json";
  f.permit_trading = PermitTrading{3, Decimal{125, 1}};
  auto other = build_bulletin({2019, "晋城", f});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().message(), "f.json: city '长治' is not the bulletin's city '晋城' (--city)");
  f.city = "晋城市";
  EXPECT_TRUE(build_bulletin({2019, "晋城", f}).ok());
}

// Tables and charts are numbered in the order they appear: without air (表1, 图1..3 there), the water table
// is 表1 and its chart 图1; with the drinking-water table 表2.
TEST(BulletinBuild, TableNumbersFollowWhatIsPresent) {
  water::WaterReport w;
  w.sections = {classed_section("a", water::WaterClass::kII)};
  BulletinRequest req{2019, "晋城", std::nullopt};
  req.water = w;
  auto b = build_bulletin(req);
  ASSERT_TRUE(b.ok()) << b.status().message();
  const Section* s = b->section("water");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->blocks.size(), 3u);  // paragraph, table, chart
  EXPECT_EQ(std::get<Table>(s->blocks[1]).caption, "表1 2019年地表水监测断面水质");
  EXPECT_EQ(std::get<Chart>(s->blocks[2]).caption, "图1 地表水监测断面水质类别（断面数）");
}

// Drinking-water sources with their volumes: A 600 of 600 compliant, B 300 of 400; the city 900/1000 = 90.0%
// (the module's rounded figures are printed as given).
TEST(BulletinBuild, DrinkingWaterSourcesWithVolumes) {
  water::WaterReport w;
  w.sections = {classed_section("a", water::WaterClass::kII)};
  w.sources = {{"A", 12, 12, Rational{600, 1}, Rational{600, 1}, Decimal{1000, 1}, Decimal{1000, 1}},
               {"B", 12, 9, Rational{400, 1}, Rational{300, 1}, Decimal{750, 1}, Decimal{750, 1}},
               {"", 24, 21, Rational{1000, 1}, Rational{900, 1}, Decimal{875, 1}, Decimal{900, 1}}};
  BulletinRequest req{2019, "晋城", std::nullopt};
  req.water = w;
  auto b = build_bulletin(req);
  ASSERT_TRUE(b.ok()) << b.status().message();
  const Section* s = b->section("water");
  std::string text = section_text(*s);
  EXPECT_NE(
      text.find(
          "全市2个集中式饮用水水源地全年取水总量1000万吨，其中达标水量900万吨，按取水量计水质达标率为90.0%"
          "；监测24次，达标21次，按监测次数计达标率为87.5%。"),
      std::string::npos)
      << text;
  const Table& t = std::get<Table>(s->blocks[4]);
  EXPECT_EQ(t.caption, "表2 2019年集中式饮用水水源地水质达标情况");
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(plain_text(t.rows[1]), "B40030075.0%9/1275.0%");
  EXPECT_EQ(plain_text(t.rows[2]), "全市100090090.0%21/2487.5%");
}

// Groundwater shares by class and by F grade: 4 wells, Ⅲ, Ⅳ, Ⅳ, Ⅴ -> Ⅰ–Ⅲ 1 (25.0%), Ⅳ 2 (50.0%), Ⅴ 1
// (25.0%); F grades of 3 wells (one has none): 良好 1 of 3 = 33.3%, 较差 2 of 3 = 66.7%.
TEST(BulletinBuild, GroundwaterSharesByClassAndGrade) {
  auto well = [](const char* name, groundwater::GwClass c, std::optional<groundwater::FGrade> g) {
    groundwater::WellRow w;
    w.name = name;
    w.result.cls = c;
    if (g) w.f = groundwater::FValue{3, Rational{1, 1}, Decimal{100, 2}, *g};
    return w;
  };
  groundwater::GroundwaterReport g;
  g.wells = {well("J1", groundwater::GwClass::kIII, groundwater::FGrade::kGood),
             well("J2", groundwater::GwClass::kIV, groundwater::FGrade::kPoor),
             well("J3", groundwater::GwClass::kIV, groundwater::FGrade::kPoor),
             well("J4", groundwater::GwClass::kV, std::nullopt)};
  BulletinRequest req{2019, "晋城", std::nullopt};
  req.groundwater = g;
  auto b = build_bulletin(req);
  ASSERT_TRUE(b.ok()) << b.status().message();
  std::string text = section_text(*b->section("water"));
  EXPECT_NE(
      text.find("全市4个地下水监测井中，水质达到或优于Ⅲ类的1个，占25.0%；Ⅳ类2个，占50.0%；Ⅴ类1个，占25.0%。"
                "按综合评价F值，3个监测井中良好级1个，占33.3%，较差级2个，占66.7%。"),
      std::string::npos)
      << text;
}

// Noise with last year: the regional day level 55.3 against 56.0 (-0.7 dB), the night 45.0 against 44.3
// (+0.7); the zones' day rate 62.5% against 71.9% (-9.4 points). Without last year's report no change is
// written.
TEST(BulletinBuild, NoiseYearOnYear) {
  auto report = [](const char* day, const char* night, int64_t compliant) {
    noise::NoiseReport r;
    r.grades = {{false, noise::DayPart::kDay, {*parse_decimal(day), noise::Grade::k3}},
                {false, noise::DayPart::kNight, {*parse_decimal(night), noise::Grade::k2}}};
    r.zones.total_day = {noise::ZoneClass::k1, noise::DayPart::kDay, 32, compliant,
                         share_percent(compliant, 32)};  // 20/32 = 62.5, 23/32 = 71.875 -> 71.9
    return r;
  };
  BulletinRequest req{2019, "晋城", std::nullopt};
  req.noise = report("55.3", "45.0", 20);
  req.noise_previous = report("56.0", "44.3", 23);
  auto b = build_bulletin(req);
  ASSERT_TRUE(b.ok()) << b.status().message();
  std::string text = section_text(*b->section("noise"));
  EXPECT_NE(text.find("城市区域声环境昼间平均等效声级为55.3分贝（同比下降0.7分贝，2018年56."
                      "0分贝），质量等级为三级（一般）"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("夜间平均等效声级为45.0分贝（同比上升0.7分贝，2018年44.3分贝）"), std::string::npos)
      << text;
  EXPECT_NE(text.find("昼间监测32点次，达标率为62.5%，同比下降9.4个百分点"), std::string::npos) << text;
  bool cited = false;
  for (const Query& x : b->queries)
    cited = cited || x.command_line() == "ecomon noise assess --year 2018 --format json";
  EXPECT_TRUE(cited);
  req.noise_previous = not_found("no data");
  auto alone = build_bulletin(req);
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(section_text(*alone->section("noise")).find("同比"), std::string::npos);
}

// The soil section from the typed survey and registry: 10 farmland points 7/2/1 (70.0%, 20.0%, 10.0%), 2
// development-land points (1 negligible, 1 to investigate), the farmland rate 83.0% (below 90), the plots'
// 91.2% (meets 90); both rates in the overview.
TEST(BulletinBuild, SoilSection) {
  soil::SurveyReport r;
  soil::SurveySummary all;
  all.farm_points = 10;
  all.by_category[0] = 7, all.by_category[1] = 2, all.by_category[2] = 1;
  all.dev_points = 2;
  all.by_dev_risk[0] = 1, all.by_dev_risk[2] = 1;
  soil::SurveySummary county = all;
  county.county = "阳城县";
  r.summary = {county, all};
  r.farmland_rate.shown = Decimal{830, 1};
  r.farmland_rate.meets_target = false;
  soil::PlotReport p;
  p.plots = {{"DK-01", "a", "城区", "class1", "100", "safely_used", true},
             {"DK-02", "b", "城区", "class2", "50", "remediated", true},
             {"DK-03", "c", "城区", "class2", "50", "suspected", false}};
  p.rate.shown = Decimal{912, 1};
  p.rate.meets_target = true;
  BulletinRequest req{2019, "晋城", std::nullopt};
  req.soil = r;
  req.plots = p;
  auto b = build_bulletin(req);
  ASSERT_TRUE(b.ok()) << b.status().message();
  const Section* s = b->section("soil");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->title, "土壤环境");
  std::string text = section_text(*s);
  EXPECT_NE(
      text.find(
          "土壤：全市10个农用地土壤监测点位中，优先保护类7个，占70.0%，安全利用类2个，占20.0%，"
          "严格管控类1个，占10.0%；建设用地土壤监测点位2个，其中风险可忽略1个、需详细调查和风险评估1个；"
          "受污染耕地安全利用率为83.0%，未达到90%的目标。"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("建设用地：全市地块名录共3个地块，其中疑似污染地块1个、已修复1个、安全利用1个；"
                      "污染地块安全利用率为91.2%，达到90%的目标。"),
            std::string::npos)
      << text;
  EXPECT_EQ(std::get<Table>(s->blocks[1]).caption, "表1 土壤监测点位评价结果（按区县）");
  std::string overview = section_text(*b->section("overview"));
  EXPECT_NE(overview.find("受污染耕地安全利用率为83.0%；污染地块安全利用率为91.2%"), std::string::npos)
      << overview;
}

// 大事记: the entries in the given order, dated 月日, each citing its query (a task its history, a warning
// the warnings' history); without entries no section.
TEST(BulletinBuild, ChronicleSection) {
  BulletinRequest req{2019, "晋城", std::nullopt};
  req.chronicle = {
      {CivilDay::from_ymd(2019, 1, 12), "emergency", "20:00起启动重污染天气橙色预警", "1"},
      {CivilDay::from_ymd(2019, 11, 3), "ledger", "淘汰燃煤锅炉（air-2021/14，完成）", "air-2021/14"}};
  auto b = build_bulletin(req);
  ASSERT_TRUE(b.ok()) << b.status().message();
  const Section* s = b->section("chronicle");
  ASSERT_NE(s, nullptr);
  const Table& t = std::get<Table>(s->blocks[0]);
  EXPECT_EQ(t.caption, "表1 2019年大事记");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(plain_text(t.rows[0]), "1月12日20:00起启动重污染天气橙色预警");
  EXPECT_EQ(plain_text(t.rows[1]), "11月3日淘汰燃煤锅炉（air-2021/14，完成）");
  EXPECT_EQ(b->queries[static_cast<size_t>(t.rows[0][0].query - 1)].command_line(),
            "ecomon emergency warnings --format json");
  EXPECT_EQ(b->queries[static_cast<size_t>(t.rows[1][0].query - 1)].command_line(),
            "ecomon ledger show air-2021/14 --format json");
  EXPECT_EQ(b->sections.back().id, "chronicle");
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
