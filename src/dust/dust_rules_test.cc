// Golden cases of the dust rules (dust_rules.h), each worked out by hand in its comment. Defaults: window 15
// minutes (a reading at t counts for means at t .. t+14 min), at least 8 readings, silence after 30 minutes.
#include "dust/dust_rules.h"

#include <gtest/gtest.h>

namespace ecomon::dust {
namespace {

using sources::EventKind;
using sources::EventTransition;
using sources::Transition;

SourceTime at(int hour, int minute) { return SourceTime::of(CivilDay::from_ymd(2026, 12, 7), hour, minute); }
Decimal ug(int64_t v) { return Decimal{v, 0}; }

const Point kSite{"T01", "MN-T01", PointType::kConstruction};  // threshold 800
const Point kFence{"B01", "MN-B01", PointType::kBoundary};     // threshold 1000

// 10:00..10:06 at 700: seven readings, fewer than 8, nothing judged. 10:07: eight at 700, mean 700 <= 800.
// From 10:08 at 1500: 10:08 mean (8×700 + 1500) / 9 = 7100/9 = 788.9 <= 800, no event;
// 10:09 mean (8×700 + 2×1500) / 10 = 8600/10 = 860 > 800: the event opens at 10:09 with mean 860.0.
TEST(DustRules, ExceedanceOpensAtTheFirstMinuteTheWindowMeanIsAbove) {
  DustTracker t;
  std::vector<EventTransition> all;
  for (int m = 0; m <= 9; ++m) {
    auto ts = t.feed(kSite, {at(10, m), ug(m <= 7 ? 700 : 1500)});
    if (m < 9) {
      EXPECT_TRUE(ts.empty()) << "minute " << m;
    }
    all.insert(all.end(), ts.begin(), ts.end());
  }
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].transition, Transition::kOpen);
  EXPECT_EQ(all[0].key.kind, EventKind::kDustExceedance);
  EXPECT_EQ(all[0].key.mn, "MN-T01");
  EXPECT_EQ(all[0].key.pollutant, "a34001");
  EXPECT_EQ(all[0].at, at(10, 9));
  EXPECT_EQ(all[0].value->to_string(), "860.0");
  EXPECT_EQ(all[0].limit->to_string(), "800");
  EXPECT_EQ(t.open_events().size(), 1u);
}

// Eight readings of exactly 800: mean 800 is not above 800; one more of 809: (8×800 + 809)/9 = 801 > 800.
TEST(DustRules, AMeanEqualToTheThresholdIsNotAbove) {
  DustTracker t;
  for (int m = 0; m < 8; ++m) EXPECT_TRUE(t.feed(kSite, {at(10, m), ug(800)}).empty());
  auto ts = t.feed(kSite, {at(10, 8), ug(809)});
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].value->to_string(), "801.0");
}

// 10:00..10:14 at 1000: the event opens at 10:07 (the 8th reading, mean 1000). From 10:15 at 0: the window
// (t − 15 min, t] drops 10:00 at 10:15: 14×1000 / 15 = 933.3 > 800, still open; 10:16: 13000/15 = 866.7;
// 10:17: 12000/15 = 800, not above: the event closes at 10:17.
TEST(DustRules, ExceedanceClosesWhenTheTrailingMeanComesDownToTheThreshold) {
  DustTracker t;
  std::vector<EventTransition> all;
  for (int m = 0; m <= 17; ++m) {
    auto ts = t.feed(kSite, {at(10, m), ug(m <= 14 ? 1000 : 0)});
    all.insert(all.end(), ts.begin(), ts.end());
  }
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].at, at(10, 7));
  EXPECT_EQ(all[0].value->to_string(), "1000.0");
  EXPECT_EQ(all[1].transition, Transition::kClose);
  EXPECT_EQ(all[1].at, at(10, 17));
  EXPECT_TRUE(t.open_events().empty());
}

// The same readings judged by type: eight at 900 are above a site's 800 but not a boundary's 1000.
TEST(DustRules, ThresholdsArePerPointType) {
  DustTracker t;
  size_t site = 0, fence = 0;
  for (int m = 0; m < 8; ++m) {
    site += t.feed(kSite, {at(10, m), ug(900)}).size();
    fence += t.feed(kFence, {at(10, m), ug(900)}).size();
  }
  EXPECT_EQ(site, 1u);
  EXPECT_EQ(fence, 0u);
  DustParams p;
  p.boundary_ug = ug(850);
  DustTracker strict(p);
  for (int m = 0; m < 8; ++m) fence += strict.feed(kFence, {at(10, m), ug(900)}).size();
  EXPECT_EQ(fence, 1u);
}

