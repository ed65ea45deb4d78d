#include "store/clickhouse/clickhouse_http.h"

#include <httplib.h>

#include <cctype>
#include <charconv>

namespace ecomon {

StatusOr<std::vector<ClickHouseEndpoint>> parse_clickhouse_endpoints(std::string_view text) {
  std::vector<ClickHouseEndpoint> out;
  if (text.empty()) return invalid_argument("no ClickHouse endpoint given (expected host:port,host:port)");
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string_view item =
        text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    const size_t colon = item.rfind(':');
    const std::string where = "ClickHouse endpoint '" + std::string(item) + "' (item " +
                              std::to_string(out.size() + 1) + " of '" + std::string(text) + "')";
    if (item.empty() || colon == std::string_view::npos || colon == 0 || colon + 1 == item.size())
      return invalid_argument(where + ": expected host:port");
    if (item.find_first_of(" \t/") != std::string_view::npos)
      return invalid_argument(where + ": expected host:port");
    int port = 0;
    const std::string_view p = item.substr(colon + 1);
    const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (ec != std::errc() || end != p.data() + p.size() || port < 1 || port > 65535)
      return invalid_argument(where + ": port must be 1-65535");
    out.push_back({std::string(item.substr(0, colon)), port});
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string sql_literal(std::string_view v) {
  std::string out;
  out.reserve(v.size() + 2);
  out += '\'';
  for (char c : v) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case '\0':
        out += "\\0";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  out += '\'';
  return out;
}

namespace {

struct LiteralOf {
  std::string& out;
  bool operator()(int64_t v) const {
    out += std::to_string(v);
    return true;
  }
  bool operator()(std::string_view v) const {
    out += sql_literal(v);
    return true;
  }
  template <typename T>
  bool operator()(std::span<const T> list) const {
    if (list.empty()) return false;
    out += '(';
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out += ", ";
      (*this)(list[i]);
    }
    out += ')';
    return true;
  }
  bool operator()(const std::string& v) const { return (*this)(std::string_view(v)); }
};

std::string first_line(std::string_view body) {
  const size_t nl = body.find('\n');
  std::string_view line = body.substr(0, nl);
  constexpr size_t kMax = 600;
  if (line.size() > kMax) return std::string(line.substr(0, kMax)) + "...";
  return std::string(line);
}

// "Code: 60, e.displayText() = ..." -> 60; -1 when the body does not start so.
int server_code(std::string_view body) {
  constexpr std::string_view kCode = "Code: ";
  if (body.substr(0, kCode.size()) != kCode) return -1;
  int code = -1;
  const char* p = body.data() + kCode.size();
  std::from_chars(p, body.data() + body.size(), code);
  return code;
}

std::string url_encode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

StatusOr<std::string> sql_bind(std::string_view tmpl, std::initializer_list<SqlValue> values) {
  std::string out;
  out.reserve(tmpl.size() + 16 * values.size());
  auto next = values.begin();
  for (char c : tmpl) {
    if (c != '?') {
      out += c;
      continue;
    }
    if (next == values.end())
      return invalid_argument("SQL has more ? than the " + std::to_string(values.size()) +
                              " values bound: " + std::string(tmpl));
    if (!std::visit(LiteralOf{out}, *next))
      return invalid_argument("an empty list bound to value " + std::to_string(next - values.begin() + 1) +
                              " of: " + std::string(tmpl));
    ++next;
  }
  if (next != values.end())
    return invalid_argument("SQL has fewer ? than the " + std::to_string(values.size()) +
                            " values bound: " + std::string(tmpl));
  return out;
}

void RowBinaryWriter::str(std::string_view s) {
  uint64_t n = s.size();
  constexpr uint64_t kLow7 = 0x7F;
  constexpr unsigned kMore = 0x80;
  while (n > kLow7) {
    buf_ += static_cast<char>((n & kLow7) | kMore);
    n >>= 7;
  }
  buf_ += static_cast<char>(n);
  buf_.append(s);
}

Status RowBinaryReader::truncated() const {
  return data_loss(what_ + ": reply truncated at byte " + std::to_string(pos_) + " of " +
                   std::to_string(b_.size()));
}

Status RowBinaryReader::str_view(std::string_view& v) {
  uint64_t n = 0;
  constexpr int kMaxShift = 63;
  for (int shift = 0;; shift += 7) {
    if (pos_ >= b_.size() || shift > kMaxShift) return truncated();
    const auto c = static_cast<unsigned char>(b_[pos_++]);
    n |= static_cast<uint64_t>(c & 0x7F) << shift;
    if ((c & 0x80) == 0) break;
  }
  if (n > b_.size() - pos_) return truncated();
  v = b_.substr(pos_, n);
  pos_ += n;
  return Status();
}

Status RowBinaryReader::str(std::string& v) {
  std::string_view s;
  ECOMON_RETURN_IF_ERROR(str_view(s));
  v.assign(s);
  return Status();
}

StatusCode clickhouse_status_code(int server_code) {
  switch (server_code) {
    case 159:  // TIMEOUT_EXCEEDED
    case 202:  // TOO_MANY_SIMULTANEOUS_QUERIES
    case 209:  // SOCKET_TIMEOUT
    case 210:  // NETWORK_ERROR
    case 242:  // TABLE_IS_READ_ONLY (a replica without ZooKeeper)
    case 252:  // TOO_MANY_PARTS
    case 279:  // ALL_CONNECTION_TRIES_FAILED (a shard of a Distributed query is down)
    case 285:  // TOO_FEW_LIVE_REPLICAS (insert_quorum cannot be met)
    case 286:  // UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE
    case 319:  // UNKNOWN_STATUS_OF_INSERT
    case 999:  // KEEPER_EXCEPTION
      return StatusCode::kUnavailable;
    default:
      return StatusCode::kInternal;
  }
}

ClickHouseHttp::ClickHouseHttp(ClickHouseEndpoint endpoint, ClickHouseHttpOptions options)
    : endpoint_(std::move(endpoint)),
      options_(std::move(options)),
      client_(std::make_unique<httplib::Client>(endpoint_.host, endpoint_.port)) {
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  using std::chrono::seconds;
  const auto set = [](std::chrono::milliseconds t, auto&& f) {
    const auto s = duration_cast<seconds>(t);
    f(static_cast<time_t>(s.count()), static_cast<time_t>(duration_cast<microseconds>(t - s).count()));
  };
  set(options_.connect_timeout, [&](time_t s, time_t us) { client_->set_connection_timeout(s, us); });
  set(options_.read_timeout, [&](time_t s, time_t us) { client_->set_read_timeout(s, us); });
  set(options_.write_timeout, [&](time_t s, time_t us) { client_->set_write_timeout(s, us); });
  client_->set_keep_alive(true);
  // The request's headers and body are separate writes: without TCP_NODELAY the body waits for the
  // server's delayed ACK of the headers (~40 ms a request on Linux).
  client_->set_tcp_nodelay(true);
}

ClickHouseHttp::~ClickHouseHttp() = default;

StatusOr<std::string> ClickHouseHttp::post(const std::string& path, std::string_view body,
                                           const std::string& what) {
  std::string url = path;
  if (options_.user != "default" || !options_.password.empty())
    url += "&user=" + url_encode(options_.user) + "&password=" + url_encode(options_.password);
  const std::string where = "clickhouse " + endpoint_.to_string();
  const auto t0 = std::chrono::steady_clock::now();
  auto res = client_->Post(url, body.data(), body.size(), "application/octet-stream");
  ++stats_.requests;
  stats_.bytes_sent += static_cast<int64_t>(body.size());
  stats_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (res) stats_.bytes_received += static_cast<int64_t>(res->body.size());
  if (!res) {
    const auto err = res.error();
    // A refused connection is safe to try once more (nothing was sent); the keep-alive connection the
    // server closed is reopened by the client itself.
    return Status(StatusCode::kUnavailable, where + ": " + httplib::to_string(err) + " (" + what + ")");
  }
  constexpr int kOk = 200;
  if (res->status != kOk) {
    const int code = server_code(res->body);
    std::string msg = first_line(res->body);
    if (msg.empty()) msg = "HTTP status " + std::to_string(res->status);
    return Status(code >= 0 ? clickhouse_status_code(code) : StatusCode::kInternal,
                  where + ": " + msg + " (" + what + ")");
  }
  return std::move(res->body);
}

StatusOr<std::string> ClickHouseHttp::query(std::string_view sql) {
  constexpr size_t kWhat = 120;
  std::string what(sql.substr(0, kWhat));
  if (sql.size() > kWhat) what += "...";
  // max_query_size: the keys a batch reads back (IN lists) may exceed the default 256 KiB.
  return post("/?wait_end_of_query=1&max_query_size=67108864", sql, what);
}

Status ClickHouseHttp::insert(std::string_view head, std::string_view data, std::string_view settings) {
  std::string path = "/?query=" + url_encode(head);
  if (!settings.empty()) path += "&" + std::string(settings);
  auto r = post(path, data, std::string(head));
  return r.ok() ? Status() : r.status();
}

}  // namespace ecomon
