// Live events and downstream commands through the gateway, over real loopback sockets: an hourly exceedance
// opens an event as soon as its upload is committed and a later normal hour closes it (a re-sent upload and a
// restart change nothing); a silent device gets its event after N intervals; a queued set-time reaches a
// connected simulator device and its 9011/9012 answers are recorded; a device that does not answer gets the
// command again with the same QN, then it times out.
// clang-format off
#include <utility>
// clang-format on
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/sources.h"
#include "demo/power_demo.h"
#include "gateway/gateway.h"
#include "gateway/simulator.h"
#include "ingest/hj212/encoder.h"
#include "ingest/hj212/stream_reader.h"
#include "ingest/power_csv.h"
#include "power/power_tracker.h"
#include "store/sqlite_stores.h"

namespace ecomon {
namespace {

// Queues through the service, as `ecomon sources command` and the API do.
StatusOr<SourceCommand> enqueue(Stores& stores, const CommandRequest& r, const Actor& who, int64_t now_ms) {
  return app::enqueue_source_command(stores, who, r, now_ms);
}

namespace fs = std::filesystem;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using sources::SourceTime;

constexpr int64_t kBeijingOffsetMs = int64_t{8} * 3600 * 1000;

SourceTime at(std::string_view s) { return SourceTime::parse(s).value(); }
// The UTC ms of a civil (Beijing) time: what the test clock returns.
int64_t utc_ms(std::string_view civil) { return at(civil).seconds * 1000 - kBeijingOffsetMs; }

// A device of the test: connects, sends frames, reads frames back (10 s at most per read).
struct Device {
  asio::io_context io;
  tcp::socket sock{io};
  hj212::StreamReader reader{hj212::StreamOptions{.decode = {.policy = hj212::Policy::lenient()}}};
  std::vector<std::string> frames;  // owned copies of what was read

