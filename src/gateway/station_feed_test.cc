// Stations over HJ 212 through the gateway on real loopback sockets (issue 19): an air station's hourly
// upload (CN 2061, ST 22) appears in the real-time report (app::air_today, what /api/air/today serves) and in
// the station's hourly report within 5 s; a micro station's never enters the city value; an hour of a closed
// month is kept as an upload but not merged. A surface-water station's (ST 21, HJ 212-2017) and a noise
// station's (ST 23, HJ 212-2025) hourly uploads appear in `water hourly` / `noise hourly` within 5 s with
// their GB 3838 classes and their day/night L_eq against the zone's limit; re-sent, nothing changes.
#include "gateway/station_feed.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/air.h"
#include "app/quality_stations.h"
#include "app/stations.h"
#include "gateway/gateway.h"
#include "gateway/simulator.h"
#include "ingest/hj212/encoder.h"
#include "ingest/hj212/stream_reader.h"
#include "store/sqlite_stores.h"
#include "water/water_format.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr const char* kCity = "测试市";
const std::string kMnN1 = "A22000000000000000000N01";
const std::string kMnN2 = "A22000000000000000000N02";
const std::string kMnM1 = "A22000000000000000000M01";

const std::string kMnW1 = "W21000000000000000000001";  // water station W001 (HJ 212-2017)
const std::string kMnS1 = "N23000000000000000000001";  // noise station S001 (HJ 212-2025)

// One value of an upload: code, Avg, data flag.
struct AvgValue {
  std::string code, avg, flag = "N";
};

// An hourly upload (CN 2061) of a station of type `st` (22 air, 21 water, 23 noise) in edition `version`
// (hj212::kFlagVersion2017 or 2025): DataTime yyyymmddhhmmss.
std::string station_upload(const std::string& mn, const std::string& qn, const std::string& data_time,
                           const std::vector<AvgValue>& values, const std::string& st, uint8_t version) {
  hj212::HeaderFields h;
  h.qn = qn;
  h.st = st;
  h.cn = "2061";
  h.pw = "123456";
  h.mn = mn;
  h.flag = static_cast<uint8_t>(version | hj212::kFlagAnswerNeeded);
  std::vector<hj212::PollutantRecord> recs;
  for (const AvgValue& v : values) recs.push_back({v.code, {{"Avg", v.avg}, {"Flag", v.flag}}});
  return *hj212::encode_upload(h, *hj212::parse_timestamp(data_time), recs, hj212::kLengthFieldMax);
}

