// copy_stores (store/store_copy.h) between two SQLite stores: every record row, hour and upload arrives
// exactly; a second copy writes nothing; a destination holding other data is refused before anything is
// written, naming the first difference, unless forced; a copy stopped half-way finishes when run again
// without writing anything twice. The cluster round trip is tests/store_copy_cli_test.cc (label cluster).
#include "store/store_copy.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "store/api/pending_devices.h"
#include "store/sqlite_stores.h"
#include "testing/temp_dir.h"

namespace ecomon {
namespace {

constexpr const char* kMn = "A0000000000000000000000A";

// The source store: two stations, one of them with two months of PM2.5 and one hour of SO2; a device with
// three uploads and another version of one; a user, a token, two audit rows; a device key; a command.
void fill(Stores& s) {
  RecordStore& rs = s.records();
  auto a = rs.upsert_station({.code = "1001A", .name = "甲", .city = "演示市", .in_site_list = true});
  auto b = rs.upsert_station({.code = "1002A", .name = "乙", .city = "演示市", .is_reference = true});
  ASSERT_TRUE(a.ok() && b.ok());
  // PM2.5 of station a: January 2025 hours 0..9 = 10..19 µg/m³ (10 values), February hour 0 = 42 (1 value);
  // SO2: January hour 5 = 7 (1 value). 12 values in 3 blocks.
  std::vector<HourlyBlock> blocks;
  HourlyBlock jan{.station_id = *a, .pollutant = Pollutant::kPM25, .month = MonthKey::of(2025, 1)};
  jan.values.assign(static_cast<size_t>(jan.month.hours()), kMissing);
  for (int i = 0; i < 10; ++i) jan.values[static_cast<size_t>(i)] = (10 + i) * 1000;
  HourlyBlock feb{.station_id = *a, .pollutant = Pollutant::kPM25, .month = MonthKey::of(2025, 2)};
  feb.values.assign(static_cast<size_t>(feb.month.hours()), kMissing);
  feb.values[0] = 42000;
  HourlyBlock so2{.station_id = *a, .pollutant = Pollutant::kSO2, .month = MonthKey::of(2025, 1)};
  so2.values.assign(static_cast<size_t>(so2.month.hours()), kMissing);
  so2.values[5] = 7000;
  blocks = {jan, feb, so2};
  ASSERT_TRUE(rs.begin_write().ok());
  MergeStats stats;
  ASSERT_TRUE(s.time_series().merge_hourly(blocks, stats, nullptr).ok());
  ASSERT_TRUE(rs.commit().ok());
  ASSERT_EQ(stats.values_new, 12);

  ASSERT_TRUE(s.sources().upsert_device({.mn = kMn, .password = "123456"}).ok());
  auto w = s.source_ingest().open_writer(0);
  ASSERT_TRUE(w.ok());
  std::vector<SourceRecordView> ups = {
      {.mn = kMn,
       .cn = 2061,
       .data_time = 20250101010000,
       .qn = "q1",
       .received_ms = 1,
       .flag = 4,
       .cp = "a=1"},
      {.mn = kMn,
       .cn = 2061,
       .data_time = 20250101020000,
       .qn = "q2",
       .received_ms = 2,
       .flag = 4,
       .cp = "a=2"},
      {.mn = kMn,
       .cn = 2031,
       .data_time = 20250101000000,
       .qn = "q3",
       .received_ms = 3,
       .flag = 4,
       .cp = "a=3"},
  };
  ASSERT_EQ(*(*w)->insert(ups), 3);
  std::vector<size_t> conflicts;
  std::vector<SourceRecordView> again = {{.mn = kMn,
                                          .cn = 2061,
                                          .data_time = 20250101010000,
                                          .qn = "q4",
                                          .received_ms = 4,
                                          .flag = 4,
                                          .cp = "a=9"}};
  ASSERT_EQ(*(*w)->insert(again, &conflicts), 0);
  ASSERT_EQ(conflicts.size(), 1u);

  AccountStore& acc = s.accounts();
  ASSERT_TRUE(acc.add_user({.login = "zhang", .role = Role::kAdmin, .created_at = 100}, "hash-1").ok());
  ASSERT_TRUE(acc.add_token("token-hash", "zhang", "script", 200).ok());
  ASSERT_TRUE(acc.audit({.at_ms = 300,
                         .user = "cli",
                         .role = "admin",
                         .action = "users.add",
                         .target = "zhang",
                         .outcome = "ok",
                         .via = "cli"})
                  .ok());
  ASSERT_TRUE(acc.audit({.at_ms = 400,
                         .user = "zhang",
                         .role = "admin",
                         .action = "tokens.create",
                         .target = "zhang",
                         .outcome = "ok",
                         .via = "cli"})
                  .ok());
  auto serial = s.device_keys().rotate(
      {.mn = kMn, .sealed = std::string("\x00\x01\xff sealed", 10), .issued_ms = 500, .issued_by = "zhang"},
      0);
  ASSERT_TRUE(serial.ok()) << serial.status().message();
  SourceCommand c{.mn = kMn, .name = "get-time", .cn = 1011};
  ASSERT_TRUE(s.source_commands().add(c, "zhang", 600).ok());
  ASSERT_TRUE(s.dust()
                  .write_points({{"T01", "北区工地", "construction", "城建一标段", "城区", "112.85", "35.5",
                                  "DUST0001"}})
                  .ok());
  ASSERT_TRUE(s.dust()
                  .write_readings({{"T01", 2051, sources::SourceTime::of_seconds(1765000000), "812.5", "120",
                                    "", "", "2.1", "270"}})
                  .ok());
  // Power-use monitoring: a line, a closed site, a reading, a grid day, an enforcement case.
  ASSERT_TRUE(s.power()
                  .write_lines({{"E01/P1",
                                 "E01",
                                 "烧结机",
                                 "production",
                                 "50",
                                 60,
                                 "PWR0001",
                                 "d20101",
                                 {},
                                 {"E01-G1"},
                                 {"烧结"}}})
                  .ok());
  ASSERT_TRUE(s.power().write_sites({{"S1", "砖厂", "城区", "M9", "closed", "2026-11-30"}}).ok());
  ASSERT_TRUE(
      s.power().write_readings({{"E01/P1", sources::SourceTime::of_seconds(1765000000), "100.5"}}).ok());
  ASSERT_TRUE(s.power().write_grid({{"X", "M9", "day", "2026-12-01", "30"}}).ok());
  ASSERT_TRUE(s.power()
                  .write_cases(
                      {{"S1", "2026-12-01", "2026-12-02", "砖厂", "城区", "M9", "closed", 1, "5", 0, 0}}, 700)
                  .ok());
}

// Every row of every record table of `s`, by table.
std::map<std::string, std::vector<RecordRow>> all_rows(Stores& s) {
  std::map<std::string, std::vector<RecordRow>> out;
  for (const RecordTable& t : s.record_tables().tables()) {
    auto rows = s.record_tables().read(t.name, 0, 1000000);
    EXPECT_TRUE(rows.ok()) << t.name;
    if (rows.ok()) out[t.name] = *rows;
  }
  return out;
}

std::vector<Milli> hours(Stores& s, int64_t station, Pollutant p) {
  std::vector<Milli> v;
  EXPECT_TRUE(s.time_series().read_hourly(station, p, MonthKey::of(2025, 1).first_hour(), 24 * 59, v).ok());
  return v;
}

std::string uploads(Stores& s) {
  std::string out;
  for (bool versions : {false, true}) {
    auto r = versions ? s.sources().source_record_conflicts(kMn, 0, 0, 99999999999999, 100)
                      : s.sources().source_records(kMn, 0, 0, 99999999999999, 100);
    EXPECT_TRUE(r.ok());
    for (const SourceRecord& u : *r) {
      out += u.mn + " " + std::to_string(u.cn) + " " + std::to_string(u.data_time) + " " + u.qn + " " +
             std::to_string(u.received_ms) + " " + std::to_string(u.flag) + " " + u.cp + "\n";
    }
  }
  return out;
}

const CopiedPart& part(const CopyReport& r, const std::string& name) {
  for (const CopiedPart& p : r.parts)
    if (p.name == name) return p;
  static const CopiedPart none;
  ADD_FAILURE() << "no part " << name;
  return none;
}

class StoreCopy : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = open_sqlite_stores((dir.path() / "a.db").string());
    auto b = open_sqlite_stores((dir.path() / "b.db").string());
    ASSERT_TRUE(a.ok() && b.ok());
    from = std::move(*a);
    to = std::move(*b);
    fill(*from);
  }
  testing::TempDir dir{"store_copy"};
  std::unique_ptr<Stores> from, to;
};

