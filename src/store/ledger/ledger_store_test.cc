// The stored ledger: idempotent, all-or-nothing import of the demo plans; status, progress, problems and
// evidence with the role rule, the transitions and the audit trail; refused writes store nothing.
#include "store/ledger/ledger_store.h"

#include <gtest/gtest.h>

#include "store/test_store_backends.h"

#include <fstream>

#include "testing/temp_dir.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;

CivilDay day(int y, int m, int d) { return CivilDay::from_ymd(y, m, d); }

const fs::path kDemo = fs::path(ECOMON_SOURCE_DIR) / "demo/ledger";
const Who kAdmin{Actor::operator_cli(), "王科长", "2021-05-01T08:00:00Z"};
const Who kZezhou{Actor{"zz", Role::kCounty, "泽州县", ""}, "", "2021-07-01T09:00:00Z"};
const Who kGaoping{Actor{"gp", Role::kCounty, "高平市", ""}, "", "2021-07-01T09:00:00Z"};
const Who kPublic{Actor{"pub", Role::kPublic, "", ""}, "", ""};

// On every backend (store/test_store_backends.h).
class LedgerStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    ECOMON_OPEN_TEST_STORES(ts_);
    store_ = &ts_->stores().ledger();
  }
  // What `ecomon ledger import` does: parse the directory (all-or-nothing), then store it.
  StatusOr<LedgerImportResult> import_dir(const fs::path& dir, const Who& who) {
    ECOMON_RETURN_IF_ERROR(check_import(who.actor));
    auto data = load_ledger_dir(dir);
    if (!data.ok()) return data.status();
    return store_->import_data(*data, who);
  }
  void import_demo() {
    auto r = import_dir(kDemo, kAdmin);
    ASSERT_TRUE(r.ok()) << r.status().message();
  }
  size_t history_size() { return store_->history("")->size(); }
  testing::TempDir dir_{"ledger_store"};
  std::unique_ptr<TestStores> ts_;
  LedgerStore* store_ = nullptr;
};

TEST_P(LedgerStoreTest, ImportTwiceChangesNothing) {
  auto r = import_dir(kDemo, kAdmin);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // docs/ledger.md "What the demo files hold": 5 plans; 47 + 32 + 28 + 39 + 16 + 13 = 175 tasks; 38 targets.
  EXPECT_EQ(r->plans_new, 5);
  EXPECT_EQ(r->tasks_new, 175);
  EXPECT_EQ(r->targets_new, 38);
  EXPECT_TRUE(r->changed());
  auto again = import_dir(kDemo, kAdmin);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed());
  EXPECT_EQ(again->tasks_same, 175);
  EXPECT_EQ(again->targets_same, 38);
  EXPECT_EQ(again->plans_same, 5);
  auto h = store_->history("");
  ASSERT_EQ(h->size(), 1u) << "the second import records nothing";
  EXPECT_EQ((*h)[0].action, "import");
  EXPECT_EQ((*h)[0].change.operator_name, "王科长");
  auto recs = store_->records();
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 175u);
  auto t = store_->record("air-2021/21");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->task.quantities.size(), 1u);
  EXPECT_EQ(quantity_text(t->task.quantities[0]), "淘汰:757 辆");
  EXPECT_EQ(t->task.deadline->due, day(2021, 12, 31));
  EXPECT_EQ(t->plan_issued, day(2021, 4, 8));
  EXPECT_EQ(store_->targets()->size(), 38u);
  EXPECT_EQ(store_->record("air-2021/999").status().code(), StatusCode::kNotFound);
}

TEST_P(LedgerStoreTest, ImportIsAllOrNothingAndBureauOnly) {
  fs::path bad = dir_.path() / "bad";
  fs::create_directories(bad);
  fs::copy_file(kDemo / "plans.csv", bad / "plans.csv");
  fs::copy_file(kDemo / "air-2021.tasks.csv", bad / "air-2021.tasks.csv");
  std::ofstream(bad / "x.tasks.csv")
      << "plan,category,no,task,lead_units,responsible_units,deadline,quantity\n"
         "air-2021,c,x1,任务,,,2021年底前,\n"
         "air-2021,c,x2,任务,市环保局,,赛前,\n"
         "air-2021,c,x3,任务,市环保局,,,757 辆次\n";
  auto r = import_dir(bad, kAdmin);
  ASSERT_FALSE(r.ok());
  const std::string& m = r.status().message();
  EXPECT_NE(m.find("x.tasks.csv:2 [lead_units]: task has no owner"), std::string::npos) << m;
  EXPECT_NE(m.find("x.tasks.csv:3 [deadline]: not understood: '赛前'"), std::string::npos) << m;
  EXPECT_NE(m.find("x.tasks.csv:4 [quantity]: unknown unit '辆次'"), std::string::npos) << m;
  EXPECT_TRUE(store_->records()->empty()) << "the good file is not stored either";
  EXPECT_TRUE(store_->plans()->empty());
  EXPECT_EQ(history_size(), 0u);
  auto refused = import_dir(kDemo, kPublic);
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(store_->records()->empty());
}

