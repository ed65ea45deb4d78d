// Stations over HJ 212 through the gateway on real loopback sockets (issue 19): an air station's hourly
// upload (CN 2061, ST 22) appears in the real-time report (app::air_today, what /api/air/today serves) and in
// the station's hourly report within 5 s; a micro station's never enters the city value; an hour of a closed
// month is kept as an upload but not merged.
#include "gateway/station_feed.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "app/air.h"
#include "app/stations.h"
#include "gateway/gateway.h"
#include "ingest/hj212/encoder.h"
#include "ingest/hj212/stream_reader.h"
#include "store/sqlite_stores.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr const char* kCity = "测试市";
const std::string kMnN1 = "A22000000000000000000N01";
const std::string kMnN2 = "A22000000000000000000N02";
const std::string kMnM1 = "A22000000000000000000M01";

// An hourly upload (CN 2061) of an air station: DataTime yyyymmddhhmmss, values as "code" -> "Avg".
std::string hourly_upload(const std::string& mn, const std::string& qn, const std::string& data_time,
                          const std::vector<std::pair<std::string, std::string>>& avg) {
  hj212::HeaderFields h;
  h.qn = qn;
  h.st = "22";
  h.cn = "2061";
  h.pw = "123456";
  h.mn = mn;
  h.flag = static_cast<uint8_t>(hj212::kFlagVersion2017 | hj212::kFlagAnswerNeeded);
  std::vector<hj212::PollutantRecord> recs;
  for (const auto& [code, v] : avg) recs.push_back({code, {{"Avg", v}, {"Flag", "N"}}});
  return *hj212::encode_upload(h, *hj212::parse_timestamp(data_time), recs, hj212::kLengthFieldMax);
}

