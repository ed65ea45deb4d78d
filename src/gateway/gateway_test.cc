// The gateway over real loopback sockets: answers only after the upload is in the store, duplicates stored
// once and still answered, wrong PW / unknown MN refused with 9011, garbage and split TCP writes survived,
// graceful stop commits everything queued; and the simulator against it.
// clang-format off
#include <utility>
// clang-format on
#include "gateway/gateway.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "accounts/key_vault.h"
#include "gateway/simulator.h"
#include "ingest/hj212/crc.h"
#include "ingest/hj212/encoder.h"
#include "ingest/hj212/stream_reader.h"
#include "store/sqlite_stores.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');  // parameterised tests: "Name/0"
    db = (fs::temp_directory_path() / ("ecomon_gw_" + std::to_string(::getpid()) + "_" + name + ".db"))
             .string();
    fs::remove(db);
    auto s = open_sqlite_stores(db);
    ASSERT_TRUE(s.ok());
    stores = std::move(*s);
    store = &stores->sources();
    for (const DeviceRecord& d : sim_devices(0, 3, "123456")) ASSERT_TRUE(store->upsert_device(d).ok());
    GatewayOptions o;
    o.listen = "127.0.0.1:0";
    o.stores = sqlite_stores_opener(db);
    auto g = Gateway::start(o);
    ASSERT_TRUE(g.ok()) << g.status().message();
    gw = std::move(*g);
  }
  // Restarts the gateway with the given options (listen and db filled in).
  void restart(GatewayOptions o) {
    gw->stop();
    o.listen = "127.0.0.1:0";
    o.stores = sqlite_stores_opener(db);
    gw = Gateway::start(o).value();
  }
  // Waits (at most 10 s) for a condition that another thread makes true; the test then asserts it.
  template <typename Pred>
  static bool wait_until(Pred pred) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!pred() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return pred();
  }
  // A QN k milliseconds after the gateway's clock (strict policies check the skew).
  static std::string now_qn(int k) {
    int64_t now_civil = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count() +
                        int64_t{8} * 3600 * 1000;
    return hj212::format_qn(hj212::Timestamp::from_civil_ms(now_civil + k));
  }
  // An upload of simulated device i with any CN and CP records; DataTime yyyymmddhhmmss.
  static std::string upload_of(int i, const std::string& qn, const std::string& cn,
                               const std::string& data_time,
                               const std::vector<hj212::PollutantRecord>& recs) {
    hj212::HeaderFields h;
    std::string mn = sim_mn(i);
    h.qn = qn;
    h.st = "31";
    h.cn = cn;
    h.pw = "123456";
    h.mn = mn;
    h.flag = static_cast<uint8_t>(hj212::kFlagVersion2017 | hj212::kFlagAnswerNeeded);
    return *hj212::encode_upload(h, *hj212::parse_timestamp(data_time), recs, hj212::kLengthFieldMax);
  }

  void TearDown() override {
    if (gw) gw->stop();
    gw.reset();
    store = nullptr;
    stores.reset();
    for (const char* suffix : {"", "-wal", "-shm", "-src1", "-src1-wal", "-src1-shm"})
      fs::remove(db + suffix);
  }

  // An upload frame of simulated device `i` with the given QN, DataTime and password.
  static std::string upload(int i, const std::string& qn, const std::string& data_time, const std::string& pw,
                            bool ack = true) {
    hj212::HeaderFields h;
    std::string mn = sim_mn(i);
    h.qn = qn;
    h.st = "31";
    h.cn = "2011";
    h.pw = pw;
    h.mn = mn;
    h.flag = static_cast<uint8_t>(hj212::kFlagVersion2017 | (ack ? hj212::kFlagAnswerNeeded : 0));
    hj212::Timestamp t;
    t.year = static_cast<int16_t>(std::stoi(data_time.substr(0, 4)));
    t.month = static_cast<uint8_t>(std::stoi(data_time.substr(4, 2)));
    t.day = static_cast<uint8_t>(std::stoi(data_time.substr(6, 2)));
    t.hour = static_cast<uint8_t>(std::stoi(data_time.substr(8, 2)));
    t.minute = static_cast<uint8_t>(std::stoi(data_time.substr(10, 2)));
    std::vector<hj212::PollutantRecord> recs = {{"a21026", {{"Rtd", "25.5"}, {"Flag", "N"}}}};
    return *hj212::encode_upload(h, t, recs);
  }

  // A blocking client: writes bytes, reads frames back.
  struct Client {
    asio::io_context io;
    tcp::socket sock{io};
    hj212::StreamReader reader{hj212::StreamOptions{.decode = {.policy = hj212::Policy::lenient()}}};
    explicit Client(uint16_t port) {
      sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
      // A lost answer fails the test in 10 s instead of hanging it.
      timeval tv{10, 0};
      setsockopt(sock.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    void send(const std::string& bytes) { asio::write(sock, asio::buffer(bytes)); }
    // True when the gateway closed the connection (end of stream before any byte).
    bool closed_by_peer() {
      std::array<char, 256> buf;
      boost::system::error_code ec;
      size_t n = sock.read_some(asio::buffer(buf), ec);
      return n == 0 && (ec == asio::error::eof || ec == asio::error::connection_reset);
    }
    // The next frame's (CN, QN, QnRtn or "").
    std::tuple<int, std::string, std::string> next_frame() {
      std::array<char, 2048> buf;
      while (true) {
        hj212::StreamEvent ev;
        if (reader.next(&ev) && ev.kind == hj212::StreamEvent::Kind::kFrame) {
          const std::optional<hj212::CpItem> rtn = ev.message->find("QnRtn");
          return {ev.message->header.command, std::string(ev.message->header.qn),
                  rtn ? std::string(rtn->value) : ""};
        }
        size_t n = sock.read_some(asio::buffer(buf));
        reader.feed(std::string_view(buf.data(), n));
      }
    }
  };

  std::string db;
  std::unique_ptr<Stores> stores;
  SourceStore* store = nullptr;  // stores->sources()
  std::unique_ptr<Gateway> gw;
};

TEST_F(GatewayTest, AnswersOnlyAfterTheUploadIsDurable) {
  Client c(gw->port());
  c.send(upload(0, "20250101000000001", "20250101000000", "123456"));
  auto [cn, qn, rtn] = c.next_frame();
  EXPECT_EQ(cn, 9014);
  EXPECT_EQ(qn, "20250101000000001");
  // The answer came: the record must already be readable through another connection.
  auto recs = store->source_records(sim_mn(0), 2011, 20250101000000, 20250101000000, 10);
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 1u);
  EXPECT_EQ((*recs)[0].cp, "DataTime=20250101000000;a21026-Rtd=25.5,a21026-Flag=N");
}