  explicit Device(uint16_t port) {
    sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    timeval tv{10, 0};
    setsockopt(sock.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  void send(const std::string& bytes) { asio::write(sock, asio::buffer(bytes)); }
  // The next frame's bytes ("" when none came in 10 s).
  std::string next() {
    std::array<char, 2048> buf;
    while (true) {
      hj212::StreamEvent ev;
      if (reader.next(&ev) && ev.kind == hj212::StreamEvent::Kind::kFrame)
        return std::string(ev.message->frame);
      boost::system::error_code ec;
      size_t n = sock.read_some(asio::buffer(buf), ec);
      if (ec) return "";
      reader.feed(std::string_view(buf.data(), n));
    }
  }
};

std::string field(const std::string& frame, const std::string& name) {
  size_t at = frame.find(name + "=");
  if (at == std::string::npos) return "";
  at += name.size() + 1;
  return frame.substr(at, frame.find_first_of(";,&", at) - at);
}

class LiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db = (fs::temp_directory_path() /
          ("ecomon_live_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
             .string();
    fs::remove(db);
    // Device 0 of the simulator on the gas outlet G1 with the NOx limit 50 mg/m3 (measured, 实测), hourly
    // data expected from 2024-03-01 08:30.
    auto rs = SourceRegistryStore::open(db).value();
    ASSERT_TRUE(
        rs->put_enterprise({.id = "E1", .name = "某电厂", .county = "泽州县", .industry = "火电"}).ok());
    ASSERT_TRUE(
        rs->put_outlet({.id = "G1", .enterprise_id = "E1", .kind = sources::OutletKind::kGas, .name = "1#"})
            .ok());
    sources::Device d{.mn = sim_mn(0), .password = "123456", .outlet_id = "G1"};
    d.intervals = {.realtime = false, .minute = false, .hourly = true, .daily = false};
    d.registered_at = at("2024-03-01 08:30");
    d.pollutants = {{.code = "a21002", .unit = "mg/m3"}};
    ASSERT_TRUE(rs->put_device(d).ok());
    ASSERT_TRUE(rs->put_limit({.outlet_id = "G1",
                               .pollutant = "a21002",
                               .upper = {50, 0},
                               .unit = "mg/m3",
                               .valid_from = CivilDay::parse("2024-01-01").value()})
                    .ok());
    for (const DeviceRecord& r : sim_devices(1, 2, "123456")) {
      ASSERT_TRUE(
          open_sqlite_stores(db).value()->sources().upsert_device(r).ok());  // gateway-only devices 1, 2
    }
    clock = utc_ms("2024-03-01 10:30");
    start();
  }
  void TearDown() override {
    if (gw) gw->stop();
    gw.reset();
    for (const char* s : {"", "-wal", "-shm"}) fs::remove(db + s);
  }
  void start() {
    if (gw) gw->stop();
    GatewayOptions o;
    o.listen = "127.0.0.1:0";
    o.stores = sqlite_stores_opener(db);
    o.events.clock_ms = [this] { return clock.load(); };
    o.events.silence_check_s = 3600;  // the test asks for each check
    o.events.log = [](const std::string&) {};
    o.commands.poll_ms = 20;
    o.commands.answer_timeout_ms = 100;
    o.commands.retries = 2;
    o.commands.log = [](const std::string&) {};
    o.commands.init_devices = init_devices;
    o.events.stop_orders = stop_orders;
    gw = Gateway::start(o).value();
  }
  // An hourly upload of device 0: NOx average `nox` for the hour starting at `hour` (yyyymmddhhmmss).
  static std::string hourly(const std::string& qn, const std::string& hour, const std::string& nox) {
    const std::string mn = sim_mn(0);
    hj212::HeaderFields h{.qn = qn, .st = "31", .cn = "2061", .pw = "123456", .mn = mn};
    h.flag = static_cast<uint8_t>(hj212::kFlagVersion2017 | hj212::kFlagAnswerNeeded);
    std::vector<hj212::PollutantRecord> recs = {{"a21002", {{"Avg", nox}, {"Flag", "N"}}}};
    return hj212::encode_upload(h, *hj212::parse_timestamp(hour), recs).value();
  }
  // Sends a real-time upload of `mn` on `dev`; the gateway's answer.
  static std::string upload_realtime(Device& dev, const std::string& mn) {
    hj212::HeaderFields h{.qn = "20240301100500001", .st = "31", .cn = "2011", .pw = "123456", .mn = mn};
    h.flag = static_cast<uint8_t>(hj212::kFlagVersion2017 | hj212::kFlagAnswerNeeded);
    std::vector<hj212::PollutantRecord> recs = {{"a21026", {{"Rtd", "20"}, {"Flag", "N"}}}};
    dev.send(hj212::encode_upload(h, *hj212::parse_timestamp("20240301100500"), recs).value());
    return dev.next();
  }
  std::function<StatusOr<std::vector<power::StopOrder>>(Stores&, sources::TimeSpan)> stop_orders;
  // A 2025 power module `mn` with its production line E1/P1 (d20101, running at >= 50 kW) and the treatment
  // line E1/T1 (d30101, running at >= 10 kW) serving it, minute readings.
  void register_power_module(const std::string& mn) {
    auto s = open_sqlite_stores(db).value();
    DeviceRecord pm;
    pm.mn = mn;
    pm.password = "123456";
    pm.protocol = 2025;
    ASSERT_TRUE(s->sources().upsert_device(pm).ok());
    ASSERT_TRUE(
        s->power()
            .write_lines({{"E1/P1", "E1", "磨机", "production", "50", 60, mn, "d20101", {}, {}, {}},
                          {"E1/T1", "E1", "除尘", "treatment", "10", 60, mn, "d30101", {"E1/P1"}, {}, {}}})
            .ok());
  }
  std::vector<StoredEvent> events() {
    return open_sqlite_stores(db).value()->source_events().events({}).value();
  }
  template <typename Pred>
  static bool wait_until(Pred pred) {  // for what another thread makes true; the test then asserts it
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!pred() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return pred();
  }

  std::string db;
  std::atomic<int64_t> clock{0};
  std::unique_ptr<Gateway> gw;
  bool init_devices = false;  // GatewayOptions::commands.init_devices at start()
};

TEST_F(LiveTest, HourlyExceedanceOpensAtOnceAndANormalHourClosesIt) {
  Device dev(gw->port());
  dev.send(hourly("20240301100500001", "20240301090000", "80.5"));
  ASSERT_EQ(field(dev.next(), "CN"), "9014");  // committed
  gw->live_events()->check_silence();          // returns when the committed records are judged
  std::vector<StoredEvent> ev = events();
  ASSERT_EQ(ev.size(), 1u);
  // NOx hour 09:00 Avg 80.5 > 50: opened at the hour's DataTime.
  EXPECT_EQ(ev[0].open.key.kind, sources::EventKind::kExceedance);
  EXPECT_EQ(ev[0].open.key.pollutant, "a21002");
  EXPECT_EQ(ev[0].open.at, at("2024-03-01 09:00"));
  EXPECT_EQ(ev[0].open.value, (Decimal{805, 1}));
  EXPECT_EQ(ev[0].open.limit, (Decimal{50, 0}));
  EXPECT_FALSE(ev[0].closed_at);

  dev.send(hourly("20240301100500001", "20240301090000", "80.5"));  // re-sent: stored once, no new event
  ASSERT_EQ(field(dev.next(), "CN"), "9014");
  clock = utc_ms("2024-03-01 11:30");
  dev.send(hourly("20240301110500002", "20240301100000", "12.0"));  // within the limit: closes at 10:00
  ASSERT_EQ(field(dev.next(), "CN"), "9014");
  gw->live_events()->check_silence();
  ev = events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].closed_at, at("2024-03-01 10:00"));

  // A restart judges the last 6 hours again: nothing new (the rows are idempotent, the tracker restored).
  start();
  gw->live_events()->check_silence();
  ev = events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].closed_at, at("2024-03-01 10:00"));
  EXPECT_EQ(gw->live_events()->stats().stored, 0u);
}

