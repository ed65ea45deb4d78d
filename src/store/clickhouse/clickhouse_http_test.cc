// The ClickHouse HTTP client's parts that need no ClickHouse: literals and binding, endpoint lists,
// RowBinary, and how it reports a server that is not there or answers badly (a local HTTP server standing in
// for a broken one: the real server cannot be made to send these replies). The round trip of every byte
// through a real server is clickhouse_store_test (label `cluster`).
#include "store/clickhouse/clickhouse_http.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

namespace ecomon {
namespace {

TEST(SqlLiteral, EscapesWhatClickHouseReadsSpecially) {
  EXPECT_EQ(sql_literal(""), "''");
  EXPECT_EQ(sql_literal("abc"), "'abc'");
  EXPECT_EQ(sql_literal("a'b"), "'a\\'b'");
  EXPECT_EQ(sql_literal("a\\b"), "'a\\\\b'");
  EXPECT_EQ(sql_literal("\\'"), "'\\\\\\''");  // backslash then quote: each escaped on its own
  EXPECT_EQ(sql_literal(std::string("a\0b", 3)), "'a\\0b'");
  EXPECT_EQ(sql_literal("\b\f\r\n\t"), "'\\b\\f\\r\\n\\t'");
  EXPECT_EQ(sql_literal("晋城 ?"), "'晋城 ?'");      // UTF-8 and ? pass as they are
  EXPECT_EQ(sql_literal("\xff\x01"), "'\xff\x01'");  // other bytes too
}

TEST(SqlBind, ReplacesEachPlaceholderWithTheNextLiteral) {
  const std::vector<int64_t> ids = {3, -1, 9223372036854775807};
  const std::vector<std::string> mns = {"a", "b'c"};
  auto sql =
      sql_bind("SELECT ? WHERE x = ? AND id IN ? AND mn IN ?",
               {int64_t{-5}, "it's", std::span<const int64_t>(ids), std::span<const std::string>(mns)});
  ASSERT_TRUE(sql.ok()) << sql.status().message();
  EXPECT_EQ(*sql,
            "SELECT -5 WHERE x = 'it\\'s' AND id IN (3, -1, 9223372036854775807) AND mn IN ('a', 'b\\'c')");
  // A ? inside a bound value is data, not a placeholder.
  EXPECT_EQ(*sql_bind("? ?", {"?", int64_t{1}}), "'?' 1");
}

TEST(SqlBind, RefusesCountsThatDifferAndEmptyLists) {
  EXPECT_EQ(sql_bind("SELECT ?, ?", {int64_t{1}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(sql_bind("SELECT ?", {int64_t{1}, int64_t{2}}).status().code(), StatusCode::kInvalidArgument);
  const std::vector<int64_t> none;
  auto e = sql_bind("x IN ?", {std::span<const int64_t>(none)});
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(e.status().message().find("empty list bound to value 1"), std::string::npos)
      << e.status().message();
}

TEST(ClickHouseEndpoints, ParseInOrderAndRejectBadOnes) {
  auto eps = parse_clickhouse_endpoints("127.0.0.1:18123,localhost:18124");
  ASSERT_TRUE(eps.ok());
  ASSERT_EQ(eps->size(), 2u);
  EXPECT_EQ((*eps)[0].to_string(), "127.0.0.1:18123");
  EXPECT_EQ((*eps)[1].host, "localhost");
  EXPECT_EQ((*eps)[1].port, 18124);
  for (const char* bad :
       {"", "host", "host:", ":80", "h:0", "h:65536", "h:80,", "h:8x", "h:80,,h:81", "h :80"}) {
    auto r = parse_clickhouse_endpoints(bad);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(parse_clickhouse_endpoints("a:1,b:x").status().message().find("'b:x' (item 2"),
            std::string::npos);
}

TEST(RowBinary, RoundTripsAndReportsATruncatedReply) {
  RowBinaryWriter w;
  w.u8(200);
  w.i32(-2);
  w.u32(4000000000U);
  w.i64(-9000000000);
  w.u64(18000000000000000000ULL);
  const std::string big(300, 'x');  // a length of two LEB128 bytes: 300 = 0b10'0101100 -> 0xAC 0x02
  w.str(big);
  w.str("");
  ASSERT_EQ(w.data().size(), 1 + 4 + 4 + 8 + 8 + 2 + 300 + 1u);
  EXPECT_EQ(static_cast<unsigned char>(w.data()[25]), 0xACu);
  EXPECT_EQ(static_cast<unsigned char>(w.data()[26]), 0x02u);
  RowBinaryReader r(w.data(), "test");
  uint8_t a = 0;
  int32_t b = 0;
  uint32_t c = 0;
  int64_t d = 0;
  uint64_t e = 0;
  std::string f, g = "z";
  ASSERT_TRUE(r.u8(a).ok() && r.i32(b).ok() && r.u32(c).ok() && r.i64(d).ok() && r.u64(e).ok());
  ASSERT_TRUE(r.str(f).ok() && r.str(g).ok());
  EXPECT_EQ(a, 200);
  EXPECT_EQ(b, -2);
  EXPECT_EQ(c, 4000000000U);
  EXPECT_EQ(d, -9000000000);
  EXPECT_EQ(e, 18000000000000000000ULL);
  EXPECT_EQ(f, big);
  EXPECT_EQ(g, "");
  EXPECT_TRUE(r.done());
  EXPECT_EQ(r.u8(a).code(), StatusCode::kDataLoss);

  const std::string cut = w.data().substr(0, 100);  // inside the long string
  RowBinaryReader t(cut, "SELECT x");
  ASSERT_TRUE(t.u8(a).ok() && t.i32(b).ok() && t.u32(c).ok() && t.i64(d).ok() && t.u64(e).ok());
  Status st = t.str(f);
  EXPECT_EQ(st.code(), StatusCode::kDataLoss);
  EXPECT_EQ(st.message(), "SELECT x: reply truncated at byte 27 of 100");
  const std::string endless(11, '\x80');  // a length that never ends
  RowBinaryReader u(endless, "q");
  EXPECT_EQ(u.str(f).code(), StatusCode::kDataLoss);
}

TEST(ClickHouseStatus, MapsServerCodes) {
  EXPECT_EQ(clickhouse_status_code(279), StatusCode::kUnavailable);  // a shard of a Distributed query down
  EXPECT_EQ(clickhouse_status_code(209), StatusCode::kUnavailable);
  EXPECT_EQ(clickhouse_status_code(252), StatusCode::kUnavailable);
  EXPECT_EQ(clickhouse_status_code(285), StatusCode::kUnavailable);  // too few live replicas for the quorum
  EXPECT_EQ(clickhouse_status_code(60), StatusCode::kInternal);      // unknown table
  EXPECT_EQ(clickhouse_status_code(62), StatusCode::kInternal);      // syntax error
}

// A port nobody listens on (1, tcpmux, unused on loopback): kUnavailable, naming the endpoint, at once
// (connection refused).
TEST(ClickHouseHttp, NoServerIsUnavailableNamingTheEndpoint) {
  const int port = 1;
  ClickHouseHttp ch({"127.0.0.1", port}, {});
  auto r = ch.query("SELECT 1");
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("clickhouse 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("(SELECT 1)"), std::string::npos) << r.status().message();
}

class BadServer : public ::testing::Test {
 protected:
  void SetUp() override {
    srv.Post("/", [this](const httplib::Request& req, httplib::Response& res) {
      last_target = req.target;
      last_body = req.body;
      if (req.body.find("error") != std::string::npos) {
        res.status = 500;
        res.set_content(
            "Code: 279, e.displayText() = DB::NetException: All connection tries failed. Log: \n\nCode: 210, "
            "Connection refused (127.0.0.1:19001)\n",
            "text/plain");
      } else if (req.body.find("empty") != std::string::npos) {
        res.status = 502;
      } else if (req.body.find("slow") != std::string::npos) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        res.set_content("late", "text/plain");
      } else {
        res.set_content(std::string("\x05") + "ab",
                        "application/octet-stream");  // a string of 5 with 2 bytes
      }
    });
    port = srv.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { srv.listen_after_bind(); });
    while (!srv.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    srv.stop();
    thread.join();
  }
  httplib::Server srv;
  std::thread thread;
  int port = 0;
  std::string last_target, last_body;
};

TEST_F(BadServer, AServerExceptionIsAStatusWithTheServersFirstLine) {
  ClickHouseHttp ch({"127.0.0.1", port}, {});
  auto r = ch.query("SELECT error");
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);  // 279
  EXPECT_EQ(r.status().message(), "clickhouse 127.0.0.1:" + std::to_string(port) +
                                      ": Code: 279, e.displayText() = DB::NetException: All connection tries "
                                      "failed. Log:  (SELECT error)");
  EXPECT_EQ(last_target, "/?wait_end_of_query=1&max_query_size=67108864");
  auto e = ch.query("SELECT empty");
  EXPECT_EQ(e.status().code(), StatusCode::kInternal);
  EXPECT_NE(e.status().message().find("HTTP status 502"), std::string::npos) << e.status().message();
}

TEST_F(BadServer, ATruncatedReplyIsDataLossAndAnInsertSendsItsHeadInTheUrl) {
  ClickHouseHttp ch({"127.0.0.1", port}, {.user = "u", .password = "p&q"});
  auto body = ch.query("SELECT s FORMAT RowBinary");
  ASSERT_TRUE(body.ok()) << body.status().message();
  RowBinaryReader r(*body, "SELECT s");
  std::string s;
  EXPECT_EQ(r.str(s).code(), StatusCode::kDataLoss);
  ASSERT_TRUE(ch.insert("INSERT INTO t (a) FORMAT RowBinary", std::string("\x01\x00", 2)).ok());
  EXPECT_EQ(last_target, "/?query=INSERT%20INTO%20t%20%28a%29%20FORMAT%20RowBinary&user=u&password=p%26q");
  EXPECT_EQ(last_body, std::string("\x01\x00", 2));
}

TEST_F(BadServer, AReplyLaterThanTheReadTimeoutIsUnavailable) {
  ClickHouseHttp ch({"127.0.0.1", port}, {.read_timeout = std::chrono::milliseconds(200)});
  auto r = ch.query("SELECT slow");
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("Read"), std::string::npos) << r.status().message();
  auto again = ch.query("SELECT 1");  // the next request on a new connection
  EXPECT_TRUE(again.ok()) << again.status().message();
}

}  // namespace
}  // namespace ecomon
