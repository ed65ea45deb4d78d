// `ecomon bulletin` end to end, as a user runs it: the 2019 bulletin of 晋城 from the national centre's real
// archive plus the demo city's water, groundwater and noise data, checked figure by figure against the
// modules' own query output (the very commands the bulletin footnotes), the PDF rendered to PNG and its text
// extracted; and the demo city, whose two years of air data exercise the year-on-year wording. Skips with a
// message when the shared data or Chromium/poppler are absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/decimal.h"
#include "report/facts.h"
#include "report/pdf.h"
#include "report/phrases.h"
#include "report/render.h"
#include "server/http_test_util.h"
#include "testing/csv_cases.h"
#include "testing/glyph_check.h"
#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using ecomon::testing::read_all;
using ecomon::testing::run_command;
using ecomon::testing::TempDir;
using nlohmann::json;

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

struct Env {
  fs::path db;
  std::string ecomon(const std::string& args) const {
    return std::string(ECOMON_BIN) + " --db " + q(db) + " " + args;
  }
  // A verb that must succeed: its result.
  auto run(const std::string& args) const {
    auto r = run_command(ecomon(args), true);
    EXPECT_EQ(r.code, 0) << args << "\n" << r.out;
    return r;
  }
  // The JSON of a module query, run exactly as the bulletin footnotes it ("air annual --city ...").
  json query(const std::string& args) const {
    auto r = run_command(ecomon(args));
    EXPECT_EQ(r.code, 0) << args << "\n" << r.out;
    return json::parse(r.out, nullptr, false);
  }
};

bool have(const char* program) {
  return run_command(std::string("command -v ") + program + " >/dev/null").code == 0;
}