// A power module's HJ 212-2025 electricity upload (ST 44, CN 2011; codes UNCONFIRMED, spec 11) becomes its
// metered lines' readings once committed: d20101 -> the production line, d30101 -> the treatment line, at the
// upload's DataTime, in kW as sent. Re-sent: stored once, the reading already there.
TEST_F(LiveTest, PowerModuleUploadBecomesItsLinesReadings) {
  const std::string mn = sim_mn(7);
  ASSERT_NO_FATAL_FAILURE(register_power_module(mn));
  start();  // the live events load the power modules with the registry
  Device dev(gw->port());
  hj212::HeaderFields h{.qn = "20240301100600001", .st = "44", .cn = "2011", .pw = "123456", .mn = mn};
  h.flag = static_cast<uint8_t>(hj212::kFlagVersion2025 | hj212::kFlagAnswerNeeded);
  std::vector<hj212::PollutantRecord> recs = {{"d20101", {{"Rtd", "52.3"}, {"Flag", "N"}}},
                                              {"d30101", {{"Rtd", "0.0"}, {"Flag", "N"}}}};
  const std::string frame = hj212::encode_upload(h, *hj212::parse_timestamp("20240301100500"), recs).value();
  dev.send(frame);
  ASSERT_EQ(field(dev.next(), "CN"), "9014");
  gw->live_events()->check_silence();
  auto rs = open_sqlite_stores(db).value()->power().readings(
      {"E1/P1", "E1/T1"}, {at("2024-03-01 10:00"), at("2024-03-01 11:00")});
  ASSERT_TRUE(rs.ok());
  ASSERT_EQ(rs->size(), 2u);
  EXPECT_EQ(rs->at(0).line, "E1/P1");
  EXPECT_EQ(rs->at(0).at, at("2024-03-01 10:05"));
  EXPECT_EQ(rs->at(0).kw, "52.3");
  EXPECT_EQ(rs->at(1).line, "E1/T1");
  EXPECT_EQ(rs->at(1).kw, "0.0");
  EXPECT_EQ(gw->live_events()->stats().power_readings, 2u);
  dev.send(frame);  // re-sent
  ASSERT_EQ(field(dev.next(), "CN"), "9014");
  gw->live_events()->check_silence();
  EXPECT_EQ(open_sqlite_stores(db)
                .value()
                ->power()
                .readings({"E1/P1"}, {at("2024-03-01 10:00"), at("2024-03-01 11:00")})
                ->size(),
            1u);
}

// A construction-site TSP point (ST 39 工地扬尘, minute data CN 2051) through the gateway, default dust
// parameters (trailing 15-minute mean over at least 8 readings, construction threshold 800 µg/m³, silence
// after 30 minutes). Minutes 10:00..10:07 at 700, 10:08 and 10:09 at 1500:
//   10:07: 8 readings, mean 700;  10:08: (8×700 + 1500)/9 = 788.9 <= 800;  10:09: (8×700 + 2×1500)/10 = 860
// -> dust_exceedance opens at 10:09 (mean 860.0, limit 800). Newest reading 10:09: at 10:38 no silence; at
// 10:40 a dust_silence is open from 10:39; the 10:41 upload closes it at 10:41. Each minute is stored as a
// reading with its PM10 and wind; a re-sent upload and a restart change nothing.
TEST_F(LiveTest, TspPointOverItsThresholdOpensAtTheRightMinute) {
  const std::string mn = sim_mn(9);
  {
    auto s = open_sqlite_stores(db).value();
    DeviceRecord d;
    d.mn = mn;
    d.password = "123456";
    ASSERT_TRUE(s->sources().upsert_device(d).ok());
    ASSERT_TRUE(
        s->dust()
            .write_points({{"T01", "北区工地", "construction", "城建一标段", "城区", "112.85", "35.5", mn}})
            .ok());
  }
  start();
  Device dev(gw->port());
  auto minute = [&](int m, const std::string& tsp) {
    const std::string mm = (m < 10 ? "0" : "") + std::to_string(m);  // minutes 0..59 of hour 10
    const std::string qn = "2024030110" + mm + "00001", dt = "2024030110" + mm + "00";
    hj212::HeaderFields h{.qn = qn, .st = "39", .cn = "2051", .pw = "123456", .mn = mn};
    h.flag = static_cast<uint8_t>(hj212::kFlagVersion2017 | hj212::kFlagAnswerNeeded);
    std::vector<hj212::PollutantRecord> recs = {{"a34001", {{"Avg", tsp}, {"Flag", "N"}}},
                                                {"a34002", {{"Avg", "120"}, {"Flag", "N"}}},
                                                {"a01007", {{"Avg", "2.1"}, {"Flag", "N"}}}};
    return hj212::encode_upload(h, *hj212::parse_timestamp(dt), recs).value();
  };
  for (int m = 0; m <= 9; ++m) {
    dev.send(minute(m, m <= 7 ? "700" : "1500"));
    ASSERT_EQ(field(dev.next(), "CN"), "9014") << m;
  }
  clock = utc_ms("2024-03-01 10:38");
  gw->live_events()->check_silence();
  std::vector<StoredEvent> ev = events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].open.key.kind, sources::EventKind::kDustExceedance);
  EXPECT_EQ(ev[0].open.key.mn, mn);
  EXPECT_EQ(ev[0].open.key.pollutant, "a34001");
  EXPECT_EQ(ev[0].open.at, at("2024-03-01 10:09"));
  EXPECT_EQ(ev[0].open.value->to_string(), "860.0");
  EXPECT_EQ(ev[0].open.limit->to_string(), "800");
  EXPECT_FALSE(ev[0].closed_at);
  auto rs = open_sqlite_stores(db).value()->dust().readings({"T01"},
                                                            {at("2024-03-01 10:00"), at("2024-03-01 11:00")});
  ASSERT_TRUE(rs.ok());
  ASSERT_EQ(rs->size(), 10u);
  EXPECT_EQ(rs->at(9).at, at("2024-03-01 10:09"));
  EXPECT_EQ(rs->at(9).cn, 2051);
  EXPECT_EQ(rs->at(9).tsp, "1500");
  EXPECT_EQ(rs->at(9).pm10, "120");
  EXPECT_EQ(rs->at(9).wind_speed, "2.1");
  EXPECT_EQ(rs->at(9).pm25, "");

  dev.send(minute(9, "1500"));  // re-sent: nothing new
  ASSERT_EQ(field(dev.next(), "CN"), "9014");
  clock = utc_ms("2024-03-01 10:40");
  gw->live_events()->check_silence();
  ev = events();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[1].open.key.kind, sources::EventKind::kDustSilence);
  EXPECT_EQ(ev[1].open.at, at("2024-03-01 10:39"));
  EXPECT_EQ(ev[1].open.data_time, at("2024-03-01 10:09"));

  start();  // a restart: the open events and the silence clock are taken back, nothing raised again
  gw->live_events()->check_silence();
  EXPECT_EQ(events().size(), 2u);
  Device dev2(gw->port());
  dev2.send(minute(41, "1500"));
  ASSERT_EQ(field(dev2.next(), "CN"), "9014");
  gw->live_events()->check_silence();
  ev = events();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[1].closed_at, at("2024-03-01 10:41"));
  EXPECT_FALSE(ev[0].closed_at);  // the window holds one reading since the restart: nothing judged
  EXPECT_EQ(gw->live_events()->stats().dust_readings, 1u);
}