TEST_F(GatewayTest, DuplicatesAreStoredOnceAndStillAnswered) {
  Client c(gw->port());
  for (int k = 0; k < 3; ++k) {
    c.send(upload(1, "2025010100000000" + std::to_string(k), "20250101010000", "123456"));
    EXPECT_EQ(std::get<0>(c.next_frame()), 9014);
  }
  EXPECT_EQ(*store->count_source_records(), 1);
  // Back-fill (补传) of an older hour is accepted.
  c.send(upload(1, "20250101000000009", "20241231230000", "123456"));
  EXPECT_EQ(std::get<0>(c.next_frame()), 9014);
  EXPECT_EQ(*store->count_source_records(), 2);
  gw->stop();
  EXPECT_EQ(gw->stats().duplicates, 2u);
}

TEST_F(GatewayTest, WrongPasswordAndUnknownMnAreRefused) {
  Client c(gw->port());
  c.send(upload(2, "20250101000000001", "20250101000000", "999999"));
  auto [cn, qn, rtn] = c.next_frame();
  EXPECT_EQ(cn, 9011);
  EXPECT_EQ(rtn, "3");  // QnRtn 3: PW error
  c.send(upload(77, "20250101000000002", "20250101000000", "123456"));
  auto [cn2, qn2, rtn2] = c.next_frame();
  EXPECT_EQ(cn2, 9011);
  EXPECT_EQ(rtn2, "4");  // QnRtn 4: MN error
  EXPECT_EQ(*store->count_source_records(), 0);
}

TEST_F(GatewayTest, ADeviceRegisteredWhileItRunsIsAcceptedWithoutARestart) {
  GatewayOptions o;
  o.registry_refresh_s = 3600;  // no periodic reload within the test: only the registry revision can do it
  restart(o);
  Client c(gw->port());
  c.send(upload(5, "20250101000000001", "20250101000000", "123456"));
  EXPECT_EQ(std::get<2>(c.next_frame()), "4");  // QnRtn 4: MN not registered
  for (const DeviceRecord& d : sim_devices(5, 1, "123456")) ASSERT_TRUE(store->upsert_device(d).ok());
  // The gateway reads the revision once a second: retry (a new QN and hour each time) until it is taken.
  int tries = 0;
  bool accepted = false;
  for (; tries < 100 && !accepted; ++tries) {
    const std::string hour = "202501010" + std::to_string(tries % 10) + "00";
    c.send(upload(5, now_qn(tries), hour.substr(0, 12), "123456"));
    accepted = std::get<0>(c.next_frame()) == 9014;
    if (!accepted) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(accepted) << "still refused after " << tries << " tries";
  EXPECT_EQ(*store->count_source_records(), 1);
  // A changed password is taken the same way: the old one is refused from then on.
  DeviceRecord changed = sim_devices(5, 1, "654321").front();
  ASSERT_TRUE(store->upsert_device(changed).ok());
  bool refused = false;
  for (tries = 0; tries < 100 && !refused; ++tries) {
    c.send(upload(5, now_qn(tries), "202501011000", "123456"));
    refused = std::get<2>(c.next_frame()) == "3";  // QnRtn 3: PW error
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(refused);
}

TEST_F(GatewayTest, GarbageBadCrcAndByteByByteWritesDoNotLoseGoodFrames) {
  Client c(gw->port());
  std::string good1 = upload(0, "20250101000000001", "20250101020000", "123456");
  std::string bad = upload(0, "20250101000000002", "20250101030000", "123456");
  bad[bad.size() - 3] = bad[bad.size() - 3] == '0' ? '1' : '0';  // break the CRC
  std::string good2 = upload(0, "20250101000000003", "20250101040000", "123456");
  std::string stream = "xx\r\n##9" + good1 + "garbage" + bad + good2;
  for (char ch : stream) c.send(std::string(1, ch));
  EXPECT_EQ(std::get<1>(c.next_frame()), "20250101000000001");
  EXPECT_EQ(std::get<1>(c.next_frame()), "20250101000000003");
  EXPECT_EQ(*store->count_source_records(), 2);
  gw->stop();
  EXPECT_GE(gw->stats().bad_frames, 1u);
}

TEST_F(GatewayTest, UploadsWithoutAnswerFlagAreStoredSilently) {
  Client c(gw->port());
  c.send(upload(0, "20250101000000001", "20250101050000", "123456", false));
  c.send(upload(0, "20250101000000002", "20250101060000", "123456", true));
  EXPECT_EQ(std::get<1>(c.next_frame()), "20250101000000002");  // the first asked for no answer
  EXPECT_EQ(*store->count_source_records(), 2);
}

TEST_F(GatewayTest, SimulatorLoadIsFullyAnsweredAndStored) {
  for (const DeviceRecord& d : sim_devices(0, 50, "123456")) ASSERT_TRUE(store->upsert_device(d).ok());
  // The gateway takes new devices within about a second (registry revision); restart it to have them now.
  gw->stop();
  GatewayOptions o;
  o.listen = "127.0.0.1:0";
  o.stores = sqlite_stores_opener(db);
  gw = Gateway::start(o).value();
  SimOptions s;
  s.target = "127.0.0.1:" + std::to_string(gw->port());
  s.devices = 50;
  s.interval_s = 0.02;
  s.messages_per_device = 20;
  s.duration_s = 30;
  s.connect_spread_s = 0.1;
  s.deviations = {"lowercase-crc", "fragmented"};
  auto stats = run_simulator(s, nullptr);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->connections, 50);
  EXPECT_EQ(stats->sent, 1000u);
  EXPECT_EQ(stats->answered, 1000u);
  EXPECT_EQ(*store->count_source_records(), 1000);
  gw->stop();
  // Every answer was timed from the read of its upload to the write of the answer (a commit in between).
  const GatewayStats g = gw->stats();
  EXPECT_EQ(g.answers, 1000u);
  EXPECT_GT(g.answer_p50_ms, 0.0);
  EXPECT_LE(g.answer_p50_ms, g.answer_p99_ms);
  EXPECT_GT(g.answer_max_ms, 0.0);
}

// --hourly: beside its real-time data a device sends the hourly upload of each hour its data clock completes,
// starting with the hour before. Data clock 10:59:58, 10:59:59, 11:00:00, 11:00:01 (4 uploads; DataTimes step
// by max(1 s, interval)): the first tick sends hour 09:00 (09:00 + 1 h <= 10:59:58), the third hour 10:00
// (10:00 + 1 h <= 11:00:00): 2 hourly uploads per device, 4 + 2 = 6 stored per device.
TEST_F(GatewayTest, SimulatorSendsHourlyUploadsOfCompletedHours) {
  for (const DeviceRecord& d : sim_devices(0, 3, "123456")) ASSERT_TRUE(store->upsert_device(d).ok());
  restart(GatewayOptions{});
  SimOptions s;
  s.target = "127.0.0.1:" + std::to_string(gw->port());
  s.devices = 3;
  s.interval_s = 0.05;
  s.messages_per_device = 4;
  s.duration_s = 30;
  s.connect_spread_s = 0.1;
  s.hourly = true;
  s.first_data_time_ms =
      hj212::Timestamp{.year = 2025, .month = 3, .day = 10, .hour = 10, .minute = 59, .second = 58}
          .civil_ms();
  auto stats = run_simulator(s, nullptr);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->sent, 18u);
  EXPECT_EQ(stats->answered, 18u);
  EXPECT_EQ(*store->count_source_records(), 18);
  for (int d = 0; d < 3; ++d) {
    auto hourly = store->source_records(sim_mn(d), 2061, 20250310000000, 20250311000000, 100);
    ASSERT_TRUE(hourly.ok());
    std::vector<int64_t> times;
    for (const SourceRecord& r : *hourly) times.push_back(r.data_time);
    EXPECT_EQ(times, (std::vector<int64_t>{20250310090000, 20250310100000})) << sim_mn(d);
  }
}

