// The gateway over real loopback sockets: answers only after the upload is in the store, duplicates stored once
// and still answered, wrong PW / unknown MN refused with 9011, garbage and split TCP writes survived, graceful
// stop commits everything queued; and the simulator against it.
// clang-format off
#include <utility>
// clang-format on
#include "gateway/gateway.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <chrono>
#include <filesystem>

#include "gateway/simulator.h"
#include "ingest/hj212/crc.h"
#include "ingest/hj212/encoder.h"
#include "ingest/hj212/stream_reader.h"
#include "store/sqlite_store.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db = (fs::temp_directory_path() /
          ("ecomon_gw_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
             .string();
    fs::remove(db);
    auto s = SqliteStore::open(db);
    ASSERT_TRUE(s.ok());
    store = std::move(*s);
    for (const DeviceRecord& d : sim_devices(0, 3, "123456")) ASSERT_TRUE(store->upsert_device(d).ok());
    GatewayOptions o;
    o.listen = "127.0.0.1:0";
    o.db = db;
    auto g = Gateway::start(o);
    ASSERT_TRUE(g.ok()) << g.status().message();
    gw = std::move(*g);
  }
  void TearDown() override {
    if (gw) gw->stop();
    gw.reset();
    store.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
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
    // The next frame's (CN, QN, QnRtn or "").
    std::tuple<int, std::string, std::string> next_frame() {
      std::array<char, 2048> buf;
      while (true) {
        hj212::StreamEvent ev;
        if (reader.next(&ev) && ev.kind == hj212::StreamEvent::Kind::kFrame) {
          const auto* rtn = ev.message->find("QnRtn");
          return {ev.message->header.command, std::string(ev.message->header.qn),
                  rtn ? std::string(rtn->value) : ""};
        }
        size_t n = sock.read_some(asio::buffer(buf));
        reader.feed(std::string_view(buf.data(), n));
      }
    }
  };

  std::string db;
  std::unique_ptr<SqliteStore> store;
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
  // The registry refreshes every few seconds; restart the gateway to pick up the new devices now.
  gw->stop();
  GatewayOptions o;
  o.listen = "127.0.0.1:0";
  o.db = db;
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
}

TEST_F(GatewayTest, StrictDevicesGetNoDeviationAccepted) {
  // Device 2 is registered strict: a Modbus CRC (accepted for lenient devices) is refused for it.
  DeviceRecord strict = sim_devices(2, 1, "123456")[0];
  strict.policy = "strict";
  ASSERT_TRUE(store->upsert_device(strict).ok());
  gw->stop();
  GatewayOptions o;
  o.listen = "127.0.0.1:0";
  o.db = db;
  gw = Gateway::start(o).value();
  // The byte-swapped Modbus CRC: a deviation the lenient policy accepts (a lower-case CRC may have no letter).
  auto lower_crc = [](std::string f) {
    std::string_view segment(f.data() + 6, f.size() - 12);
    f.replace(f.size() - 6, 4, hj212::crc_hex(hj212::modbus_crc16_swapped(segment)));
    return f;
  };
  // A strict device's QN must also be near the gateway's clock (clock skew is a deviation): use now.
  int64_t now_civil = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count() + int64_t{8} * 3600 * 1000;
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

}  // namespace
}  // namespace ecomon