// The simulated power modules' pattern (simulator.h, power_module_reading), worked by hand; minute of day m,
// base production P = 200 + (i × 37) % 300 kW, treatment T = 40 + (i × 11) % 50 kW:
// - module 204 (faulty: 204 % 12 == 0; 204 / 12 = 17): P = 200 + 7548 % 300 = 248, T = 40 + 2244 % 50 = 84.
//   10:59 (m 659): production 2480 + (4613 + 2652) % 50 = 2480 + 15 = 2495 -> 249.5 kW; hour 10 is an outage
//   hour ((10 + 17) % 3 == 0) but minute 59 is outside hh:10..29: treatment 840 + (1977 + 204) % 10 = 841.
//   11:05 (m 665): production 2480 + (4655 + 2652) % 50 = 2487; the mid-day outage: treatment (665 + 204) % 5
//   = 4 tenths. 13:00 (m 780): outage over, treatment 840 + (2340 + 204) % 10 = 844; 10:10 (m 610): the
//   hour-10 outage, treatment (610 + 204) % 5 = 4.
// - module 201 (continuous, 201 % 5 == 1): P = 200 + 7437 % 300 = 437, T = 40 + 2211 % 50 = 51. 23:00 (m
//   1380, 50 %): 4370 × 50 / 100 + (9660 + 2613) % 50 = 2185 + 23 = 2208; treatment 510 + (4140 + 201) % 10 =
//   511. 07:00 (m 420, 75 %): 327750 / 100 = 3277 (integer division) + (2940 + 2613) % 50 = 3277 + 3 = 3280.
// - module 202 (day shift, 202 % 5 == 2) at 23:00: stopped, 15 and 5 tenths; at 08:00 running.
TEST(SimulatedPowerModules, DailyPatternAndOutagesByHand) {
  auto reading = [](int index, std::string_view civil) {
    const PowerModuleReading r = power_module_reading(index, at(civil).seconds * 1000);
    return std::pair{r.production_tenths, r.treatment_tenths};
  };
  EXPECT_EQ(reading(204, "2024-03-01 10:59"), std::pair(int64_t{2495}, int64_t{841}));
  EXPECT_EQ(reading(204, "2024-03-01 11:05"), std::pair(int64_t{2487}, int64_t{4}));
  EXPECT_EQ(reading(204, "2024-03-01 13:00").second, 844);
  EXPECT_EQ(reading(204, "2024-03-01 10:10").second, 4);
  EXPECT_EQ(reading(201, "2024-03-01 23:00"), std::pair(int64_t{2208}, int64_t{511}));
  EXPECT_EQ(reading(201, "2024-03-01 07:00").first, 3280);
  EXPECT_EQ(reading(202, "2024-03-01 23:00"), std::pair(int64_t{15}, int64_t{5}));
  EXPECT_GT(reading(202, "2024-03-01 08:00").first, 500);
  EXPECT_TRUE(power_module_faulty(204));
  EXPECT_FALSE(power_module_faulty(201));
  // A faulty module's treatment line is off only while its production runs, and never at night.
  for (int m = 0; m < 24 * 60; ++m) {
    const PowerModuleReading r = power_module_reading(216, (at("2024-03-01 00:00").seconds + 60 * m) * 1000);
    if (r.treatment_tenths < 100) {
      EXPECT_GE(r.production_tenths, 500) << m;
    }
    if (m < 6 * 60 || m >= 22 * 60) {
      EXPECT_GE(r.treatment_tenths, 100) << m;
    }
  }
}

