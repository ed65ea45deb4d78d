// `ecomon demo` with the demo city's quality data, and `ecomon water|groundwater|noise|rain` as a user runs
// them: the documented JSON of each assessment, idempotent imports, and bad input reported at file:line
// [column] with nothing stored from the bad rows (docs/quality-import.md).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/quality_csv.h"
#include "store/quality/test_quality_store.h"
#include "store/sqlite_stores.h"
#include "testing/run_command.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using CmdResult = ecomon::testing::CommandResult;

// Runs ecomon with the given arguments (stderr folded into stdout when `with_stderr`).
CmdResult ecomon(const std::string& args, bool with_stderr = false) {
  return ecomon::testing::run_command(std::string(ECOMON_BIN) + " " + args, with_stderr);
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// The value of a store read that must succeed (by value, so that a range-for over it owns it).
template <class T>
T value_of(ecomon::StatusOr<T> s) {
  EXPECT_TRUE(s.ok()) << s.status().to_string();
  if (!s.ok()) return T{};
  return std::move(*s);
}

class QualityCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = new fs::path(fs::temp_directory_path() / ("ecomon_quality_cli_test_" + std::to_string(::getpid())));
    fs::remove_all(*dir);
    fs::create_directories(*dir);
    db_path = new fs::path(*dir / "demo.db");
    db = new std::string("--db " + quoted(*db_path));
    CmdResult r = ecomon(*db + " demo --out " + quoted(*dir / "demo"), true);
    ASSERT_EQ(r.code, 0) << r.out;
    demo_output = new std::string(r.out);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir);
    delete dir;
    delete db_path;
    delete db;
    delete demo_output;
  }
  static fs::path quality_dir() { return *dir / "demo" / "quality"; }

  // JSON of `ecomon <kind> assess ARGS --format json`, which must succeed.
  static json assess(const std::string& kind, const std::string& args) {
    CmdResult r = ecomon(*db + " " + kind + " assess " + args + " --format json", true);
    EXPECT_EQ(r.code, 0) << r.out;
    return json::parse(r.out, nullptr, false);
  }

  // Every quality record in the store, as one text (for "nothing changed" comparisons).
  static std::string dump_store() {
    auto qs = ecomon::TestQualityStore::open(db_path->string());
    EXPECT_TRUE(qs.ok());
    std::string s;
    auto add = [&s](std::initializer_list<std::string> fields) {
      for (const std::string& f : fields) s += f + "|";
      s += "\n";
    };
    for (const auto& r : value_of((*qs)->water_sections()))
      add({r.name, r.river, r.county, r.body, r.target, r.level});
    for (const auto& r : value_of((*qs)->water_values("0000-01", "9999-12")))
      add({r.subject, r.period, r.item, r.value});
    for (const auto& r : value_of((*qs)->wells())) add({r.name, r.county, r.kind});
    for (const auto& r : value_of((*qs)->well_values("0000-01-01", "9999-12-31"))) {
      add({r.subject, r.period, r.item, r.value, r.not_detected ? "nd" : ""});
    }
    for (const auto& r : value_of((*qs)->sources())) add({r.name, r.county, r.kind});
    for (const auto& r : value_of((*qs)->source_values("0000-01", "9999-12")))
      add({r.subject, r.period, r.item, r.value, r.volume});
    for (const auto& r : value_of((*qs)->noise_points())) add({r.name, r.kind, r.zone, r.length});
    for (const auto& r : value_of((*qs)->noise_values("0000-01-01", "9999-12-31")))
      add({r.point, r.date, r.part, r.leq, r.lmax});
    for (const auto& r : value_of((*qs)->rain_samples("0000-01-01", "9999-12-31")))
      add({r.site, r.date, r.ph, r.rainfall});
    return s;
  }

  // Writes `text` to a file named `name` in a fresh directory of its own.
  static fs::path write_case(const std::string& name, const std::string& text) {
    static int counter = 0;
    fs::path d = *dir / ("case" + std::to_string(counter++));
    fs::create_directories(d);
    std::ofstream(d / name, std::ios::binary) << text;
    return d / name;
  }

  static inline fs::path* dir = nullptr;
  static inline fs::path* db_path = nullptr;
  static inline std::string* db = nullptr;
  static inline std::string* demo_output = nullptr;
};