// An air station's hourly upload (ST 22, HJ 212-2017), values as "code" -> "Avg", all flagged N.
std::string hourly_upload(const std::string& mn, const std::string& qn, const std::string& data_time,
                          const std::vector<std::pair<std::string, std::string>>& avg) {
  std::vector<AvgValue> values;
  for (const auto& [code, v] : avg) values.push_back({code, v});
  return station_upload(mn, qn, data_time, values, "22", hj212::kFlagVersion2017);
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
    // A water station on the river section 赵庄 (2017) and a noise station on the functional-zone point
    // 文化广场, zone 1 (2025); the section and the point as the quality templates register them.
    QualityBatch registry;
    registry.water_sections.push_back({"赵庄", "丹河", "泽州县", "river", "III", "national"});
    registry.noise_points.push_back({"文化广场", "", "zone", "1", ""});
    ASSERT_TRUE(stores->quality().write(registry).ok());
    for (auto [code, kind, site, mn, protocol] : {std::tuple{"W001", "water", "赵庄", kMnW1, 2017},
                                                  std::tuple{"S001", "noise", "文化广场", kMnS1, 2025}}) {
      auto id = app::register_station(*stores, bureau,
                                      {.code = code,
                                       .name = code,
                                       .city = kCity,
                                       .kind = kind,
                                       .site = site,
                                       .county = "城区",
                                       .mn = mn,
                                       .password = "123456",
                                       .protocol = protocol});
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

TEST_F(StationFeedTest, WaterAndNoiseStationsHourlyUploadsReachTheirHourlyViews) {
  const CivilDay day = *CivilDay::parse("2026-01-10");
  const Hour h10 = Hour::ending(day, 10), h22 = Hour::ending(day, 22), h23 = Hour::ending(day, 23);
  // Water, DataTime 09:00 = the hour ending 10:00, in the code table's units. COD flagged D is skipped.
  const std::vector<AvgValue> water = {{"w01001", "7.62"}, {"w01009", "6.8"},    {"w21003", "0.512"},
                                       {"w21011", "0.21"}, {"w20120", "12.5"},   {"w01010", "12.3"},
                                       {"w21001", "1.8"},  {"w01018", "25", "D"}};
  // Noise: DataTime 21:00 = the hour ending 22:00 (21:00–22:00, day); 22:00 = the hour ending 23:00 (night).
  send_and_wait(
      gw->port(),
      {station_upload(kMnW1, "20260110100000011", "20260110090000", water, "21", hj212::kFlagVersion2017),
       station_upload(kMnS1, "20260110220000012", "20260110210000",
                      {{"Leq", "56.3"}, {"L10", "59.1"}, {"L90", "50.2"}, {"LMx", "71.4"}}, "23",
                      hj212::kFlagVersion2025),
       station_upload(kMnS1, "20260110230000013", "20260110220000", {{"Leq", "44.8"}}, "23",
                      hj212::kFlagVersion2025)});
  const Actor who = Actor::operator_cli();
  auto reader = open_sqlite_stores(db).value();
  const app::QualityHourlyRequest wreq{
      .station = "W001", .first = Hour::first_of(day), .last = Hour::ending(day, 24)};
  const app::QualityHourlyRequest nreq{
      .station = "S001", .first = Hour::first_of(day), .last = Hour::ending(day, 24)};
  StatusOr<water::WaterHourly> w = not_found("not polled");
  StatusOr<noise::NoiseHourly> n = not_found("not polled");
  const auto took = poll(
      [&] {
        w = app::water_hourly(*reader, who, wreq);
        n = app::noise_hourly(*reader, who, nreq);
        return w.ok() && n.ok() && w->hours.size() == 1 && n->hours.size() == 2;
      },
      std::chrono::seconds(5));
  ASSERT_TRUE(w.ok()) << w.status().message();
  ASSERT_TRUE(n.ok()) << n.status().message();
  ASSERT_EQ(w->hours.size(), 1u) << "water hour not there after " << took.count() << " ms";
  ASSERT_EQ(n->hours.size(), 2u) << "noise hours not there after " << took.count() << " ms";

  // Water, in GB 3838's item order, the section a river (section_known):
  //   水温 12.3 ℃: no class, not evaluated; pH 7.62: 6–9 -> Ⅰ; DO 6.8: >= 6, < 7.5 -> Ⅱ; NH3-N 0.512: > 0.5,
  //   <= 1.0 -> Ⅲ; TP (river) 0.21: > 0.2, <= 0.3 -> Ⅳ; TN 1.8: <= 2.0 -> Ⅴ but not evaluated (rivers);
  //   Pb 12.5 µg/L = 0.0125 mg/L (÷ 1000, exact): > 0.01 (Ⅰ, Ⅱ), <= 0.05 -> Ⅲ.
  // The hour's class is the worst evaluated item: Ⅳ (TP), 轻度污染.
  const water::WaterHour& wh = w->hours[0];
  EXPECT_TRUE(w->section_known);
  EXPECT_EQ(w->body, water::WaterBody::kRiver);
  EXPECT_EQ(wh.hour, h10);
  EXPECT_EQ(wh.texts, (std::vector<std::string>{"12.3", "7.62", "6.8", "0.512", "0.21", "1.8", "0.0125"}));
  using water::Item;
  using water::WaterClass;
  const std::vector<std::tuple<Item, std::optional<WaterClass>, bool>> expect = {
      {Item::kWaterTemperature, std::nullopt, false},
      {Item::kPH, WaterClass::kI, true},
      {Item::kDO, WaterClass::kII, true},
      {Item::kNH3N, WaterClass::kIII, true},
      {Item::kTP, WaterClass::kIV, true},
      {Item::kTN, WaterClass::kV, false},
      {Item::kPb, WaterClass::kIII, true}};
  ASSERT_EQ(wh.result.items.size(), expect.size());
  for (size_t i = 0; i < expect.size(); ++i) {
    EXPECT_EQ(wh.result.items[i].item, std::get<0>(expect[i])) << i;
    EXPECT_EQ(wh.result.items[i].cls, std::get<1>(expect[i])) << i;
    EXPECT_EQ(wh.result.items[i].evaluated, std::get<2>(expect[i])) << i;
  }
  EXPECT_EQ(wh.result.cls, WaterClass::kIV);
  EXPECT_EQ(wh.result.determining, std::vector<Item>{Item::kTP});
  const auto wj = water::water_hourly_json(*w);
  EXPECT_EQ(wj["hours"][0]["class"], "Ⅳ");
  EXPECT_EQ(wj["hours"][0]["status"], "轻度污染");
  EXPECT_EQ(wj["hours"][0]["items"][6]["value"], "0.0125");
  EXPECT_EQ(wj["hours"][0]["items"][6]["unit"], "mg/L");

  // Noise, zone 1 (GB 3096: 55 by day, 45 at night): 56.3 > 55 by day fails; 44.8 <= 45 at night complies.
  // LMx is stored as Lmax; the indices as stored, by name.
  EXPECT_EQ(n->zone, noise::ZoneClass::k1);
  const noise::NoiseHour& day_hour = n->hours[0];
  const noise::NoiseHour& night_hour = n->hours[1];
  EXPECT_EQ(day_hour.hour, h22);
  EXPECT_EQ(day_hour.part, noise::DayPart::kDay);
  EXPECT_EQ(day_hour.leq, "56.3");
  EXPECT_EQ(day_hour.limit, (Rational{55, 1}));
  EXPECT_EQ(day_hour.complies, false);
  EXPECT_EQ(day_hour.indices, (std::vector<std::pair<std::string, std::string>>{
                                  {"L10", "59.1"}, {"L90", "50.2"}, {"Leq", "56.3"}, {"Lmax", "71.4"}}));
  EXPECT_EQ(night_hour.hour, h23);
  EXPECT_EQ(night_hour.part, noise::DayPart::kNight);
  EXPECT_EQ(night_hour.leq, "44.8");
  EXPECT_EQ(night_hour.limit, (Rational{45, 1}));
  EXPECT_EQ(night_hour.complies, true);

  gw->station_feed()->flush();
  auto s = gw->station_feed()->stats();
  EXPECT_EQ(s.water_uploads, 1u);
  EXPECT_EQ(s.water_values, 7u);
  EXPECT_EQ(s.noise_uploads, 2u);
  EXPECT_EQ(s.noise_values, 5u);
  EXPECT_EQ(s.quality_new, 12u);
  EXPECT_EQ(s.quality_skipped, 1u);  // COD flagged D
  EXPECT_EQ(s.uploads, 0u);          // no air upload

  // The same water upload again (another QN), then one with NH3-N 0.9: nothing changes; 7 same, then 6 same
  // and 1 conflict (the stored 0.512 kept).
  std::vector<AvgValue> changed = water;
  changed[2].avg = "0.9";
  send_and_wait(
      gw->port(),
      {station_upload(kMnW1, "20260110110000021", "20260110090000", water, "21", hj212::kFlagVersion2017),
       station_upload(kMnW1, "20260110110000022", "20260110090000", changed, "21", hj212::kFlagVersion2017)});
  gw->station_feed()->flush();
  s = gw->station_feed()->stats();
  EXPECT_EQ(s.quality_new, 12u);
  EXPECT_EQ(s.quality_same, 13u);
  EXPECT_EQ(s.quality_conflicts, 1u);
  auto again = app::water_hourly(*reader, who, wreq);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->hours[0].texts, wh.texts);
  EXPECT_EQ(again->hours[0].result.cls, WaterClass::kIV);
}

// `hj212-sim --water` / `--noise` over the same loopback: simulated station 1 (MN sim_water_mn(1) = W001's,
// sim_noise_mn(1) = S001's) sends the hourly upload of the hour before its first DataTime; its values are
// water_hourly_values(1, 9) and noise_hourly_values(1, 21), worked out below.
TEST_F(StationFeedTest, TheSimulatorsWaterAndNoiseStationsReachTheHourlyViews) {
  ASSERT_EQ(sim_water_mn(1), kMnW1);
  ASSERT_EQ(sim_noise_mn(1), kMnS1);
  const CivilDay day = *CivilDay::parse("2026-01-10");
  constexpr int64_t kMsPerHour = 3600 * 1000;
  const int64_t day_ms = int64_t{day.days_since_epoch()} * 24 * kMsPerHour;
  for (auto [is_water, protocol, first_hour] : {std::tuple{true, 2017, 10}, std::tuple{false, 2025, 22}}) {
    SimOptions o;
    o.target = "127.0.0.1:" + std::to_string(gw->port());
    o.devices = 1;
    o.first_device = 1;
    o.interval_s = 1;
    o.duration_s = 10;
    o.messages_per_device = 1;
    o.protocol = protocol;
    o.water = is_water;
    o.noise = !is_water;
    o.first_data_time_ms = day_ms + first_hour * kMsPerHour;  // the hourly upload: the hour before
    auto s = run_simulator(o, nullptr);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s->answered, 1u) << (is_water ? "water" : "noise");
  }
  const Actor who = Actor::operator_cli();
  auto reader = open_sqlite_stores(db).value();
  const app::QualityHourlyRequest req{
      .station = "W001", .first = Hour::first_of(day), .last = Hour::ending(day, 24)};
  StatusOr<water::WaterHourly> w = not_found("not polled");
  StatusOr<noise::NoiseHourly> n = not_found("not polled");
  poll(
      [&] {
        w = app::water_hourly(*reader, who, req);
        n = app::noise_hourly(*reader, who, {.station = "S001", .first = req.first, .last = req.last});
        return w.ok() && n.ok() && w->hours.size() == 1 && n->hours.size() == 1;
      },
      std::chrono::seconds(5));
  ASSERT_TRUE(w.ok() && n.ok());
  ASSERT_EQ(w->hours.size(), 1u);
  ASSERT_EQ(n->hours.size(), 1u);
  // Water, index 1, the hour starting 09:00 (ending 10:00): pH 7.(2 + 10 % 8) = 7.4 (Ⅰ); DO tenths (27 + 1) %
  // 30 = 28 -> 8.8 (Ⅰ, >= 7.5); CODMn tenths (9 + 2) % 40 = 11 -> 3.1 (Ⅱ, <= 4); NH3-N 100 + (333 + 11) % 800
  // = 444 -> 0.444 (Ⅱ, <= 0.5); TP 50 + (117 + 7) % 200 = 174 -> 0.174 (Ⅲ, river <= 0.2); Pb 1 + 10 % 9 = 2,
  // 63 % 10 = 3 -> 2.3 µg/L = 0.0023 mg/L (Ⅰ, <= 0.01); water temperature 10 + 1, 9 -> 11.9. Worst: Ⅲ (TP).
  const water::WaterHour& wh = w->hours[0];
  EXPECT_EQ(wh.hour, Hour::ending(day, 10));
  EXPECT_EQ(wh.texts, (std::vector<std::string>{"11.9", "7.4", "8.8", "3.1", "0.444", "0.174", "0.0023"}));
  EXPECT_EQ(wh.result.cls, water::WaterClass::kIII);
  EXPECT_EQ(wh.result.determining, std::vector<water::Item>{water::Item::kTP});
  // Noise, index 1, the hour starting 21:00 (day): Leq 52 + (21 + 1) % 10 = 54, tenth (63 + 1) % 10 = 4 ->
  // 54.4 <= 55 (zone 1 by day): complies; L10 = 57.4, L50 = 53.4, L90 = 49.4, LMx = 69.4, LMn = 46.4.
  const noise::NoiseHour& nh = n->hours[0];
  EXPECT_EQ(nh.hour, Hour::ending(day, 22));
  EXPECT_EQ(nh.part, noise::DayPart::kDay);
  EXPECT_EQ(nh.leq, "54.4");
  EXPECT_EQ(nh.complies, true);
  EXPECT_EQ(nh.indices, (std::vector<std::pair<std::string, std::string>>{{"L10", "57.4"},
                                                                          {"L50", "53.4"},
                                                                          {"L90", "49.4"},
                                                                          {"Leq", "54.4"},
                                                                          {"Lmax", "69.4"},
                                                                          {"Lmin", "46.4"}}));
}

}  // namespace
}  // namespace ecomon