// hj212-sim --power feeding the demo city's modules (power demo-lines, imported as the template): modules
// 200..204 (E01/P1..P5 and their treatment lines, demo/power_demo.h) send minute data from 10:50 to 11:15
// (26 uploads each, DataTimes 60 s apart, sent 0.1 s apart). Every reading reaches the store as sent; module
// 204 (E01/P5, T5) is faulty: its treatment line is off from 11:00 (simulator.h) while production runs at
// ~248 kW, so treatment_not_running opens dated 11:00 once the 11:14 reading (the 15th minute) is committed,
// still open; the other four modules raise nothing.
TEST_F(LiveTest, SimulatedDemoModulesReachTheStoreAndAnOutageOpensItsEvent) {
  {
    auto s = open_sqlite_stores(db).value();
    for (const DeviceRecord& r : sim_devices(demo::kDemoPowerFirstDevice, 5, "123456", 2025))
      ASSERT_TRUE(s->sources().upsert_device(r).ok());
    const std::string csv = db + ".power_lines.csv";
    std::ofstream(csv, std::ios::binary)
        << demo::power_lines_csv(demo::kDemoPowerModules, demo::kDemoPowerFirstDevice);
    auto imp = import_power_file(s->power(), PowerTemplate::kLines, csv);
    fs::remove(csv);
    ASSERT_TRUE(imp.ok());
    ASSERT_FALSE(imp->has_rejections());
  }
  clock = utc_ms("2024-03-01 11:30");
  start();
  SimOptions so;
  so.target = "127.0.0.1:" + std::to_string(gw->port());
  so.devices = 5;
  so.first_device = demo::kDemoPowerFirstDevice;
  so.interval_s = 0.1;
  so.data_step_s = 60;
  so.duration_s = 30;
  so.messages_per_device = 26;
  so.protocol = 2025;
  so.electricity = true;
  so.first_data_time_ms = at("2024-03-01 10:50").seconds * 1000;
  auto stats = run_simulator(so, nullptr);
  ASSERT_TRUE(stats.ok()) << stats.status().to_string();
  EXPECT_EQ(stats->answered, 5u * 26u);
  gw->live_events()->check_silence();
  auto stores = open_sqlite_stores(db).value();
  const sources::TimeSpan span{at("2024-03-01 10:00"), at("2024-03-01 12:00")};
  for (int k = 1; k <= 5; ++k) {
    for (const char* role : {"P", "T"}) {
      const std::string line = "E01/" + std::string(role) + std::to_string(k);
      auto rs = stores->power().readings({line}, span).value();
      ASSERT_EQ(rs.size(), 26u) << line;
      EXPECT_EQ(rs.front().at, at("2024-03-01 10:50")) << line;
      EXPECT_EQ(rs.back().at, at("2024-03-01 11:15")) << line;
    }
  }
  auto p5 = stores->power().readings({"E01/P5"}, span).value();
  auto t5 = stores->power().readings({"E01/T5"}, span).value();
  EXPECT_EQ(p5[9].at, at("2024-03-01 10:59"));  // worked in DailyPatternAndOutagesByHand
  EXPECT_EQ(p5[9].kw, "249.5");
  EXPECT_EQ(t5[9].kw, "84.1");
  EXPECT_EQ(p5[15].kw, "248.7");  // 11:05
  EXPECT_EQ(t5[15].kw, "0.4");
  std::vector<StoredEvent> power;
  for (const StoredEvent& e : events()) {
    if (sources::is_power_event(e.open.key.kind)) power.push_back(e);
  }
  ASSERT_EQ(power.size(), 1u);
  EXPECT_EQ(power[0].open.key.kind, sources::EventKind::kTreatmentNotRunning);
  EXPECT_EQ(power[0].open.key.mn, sim_mn(204));
  EXPECT_EQ(power[0].open.key.pollutant, "E01/T5>E01/P5");
  EXPECT_EQ(power[0].open.at, at("2024-03-01 11:00"));
  EXPECT_EQ(power[0].open.data_time, at("2024-03-01 11:14"));
  EXPECT_EQ(power[0].open.limit->to_milli(), 10000);  // the treatment line's running_kw
  EXPECT_FALSE(power[0].closed_at);
  // The gateway watched only from its start (11:30 by the test clock), so the events of 10:00..12:00 are
  // computed from the uploads; the power event, which only the live thread raises, is listed all the same
  // (the duty view's list, /api/sources/events).
  auto listed = app::source_events(*stores, Actor::operator_cli(),
                                   {.from = at("2024-03-01 10:00"), .to = at("2024-03-01 12:00")});
  ASSERT_TRUE(listed.ok()) << listed.status().to_string();
  EXPECT_FALSE(listed->stored);
  int listed_power = 0;
  for (const sources::EventRow& e : listed->events) {
    if (e.open.key.kind == sources::EventKind::kTreatmentNotRunning && e.open.key.mn == sim_mn(204) &&
        !e.closed_at)
      ++listed_power;
  }
  EXPECT_EQ(listed_power, 1);
  SimOptions bad = so;
  bad.protocol = 2017;
  EXPECT_EQ(run_simulator(bad, nullptr).status().code(), StatusCode::kInvalidArgument);
  bad = so;
  bad.data_step_s = -1;
  EXPECT_EQ(run_simulator(bad, nullptr).status().code(), StatusCode::kInvalidArgument);
}

