// `ecomon sources import` and `ecomon sources events` as a user runs them: the demo registry imported (twice:
// nothing changes), hourly uploads stored as the gateway stores them, and the exact events with their times;
// `ecomon hj212 check` on the 40 real messages.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "demo/demo_registry.h"
#include "gateway/live_events.h"
#include "gateway/simulator.h"
#include "ingest/hj212/test_support.h"
#include "store/sqlite_stores.h"
#include "testing/run_command.h"

namespace {

namespace fs = std::filesystem;

using CmdResult = ecomon::testing::CommandResult;

CmdResult ecomon(const std::string& args) {
  return ecomon::testing::run_command(std::string(ECOMON_BIN) + " " + args);
}

constexpr int kHours = 24;
constexpr int64_t kDay = 20250310;          // 2025-03-10
constexpr int64_t kDigitsPerDay = 1000000;  // yyyymmdd -> yyyymmddhhmmss
constexpr int64_t kDigitsPerHour = 10000;

// Devices of the demo registry (device i = sim_mn(i)) with something to see.
constexpr int kPowerPlant = 0;  // E01-G1, SO2 limit 35 mg/m3 折算 (ZsAvg)
constexpr int kCementKiln = 2;  // E02-G1, SO2 limit 100 折算
constexpr int kCokeOven = 4;    // E03-G1: SO2 reported with flag D (故障)
constexpr int kBoiler = 7;      // E05-G1: silent after the 05:00 hour
constexpr int kChemical = 8;    // E06-G1, SO2 limit 50 实测 (Avg)
constexpr bool is_water(int i) { return i == 9 || i == 14 || i == 15; }

// The CP content of one hourly upload (CN 2061), as the gateway stores it.
std::string hourly_cp(int device, int hour) {
  std::string so2_avg = "8.0", so2_zs = "10.0", so2_flag = "N";
  if (device == kPowerPlant && hour >= 8 && hour <= 11) {
    const char* zs[] = {"40.5", "52.0", "36.0", "35.0"};
    so2_avg = "30.0";
    so2_zs = zs[hour - 8];
  }
  if (device == kCementKiln && hour >= 22) so2_zs = "120.0";
  if (device == kCokeOven && (hour == 13 || hour == 14)) so2_flag = "D";
  if (device == kChemical && hour == 16) {
    so2_avg = "55.0";
    so2_zs = "45.0";
  }
  const std::string time = "DataTime=" + std::to_string(kDay * kDigitsPerDay + hour * kDigitsPerHour) + ";";
  if (is_water(device)) {
    return time + "w01018-Avg=20.0,w01018-Flag=N;w21003-Avg=1.00,w21003-Flag=N;w01001-Avg=7.20,w01001-Flag=N";
  }
  return time + "a21026-Avg=" + so2_avg + ",a21026-ZsAvg=" + so2_zs + ",a21026-Flag=" + so2_flag +
         ";a21002-Avg=20.0,a21002-ZsAvg=25.0,a21002-Flag=N;a34013-Avg=3.0,a34013-ZsAvg=4.0,a34013-Flag=N";
}

class SourcesCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = new fs::path(fs::temp_directory_path() / ("ecomon_sources_cli_test_" + std::to_string(::getpid())));
    fs::remove_all(*dir);
    fs::create_directories(*dir);
    db = new std::string("--db " + (*dir / "s.db").string());
    ASSERT_TRUE(ecomon::write_demo_registry((*dir / "registry").string()).ok());
    CmdResult imp = ecomon(*db + " sources import " + (*dir / "registry").string() + " --format json");
    ASSERT_EQ(imp.code, 0) << imp.out;
    first_import = new nlohmann::json(nlohmann::json::parse(imp.out));

