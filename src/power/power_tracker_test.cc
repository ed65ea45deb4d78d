// The live 治污设施未同步运行 tracker against the same scenario worked by hand as the whole-period rule
// (power_rules_test.cc): a production line P (running at >= 50 kW) and its treatment line T (running at
// >= 10 kW), minute readings; the transitions as each reading arrives.
#include "power/power_tracker.h"

#include <gtest/gtest.h>

namespace ecomon::power {
namespace {

SourceTime at(const std::string& text) { return SourceTime::parse(text).value(); }

std::vector<MeteredLine> lines() {
  return {{"E01/P1", "E01", "1#生产线", LineRole::kProduction, Decimal{50, 0}, {}, 60},
          {"E01/T1", "E01", "1#除尘器", LineRole::kTreatment, Decimal{10, 0}, {"E01/P1"}, 60}};
}

struct Fed {
  std::string reading;  // "E01/T1 10:14" that caused it
  PowerTransition t;
};

// Feeds minute i from 10:00 (P first, then T) and collects the transitions.
std::vector<Fed> run(TreatmentTracker& tr, int from, int to, const std::function<int(int)>& treat_kw,
                     bool treatment_first = false) {
  std::vector<Fed> out;
  for (int i = from; i < to; ++i) {
    const SourceTime t = at("2025-12-03 10:00") + int64_t{i} * 60;
    auto feed = [&](const std::string& line, Decimal kw) {
      for (auto& x : tr.feed(line, t, kw)) out.push_back({line + " " + std::to_string(i), std::move(x)});
    };
    if (treatment_first) feed("E01/T1", Decimal{treat_kw(i), 0});
    feed("E01/P1", Decimal{100, 0});
    if (!treatment_first) feed("E01/T1", Decimal{treat_kw(i), 0});
  }
  return out;
}

TEST(TreatmentTracker, OpensOnceTheRunLastsTheMinimumAndClosesAtTheFirstReadingThatEndsIt) {
  // P at 100 kW from 10:00 to 11:59; T at 20 kW except 10:00..10:29 at 0 kW (30 readings) and 11:00..11:09 at
  // 0 kW (10 readings). The first run reaches 15 min (15 x 60 s = 900 s = min_seconds) at the reading of
  // 10:14 (minute 14) -> open, dated 10:00; T's 20 kW at 10:30 ends it -> closed at 10:30. The 10-minute dip
  // is shorter than 15 min -> nothing.
  TreatmentTracker tr;
  tr.set_lines(lines());
  auto fed = run(tr, 0, 120, [](int i) { return i < 30 || (i >= 60 && i < 70) ? 0 : 20; });
  ASSERT_EQ(fed.size(), 2u);
  EXPECT_EQ(fed[0].reading, "E01/T1 14");
  EXPECT_TRUE(fed[0].t.open);
  EXPECT_EQ(fed[0].t.event.rule, "treatment_not_running");
  EXPECT_EQ(fed[0].t.event.enterprise, "E01");
  EXPECT_EQ(fed[0].t.event.line, "E01/P1");
  EXPECT_EQ(fed[0].t.event.related, "E01/T1");
  EXPECT_EQ(fed[0].t.event.opened, at("2025-12-03 10:00"));
  EXPECT_EQ(fed[0].t.kw, (Decimal{0, 0}));
  EXPECT_EQ(fed[0].t.running_kw, (Decimal{10, 0}));
  EXPECT_EQ(fed[1].reading, "E01/T1 30");
  EXPECT_FALSE(fed[1].t.open);
  EXPECT_EQ(fed[1].t.event.opened, at("2025-12-03 10:00"));
  EXPECT_EQ(*fed[1].t.event.closed, at("2025-12-03 10:30"));
  EXPECT_EQ(fed[1].t.event.readings, 30);
  EXPECT_TRUE(tr.open_pairs().empty());
}

TEST(TreatmentTracker, AReadingWaitsForItsPartnerAndALateOneChangesNothing) {
  // T's readings come before P's: the same times (a stamp is judged when both are in).
  TreatmentTracker tr;
  tr.set_lines(lines());
  auto fed = run(
      tr, 0, 40, [](int i) { return i < 30 ? 0 : 20; }, true);
  ASSERT_EQ(fed.size(), 2u);
  EXPECT_EQ(fed[0].reading, "E01/P1 14");
  EXPECT_EQ(*fed[1].t.event.closed, at("2025-12-03 10:30"));
  // 10:05 again (a re-sent or late upload): judged already -> nothing.
  EXPECT_TRUE(tr.feed("E01/T1", at("2025-12-03 10:05"), Decimal{0, 0}).empty());
  EXPECT_TRUE(tr.feed("E01/P1", at("2025-12-03 10:05"), Decimal{100, 0}).empty());
  // A line that is no pair's: nothing.
  EXPECT_TRUE(tr.feed("E09/P1", at("2025-12-03 10:45"), Decimal{100, 0}).empty());
}

TEST(TreatmentTracker, AGapEndsTheRunWhereTheLastReadingsIntervalEnds) {
  // T off from 10:00; T's reading of 10:20 never comes, P's does; both again from 10:21. The run 10:00..10:19
  // (20 readings) opened at 10:14 and closes at 10:19 + 60 s = 10:20 when 10:21 is judged; the new run from
  // 10:21 opens at 10:35 (15 readings: 10:21..10:35).
  TreatmentTracker tr;
  tr.set_lines(lines());
  std::vector<PowerTransition> got;
  for (int i = 0; i < 40; ++i) {
    const SourceTime t = at("2025-12-03 10:00") + int64_t{i} * 60;
    for (auto& x : tr.feed("E01/P1", t, Decimal{100, 0})) got.push_back(x);
    if (i != 20) {
      for (auto& x : tr.feed("E01/T1", t, Decimal{0, 0})) got.push_back(x);
    }
  }
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].event.opened, at("2025-12-03 10:00"));
  EXPECT_FALSE(got[1].open);
  EXPECT_EQ(*got[1].event.closed, at("2025-12-03 10:20"));
  EXPECT_TRUE(got[2].open);
  EXPECT_EQ(got[2].event.opened, at("2025-12-03 10:21"));
  ASSERT_EQ(tr.open_pairs().size(), 1u);
}