// Live power events over a real socket (docs/power.md): power module 7 sends one HJ 212-2025 upload a minute
// (ST 44, CN 2011) with its production line E1/P1 (d20101, running at >= 50 kW) at 80 kW and its treatment
// line E1/T1 (d30101, running at >= 10 kW, serves E1/P1) at 20 kW, except 0 kW at 10:05..10:24; a stop order
// (orange warning) for E1/P1 from 10:30 to 11:00. Worked by hand:
// - treatment off 10:05..10:24 = 20 readings >= 15 min -> treatment_not_running opened 10:05 (stored when the
//   10:19 reading, the 15th, arrives), closed 10:25 (T back at 20 kW);
// - P running from the order's start: 10:30..10:44 = 15 readings -> production_during_stop opened 10:30,
//   still open after 10:44; the readings up to 11:00 (the order's end, = 10:59 + 60 s) close it at 11:00.
// A restart in between re-judges the stored readings and changes nothing.
TEST_F(LiveTest, PowerEventsOpenAndCloseAsTheReadingsArrive) {
  const std::string mn = sim_mn(7);
  ASSERT_NO_FATAL_FAILURE(register_power_module(mn));
  stop_orders = [](Stores&, sources::TimeSpan) -> StatusOr<std::vector<power::StopOrder>> {
    return std::vector<power::StopOrder>{
        {"E1/P1", {at("2024-03-01 10:30"), at("2024-03-01 11:00")}, "橙色预警 停产"}};
  };
  clock = utc_ms("2024-03-01 11:05");
  start();
  // Minute m after 10:00 on `d`, the treatment line at 0 kW for m in 5..24 unless `on`; the answer's CN.
  auto send_minute = [&](Device& d, int m, bool on = false) {
    const int t_kw = !on && m >= 5 && m <= 24 ? 0 : 20;
    char dt[32];
    std::snprintf(dt, sizeof dt, "202403011%d%02d00", m / 60, m % 60);
    const std::string qn = std::string(dt) + "001", t_text = std::to_string(t_kw) + ".0";  // held as views
    hj212::HeaderFields h{.qn = qn, .st = "44", .cn = "2011", .pw = "123456", .mn = mn};
    h.flag = static_cast<uint8_t>(hj212::kFlagVersion2025 | hj212::kFlagAnswerNeeded);
    std::vector<hj212::PollutantRecord> recs = {{"d20101", {{"Rtd", "80.0"}, {"Flag", "N"}}},
                                                {"d30101", {{"Rtd", t_text}, {"Flag", "N"}}}};
    d.send(hj212::encode_upload(h, *hj212::parse_timestamp(dt), recs).value());
    return field(d.next(), "CN");
  };
  Device dev(gw->port());
  auto power_events = [&] {
    std::vector<StoredEvent> out;
    for (const StoredEvent& e : events()) {
      if (sources::is_power_event(e.open.key.kind)) out.push_back(e);
    }
    return out;
  };
  for (int m = 0; m < 19; ++m) ASSERT_EQ(send_minute(dev, m), "9014");
  gw->live_events()->check_silence();
  EXPECT_TRUE(power_events().empty());  // 10:05..10:18: 14 readings, not yet 15 min
  ASSERT_EQ(send_minute(dev, 19), "9014");
  gw->live_events()->check_silence();
  auto ev = power_events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].open.key.kind, sources::EventKind::kTreatmentNotRunning);
  EXPECT_EQ(ev[0].open.key.mn, mn);
  EXPECT_EQ(ev[0].open.key.pollutant, "E1/T1>E1/P1");
  EXPECT_EQ(ev[0].open.at, at("2024-03-01 10:05"));
  EXPECT_EQ(ev[0].open.data_time, at("2024-03-01 10:19"));
  EXPECT_EQ(ev[0].open.value->to_milli(), 0);
  EXPECT_EQ(ev[0].open.limit->to_milli(), 10000);
  EXPECT_FALSE(ev[0].closed_at);
  for (int m = 20; m < 45; ++m) ASSERT_EQ(send_minute(dev, m), "9014");
  gw->live_events()->check_silence();
  ev = power_events();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].closed_at, at("2024-03-01 10:25"));
  EXPECT_EQ(ev[1].open.key.kind, sources::EventKind::kProductionDuringStop);
  EXPECT_EQ(ev[1].open.key.pollutant, "E1/P1");
  EXPECT_EQ(ev[1].open.at, at("2024-03-01 10:30"));
  EXPECT_EQ(ev[1].open.value->to_milli(), 80000);
  EXPECT_FALSE(ev[1].closed_at);
  EXPECT_EQ(gw->live_events()->stats().power_transitions, 3u);

  start();  // a restart: the last 6 hours' readings judged again, nothing new stored
  gw->live_events()->check_silence();
  EXPECT_EQ(gw->live_events()->stats().stored, 0u);
  EXPECT_EQ(power_events().size(), 2u);
  Device again(gw->port());
  for (int m = 45; m <= 60; ++m) ASSERT_EQ(send_minute(again, m, true), "9014");
  gw->live_events()->check_silence();
  ev = power_events();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[1].closed_at, at("2024-03-01 11:00"));
}

// HJ 212-2025 through the live events: a 2111 five-minute mean of 849.9 ℃ opens a furnace_temperature event,
// the next window at 850.0 closes it; a 2062 check with ResultType 0 opens a standard_check event for its
// pollutant (SampleRd 15.3 kept as value, StandardValue 12 as limit). Stored with the other events.
TEST_F(LiveTest, FurnaceBelow850AndAFailedStandardCheckAreEvents) {
  Device dev(gw->port());
  const std::string mn = sim_mn(0);
  auto send = [&](const std::string& qn, const std::string& cn, const std::string& cp) {
    hj212::HeaderFields h{.qn = qn, .st = "31", .cn = cn, .pw = "123456", .mn = mn, .flag = 9};
    dev.send(hj212::encode_frame(h, cp).value());
    return field(dev.next(), "CN");
  };
  ASSERT_EQ(send("20240301100500001", "2111", "DataTime=20240301100000;a01901-Avg=849.9"), "9014");
  ASSERT_EQ(send("20240301100500002", "2111", "DataTime=20240301100500;a01901-Avg=850.0"), "9014");
  ASSERT_EQ(send("20240301100500003", "2062",
                 "DataTime=20240301080000;w01018-SampleRd=15.3;w01018-StandardValue=12;w01018-ResultType=0"),
            "9014");
  gw->live_events()->check_silence();  // returns when the committed records are judged
  std::vector<StoredEvent> ev = events();
  ev.erase(
      std::remove_if(ev.begin(), ev.end(),
                     [](const StoredEvent& e) { return e.open.key.kind == sources::EventKind::kSilence; }),
      ev.end());
  ASSERT_EQ(ev.size(), 2u);
  std::sort(ev.begin(), ev.end(),
            [](const StoredEvent& a, const StoredEvent& b) { return a.open.at < b.open.at; });
  EXPECT_EQ(ev[0].open.key.kind, sources::EventKind::kStandardCheck);
  EXPECT_EQ(ev[0].open.key.pollutant, "w01018");
  EXPECT_EQ(ev[0].open.at, at("2024-03-01 08:00"));
  EXPECT_EQ(ev[0].open.value, (Decimal{153, 1}));
  EXPECT_EQ(ev[0].open.limit, (Decimal{12, 0}));
  EXPECT_FALSE(ev[0].closed_at);
  EXPECT_EQ(ev[1].open.key.kind, sources::EventKind::kFurnaceTemperature);
  EXPECT_EQ(ev[1].open.at, at("2024-03-01 10:00"));
  EXPECT_EQ(ev[1].open.value, (Decimal{8499, 1}));
  EXPECT_EQ(ev[1].open.limit, (Decimal{850, 0}));
  EXPECT_EQ(ev[1].closed_at, at("2024-03-01 10:05"));
}

