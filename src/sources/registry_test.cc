// Registry values, validation messages and lookups; SourceTime and record_of() (record.h).
#include <gtest/gtest.h>

#include "ingest/hj212/encoder.h"
#include "sources/record.h"
#include "sources/registry.h"
#include "sources/test_registry.h"

namespace ecomon::sources {
namespace {

using test_support::at;
using test_support::day;

bool message_has(const Status& s, const std::string& part) {
  return s.message().find(part) != std::string::npos;
}

TEST(SourceTime, DigitsRoundTripAndLeapDays) {
  StatusOr<SourceTime> t = SourceTime::from_digits(20240229235959);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->to_digits(), 20240229235959);
  EXPECT_EQ(t->to_string(), "2024-02-29 23:59:59");
  EXPECT_EQ((*t + 1).to_string(), "2024-03-01 00:00:00");
  EXPECT_FALSE(SourceTime::from_digits(20230229000000).ok());  // 2023 is not a leap year
  EXPECT_FALSE(SourceTime::from_digits(20240301240000).ok());
  EXPECT_EQ(at("2024-03-01T10:00").to_digits(), 20240301100000);
  EXPECT_EQ(at("1969-12-31 23:00").day().to_string(), "1969-12-31");
  EXPECT_FALSE(SourceTime::parse("2024-03-01").ok());
  EXPECT_FALSE(SourceTime::parse("2024-03-01 25:00").ok());
}

TEST(DataFlags, LettersAndSets) {
  EXPECT_EQ(parse_data_flag("T"), DataFlag::kOverRange);
  EXPECT_EQ(parse_data_flag("n"), DataFlag::kUnknown);  // flags are upper case
  EXPECT_EQ(flag_letter(DataFlag::kCommFault), 'B');
  StatusOr<FlagSet> s = FlagSet::parse("MDCB");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->letters(), "MDCB");
  EXPECT_EQ((FlagSet{DataFlag::kCommFault, DataFlag::kNormal}).letters(), "NB");
  EXPECT_FALSE(FlagSet::parse("DX").ok());
  EXPECT_EQ(parse_data_kind("2061"), DataKind::kHourly);
  EXPECT_EQ(data_kind_of(2021), std::nullopt);  // status data carries no measurements
}

TEST(Validate, Mn) {
  const RegistryOptions strict, loose{.allow_nonstandard_mn = true};
  EXPECT_TRUE(validate_mn("010000A8900016F000169DC0", ProtocolYear::k2017, strict).ok());
  EXPECT_TRUE(validate_mn("010000a8900016f000169dc0", ProtocolYear::k2017, strict).ok());
  Status s = validate_mn("010000A8900016F000169DC", ProtocolYear::k2017, strict);
  EXPECT_TRUE(message_has(s, "not 24 hexadecimal characters")) << s.message();
  EXPECT_FALSE(validate_mn("010000A8900016F000169DCG", ProtocolYear::k2017, strict).ok());
  EXPECT_TRUE(validate_mn("LD130133000015", ProtocolYear::k2005, strict).ok());
  EXPECT_FALSE(validate_mn("LD130133000015", ProtocolYear::k2017, strict).ok());
  EXPECT_FALSE(validate_mn("ZLDSZ20210127", ProtocolYear::k2017, strict).ok());
  EXPECT_TRUE(validate_mn("ZLDSZ20210127", ProtocolYear::k2017, loose).ok());
  EXPECT_FALSE(validate_mn("0123456789012345678901234", ProtocolYear::k2017, loose).ok());  // 25 characters
  EXPECT_FALSE(validate_mn("ZLD;SZ", ProtocolYear::k2017, loose).ok());
  EXPECT_TRUE(message_has(validate_mn("", ProtocolYear::k2017, loose), "MN is empty"));
}

