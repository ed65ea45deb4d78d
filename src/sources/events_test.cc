// Event tracker: parameters and edge cases beyond the golden scenarios (tests/cases/source_events.csv).
#include <gtest/gtest.h>

#include "sources/events.h"
#include "sources/test_registry.h"

namespace ecomon::sources {
namespace {

using test_support::at;

MonitoringRecord rec(std::string_view mn, DataKind kind, const std::string& time, const std::string& code,
                     std::optional<Decimal> avg, DataFlag flag) {
  MonitoringRecord r{.mn = std::string(mn), .kind = kind, .data_time = at(time)};
  r.values.push_back({.code = code, .avg = avg, .zs_avg = avg, .flag = flag});
  return r;
}

std::vector<std::string> described(const std::vector<EventTransition>& ts) {
  std::vector<std::string> out;
  for (const auto& t : ts) out.push_back(describe(t));
  return out;
}

TEST(Events, UnknownDeviceIsRefusedAndChangesNothing) {
  const SourceRegistry reg = test_support::test_registry("G");
  EventTracker t;
  auto r = t.feed(reg, rec("0000000000000000000000FF", DataKind::kHourly, "2024-03-01 10:00", "a21026",
                           Decimal{99, 0}, DataFlag::kNormal));
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(t.open_events().empty());
}

TEST(Events, NeverHeardDeviceIsSilentFromRegistration) {
  SourceRegistry reg;
  ASSERT_TRUE(reg.add_enterprise({.id = "E", .name = "e"}).ok());
  ASSERT_TRUE(reg.add_outlet({.id = "O", .enterprise_id = "E", .kind = OutletKind::kGas, .name = "o"}).ok());
  Device d = test_support::gas_device(test_support::kMnG);
  d.outlet_id = "O";
  d.registered_at = at("2024-03-01 08:30");
  ASSERT_TRUE(reg.add_device(d).ok());
  Device off = test_support::gas_device(test_support::kMnS);
  off.outlet_id = "O";
  off.active = false;  // inactive devices are not watched
  ASSERT_TRUE(reg.add_device(off).ok());
  EventTracker t;
  EXPECT_TRUE(t.evaluate(reg, at("2024-03-01 11:29:59")).empty());
  EXPECT_EQ(described(t.evaluate(reg, at("2024-03-01 11:30"))),
            std::vector<std::string>{"open silence " + d.mn + " at 2024-03-01 11:30:00"});
  ASSERT_EQ(t.open_events().size(), 1u);
  EXPECT_EQ(t.open_events()[0].data_time, d.registered_at);
}

TEST(Events, SilenceFallsBackToAKindTheDeviceUploads) {
  SourceRegistry reg;
  ASSERT_TRUE(reg.add_enterprise({.id = "E", .name = "e"}).ok());
  ASSERT_TRUE(
      reg.add_outlet({.id = "O", .enterprise_id = "E", .kind = OutletKind::kWater, .name = "o"}).ok());
  Device d = test_support::water_device();
  d.outlet_id = "O";
  d.intervals = {.realtime = false, .minute = false, .hourly = false, .daily = true};  // daily only
  ASSERT_TRUE(reg.add_device(d).ok());
  EventTracker t;
  ASSERT_TRUE(
      t.feed(reg, rec(d.mn, DataKind::kDaily, "2024-03-01 00:00", "w01018", Decimal{1, 0}, DataFlag::kNormal))
          .ok());
  EXPECT_TRUE(t.evaluate(reg, at("2024-03-04 23:59")).empty());  // covered to 03-02, + 3 days
  EXPECT_EQ(t.evaluate(reg, at("2024-03-05 00:00")).size(), 1u);
}

TEST(Events, HeartbeatsKeepADeviceOnlineWithoutBeingData) {
  const SourceRegistry reg = test_support::test_registry("G");
  const std::string mn(test_support::kMnG);
  EventTracker t;
  // Hourly data of 10:00 covers to 11:00; three silent hours: silent from 14:00 without a heartbeat.
  ASSERT_TRUE(
      t.feed(reg, rec(mn, DataKind::kHourly, "2024-03-01 10:00", "a21026", Decimal{20, 0}, DataFlag::kNormal))
          .ok());
  EXPECT_TRUE(t.heartbeat(reg, mn, at("2024-03-01 12:30")).empty());
  EXPECT_TRUE(t.heartbeat(reg, mn, at("2024-03-01 12:00")).empty());  // an older one changes nothing
  // Heard at 12:30: online until 12:30 + 3 h = 15:30.
  EXPECT_TRUE(t.evaluate(reg, at("2024-03-01 15:29:59")).empty());
  const auto opened = t.evaluate(reg, at("2024-03-01 15:30"));
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(describe(opened[0]), "open silence " + mn + " at 2024-03-01 15:30:00");
  EXPECT_EQ(opened[0].data_time, at("2024-03-01 10:00"));  // still the last data, not the heartbeat
  // The next heartbeat closes it at its time; it is no record (no exceedance or fault can come of it).
  const auto closed = t.heartbeat(reg, mn, at("2024-03-01 16:05"));
  EXPECT_EQ(described(closed), std::vector<std::string>{"close silence " + mn + " at 2024-03-01 16:05:00"});
  EXPECT_TRUE(t.open_events().empty());
  // Silent again 3 h after that heartbeat.
  EXPECT_TRUE(t.evaluate(reg, at("2024-03-01 19:04")).empty());
  EXPECT_EQ(t.evaluate(reg, at("2024-03-01 19:05")).size(), 1u);
  // Unknown devices: nothing.
  EXPECT_TRUE(t.heartbeat(reg, "0000000000000000000000FF", at("2024-03-01 19:06")).empty());
}

TEST(Events, OverRangeCanBeSwitchedOffAndFaultsCanWatchRealtimeData) {
  const SourceRegistry reg = test_support::test_registry("G");
  EventParams p;
  p.over_range_is_exceedance = false;
  p.fault_flags = FlagSet{DataFlag::kFault, DataFlag::kOverRange};
  p.fault_data = DataKind::kRealtime;
  ASSERT_TRUE(validate_event_params(p).ok());
  EventTracker t(p);
  auto hourly_t = t.feed(reg, rec(test_support::kMnG, DataKind::kHourly, "2024-03-01 10:00", "a34013",
                                  std::nullopt, DataFlag::kOverRange));
  ASSERT_TRUE(hourly_t.ok());
  EXPECT_TRUE(hourly_t->empty());  // T is no exceedance now, and hourly flags are not watched
  auto rt = t.feed(reg, rec(test_support::kMnG, DataKind::kRealtime, "2024-03-01 10:00:30", "a34013",
                            std::nullopt, DataFlag::kOverRange));
  ASSERT_TRUE(rt.ok());
  EXPECT_EQ(described(*rt), std::vector<std::string>{"open flag_fault " + std::string(test_support::kMnG) +
                                                     " a34013 T at 2024-03-01 10:00:30"});
}

TEST(Events, ExtraValidFlagsAreJudgedAgainstLimits) {
  const SourceRegistry reg = test_support::test_registry("W");
  EventParams p;
  p.extra_valid_flags.insert(DataFlag::kManual);
  EventTracker t(p);
  auto r = t.feed(reg, rec(test_support::kMnW, DataKind::kHourly, "2024-05-01 10:00", "w01018",
                           Decimal{60, 0}, DataFlag::kManual));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].cause, ExceedanceCause::kAboveLimit);
  EXPECT_EQ((*r)[0].limit, (Decimal{50, 0}));
}