    auto store = ecomon::open_sqlite_stores((*dir / "s.db").string());
    ASSERT_TRUE(store.ok());
    std::vector<ecomon::SourceRecord> recs;
    for (int d = 0; d < ecomon::kDemoRegistryDevices; ++d) {
      for (int h = 0; h < kHours; ++h) {
        if (d == kBoiler && h > 5) continue;
        recs.push_back({.mn = ecomon::sim_mn(d),
                        .cn = 2061,
                        .data_time = kDay * kDigitsPerDay + h * kDigitsPerHour,
                        .qn = "",
                        .received_ms = 0,
                        .flag = 4,
                        .cp = hourly_cp(d, h)});
      }
    }
    auto added = (*store)->sources().insert_source_records(recs);
    ASSERT_TRUE(added.ok());
    ASSERT_EQ(*added, static_cast<int64_t>(recs.size()));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir);
    delete dir;
    delete db;
    delete first_import;
  }
  static inline fs::path* dir = nullptr;
  static inline std::string* db = nullptr;
  static inline nlohmann::json* first_import = nullptr;
};

TEST_F(SourcesCli, ImportingTheRegistryTwiceChangesNothing) {
  const nlohmann::json& first = *first_import;
  EXPECT_EQ(first["rows_rejected"], 0);
  EXPECT_EQ(first["added"], first["rows"]);
  EXPECT_EQ(first["registry"]["devices"], ecomon::kDemoRegistryDevices);
  EXPECT_EQ(first["registry"]["enterprises"], 12);
  CmdResult again = ecomon(*db + " sources import " + (*dir / "registry").string() + " --format json");
  ASSERT_EQ(again.code, 0) << again.out;
  auto j = nlohmann::json::parse(again.out);
  EXPECT_EQ(j["added"], 0);
  EXPECT_EQ(j["updated"], 0);
  EXPECT_EQ(j["unchanged"], first["rows"]);
  // The gateway authenticates the imported devices: they are in source_device with password 123456.
  CmdResult devs = ecomon(*db + " sources devices --format json");
  ASSERT_EQ(devs.code, 0);
  EXPECT_EQ(nlohmann::json::parse(devs.out).size(), static_cast<size_t>(ecomon::kDemoRegistryDevices));
}

// Registry templates with text that is not UTF-8: the row is rejected at file:line [column] with the byte (a
// last line cut in the middle of a character too), the good row is kept (exit 1), and the second import
// changes nothing.
TEST_F(SourcesCli, RegistryTextThatIsNotUtf8IsRejectedAndGoodRowsKept) {
  const fs::path d = *dir / "bad_utf8_registry";
  fs::create_directories(d);
  std::ofstream(d / "enterprises.csv", std::ios::binary) << "id,name,county,industry\n"
                                                            "E90,新企业,城区,火电\n"
                                                            "E91,\xB2\xE2\xCA\xD4,城区,火电\n"  // 测试 in GBK
                                                            "E92,新企业二,城\xE5\x8C";          // cut in 区
  const std::string other = "--db " + (d / "r.db").string();
  for (int round = 0; round < 2; ++round) {
    CmdResult r = ecomon(other + " sources import " + d.string() + " --format json");
    EXPECT_EQ(r.code, 1) << r.out;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["rows"], 3);
    EXPECT_EQ(j["rows_rejected"], 2);
    EXPECT_EQ(j["added"], round == 0 ? 1 : 0);
    EXPECT_EQ(j["unchanged"], round == 0 ? 0 : 1);
    ASSERT_EQ(j["issues"].size(), 2u);
    EXPECT_EQ(j["issues"][0]["where"], "enterprises.csv:3 [name]");
    EXPECT_EQ(j["issues"][0]["message"], "byte 1 (0xB2) is not valid UTF-8");
    EXPECT_EQ(j["issues"][1]["where"], "enterprises.csv:4 [county]");
    EXPECT_EQ(j["issues"][1]["message"], "byte 4 (0xE5) is not valid UTF-8");  // 城 is 3 bytes
    EXPECT_EQ(j["registry"]["enterprises"], 1);
  }
}