TEST(Validate, DevicePasswordIntervalsPollutants) {
  Device d = test_support::gas_device(test_support::kMnG);
  EXPECT_TRUE(validate_device(d, {}).ok());

  Device p = d;
  p.password = "12345";
  EXPECT_EQ(validate_device(p, {}).message(), "device " + d.mn + ": password must be 6 characters, got 5");
  p.password = "12;456";
  EXPECT_TRUE(message_has(validate_device(p, {}), "printable ASCII"));

  Device i = d;
  i.intervals.realtime_s = -30;
  EXPECT_EQ(validate_device(i, {}).message(), "device " + d.mn + ": reporting interval is negative");
  i.intervals.realtime_s = 29;
  EXPECT_TRUE(message_has(validate_device(i, {}), "real-time interval 29 s is outside 30..3600 s"));
  i.intervals.realtime_s = 3600;
  i.intervals.minute_min = 7;
  EXPECT_TRUE(message_has(validate_device(i, {}), "minute interval 7 min is not one of"));
  i.intervals.minute = false;  // not uploaded: its interval is not checked
  EXPECT_TRUE(validate_device(i, {}).ok());
  i.intervals = {.realtime = false, .minute = false, .hourly = false, .daily = false};
  EXPECT_TRUE(message_has(validate_device(i, {}), "uploads no data at all"));

  Device u = d;
  u.pollutants.push_back({.code = "a99999", .unit = "mg/m3"});
  EXPECT_TRUE(message_has(validate_device(u, {}), "unknown pollutant code 'a99999'"));
  u.pollutants.back() = {.code = "a21005", .unit = ""};
  EXPECT_EQ(validate_device(u, {}).message(), "device " + d.mn + ": pollutant a21005 has no unit");
  u.pollutants.back() = {.code = "a21026", .unit = "mg/m3"};
  EXPECT_TRUE(message_has(validate_device(u, {}), "a21026 listed twice"));
  Device none = d;
  for (MonitoredPollutant& m : none.pollutants) m.rated = false;
  EXPECT_TRUE(message_has(validate_device(none, {}), "no pollutant is rated"));
  none.pollutants.clear();
  EXPECT_TRUE(message_has(validate_device(none, {}), "monitors no pollutant"));

  Device s = d;
  s.stops.push_back({.span = {at("2024-03-02 00:00"), at("2024-03-01 00:00")}});
  EXPECT_TRUE(message_has(validate_device(s, {}), "is empty or reversed"));
}

// Permitted amounts: the checks of one amount, then those against the registry (the enterprise, its own
// outlet, the pollutant's medium, one amount per key), and the year's amounts in key order.
TEST(Registry, PermittedAmounts) {
  const PermittedAmount good{"E1", "", "a21026", 2025, Decimal{1205, 1}, "91140500MA0001X001P"};
  EXPECT_TRUE(validate_permit(good).ok());
  PermittedAmount p = good;
  p.tonnes = Decimal{};
  EXPECT_EQ(validate_permit(p).message(), "permit E1/a21026 2025: 0 t is not positive");
  p = good;
  p.year = 1899;
  EXPECT_EQ(validate_permit(p).message(), "permit E1/a21026 1899: year 1899 is not 1900..2999");
  p = good;
  p.licence.clear();
  EXPECT_EQ(validate_permit(p).message(), "permit E1/a21026 2025: licence number is empty");
  p = good;
  p.pollutant = "x1";
  EXPECT_FALSE(validate_permit(p).ok());

  SourceRegistry reg;
  ASSERT_TRUE(reg.add_enterprise({"E1", "某电厂", "城区", "火电"}).ok());
  ASSERT_TRUE(reg.add_enterprise({"E2", "某污水厂", "城区", "污水处理"}).ok());
  ASSERT_TRUE(reg.add_outlet({"G1", "E1", OutletKind::kGas, "1#出口"}).ok());
  ASSERT_TRUE(reg.add_outlet({"W1", "E2", OutletKind::kWater, "总排口"}).ok());
  EXPECT_TRUE(reg.add_permit(good).ok());
  EXPECT_EQ(reg.add_permit(good).code(), StatusCode::kAlreadyExists);
  PermittedAmount outlet{"E1", "G1", "a21002", 2025, Decimal{80, 0}, "91140500MA0001X001P"};
  EXPECT_TRUE(reg.add_permit(outlet).ok());
  outlet.outlet_id = "W1";  // E2's outlet
  EXPECT_EQ(reg.add_permit(outlet).code(), StatusCode::kNotFound);
  outlet = {"E2", "W1", "a21002", 2025, Decimal{1, 0}, "x"};  // a gas pollutant on a water outlet
  EXPECT_EQ(reg.add_permit(outlet).code(), StatusCode::kInvalidArgument);
  outlet.enterprise_id = "E9";
  EXPECT_EQ(reg.add_permit(outlet).code(), StatusCode::kNotFound);
  EXPECT_TRUE(reg.add_permit({"E1", "", "a21026", 2026, Decimal{100, 0}, "x"}).ok());
  const std::vector<const PermittedAmount*> y = reg.permits_of(2025);
  ASSERT_EQ(y.size(), 2U);
  EXPECT_EQ(y[0]->outlet_id, "");
  EXPECT_EQ(y[1]->outlet_id, "G1");
  EXPECT_EQ(reg.permits_of(2026).size(), 1U);
  EXPECT_TRUE(reg.permits_of(2024).empty());
}