TEST_F(StoreCopy, EverythingArrivesExactlyAndASecondCopyWritesNothing) {
  auto r = copy_stores(*from, *to);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->complete);
  EXPECT_EQ(r->differing(), 0);
  // Rows: 2 stations, 1 device, 1 user, 1 token, 2 audit rows, 1 key, 1 command, 1 dust point, 1 dust
  // reading, 1 power line, 1 site, 1 reading, 1 grid day, 1 case = 16 record rows; 12 values; 3 uploads + 1
  // other version = 4.
  EXPECT_EQ(part(*r, "station").written, 2);
  EXPECT_EQ(part(*r, "acc_audit").written, 2);
  EXPECT_EQ(part(*r, "source_device_key").written, 1);
  EXPECT_EQ(part(*r, "air_hourly").written, 12);
  EXPECT_EQ(part(*r, "source_record").written, 4);
  EXPECT_EQ(part(*r, "dust_point").written, 1);
  EXPECT_EQ(part(*r, "dust_reading").written, 1);
  for (const char* t : {"power_line", "power_site", "power_reading", "power_grid", "power_case"})
    EXPECT_EQ(part(*r, t).written, 1) << t;
  EXPECT_EQ(r->written(), 16 + 12 + 4);

  EXPECT_EQ(all_rows(*from), all_rows(*to));  // ids, times, hashes, the sealed bytes: all as stored
  auto stations = to->records().all_stations();
  ASSERT_TRUE(stations.ok());
  ASSERT_EQ(stations->size(), 2u);
  const int64_t a = stations->at(0).id;
  for (Pollutant p : kAllPollutants) EXPECT_EQ(hours(*from, a, p), hours(*to, a, p)) << pollutant_code(p);
  EXPECT_EQ(uploads(*to), uploads(*from));
  EXPECT_EQ(uploads(*to),
            "A0000000000000000000000A 2031 20250101000000 q3 3 4 a=3\n"
            "A0000000000000000000000A 2061 20250101010000 q1 1 4 a=1\n"
            "A0000000000000000000000A 2061 20250101020000 q2 2 4 a=2\n"
            "A0000000000000000000000A 2061 20250101010000 q4 4 4 a=9\n");
  auto versions = to->sources().source_record_conflicts(kMn, 0, 0, 99999999999999, 100);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(versions->at(0).cp, "a=9");
  auto keys = to->device_keys().valid_keys(kMn, 1000);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ(keys->at(0).sealed, std::string("\x00\x01\xff sealed", 10));

  auto again = copy_stores(*from, *to);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->written(), 0);
  EXPECT_EQ(part(*again, "air_hourly").same, 12);
  EXPECT_EQ(part(*again, "source_record").same, 4);
  EXPECT_EQ(part(*again, "acc_user").same, 1);
  for (const char* t : {"power_line", "power_site", "power_reading", "power_grid", "power_case"})
    EXPECT_EQ(part(*again, t).same, 1) << t;
  const std::string json = copy_report_json(*again, "a.db", "b.db");
  auto j = nlohmann::json::parse(json);
  EXPECT_EQ(j["changed"], false);
  EXPECT_EQ(j["written"], 0);
  EXPECT_EQ(j["complete"], true);

  // Ids the destination makes next follow the copied ones: audit rows 1 and 2 were copied, the next is 3.
  ASSERT_TRUE(to->accounts().audit({.at_ms = 700, .user = "cli", .action = "x", .outcome = "ok"}).ok());
  auto log = to->accounts().audit_log(1, 0);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->at(0).id, 3);
}