// Worked by hand (hourly data, DataTime = start of the hour; silence after 3 hourly intervals without data):
//   E01-G1 (sim_mn(0)), limit 35 on ZsAvg: 08 40.5 > 35 opens at 08:00; 09 52.0, 10 36.0 stay over; 11 35.0
//   is
//     not above 35 (equal is compliant) and closes it at 11:00. Avg (30.0) would not exceed: the basis
//     matters.
//   E05-G1 (sim_mn(7)) sends the hours 00..05: covered until 06:00, due 06:00 + 3 h = 09:00; still open when
//     silence is judged at --to (23:59:59); its last DataTime is 05:00.
//   E03-G1 (sim_mn(4)) flags SO2 D at 13 and 14: a flag fault D opens at 13:00 and closes at 15:00 (flag N);
//     those hours say nothing about the limit.
//   E06-G1 (sim_mn(8)), limit 50 on Avg (实测): 16 Avg 55.0 > 50 (ZsAvg 45.0 would not) opens at 16:00, 17
//     closes at 17:00.
//   E02-G1 (sim_mn(2)), limit 100 on ZsAvg: 22 and 23 at 120.0 open at 22:00, open at the end.
TEST_F(SourcesCli, EventsFromStoredHourlyData) {
  CmdResult r = ecomon(*db + " sources events --from 20250310000000 --to 20250310235959 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["from"], "2025-03-10 00:00:00");
  EXPECT_EQ(j["to"], "2025-03-10 23:59:59");
  EXPECT_EQ(j["devices"], ecomon::kDemoRegistryDevices);
  EXPECT_EQ(j["records"], ecomon::kDemoRegistryDevices * kHours - (kHours - 6));
  EXPECT_EQ(j["undecodable_records"], 0);
  EXPECT_EQ(j["open"], 2);
  EXPECT_EQ(j["closed"], 3);
  using nlohmann::json;
  const json want = json::array({
      {{"kind", "exceedance"},
       {"state", "closed"},
       {"mn", ecomon::sim_mn(kPowerPlant)},
       {"enterprise", "演示第一发电有限公司"},
       {"outlet", "E01-G1"},
       {"pollutant", "a21026"},
       {"flag", nullptr},
       {"opened_at", "2025-03-10 08:00:00"},
       {"closed_at", "2025-03-10 11:00:00"},
       {"data_time", "2025-03-10 08:00:00"},
       {"cause", "above_limit"},
       {"value", "40.5"},
       {"limit", "35"},
       {"basis", "standardised"},
       {"backfill", false}},
      {{"kind", "silence"},
       {"state", "open"},
       {"mn", ecomon::sim_mn(kBoiler)},
       {"enterprise", "演示热力有限公司"},
       {"outlet", "E05-G1"},
       {"pollutant", nullptr},
       {"flag", nullptr},
       {"opened_at", "2025-03-10 09:00:00"},
       {"closed_at", nullptr},
       {"data_time", "2025-03-10 05:00:00"},
       {"cause", nullptr},
       {"value", nullptr},
       {"limit", nullptr},
       {"basis", nullptr},
       {"backfill", false}},
      {{"kind", "flag_fault"},
       {"state", "closed"},
       {"mn", ecomon::sim_mn(kCokeOven)},
       {"enterprise", "演示焦化有限公司"},
       {"outlet", "E03-G1"},
       {"pollutant", "a21026"},
       {"flag", "D"},
       {"opened_at", "2025-03-10 13:00:00"},
       {"closed_at", "2025-03-10 15:00:00"},
       {"data_time", "2025-03-10 13:00:00"},
       {"cause", nullptr},
       {"value", nullptr},
       {"limit", nullptr},
       {"basis", nullptr},
       {"backfill", false}},
      {{"kind", "exceedance"},
       {"state", "closed"},
       {"mn", ecomon::sim_mn(kChemical)},
       {"enterprise", "演示化工有限公司"},
       {"outlet", "E06-G1"},
       {"pollutant", "a21026"},
       {"flag", nullptr},
       {"opened_at", "2025-03-10 16:00:00"},
       {"closed_at", "2025-03-10 17:00:00"},
       {"data_time", "2025-03-10 16:00:00"},
       {"cause", "above_limit"},
       {"value", "55.0"},
       {"limit", "50"},
       {"basis", "measured"},
       {"backfill", false}},
      {{"kind", "exceedance"},
       {"state", "open"},
       {"mn", ecomon::sim_mn(kCementKiln)},
       {"enterprise", "演示水泥有限公司"},
       {"outlet", "E02-G1"},
       {"pollutant", "a21026"},
       {"flag", nullptr},
       {"opened_at", "2025-03-10 22:00:00"},
       {"closed_at", nullptr},
       {"data_time", "2025-03-10 22:00:00"},
       {"cause", "above_limit"},
       {"value", "120.0"},
       {"limit", "100"},
       {"basis", "standardised"},
       {"backfill", false}},
  });
  EXPECT_EQ(j["events"], want) << j["events"].dump(2);
}

// A range that starts after the boiler fell silent: the newest earlier upload (05:00) primes the silence
// clock, so the event still opens at 09:00 (before the range) instead of at the registration.
TEST_F(SourcesCli, EventsOfOneDeviceFromLaterInTheDay) {
  CmdResult r = ecomon(*db + " sources events --mn " + ecomon::sim_mn(kBoiler) +
                       " --from 20250310120000 --to 20250310235959 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["records"], 0);
  ASSERT_EQ(j["events"].size(), 1U) << j.dump(2);
  EXPECT_EQ(j["events"][0]["kind"], "silence");
  EXPECT_EQ(j["events"][0]["opened_at"], "2025-03-10 09:00:00");
  EXPECT_EQ(j["events"][0]["data_time"], "2025-03-10 05:00:00");
  // Evaluated before it was due: nothing.
  r = ecomon(*db + " sources events --mn " + ecomon::sim_mn(kBoiler) + " --to 20250310085959 --format json");
  ASSERT_EQ(r.code, 0);
  EXPECT_TRUE(nlohmann::json::parse(r.out)["events"].empty());
}

TEST_F(SourcesCli, EventsAsATableAndBadArguments) {
  CmdResult r = ecomon(*db + " sources events --from 20250310000000 --to 20250310235959");
  ASSERT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("超标"), std::string::npos);
  EXPECT_NE(r.out.find("离线"), std::string::npos);
  EXPECT_NE(r.out.find("ZsAvg 40.5 > 35"), std::string::npos);
  EXPECT_EQ(ecomon(*db + " sources events --from 20250230000000").code, 2);
  EXPECT_EQ(ecomon(*db + " sources events --mn NOSUCHDEVICE").code, 2);
  EXPECT_EQ(ecomon(*db + " sources import " + (*dir / "nothing-here").string()).code, 2);
}

// `sources rates` for March 2025 with the demo registry (every device registered 2025-01-01, the one stop
// period in January/February) and the one stored day, 2025-03-10. Worked by hand: 31 days x 24 = 744 hourly
// slots expected per device.
//   E01-G1 (sim_mn(0)): 24 hours, every rated pollutant (SO2, NOx, dust) flag N: 传输率 24/744 = 3.2258 %
//   -> 3.23,
//     有效率 24/24 = 100.00, 有效传输率 24/744 -> 3.23: fail (< 90 %).
//   E03-G1 (sim_mn(4)): SO2 flag D at 13:00 and 14:00, so those two hours are received but not valid: 有效率
//     22/24 = 91.666... -> 91.67, 有效传输率 22/744 = 2.9569... -> 2.96.
//   E05-G1 (sim_mn(7)): hours 00..05 only: 6/744 = 0.80645... -> 0.81.
//   Enterprise E01 (outlets E01-G1 and E01-G2, both complete that day): (24 + 24) / (744 + 744) -> 3.23.
TEST_F(SourcesCli, MonthlyRatesPerDeviceOutletAndEnterprise) {
  CmdResult r = ecomon(*db + " sources rates --month 2025-03 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["devices"].size(), static_cast<size_t>(ecomon::kDemoRegistryDevices));
  std::map<std::string, nlohmann::json> by_mn, by_outlet, by_enterprise;
  for (const auto& d : j["devices"]) by_mn[d["mn"]] = d;
  for (const auto& o : j["outlets"]) by_outlet[o["outlet"]] = o;
  for (const auto& e : j["enterprises"]) by_enterprise[e["enterprise"]] = e;
  const auto& plant = by_mn.at(ecomon::sim_mn(kPowerPlant));
  EXPECT_EQ(plant["expected"], 744);
  EXPECT_EQ(plant["received"], 24);
  EXPECT_EQ(plant["valid"], 24);
  EXPECT_DOUBLE_EQ(plant["transmission"].get<double>(), 3.23);
  EXPECT_DOUBLE_EQ(plant["validity"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(plant["effective"].get<double>(), 3.23);
  EXPECT_EQ(plant["verdict"], "fail");
  const auto& coke = by_mn.at(ecomon::sim_mn(kCokeOven));
  EXPECT_EQ(coke["received"], 24);
  EXPECT_EQ(coke["valid"], 22);
  EXPECT_DOUBLE_EQ(coke["validity"].get<double>(), 91.67);
  EXPECT_DOUBLE_EQ(coke["effective"].get<double>(), 2.96);
  const auto& boiler = by_mn.at(ecomon::sim_mn(kBoiler));
  EXPECT_EQ(boiler["received"], 6);
  EXPECT_DOUBLE_EQ(boiler["transmission"].get<double>(), 0.81);
  ASSERT_EQ(by_outlet.count("E01-G1"), 1U);
  EXPECT_EQ(by_outlet["E01-G1"]["received"], 24);
  ASSERT_EQ(by_enterprise.count("E01"), 1U);
  EXPECT_EQ(by_enterprise["E01"]["expected"], 1488);
  EXPECT_EQ(by_enterprise["E01"]["received"], 48);
  EXPECT_DOUBLE_EQ(by_enterprise["E01"]["effective"].get<double>(), 3.23);
  EXPECT_EQ(j["enterprises"].size(), 12U);
  EXPECT_EQ(j["undecodable_records"], 0);
}

// `ecomon hj212 check FILE` on the 40 real messages of ../shared/data/hj212/messages.csv, one per line with
// CR LF as a field engineer saves them. Each row states its CRC verdict: 32 carry the standard's CRC16, 3 the
// byte-swapped Modbus CRC16 only, 5 match neither. Lenient: 32 + 3 = 35 ok, the 3 with the deviation
// crc_modbus_swapped listed, the 5 errors crc_mismatch at the CRC field. Strict: the 5 and the 3 fail on the
// CRC; only the 4 rows that also keep every other rule (24-hex MN, Flag, ...) are ok (the codec's own test,
// messages_test, names them).
// The gateway's live events for a day it watched (judged as at its start: the replay of the last 24 hours)
// are exactly the events computed on request; `auto` reads them; a day it did not watch is computed.
TEST_F(SourcesCli, StoredEventsOfAWatchedDayEqualTheComputedOnes) {
  const fs::path watched = *dir / "watched.db";
  {
    auto store = ecomon::open_sqlite_stores((*dir / "s.db").string());  // checkpoints the WAL into s.db
    ASSERT_TRUE(store.ok());
  }
  fs::copy_file(*dir / "s.db", watched, fs::copy_options::overwrite_existing);
  ecomon::LiveEventOptions o;
  // 2025-03-11 00:00 Beijing = 2025-03-10 16:00 UTC: 1741622400 s.
  o.clock_ms = [] { return int64_t{1741622400} * 1000; };
  o.replay_hours = 24;
  o.log = [](const std::string&) {};
  auto live = ecomon::LiveEvents::start(ecomon::sqlite_stores_opener(watched.string()), o);
  ASSERT_TRUE(live.ok()) << live.status().message();
  (*live)->check_silence();
  (*live)->stop();
  const std::string w =
      "--db " + watched.string() + " sources events --from 20250310000000 --to 20250310235959";
  CmdResult computed = ecomon(w + " --source computed --format json");
  CmdResult stored = ecomon(w + " --format json");
  ASSERT_EQ(computed.code, 0) << computed.out;
  ASSERT_EQ(stored.code, 0) << stored.out;
  const auto c = nlohmann::json::parse(computed.out), st = nlohmann::json::parse(stored.out);
  EXPECT_EQ(c["source"], "computed");
  EXPECT_EQ(st["source"], "stored");
  EXPECT_EQ(c["events"].size(), 5U) << computed.out;
  EXPECT_EQ(st["events"], c["events"]);
  CmdResult earlier = ecomon("--db " + watched.string() +
                             " sources events --from 20250301000000 --to 20250301235959 --format json");
  ASSERT_EQ(earlier.code, 0) << earlier.out;
  EXPECT_EQ(nlohmann::json::parse(earlier.out)["source"], "computed");
}

TEST_F(SourcesCli, CommandsAreQueuedAndBadOnesRefusedWithTheReason) {
  const std::string mn = ecomon::sim_mn(kPowerPlant);
  CmdResult bad = ecomon::testing::run_command(
      std::string(ECOMON_BIN) + " " + *db + " sources command " + mn + " set-min-interval 7", true);
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.out,
            "error: set-min-interval: MinInterval must be one of 1,2,3,4,5,6,10,12,15,20,30 min, got 7\n");
  bad = ecomon::testing::run_command(
      std::string(ECOMON_BIN) + " " + *db + " sources command " + mn + " get-info i12001", true);
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.out, "error: get-info takes 2 argument(s), got 1: get-info POLID INFOID\n");
  CmdResult ok = ecomon(*db + " sources command " + mn + " set-min-interval 5 --format json");
  ASSERT_EQ(ok.code, 0) << ok.out;
  const auto c = nlohmann::json::parse(ok.out);
  EXPECT_EQ(c["cn"], 1064);
  EXPECT_EQ(c["argument"], "5");
  EXPECT_EQ(c["state"], "queued");
  EXPECT_EQ(c["created_by"], "cli");
  CmdResult list = ecomon(*db + " sources commands --mn " + mn + " --format json");
  ASSERT_EQ(list.code, 0) << list.out;
  EXPECT_EQ(nlohmann::json::parse(list.out)["commands"].size(), 1U);
}

TEST(Hj212CheckCli, RealMessagesGetTheVerdictsTheirRowsState) {
  const auto messages = ecomon::hj212::testing::load_real_messages();
  if (messages.empty()) GTEST_SKIP() << "shared data absent (set ECOMON_SHARED_DIR)";
  ASSERT_EQ(messages.size(), 40U);
  const fs::path file =
      fs::temp_directory_path() / ("ecomon_hj212_check_" + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream out(file, std::ios::binary);
    for (const auto& m : messages) out << m.message << "\r\n";
  }
  for (const std::string policy : {"lenient", "strict"}) {
    CmdResult r = ecomon("hj212 check --policy " + policy + " " + file.string());
    EXPECT_EQ(r.code, 1) << policy;  // some messages are bad under either policy
    std::istringstream lines(r.out);
    std::string line;
    size_t n = 0;
    int ok = 0;
    while (std::getline(lines, line)) {
      ASSERT_LT(n, messages.size());
      const auto j = nlohmann::json::parse(line);
      const std::string& verdict = messages[n].crc_verdict;
      EXPECT_EQ(j["line"], n + 1);
      const bool modbus = verdict == "match_byteswapped_Modbus_CRC16_only";
      if (verdict == "MISMATCH" || (modbus && policy == "strict")) {
        EXPECT_FALSE(j["ok"].get<bool>()) << "id " << messages[n].id;
        EXPECT_EQ(j["error"]["what"], "crc_mismatch") << "id " << messages[n].id;
        EXPECT_EQ(j["error"]["field"], "CRC");
      } else if (policy == "lenient") {
        EXPECT_TRUE(j["ok"].get<bool>()) << "id " << messages[n].id << ": " << line;
        bool listed = false;
        for (const auto& d : j["deviations"]) listed = listed || d["kind"] == "crc_modbus_swapped";
        EXPECT_EQ(listed, modbus) << "id " << messages[n].id;
        EXPECT_EQ(j["header"]["CN"].get<std::string>().size(), 4U);
      }
      ok += j["ok"].get<bool>() ? 1 : 0;
      ++n;
    }
    EXPECT_EQ(n, messages.size());
    EXPECT_EQ(ok, policy == "lenient" ? 35 : 4);
  }
  fs::remove(file);
}

// Issue 15: bytes that are not UTF-8, stored by an older gateway, used to abort `sources records --format
// json` (SIGABRT: the JSON library threw); they print as U+FFFD now. A re-sent upload with other values is
// kept as a conflict and shown with the version stored first, in JSON and in the table.
TEST(SourcesCliRecords, BadBytesPrintAsReplacementAndConflictsAreShown) {
  const fs::path dir = fs::temp_directory_path() / ("ecomon_sources_records_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "r.db").string();
  const std::string mn = ecomon::sim_mn(0);
  {
    auto store = ecomon::open_sqlite_stores(path);
    ASSERT_TRUE(store.ok());
    const std::vector<ecomon::SourceRecord> recs = {
        {.mn = mn,
         .cn = 2011,
         .data_time = 20250301000000,
         .qn = "20250301000000001",
         .received_ms = 0,
         .flag = 5,
         .cp = "DataTime=20250301000000;a21026-Rtd=25.5,a21026-Flag=\xff\xfe"},
        {.mn = mn,
         .cn = 2011,
         .data_time = 20250301010000,
         .qn = "20250301010000001",
         .received_ms = 0,
         .flag = 5,
         .cp = "DataTime=20250301010000;a21026-Rtd=25.5,a21026-Flag=N"},
        // The 01:00 upload re-sent with another value (received 2025-03-01 01:00:10 Beijing time), twice.
        {.mn = mn,
         .cn = 2011,
         .data_time = 20250301010000,
         .qn = "20250301010000002",
         .received_ms = 1740762010000,
         .flag = 5,
         .cp = "DataTime=20250301010000;a21026-Rtd=30.1,a21026-Flag=N"},
        {.mn = mn,
         .cn = 2011,
         .data_time = 20250301010000,
         .qn = "20250301010000003",
         .received_ms = 1740762010000,
         .flag = 5,
         .cp = "DataTime=20250301010000;a21026-Rtd=30.1,a21026-Flag=N"},
    };
    auto added = (*store)->sources().insert_source_records(recs);
    ASSERT_TRUE(added.ok());
    EXPECT_EQ(*added, 2);  // the two keys; the third is a conflict, the fourth its duplicate
  }
  const std::string db = "--db " + path;
  CmdResult r = ecomon(db + " sources records --mn " + mn + " --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 2U);
  EXPECT_EQ(j[0]["values"]["a21026"]["Flag"], "\xEF\xBF\xBD\xEF\xBF\xBD");  // U+FFFD twice
  EXPECT_FALSE(j[0].contains("conflicts"));
  EXPECT_EQ(j[1]["values"]["a21026"]["Rtd"], "25.5");
  ASSERT_EQ(j[1]["conflicts"].size(), 1U);
  EXPECT_EQ(j[1]["conflicts"][0]["qn"], "20250301010000002");
  EXPECT_EQ(j[1]["conflicts"][0]["received_ms"], 1740762010000);
  EXPECT_EQ(j[1]["conflicts"][0]["values"]["a21026"]["Rtd"], "30.1");

  CmdResult latest = ecomon(db + " sources latest --format json");
  ASSERT_EQ(latest.code, 0) << latest.out;
  EXPECT_EQ(nlohmann::json::parse(latest.out)[0]["values"]["a21026"]["Rtd"], "25.5");

  CmdResult table = ecomon(db + " sources records --mn " + mn);
  ASSERT_EQ(table.code, 0) << table.out;
  EXPECT_NE(table.out.find("a21026-Flag=\\xFF\\xFE"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("[conflict: 2 versions] DataTime=20250301010000;a21026-Rtd=25.5"),
            std::string::npos)
      << table.out;
  EXPECT_NE(
      table.out.find("[other version, received 2025-03-01T01:00:10] DataTime=20250301010000;a21026-Rtd=30.1"),
      std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("1 record(s) re-sent with other values"), std::string::npos) << table.out;
  fs::remove_all(dir);
}

}  // namespace