TEST(Events, ParamsAreValidated) {
  EventParams p;
  p.silent_intervals = 0;
  EXPECT_FALSE(validate_event_params(p).ok());
  p = {};
  p.fault_flags.insert(DataFlag::kNormal);
  EXPECT_FALSE(validate_event_params(p).ok());
  p = {};
  p.extra_valid_flags.insert(DataFlag::kStopped);
  EXPECT_FALSE(validate_event_params(p).ok());
}

TEST(Events, ForgetBeforeTrimsMemoryOfOldDataTimes) {
  const SourceRegistry reg = test_support::test_registry("G");
  EventTracker t;
  const MonitoringRecord bad = rec(test_support::kMnG, DataKind::kHourly, "2024-03-01 10:00", "a21002",
                                   Decimal{80, 0}, DataFlag::kNormal);
  const MonitoringRecord good = rec(test_support::kMnG, DataKind::kHourly, "2024-03-01 11:00", "a21002",
                                    Decimal{10, 0}, DataFlag::kNormal);
  ASSERT_EQ(t.feed(reg, bad)->size(), 1u);
  ASSERT_EQ(t.feed(reg, good)->size(), 1u);
  EXPECT_TRUE(t.feed(reg, bad)->empty());  // remembered: a duplicate
  t.forget_before(at("2024-03-02 00:00"));
  // Forgotten: the old hour is now a late record outside every remembered event -> a back-filled event.
  std::vector<EventTransition> again = *t.feed(reg, bad);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_TRUE(again[0].backfill);
  EXPECT_EQ(again[1].at, at("2024-03-01 11:00"));
}