TEST(Validate, Limits) {
  EmissionLimit l{.outlet_id = "G1",
                  .pollutant = "a21026",
                  .upper = {35, 0},
                  .unit = "mg/m3",
                  .valid_from = day("2024-01-01")};
  EXPECT_TRUE(validate_limit(l).ok());
  EmissionLimit no_unit = l;
  no_unit.unit.clear();
  EXPECT_EQ(validate_limit(no_unit).message(), "limit G1/a21026: limit has no unit");
  EmissionLimit zero = l;
  zero.upper = {0, 2};
  EXPECT_EQ(validate_limit(zero).message(), "limit G1/a21026: limit 0.00 is not positive");
  zero.upper = {-5, 0};
  EXPECT_FALSE(validate_limit(zero).ok());
  EmissionLimit range = l;
  range.lower = Decimal{35, 0};
  EXPECT_TRUE(message_has(validate_limit(range), "is not below the upper limit"));
  EmissionLimit dates = l;
  dates.valid_to = day("2023-12-31");
  EXPECT_TRUE(message_has(validate_limit(dates), "is after valid to"));
  EmissionLimit unknown = l;
  unknown.pollutant = "x1";
  EXPECT_TRUE(message_has(validate_limit(unknown), "unknown pollutant code 'x1'"));
}

TEST(Registry, ReferencesDuplicatesMediaAndUnits) {
  SourceRegistry reg = test_support::test_registry();
  EXPECT_EQ(reg.devices().size(), 3u);
  EXPECT_EQ(reg.add_enterprise({.id = "E1", .name = "x"}).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(reg.add_outlet({.id = "G9", .enterprise_id = "E9", .name = "x"}).code(), StatusCode::kNotFound);
  EXPECT_EQ(reg.add_device(test_support::gas_device(test_support::kMnG)).code(), StatusCode::kAlreadyExists);

  Device elsewhere = test_support::gas_device("010000A8900016F000169DC9");
  elsewhere.outlet_id = "G9";
  EXPECT_EQ(reg.add_device(elsewhere).code(), StatusCode::kNotFound);

  Device water_on_gas = test_support::gas_device("010000A8900016F000169DC9");
  water_on_gas.pollutants.push_back({.code = "w01018", .unit = "mg/L"});
  EXPECT_TRUE(message_has(reg.add_device(water_on_gas), "w01018 does not belong on a gas outlet"));

  Device other_unit = test_support::gas_device("010000A8900016F000169DC9");
  other_unit.pollutants[0].unit = "ug/m3";
  EXPECT_TRUE(
      message_has(reg.add_device(other_unit), "reports a21026 in ug/m3 but its outlet's limit is in mg/m3"));

  EmissionLimit co{.outlet_id = "G1",
                   .pollutant = "a21002",
                   .upper = {100, 0},
                   .unit = "mg/m3",
                   .valid_from = day("2023-01-01")};
  EXPECT_EQ(reg.add_limit(co).code(), StatusCode::kAlreadyExists);  // overlaps the limit from 2020
  EmissionLimit wrong_unit{.outlet_id = "G1",
                           .pollutant = "a34013",
                           .upper = {5, 0},
                           .unit = "g/m3",
                           .valid_from = day("1990-01-01"),
                           .valid_to = day("1999-12-31")};
  EXPECT_TRUE(message_has(reg.add_limit(wrong_unit), "limit is in g/m3 but device"));
  EmissionLimit zs_water{.outlet_id = "W1",
                         .pollutant = "w21011",
                         .upper = {1, 0},
                         .unit = "mg/L",
                         .basis = LimitBasis::kStandardised,
                         .valid_from = day("2020-01-01")};
  EXPECT_TRUE(message_has(reg.add_limit(zs_water), "applies to flue gas only"));
  EmissionLimit gas_code_on_water = zs_water;
  gas_code_on_water.pollutant = "a21026";
  gas_code_on_water.basis = LimitBasis::kMeasured;
  EXPECT_TRUE(message_has(reg.add_limit(gas_code_on_water), "does not belong on a water outlet"));
}

TEST(Registry, LimitInForceByDay) {
  const SourceRegistry reg = test_support::test_registry();
  const EmissionLimit* june = reg.limit_for("W1", "w21003", day("2024-06-30"));
  const EmissionLimit* july = reg.limit_for("W1", "w21003", day("2024-07-01"));
  ASSERT_NE(june, nullptr);
  ASSERT_NE(july, nullptr);
  EXPECT_EQ(june->upper, (Decimal{5, 0}));
  EXPECT_EQ(july->upper, (Decimal{3, 0}));
  EXPECT_EQ(reg.limit_for("W1", "w21003", day("2019-12-31")), nullptr);
  EXPECT_EQ(reg.limit_for("G1", "a19001", day("2024-01-01")), nullptr);
  EXPECT_EQ(reg.outlets_of("E1").size(), 1u);
  EXPECT_EQ(reg.devices_of("G1").size(), 2u);
  const Device* s = reg.find_device(test_support::kMnS);
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->stopped_at(at("2024-03-02 23:59:59")));
  EXPECT_FALSE(s->stopped_at(at("2024-03-03 00:00")));
}