// A gap thins the window: readings at 10:00..10:07 (8), then 10:20: the window (10:05, 10:20] holds 10:06,
// 10:07 and 10:20 — 3 readings, not judged, so the open event stays open.
TEST(DustRules, AWindowWithTooFewReadingsJudgesNothing) {
  DustTracker t;
  size_t n = 0;
  for (int m = 0; m < 8; ++m) n += t.feed(kSite, {at(10, m), ug(2000)}).size();
  EXPECT_EQ(n, 1u);
  EXPECT_TRUE(t.feed(kSite, {at(10, 20), ug(0)}).empty());
  EXPECT_EQ(t.open_events().size(), 1u);
}

// Newest reading 10:00, silence after 30 minutes: nothing due at 10:29:59; at 10:30 the silence opens at
// 10:30 (data time 10:00); asked again nothing; the reading of 10:45 closes it at 10:45.
TEST(DustRules, SilenceOpensAfterNMinutesAndTheNextReadingClosesIt) {
  DustTracker t;
  EXPECT_TRUE(t.evaluate(at(12, 0)).empty());  // never seen: no clock
  t.feed(kSite, {at(10, 0), ug(100)});
  EXPECT_TRUE(t.evaluate(at(10, 29) + 59).empty());
  auto open = t.evaluate(at(10, 30));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].key.kind, EventKind::kDustSilence);
  EXPECT_EQ(open[0].key.pollutant, "");
  EXPECT_EQ(open[0].at, at(10, 30));
  EXPECT_EQ(open[0].data_time, at(10, 0));
  EXPECT_TRUE(t.evaluate(at(11, 0)).empty());
  auto back = t.feed(kSite, {at(10, 45), ug(100)});
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].transition, Transition::kClose);
  EXPECT_EQ(back[0].at, at(10, 45));
}

// A reading at or before the newest changes nothing (a re-sent upload, a late one).
TEST(DustRules, RepeatedAndLateReadingsChangeNothing) {
  DustTracker t;
  for (int m = 0; m < 8; ++m) t.feed(kSite, {at(10, m), ug(2000)});
  EXPECT_TRUE(t.feed(kSite, {at(10, 7), ug(0)}).empty());
  EXPECT_TRUE(t.feed(kSite, {at(9, 0), ug(0)}).empty());
  EXPECT_EQ(t.open_events().size(), 1u);
}

// Restored after a restart: the open exceedance closes on the first judged mean at or below the threshold,
// and the silence clock runs from the restored newest reading.
TEST(DustRules, RestoredEventsAndClocks) {
  DustTracker first;
  for (int m = 0; m < 8; ++m) first.feed(kSite, {at(10, m), ug(2000)});
  DustTracker t;
  t.restore(kSite, first.open_events().at(0));
  t.seen(kSite, at(10, 7));
  auto quiet = t.evaluate(at(10, 37));
  ASSERT_EQ(quiet.size(), 1u);
  EXPECT_EQ(quiet[0].at, at(10, 37));
  std::vector<EventTransition> all;
  for (int m = 40; m < 48; ++m) {
    auto ts = t.feed(kSite, {at(10, m), ug(10)});
    all.insert(all.end(), ts.begin(), ts.end());
  }
  // 10:40 closes the silence; 10:47 (8 readings, mean 10) closes the exceedance.
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].key.kind, EventKind::kDustSilence);
  EXPECT_EQ(all[1].key.kind, EventKind::kDustExceedance);
  EXPECT_EQ(all[1].at, at(10, 47));
}

TEST(DustRules, ParamsAndTypes) {
  EXPECT_TRUE(validate_dust_params({}).ok());
  DustParams p;
  p.road_ug = ug(0);
  EXPECT_EQ(validate_dust_params(p).message(), "dust road_ug must be above 0");
  p = {};
  p.min_readings = 16;
  EXPECT_FALSE(validate_dust_params(p).ok());
  p = {};
  p.window_min = 0;
  EXPECT_FALSE(validate_dust_params(p).ok());
  p = {};
  p.silence_min = 0;
  EXPECT_FALSE(validate_dust_params(p).ok());
  EXPECT_EQ(parse_point_type("工地"), PointType::kConstruction);
  EXPECT_EQ(parse_point_type("厂界"), PointType::kBoundary);
  EXPECT_EQ(parse_point_type("road"), PointType::kRoad);
  EXPECT_EQ(parse_point_type("river"), std::nullopt);
  EXPECT_EQ(point_type_name(PointType::kOther), "other");
  EXPECT_EQ(sources::event_kind_name(EventKind::kDustSilence), "dust_silence");
  EXPECT_EQ(sources::parse_event_kind("dust_exceedance"), EventKind::kDustExceedance);
}

}  // namespace
}  // namespace ecomon::dust
