// The event store: transitions stored idempotently (the same open or close twice changes nothing), a
// back-filled event closed by its own close, queries by period and device, and the watched spans.
#include "store/sources/event_store.h"

#include <gtest/gtest.h>

#include "store/test_store_backends.h"

namespace ecomon {
namespace {

using sources::EventKind;
using sources::EventTransition;
using sources::SourceTime;
using sources::Transition;

constexpr char kMn[] = "010000A8900016F000169DC0";

SourceTime at(std::string_view s) { return SourceTime::parse(s).value(); }

EventTransition exceedance(Transition tr, std::string_view when, bool backfill = false) {
  EventTransition t;
  t.transition = tr;
  t.key = {kMn, EventKind::kExceedance, "a21002", sources::DataFlag::kNormal};
  t.at = at(when);
  t.data_time = at(when);
  t.backfill = backfill;
  if (tr == Transition::kOpen) {
    t.value = Decimal{805, 1};
    t.limit = Decimal{50, 0};
    t.cause = sources::ExceedanceCause::kAboveLimit;
  }
  return t;
}

// On every backend (store/test_store_backends.h).
class EventStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    ECOMON_OPEN_TEST_STORES(ts_);
    es_ = &ts_->stores().source_events();
  }
  std::unique_ptr<TestStores> ts_;
  SourceEventStore* es_ = nullptr;
};

TEST_P(EventStoreTest, OpenAndCloseAreIdempotent) {
  const std::vector<EventTransition> open = {exceedance(Transition::kOpen, "2024-03-01 10:00")};
  EXPECT_EQ(es_->apply(open, 1000).value(), 1);
  EXPECT_EQ(es_->apply(open, 2000).value(), 0);  // stored before: nothing changes
  auto rows = es_->events({});
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_FALSE((*rows)[0].closed_at);
  EXPECT_EQ((*rows)[0].raised_ms, 1000);  // the first time it was stored
  EXPECT_EQ((*rows)[0].open.value, (Decimal{805, 1}));
  EXPECT_EQ((*rows)[0].open.cause, sources::ExceedanceCause::kAboveLimit);

  const std::vector<EventTransition> close = {exceedance(Transition::kClose, "2024-03-01 12:00")};
  EXPECT_EQ(es_->apply(close, 3000).value(), 1);
  EXPECT_EQ(es_->apply(close, 4000).value(), 0);  // closed already
  rows = es_->events({});
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].closed_at, at("2024-03-01 12:00"));
  EXPECT_EQ((*rows)[0].closed_ms, 3000);
}

TEST_P(EventStoreTest, BackfilledEventIsClosedByItsOwnCloseNotTheLiveOne) {
  ASSERT_TRUE(es_->apply(std::vector{exceedance(Transition::kOpen, "2024-03-01 10:00")}, 1).ok());
  // A late 08:00 hour: its own one-hour event, 08:00-09:00, while the 10:00 event stays open.
  ASSERT_EQ(es_->apply(std::vector{exceedance(Transition::kOpen, "2024-03-01 08:00", true),
                                   exceedance(Transition::kClose, "2024-03-01 09:00", true)},
                       2)
                .value(),
            2);
  auto rows = es_->events({});
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].open.at, at("2024-03-01 08:00"));
  EXPECT_EQ((*rows)[0].closed_at, at("2024-03-01 09:00"));
  EXPECT_TRUE((*rows)[0].open.backfill);
  EXPECT_FALSE((*rows)[1].closed_at);
  EXPECT_EQ(es_->events({.open_only = true})->size(), 1u);
}

TEST_P(EventStoreTest, QueriesByPeriodAndDevice) {
  ASSERT_TRUE(es_->apply(std::vector{exceedance(Transition::kOpen, "2024-03-01 10:00"),
                                     exceedance(Transition::kClose, "2024-03-01 12:00")},
                         1)
                  .ok());
  // Overlapping [from, to]: closed at 12:00 is inside a period from 12:00; not in one from 12:00:01.
  EXPECT_EQ(es_->events({.from = at("2024-03-01 12:00"), .to = at("2024-03-02 00:00")})->size(), 1u);
  EXPECT_EQ(es_->events({.from = at("2024-03-01 12:00:01"), .to = at("2024-03-02 00:00")})->size(), 0u);
  EXPECT_EQ(es_->events({.to = at("2024-03-01 09:59:59")})->size(), 0u);
  EXPECT_EQ(es_->events({.mn = "0000"})->size(), 0u);
  EXPECT_EQ(es_->events({.closed_since = at("2024-03-01 12:00")})->size(), 1u);
}

TEST_P(EventStoreTest, WatchedSpansJoin) {
  EXPECT_FALSE(es_->watched(at("2024-03-01 00:00"), at("2024-03-01 01:00")).value());
  EXPECT_FALSE(es_->watched(std::nullopt, at("2024-03-01 01:00")).value());  // never watched
  ASSERT_TRUE(es_->note_watch(at("2024-03-01 00:00"), at("2024-03-01 06:00")).ok());
  ASSERT_TRUE(es_->note_watch(at("2024-03-01 00:00"), at("2024-03-01 08:00")).ok());  // the span grows
  ASSERT_TRUE(es_->note_watch(at("2024-03-01 08:00"), at("2024-03-01 12:00")).ok());  // adjacent: joins
  EXPECT_TRUE(es_->watched(at("2024-03-01 01:00"), at("2024-03-01 11:00")).value());
  // A span counts 180 s past its noted end (the gateway notes it at each silence check).
  EXPECT_TRUE(es_->watched(at("2024-03-01 01:00"), at("2024-03-01 12:03")).value());
  EXPECT_FALSE(es_->watched(at("2024-03-01 01:00"), at("2024-03-01 12:03:01")).value());
  ASSERT_TRUE(es_->note_watch(at("2024-03-01 13:00"), at("2024-03-01 14:00")).ok());  // a gap 12:03-13:00
  EXPECT_FALSE(es_->watched(at("2024-03-01 11:00"), at("2024-03-01 13:30")).value());
  EXPECT_TRUE(es_->watched(std::nullopt, at("2024-03-01 12:00")).value());  // from the first span, 00:00
  EXPECT_FALSE(es_->watched(std::nullopt, at("2024-03-01 13:30")).value());
}

INSTANTIATE_TEST_SUITE_P(Backends, EventStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