// --writers 2: the store's source records in two files, each committed by its own writer thread. sim_mn(0)
// and sim_mn(2) hash to shard 1, sim_mn(1) to shard 0 (FNV-1a, worked out in store_test.cc's SourceShards
// test).
TEST_F(GatewayTest, TwoWritersCommitTheirShardsAndAnswerEverything) {
  GatewayOptions two;
  two.writers = 2;
  restart(two);
  EXPECT_TRUE(std::filesystem::exists(db + "-src1"));
  Client c(gw->port());
  // One connection sending for devices of both shards (a data concentrator): every upload is answered once
  // its own shard committed it; the answers carry the uploads' QNs.
  std::set<std::string> asked, answered;
  for (int k = 0; k < 30; ++k) {
    const std::string qn = "2025010100000" + std::to_string(1000 + k);
    asked.insert(qn);
    c.send(upload(k % 3, qn, "2025010102" + std::to_string(10 + k) + "00", "123456"));
  }
  for (int k = 0; k < 30; ++k) {
    auto [cn, qn, rtn] = c.next_frame();
    EXPECT_EQ(cn, 9014);
    answered.insert(qn);
  }
  EXPECT_EQ(answered, asked);
  // 30 distinct (MN, DataTime) pairs: 10 per device; through the fixture's connection, opened before the
  // shards existed, and in the files where each device belongs.
  EXPECT_EQ(*store->count_source_records(), 30);
  EXPECT_EQ(store->source_records(sim_mn(1), 2011, 0, 30000000000000, 100)->size(), 10u);
  EXPECT_EQ(open_sqlite_stores(db).value()->source_ingest().shards(), 2);
  // The same uploads again: duplicates in either shard, answered, nothing new.
  for (int k = 0; k < 30; ++k) {
    c.send(upload(k % 3, "2025010100000" + std::to_string(2000 + k),
                  "2025010102" + std::to_string(10 + k) + "00", "123456"));
  }
  for (int k = 0; k < 30; ++k) EXPECT_EQ(std::get<0>(c.next_frame()), 9014);
  gw->stop();
  EXPECT_EQ(gw->stats().stored, 30u);
  EXPECT_EQ(gw->stats().duplicates, 30u);
  EXPECT_EQ(*store->count_source_records(), 30);
  // The number of shards is fixed once records are stored: a gateway asking for another refuses to start.
  GatewayOptions three;
  three.listen = "127.0.0.1:0";
  three.stores = sqlite_stores_opener(db);
  three.writers = 3;
  auto refused = Gateway::start(three);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("already holds 30 source records"), std::string::npos)
      << refused.status().message();
  restart(GatewayOptions{});  // 0: as the store has (2)
  Client c2(gw->port());
  c2.send(upload(2, "20250101000009999", "20250101030000", "123456"));
  EXPECT_EQ(std::get<0>(c2.next_frame()), 9014);
  EXPECT_EQ(*store->count_source_records(), 31);
}

TEST_F(GatewayTest, StrictDevicesGetNoDeviationAccepted) {
  // Device 2 is registered strict: a Modbus CRC (accepted for lenient devices) is refused for it.
  DeviceRecord strict = sim_devices(2, 1, "123456")[0];
  strict.policy = "strict";
  ASSERT_TRUE(store->upsert_device(strict).ok());
  gw->stop();
  GatewayOptions o;
  o.listen = "127.0.0.1:0";
  o.stores = sqlite_stores_opener(db);
  gw = Gateway::start(o).value();
  // The byte-swapped Modbus CRC: a deviation the lenient policy accepts (a lower-case CRC may have no
  // letter).
  auto lower_crc = [](std::string f) {
    std::string_view segment(f.data() + 6, f.size() - 12);
    f.replace(f.size() - 6, 4, hj212::crc_hex(hj212::modbus_crc16_swapped(segment)));
    return f;
  };
  // A strict device's QN must also be near the gateway's clock (clock skew is a deviation): use now.
  int64_t now_civil = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count() +
                      int64_t{8} * 3600 * 1000;
  std::string qn1 = hj212::format_qn(hj212::Timestamp::from_civil_ms(now_civil));
  std::string qn2 = hj212::format_qn(hj212::Timestamp::from_civil_ms(now_civil + 1));
  std::string qn3 = hj212::format_qn(hj212::Timestamp::from_civil_ms(now_civil + 2));
  Client c(gw->port());
  c.send(lower_crc(upload(2, qn1, "20250101070000", "123456")));  // strict: refused silently
  c.send(lower_crc(upload(1, qn2, "20250101070000", "123456")));  // lenient: stored
  c.send(upload(2, qn3, "20250101080000", "123456"));             // strict, conforming: stored
  EXPECT_EQ(std::get<1>(c.next_frame()), qn2);
  EXPECT_EQ(std::get<1>(c.next_frame()), qn3);
  EXPECT_EQ(*store->count_source_records(), 2);
  gw->stop();
  EXPECT_EQ(gw->stats().policy_rejections, 1u);
}