// Every paragraph of a section of bulletin.json, joined.
std::string section_text(const json& b, const std::string& id) {
  std::string s;
  for (const json& sec : b["sections"]) {
    if (sec["id"] != id) continue;
    for (const json& bl : sec["blocks"]) {
      if (bl.contains("paragraph")) s += bl["paragraph"].get<std::string>() + "\n";
    }
  }
  return s;
}
// The rows of the table whose caption contains `caption`, each as its cells' texts.
std::vector<std::vector<std::string>> table_rows(const json& b, const std::string& caption) {
  std::vector<std::vector<std::string>> rows;
  for (const json& sec : b["sections"]) {
    for (const json& bl : sec["blocks"]) {
      if (!bl.contains("table") || bl["table"].get<std::string>().find(caption) == std::string::npos)
        continue;
      for (const json& row : bl["rows"]) {
        std::vector<std::string> cells;
        for (const json& c : row) cells.push_back(c.contains("figure") ? c["figure"] : c["text"]);
        rows.push_back(cells);
      }
    }
  }
  return rows;
}
std::string num(const json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

constexpr const char* kNames[][2] = {{"PM2.5", "细颗粒物（PM2.5）"}, {"PM10", "可吸入颗粒物（PM10）"},
                                     {"O3", "臭氧（O3）"},           {"SO2", "二氧化硫（SO2）"},
                                     {"NO2", "二氧化氮（NO2）"},     {"CO", "一氧化碳（CO）"}};

// The air paragraph's day counts and the six pollutants equal `air annual`'s output (`air period`'s for a
// period report, whose text says 本季度 or 当月 where the year's says 全年).
void expect_air_figures(const std::string& air, const json& a, const std::string& whole = "全年") {
  const json& d = a["days"];
  EXPECT_TRUE(contains(air, "优良天数" + num(d["good"]) + "天（一级" + num(d["by_level"]["1"]) + "天、二级" +
                                num(d["by_level"]["2"]) + "天），优良天数比率为" + num(d["good_ratio"]) +
                                "%"))
      << air;
  EXPECT_TRUE(contains(air, whole + "有效监测" + num(d["valid"]) + "天")) << air;
  EXPECT_TRUE(contains(air, "重污染天数" + num(d["heavy"]) + "天")) << air;
  EXPECT_TRUE(contains(air, "综合指数为" + num(a["composite_index"]["value"]))) << air;
  for (const auto& [key, name] : kNames) {
    const json& as = a["pollutants"][key]["assessed"];
    std::string unit = as["unit"] == "mg/m3" ? "毫克/立方米" : "微克/立方米";
    EXPECT_TRUE(contains(air, std::string(name)) && contains(air, "为" + num(as["value"]) + unit))
        << key << "\n"
        << air;
    if (as["compliant"] == false) {
      EXPECT_TRUE(contains(air, "超过国家二级标准" + num(as["exceed_multiple"]) + "倍")) << key;
    }
  }
}

TEST(BulletinCli, Jincheng2019FromRealDataWithPdf) {
  std::string why;
  auto shared = ecomon::testing::shared_dir(&why);
  if (!shared) GTEST_SKIP() << "shared data absent: " << why;
  const fs::path archive = *shared / "data/cnemc-2019/jincheng",
                 sites = *shared / "data/cnemc-2019/sites-2022.csv";
  if (!fs::exists(archive) || !fs::exists(sites)) GTEST_SKIP() << "no " << archive << " or " << sites;
  TempDir dir("bulletin_jc");
  Env env{dir.path() / "jc.db"};
  auto imp = run_command(env.ecomon("import cnemc " + q(archive) + " --stations " + q(sites)), true);
  ASSERT_EQ(imp.code, 0) << imp.out;
  // The demo city's water, groundwater and noise data for 2018-2019 (its air goes in too, under 演示市).
  auto demo = run_command(
      env.ecomon("demo --out " + q(dir.path() / "demo") + " --first-year 2018 --last-year 2019"), true);
  ASSERT_EQ(demo.code, 0) << demo.out;

  const bool pdf = have("chromium") && have("pdftoppm") && have("pdftotext") && have("pdffonts");
  const fs::path out = dir.path() / "out";
  auto r = run_command(
      env.ecomon("bulletin --year 2019 --city 晋城 --out " + q(out) + " --facts " +
                 q(fs::path(ECOMON_SOURCE_DIR) / "demo/bulletin-facts-2019.json") + (pdf ? "" : " --no-pdf")),
      true);
  ASSERT_EQ(r.code, 0) << r.out;
  json b = json::parse(read_all(out / "bulletin.json"));
  std::string html = read_all(out / "bulletin.html");

  // Air: the figures are `air annual`'s; 2018 has no data in the archive, so no change from last year is
  // written.
  json a = env.query("air annual --city 晋城 --year 2019 --format json");
  json prev = env.query("air annual --city 晋城 --year 2018 --format json");
  ASSERT_EQ(prev["days"]["valid"], 0) << "the archive holds 2019 only";
  std::string air = section_text(b, "air");
  expect_air_figures(air, a);
  EXPECT_FALSE(contains(air, "同比")) << air;
  EXPECT_FALSE(contains(air, "持平")) << air;
  EXPECT_TRUE(contains(html, "title=\"ecomon air annual --city 晋城 --year 2019 --format json\">" +
                                 num(a["days"]["good"]) + "</a>"));

  // Surface water: every assessed section's row equals `water assess`'s; counts and shares from its classes.
  json w = env.query("water assess --year 2019 --vocabulary bulletin --format json");
  auto rows = table_rows(b, "地表水监测断面水质");
  int n = 0, good = 0;
  for (const json& s : w["sections"]) {
    std::string cls = s["class"];
    if (cls == "-") continue;
    ++n;
    good += cls == "Ⅰ" || cls == "Ⅱ" || cls == "Ⅲ";
    std::vector<std::string> expected = {s["river"],  s["section"], s["previous_class"], cls,
                                         s["status"], s["target"],  s["meets_target"],   s["change"]};
    for (auto& e : expected) e = e == "-" ? "—" : e;
    bool found = false;
    for (const auto& row : rows) found = found || row == expected;
    EXPECT_TRUE(found) << "section " << s["section"];
  }
  ASSERT_GT(n, 0);
  EXPECT_EQ(rows.size(), static_cast<size_t>(n));
  std::string water = section_text(b, "water");
  EXPECT_TRUE(contains(water, std::to_string(n) + "个地表水监测断面中，水质达到或优于Ⅲ类的断面" +
                                  std::to_string(good) + "个，占" +
                                  ecomon::report::share_percent(good, n)->to_string() + "%"))
      << water;
  for (const json& s : w["drinking_sources"]) {
    if (s["source"] == "全市") {
      EXPECT_TRUE(contains(water, "按取水量计水质达标率为" + num(s["volume_rate_percent"]) + "%"));
    }
  }
  // Groundwater: F value, grade and class of each well.
  json g = env.query("groundwater assess --year 2019 --format json");
  auto wells = table_rows(b, "地下水监测井水质");
  size_t assessed = 0;
  for (const json& x : g["wells"]) {
    if (x["class"] == "-") continue;
    ++assessed;
    bool found = false;
    for (const auto& row : wells) {
      found = found || (row[0] == x["well"] && row[2] == x["f_value"] && row[3] == x["f_grade"] &&
                        row[4] == x["class"]);
    }
    EXPECT_TRUE(found) << x["well"];
  }
  EXPECT_EQ(wells.size(), assessed);
  // Noise: every grade with its change from 2018 (the demo has both years) and the total day/night
  // compliance.
  json nz = env.query("noise assess --year 2019 --format json");
  json nz18 = env.query("noise assess --year 2018 --format json");
  std::string noise = section_text(b, "noise");
  for (const json& gr : nz["grades"]) {
    std::string change;
    for (const json& before : nz18["grades"]) {
      if (before["kind"] != gr["kind"] || before["part"] != gr["part"]) continue;
      change = "（" +
               ecomon::report::decibel_change_phrase(*ecomon::report::parse_decimal(num(gr["leq"])),
                                                     *ecomon::report::parse_decimal(num(before["leq"]))) +
               "，2018年" + num(before["leq"]) + "分贝）";
    }
    EXPECT_TRUE(contains(
        noise, "平均等效声级为" + num(gr["leq"]) + "分贝" + change + "，质量等级为" + num(gr["grade"])))
        << gr;
  }
  for (const json& z : nz["zone_compliance"]) {
    if (z["zone"] == "全部" && z["measured"] != 0) {
      EXPECT_TRUE(contains(noise, "达标率为" + num(z["rate_percent"]) + "%")) << z;
    }
  }
  // Acid rain from `rain assess`.
  json rain = env.query("rain assess --year 2019 --format json");
  for (const json& s : rain["sites"]) {
    if (s["site"] == "全市") {
      EXPECT_TRUE(contains(air, "pH均值（雨量加权）为" + num(s["mean_ph"])));
    }
  }
  // Registry facts (the demo file) and the sections that have data.
  EXPECT_TRUE(contains(section_text(b, "work"), "立案查处环境违法案件312件，同比增加25件"));
  EXPECT_TRUE(contains(html, "<svg"));
  EXPECT_EQ(html.find("<script"), std::string::npos);

  if (!pdf) GTEST_SKIP() << "chromium or poppler-utils absent: PDF checks skipped";
  const fs::path pdf_path = out / "bulletin.pdf";
  ASSERT_TRUE(fs::exists(pdf_path));
  auto png = run_command("pdftoppm -r 30 -png " + q(pdf_path) + " " + q(dir.path() / "page"), true);
  ASSERT_EQ(png.code, 0) << png.out;
  int pages = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) pages += e.path().extension() == ".png";
  EXPECT_GE(pages, 3) << "air, water, noise and facts do not fit on two pages";
  auto text = run_command("pdftotext -layout " + q(pdf_path) + " -");
  ASSERT_EQ(text.code, 0);
  EXPECT_TRUE(contains(text.out, "晋城市2019年生态环境状况公报")) << text.out.substr(0, 500);
  EXPECT_TRUE(contains(text.out, "优良天数" + num(a["days"]["good"]) + "天"));
  EXPECT_TRUE(
      contains(text.out, "年均浓度为" + num(a["pollutants"]["PM2.5"]["assessed"]["value"]) + "微克/立方米"));
  EXPECT_TRUE(contains(text.out, "ecomon air annual --city 晋城 --year 2019 --format json"));
  auto fonts = run_command("pdffonts " + q(pdf_path));
  // Chromium embeds Noto Sans CJK's CFF outlines as nameless Type 3 fonts; what must not appear is WenQuanYi
  // Micro Hei, which has no Ⅴ (the glyph check below looks at the pixels).
  EXPECT_FALSE(contains(fonts.out, "WenQuanYi")) << fonts.out;
  // Every font embedded: the column `emb` is the fifth from the end (emb sub uni object-id generation).
  std::istringstream lines(fonts.out);
  int fonts_listed = 0;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::vector<std::string> cols;
    for (std::string x; words >> x;) cols.push_back(x);
    if (cols.size() < 6 || line.rfind("name", 0) == 0 || line.rfind("---", 0) == 0) continue;
    ++fonts_listed;
    EXPECT_EQ(cols[cols.size() - 5], "yes") << line;
  }
  EXPECT_GT(fonts_listed, 0) << fonts.out;
  // What a reader sees: every Roman numeral the text layer places on a page is drawn there (pixels, not
  // text).
  auto glyphs = ecomon::testing::check_numeral_glyphs(pdf_path, dir.path() / "glyphs");
  ASSERT_TRUE(glyphs.ok()) << glyphs.status().message();
  EXPECT_GT(glyphs->checked, 0);
  std::cout << "numerals checked on the pages: " << glyphs->checked << "\n";
  for (const std::string& blank : glyphs->blank) ADD_FAILURE() << blank;
}