TEST(TreatmentTracker, ARestoredEventContinuesAndClosesAtItsFirstFalseReading) {
  // After a restart the store's event opened 09:00 is taken back; T still off at 10:00..10:04 (no new open),
  // on at 10:05 -> closed at 10:05.
  TreatmentTracker tr;
  tr.set_lines(lines());
  tr.restore_open("E01/T1", "E01/P1", at("2025-12-03 09:00"));
  auto fed = run(tr, 0, 10, [](int i) { return i < 5 ? 0 : 20; });
  ASSERT_EQ(fed.size(), 1u);
  EXPECT_FALSE(fed[0].t.open);
  EXPECT_EQ(fed[0].t.event.opened, at("2025-12-03 09:00"));
  EXPECT_EQ(*fed[0].t.event.closed, at("2025-12-03 10:05"));
}

TEST(TreatmentTracker, BadLinksAndParams) {
  // T serves a line that is not a production line, and one of another interval: no pair, nothing raised.
  auto ls = lines();
  ls[1].serves = {"E01/T1", "E01/X"};
  TreatmentTracker tr;
  tr.set_lines(ls);
  EXPECT_TRUE(run(tr, 0, 30, [](int) { return 0; }).empty());
  ls = lines();
  ls[0].interval_s = 300;
  tr.set_lines(ls);
  EXPECT_TRUE(run(tr, 0, 30, [](int) { return 0; }).empty());
  EXPECT_FALSE(validate_tracker_params({.treatment = {.min_seconds = -1}}).ok());
  EXPECT_FALSE(validate_tracker_params({.max_wait_s = -5}).ok());
  EXPECT_TRUE(validate_tracker_params({}).ok());
}