TEST_F(LiveTest, SilentDeviceGetsAnEventAfterNIntervals) {
  Device dev(gw->port());
  dev.send(hourly("20240301100500001", "20240301090000", "20.0"));
  ASSERT_EQ(field(dev.next(), "CN"), "9014");
  // The 09:00 hour covers until 10:00; silent after 3 hourly intervals without data: due at 13:00:00.
  clock = utc_ms("2024-03-01 12:59:59");
  gw->live_events()->check_silence();
  EXPECT_TRUE(events().empty());
  clock = utc_ms("2024-03-01 13:00:00");
  gw->live_events()->check_silence();
  std::vector<StoredEvent> ev = events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].open.key.kind, sources::EventKind::kSilence);
  EXPECT_EQ(ev[0].open.at, at("2024-03-01 13:00"));
  EXPECT_EQ(ev[0].open.data_time, at("2024-03-01 09:00"));  // the last DataTime seen
  gw->live_events()->check_silence();                       // asked again: still one event
  EXPECT_EQ(events().size(), 1u);
}

// Simulated device 1 sending a real-time upload every 0.2 s to the gateway until *stop.
std::thread run_device_one(uint16_t port, const std::atomic<bool>* stop) {
  SimOptions so;
  so.target = "127.0.0.1:" + std::to_string(port);
  so.devices = 1;
  so.first_device = 1;
  so.interval_s = 0.2;
  so.duration_s = 0;
  return std::thread([so, stop] { (void)run_simulator(so, stop); });
}

TEST_F(LiveTest, QueuedSetTimeReachesAConnectedSimulatorAndItsAnswersAreRecorded) {
  std::atomic<bool> stop{false};
  std::thread sim = run_device_one(gw->port(), &stop);
  auto stores = open_sqlite_stores(db).value();
  SourceCommandStore* cs = &stores->source_commands();
  const Actor bureau{"wang", Role::kAnalyst, "", ""};
  const int64_t set = enqueue(*stores, {sim_mn(1), "set-time", {}}, bureau, 1).value().id;
  const int64_t get = enqueue(*stores, {sim_mn(1), "get-interval", {}}, bureau, 2).value().id;
  // 3011 calibrate, 3022 sample-now, 3024 standard-check (their frames: sources/commands_test.cc).
  std::vector<int64_t> more;
  for (const CommandRequest& r : {CommandRequest{sim_mn(1), "calibrate", {"a21026", "zero"}},
                                  CommandRequest{sim_mn(1), "sample-now", {"a21026"}},
                                  CommandRequest{sim_mn(1), "standard-check", {"a21026"}}}) {
    more.push_back(enqueue(*stores, r, bureau, 3).value().id);
  }
  auto finished = [&](int64_t id) { return cs->command(id).value().finished(); };
  const bool done = wait_until(
      [&] { return finished(set) && finished(get) && std::all_of(more.begin(), more.end(), finished); });
  stop = true;
  sim.join();
  ASSERT_TRUE(done);
  const SourceCommand s = cs->command(set).value();
  EXPECT_EQ(s.state, "done");
  EXPECT_EQ(s.qn_rtn, 1);   // 9011 QnRtn=1 准备执行请求
  EXPECT_EQ(s.exe_rtn, 1);  // 9012 ExeRtn=1 执行成功
  EXPECT_EQ(s.attempts, 1);
  EXPECT_EQ(s.qn.size(), 17u);
  const SourceCommand g = cs->command(get).value();
  EXPECT_EQ(g.state, "done");
  EXPECT_EQ(g.result, "RtdInterval=0");  // the simulator's interval, 0.2 s, as whole seconds
  for (int64_t id : more) {
    const SourceCommand c = cs->command(id).value();
    EXPECT_EQ(c.state, "done") << c.name << ": " << c.detail;
    EXPECT_EQ(c.exe_rtn, 1) << c.name;
  }
}