// The bulletin's font stack draws the water classes Ⅰ–Ⅴ; the old one (WenQuanYi Micro Hei alone) leaves Ⅴ
// blank, which the pixel check must catch: the same page printed with each font, checked as pictures.
TEST(BulletinCli, NumeralGlyphsDrawnAsPixels) {
  if (!have("chromium") || !have("pdftoppm") || !have("pdftotext"))
    GTEST_SKIP() << "chromium or poppler absent";
  TempDir dir("bulletin_glyphs");
  auto print = [&](const std::string& name, const std::string& family) {
    const fs::path html = dir.path() / (name + ".html"), pdf = dir.path() / (name + ".pdf");
    std::ofstream(html) << "<!doctype html><meta charset=\"utf-8\"><body style='font-family: " << family
                        << "; font-size: 16pt'><p>水质类别 Ⅰ Ⅱ Ⅲ Ⅳ Ⅴ 劣Ⅴ类</p></body>";
    EXPECT_TRUE(ecomon::report::print_pdf(html, pdf, {}).ok());
    return ecomon::testing::check_numeral_glyphs(pdf, dir.path() / name);
  };
  // Six numerals: Ⅰ, Ⅱ, Ⅲ, Ⅳ, Ⅴ alone and the Ⅴ of 劣Ⅴ类 (split into three full-width cells).
  auto now = print("noto", ecomon::report::kBulletinFontFamily);
  ASSERT_TRUE(now.ok()) << now.status().message();
  EXPECT_EQ(now->checked, 6);
  EXPECT_EQ(now->found, (std::vector<std::string>{"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ"}));
  for (const std::string& blank : now->blank) ADD_FAILURE() << blank;
  auto old = print("wqy", "\"WenQuanYi Micro Hei\", sans-serif");
  ASSERT_TRUE(old.ok()) << old.status().message();
  EXPECT_EQ(old->checked, 6);
  ASSERT_EQ(old->blank.size(), 2u) << "WenQuanYi Micro Hei has no Ⅴ: both of its cells must be found blank";
  EXPECT_TRUE(contains(old->blank[0], "'Ⅴ' in 'Ⅴ'")) << old->blank[0];
  EXPECT_TRUE(contains(old->blank[1], "'Ⅴ' in '劣Ⅴ类'")) << old->blank[1];
}