TEST_F(StoreCopy, OtherDataForTheSameKeysIsRefusedBeforeAnythingIsWrittenUnlessForced) {
  // The destination has user zhang as an analyst: the first difference, in acc_user (stations come first
  // and the destination has none, so they would be new).
  ASSERT_TRUE(
      to->accounts().add_user({.login = "zhang", .role = Role::kAnalyst, .created_at = 100}, "hash-1").ok());
  auto r = copy_stores(*from, *to);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("acc_user (accounts) row login='zhang': role is 'analyst' in the "
                                      "destination, 'admin' in the source"),
            std::string::npos)
      << r.status().message();
  EXPECT_TRUE(to->records().all_stations()->empty());  // nothing was written

  CopyOptions force{.force = true};
  auto forced = copy_stores(*from, *to, force);
  ASSERT_TRUE(forced.ok()) << forced.status().message();
  EXPECT_EQ(forced->differing(), 1);
  EXPECT_EQ(part(*forced, "acc_user").written, 1);
  auto u = to->accounts().find_user("zhang");
  ASSERT_TRUE(u.ok() && u->has_value());
  EXPECT_EQ((*u)->info.role, Role::kAdmin);
  EXPECT_EQ(all_rows(*from), all_rows(*to));
}

TEST_F(StoreCopy, AnHourWithAnotherValueIsNamedAndNeverOverwritten) {
  ASSERT_TRUE(copy_stores(*from, *to).ok());
  // Another source store whose station 1001A has PM2.5 19 at hour 0 of January 2025 (the copy holds 10).
  auto other = open_sqlite_stores((dir.path() / "c.db").string());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(copy_stores(*from, **other).ok());
  auto stations = (*other)->records().all_stations();
  HourlyBlock jan{
      .station_id = stations->at(0).id, .pollutant = Pollutant::kPM25, .month = MonthKey::of(2025, 3)};
  jan.values.assign(static_cast<size_t>(jan.month.hours()), kMissing);
  jan.values[0] = 5000;  // a new hour in March, to be copied
  MergeStats st;
  ASSERT_TRUE((*other)->records().begin_write().ok());
  ASSERT_TRUE((*other)->time_series().merge_hourly(std::vector<HourlyBlock>{jan}, st, nullptr).ok());
  ASSERT_TRUE((*other)->records().commit().ok());
  // The destination gets another value for 2025-01-01 01:00 (hour 0 of January) directly.
  HourlyBlock clash{
      .station_id = stations->at(0).id, .pollutant = Pollutant::kPM25, .month = MonthKey::of(2025, 1)};
  auto dest = open_sqlite_stores((dir.path() / "d.db").string());
  ASSERT_TRUE(dest.ok());
  ASSERT_TRUE(copy_stores(*from, **dest, {.max_rows = 9}).ok());  // the record rows only (9), no hours yet
  clash.values.assign(static_cast<size_t>(clash.month.hours()), kMissing);
  clash.values[0] = 99000;
  ASSERT_TRUE((*dest)->records().begin_write().ok());
  ASSERT_TRUE((*dest)->time_series().merge_hourly(std::vector<HourlyBlock>{clash}, st, nullptr).ok());
  ASSERT_TRUE((*dest)->records().commit().ok());

  auto r = copy_stores(**other, **dest);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(
      r.status().message().find("air_hourly station 1001A (id 1) PM2.5 hour 2025-01-01 01:00: 99000 in the "
                                "destination, 10000 in the source"),
      std::string::npos)
      << r.status().message();
  auto forced = copy_stores(**other, **dest, {.force = true});
  ASSERT_TRUE(forced.ok());
  // 13 values in the source: 12 - 1 clashing are new (11) ... and March's one: 12 written, 1 differing.
  EXPECT_EQ(part(*forced, "air_hourly").read, 13);
  EXPECT_EQ(part(*forced, "air_hourly").written, 12);
  EXPECT_EQ(part(*forced, "air_hourly").differing, 1);
  EXPECT_EQ(hours(**dest, stations->at(0).id, Pollutant::kPM25)[0], 99000);  // the destination's kept
}

