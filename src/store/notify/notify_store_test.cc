// NotifyStore on every SQL backend (store/test_store_backends.h): acknowledgements kept per event, the
// newest winning, read by the span their events opened in.
#include "store/notify/notify_store.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "store/test_store_backends.h"

namespace ecomon {
namespace {

class NotifyStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    ECOMON_OPEN_TEST_STORES(ts_);
    store_ = &ts_->stores().notify();
  }
  std::unique_ptr<TestStores> ts_;
  NotifyStore* store_ = nullptr;
};

TEST_P(NotifyStoreTest, AcknowledgementsNewestWinsAndSurviveReopen) {
  const EventRef so2{"MN001", "exceedance", "a21026", 20261207081500};
  const EventRef silent{"MN002", "silence", "", 20261207090000};
  const EventRef old{"MN001", "flag_fault", "a21026", 20261130235959};
  ASSERT_TRUE(store_->acknowledge({so2, "zhang", 1000, "已通知企业"}).ok());
  ASSERT_TRUE(store_->acknowledge({silent, "li", 2000, ""}).ok());
  ASSERT_TRUE(store_->acknowledge({old, "li", 3000, "old"}).ok());
  // A second acknowledgement of the same event replaces the first.
  ASSERT_TRUE(store_->acknowledge({so2, "wang", 4000, "note | with a bar"}).ok());
  ASSERT_TRUE(ts_->reopen().ok());
  store_ = &ts_->stores().notify();

  // Opened 2026-12-07 00:00:00 .. 23:59:59: the two of that day, by opening time.
  auto day = store_->acks(20261207000000, 20261207235959);
  ASSERT_TRUE(day.ok()) << day.status().message();
  ASSERT_EQ(day->size(), 2u);
  EXPECT_EQ((*day)[0].event, so2);
  EXPECT_EQ((*day)[0].by, "wang");
  EXPECT_EQ((*day)[0].at_ms, 4000);
  EXPECT_EQ((*day)[0].note, "note | with a bar");
  EXPECT_EQ((*day)[1].event, silent);
  EXPECT_EQ((*day)[1].by, "li");
  EXPECT_EQ((*day)[1].note, "");
  // The bounds are inclusive: the one opened at 23:59:59 on 11-30 alone.
  auto edge = store_->acks(20261130235959, 20261130235959);
  ASSERT_TRUE(edge.ok());
  ASSERT_EQ(edge->size(), 1u);
  EXPECT_EQ((*edge)[0].event, old);
  EXPECT_TRUE(store_->acks(20261201000000, 20261206235959)->empty());
}

TEST_P(NotifyStoreTest, RulesAreAddedListedAndRemoved) {
  auto a = store_->add_rule({.role = "county",
                             .county = "泽州县",
                             .kinds = "exceedance,silence",
                             .levels = "open,escalation",
                             .channel = "webhook",
                             .target = "http://127.0.0.1:9/hook",
                             .created_by = "admin",
                             .created_ms = 11});
  ASSERT_TRUE(a.ok()) << a.status().message();
  auto b = store_->add_rule({.role = "admin",
                             .kinds = "exceedance",
                             .levels = "escalation",
                             .channel = "email",
                             .target = "duty@example.org",
                             .created_by = "admin",
                             .created_ms = 12});
  ASSERT_TRUE(b.ok());
  EXPECT_GT(*b, *a);
  auto all = store_->rules();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, *a);
  EXPECT_EQ((*all)[0].county, "泽州县");
  EXPECT_EQ((*all)[0].kinds, "exceedance,silence");
  EXPECT_EQ((*all)[1].county, "");
  EXPECT_EQ((*all)[1].target, "duty@example.org");
  EXPECT_EQ((*all)[1].created_ms, 12);
  EXPECT_TRUE(*store_->remove_rule(*a));
  EXPECT_FALSE(*store_->remove_rule(*a));
  ASSERT_EQ(store_->rules()->size(), 1u);
  EXPECT_EQ((*store_->rules())[0].id, *b);
}

