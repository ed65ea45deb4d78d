#include "ingest/hj212/reassembler.h"

#include <gtest/gtest.h>

#include "ingest/hj212/encoder.h"

namespace ecomon::hj212 {
namespace {

constexpr std::string_view kMn = "010000A8900016F000169DC0";

// Part pno of pnum of the message identified by qn; each part carries one item "p<pno>-Rtd=<pno>".
std::string part(std::string_view qn, uint16_t pnum, uint16_t pno, std::string_view cn = "2061") {
  const std::string cp = "DataTime=20240101000000;p" + std::to_string(pno) + "-Rtd=" + std::to_string(pno);
  return *encode_frame(HeaderFields{.qn = qn,
                                    .st = "22",
                                    .cn = cn,
                                    .pw = "123456",
                                    .mn = kMn,
                                    .flag = kFlagVersion2017 | kFlagSplitPacket,
                                    .pnum = pnum,
                                    .pno = pno},
                       cp);
}

PartResult add(Reassembler* r, const std::string& frame, int64_t now_ms) {
  Message m;
  const FrameError e = decode_frame(frame, DecodeOptions{}, &m);
  EXPECT_TRUE(e.ok()) << e.to_string();
  return r->add(m, now_ms);
}

TEST(Reassembler, OutOfOrderWithDuplicates) {
  Reassembler r;
  const std::string qn = "20240101010000001";
  EXPECT_EQ(add(&r, part(qn, 3, 2), 0).outcome, PartOutcome::kStored);
  EXPECT_EQ(add(&r, part(qn, 3, 2), 1).outcome, PartOutcome::kDuplicate);
  EXPECT_EQ(add(&r, part(qn, 3, 3), 2).outcome, PartOutcome::kStored);
  EXPECT_EQ(r.pending_messages(), 1U);
  PartResult done = add(&r, part(qn, 3, 1), 3);
  ASSERT_EQ(done.outcome, PartOutcome::kCompleted);
  ASSERT_NE(done.message, nullptr);
  const auto& cp = done.message->cp();
  ASSERT_EQ(cp.size(), 4U);  // DataTime once, then p1 p2 p3 in PNO order
  EXPECT_EQ(cp[0].key, "DataTime");
  EXPECT_EQ(cp[1].key, "p1-Rtd");
  EXPECT_EQ(cp[2].key, "p2-Rtd");
  EXPECT_EQ(cp[3].key, "p3-Rtd");
  EXPECT_EQ(done.message->header().pno, 1);
  EXPECT_EQ(done.message->parts().size(), 3U);
  EXPECT_EQ(r.pending_messages(), 0U);
  EXPECT_EQ(r.pending_bytes(), 0U);
  EXPECT_EQ(r.stats().duplicates, 1U);
  // A late duplicate after completion starts a new (incomplete) message; it expires later.
  EXPECT_EQ(add(&r, part(qn, 3, 2), 4).outcome, PartOutcome::kStored);
}

TEST(Reassembler, InterleavedMessagesAreKeptApartByQnMnCn) {
  Reassembler r;
  EXPECT_EQ(add(&r, part("20240101010000001", 2, 1), 0).outcome, PartOutcome::kStored);
  EXPECT_EQ(add(&r, part("20240101010000002", 2, 1), 0).outcome, PartOutcome::kStored);
  EXPECT_EQ(add(&r, part("20240101010000001", 2, 1, "2051"), 0).outcome, PartOutcome::kStored);
  EXPECT_EQ(r.pending_messages(), 3U);
  EXPECT_EQ(add(&r, part("20240101010000002", 2, 2), 0).outcome, PartOutcome::kCompleted);
  EXPECT_EQ(r.pending_messages(), 2U);
}

TEST(Reassembler, SinglePartMessageCompletesAtOnce) {
  Reassembler r;
  EXPECT_EQ(add(&r, part("20240101010000001", 1, 1), 0).outcome, PartOutcome::kCompleted);
}

TEST(Reassembler, RejectsNonSplitAndInconsistentParts) {
  Reassembler r;
  Message m;
  const std::string plain = *encode_frame(
      HeaderFields{.qn = "20240101010000001", .st = "22", .cn = "2011", .pw = "123456", .mn = kMn}, "");
  ASSERT_TRUE(decode_frame(plain, DecodeOptions{}, &m).ok());
  EXPECT_EQ(r.add(m, 0).outcome, PartOutcome::kRejected);
  EXPECT_EQ(add(&r, part("20240101010000001", 3, 1), 0).outcome, PartOutcome::kStored);
  const PartResult bad = add(&r, part("20240101010000001", 4, 2), 0);
  EXPECT_EQ(bad.outcome, PartOutcome::kRejected);
  EXPECT_NE(bad.reason.find("PNUM"), std::string::npos);
  EXPECT_EQ(r.stats().rejected, 2U);
}

TEST(Reassembler, IncompleteMessagesExpire) {
  Reassembler r(ReassemblyOptions{.timeout_ms = 1000});
  EXPECT_EQ(add(&r, part("20240101010000001", 2, 1), 0).outcome, PartOutcome::kStored);
  EXPECT_EQ(r.expire(1000), 0U);
  EXPECT_EQ(r.expire(1001), 1U);
  EXPECT_EQ(r.pending_messages(), 0U);
  EXPECT_EQ(r.pending_bytes(), 0U);
  // The second part, too late, starts over instead of completing.
  EXPECT_EQ(add(&r, part("20240101010000001", 2, 2), 1500).outcome, PartOutcome::kStored);
  EXPECT_EQ(r.stats().expired, 1U);
}

TEST(Reassembler, MemoryIsBounded) {
  Reassembler r(ReassemblyOptions{.max_pending_messages = 4, .max_pending_bytes = 1000});
  for (int i = 0; i < 50; ++i) {
    const std::string qn = "202401010100" + std::to_string(10000 + i);
    EXPECT_EQ(add(&r, part(qn, 9, 1), i).outcome, PartOutcome::kStored);
    EXPECT_LE(r.pending_messages(), 4U);
    EXPECT_LE(r.pending_bytes(), 1000U);
  }
  EXPECT_EQ(r.stats().evicted, 46U);
  // The newest survive.
  EXPECT_EQ(add(&r, part("20240101010010049", 9, 2), 60).outcome, PartOutcome::kStored);
  EXPECT_EQ(add(&r, part("20240101010010049", 9, 2), 61).outcome, PartOutcome::kDuplicate);
}

}  // namespace
}  // namespace ecomon::hj212
