// ClickHouse over its HTTP interface (the native protocol's client library is not packaged for Debian): one
// connection to one server, SQL with bound literals, RowBinary in and out.
//
//   auto eps = parse_clickhouse_endpoints("127.0.0.1:18123,127.0.0.1:18124");
//   ClickHouseHttp ch((*eps)[0], ClickHouseHttpOptions{});
//   auto sql = sql_bind("SELECT cp FROM db.t WHERE mn = ? AND data_time BETWEEN ? AND ?", {mn, from, to});
//   auto body = ch.query(*sql + " FORMAT RowBinary");          // StatusOr<std::string>
//   RowBinaryReader r(*body);  ... r.read_string(cp) ...
//   RowBinaryWriter w; w.i64(1); w.str("x");
//   Status s = ch.insert("INSERT INTO db.t (a, b) FORMAT RowBinary", w.data());
//
// Parameters: ClickHouse 18.16 has no server-side query parameters (`{x:UInt8}` with `param_x` is 19.11+:
// "Unknown setting param_x"), so values go into the SQL text through one function, sql_bind, which formats
// each value as a literal: integers in decimal, strings single-quoted with ClickHouse's escapes (\\ \' \0 \b
// \f \r \n \t; every other byte as it is), lists as (a, b, ...). The SQL templates are constants in the code;
// only values are bound. Bulk data never goes through SQL text: inserts send RowBinary bodies.
//
// Errors: a server exception (HTTP status not 200) becomes a Status with the server's message (the first
// line, "Code: 60, e.displayText() = DB::Exception: Table x doesn't exist."), prefixed with the endpoint;
// kUnavailable when trying again later can help (cannot connect, timeouts, network errors, too many
// queries or parts, a shard of a Distributed query unreachable, a read-only replica), else kInternal. A reply
// that cannot be parsed is kDataLoss. Timeouts: connect, read and write, per request (options). The
// connection is kept alive between requests (HTTP/1.1 keep-alive; reconnects when the server closed it).
// Thread safety: one ClickHouseHttp is used by one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"

namespace httplib {
class Client;
}

namespace ecomon {

struct ClickHouseEndpoint {
  std::string host;
  int port = 0;
  std::string to_string() const { return host + ":" + std::to_string(port); }
};

// "host:port,host:port" (at least one; ports 1-65535; no spaces) in the order given.
StatusOr<std::vector<ClickHouseEndpoint>> parse_clickhouse_endpoints(std::string_view text);

// A value bound into SQL text: an integer, a string or a list of either.
using SqlValue =
    std::variant<int64_t, std::string_view, std::span<const int64_t>, std::span<const std::string>>;

// The literal ClickHouse reads back as exactly `v` ("'a\\'b'" for a'b).
std::string sql_literal(std::string_view v);
// Replaces each `?` of `tmpl` (a constant: it must not contain `?` elsewhere) with the next value's literal;
// kInvalidArgument when the counts differ or a list is empty (ClickHouse rejects "IN ()").
StatusOr<std::string> sql_bind(std::string_view tmpl, std::initializer_list<SqlValue> values);

// RowBinary rows: little-endian fixed-size integers, strings as a LEB128 length then the bytes.
class RowBinaryWriter {
 public:
  void u8(uint8_t v) { fixed(v); }
  void i32(int32_t v) { fixed(v); }
  void u32(uint32_t v) { fixed(v); }
  void i64(int64_t v) { fixed(v); }
  void u64(uint64_t v) { fixed(v); }
  void str(std::string_view s);
  const std::string& data() const { return buf_; }
  bool empty() const { return buf_.empty(); }

 private:
  template <typename T>
  void fixed(T v) {
    char b[sizeof(T)];
    for (size_t i = 0; i < sizeof(T); ++i)
      b[i] = static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF);
    buf_.append(b, sizeof(T));
  }
  std::string buf_;
};

// Reads a RowBinary reply; every read checks the bytes are there (a truncated reply is kDataLoss, with the
// offset). `what` names the query in errors.
class RowBinaryReader {
 public:
  RowBinaryReader(std::string_view bytes, std::string what) : b_(bytes), what_(std::move(what)) {}
  bool done() const { return pos_ >= b_.size(); }
  Status u8(uint8_t& v) { return fixed(v); }
  Status i32(int32_t& v) { return fixed(v); }
  Status u32(uint32_t& v) { return fixed(v); }
  Status i64(int64_t& v) { return fixed(v); }
  Status u64(uint64_t& v) { return fixed(v); }
  Status str(std::string& v);
  Status str_view(std::string_view& v);

 private:
  Status truncated() const;
  template <typename T>
  Status fixed(T& v) {
    if (b_.size() - pos_ < sizeof(T)) return truncated();
    uint64_t x = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
      x |= static_cast<uint64_t>(static_cast<unsigned char>(b_[pos_ + i])) << (8 * i);
    v = static_cast<T>(x);
    pos_ += sizeof(T);
    return Status();
  }
  std::string_view b_;
  size_t pos_ = 0;
  std::string what_;
};

struct ClickHouseHttpOptions {
  std::string user = "default";
  std::string password;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds read_timeout{60000};  // a large insert or a national query
  std::chrono::milliseconds write_timeout{60000};
};

class ClickHouseHttp {
 public:
  ClickHouseHttp(ClickHouseEndpoint endpoint, ClickHouseHttpOptions options);
  ~ClickHouseHttp();
  ClickHouseHttp(const ClickHouseHttp&) = delete;
  ClickHouseHttp& operator=(const ClickHouseHttp&) = delete;

  const ClickHouseEndpoint& endpoint() const { return endpoint_; }
  // Runs one statement (the SQL in the request body) and returns the reply's body. The server finishes the
  // query before it answers (wait_end_of_query), so an error during a SELECT is an error status, not a
  // truncated body.
  StatusOr<std::string> query(std::string_view sql);
  // INSERT with data: `head` is "INSERT INTO t (cols) FORMAT RowBinary" (in the URL), `data` the body. The
  // rows are in the table (a part written by the server) when this returns ok. `settings`: query settings
  // as URL parameters ("insert_distributed_sync=1"; 18.16 has no SETTINGS clause in INSERT).
  Status insert(std::string_view head, std::string_view data, std::string_view settings = {});

  // What this connection has done (for benchmarks and logs).
  struct Stats {
    int64_t requests = 0;
    int64_t bytes_sent = 0;
    int64_t bytes_received = 0;
    double seconds = 0;  // waiting for replies
  };
  const Stats& stats() const { return stats_; }

 private:
  StatusOr<std::string> post(const std::string& path, std::string_view body, const std::string& what);
  ClickHouseEndpoint endpoint_;
  ClickHouseHttpOptions options_;
  std::unique_ptr<httplib::Client> client_;
  Stats stats_;
};

// Maps a ClickHouse exception code (the "Code: N" of its message) to a StatusCode.
StatusCode clickhouse_status_code(int server_code);

}  // namespace ecomon