TEST_F(QualityCli, DemoWritesAndImportsTheQualityData) {
  for (const char* f :
       {"water_sections.csv", "water_values.csv", "drinking_sources.csv", "drinking_samples.csv", "wells.csv",
        "well_values.csv", "noise_points.csv", "noise_values.csv", "rain_samples.csv"}) {
    EXPECT_TRUE(fs::exists(quality_dir() / f)) << f;
  }
  for (const char* line :
       {"quality water: 4 files, 3577 rows stored, 0 rejected",
        "quality groundwater: 2 files, 310 rows stored, 0 rejected",
        "quality noise: 2 files, 266 rows stored, 0 rejected", "quality rain: 1 files, "}) {
    EXPECT_NE(demo_output->find(line), std::string::npos) << line << "\n" << *demo_output;
  }
  EXPECT_NE(demo_output->find("22 water sections, 10 wells, 3 drinking-water sources, 34 noise points"),
            std::string::npos)
      << *demo_output;
}

TEST_F(QualityCli, WaterAssessJsonHasEverySectionWithClassAndTarget) {
  json j = assess("water", "--year 2025");
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["period"], "2025");
  EXPECT_EQ(j["first_month"], "2025-01");
  EXPECT_EQ(j["last_month"], "2025-12");
  ASSERT_TRUE(j["sections"].is_array());
  ASSERT_EQ(j["sections"].size(), 22u);
  const std::vector<std::string> classes = {"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"};
  for (const json& s : j["sections"]) {
    for (const char* key : {"section", "river", "target", "months", "class", "status", "meets_target",
                            "over_target", "main_pollutants", "previous_class", "change", "items"}) {
      EXPECT_TRUE(s.contains(key)) << key << " in " << s.dump();
    }
    EXPECT_NE(std::find(classes.begin(), classes.end(), s["class"].get<std::string>()), classes.end())
        << s.dump();
    EXPECT_NE(std::find(classes.begin(), classes.end() - 1, s["target"].get<std::string>()),
              classes.end() - 1)
        << s.dump();
    EXPECT_EQ(s["months"], 12);
    EXPECT_EQ(s["items"].size(), 6u);
    EXPECT_NE(s["previous_class"], "-");  // 2024 is in the store too
  }
  // Seed 002 annex 1: 郑庄 Ⅲ, 北焦庄 Ⅳ, 洞头 Ⅴ; 拴驴泉's provincial target is the demo's Ⅱ.
  std::map<std::string, std::string> target;
  for (const json& s : j["sections"]) target[s["section"]] = s["target"];
  EXPECT_EQ(target["郑庄"], "Ⅲ");
  EXPECT_EQ(target["北焦庄"], "Ⅳ");
  EXPECT_EQ(target["洞头"], "Ⅴ");
  EXPECT_EQ(target["拴驴泉"], "Ⅱ");
  ASSERT_TRUE(j["rivers"].is_array());
  int sections_in_rivers = 0;
  for (const json& r : j["rivers"]) {
    for (const char* key : {"river", "sections", "method", "mean_class", "good_share_percent",
                            "worse_v_share_percent", "status", "change"}) {
      EXPECT_TRUE(r.contains(key)) << key;
    }
    sections_in_rivers += r["sections"].get<int>();
  }
  EXPECT_EQ(sections_in_rivers, 22);
  ASSERT_EQ(j["drinking_sources"].size(), 4u);  // three sources and the city total
  EXPECT_EQ(j["drinking_sources"].back()["source"], "全市");
  EXPECT_EQ(j["drinking_sources"].back()["samples"], 36);
}

