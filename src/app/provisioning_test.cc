// Provisioning a logger from the pending list (app/provisioning.h) over a temp-file SQLite store: admin only,
// the MN checked, the device registered with the logger's PW and a 1002 queued carrying its 数采仪ID.
#include "app/provisioning.h"

#include <gtest/gtest.h>

#include "store/sqlite_stores.h"
#include "testing/temp_dir.h"

namespace ecomon {
namespace {

constexpr char kMn[] = "010000A8900016F000169DC0";  // the spec note's H2 example MN

class ProvisioningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_sqlite_stores((dir_.path() / "p.db").string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    stores_ = std::move(*s);
    ASSERT_TRUE(stores_->pending_devices()
                    .record_sighting({.hardware_id = "6970000000001ABCDEFG1234",
                                      .cpu_id = "A800200A8C6D",
                                      .mac1 = "E86A643C7BBC",
                                      .mac2 = "A763742C1AE1",
                                      .st = "31",
                                      .pw = "123456",
                                      .peer = "127.0.0.1:5000",
                                      .seen_ms = 1000})
                    .ok());
    id_ = stores_->pending_devices().list()->front().id;
  }
  testing::TempDir dir_{"provisioning"};
  std::unique_ptr<Stores> stores_;
  int64_t id_ = 0;
  const Actor admin{"li", Role::kAdmin, "", ""};
  const Actor analyst{"wang", Role::kAnalyst, "", ""};
  const Actor county{"zhao", Role::kCounty, "泽州县", ""};
};

TEST_F(ProvisioningTest, AdminAssignsTheMnRegistersTheDeviceAndQueuesA1002) {
  auto p = app::provision_pending_device(*stores_, admin,
                                         {.pending_id = id_, .mn = kMn, .enterprise = "晋城电厂"}, 5000);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->device.mn, kMn);
  EXPECT_EQ(p->device.assigned_by, "li");
  EXPECT_EQ(p->command.cn, 1002);
  EXPECT_EQ(p->command.name, "set-mn");
  EXPECT_EQ(p->command.argument, "6970000000001ABCDEFG1234");
  EXPECT_EQ(p->command.mn, kMn);
  EXPECT_EQ(p->command.state, kCommandQueued);
  auto devices = stores_->sources().devices();
  ASSERT_TRUE(devices.ok());
  ASSERT_EQ(devices->size(), 1u);
  EXPECT_EQ(devices->front().mn, kMn);
  EXPECT_EQ(devices->front().password, "123456");  // the PW of its 1001
  EXPECT_EQ(devices->front().protocol, 2025);
  EXPECT_EQ(devices->front().enterprise, "晋城电厂");
  // The frame the gateway will send: header MN the assigned one, CP the 数采仪ID.
  auto frame = encode_command(p->command, "20240601085857223", "32", "123456", hj212::Timestamp{},
                              hj212::ProtocolVersion::k2025);
  ASSERT_TRUE(frame.ok());
  EXPECT_NE(frame->find("CN=1002;PW=123456;MN=010000A8900016F000169DC0;Flag=9;CP=&&i23005-Info="
                        "6970000000001ABCDEFG1234&&"),
            std::string::npos)
      << *frame;
  // Twice: refused, nothing more queued.
  auto again = app::provision_pending_device(*stores_, admin, {.pending_id = id_, .mn = kMn}, 6000);
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(stores_->source_commands().commands("", 10)->size(), 1u);
}

TEST_F(ProvisioningTest, OnlyAnAdminProvisionsAndTheBureauLists) {
  for (const Actor* who : {&analyst, &county}) {
    auto p = app::provision_pending_device(*stores_, *who, {.pending_id = id_, .mn = kMn}, 5000);
    EXPECT_EQ(p.status().code(), StatusCode::kPermissionDenied) << who->user;
  }
  EXPECT_FALSE(stores_->pending_devices().get(id_)->assigned());
  EXPECT_TRUE(stores_->sources().devices()->empty());
  EXPECT_EQ(app::pending_devices(*stores_, analyst)->size(), 1u);
  EXPECT_EQ(app::pending_devices(*stores_, county).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(ProvisioningTest, BadRequestsAreRefusedBeforeAnythingIsWritten) {
  // Not 24 characters of 0-9 A-F.
  for (const char* mn :
       {"", "010000A8900016F000169DC", "010000a8900016F000169DC0", "010000A8900016F000169DCG"}) {
    auto p = app::provision_pending_device(*stores_, admin, {.pending_id = id_, .mn = mn}, 5000);
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument) << mn;
  }
  auto p = app::provision_pending_device(*stores_, admin, {.pending_id = id_ + 1, .mn = kMn}, 5000);
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
  // An MN registered already is not handed out again.
  DeviceRecord d;
  d.mn = kMn;
  d.password = "654321";
  ASSERT_TRUE(stores_->sources().upsert_device(d).ok());
  p = app::provision_pending_device(*stores_, admin, {.pending_id = id_, .mn = kMn}, 5000);
  EXPECT_EQ(p.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(stores_->pending_devices().get(id_)->assigned());
  EXPECT_TRUE(stores_->source_commands().commands("", 10)->empty());
}

}  // namespace
}  // namespace ecomon