TEST_P(LedgerStoreTest, StatusFlowWithEvidenceAndHistory) {
  import_demo();
  const std::string id = "air-2021/21";
  ASSERT_TRUE(store_->change_status(id, TaskStatus::kInProgress, day(2021, 5, 1), "已部署", kAdmin).ok());
  Status early = store_->change_status(id, TaskStatus::kClosed, day(2021, 5, 2), "", kAdmin);
  EXPECT_EQ(early.message(),
            "task air-2021/21: status 进行中 → 销号 refused: only a 完成 (done) task can be closed (销号)");
  Status back = store_->change_status(id, TaskStatus::kDone, day(2021, 4, 30), "", kAdmin);
  EXPECT_EQ(back.message(),
            "task air-2021/21: the change takes effect 2021-04-30, before the last change (2021-05-01)");
  ASSERT_TRUE(store_->change_status(id, TaskStatus::kDone, day(2021, 11, 30), "757辆已淘汰", kAdmin).ok());
  Status no_evidence = store_->change_status(id, TaskStatus::kClosed, day(2021, 12, 5), "", kAdmin);
  EXPECT_EQ(no_evidence.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(no_evidence.message().find("needs at least one evidence"), std::string::npos);
  // An attachment's metadata: "abc" has the SHA-256 of FIPS 180-2's first example.
  fs::path f = dir_.path() / "验收报告.pdf";
  std::ofstream(f, std::ios::binary) << "abc";
  auto meta = attachment_metadata(f);
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ(meta->sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(meta->size, 3);
  EXPECT_EQ(meta->file_name, "验收报告.pdf");
  meta->note = "市交通局验收";
  auto ev = store_->add_evidence(id, *meta, kAdmin);
  ASSERT_TRUE(ev.ok()) << ev.status().message();
  // A county may not close even its own task; the bureau may.
  Status county_close = store_->change_status(id, TaskStatus::kClosed, day(2021, 12, 5), "", kZezhou);
  EXPECT_EQ(county_close.code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(store_->change_status(id, TaskStatus::kClosed, day(2021, 12, 5), "销号", kAdmin).ok());
  Status after = store_->change_status(id, TaskStatus::kInProgress, day(2021, 12, 6), "", kAdmin);
  EXPECT_NE(after.message().find("销号 is final"), std::string::npos);

  auto rec = store_->record(id);
  ASSERT_TRUE(rec.ok());
  ASSERT_EQ(rec->status_changes.size(), 3u);
  EXPECT_EQ(rec->status_changes[2].to, TaskStatus::kClosed);
  EXPECT_EQ(rec->status_changes[0].change.operator_name, "王科长");
  EXPECT_EQ(rec->status_changes[0].change.user, "cli");
  EXPECT_EQ(rec->status_changes[0].change.at, "2021-05-01T08:00:00Z");
  EXPECT_EQ(status_as_of(rec->status_changes, day(2021, 11, 29)), TaskStatus::kInProgress);
  ASSERT_EQ(rec->evidence.size(), 1u);
  EXPECT_EQ(rec->evidence[0].sha256, meta->sha256);
  auto h = store_->history(id);
  ASSERT_EQ(h->size(), 4u);  // in progress, done, evidence, closed: refusals leave no trace
  EXPECT_EQ((*h)[0].detail, "2021-05-01 未开始 → 进行中: 已部署");
  EXPECT_EQ((*h)[2].action, "evidence");
  EXPECT_EQ((*h)[3].detail, "2021-12-05 完成 → 销号: 销号");
}

TEST_P(LedgerStoreTest, CountiesReportTheirPartOfASharedTask) {
  import_demo();
  const std::string id = "air-2021/21";  // 757 trucks; 责任单位 include 各县（市、区）人民政府
  ASSERT_TRUE(store_->add_progress(id, "", "100 辆", day(2021, 6, 30), "泽州县淘汰", kZezhou).ok());
  ASSERT_TRUE(store_->add_progress(id, "淘汰", "50", day(2021, 6, 30), "", kAdmin).ok());
  Status status = store_->change_status(id, TaskStatus::kInProgress, day(2021, 7, 1), "", kZezhou);
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(status.message().find("report progress for 泽州县 instead"), std::string::npos)
      << status.message();
  Status unit = store_->add_progress(id, "", "3 户", day(2021, 6, 30), "", kAdmin);
  EXPECT_EQ(unit.message(), "amount '3 户': unit '户' does not match the task's quantity unit '辆'");
  Status none = store_->add_progress("air-2021/1", "", "1", day(2021, 6, 30), "", kAdmin);
  EXPECT_EQ(none.message(), "task air-2021/1 has no quantity to report progress against");
  Status pub = store_->add_progress(id, "", "1", day(2021, 6, 30), "", kPublic);
  EXPECT_EQ(pub.code(), StatusCode::kPermissionDenied);

  auto rec = store_->record(id);
  ASSERT_EQ(rec->progress.size(), 2u) << "refused and invalid reports are not stored";
  EXPECT_EQ(rec->progress[0].county, "泽州县");
  EXPECT_EQ(rec->progress[1].county, "");
  // 150 of 757 over 2021-04-08..06-30 (84 days), 184 days left: 150 × 268 / 84 = 478.6 < 757, behind pace.
  TaskView v = view_task(*rec, day(2021, 6, 30));
  EXPECT_EQ(v.progress[0].done, Decimal::of_int(150));
  EXPECT_EQ(v.progress[0].share, (Rational{150, 757}));
  EXPECT_EQ(v.on_pace, false);
  EXPECT_EQ(store_->history(id)->size(), 2u);
}

TEST_P(LedgerStoreTest, ProblemsNeedAllFiveFieldsAndAKnownDeadline) {
  import_demo();
  const std::string id = "water-2021/3";  // 巴公河薛庄湿地, 泽州县政府
  ProblemInput p{"湿地进水口未完工", "泽州县政府", "增派施工力量", "2021年8月底前"};
  auto ok = store_->add_problem(id, p, kZezhou);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  auto other = store_->add_problem(id, p, kGaoping);
  EXPECT_EQ(other.status().message(),
            "user 'gp' (county) may not change task water-2021/3: none of its units is of 高平市");
  p.deadline_text = "赛前";
  auto bad = store_->add_problem(id, p, kAdmin);
  EXPECT_EQ(bad.status().message().rfind("deadline: not understood: '赛前'", 0), 0u)
      << bad.status().message();
  p.measure = "";
  EXPECT_EQ(store_->add_problem(id, p, kAdmin).status().code(), StatusCode::kInvalidArgument);
  auto rec = store_->record(id);
  ASSERT_EQ(rec->problems.size(), 1u);
  EXPECT_EQ(rec->problems[0].due, day(2021, 8, 31));
  EXPECT_EQ(rec->problems[0].county, "泽州县");
  EXPECT_EQ(store_->add_evidence(id, EvidenceInput{}, kAdmin).status().code(), StatusCode::kInvalidArgument);
  EvidenceInput huge{std::string(5000, 'x'), "", 0, ""};
  EXPECT_EQ(store_->add_evidence(id, huge, kAdmin).status().message(), "note: 5000 bytes, at most 4000");
}

}  // namespace
}  // namespace ecomon

namespace ecomon {
namespace {

// The concern through the Stores bundle: the tables are migration 1's (the store runs no DDL of its own), and
// a write made through one bundle is read through another connection to the same file.
class LedgerThroughStores : public ::testing::TestWithParam<StoreBackend> {};

TEST_P(LedgerThroughStores, SharedConnectionAndMigratedTables) {
  std::unique_ptr<TestStores> ts;
  ECOMON_OPEN_TEST_STORES(ts);
  EXPECT_TRUE(ts->stores().ledger().records()->empty());
  auto data = load_ledger_dir(kDemo);
  ASSERT_TRUE(data.ok());
  ASSERT_TRUE(ts->stores().ledger().import_data(*data, kAdmin).ok());
  ASSERT_TRUE(ts->reopen().ok());
  EXPECT_EQ(ts->stores().ledger().records()->size(), 175u);
  EXPECT_EQ(ts->stores().ledger().targets()->size(), 38u);
}

INSTANTIATE_TEST_SUITE_P(Backends, LedgerThroughStores, store_backends(), store_backend_name);

INSTANTIATE_TEST_SUITE_P(Backends, LedgerStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