TEST_F(QualityCli, GroundwaterNoiseAndRainAssessJson) {
  json g = assess("groundwater", "--year 2025");
  ASSERT_FALSE(g.is_discarded());
  ASSERT_EQ(g["wells"].size(), 10u);
  for (const json& w : g["wells"]) {
    for (const char* key :
         {"well", "county", "indicators", "class", "over_class_three", "f_value", "f_grade"}) {
      EXPECT_TRUE(w.contains(key)) << key;
    }
    EXPECT_EQ(w["indicators"], 15);
    EXPECT_NE(w["class"], "-");
  }

  json n = assess("noise", "--year 2025");
  ASSERT_FALSE(n.is_discarded());
  ASSERT_TRUE(n["zone_compliance"].is_array());
  int day_measured = 0;
  for (const json& z : n["zone_compliance"]) {
    if (z["zone"] == "全部" && z["part"] == "day") day_measured = z["measured"];
  }
  EXPECT_EQ(day_measured, 32);  // 8 functional-zone points, quarterly
  std::set<std::string> grades;
  for (const json& gr : n["grades"])
    grades.insert(gr["kind"].get<std::string>() + "/" + gr["part"].get<std::string>());
  EXPECT_EQ(grades, (std::set<std::string>{"regional/day", "regional/night", "road/day", "road/night"}));

  json r = assess("rain", "--year 2025");
  ASSERT_FALSE(r.is_discarded());
  ASSERT_EQ(r["sites"].size(), 1u);
  const json& site = r["sites"][0];
  EXPECT_EQ(site["site"], "演示市监测站");
  EXPECT_GT(site["samples"].get<int>(), 30);
  for (const char* key : {"mean_ph", "min_ph", "acid_frequency_percent", "heavier_frequency_percent",
                          "heavy_frequency_percent", "class"}) {
    EXPECT_TRUE(site.contains(key)) << key;
  }
  const double mean_ph = std::stod(site["mean_ph"].get<std::string>());
  EXPECT_GT(mean_ph, 4.2);
  EXPECT_LT(mean_ph, 7.6);
}

TEST_F(QualityCli, ImportingTheSameFilesAgainChangesNothing) {
  const std::string before = dump_store();
  ASSERT_GT(before.size(), 100000u);
  const json water_before = assess("water", "--year 2025");
  for (int round = 0; round < 2; ++round) {
    for (const char* kind : {"water", "groundwater", "noise", "rain"}) {
      CmdResult r = ecomon(*db + " " + kind + " import " + quoted(quality_dir()), true);
      EXPECT_EQ(r.code, 0) << kind << "\n" << r.out;
      // One line per file, "<file>: N rows stored, 0 rejected", and no issue lines.
      std::istringstream lines(r.out);
      int files = 0;
      for (std::string line; std::getline(lines, line); ++files) {
        EXPECT_TRUE(line.ends_with(" rows stored, 0 rejected")) << line;
      }
      EXPECT_EQ(files, std::string(kind) == "water" ? 4 : std::string(kind) == "rain" ? 1 : 2) << r.out;
    }
    EXPECT_EQ(dump_store(), before) << "round " << round;
  }
  EXPECT_EQ(assess("water", "--year 2025"), water_before);
}

struct BadCase {
  const char* name;
  const char* file;  // template file name
  const char* text;
  const char* where;    // expected "file:line [column]"
  const char* message;  // expected part of the message
};

TEST_F(QualityCli, BadInputIsReportedAtFileLineColumnAndNothingOfItIsStored) {
  const std::string before = dump_store();
  const BadCase cases[] = {
      {"unknown item", "water_values.csv", "section,month,item,value,unit\n赵庄,2026-01,叶绿素,3.2,mg/L\n",
       "water_values.csv:2 [item]", "'叶绿素' is not a GB 3838 Table 1 item"},
      {"non-numeric value", "water_values.csv",
       "section,month,item,value,unit\n# a comment line\n赵庄,2026-01,NH3_N,0.4x,mg/L\n",
       "water_values.csv:3 [value]", "'0.4x' is not a number"},
      {"section without target", "water_sections.csv",
       "section,river,county,body,target,level\n新建断面,丹河,城区,river,,市考\n",
       "water_sections.csv:2 [target]", "has no target class"},
      {"unit that does not fit", "water_values.csv",
       "section,month,item,value,unit\n赵庄,2026-01,COD,12,ug/L\n", "water_values.csv:2 [unit]",
       "'ug/L' does not fit 化学需氧量"},
      {"negative value", "well_values.csv",
       "well,date,indicator,value,unit\nJ01,2026-05-15,nitrate,-1.5,mg/L\n", "well_values.csv:2 [value]",
       "is negative"},
      {"noise dB out of range", "noise_values.csv", "point,date,part,leq,lmax\n网格01,2026-06-10,day,256,\n",
       "noise_values.csv:2 [leq]", "is above 200"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path file = write_case(c.file, c.text);
    std::string kind = std::string(c.file).rfind("water", 0) == 0  ? "water"
                       : std::string(c.file).rfind("well", 0) == 0 ? "groundwater"
                                                                   : "noise";
    CmdResult r = ecomon(*db + " " + kind + " import " + quoted(file), true);
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.out.find(c.where), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("0 rows stored, 1 rejected"), std::string::npos) << r.out;
    // The same file in a directory import: the same report.
    CmdResult d = ecomon(*db + " " + kind + " import " + quoted(file.parent_path()), true);
    EXPECT_EQ(d.code, 1) << d.out;
    EXPECT_NE(d.out.find(c.where), std::string::npos) << d.out;
  }
  EXPECT_EQ(dump_store(), before);
  EXPECT_EQ(assess("water", "--year 2025")["sections"].size(), 22u);  // 新建断面 was not registered
}