TEST_F(GatewayTest, EveryUploadTypeAndOutOfOrderBackfillIsStored) {
  Client c(gw->port());
  const std::vector<hj212::PollutantRecord> avg = {{"a21026", {{"Avg", "31.4"}, {"Flag", "N"}}}};
  const std::vector<hj212::PollutantRecord> status = {{"SB1", {{"RS", "1"}}}, {"SB2", {{"RS", "2"}}}};
  // 2061 hourly for 10:00, then the back-fill (补传) of 08:00 and 09:00 arriving later and out of order.
  c.send(upload_of(0, "20250102100500001", "2061", "20250102100000", avg));
  c.send(upload_of(0, "20250102100500002", "2061", "20250102090000", avg));
  c.send(upload_of(0, "20250102100500003", "2061", "20250102080000", avg));
  c.send(upload_of(0, "20250102100500004", "2051", "20250102100000", avg));     // minute
  c.send(upload_of(0, "20250102100500005", "2031", "20250101000000", avg));     // daily
  c.send(upload_of(0, "20250102100500006", "2021", "20250102100501", status));  // status (RS)
  for (int k = 1; k <= 6; ++k) EXPECT_EQ(std::get<1>(c.next_frame()), "2025010210050000" + std::to_string(k));
  auto hourly = store->source_records(sim_mn(0), 2061, 20250102000000, 20250102235959, 10);
  ASSERT_TRUE(hourly.ok());
  ASSERT_EQ(hourly->size(), 3u);  // read back in DataTime order
  EXPECT_EQ((*hourly)[0].data_time, 20250102080000);
  EXPECT_EQ((*hourly)[2].data_time, 20250102100000);
  auto states = store->source_records(sim_mn(0), 2021, 20250102000000, 20250102235959, 10);
  ASSERT_TRUE(states.ok());
  ASSERT_EQ(states->size(), 1u);
  EXPECT_EQ((*states)[0].cp, "DataTime=20250102100501;SB1-RS=1;SB2-RS=2");
  EXPECT_EQ(*store->count_source_records(), 6);
}

TEST_F(GatewayTest, SplitUploadIsReassembledThenStoredAndAnswered) {
  std::vector<hj212::PollutantRecord> recs;
  std::vector<std::string> codes;
  for (int p = 0; p < 40; ++p) codes.push_back("a" + std::to_string(21000 + p));
  for (const std::string& code : codes) recs.push_back({code, {{"Rtd", "12.345"}, {"Flag", "N"}}});
  hj212::HeaderFields h;
  std::string mn = sim_mn(1);
  h.qn = "20250103000000001";
  h.st = "22";
  h.cn = "2011";
  h.pw = "123456";
  h.mn = mn;
  h.flag = static_cast<uint8_t>(hj212::kFlagVersion2017 | hj212::kFlagAnswerNeeded);
  auto parts = hj212::encode_upload_split(h, *hj212::parse_timestamp("20250103000000"), recs, 400);
  ASSERT_TRUE(parts.ok());
  ASSERT_GE(parts->size(), 3u);
  Client c(gw->port());
  for (auto it = parts->rbegin(); it != parts->rend(); ++it) c.send(*it);  // last part first
  EXPECT_EQ(std::get<0>(c.next_frame()), 9014);
  auto stored = store->source_records(mn, 2011, 20250103000000, 20250103000000, 10);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);  // one record holding every part's items, DataTime once
  std::string expected = "DataTime=20250103000000";
  for (const std::string& code : codes) expected += ";" + code + "-Rtd=12.345," + code + "-Flag=N";
  EXPECT_EQ((*stored)[0].cp, expected);
}

TEST_F(GatewayTest, IdleConnectionsAreClosed) {
  GatewayOptions o;
  o.idle_timeout_s = 1;
  restart(o);
  Client quiet(gw->port());
  EXPECT_TRUE(quiet.closed_by_peer());  // nothing sent: closed after about a second
  EXPECT_EQ(gw->stats().idle_closed, 1u);
}

TEST_F(GatewayTest, ConnectionsBeyondTheLimitAreRefused) {
  GatewayOptions o;
  o.max_connections = 2;
  restart(o);
  Client a(gw->port());
  Client b(gw->port());
  ASSERT_TRUE(wait_until([&] { return gw->stats().connections_open == 2; }));
  Client refused(gw->port());
  EXPECT_TRUE(refused.closed_by_peer());
  EXPECT_EQ(gw->stats().connections_refused, 1u);
  // The two within the limit still work.
  b.send(upload(0, "20250104000000001", "20250104000000", "123456"));
  EXPECT_EQ(std::get<0>(b.next_frame()), 9014);
}

TEST_F(GatewayTest, FramesOverThePerConnectionRateAreDropped) {
  GatewayOptions o;
  o.max_frames_per_second = 0.001;  // one token every 1000 s: only the burst gets through
  o.max_frames_burst = 3;
  restart(o);
  Client greedy(gw->port());
  std::string five;
  for (int k = 1; k <= 5; ++k) {
    five += upload(0, "2025010500000000" + std::to_string(k), "2025010500" + std::to_string(10 + k) + "00",
                   "123456");
  }
  greedy.send(five);
  for (int k = 1; k <= 3; ++k)
    EXPECT_EQ(std::get<1>(greedy.next_frame()), "2025010500000000" + std::to_string(k));
  ASSERT_TRUE(wait_until([&] { return gw->stats().rate_limited == 2; }));
  // The limit is per connection: another connection of the same device is served.
  Client other(gw->port());
  other.send(upload(0, "20250105000000009", "20250105002000", "123456"));
  EXPECT_EQ(std::get<1>(other.next_frame()), "20250105000000009");
  EXPECT_EQ(*store->count_source_records(), 4);
}

TEST_F(GatewayTest, FramesOverThePolicySizeLimitAreDroppedWithoutLosingTheNext) {
  GatewayOptions o;
  o.policy = hj212::Policy::strict();  // data segments up to the standard's 1024 bytes
  restart(o);
  std::vector<hj212::PollutantRecord> many;
  std::vector<std::string> codes;
  for (int p = 0; p < 60; ++p) codes.push_back("a" + std::to_string(21000 + p));
  for (const std::string& code : codes) many.push_back({code, {{"Rtd", "12.345"}, {"Flag", "N"}}});
  std::string big = upload_of(0, now_qn(0), "2011", "20250106000000", many);
  ASSERT_GT(big.size(), hj212::kStandardMaxDataLength + hj212::kFrameOverhead);
  const std::string small_qn = now_qn(1);
  std::string small = upload_of(0, small_qn, "2011", "20250106000100", {{"a21026", {{"Rtd", "1"}}}});
  Client c(gw->port());
  c.send(big + small);
  EXPECT_EQ(std::get<1>(c.next_frame()), small_qn);
  EXPECT_EQ(*store->count_source_records(), 1);
  gw->stop();
  EXPECT_EQ(gw->stats().bad_frames, 1u);
  EXPECT_EQ(gw->stats().dropped_bytes, big.size());
}

TEST_F(GatewayTest, GracefulStopCommitsAndAnswersEverythingQueued) {
  GatewayOptions o;
  o.batch_wait_ms = 60'000;  // the writer holds a batch until it is full or the gateway stops
  o.batch_max = 1000;
  restart(o);
  Client c(gw->port());
  std::string ten;
  for (int k = 0; k < 10; ++k) {
    ten +=
        upload(2, "2025010700000000" + std::to_string(k), "202501070" + std::to_string(k) + "0000", "123456");
  }
  c.send(ten);
  ASSERT_TRUE(wait_until([&] { return gw->stats().uploads == 10; }));
  EXPECT_EQ(*store->count_source_records(), 0);  // queued, not yet committed, not answered
  std::thread stopper([&] { gw->stop(); });
  for (int k = 0; k < 10; ++k) EXPECT_EQ(std::get<0>(c.next_frame()), 9014);
  stopper.join();
  EXPECT_EQ(*store->count_source_records(), 10);
  EXPECT_EQ(gw->stats().answers, 10u);
}