hj212::Message decode(const std::string& segment, hj212::Policy policy, std::string* frame) {
  StatusOr<std::string> f = hj212::frame_data_segment(segment);
  EXPECT_TRUE(f.ok()) << f.status().message();
  *frame = *f;
  hj212::Message m;
  hj212::FrameError e = hj212::decode_frame(*frame, {.policy = policy}, &m);
  EXPECT_TRUE(e.ok()) << e.to_string();
  return m;
}

TEST(RecordOf, DecodedHourlyUpload) {
  std::string frame;
  const hj212::Message m = decode(
      "QN=20240301110003000;ST=31;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&DataTime="
      "20240301100000;"
      "a21026-Avg=30.5,a21026-ZsAvg=36.20,a21026-Flag=N;a21002-Avg=12,a21002-Flag=D;a19001-Avg=8.1&&",
      hj212::Policy::strict(), &frame);
  StatusOr<MonitoringRecord> r = record_of(m);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->mn, "010000A8900016F000169DC0");
  EXPECT_EQ(r->kind, DataKind::kHourly);
  EXPECT_EQ(r->data_time, at("2024-03-01 10:00"));
  ASSERT_EQ(r->values.size(), 3u);
  EXPECT_EQ(r->values[0].code, "a21026");
  EXPECT_EQ(r->values[0].avg, (Decimal{305, 1}));
  EXPECT_EQ(r->values[0].zs_avg->to_string(), "36.20");  // exact as sent
  EXPECT_EQ(r->values[1].flag, DataFlag::kFault);
  EXPECT_EQ(r->values[2].flag, DataFlag::kNormal);  // no -Flag item: N
}

// HJ 212-2025 minute data with -RawAvg (the note's App. C p.59 example, a34013-RawAvg=7.1): read beside Avg.
TEST(RecordOf, RawAvgOfA2025UploadIsKept) {
  std::string frame;
  const hj212::Message m = decode(
      "QN=20240601085857223;ST=31;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=9;RF=1;CP=&&DataTime="
      "20240601080100;a34013-RawAvg=7.1,a34013-Avg=7.5,a34013-Flag=N&&",
      hj212::Policy::strict(), &frame);
  StatusOr<MonitoringRecord> r = record_of(m);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->values.size(), 1u);
  EXPECT_EQ(r->values[0].raw_avg, (Decimal{71, 1}));
  EXPECT_EQ(r->values[0].avg, (Decimal{75, 1}));
}

TEST(RecordOf, Hj2005CodesMapToTheVocabulary) {
  std::string frame;
  const hj212::Message m = decode(
      "ST=32;CN=2061;PW=123456;MN=LD130133000015;CP=&&DataTime=20240301100000;"
      "011-Avg=45.1,011-Flag=N;060-Avg=1.2,060-Flag=N&&",
      hj212::Policy::lenient(), &frame);
  StatusOr<MonitoringRecord> r = record_of(m);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->values.size(), 2u);
  EXPECT_EQ(r->values[0].code, "w01018");  // COD
  EXPECT_EQ(r->values[1].code, "w21003");  // NH3-N
}

TEST(RecordOf, RefusesStatusDataAndMissingDataTime) {
  std::string frame;
  const hj212::Message status = decode(
      "QN=20240301110003000;ST=31;CN=2021;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&DataTime="
      "20240301100000;"
      "SB1-RS=1&&",
      hj212::Policy::strict(), &frame);
  EXPECT_TRUE(message_has(record_of(status).status(), "CN 2021 carries no measurements"));
  std::string frame2;
  const hj212::Message no_time = decode(
      "QN=20240301110003000;ST=31;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&a21026-Avg=1&&",
      hj212::Policy::strict(), &frame2);
  EXPECT_TRUE(message_has(record_of(no_time).status(), "has no DataTime"));
}

}  // namespace
}  // namespace ecomon::sources