TEST_F(StoreCopy, AStoppedCopyFinishesWhenRunAgainWithoutWritingAnythingTwice) {
  // Stopped after 5 rows: the 2 stations, the device and ... the batch that crossed the budget is whole.
  auto first = copy_stores(*from, *to, {.max_rows = 5});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_FALSE(first->complete);
  const int64_t done = first->written();
  EXPECT_GE(done, 5);
  EXPECT_LT(done, 32);
  auto rest = copy_stores(*from, *to);
  ASSERT_TRUE(rest.ok());
  EXPECT_TRUE(rest->complete);
  EXPECT_EQ(done + rest->written(), 32);  // the one-shot total (16 rows + 12 values + 4 uploads)
  EXPECT_EQ(all_rows(*from), all_rows(*to));
  EXPECT_EQ(copy_stores(*from, *to)->written(), 0);
}

// The HJ 212-2025 state (issue 17): the pending list and the device's session keys. fill() gave kMn key 1
// (sealed "\x00\x01\xff sealed"); here key 2 replaces it (key 1 then valid until 5000, its grace), a logger
// waits for an MN (seen twice) and another was given kMn. Everything arrives as stored: the sealed bytes byte
// for byte (store_copy links no key vault: it has no master key and cannot open them), the pending rows with
// their ids, counts and the MN assigned; a second copy writes nothing and changes nothing; a destination
// holding another seal for the same key row is refused naming the row, without showing either seal.
TEST_F(StoreCopy, PendingDevicesAndSessionKeysArriveSealedAndASecondCopyChangesNothing) {
  const std::string seal2("\x02\x00 second \xfe\x0d\x0a", 13);
  ASSERT_TRUE(from->device_keys()
                  .rotate({.mn = kMn, .sealed = seal2, .issued_ms = 900, .issued_by = "zhang"}, 5000)
                  .ok());
  PendingDeviceStore& pending = from->pending_devices();
  const PendingSighting logger{.hardware_id = "6970000000001ABCDEFG1234",  // the spec note's F1
                               .cpu_id = "A800200A8C6D",
                               .mac1 = "E86A643C7BBC",
                               .mac2 = "A763742C1AE1",
                               .st = "31",
                               .pw = "123456",
                               .peer = "10.0.0.5:4711",
                               .seen_ms = 1000};
  ASSERT_TRUE(pending.record_sighting(logger).ok());
  ASSERT_TRUE(
      pending
          .record_sighting(
              {.hardware_id = "X2", .st = "32", .pw = "654321", .peer = "10.0.0.6:1", .seen_ms = 1500})
          .ok());
  PendingSighting again = logger;
  again.seen_ms = 2000;
  ASSERT_TRUE(pending.record_sighting(again).ok());
  ASSERT_TRUE(pending.assign(1, kMn, "li", 3000).ok());

  auto r = copy_stores(*from, *to);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(part(*r, "source_device_key").written, 2);
  EXPECT_EQ(part(*r, "pending_device").written, 2);
  EXPECT_EQ(part(*r, "pending_device").concern, "pending devices");
  // 16 record rows of fill() + 1 key + 2 pending rows; 12 values; 4 uploads.
  EXPECT_EQ(r->written(), 19 + 12 + 4);
  EXPECT_EQ(all_rows(*from), all_rows(*to));

  auto rows = to->pending_devices().list();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  const PendingDevice& a = rows->at(0);
  EXPECT_EQ(a.id, 1);
  EXPECT_EQ(a.hardware_id, "6970000000001ABCDEFG1234");
  EXPECT_EQ(a.cpu_id, "A800200A8C6D");
  EXPECT_EQ(a.mac1, "E86A643C7BBC");
  EXPECT_EQ(a.mac2, "A763742C1AE1");
  EXPECT_EQ(a.first_seen_ms, 1000);
  EXPECT_EQ(a.last_seen_ms, 2000);
  EXPECT_EQ(a.count, 2);
  EXPECT_EQ(a.mn, kMn);
  EXPECT_EQ(a.assigned_ms, 3000);
  EXPECT_EQ(a.assigned_by, "li");
  EXPECT_EQ(rows->at(1).id, 2);
  EXPECT_EQ(rows->at(1).hardware_id, "X2");
  EXPECT_FALSE(rows->at(1).assigned());
  EXPECT_EQ(rows->at(1).pw, "654321");
  // The destination numbers its next logger after the copied ones (id 3).
  ASSERT_TRUE(to->pending_devices().record_sighting({.hardware_id = "X3", .seen_ms = 4000}).ok());
  EXPECT_EQ(to->pending_devices().list()->back().id, 3);

  // Key 2 current, key 1 in its grace until 5000: at 4999 both, current first; at 5000 key 2 only.
  auto keys = to->device_keys().valid_keys(kMn, 4999);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ(keys->at(0).serial, 2);
  EXPECT_EQ(keys->at(0).sealed, seal2);
  EXPECT_FALSE(keys->at(0).valid_until_ms.has_value());
  EXPECT_EQ(keys->at(1).serial, 1);
  EXPECT_EQ(keys->at(1).sealed, std::string("\x00\x01\xff sealed", 10));
  EXPECT_EQ(keys->at(1).valid_until_ms, 5000);
  EXPECT_EQ(to->device_keys().valid_keys(kMn, 5000)->size(), 1u);

  // A second copy (the X3 row aside, which the source does not have) writes nothing and changes nothing.
  const auto before = all_rows(*to);
  auto second = copy_stores(*from, *to);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->written(), 0);
  EXPECT_EQ(part(*second, "pending_device").same, 2);
  EXPECT_EQ(part(*second, "source_device_key").same, 2);
  EXPECT_EQ(all_rows(*to), before);

  // Another seal for (kMn, serial 2) in a third store: refused, the row named, neither seal shown.
  auto other = open_sqlite_stores((dir.path() / "f.db").string());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->sources().upsert_device({.mn = kMn, .password = "123456"}).ok());
  // Key 1 as the source's; key 2 as the source's but for its seal.
  ASSERT_TRUE((*other)
                  ->device_keys()
                  .rotate({.mn = kMn,
                           .sealed = std::string("\x00\x01\xff sealed", 10),
                           .issued_ms = 500,
                           .issued_by = "zhang"},
                          0)
                  .ok());
  ASSERT_TRUE((*other)
                  ->device_keys()
                  .rotate({.mn = kMn, .sealed = "other seal", .issued_ms = 900, .issued_by = "zhang"}, 5000)
                  .ok());
  auto refused = copy_stores(*from, **other);
  ASSERT_FALSE(refused.ok());
  const std::string& why = refused.status().message();
  EXPECT_NE(why.find("source_device_key (device keys) row mn='A0000000000000000000000A', serial=2: sealed "
                     "differs (the values are not shown)"),
            std::string::npos)
      << why;
  EXPECT_EQ(why.find("other seal"), std::string::npos) << why;
  EXPECT_EQ(why.find("second"), std::string::npos) << why;
}

TEST_F(StoreCopy, AStoreOntoAnEmptyOneOfAnotherShardCountKeepsEveryUpload) {
  // The destination spreads uploads over 3 shard files (the gateway's --writers 3).
  auto d = open_sqlite_stores((dir.path() / "e.db").string());
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE((*d)->source_ingest().set_shards(3).ok());
  auto r = copy_stores(*from, **d);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(part(*r, "source_record").written, 4);
  auto spans = (*d)->sources().source_record_spans();
  ASSERT_TRUE(spans.ok());
  ASSERT_EQ(spans->size(), 1u);
  EXPECT_EQ(spans->at(0).mn, kMn);
  EXPECT_EQ(spans->at(0).first, 20250101000000);
  EXPECT_EQ(spans->at(0).last, 20250101020000);
  EXPECT_EQ(spans->at(0).records, 3);
  EXPECT_EQ(spans->at(0).conflicts, 1);
}

}  // namespace
}  // namespace ecomon