TEST_F(GatewayTest, ThousandsOfConcurrentConnections) {
  constexpr int kDevices = 2000;
  for (const DeviceRecord& d : sim_devices(0, kDevices, "123456")) ASSERT_TRUE(store->upsert_device(d).ok());
  restart(GatewayOptions{});
  SimOptions s;
  s.target = "127.0.0.1:" + std::to_string(gw->port());
  s.devices = kDevices;
  s.interval_s = 0.5;
  s.messages_per_device = 2;
  s.duration_s = 60;
  s.connect_spread_s = 1;
  auto stats = run_simulator(s, nullptr);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->connections, kDevices);
  EXPECT_EQ(stats->answered, 2u * kDevices);
  EXPECT_EQ(*store->count_source_records(), 2 * kDevices);
  EXPECT_EQ(gw->stats().connections_accepted, static_cast<uint64_t>(kDevices));
}

TEST(ListenAddress, Parses) {
  std::string a;
  uint16_t p = 0;
  ASSERT_TRUE(parse_listen_address("127.0.0.1:9212", &a, &p).ok());
  EXPECT_EQ(a, "127.0.0.1");
  EXPECT_EQ(p, 9212);
  ASSERT_TRUE(parse_listen_address("[::1]:80", &a, &p).ok());
  EXPECT_EQ(a, "::1");
  EXPECT_FALSE(parse_listen_address("nohost", &a, &p).ok());
  EXPECT_FALSE(parse_listen_address("1.2.3.4:70000", &a, &p).ok());
  EXPECT_FALSE(parse_listen_address("1.2.3.4:x", &a, &p).ok());
}

TEST(Simulator, RefusesBadOptions) {
  SimOptions s;
  s.target = "127.0.0.1:1";
  s.password = "12;456";  // a separator: no frame can carry it
  EXPECT_FALSE(run_simulator(s, nullptr).ok());
  s.password = "123456";
  s.devices = 0;
  EXPECT_FALSE(run_simulator(s, nullptr).ok());
  s.devices = 1;
  s.target = "nohost:9212";
  EXPECT_FALSE(run_simulator(s, nullptr).ok());
}

TEST(ListenAddress, SocketAddress) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  ASSERT_TRUE(socket_address("127.0.0.1:9212", &ss, &len).ok());
  EXPECT_EQ(ss.ss_family, AF_INET);
  EXPECT_EQ(len, sizeof(sockaddr_in));
  EXPECT_EQ(ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port), 9212);
  ASSERT_TRUE(socket_address("[::1]:80", &ss, &len).ok());
  EXPECT_EQ(ss.ss_family, AF_INET6);
  EXPECT_EQ(len, sizeof(sockaddr_in6));
  EXPECT_FALSE(socket_address("localhost:80", &ss, &len).ok());  // numeric addresses only
  EXPECT_FALSE(socket_address("1.2.3:80", &ss, &len).ok());
  EXPECT_FALSE(socket_address("1.2.3.4", &ss, &len).ok());  // no port
}

// ---- Issue 15: no input may crash or stall the gateway ----

// The CP value "\xff\xfe" (not UTF-8) with a valid CRC. Lenient (the default): answered 9014, counted, stored
// with each ill-formed byte as U+FFFD (EF BF BD); strict: the frame is refused in the reader (not answered,
// not stored) and the next good upload is answered.
TEST_F(GatewayTest, CpTextThatIsNotUtf8IsStoredReplacedOrRefused) {
  const std::vector<hj212::PollutantRecord> bad = {{"a21026", {{"Rtd", "25.5"}, {"Flag", "\xff\xfe"}}}};
  {
    Client c(gw->port());
    c.send(upload_of(0, "20250201000000001", "2011", "20250201000000", bad));
    EXPECT_EQ(std::get<0>(c.next_frame()), 9014);
    auto recs = store->source_records(sim_mn(0), 2011, 20250201000000, 20250201000000, 10);
    ASSERT_TRUE(recs.ok());
    ASSERT_EQ(recs->size(), 1u);
    EXPECT_EQ((*recs)[0].cp, "DataTime=20250201000000;a21026-Rtd=25.5,a21026-Flag=\xEF\xBF\xBD\xEF\xBF\xBD");
  }
  gw->stop();
  EXPECT_EQ(gw->stats().invalid_text, 1u);
  GatewayOptions o;
  o.policy = hj212::Policy::strict();
  restart(o);
  Client c(gw->port());
  const std::string qn_bad = now_qn(0), qn_good = now_qn(1);
  c.send(upload_of(1, qn_bad, "2011", "20250201010000", bad));
  c.send(upload_of(1, qn_good, "2011", "20250201020000", {{"a21026", {{"Rtd", "25.5"}, {"Flag", "N"}}}}));
  EXPECT_EQ(std::get<1>(c.next_frame()), qn_good);  // the bad one got no answer
  EXPECT_EQ(*store->count_source_records(), 2);     // device 0's first upload and this good one
  gw->stop();
  EXPECT_EQ(gw->stats().bad_frames, 1u);
  EXPECT_EQ(gw->stats().invalid_text, 0u);
}

// A stray "##9999" (9,999 is within the lenient limit) used to hold the device's next uploads back until
// 9,999 + 12 bytes had come (27 minutes of 30 s uploads); now the good upload after it is answered at once
// (the client's read times out after 10 s).
TEST_F(GatewayTest, StrayLengthHeaderDoesNotHoldBackTheNextUpload) {
  Client c(gw->port());
  c.send("##9999");
  c.send(upload(0, "20250202000000001", "20250202000000", "123456"));
  EXPECT_EQ(std::get<1>(c.next_frame()), "20250202000000001");
  c.send(upload(0, "20250202000000002", "20250202010000", "123456"));
  EXPECT_EQ(std::get<1>(c.next_frame()), "20250202000000002");
  EXPECT_EQ(*store->count_source_records(), 2);
  gw->stop();
  EXPECT_EQ(gw->stats().bad_frames, 1u);
  EXPECT_EQ(gw->stats().dropped_bytes, 6u);  // the 6 bytes of "##9999"
}