// Jobs are queued once per rule, event and level; due ones come oldest first; each attempt is logged and
// moves its job on.
TEST_P(NotifyStoreTest, OutboxQueuesOnceAndLogsEveryAttempt) {
  const EventRef ev{"MN001", "exceedance", "a21026", 20261207081500};
  NotifyJob open{.rule_id = 1,
                 .event = ev,
                 .level = "open",
                 .channel = "webhook",
                 .target = "http://h/",
                 .payload = "{}",
                 .next_ms = 100,
                 .created_ms = 100};
  NotifyJob esc = open;
  esc.level = "escalation";
  esc.next_ms = 50;
  NotifyJob other = open;
  other.rule_id = 2;
  other.event.mn = "MN002";
  other.next_ms = 500;
  auto n = store_->enqueue({open, esc, other});
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 3);
  EXPECT_EQ(*store_->enqueue({open, esc}), 0);  // queued before: nothing changes
  EXPECT_EQ(*store_->enqueue({}), 0);

  // Claims with a lease of 1,000 ms. At 100: the escalation (due 50) then the open (due 100); the third is
  // due at 500. A second worker claiming at the same moment gets nothing: both are claimed until 1100.
  auto due = store_->claim_due(100, 10, 1000);
  ASSERT_TRUE(due.ok()) << due.status().message();
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].level, "escalation");
  EXPECT_EQ((*due)[0].next_ms, 50);  // as it was before the claim
  EXPECT_EQ((*due)[1].level, "open");
  EXPECT_EQ((*due)[1].event, ev);
  EXPECT_EQ((*due)[1].state, "pending");
  EXPECT_TRUE(store_->claim_due(100, 10, 1000)->empty());

  // The open one fails once (due again at 2100); the escalation gives up.
  const int64_t job = (*due)[1].id;
  ASSERT_TRUE(store_->record_attempt({job, 1, 100, false, "HTTP 500", 3}, "pending", 2100).ok());
  ASSERT_TRUE(
      store_->record_attempt({(*due)[0].id, 1, 101, false, "timeout after 2000 ms", 2000}, "failed", 0).ok());
  // At 500 the other device's, one per claim (limit 1); its worker then dies without recording an attempt.
  auto other_claim = store_->claim_due(500, 1, 1000);
  ASSERT_EQ(other_claim->size(), 1u);
  EXPECT_EQ((*other_claim)[0].event.mn, "MN002");
  // Held until 500 + 1000 = 1500: nothing at 1499; at 1500 it is due again, with no attempt counted.
  EXPECT_TRUE(store_->claim_due(1499, 10, 1000)->empty());
  auto reclaimed = store_->claim_due(1500, 10, 1000);
  ASSERT_EQ(reclaimed->size(), 1u);
  EXPECT_EQ((*reclaimed)[0].event.mn, "MN002");
  EXPECT_EQ((*reclaimed)[0].attempts, 0);
  // At 2099 nothing (the retry is due at 2100, MN002 held until 2500); at 2100 the retry, attempted once.
  EXPECT_TRUE(store_->claim_due(2099, 10, 1000)->empty());
  auto retry = store_->claim_due(2100, 10, 1000);
  ASSERT_EQ(retry->size(), 1u);
  EXPECT_EQ((*retry)[0].id, job);
  EXPECT_EQ((*retry)[0].attempts, 1);
  ASSERT_TRUE(store_->record_attempt({job, 2, 2100, true, "HTTP 200", 4}, "sent", 2100).ok());
  // Sent is never claimed again; at 2500 MN002's lease ends once more.
  auto last = store_->claim_due(2500, 10, 1000);
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].event.mn, "MN002");

  // The log, newest first: HTTP 200, the timeout, HTTP 500.
  auto log = store_->log({});
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].attempt.detail, "HTTP 200");
  EXPECT_TRUE((*log)[0].attempt.ok);
  EXPECT_EQ((*log)[0].attempt.attempt, 2);
  EXPECT_EQ((*log)[0].job.state, "sent");
  EXPECT_EQ((*log)[0].job.attempts, 2);
  EXPECT_EQ((*log)[1].attempt.detail, "timeout after 2000 ms");
  EXPECT_EQ((*log)[1].job.state, "failed");
  EXPECT_EQ((*log)[2].attempt.detail, "HTTP 500");
  EXPECT_FALSE((*log)[2].attempt.ok);
  EXPECT_EQ((*log)[2].attempt.took_ms, 3);
  EXPECT_EQ(store_->log({.limit = 1})->size(), 1u);
  EXPECT_EQ(store_->log({.since_ms = 2100})->size(), 1u);
  EXPECT_EQ(store_->log({.mn = "MN002"})->size(), 0u);
  EXPECT_EQ(store_->log({.rule_id = 1})->size(), 3u);
  EXPECT_EQ(store_->log({.rule_id = 2})->size(), 0u);
}

// Two workers (two connections, as two `serve` processes would have) claiming the same outbox at once:
// every job is claimed by exactly one of them.
TEST_P(NotifyStoreTest, TwoWorkersNeverClaimOneJob) {
  constexpr int kJobs = 120;
  std::vector<NotifyJob> jobs;
  for (int i = 0; i < kJobs; ++i) {
    jobs.push_back({.rule_id = 1,
                    .event = {"MN" + std::to_string(i), "silence", "", 20261207000000},
                    .level = "open",
                    .channel = "webhook",
                    .target = "http://h/",
                    .payload = "{}",
                    .next_ms = i,
                    .created_ms = 0});
  }
  ASSERT_EQ(*store_->enqueue(jobs), kJobs);
  auto other = ts_->open_another();
  ASSERT_TRUE(other.ok()) << other.status().message();
  std::vector<int64_t> got[2];
  Status failed[2];
  auto work = [&](NotifyStore& s, int w) {
    while (true) {
      auto c = s.claim_due(1000, 7, 60000);
      if (!c.ok()) {
        failed[w] = c.status();
        return;
      }
      if (c->empty()) return;
      for (const NotifyJob& j : *c) got[w].push_back(j.id);
    }
  };
  std::thread a(work, std::ref(*store_), 0);
  std::thread b(work, std::ref((*other)->notify()), 1);
  a.join();
  b.join();
  ASSERT_TRUE(failed[0].ok()) << failed[0].message();
  ASSERT_TRUE(failed[1].ok()) << failed[1].message();
  std::set<int64_t> all(got[0].begin(), got[0].end());
  for (int64_t id : got[1]) EXPECT_TRUE(all.insert(id).second) << "job " << id << " claimed twice";
  EXPECT_EQ(all.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(got[0].size() + got[1].size(), static_cast<size_t>(kJobs));
}

INSTANTIATE_TEST_SUITE_P(Backends, NotifyStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