TEST_F(QualityCli, GoodRowsAroundABadRowAreKeptAndTheBadOneIsNot) {
  // docs/quality-import.md: a bad row is dropped and reported; the file's good rows are stored in one
  // transaction.
  const fs::path file = write_case("rain_samples.csv",
                                   "site,date,ph,rainfall_mm\n"
                                   "演示市监测站,2027-03-01,5.10,12.0\n"
                                   "演示市监测站,2027-03-04,pH?,3.0\n"
                                   "演示市监测站,2027-03-09,4.90,7.5\n");
  CmdResult r = ecomon(*db + " rain import " + quoted(file), true);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("rain_samples.csv:3 [ph]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 rows stored, 1 rejected"), std::string::npos) << r.out;
  auto qs = ecomon::TestQualityStore::open(db_path->string());
  ASSERT_TRUE(qs.ok());
  auto rows = (*qs)->rain_samples("2027-01-01", "2027-12-31");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].date, "2027-03-01");
  EXPECT_EQ((*rows)[1].date, "2027-03-09");
}

TEST_F(QualityCli, AWrongHeaderIsRejectedAsAWhole) {
  const fs::path file = write_case("x.csv", "section,month,item,value\n赵庄,2026-01,NH3_N,0.4\n");
  CmdResult r = ecomon(*db + " water import " + quoted(file), true);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("none of the templates"), std::string::npos) << r.out;
}