// DataTime 9999-12-31 23:59 would have become the device's "latest" for ever: refused with 9011 QnRtn=2 (not
// stored, counted). A DataTime 5 minutes ahead of Beijing time (within the default 10 minutes) is stored, one
// 20 minutes ahead is refused.
TEST_F(GatewayTest, DataTimeFarInTheFutureIsRefusedAndCounted) {
  Client c(gw->port());
  c.send(upload(0, "20250203000000001", "99991231235900", "123456"));
  auto [cn, qn, rtn] = c.next_frame();
  EXPECT_EQ(cn, 9011);
  EXPECT_EQ(qn, "20250203000000001");
  EXPECT_EQ(rtn, "2");  // QnRtn 2: request refused
  const std::string in_5_min = now_qn(5 * 60 * 1000).substr(0, 12) + "00";
  const std::string in_20_min = now_qn(20 * 60 * 1000).substr(0, 12) + "00";
  c.send(upload(0, "20250203000000002", in_5_min, "123456"));
  EXPECT_EQ(std::get<0>(c.next_frame()), 9014);
  c.send(upload(0, "20250203000000003", in_20_min, "123456"));
  EXPECT_EQ(std::get<2>(c.next_frame()), "2");
  EXPECT_EQ(*store->count_source_records(), 1);
  auto latest = store->latest_source_records(2011);
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 1u);
  EXPECT_EQ(std::to_string((*latest)[0].data_time), in_5_min);
  gw->stop();
  EXPECT_EQ(gw->stats().future_refused, 2u);
  EXPECT_EQ(gw->stats().auth_failures, 0u);
}

// A re-sent upload with the same MN, CN and DataTime but other values is kept as a conflict (answered: it is
// durable), an identical re-send of either version stays an idempotent duplicate. Param: --writers (1, 2).
class GatewayConflictTest : public GatewayTest, public ::testing::WithParamInterface<int> {};

TEST_P(GatewayConflictTest, ResentUploadWithOtherValuesIsKeptAsAConflict) {
  GatewayOptions o;
  o.writers = GetParam();
  restart(o);
  const auto values = [](const char* rtd) {
    return std::vector<hj212::PollutantRecord>{{"a21026", {{"Rtd", rtd}, {"Flag", "N"}}}};
  };
  Client c(gw->port());
  int k = 0;
  for (const char* rtd : {"25.5", "30.1", "30.1", "25.5"}) {
    const std::string qn = "2025020400000000" + std::to_string(k++);
    c.send(upload_of(2, qn, "2011", "20250204000000", values(rtd)));
    EXPECT_EQ(std::get<1>(c.next_frame()), qn);
  }
  auto recs = store->source_records(sim_mn(2), 2011, 20250204000000, 20250204000000, 10);
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 1u);
  EXPECT_EQ((*recs)[0].cp, "DataTime=20250204000000;a21026-Rtd=25.5,a21026-Flag=N");
  auto other = store->source_record_conflicts(sim_mn(2), 2011, 20250204000000, 20250204000000, 10);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ((*other)[0].cp, "DataTime=20250204000000;a21026-Rtd=30.1,a21026-Flag=N");
  EXPECT_EQ((*other)[0].qn, "20250204000000001");
  gw->stop();
  EXPECT_EQ(gw->stats().stored, 1u);
  EXPECT_EQ(gw->stats().conflicts, 1u);
  EXPECT_EQ(gw->stats().duplicates, 2u);
}

INSTANTIATE_TEST_SUITE_P(Writers, GatewayConflictTest, ::testing::Values(1, 2));

// The connection limit follows the descriptor limit: 0 (the default) becomes RLIMIT_NOFILE less the reserve,
// and a larger explicit value is lowered to it.
TEST_F(GatewayTest, MaxConnectionsFollowsTheDescriptorLimit) {
  rlimit r{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &r), 0);  // (the gateway raised the soft limit to the hard one)
  const auto allowed = static_cast<size_t>(r.rlim_cur) - GatewayOptions{}.fd_reserve;
  EXPECT_EQ(gw->stats().max_connections, allowed);
  GatewayOptions o;
  o.max_connections = static_cast<size_t>(r.rlim_cur) + 1000;
  restart(o);
  EXPECT_EQ(gw->stats().max_connections, allowed);
  o.max_connections = 7;
  restart(o);
  EXPECT_EQ(gw->stats().max_connections, 7u);
}

// ---- HJ 212-2025 (issue 17): versions side by side, encrypted CP areas, heartbeats ----

// A simulator run of `n` uploads per device against the gateway, its statistics.
// A run whose uploads are expected to go unanswered (`refused`) ends after a second instead of 20.
SimStats run_sim(uint16_t port, int first, int devices, int protocol, const std::string& key = "",
                 int messages = 5, double heartbeat_s = 0, bool refused = false, bool request_key = false) {
  SimOptions s;
  s.target = "127.0.0.1:" + std::to_string(port);
  s.first_device = first;
  s.devices = devices;
  s.interval_s = 0.05;
  s.messages_per_device = messages;
  s.duration_s = refused ? 1 : 20;
  // Every run its own minute of DataTimes (12 h ago onwards), so that no run's uploads duplicate another's.
  static std::atomic<int> runs{0};
  static const int64_t base_ms =
      (std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
           .count() +
       8 * 3600 - 12 * 3600) *
      1000;
  s.first_data_time_ms = base_ms + int64_t{runs++} * 60'000;
  s.connect_spread_s = 0.05;
  s.protocol = protocol;
  s.encrypt = !key.empty();
  s.key = key;
  s.heartbeat_s = heartbeat_s;
  s.request_key = request_key;
  auto stats = run_simulator(s, nullptr);
  EXPECT_TRUE(stats.ok()) << stats.status().message();
  return stats.ok() ? *stats : SimStats{};
}

class Gateway2025Test : public GatewayTest {
 protected:
  void SetUp() override {
    GatewayTest::SetUp();
    if (HasFatalFailure()) return;
    // Devices 10 (2005), 11 (2017), 12 (2025 in clear), 13 (2025 encrypted), 14 (auto), 15 (2025, a key the
    // simulator does not have).
    const std::pair<int, int> protocols[] = {{10, 2005}, {11, 2017}, {12, 2025},
                                             {13, 2025}, {14, 0},    {15, 2025}};
    for (const auto& [i, protocol] : protocols) {
      ASSERT_TRUE(store->upsert_device(sim_devices(i, 1, "123456", protocol)[0]).ok());
    }
    issue(13, kKey, INT64_MAX);
    issue(15, kOtherKey, INT64_MAX);
    GatewayOptions o;
    o.open_device_key = [m = master](const std::string& mn, const std::string& sealed) {
      return open_device_key(m, mn, sealed);
    };
    restart(o);
  }
  // Seals `key` as device i's current key; the one before stays valid until previous_until_ms.
  void issue(int i, const std::string& key, int64_t previous_until_ms) {
    auto sealed = seal_device_key(master, sim_mn(i), key);
    ASSERT_TRUE(sealed.ok());
    auto serial = stores->device_keys().rotate(
        {.mn = sim_mn(i), .sealed = *sealed, .issued_ms = now_utc_ms(), .issued_by = "test"},
        previous_until_ms);
    ASSERT_TRUE(serial.ok()) << serial.status().message();
  }
  static int64_t now_utc_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  // The Flag stored with each of device i's records.
  std::set<int> stored_flags(int i) {
    std::set<int> flags;
    const std::vector<SourceRecord> records =
        store->source_records(sim_mn(i), 0, 0, 99991231235959, 1000).value();
    for (const SourceRecord& r : records) flags.insert(r.flag);
    return flags;
  }
  static constexpr const char* kKey = "0000000000000000";  // the standard's test key (App. A.2)
  static constexpr const char* kOtherKey = "Key2Key2Key2Key2";
  MasterKey master = MasterKey::generate();
};

