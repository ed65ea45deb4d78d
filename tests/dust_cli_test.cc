// `ecomon dust ...` as a user runs it: the point template imported (bureau only, audited, refused attempts
// too; bad rows at file:line [column]; a re-import changes nothing), the points by role, and `dust check`
// over stored minute readings with the working in the comments.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "store/api/stores.h"
#include "store/open.h"
#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace {

using ecomon::testing::CommandResult;
using ecomon::testing::TempDir;

class DustCli : public ::testing::Test {
 protected:
  void SetUp() override {
    path = (dir.path() / "d.db").string();
    db = "--db " + path;
    csv = (dir.path() / "dust_points.csv").string();
    std::ofstream(csv) << "id,name,type,owner,county,lon,lat,mn\n"
                          "T01,北区工地,工地,城建一标段,城区,112.85,35.5,DUST0001\n"
                          "B01,焦化厂界,boundary,E03,西山县,112.77,35.5,DUST0002\n"
                          "X01,坏点,quarry,x,城区,112.8,35.5,DUST0003\n";
  }
  CommandResult run(const std::string& args) {
    return ecomon::testing::run_command(std::string(ECOMON_BIN) + " " + db + " " + args,
                                        /*with_stderr=*/true);
  }
  TempDir dir{"dust_cli"};
  std::string path, db, csv;
};

TEST_F(DustCli, ImportIsTheBureausAuditedAndIdempotent) {
  ASSERT_EQ(run("users add zhao --role county --county 城区 --password long-password").code, 0);
  CommandResult refused = run("dust import " + csv + " --as zhao");
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.out.find("importing dust points is the bureau's"), std::string::npos) << refused.out;
  CommandResult first = run("dust import " + csv);
  EXPECT_EQ(first.code, 1) << first.out;  // a row rejected
  EXPECT_NE(first.out.find("dust_points.csv:4 [type]"), std::string::npos) << first.out;
  CommandResult again = run("dust import " + csv);
  EXPECT_EQ(again.code, 1);
  CommandResult log = run("users audit --format json");
  EXPECT_NE(log.out.find("dust.import"), std::string::npos) << log.out;
  EXPECT_NE(log.out.find("\"denied\""), std::string::npos) << log.out;
  EXPECT_NE(log.out.find("0 points new or changed"), std::string::npos) << log.out;  // the re-import

  auto all = nlohmann::json::parse(run("dust points --format json").out);
  ASSERT_EQ(all["points"].size(), 2u);
  EXPECT_EQ(all["points"][0]["id"], "B01");
  EXPECT_EQ(all["points"][0]["state"], "no_data");
  EXPECT_EQ(all["points"][0]["last_tsp"], nullptr);
  // A county user sees its county's point only; CSV has the header and one row.
  CommandResult own = run("dust points --as zhao --format csv");
  ASSERT_EQ(own.code, 0) << own.out;
  EXPECT_EQ(own.out,
            "id,name,type,owner,county,lon,lat,mn,state,last_at,last_tsp\n"
            "T01,北区工地,construction,城建一标段,城区,112.85,35.5,DUST0001,no_data,,\n");
  EXPECT_EQ(run("dust points --format xml").code, 2);
  CommandResult missing =
      run("dust readings --point Z9 --from \"2026-12-07 10:00\" --to \"2026-12-07 11:00\"");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.out.find("no dust point 'Z9'"), std::string::npos) << missing.out;
}

// Minute readings of T01 (construction, 800 µg/m³): 10:00..10:07 at 700, 10:08 and 10:09 at 1500. Defaults
// (window 15 min, 8 readings): 10:09's mean (8×700 + 2×1500)/10 = 860 > 800 opens an exceedance at 10:09; the
// newest reading 10:09 + 30 min opens a silence at 10:39 (judged up to 11:00). With --construction-ug 900 the
// 860 is not above: only the silence. --window-min 0 is refused.
TEST_F(DustCli, CheckOverStoredReadings) {
  ASSERT_EQ(run("dust import " + csv).code, 1);
  {
    auto stores = ecomon::open_stores(path);
    ASSERT_TRUE(stores.ok());
    std::vector<ecomon::DustReadingRow> rows;
    const auto t0 = ecomon::sources::SourceTime::parse("2026-12-07 10:00").value();
    for (int m = 0; m <= 9; ++m)
      rows.push_back({"T01", 2051, t0 + m * 60, m <= 7 ? "700" : "1500", "", "", "", "", ""});
    ASSERT_TRUE((*stores)->dust().write_readings(rows).ok());
  }
  const std::string span = " --from \"2026-12-07 10:00\" --to \"2026-12-07 11:00\"";
  CommandResult chk = run("dust check" + span + " --format json");
  ASSERT_EQ(chk.code, 0) << chk.out;
  auto ev = nlohmann::json::parse(chk.out)["events"];
  ASSERT_EQ(ev.size(), 2u) << chk.out;
  EXPECT_EQ(ev[0]["kind"], "dust_exceedance");
  EXPECT_EQ(ev[0]["opened"], "2026-12-07 10:09:00");
  EXPECT_EQ(ev[0]["mean"], "860.0");
  EXPECT_EQ(ev[0]["limit"], "800");
  EXPECT_EQ(ev[0]["closed"], nullptr);
  EXPECT_EQ(ev[1]["kind"], "dust_silence");
  EXPECT_EQ(ev[1]["opened"], "2026-12-07 10:39:00");
  EXPECT_EQ(ev[1]["last_data"], "2026-12-07 10:09:00");
  auto lenient = nlohmann::json::parse(run("dust check" + span + " --construction-ug 900 --format json").out);
  ASSERT_EQ(lenient["events"].size(), 1u);
  EXPECT_EQ(lenient["events"][0]["kind"], "dust_silence");
  CommandResult bad = run("dust check" + span + " --window-min 0");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("dust window_min must be in 1..1440"), std::string::npos) << bad.out;
  auto rd = nlohmann::json::parse(run("dust readings --point T01" + span + " --format json").out);
  ASSERT_EQ(rd["readings"].size(), 10u);
  EXPECT_EQ(rd["readings"][9]["tsp"], "1500");
  EXPECT_EQ(rd["readings"][9]["pm10"], nullptr);
  // Nothing stored by the gateway yet: no stored events.
  EXPECT_EQ(nlohmann::json::parse(run("dust events" + span + " --format json").out)["events"].size(), 0u);
}

}  // namespace