TEST(Events, RestoredEventsContinueAsIfNeverInterrupted) {
  const SourceRegistry reg = test_support::test_registry("G");
  const MonitoringRecord bad = rec(test_support::kMnG, DataKind::kHourly, "2024-03-01 10:00", "a21002",
                                   Decimal{80, 0}, DataFlag::kNormal);
  EventTracker before;
  const std::vector<EventTransition> opened = *before.feed(reg, bad);  // NOx 80 > 50: opens at 10:00
  ASSERT_EQ(opened.size(), 1u);

  // A new tracker (a restart) told of the open event: the next hour over the limit says nothing, the first
  // hour within it closes the event at its DataTime, 12:00.
  EventTracker after;
  after.restore(opened[0], std::nullopt);
  EXPECT_EQ(after.open_events().size(), 1u);
  EXPECT_TRUE(after
                  .feed(reg, rec(test_support::kMnG, DataKind::kHourly, "2024-03-01 11:00", "a21002",
                                 Decimal{90, 0}, DataFlag::kNormal))
                  ->empty());
  EXPECT_EQ(described(*after.feed(reg, rec(test_support::kMnG, DataKind::kHourly, "2024-03-01 12:00",
                                           "a21002", Decimal{10, 0}, DataFlag::kNormal))),
            std::vector<std::string>{"close exceedance " + std::string(test_support::kMnG) +
                                     " a21002 at 2024-03-01 12:00:00"});

  // A restored past event 10:00-12:00: a late (补传) 10:00 hour over the limit lies inside it: no new event.
  EventTracker past;
  past.restore(opened[0], at("2024-03-01 12:00"));
  ASSERT_TRUE(past.feed(reg, rec(test_support::kMnG, DataKind::kHourly, "2024-03-01 13:00", "a21002",
                                 Decimal{10, 0}, DataFlag::kNormal))
                  .ok());
  EXPECT_TRUE(past.feed(reg, bad)->empty());
  EXPECT_TRUE(past.open_events().empty());
}

}  // namespace
}  // namespace ecomon::sources