// One gateway, every version at once (three simulators on their own connections at the same time): each
// upload stored once and answered in its device's version (the simulators count answers whose Flag is not
// their version's: 0), the encrypted CP areas decrypted with the registry's key and stored in clear.
TEST_F(Gateway2025Test, EveryVersionOnOneGatewayAnsweredInItsOwn) {
  std::vector<SimStats> stats(5);
  std::vector<std::thread> sims;
  const int port = gw->port();
  sims.emplace_back([&] { stats[0] = run_sim(port, 10, 1, 2005); });
  sims.emplace_back([&] { stats[1] = run_sim(port, 11, 1, 2017); });
  sims.emplace_back([&] { stats[2] = run_sim(port, 12, 1, 2025); });
  sims.emplace_back([&] { stats[3] = run_sim(port, 13, 1, 2025, kKey); });
  sims.emplace_back([&] { stats[4] = run_sim(port, 14, 1, 2025); });  // auto: Flag=9 says 2025
  for (auto& t : sims) t.join();
  for (size_t k = 0; k < stats.size(); ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(stats[k].sent, 5u);
    EXPECT_EQ(stats[k].answered, 5u);
    EXPECT_EQ(stats[k].unanswered, 0u);
    EXPECT_EQ(stats[k].answers_in_other_version, 0u);
  }
  EXPECT_EQ(*store->count_source_records(), 25);
  // The Flag as sent: 1 (2005: version bits 0 + answer), 5 (2017), 9 (2025).
  EXPECT_EQ(stored_flags(10), std::set<int>{1});
  EXPECT_EQ(stored_flags(11), std::set<int>{5});
  EXPECT_EQ(stored_flags(12), std::set<int>{9});
  EXPECT_EQ(stored_flags(13), std::set<int>{9});
  // Stored as the plaintext CP area (the decrypted upload), the same shape as the clear device's.
  const std::vector<SourceRecord> decrypted =
      store->source_records(sim_mn(13), 2011, 0, 99991231235959, 10).value();
  ASSERT_EQ(decrypted.size(), 5u);
  for (const SourceRecord& r : decrypted) {
    EXPECT_EQ(r.cp.find("DataTime="), 0u) << r.cp;
    EXPECT_NE(r.cp.find("a21026-Rtd="), std::string::npos) << r.cp;
  }
  const GatewayStats g = gw->stats();
  EXPECT_EQ(g.device_keys, 2u);  // devices 13 and 15
  EXPECT_EQ(g.decrypted, 5u);
  EXPECT_EQ(g.decrypt_failures, 0u);
  EXPECT_EQ(g.version_mismatches, 0u);
}

// The registry wins over the Flag bits: a device registered as 2017 that sends Flag=9 is read and answered
// as 2017 (Flag=4), the mismatch counted; one registered as 2025 that sends Flag=5 is answered with Flag=8.
TEST_F(Gateway2025Test, TheRegistrysVersionWinsOverTheFlag) {
  const SimStats as2025 = run_sim(gw->port(), 11, 1, 2025, "", 3);  // device 11 is registered 2017
  EXPECT_EQ(as2025.answered, 3u);
  EXPECT_EQ(as2025.answers_in_other_version, 3u);                   // answered with Flag=4, not 8
  const SimStats as2017 = run_sim(gw->port(), 12, 1, 2017, "", 3);  // device 12 is registered 2025
  EXPECT_EQ(as2017.answered, 3u);
  EXPECT_EQ(as2017.answers_in_other_version, 3u);  // answered with Flag=8, not 4
  EXPECT_EQ(gw->stats().version_mismatches, 6u);
  // Byte for byte: the 9014 to a 2017-registered device's Flag=9 upload says Flag=4.
  Client c(gw->port());
  hj212::HeaderFields h{.qn = "20250101000000001", .st = "31", .cn = "2011", .pw = "123456"};
  const std::string mn = sim_mn(11);
  h.mn = mn;
  h.flag = 9;
  const std::vector<hj212::PollutantRecord> recs = {{"a21026", {{"Rtd", "1.0"}, {"Flag", "N"}}}};
  c.send(*hj212::encode_upload(h, *hj212::parse_timestamp("20250101000100"), recs));
  std::array<char, 256> buf{};
  const size_t n = c.sock.read_some(asio::buffer(buf));
  const std::string answer(buf.data(), n);
  EXPECT_EQ(answer, *hj212::encode_data_answer("20250101000000001", hj212::Peer{"123456", mn, 4}));
}

// A frame encrypted under a key the device does not hold: refused (not stored, not answered) and counted,
// the connection and the frames after it served.
TEST_F(Gateway2025Test, AWrongKeyIsRefusedAndCountedNeverStored) {
  const SimStats wrong = run_sim(gw->port(), 15, 1, 2025, kKey, 3, 0, true);  // device 15 holds kOtherKey
  EXPECT_EQ(wrong.sent, 3u);
  EXPECT_EQ(wrong.answered, 0u);
  EXPECT_EQ(wrong.unanswered, 3u);
  // A device with no key at all sending encrypted: its CRC does not match in clear (refused the same way,
  // counted as a bad frame).
  const SimStats keyless = run_sim(gw->port(), 12, 1, 2025, kKey, 2, 0, true);
  EXPECT_EQ(keyless.answered, 0u);
  // The same connection goes on: the right key after wrong ones.
  const SimStats right = run_sim(gw->port(), 15, 1, 2025, kOtherKey, 2);
  EXPECT_EQ(right.answered, 2u);
  EXPECT_EQ(*store->count_source_records(), 2);
  const GatewayStats g = gw->stats();
  EXPECT_EQ(g.decrypt_failures, 3u);
  // The 3 and at least one run of dropped bytes for the keyless device (its 2 frames, framed by their line
  // feeds like any device's without a key, may fall into one run).
  EXPECT_GE(g.bad_frames, 4u);
  EXPECT_EQ(g.decrypted, 2u);
}

