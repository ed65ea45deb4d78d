// The command queue through the service over the SQLite stores (app/sources.h): requests checked (names,
// argument counts, the standard's ranges), bureau-only, registered devices only; a command's progress written
// and read back.
#include "store/sources/command_store.h"

#include "app/sources.h"

#include <gtest/gtest.h>

#include "store/test_store_backends.h"

namespace ecomon {
namespace {

constexpr char kMn[] = "E0C000000000000000000000";

// On every backend (store/test_store_backends.h).
class CommandStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    ECOMON_OPEN_TEST_STORES(ts_);
    DeviceRecord d;
    d.mn = kMn;
    d.password = "123456";
    ASSERT_TRUE(ts_->stores().sources().upsert_device(d).ok());
    stores_ = &ts_->stores();
  }
  std::unique_ptr<TestStores> ts_;
  Stores* stores_ = nullptr;
  const Actor bureau{"wang", Role::kAnalyst, "", ""};
};

TEST_P(CommandStoreTest, BadRequestsAreRefusedWithTheReason) {
  auto err = [&](CommandRequest r, const Actor& a) {
    return app::enqueue_source_command(*stores_, a, r, 1).status();
  };
  EXPECT_EQ(
      err({kMn, "reboot", {}}, bureau).message(),
      "unknown command 'reboot' (one of set-time, get-time, set-interval, get-interval, set-min-interval, "
      "get-min-interval, get-info, calibrate, sample-now, standard-check, set-mn)");
  // set-mn exists (the 1002 of provisioning) but is never queued through the commands path, even by an admin.
  const Actor admin{"root", Role::kAdmin, "", ""};
  auto set_mn = app::enqueue_source_command(*stores_, admin, {kMn, "set-mn", {"HW1"}}, 1).status();
  EXPECT_EQ(set_mn.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(set_mn.message(),
            "set-mn is provisioning: `ecomon sources provision` (POST /api/sources/provision), "
            "administrators only");
  EXPECT_EQ(err({kMn, "set-interval", {}}, bureau).message(),
            "set-interval takes 1 argument(s), got 0: set-interval SECONDS");
  EXPECT_EQ(err({kMn, "set-interval", {"abc"}}, bureau).message(),
            "set-interval: 'abc' is not a whole number of seconds");
  // HJ 212-2017: RtdInterval 30..3600 s; MinInterval one of 1 2 3 4 5 6 10 12 15 20 30.
  EXPECT_EQ(err({kMn, "set-interval", {"20"}}, bureau).message(),
            "set-interval: RtdInterval must be 30..3600 s, got 20");
  EXPECT_EQ(err({kMn, "set-min-interval", {"7"}}, bureau).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(err({kMn, "get-info", {"i12001", "a;b"}}, bureau).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(err({"E0C0FFFFFFFFFFFFFFFFFFFF", "get-time", {}}, bureau).code(), StatusCode::kNotFound);
  const Actor county{"li", Role::kCounty, "泽州县", ""};
  EXPECT_EQ(err({kMn, "get-time", {}}, county).code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(stores_->source_commands().commands("", 10)->empty());  // nothing was queued
}

TEST_P(CommandStoreTest, QueuedCommandProgressIsKept) {
  auto c = app::enqueue_source_command(*stores_, bureau, {kMn, "set-interval", {"60"}}, 1700000000000);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->cn, 1062);
  EXPECT_EQ(c->argument, "60");
  EXPECT_EQ(c->state, "queued");
  EXPECT_EQ(stores_->source_commands().pending()->size(), 1u);
  c->state = std::string(kCommandDone);
  c->qn = "20240301100000000";
  c->attempts = 1;
  c->qn_rtn = 1;
  c->exe_rtn = 1;
  c->finished_ms = 1700000000500;
  ASSERT_TRUE(stores_->source_commands().update(*c).ok());
  auto back = stores_->source_commands().command(c->id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->state, "done");
  EXPECT_EQ(back->created_by, "wang");
  EXPECT_EQ(back->exe_rtn, 1);
  EXPECT_TRUE(back->finished());
  EXPECT_TRUE(stores_->source_commands().pending()->empty());
  // The frame: the standard's App. A example of 1062 (RtdInterval=30) has CRC 1C80.
  SourceCommand ex = *back;
  ex.mn = "010000A8900016F000169DC0";
  ex.argument = "30";
  EXPECT_EQ(encode_command(ex, "20160801085857223", "32", "100000", hj212::Timestamp{}).value(),
            "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&RtdInterval=30&&1C80\r\n");
}

INSTANTIATE_TEST_SUITE_P(Backends, CommandStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