TEST(BulletinCli, DemoCityChangesFromLastYear) {
  TempDir dir("bulletin_demo");
  Env env{dir.path() / "demo.db"};
  auto demo = run_command(
      env.ecomon("demo --out " + q(dir.path() / "demo") + " --first-year 2018 --last-year 2019"), true);
  ASSERT_EQ(demo.code, 0) << demo.out;
  auto r = run_command(
      env.ecomon("bulletin --year 2019 --city 演示市 --no-pdf --out " + q(dir.path() / "out")), true);
  ASSERT_EQ(r.code, 0) << r.out;
  json b = json::parse(read_all(dir.path() / "out/bulletin.json"));
  json a = env.query("air annual --city 演示市 --year 2019 --format json");
  json p = env.query("air annual --city 演示市 --year 2018 --format json");
  ASSERT_GT(p["days"]["valid"].get<int>(), 0);
  std::string air = section_text(b, "air");
  expect_air_figures(air, a);
  // Each pollutant's change: the wording of the module's rounded change, which is the half-even rounding of
  // the exact change between the two years' values.
  using ecomon::report::parse_decimal;
  for (const auto& [key, name] : kNames) {
    auto cur = parse_decimal(num(a["pollutants"][key]["assessed"]["value"]));
    auto old = parse_decimal(num(p["pollutants"][key]["assessed"]["value"]));
    const json& yoy = a["pollutants"][key]["year_on_year"];
    if (!cur || !old || yoy.is_null()) continue;
    std::string phrase = ecomon::report::percent_change_phrase(*cur, *old);
    EXPECT_EQ(phrase, ecomon::report::rounded_percent_phrase(*parse_decimal(num(yoy["percent"])))) << key;
    EXPECT_TRUE(contains(air, std::string(name)) &&
                contains(air, "为" + num(a["pollutants"][key]["assessed"]["value"])));
    EXPECT_TRUE(contains(air, phrase)) << key << " " << phrase << "\n" << air;
  }
  int64_t dg = a["days"]["good"].get<int64_t>() - p["days"]["good"].get<int64_t>();
  EXPECT_TRUE(contains(air, "优良天数" + ecomon::report::days_change_phrase(dg))) << air;
  int64_t dh = a["days"]["heavy"].get<int64_t>() - p["days"]["heavy"].get<int64_t>();
  EXPECT_TRUE(contains(
      air, "重污染天数" + num(a["days"]["heavy"]) + "天，" + ecomon::report::days_change_phrase(dh)));
  int64_t d1 = a["days"]["by_level"]["1"].get<int64_t>() - p["days"]["by_level"]["1"].get<int64_t>();
  EXPECT_TRUE(contains(air, "一级天数" + ecomon::report::days_change_phrase(d1)));
  // The monthly chart compares with last year.
  EXPECT_TRUE(contains(read_all(dir.path() / "out/bulletin.html"), "PM2.5 2018"));
}