// Sends frames and waits for each 9014 (the upload is durable when it comes).
void send_and_wait(uint16_t port, const std::vector<std::string>& frames) {
  asio::io_context io;
  tcp::socket sock(io);
  sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  timeval tv{10, 0};
  setsockopt(sock.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  hj212::StreamReader reader{hj212::StreamOptions{.decode = {.policy = hj212::Policy::lenient()}}};
  std::array<char, 2048> buf;
  for (const std::string& f : frames) {
    asio::write(sock, asio::buffer(f));
    while (true) {
      hj212::StreamEvent ev;
      if (reader.next(&ev) && ev.kind == hj212::StreamEvent::Kind::kFrame) {
        ASSERT_EQ(ev.message->header.command, 9014);
        break;
      }
      size_t n = sock.read_some(asio::buffer(buf));
      reader.feed(std::string_view(buf.data(), n));
    }
  }
}

// Polls `pred` until it holds or `limit` has passed; the test asserts the outcome and the time taken.
template <typename Pred>
std::chrono::milliseconds poll(Pred pred, std::chrono::seconds limit) {
  const auto start = std::chrono::steady_clock::now();
  while (!pred() && std::chrono::steady_clock::now() - start < limit)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

class StationFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db = (fs::temp_directory_path() /
          ("ecomon_sf_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
             .string();
    fs::remove(db);
    stores = open_sqlite_stores(db).value();
    const Actor bureau = Actor::operator_cli();
    for (auto [code, kind, mn] :
         {std::tuple{"T001", "national", kMnN1}, std::tuple{"T002", "national", kMnN2},
          std::tuple{"TM01", "micro", kMnM1}}) {
      auto id = app::register_station(*stores, bureau,
                                      {.code = code,
                                       .name = code,
                                       .city = kCity,
                                       .kind = kind,
                                       .county = "城区",
                                       .mn = mn,
                                       .password = "123456"});
      ASSERT_TRUE(id.ok()) << id.status().message();
    }
    GatewayOptions o;
    o.listen = "127.0.0.1:0";
    o.stores = sqlite_stores_opener(db);
    o.events.enabled = false;
    gw = Gateway::start(o).value();
  }
  void TearDown() override {
    if (gw) gw->stop();
    gw.reset();
    stores.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
  }
  std::string db;
  std::unique_ptr<Stores> stores;
  std::unique_ptr<Gateway> gw;
};

std::optional<int64_t> pm25_at(const std::vector<HourReport>& hours, Hour h) {
  for (const HourReport& r : hours)
    if (r.hour == h) return r.value[static_cast<size_t>(index_of(Pollutant::kPM25))];
  return std::nullopt;
}

TEST_F(StationFeedTest, AnHourlyUploadReachesTodayAndHourlyAndAMicroStationNeverTheCity) {
  const CivilDay day = *CivilDay::parse("2026-01-10");
  const Hour h10 = Hour::ending(day, 10);  // DataTime 09:00 starts the hour that ends at 10:00
  // PM2.5 in the code table's ng/m³: 35000 -> 35 µg/m³, 45000 -> 45, the micro station's 90000 -> 90.
  send_and_wait(gw->port(),
                {hourly_upload(kMnN1, "20260110100000001", "20260110090000",
                               {{"a34004", "35000"}, {"a21026", "0.012"}, {"a21005", "0.9"}}),
                 hourly_upload(kMnN2, "20260110100000002", "20260110090000", {{"a34004", "45000"}}),
                 hourly_upload(kMnM1, "20260110100000003", "20260110090000", {{"a34004", "90000"}})});
  const Actor who = Actor::operator_cli();
  auto reader = open_sqlite_stores(db).value();
  std::optional<int64_t> city;
  std::string last_error;
  const auto took = poll(
      [&] {
        auto t = app::air_today(*reader, who, kCity, std::nullopt, DataView::kRealtime);
        if (!t.ok()) last_error = t.status().message();
        city = t.ok() && t->day == day ? pm25_at(t->city_hours, h10) : std::nullopt;
        return city.has_value();
      },
      std::chrono::seconds(5));
  ASSERT_TRUE(city.has_value()) << "not in the real-time report after " << took.count() << " ms; "
                                << last_error;
  // The city value is the mean of the two national stations: (35 + 45) / 2 = 40 µg/m³; with the micro
  // station's 90 it would be 56.7.
  EXPECT_EQ(*city, 40000);
  // The city's hour may be written before the micro station's (another batch of the feed): wait for them all.
  gw->station_feed()->flush();
  auto today = app::air_today(*reader, who, kCity, std::nullopt, DataView::kAudited).value();
  ASSERT_EQ(today.stations.size(), 2u);  // the assessment stations only
  EXPECT_EQ(today.stations[0].code, "T001");
  EXPECT_EQ(today.stations[1].code, "T002");

  // `air hourly --station`: the national station's own hour, and the micro station's.
  for (auto [code, expect] : {std::pair{"T001", 35000}, std::pair{"TM01", 90000}}) {
    app::AirRequest req;
    req.city = kCity;
    req.station = code;
    req.range = DayRange{day, day};
    auto hours = app::air_hourly(*reader, who, req);
    ASSERT_TRUE(hours.ok()) << code << ": " << hours.status().message();
    EXPECT_EQ(pm25_at(*hours, h10), expect) << code;
  }
  // SO2 0.012 mg/m³ = 12 µg/m³; CO 0.9 mg/m³ stays 0.9.
  std::vector<Milli> v;
  const int64_t t001 = today.stations[0].id;
  ASSERT_TRUE(reader->time_series().read_hourly(t001, Pollutant::kSO2, h10, 1, v).ok());
  EXPECT_EQ(v[0], 12000);
  ASSERT_TRUE(reader->time_series().read_hourly(t001, Pollutant::kCO, h10, 1, v).ok());
  EXPECT_EQ(v[0], 900);
  EXPECT_EQ(gw->station_feed()->stats().uploads, 3u);
}

TEST_F(StationFeedTest, AnHourOfAClosedMonthIsKeptButNotMerged) {
  ASSERT_TRUE(stores->audit().set_month_closed({MonthKey::of(2026, 2), true, "cli", "audited", 0}).ok());
  send_and_wait(gw->port(),
                {hourly_upload(kMnN1, "20260201100000001", "20260201090000", {{"a34004", "35000"}}),
                 hourly_upload(kMnN1, "20260301100000001", "20260301090000", {{"a34004", "36000"}})});
  gw->station_feed()->flush();
  const auto s = gw->station_feed()->stats();
  EXPECT_EQ(s.closed_month, 1u);  // February's one value
  EXPECT_EQ(s.values_new, 1u);    // March's
  auto list = stores->records().stations_of_city(kCity).value();
  std::vector<Milli> v;
  ASSERT_TRUE(
      stores->time_series()
          .read_hourly(list[0].id, Pollutant::kPM25, Hour::ending(*CivilDay::parse("2026-02-01"), 10), 1, v)
          .ok());
  EXPECT_EQ(v[0], kMissing);  // February's published figures do not move
  ASSERT_TRUE(
      stores->time_series()
          .read_hourly(list[0].id, Pollutant::kPM25, Hour::ending(*CivilDay::parse("2026-03-01"), 10), 1, v)
          .ok());
  EXPECT_EQ(v[0], 36000);
  // The upload itself is kept as received.
  auto recs = stores->sources().source_records(kMnN1, 2061, 20260201090000, 20260201090000, 10);
  ASSERT_TRUE(recs.ok());
  EXPECT_EQ(recs->size(), 1u);
}

TEST_F(StationFeedTest, RegistrationRefusesBadInputAndOtherRoles) {
  const Actor bureau = Actor::operator_cli();
  app::StationRegistration r{
      .code = "TM02", .city = kCity, .kind = "micro", .mn = "A22M02", .password = "123456"};
  r.assessment = true;
  EXPECT_EQ(app::register_station(*stores, bureau, r).status().code(), StatusCode::kInvalidArgument);
  r.assessment.reset();
  r.kind = "regional";
  EXPECT_EQ(app::register_station(*stores, bureau, r).status().code(), StatusCode::kInvalidArgument);
  r.kind = "micro";
  r.mn = kMnN1;  // T001's
  auto taken = app::register_station(*stores, bureau, r);
  EXPECT_EQ(taken.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(taken.status().message().find("T001"), std::string::npos);
  r.mn = "bad mn!";
  EXPECT_EQ(app::register_station(*stores, bureau, r).status().code(), StatusCode::kInvalidArgument);
  r.mn = "A22M02";
  r.password = "12345";
  EXPECT_EQ(app::register_station(*stores, bureau, r).status().code(), StatusCode::kInvalidArgument);
  r.password = "123456";
  EXPECT_EQ(app::register_station(*stores, Actor{"z", Role::kCounty, "城区", ""}, r).status().code(),
            StatusCode::kPermissionDenied);
  ASSERT_TRUE(app::register_station(*stores, bureau, r).ok());
  auto list = stores->records().stations_of_city(kCity).value();
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[3].code, "TM02");
  EXPECT_EQ(list[3].kind, "micro");
  EXPECT_FALSE(list[3].assessment);
  EXPECT_EQ(list[3].mn, "A22M02");
  EXPECT_EQ(*stores->audit().station_county("T001"), "城区");
  // Registered again with its own MN (another name): the same station, updated.
  const int64_t tm02 = list[3].id;
  r.name = "新名";
  EXPECT_EQ(app::register_station(*stores, bureau, r).value(), tm02);
  // A pollution source's device MN is refused, naming the enterprise; the registry is unchanged.
  ASSERT_TRUE(
      stores->sources().upsert_device({.mn = "A22SRC1", .password = "123456", .enterprise = "某电厂"}).ok());
  r.code = "TM03";
  r.mn = "A22SRC1";
  auto source = app::register_station(*stores, bureau, r);
  EXPECT_EQ(source.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(source.status().message().find("某电厂"), std::string::npos);
  EXPECT_EQ(stores->records().stations_of_city(kCity).value().size(), 4u);
}

}  // namespace
}  // namespace ecomon