TEST_F(QualityCli, DemoWithoutImportOnlyWritesTheFiles) {
  const fs::path out = *dir / "no-import";
  const fs::path other_db = *dir / "other.db";
  CmdResult r = ecomon("--db " + quoted(other_db) +
                           " demo --no-import --first-year 2025 --last-year 2025 --out " + quoted(out),
                       true);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(fs::exists(out / "quality" / "water_values.csv"));
  EXPECT_EQ(r.out.find("quality water:"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(other_db));
}

// Text that is not UTF-8 is refused at the boundary: the row (or, for the header, the file) is rejected with
// file:line [column] and the byte, the good rows are kept, and importing again changes nothing.
TEST_F(QualityCli, TextThatIsNotUtf8IsRejectedAtFileLineColumnAndGoodRowsKept) {
  const std::string other = "--db " + quoted(*dir / "utf8.db");
  struct Utf8Case {
    const char* kind;
    const char* file;
    std::string text;
    const char* report;  // the issue line
    const char* counts;  // the file's line
  };
  const Utf8Case cases[] = {
      {"water", "water_sections.csv",
       "section,river,county,body,target,level\n\xFF\xFE"
       "BAD,丹河,城区,river,III,市考\n新断面,丹河,城区,river,III,市考\n",
       "bad_utf8: water_sections.csv:2 [section]: byte 1 (0xFF) is not valid UTF-8",
       "water_sections.csv: 1 rows stored, 1 rejected"},
      // The last line cut in the middle of 市 (E5 B8 82): 演示 is 6 bytes, the cut is byte 7.
      {"rain", "rain_samples.csv",
       "site,date,ph,rainfall_mm\n演示市监测站,2027-03-01,5.10,12.0\n演示\xE5\xB8",
       "bad_utf8: rain_samples.csv:3 [site]: byte 7 (0xE5) is not valid UTF-8",
       "rain_samples.csv: 1 rows stored, 1 rejected"},
      // An overlong '/' (C0 AF) in the header: the file is rejected whole.
      {"noise", "noise_points.csv", "point,kind,zone,\xC0\xAFlength_km\n网格01,regional,,\n",
       "bad_utf8: noise_points.csv:1 [column 4]: header: byte 1 (0xC0) is not valid UTF-8",
       "noise_points.csv: 0 rows stored, 1 rejected"},
  };
  for (const Utf8Case& c : cases) {
    SCOPED_TRACE(c.file);
    const fs::path file = write_case(c.file, c.text);
    for (int round = 0; round < 2; ++round) {
      CmdResult r = ecomon(other + " " + c.kind + " import " + quoted(file.parent_path()), true);
      EXPECT_EQ(r.code, 1) << r.out;
      EXPECT_NE(r.out.find(c.report), std::string::npos) << r.out;
      EXPECT_NE(r.out.find(c.counts), std::string::npos) << r.out;
    }
  }
  auto qs = ecomon::TestQualityStore::open((*dir / "utf8.db").string());
  ASSERT_TRUE(qs.ok());
  const auto sections = value_of((*qs)->water_sections());
  ASSERT_EQ(sections.size(), 1u);
  EXPECT_EQ(sections[0].name, "新断面");
  const auto rain = value_of((*qs)->rain_samples("2027-01-01", "2027-12-31"));
  ASSERT_EQ(rain.size(), 1u);
  EXPECT_EQ(rain[0].date, "2027-03-01");
  EXPECT_TRUE(value_of((*qs)->noise_points()).empty());
  // A single file whose header is not UTF-8 matches no template: refused (2), its bytes shown as \xHH.
  CmdResult one =
      ecomon(other + " noise import " + quoted(write_case("noise_points.csv", cases[2].text)), true);
  EXPECT_EQ(one.code, 2) << one.out;
  EXPECT_NE(one.out.find("header 'point,kind,zone,\\xC0\\xAFlength_km' is none of the templates"),
            std::string::npos)
      << one.out;
}

// A store written by an older version, before the boundaries refused bad bytes, may hold a section named with
// them: `water assess` still answers, its JSON with U+FFFD for each bad part and its table with \xHH.
TEST_F(QualityCli, BadBytesStoredByAnOlderVersionAreReplacedInJsonAndEscapedInTables) {
  const fs::path old_db = *dir / "old.db";
  const std::string other = "--db " + quoted(old_db);
  CmdResult imp = ecomon(other + " water import " + quoted(quality_dir()), true);
  ASSERT_EQ(imp.code, 0) << imp.out;
  // As an older version stored it: the section 赵庄's data again under the name FF FE 'BAD'.
  CmdResult sql = ecomon::testing::run_command(
      "sqlite3 " + quoted(old_db) +
          " \"INSERT INTO q_water_section SELECT X'FFFE' || 'BAD', river, county, body, target, level"
          " FROM q_water_section WHERE name = '赵庄';"
          " INSERT INTO q_water_value SELECT X'FFFE' || 'BAD', month, item, value FROM q_water_value"
          " WHERE section = '赵庄';\"",
      true);
  ASSERT_EQ(sql.code, 0) << sql.out;
  CmdResult j = ecomon(other + " water assess --year 2025 --format json", true);
  ASSERT_EQ(j.code, 0) << j.out;
  const json parsed = json::parse(j.out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << j.out;
  std::set<std::string> names;
  for (const json& sec : parsed["sections"]) names.insert(sec["section"].get<std::string>());
  EXPECT_EQ(names.size(), 23u);  // the demo's 22 and the old one
  EXPECT_EQ(names.count("\xEF\xBF\xBD\xEF\xBF\xBD"
                        "BAD"),
            1u);  // FF and FE: two maximal bad parts, two U+FFFD
  CmdResult t = ecomon(other + " water assess --year 2025", true);
  ASSERT_EQ(t.code, 0) << t.out;
  EXPECT_NE(t.out.find("\\xFF\\xFEBAD"), std::string::npos) << t.out;
  EXPECT_EQ(t.out.find("\xFF"), std::string::npos);
}

}  // namespace