TEST(BulletinCli, BadInputIsReportedNotPublished) {
  TempDir dir("bulletin_bad");
  Env env{dir.path() / "none.db"};
  auto no_store =
      run_command(env.ecomon("bulletin --year 2019 --city 晋城 --no-pdf --out " + q(dir.path() / "o")), true);
  EXPECT_EQ(no_store.code, 2);
  EXPECT_TRUE(contains(no_store.out, "no store file")) << no_store.out;
  // An empty store: nothing to publish, no files.
  Env empty{dir.path() / "empty.db"};
  ASSERT_EQ(run_command(empty.ecomon("water assess --year 2019"), true).code, 0);  // creates the store
  auto nothing = run_command(
      empty.ecomon("bulletin --year 2019 --city 晋城 --no-pdf --out " + q(dir.path() / "o")), true);
  EXPECT_EQ(nothing.code, 2);
  EXPECT_TRUE(contains(nothing.out, "nothing to publish")) << nothing.out;
  EXPECT_FALSE(fs::exists(dir.path() / "o" / "bulletin.html"));
  // No browser where one is named: said before anything is written.
  auto browser =
      run_command(empty.ecomon("bulletin --year 2019 --city 晋城 --chromium /nonexistent/chromium --out " +
                               q(dir.path() / "o")),
                  true);
  EXPECT_EQ(browser.code, 2);
  EXPECT_TRUE(contains(browser.out, "Chromium not found at '/nonexistent/chromium'")) << browser.out;
  // A facts file with a typo: the field is named.
  std::ofstream(dir.path() / "f.json") << R"({"city": "晋城", "year": 2019, "enforcment": {}})";
  auto bad = run_command(empty.ecomon("bulletin --year 2019 --city 晋城 --no-pdf --out " +
                                      q(dir.path() / "o") + " --facts " + q(dir.path() / "f.json")),
                         true);
  EXPECT_EQ(bad.code, 2);
  EXPECT_TRUE(contains(bad.out, "f.json: enforcment: unknown field")) << bad.out;
}

}  // namespace