namespace ecomon::sources {
namespace {

using test_support::at;

// HJ 212-2025 CN 2111 (GB 18485-2014: the furnace at 850 ℃ or more), at the edges: a 5-minute mean below
// 850 opens, 850.0 is not below (it closes), 850.1 neither opens nor closes anything.
TEST(FurnaceEvents, BelowTheMinimumOpensAndAtItCloses) {
  const SourceRegistry reg = test_support::test_registry("G");
  const std::string mn(test_support::kMnG);
  EventTracker t;
  auto feed = [&](const char* time, Decimal mean) {
    return described(
        t.feed_furnace_temperature(reg, {.mn = mn, .data_time = at(time), .mean = mean}).value());
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(feed("2024-06-01 00:00", Decimal{8501, 1}), V{});  // 850.1: not below
  EXPECT_EQ(feed("2024-06-01 00:05", Decimal{8499, 1}),
            V{"open furnace_temperature " + mn + " a01901 at 2024-06-01 00:05:00 (a01901-Avg 849.9 < 850)"});
  EXPECT_EQ(feed("2024-06-01 00:10", Decimal{8499, 1}), V{});  // still open
  EXPECT_EQ(feed("2024-06-01 00:15", Decimal{8500, 1}),
            V{"close furnace_temperature " + mn + " a01901 at 2024-06-01 00:15:00"});  // 850.0: not below
  EXPECT_EQ(feed("2024-06-01 00:20", Decimal{8500, 1}), V{});
  EXPECT_EQ(feed("2024-06-01 00:25", Decimal{8499, 1}).size(), 1u);
  EXPECT_EQ(feed("2024-06-01 00:30", Decimal{8501, 1}),
            V{"close furnace_temperature " + mn + " a01901 at 2024-06-01 00:30:00"});
  // The same window again: nothing (idempotent); a mean missing: says nothing.
  EXPECT_EQ(feed("2024-06-01 00:05", Decimal{8000, 1}), V{});
  EXPECT_TRUE(t.feed_furnace_temperature(reg, {.mn = mn, .data_time = at("2024-06-01 00:35")})->empty());
  // A late window below the minimum outside every known event: an event of its own, one window long.
  EXPECT_EQ(described(t.feed_furnace_temperature(
                           reg, {.mn = mn, .data_time = at("2024-05-31 23:50"), .mean = Decimal{849, 0}})
                          .value()),
            (V{"open furnace_temperature " + mn +
                   " a01901 at 2024-05-31 23:50:00 (a01901-Avg 849 < 850) [backfill]",
               "close furnace_temperature " + mn + " a01901 at 2024-05-31 23:55:00 [backfill]"}));
  EXPECT_EQ(
      t.feed_furnace_temperature(reg, {.mn = "0000000000000000000000FF", .data_time = at("2024-06-01 00:00")})
          .status()
          .code(),
      StatusCode::kNotFound);
}

TEST(FurnaceEvents, TheMinimumIsAParameter) {
  const SourceRegistry reg = test_support::test_registry("G");
  EventParams p;
  p.furnace_min_celsius = Decimal{1100, 0};  // e.g. a rule for hazardous waste
  EventTracker t(p);
  const std::string mn(test_support::kMnG);
  EXPECT_EQ(t.feed_furnace_temperature(
                 reg, {.mn = mn, .data_time = at("2024-06-01 00:00"), .mean = Decimal{1000, 0}})
                ->size(),
            1u);
  EXPECT_EQ(t.open_events().front().limit, (Decimal{1100, 0}));
}

// HJ 212-2025 CN 2062: ResultType 0 opens a standard-check event for that pollutant (its SampleRd and
// StandardValue kept), the next check that passes (1) closes it; a check without ResultType is not judged
// unless the parameter says so.
TEST(StandardCheckEvents, AFailedCheckOpensAndAPassingOneCloses) {
  const SourceRegistry reg = test_support::test_registry("G");
  const std::string mn(test_support::kMnG);
  EventTracker t;
  auto check = [&](const char* time, std::optional<int> result) {
    StandardCheckRecord r{.mn = mn, .data_time = at(time)};
    r.checks.push_back(
        {.code = "w01018", .measured = Decimal{153, 1}, .nominal = Decimal{12, 0}, .result = result});
    return described(t.feed_standard_check(reg, r).value());
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(check("2024-06-01 08:00", 1), V{});
  EXPECT_EQ(
      check("2024-06-02 08:00", 0),
      V{"open standard_check " + mn + " w01018 at 2024-06-02 08:00:00 (SampleRd 15.3, StandardValue 12)"});
  EXPECT_EQ(check("2024-06-03 08:00", std::nullopt), V{});  // no ResultType: not judged, stays open
  EXPECT_EQ(check("2024-06-04 08:00", 1), V{"close standard_check " + mn + " w01018 at 2024-06-04 08:00:00"});
  EXPECT_EQ(check("2024-06-02 08:00", 0), V{});  // the same check again: nothing

  EventParams p;
  p.standard_check_missing_result_fails = true;
  p.standard_check_fail_result = 2;  // a source that spells a failure otherwise
  EventTracker strict(p);
  StandardCheckRecord r{.mn = mn, .data_time = at("2024-06-01 08:00")};
  r.checks.push_back({.code = "w01018"});
  r.checks.push_back({.code = "w21003", .result = 0});  // 0 is a pass here
  r.checks.push_back({.code = "w21011", .result = 2});
  const auto ts = strict.feed_standard_check(reg, r).value();
  ASSERT_EQ(ts.size(), 2u);
  EXPECT_EQ(ts[0].key.pollutant, "w01018");
  EXPECT_EQ(ts[1].key.pollutant, "w21011");
}

}  // namespace
}  // namespace ecomon::sources