// A stop order (橙色预警 停产) from 2025-12-03 00:00 to 06:00 for P (running at >= 50 kW), P at 100 kW every
// minute from 12-02 23:50 to 12-03 06:10: readings before 00:00 judge nothing; the run from 00:00 reaches
// 15 readings at 00:14 -> open, dated 00:00; the reading of 06:00 (the order's end, = 05:59 + 60 s) closes it
// at 06:00 after 360 readings (00:00..05:59); later readings change nothing. With a 10-minute grace the run
// starts at 00:10 and opens at the reading of 00:24.
TEST(StopTracker, ProductionRunningThroughAStopOrderOpensAtItsStartAndClosesAtItsEnd) {
  for (const int64_t grace : {int64_t{0}, int64_t{600}}) {
    StopTracker st({.grace_seconds = grace});
    st.set_lines(lines());
    const StopOrder order{"E01/P1", {at("2025-12-03 00:00"), at("2025-12-03 06:00")}, "橙色预警 停产"};
    st.set_orders({order});
    std::vector<std::pair<int, PowerTransition>> got;
    for (int i = -10; i <= 370; ++i) {
      for (auto& t : st.feed("E01/P1", at("2025-12-03 00:00") + int64_t{i} * 60, Decimal{100, 0}))
        got.emplace_back(i, t);
    }
    ASSERT_EQ(got.size(), 2u) << grace;
    EXPECT_EQ(got[0].first, grace == 0 ? 14 : 24);
    EXPECT_TRUE(got[0].second.open);
    EXPECT_EQ(got[0].second.event.rule, "production_during_stop");
    EXPECT_EQ(got[0].second.event.line, "E01/P1");
    EXPECT_EQ(got[0].second.event.related, "橙色预警 停产");
    EXPECT_EQ(got[0].second.event.opened, at(grace == 0 ? "2025-12-03 00:00" : "2025-12-03 00:10"));
    EXPECT_EQ(got[1].first, 360);
    EXPECT_FALSE(got[1].second.open);
    EXPECT_EQ(*got[1].second.event.closed, at("2025-12-03 06:00"));
    EXPECT_EQ(got[1].second.event.readings, grace == 0 ? 360 : 350);
    // The same order set again keeps its state: nothing is raised twice.
    st.set_orders({order});
    EXPECT_TRUE(st.feed("E01/P1", at("2025-12-03 06:20"), Decimal{100, 0}).empty());
  }
}

TEST(StopTracker, AStoppedLineRaisesNothingAndAThresholdReadingCountsAsRunning) {
  // P at 49.999 kW (below 50: stopped) through the order -> nothing; then a second order 07:00..08:00 with P
  // at exactly 50.000 kW (at the threshold: running) from 07:00 -> open at 07:14, still open at 07:30; the
  // order ends 08:00 with the next reading at 08:05 (a gap after 07:30): closed where 07:30's interval ends,
  // 07:31.
  StopTracker st;
  st.set_lines(lines());
  st.set_orders({{"E01/P1", {at("2025-12-03 00:00"), at("2025-12-03 06:00")}, "a"},
                 {"E01/P1", {at("2025-12-03 07:00"), at("2025-12-03 08:00")}, "b"}});
  std::vector<PowerTransition> got;
  for (int i = 0; i < 360; ++i) {
    for (auto& t : st.feed("E01/P1", at("2025-12-03 00:00") + int64_t{i} * 60, Decimal{49999, 3}))
      got.push_back(t);
  }
  EXPECT_TRUE(got.empty());
  for (int i = 0; i <= 30; ++i) {
    for (auto& t : st.feed("E01/P1", at("2025-12-03 07:00") + int64_t{i} * 60, Decimal{50000, 3}))
      got.push_back(t);
  }
  for (auto& t : st.feed("E01/P1", at("2025-12-03 08:05"), Decimal{50, 0})) got.push_back(t);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].event.opened, at("2025-12-03 07:00"));
  EXPECT_EQ(got[0].event.related, "b");
  EXPECT_EQ(*got[1].event.closed, at("2025-12-03 07:31"));
  // A restart: the open event of 07:00 taken back by order b continues; unknown lines raise nothing.
  StopTracker again;
  again.set_lines(lines());
  again.set_orders({{"E01/P1", {at("2025-12-03 07:00"), at("2025-12-03 08:00")}, "b"}});
  again.restore_open("E01/P1", at("2025-12-03 07:00"));
  auto t = again.feed("E01/P1", at("2025-12-03 07:40"), Decimal{0, 0});
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(*t[0].event.closed, at("2025-12-03 07:40"));
  EXPECT_TRUE(again.feed("E01/T1", at("2025-12-03 07:41"), Decimal{0, 0}).empty());
}

}  // namespace
}  // namespace ecomon::power