// The demo city's bulletin has every section a city bulletin has (issue 21): the demo's air, water,
// groundwater, noise, rain and soil data, the seeds' ledger with two tasks completed in the year and a
// warning declared and lifted, and a facts file of the year. Each new figure equals the output of the query
// it cites.
TEST(BulletinCli, DemoCityHasEverySection) {
  TempDir dir("bulletin_every_section");
  Env env{dir.path() / "demo.db"};
  auto run = [&](const std::string& args) { return env.run(args); };
  run("demo --out " + q(dir.path() / "demo") + " --first-year 2024 --last-year 2025");
  run("ledger import " + q(fs::path(ECOMON_SOURCE_DIR) / "demo/ledger"));
  run("ledger status air-2021/2 --to in-progress --date 2025-02-01");
  run("ledger status air-2021/2 --to done --date 2025-06-30");
  run("ledger status air-2021/1 --to done --date 2025-03-15");
  run("emergency declare --level orange --from '2025-01-12 20:00' --reason 预测重度污染");
  run("emergency lift --at '2025-01-16 12:00'");
  json facts = json::parse(read_all(fs::path(ECOMON_SOURCE_DIR) / "demo/bulletin-facts-2019.json"));
  facts["year"] = 2025;
  facts["city"] = "演示市";
  const fs::path facts_path = dir.path() / "facts-2025.json";
  std::ofstream(facts_path) << facts.dump(2);
  auto r = run("bulletin --year 2025 --city 演示市 --no-pdf --facts " + q(facts_path) + " --out " +
               q(dir.path() / "out"));
  json b = json::parse(read_all(dir.path() / "out/bulletin.json"));
  std::vector<std::string> ids;
  for (const json& s : b["sections"]) ids.push_back(s["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"overview", "air", "water", "noise", "soil", "radiation", "nature",
                                           "pollution", "work", "chronicle"}));
  // Tables numbered 表1, 表2, ... in the order they appear.
  int n = 0;
  for (const json& s : b["sections"]) {
    for (const json& bl : s["blocks"]) {
      if (!bl.contains("table")) continue;
      EXPECT_EQ(bl["table"].get<std::string>().rfind("表" + std::to_string(++n) + " ", 0), 0u) << bl["table"];
    }
  }
  EXPECT_GE(n, 8);
  // Soil: the rates of `soil assess` and `soil plots`.
  json soil = env.query("soil assess --format json");
  json plots = env.query("soil plots --format json");
  const json& all = soil["summary"].back();
  std::string st = section_text(b, "soil");
  EXPECT_TRUE(contains(st, "全市" + num(all["farmland_points"]) + "个农用地土壤监测点位中，优先保护类" +
                               num(all["priority"]) + "个"))
      << st;
  EXPECT_TRUE(
      contains(st, "受污染耕地安全利用率为" + num(soil["rates"]["farmland_safe_use"]["percent"]) + "%"))
      << st;
  EXPECT_TRUE(contains(st, "污染地块安全利用率为" + num(plots["rate"]["percent"]) + "%")) << st;
  // Drinking water: the city's volumes of `water assess`.
  json w = env.query("water assess --year 2025 --vocabulary bulletin --format json");
  const json& city = w["drinking_sources"].back();
  EXPECT_TRUE(contains(section_text(b, "water"), "全年取水总量" + num(city["volume"]) + "万吨，其中达标水量" +
                                                     num(city["compliant_volume"]) + "万吨"))
      << section_text(b, "water");
  // Noise: the regional day level against last year's.
  json n25 = env.query("noise assess --year 2025 --format json");
  json n24 = env.query("noise assess --year 2024 --format json");
  auto leq = [](const json& j) {
    for (const json& g : j["grades"]) {
      if (g["kind"] == "regional" && g["part"] == "day") return *ecomon::report::parse_decimal(num(g["leq"]));
    }
    return ecomon::Decimal{};
  };
  EXPECT_TRUE(contains(section_text(b, "noise"),
                       "城市区域声环境昼间平均等效声级为" + leq(n25).to_string() + "分贝（" +
                           ecomon::report::decibel_change_phrase(leq(n25), leq(n24)) + "，2024年" +
                           leq(n24).to_string() + "分贝）"))
      << section_text(b, "noise");
  // 大事记: the warning, its lifting and the two tasks, by day.
  auto rows = table_rows(b, "2025年大事记");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1月12日", "20:00起启动重污染天气橙色预警（预测重度污染）"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1月16日", "12:00起解除重污染天气预警"}));
  EXPECT_EQ(rows[2][0], "3月15日");
  EXPECT_TRUE(contains(rows[2][1], "（air-2021/1，完成）")) << rows[2][1];
  EXPECT_EQ(rows[3][0], "6月30日");
  // The facts file of another city is refused, nothing written.
  facts["city"] = "晋城";
  std::ofstream(facts_path) << facts.dump(2);
  auto other = run_command(env.ecomon("bulletin --year 2025 --city 演示市 --no-pdf --facts " + q(facts_path) +
                                      " --out " + q(dir.path() / "other")),
                           true);
  EXPECT_EQ(other.code, 2);
  EXPECT_TRUE(contains(other.out, "city '晋城' is not the bulletin's city '演示市' (--city)")) << other.out;
  EXPECT_FALSE(fs::exists(dir.path() / "other/bulletin.html"));
}