// A key rotated while the device still sends under the old one: the old key is read during its grace (4 s
// here), refused once the grace is over (the io threads check each key's end at every lookup, without a
// reload); the new one is read at once.
TEST_F(Gateway2025Test, TheReplacedKeyIsReadDuringItsGraceOnly) {
  const int64_t grace_end = now_utc_ms() + 4000;
  issue(13, kOtherKey, grace_end);
  ASSERT_TRUE(wait_until([&] { return gw->stats().device_keys == 3; }));   // reloaded with the revision
  EXPECT_EQ(run_sim(gw->port(), 13, 1, 2025, kKey, 2).answered, 2u);       // the previous key
  EXPECT_EQ(run_sim(gw->port(), 13, 1, 2025, kOtherKey, 2).answered, 2u);  // the new one
  while (now_utc_ms() <= grace_end) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(run_sim(gw->port(), 13, 1, 2025, kKey, 2, 0, true).answered, 0u);
  EXPECT_EQ(run_sim(gw->port(), 13, 1, 2025, kOtherKey, 2).answered, 2u);
  EXPECT_EQ(*store->count_source_records(), 6);
  EXPECT_EQ(gw->stats().decrypt_failures, 2u);
}

// 1014: a device still encrypting under its replaced key gets its current key pushed (encrypted under the
// key it uses), once per connection, and switches; a device that asks (its 1014 request, encrypted) is
// answered 9013 and gets its key.
TEST_F(Gateway2025Test, TheCurrentKeyIsPushedToADeviceStillOnTheOldOne) {
  issue(13, kOtherKey, now_utc_ms() + 3'600'000);
  ASSERT_TRUE(wait_until([&] { return gw->stats().device_keys == 3; }));
  const SimStats old = run_sim(gw->port(), 13, 1, 2025, kKey, 4);
  EXPECT_EQ(old.answered, 4u);
  EXPECT_EQ(old.keys_received, 1u);  // switched to kOtherKey after the first upload's push
  EXPECT_EQ(gw->stats().keys_pushed, 1u);
  EXPECT_GE(gw->stats().decrypted, 4u);
  // On the current key: nothing to push.
  EXPECT_EQ(run_sim(gw->port(), 13, 1, 2025, kOtherKey, 2).keys_received, 0u);
  EXPECT_EQ(gw->stats().keys_pushed, 1u);
  // Asked for: 9013, then the key (device 15's only key, kOtherKey).
  const SimStats asked = run_sim(gw->port(), 15, 1, 2025, kOtherKey, 2, 0, false, /*request_key=*/true);
  EXPECT_EQ(asked.key_requests, 1u);
  EXPECT_EQ(asked.notices_answered, 1u);
  EXPECT_EQ(asked.keys_received, 1u);
  EXPECT_EQ(asked.answered, 2u);
  EXPECT_EQ(asked.answers_in_other_version, 0u);
  const GatewayStats g = gw->stats();
  EXPECT_EQ(g.key_requests, 1u);
  EXPECT_EQ(g.keys_pushed, 2u);
  EXPECT_EQ(g.decrypt_failures, 0u);
}

// Without a master key (GatewayOptions::open_device_key unset) no key is loaded: encrypted frames are
// refused, frames in clear still taken.
TEST_F(Gateway2025Test, NoKeyOpenerMeansNoDecryption) {
  restart(GatewayOptions{});
  EXPECT_EQ(gw->stats().device_keys, 0u);
  EXPECT_EQ(run_sim(gw->port(), 13, 1, 2025, kKey, 2, 0, true).answered, 0u);
  EXPECT_EQ(run_sim(gw->port(), 13, 1, 2025, "", 2).answered, 2u);
}

// 9015 heartbeats: answered 9013 at once (Flag=8), counted, not stored as data.
TEST_F(Gateway2025Test, HeartbeatsAreAnsweredAndNotStored) {
  const SimStats s = run_sim(gw->port(), 12, 1, 2025, "", 6, /*heartbeat_s=*/0.05);
  EXPECT_EQ(s.answered, 6u);
  EXPECT_GE(s.heartbeats, 2u);
  EXPECT_EQ(s.notices_answered, s.heartbeats);
  EXPECT_EQ(s.answers_in_other_version, 0u);
  EXPECT_EQ(*store->count_source_records(), 6);  // the uploads only
  EXPECT_EQ(gw->stats().heartbeats, s.heartbeats);
  // An unknown device's heartbeat is refused like its upload (9011 QnRtn=4).
  Client c(gw->port());
  c.send(*hj212::encode_heartbeat(
      {.qn = "20250101000000001", .st = "31", .pw = "123456", .mn = "FFFF00000000000000000000", .flag = 9}));
  const auto [cn, qn, rtn] = c.next_frame();
  EXPECT_EQ(cn, 9011);
  EXPECT_EQ(rtn, "4");
}

TEST(Simulator, RefusesBad2025Options) {
  SimOptions o;
  o.protocol = 2016;
  EXPECT_EQ(run_simulator(o, nullptr).status().code(), StatusCode::kInvalidArgument);
  o.protocol = 2017;
  o.encrypt = true;
  o.key = "0000000000000000";
  EXPECT_NE(run_simulator(o, nullptr).status().message().find("--protocol 2025"), std::string::npos);
  o.protocol = 2025;
  o.key = "short";
  const Status bad_key = run_simulator(o, nullptr).status();
  EXPECT_NE(bad_key.message().find("16 characters or 32 hex digits"), std::string::npos);
  EXPECT_EQ(bad_key.message().find("short"), std::string::npos);  // a key is never echoed
  o.encrypt = false;
  o.key = "0000000000000000";
  EXPECT_NE(run_simulator(o, nullptr).status().message().find("--encrypt"), std::string::npos);
  o.key.clear();
  o.protocol = 2017;
  o.heartbeat_s = 1;
  EXPECT_NE(run_simulator(o, nullptr).status().message().find("--heartbeat"), std::string::npos);
  o.heartbeat_s = 0;
  o.request_key = true;
  EXPECT_NE(run_simulator(o, nullptr).status().message().find("--request-key"), std::string::npos);
  EXPECT_TRUE(sim_key("00112233445566778899AABBCCDDEEFF").ok());  // 32 hex digits
}

// The store comes from the opener the composition root gives: none is refused before anything starts, and
// an opener that cannot open (a directory that does not exist) fails the start with its reason.
TEST(GatewayStores, ANeededOpenerThatIsMissingOrFailsStopsTheStart) {
  GatewayOptions o;
  o.listen = "127.0.0.1:0";
  auto none = Gateway::start(o);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(none.status().message().find("GatewayOptions::stores"), std::string::npos)
      << none.status().message();
  o.stores = sqlite_stores_opener("/nonexistent-ecomon-dir/gw.db");
  auto failed = Gateway::start(o);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("/nonexistent-ecomon-dir/gw.db"), std::string::npos)
      << failed.status().message();
  EXPECT_FALSE(fs::exists("/nonexistent-ecomon-dir"));
  // Its components alike.
  EXPECT_EQ(LiveEvents::start(StoresOpener{}, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CommandDispatcher::start(StoresOpener{}, {}, nullptr).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ecomon