// §6.7: the first connection of a device after the gateway started gets the start-up sequence, in the
// standard's order, with the registry's intervals (sim_devices registers 30 s real-time, 10 min minute data);
// a second connection of the same device in the same run gets none.
TEST_F(LiveTest, InitDevicesQueuesTheStartUpSequenceOnTheFirstConnection) {
  init_devices = true;
  start();
  std::atomic<bool> stop{false};
  std::thread sim = run_device_one(gw->port(), &stop);
  auto stores = open_sqlite_stores(db).value();
  SourceCommandStore* cs = &stores->source_commands();
  const auto mine = [&] { return cs->commands(sim_mn(1), 100).value(); };  // newest first
  const bool done = wait_until([&] {
    auto c = mine();
    return c.size() == 3 &&
           std::all_of(c.begin(), c.end(), [](const SourceCommand& x) { return x.finished(); });
  });
  stop = true;
  sim.join();
  ASSERT_TRUE(done);
  auto c = mine();
  std::reverse(c.begin(), c.end());
  EXPECT_EQ(c[0].name, "set-time");
  EXPECT_EQ(c[0].cn, 1012);
  EXPECT_EQ(c[1].name, "set-interval");
  EXPECT_EQ(c[1].argument, "30");
  EXPECT_EQ(c[2].name, "set-min-interval");
  EXPECT_EQ(c[2].argument, "10");
  for (const SourceCommand& x : c) {
    EXPECT_EQ(x.state, "done") << x.name << ": "
                               << x.detail;  // the simulator answers 9011 and 9012 like a device
    EXPECT_EQ(x.created_by, "gateway");
  }
  // Connected again in the same run: nothing new (device 2, never connected, has nothing either).
  std::atomic<bool> stop2{false};
  std::thread again = run_device_one(gw->port(), &stop2);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  stop2 = true;
  again.join();
  EXPECT_EQ(mine().size(), 3u);
  EXPECT_TRUE(cs->commands(sim_mn(2), 100).value().empty());
}

// Like a device, the simulator follows a 1062 set-interval: from 0.2 s between real-time uploads to 30 s.
TEST_F(LiveTest, SetIntervalSlowsTheSimulatorsUploads) {
  std::atomic<bool> stop{false};
  std::thread sim = run_device_one(gw->port(), &stop);
  auto stores = open_sqlite_stores(db).value();
  SourceCommandStore* cs = &stores->source_commands();
  const Actor bureau{"wang", Role::kAnalyst, "", ""};
  const int64_t set = enqueue(*stores, {sim_mn(1), "set-interval", {"30"}}, bureau, 1).value().id;
  const bool done = wait_until([&] { return cs->command(set).value().finished(); });
  const auto stored = [&] {
    return stores->sources().source_records(sim_mn(1), 2011, 0, 99991231235959, 100000)->size();
  };
  // Let the uploads sent before the command reach the store (on a loaded machine the writer may lag): wait
  // until the count holds still over three polls 100 ms apart (at 0.2 s a device at the old interval could
  // not stay silent that long), at most 5 s.
  size_t before = stored();
  for (int still = 0, polls = 0; still < 3 && polls < 50; ++polls) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const size_t now = stored();
    still = now == before ? still + 1 : 0;
    before = now;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  const size_t after = stored();
  stop = true;
  sim.join();
  ASSERT_TRUE(done);
  EXPECT_EQ(cs->command(set).value().state, "done");
  EXPECT_GE(before, 1u);
  // At 0.2 s the device would have sent about 6 more uploads in 1.2 s; at 30 s at most the one scheduled
  // just before the command took effect.
  EXPECT_LE(after - before, 1u);
}

TEST_F(LiveTest, UnansweredCommandIsSentAgainWithTheSameQnThenTimesOut) {
  Device dev(gw->port());
  const std::string mn = sim_mn(2);
  ASSERT_EQ(field(upload_realtime(dev, mn), "CN"), "9014");  // the connection now carries device 2's commands
  auto stores = open_sqlite_stores(db).value();
  SourceCommandStore* cs = &stores->source_commands();
  const int64_t id = enqueue(*stores, {mn, "set-interval", {"60"}}, Actor::operator_cli(), 1).value().id;
  // The first attempt and retries = 2 more, each after 100 ms without a 9011: the same frame three times.
  const std::string first = dev.next();
  EXPECT_EQ(field(first, "CN"), "1062");
  EXPECT_EQ(field(first, "RtdInterval"), "60");
  EXPECT_EQ(dev.next(), first);
  EXPECT_EQ(dev.next(), first);
  ASSERT_TRUE(wait_until([&] { return cs->command(id).value().finished(); }));
  const SourceCommand c = cs->command(id).value();
  EXPECT_EQ(c.state, "timed_out");
  EXPECT_EQ(c.attempts, 3);
  EXPECT_EQ(c.detail, "no 9011 answer after 3 attempts");
}

TEST_F(LiveTest, RefusedCommandRecordsTheDevicesQnRtn) {
  Device dev(gw->port());
  const std::string mn = sim_mn(2);
  ASSERT_EQ(field(upload_realtime(dev, mn), "CN"), "9014");
  auto stores = open_sqlite_stores(db).value();
  SourceCommandStore* cs = &stores->source_commands();
  const int64_t id = enqueue(*stores, {mn, "get-time", {}}, Actor::operator_cli(), 1).value().id;
  const std::string cmd = dev.next();
  ASSERT_EQ(field(cmd, "CN"), "1011");
  dev.send(hj212::encode_request_answer(field(cmd, "QN"), {"123456", mn}, hj212::QnRtn::kRejected).value());
  ASSERT_TRUE(wait_until([&] { return cs->command(id).value().finished(); }));
  const SourceCommand c = cs->command(id).value();
  EXPECT_EQ(c.state, "refused");
  EXPECT_EQ(c.qn_rtn, 2);
  EXPECT_EQ(c.detail, "QnRtn 2 (request refused)");
}

}  // namespace
}  // namespace ecomon