// A quarterly report (季报) of the demo city: the same generator over 2025-Q1, each figure equal to the query
// it cites (`air period --quarter`, each month's `air period --month`, `water assess --period`, `ledger
// report scorecard --as-of` the quarter's last day); its tables as an .xlsx that unzips; bad periods refused.
TEST(BulletinCli, DemoCityQuarterlyReport) {
  TempDir dir("bulletin_quarter");
  Env env{dir.path() / "demo.db"};
  auto run = [&](const std::string& args) { return env.run(args); };
  run("demo --out " + q(dir.path() / "demo") + " --first-year 2024 --last-year 2025");
  run("ledger import " + q(fs::path(ECOMON_SOURCE_DIR) / "demo/ledger"));
  run("ledger status air-2021/1 --to done --date 2025-03-15");
  auto r = run("bulletin --quarter 2025-Q1 --city 演示市 --no-pdf --out " + q(dir.path() / "q"));
  EXPECT_TRUE(contains(r.out, "bulletin.xlsx")) << r.out;
  json b = json::parse(read_all(dir.path() / "q/bulletin.json"));
  EXPECT_EQ(b["title"], "演示市2025年第一季度生态环境质量季报");
  std::vector<std::string> ids;
  for (const json& s : b["sections"]) ids.push_back(s["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"overview", "air", "water", "work"}));

  json a = env.query("air period --city 演示市 --quarter 2025-Q1 --format json");
  std::string air = section_text(b, "air");
  expect_air_figures(air, a, "本季度");
  EXPECT_TRUE(contains(air, "2025年第一季度，演示市环境空气质量综合指数为")) << air;
  // The months' table: each row the month's own `air period --month`.
  auto months = table_rows(b, "各月环境空气质量");
  ASSERT_EQ(months.size(), 3u);
  for (int m = 1; m <= 3; ++m) {
    json am = env.query("air period --city 演示市 --month 2025-0" + std::to_string(m) + " --format json");
    const auto& row = months[static_cast<size_t>(m - 1)];
    EXPECT_EQ(row[0], "2025-0" + std::to_string(m));
    EXPECT_EQ(row[1], num(am["composite_index"]["value"]));
    EXPECT_EQ(row[2], num(am["days"]["valid"]));
    EXPECT_EQ(row[3], num(am["days"]["good"]));
    EXPECT_EQ(row[4], num(am["days"]["good_ratio"]) + "%");
  }

  json w = env.query("water assess --period 2025-Q1 --vocabulary bulletin --format json");
  int assessed = 0;
  for (const json& x : w["sections"]) assessed += x["class"].is_null() ? 0 : 1;
  ASSERT_GT(assessed, 0);
  EXPECT_TRUE(contains(section_text(b, "water"),
                       "2025年第一季度，全市" + std::to_string(assessed) + "个地表水监测断面中"))
      << section_text(b, "water");
  EXPECT_EQ(table_rows(b, "地表水监测断面水质").size(), static_cast<size_t>(assessed));

  json sc = env.query("ledger report scorecard --as-of 2025-03-31 --format json");
  const json& rows = sc.is_object() && sc.contains("rows") ? sc["rows"] : sc;
  int64_t total = 0, done = 0;
  for (const json& x : rows) {
    total += x["total"].get<int64_t>();
    done += x["done"].get<int64_t>();
  }
  ASSERT_GT(total, 0);
  EXPECT_TRUE(contains(section_text(b, "work"), "截至2025-03-31，台账任务（按责任单位计）" +
                                                    std::to_string(total) + "项，已完成" +
                                                    std::to_string(done) + "项"))
      << section_text(b, "work");

  // The workbook is a zip whose sheets hold the tables.
  auto unzip = run_command("unzip -t " + q(dir.path() / "q/bulletin.xlsx"), true);
  if (unzip.code != 127) {
    EXPECT_EQ(unzip.code, 0) << unzip.out;
  }

  // A month: its own words.
  run("bulletin --month 2025-02 --city 演示市 --no-pdf --out " + q(dir.path() / "m"));
  json mb = json::parse(read_all(dir.path() / "m/bulletin.json"));
  EXPECT_EQ(mb["title"], "演示市2025年2月生态环境质量月报");
  expect_air_figures(section_text(mb, "air"),
                     env.query("air period --city 演示市 --month 2025-02 --format json"), "当月");

  // Bad periods and mixed options: refused, naming the option, nothing written.
  for (const auto& [args, says] : std::vector<std::pair<std::string, std::string>>{
           {"--month 2025-13", "--month: period '2025-13': expected a month YYYY-MM or a quarter YYYY-Qn"},
           {"--quarter 2025-Q5", "--quarter: period '2025-Q5'"},
           {"--year 2025 --month 2025-01", "give exactly one of --year, --month and --quarter"},
           {"", "give exactly one of --year, --month and --quarter"},
           {"--month 2025-01 --facts x.json", "--facts belongs to the annual bulletin"}}) {
    auto bad = run_command(
        env.ecomon("bulletin " + args + " --city 演示市 --no-pdf --out " + q(dir.path() / "bad")), true);
    EXPECT_EQ(bad.code, 2) << args;
    EXPECT_TRUE(contains(bad.out, says)) << args << "\n" << bad.out;
  }
  EXPECT_FALSE(fs::exists(dir.path() / "bad"));
}

// The period reports `ecomon serve` writes on schedule (the first run after a period closes) and serves at
// /api/reports: as of 2025-04-01 the month 2025-03 and the quarter 2025-Q1 have closed; both written whole
// (no partial directory left), listed newest first for staff, downloaded byte for byte; the public gets 401,
// an enterprise user 403; parameters that could leave the directory are refused.
TEST(BulletinCli, ServeWritesAndServesThePeriodReports) {
  using ecomon::testing::exchange;
  using ecomon::testing::http_request;
  TempDir dir("bulletin_schedule");
  Env env{dir.path() / "demo.db"};
  env.run("demo --out " + q(dir.path() / "demo") + " --first-year 2024 --last-year 2025");
  // Cheap password hashes for the test's users (ECOMON_PWHASH=min, as the server tests do).
  for (const char* user : {"ana --role analyst --password analyst-pass-1",
                           "e01 --role enterprise --enterprise E01 --password enterprise-pass-1"}) {
    auto r = run_command("ECOMON_PWHASH=min " + env.ecomon(std::string("users add ") + user), true);
    ASSERT_EQ(r.code, 0) << r.out;
  }
  ecomon::testing::ServeProcess serve;
  ASSERT_TRUE(serve.start(env.db.string(), {"--reports-as-of", "2025-04-01", "--report-every", "1",
                                            "--chromium", "/nonexistent/chromium"}));
  const fs::path reports = dir.path() / "reports" / "演示市";
  for (int i = 0; i < 600 && !(fs::exists(reports / "2025-03") && fs::exists(reports / "2025-Q1")); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(fs::exists(reports / "2025-03/bulletin.json"));
  ASSERT_TRUE(fs::exists(reports / "2025-Q1/bulletin.xlsx"));
  EXPECT_FALSE(fs::exists(reports / "2025-03/bulletin.pdf"));  // no browser: no PDF, said at start
  for (const auto& e : fs::directory_iterator(reports)) EXPECT_NE(e.path().filename().string()[0], '.');

  auto sign_in = [&](const std::string& login, const std::string& password) {
    auto r = exchange(serve.port(), http_request("POST", "/api/session", "Content-Type: application/json\r\n",
                                                 json{{"login", login}, {"password", password}}.dump()));
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string cookie = r.headers["set-cookie"];
    return "Cookie: " + cookie.substr(0, cookie.find(';')) + "\r\n";
  };
  const std::string ana = sign_in("ana", "analyst-pass-1");
  auto list = exchange(serve.port(), http_request("GET", "/api/reports", ana));
  ASSERT_EQ(list.status, 200) << list.body;
  json items = json::parse(list.body)["items"];
  ASSERT_EQ(items.size(), 2u) << list.body;
  EXPECT_EQ(items[0]["period"], "2025-Q1");  // newest first: the quarter ends with its last month
  EXPECT_EQ(items[0]["kind"], "quarter");
  EXPECT_EQ(items[0]["title"], "演示市2025年第一季度生态环境质量季报");
  EXPECT_EQ(items[1]["period"], "2025-03");
  EXPECT_EQ(items[1]["files"], json::array({"bulletin.html", "bulletin.xlsx", "bulletin.json"}));

  const std::string city = "%E6%BC%94%E7%A4%BA%E5%B8%82";  // 演示市
  auto file = exchange(
      serve.port(),
      http_request("GET", "/api/reports/file?city=" + city + "&period=2025-03&file=bulletin.json", ana));
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.body, read_all(reports / "2025-03/bulletin.json"));
  EXPECT_EQ(file.headers["content-type"], "application/json");
  EXPECT_TRUE(contains(file.headers["content-disposition"], "attachment"))
      << file.headers["content-disposition"];

  EXPECT_EQ(exchange(serve.port(), http_request("GET", "/api/reports")).status, 401);
  EXPECT_EQ(
      exchange(serve.port(), http_request("GET", "/api/reports", sign_in("e01", "enterprise-pass-1"))).status,
      403);
  for (const std::string& bad : std::vector<std::string>{
           "city=..&period=2025-03&file=bulletin.json", "city=" + city + "&period=..%2F..&file=bulletin.json",
           "city=" + city + "&period=2025-03&file=..%2F..%2Fdemo.db",
           "city=%2Fetc&period=2025-03&file=bulletin.json"}) {
    auto r = exchange(serve.port(), http_request("GET", "/api/reports/file?" + bad, ana));
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
  }
  EXPECT_EQ(exchange(serve.port(),
                     http_request(
                         "GET", "/api/reports/file?city=" + city + "&period=2024-01&file=bulletin.json", ana))
                .status,
            404);
}
