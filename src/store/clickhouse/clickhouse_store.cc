#include "store/clickhouse/clickhouse_store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "store/block_codec.h"

namespace ecomon {

namespace {

// The schema's migrations: migration k (1-based) is kMigrations[k-1], run on each server; every statement is
// idempotent (IF NOT EXISTS), so a migration interrupted half-way runs again whole. %D is the database, %C
// the cluster. Never edit a shipped one: append.
// index_granularity: a mark every 256 block rows (~700 bytes each), not the default 8,192: a station's read
// then decompresses ~180 KB of `data` around its rows instead of ~6 MB (measured: 5 ms instead of 140 ms for
// one station's year on the national store); uploads (~300 bytes) a mark every 1,024.
const std::vector<std::vector<std::string>>& migrations() {
  static const std::vector<std::vector<std::string>> kMigrations = {
      {
          "CREATE TABLE IF NOT EXISTS %D.air_hourly_local (station_id Int64, pollutant UInt8, month Int32, "
          "written UInt64, data String) ENGINE = %MT(air_hourly_local) PARTITION BY intDiv(month, 12) "
          "ORDER BY (station_id, pollutant, month, written) SETTINGS index_granularity = 256",
          "CREATE TABLE IF NOT EXISTS %D.air_hourly AS %D.air_hourly_local "
          "ENGINE = Distributed(%C, %D, air_hourly_local, station_id)",
          "CREATE TABLE IF NOT EXISTS %D.source_record_local (shard_key UInt32, mn String, cn Int32, "
          "data_time Int64, qn String, received_ms Int64, flag Int32, cp String, written UInt64) "
          "ENGINE = %MT(source_record_local) PARTITION BY intDiv(data_time, 10000000000) ORDER BY (mn, cn, "
          "data_time) SETTINGS index_granularity = 1024",
          "CREATE TABLE IF NOT EXISTS %D.source_record AS %D.source_record_local "
          "ENGINE = Distributed(%C, %D, source_record_local, shard_key)",
          "CREATE TABLE IF NOT EXISTS %D.source_record_conflict_local AS %D.source_record_local "
          "ENGINE = %MT(source_record_conflict_local) PARTITION BY intDiv(data_time, 10000000000) ORDER BY "
          "(mn, cn, data_time) SETTINGS index_granularity = 1024",
          "CREATE TABLE IF NOT EXISTS %D.source_record_conflict AS %D.source_record_local "
          "ENGINE = Distributed(%C, %D, source_record_conflict_local, shard_key)",
      },
  };
  return kMigrations;
}

std::string expand(std::string sql, const std::string& db, const std::string& cluster, bool replicated) {
  for (size_t at; (at = sql.find("%MT(")) != std::string::npos;) {
    const size_t end = sql.find(')', at);
    const std::string table = sql.substr(at + 4, end - at - 4);
    sql.replace(
        at, end + 1 - at,
        replicated ? "ReplicatedMergeTree('/clickhouse/tables/{shard}/" + db + "/" + table + "', '{replica}')"
                   : std::string("MergeTree"));
  }
  for (auto [key, value] : {std::pair<const char*, const std::string*>{"%D", &db}, {"%C", &cluster}}) {
    for (size_t at; (at = sql.find(key)) != std::string::npos;) sql.replace(at, 2, *value);
  }
  return sql;
}

bool plain_name(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }) && !(s[0] >= '0' && s[0] <= '9');
}

// A number that orders a writer's rows after everything it wrote before: microseconds since the epoch,
// strictly increasing within the process.
uint64_t next_written() {
  static std::atomic<uint64_t> last{0};
  const auto now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  uint64_t prev = last.load();
  uint64_t next = 0;
  do {
    next = std::max(now, prev + 1);
  } while (!last.compare_exchange_weak(prev, next));
  return next;
}

StatusOr<int64_t> read_count(ClickHouseHttp& c, const std::string& sql) {
  auto body = c.query(sql + " FORMAT RowBinary");
  if (!body.ok()) return body.status();
  RowBinaryReader r(*body, sql);
  uint64_t n = 0;
  ECOMON_RETURN_IF_ERROR(r.u64(n));
  return static_cast<int64_t>(n);
}

}  // namespace

// ---- ClickHouseCluster ----

Status parse_clickhouse_shards(std::string_view text, ClickHouseConfig& config) {
  std::string flat(text);
  std::replace(flat.begin(), flat.end(), '|', ',');
  auto all = parse_clickhouse_endpoints(flat);  // checks every endpoint
  if (!all.ok()) return all.status();
  config.shards.clear();
  config.replicas.clear();
  size_t at = 0;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string_view item =
        text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    const size_t n = static_cast<size_t>(std::count(item.begin(), item.end(), '|')) + 1;
    config.shards.push_back((*all)[at]);
    config.replicas.emplace_back((*all).begin() + static_cast<std::ptrdiff_t>(at + 1),
                                 (*all).begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return Status();
}

ClickHouseCluster::ClickHouseCluster(ClickHouseConfig config) : config_(std::move(config)) {
  for (size_t k = 0; k < config_.shards.size(); ++k) {
    auto& replicas = conns_.emplace_back();
    replicas.push_back(std::make_unique<ClickHouseHttp>(config_.shards[k], config_.http));
    if (k < config_.replicas.size()) {
      for (const auto& ep : config_.replicas[k])
        replicas.push_back(std::make_unique<ClickHouseHttp>(ep, config_.http));
    }
  }
  live_.assign(conns_.size(), 0);
}

StatusOr<std::string> ClickHouseCluster::query(int k, const std::string& sql) {
  auto& replicas = conns_[static_cast<size_t>(k)];
  size_t& live = live_[static_cast<size_t>(k)];
  Status last;
  for (size_t i = 0; i < replicas.size(); ++i) {
    const size_t r = (live + i) % replicas.size();
    auto body = replicas[r]->query(sql);
    if (body.ok() || body.status().code() != StatusCode::kUnavailable) {
      live = r;
      return body;
    }
    last = body.status();
  }
  return last;
}

ClickHouseHttp::Stats ClickHouseCluster::stats() const {
  ClickHouseHttp::Stats sum;
  for (const auto& replicas : conns_) {
    for (const auto& c : replicas) {
      sum.requests += c->stats().requests;
      sum.bytes_sent += c->stats().bytes_sent;
      sum.bytes_received += c->stats().bytes_received;
      sum.seconds += c->stats().seconds;
    }
  }
  return sum;
}

StatusOr<std::unique_ptr<ClickHouseCluster>> ClickHouseCluster::open(const ClickHouseConfig& config) {
  if (config.shards.empty()) return invalid_argument("ClickHouse store: no shard endpoint given");
  if (!plain_name(config.database))
    return invalid_argument("ClickHouse database name '" + config.database + "': letters, digits and _ only");
  if (!plain_name(config.cluster))
    return invalid_argument("ClickHouse cluster name '" + config.cluster + "': letters, digits and _ only");
  std::unique_ptr<ClickHouseCluster> c(new ClickHouseCluster(config));
  // Every shard must answer (on one of its replicas at least); the schema is created on every replica
  // that answers (one that was down gets it from the next program that opens the store while it is up).
  std::vector<ClickHouseHttp*> reachable;
  ECOMON_RETURN_IF_ERROR(c->check_shards(reachable));
  if (config.create_schema) {
    for (ClickHouseHttp* conn : reachable) ECOMON_RETURN_IF_ERROR(c->migrate(*conn));
  }
  return c;
}

Status ClickHouseCluster::check_shards(std::vector<ClickHouseHttp*>& reachable) {
  const int n = shards();
  for (int k = 0; k < n; ++k) {
    Status down;
    size_t answered = 0;
    for (auto& replica : conns_[static_cast<size_t>(k)]) {
      ClickHouseHttp& conn = *replica;
      auto sql = sql_bind(
          "SELECT toUInt32(count()), toUInt32(anyIf(shard_num, is_local)), toUInt32(uniqExactIf(shard_num, "
          "is_local)), "
          "toUInt32(uniqExact(shard_num)), toUInt32(min(shard_weight)), toUInt32(max(shard_weight)) "
          "FROM system.clusters WHERE cluster = ? FORMAT RowBinary",
          {std::string_view(config_.cluster)});
      auto body = conn.query(*sql);
      if (!body.ok() && body.status().code() == StatusCode::kUnavailable) {  // another replica may answer
        down = body.status().with_context("ClickHouse shard " + std::to_string(k + 1));
        continue;
      }
      if (!body.ok()) return body.status().with_context("ClickHouse shard " + std::to_string(k + 1));
      RowBinaryReader r(*body, "system.clusters");
      uint32_t rows = 0, local_shard = 0, local = 0, shard_count = 0, wmin = 0, wmax = 0;
      for (uint32_t* v : {&rows, &local_shard, &local, &shard_count, &wmin, &wmax})
        ECOMON_RETURN_IF_ERROR(r.u32(*v));
      const std::string where = "ClickHouse endpoint " + conn.endpoint().to_string() + " (listed as shard " +
                                std::to_string(k + 1) + " of " + std::to_string(n) + ")";
      if (rows == 0)
        return failed_precondition(where + ": its config has no cluster '" + config_.cluster + "'");
      if (static_cast<int>(shard_count) != n)
        return failed_precondition(where + ": cluster '" + config_.cluster + "' has " +
                                   std::to_string(shard_count) + " shards, " + std::to_string(n) +
                                   " endpoints given");
      if (local != 1 || static_cast<int>(local_shard) != k + 1)
        return failed_precondition(
            where + ": the server is " +
            (local == 1 ? "shard " + std::to_string(local_shard) : std::string("no single replica")) +
            " of cluster '" + config_.cluster + "'; give one endpoint per shard in shard order");
      if (wmin != 1 || wmax != 1)
        return failed_precondition(where + ": every shard weight of '" + config_.cluster +
                                   "' must be 1 (rows are routed by key modulo the shards)");
      reachable.push_back(&conn);
      ++answered;
    }
    if (answered == 0) return down;
  }
  return Status();
}

Status ClickHouseCluster::migrate(ClickHouseHttp& conn) {
  const std::string& db = config_.database;
  const std::string where = "ClickHouse " + conn.endpoint().to_string() + " schema of " + db;
  for (const std::string sql :
       {"CREATE DATABASE IF NOT EXISTS %D",
        "CREATE TABLE IF NOT EXISTS %D.schema_version (version UInt32) ENGINE = TinyLog"}) {
    auto r = conn.query(expand(sql, db, config_.cluster, config_.replicated));
    if (!r.ok()) return r.status().with_context(where);
  }
  auto have = read_count(conn, "SELECT toUInt64(max(version)) FROM " + table("schema_version"));
  if (!have.ok()) return have.status().with_context(where);
  const int64_t latest = static_cast<int64_t>(migrations().size());
  if (*have > latest)
    return failed_precondition(where + ": version " + std::to_string(*have) +
                               " is newer than this program's " + std::to_string(latest));
  for (int64_t v = *have + 1; v <= latest; ++v) {
    for (const std::string& sql : migrations()[static_cast<size_t>(v - 1)]) {
      auto r = conn.query(expand(sql, db, config_.cluster, config_.replicated));
      if (!r.ok()) return r.status().with_context(where + ", migration " + std::to_string(v));
    }
    auto r = conn.query("INSERT INTO " + table("schema_version") + " VALUES (" + std::to_string(v) + ")");
    if (!r.ok()) return r.status().with_context(where + ", migration " + std::to_string(v));
  }
  return Status();
}

Status ClickHouseCluster::insert(int k, const std::string& head, std::string_view rows) {
  const std::string settings =
      config_.insert_quorum > 0
          ? "insert_quorum=" + std::to_string(config_.insert_quorum) + "&insert_quorum_timeout=10000"
          : std::string();
  auto& replicas = conns_[static_cast<size_t>(k)];
  size_t& live = live_[static_cast<size_t>(k)];
  Status last;
  for (size_t i = 0; i < replicas.size(); ++i) {
    const size_t r = (live + i) % replicas.size();
    last = replicas[r]->insert(head, rows, settings);
    if (last.code() != StatusCode::kUnavailable) {
      live = r;
      return last;
    }
  }
  return last;
}

int ClickHouseCluster::shard_of_station(int64_t station_id) const {
  const auto n = static_cast<int64_t>(conns_.size());
  return static_cast<int>(((station_id % n) + n) % n);
}

uint32_t ClickHouseCluster::device_key(std::string_view mn) {
  uint32_t h = 2166136261U;  // FNV-1a, as SqliteStore::source_shard_of: stable across builds and machines
  for (unsigned char ch : mn) h = (h ^ ch) * 16777619U;
  return h;
}

Status ClickHouseCluster::drop_database() {
  for (auto& replicas : conns_) {
    for (auto& conn : replicas) {
      auto r = conn->query("DROP DATABASE IF EXISTS " + config_.database);
      if (!r.ok()) return r.status();
    }
  }
  return Status();
}

// ---- ClickHouseTimeSeries ----

namespace {

struct BlockKey {
  int64_t station = 0;
  int pollutant = 0;
  int32_t month = 0;
  auto operator<=>(const BlockKey&) const = default;
};

std::string block_where(const HourlyBlock& b) {
  return "station " + std::to_string(b.station_id) + " " + std::string(pollutant_code(b.pollutant)) + " " +
         std::to_string(b.month.year()) + "-" + std::to_string(b.month.month());
}

// Runs f(k) for each shard k, on a thread each when there are several (each shard has its own connection).
template <typename F>
void on_each_shard(int n, F f) {
  if (n == 1) {
    f(0);
    return;
  }
  std::vector<std::future<void>> running;
  for (int k = 1; k < n; ++k) running.push_back(std::async(std::launch::async, f, k));
  f(0);
  for (auto& r : running) r.get();
}

// Overlays a stored row's values onto `into` where `into` has none (rows come in `written` order: the
// earliest value of an hour wins).
Status overlay(std::string_view bytes, std::vector<Milli>& into, std::vector<Milli>& scratch) {
  scratch.assign(into.size(), kMissing);
  ECOMON_RETURN_IF_ERROR(decode_block(bytes, scratch));
  for (size_t i = 0; i < into.size(); ++i)
    if (into[i] == kMissing) into[i] = scratch[i];
  return Status();
}

}  // namespace

Status ClickHouseTimeSeries::merge_hourly(std::span<const HourlyBlock> blocks, MergeStats& stats,
                                          std::vector<HourConflict>* conflicts) {
  for (const HourlyBlock& b : blocks) {
    if (b.values.size() != static_cast<size_t>(b.month.hours()))
      return invalid_argument("hourly block for " + std::to_string(b.month.year()) + "-" +
                              std::to_string(b.month.month()) + " has " + std::to_string(b.values.size()) +
                              " values, expected " + std::to_string(b.month.hours()));
  }
  if (blocks.empty()) return Status();
  drop_read_ahead();
  const int n = c_.shards();
  std::vector<std::vector<size_t>> by_shard(static_cast<size_t>(n));  // indices into blocks
  for (size_t i = 0; i < blocks.size(); ++i)
    by_shard[static_cast<size_t>(c_.shard_of_station(blocks[i].station_id))].push_back(i);
  // 1. What is stored for the batch's keys: one query per shard over the stations x months of its blocks,
  // the shards asked at once (each has its own connection).
  std::vector<std::optional<StatusOr<std::string>>> bodies(static_cast<size_t>(n));
  on_each_shard(n, [&](int k) {
    const auto& mine = by_shard[static_cast<size_t>(k)];
    if (mine.empty()) return;
    std::set<int64_t> station_set;
    std::set<int64_t> month_set;
    for (size_t i : mine) {
      station_set.insert(blocks[i].station_id);
      month_set.insert(blocks[i].month.ordinal);
    }
    const std::vector<int64_t> stations(station_set.begin(), station_set.end());
    const std::vector<int64_t> months(month_set.begin(), month_set.end());
    auto sql = sql_bind(
        "SELECT station_id, pollutant, month, data FROM " + c_.table("air_hourly_local") +
            " WHERE station_id IN ? AND month IN ? ORDER BY station_id, pollutant, month, written, data "
            "FORMAT RowBinary",
        {std::span<const int64_t>(stations), std::span<const int64_t>(months)});
    bodies[static_cast<size_t>(k)] = sql.ok() ? c_.query(k, *sql) : StatusOr<std::string>(sql.status());
  });
  // 2. Overlay what is stored and compare hour by hour, block by block in the caller's order (so that
  // conflicts come in the order SQLite reports them); the gap fills of each block go into a delta row.
  std::map<BlockKey, std::vector<Milli>> stored;
  std::vector<Milli> scratch;
  for (int k = 0; k < n; ++k) {
    if (!bodies[static_cast<size_t>(k)]) continue;
    const StatusOr<std::string>& body = *bodies[static_cast<size_t>(k)];
    if (!body.ok()) return body.status().with_context("merge hourly blocks");
    for (size_t i : by_shard[static_cast<size_t>(k)]) {
      const HourlyBlock& b = blocks[i];
      stored.emplace(BlockKey{b.station_id, index_of(b.pollutant), b.month.ordinal},
                     std::vector<Milli>(b.values.size(), kMissing));
    }
    RowBinaryReader r(*body, "stored hourly blocks");
    while (!r.done()) {
      BlockKey key;
      uint8_t p = 0;
      std::string_view data;
      ECOMON_RETURN_IF_ERROR(r.i64(key.station));
      ECOMON_RETURN_IF_ERROR(r.u8(p));
      ECOMON_RETURN_IF_ERROR(r.i32(key.month));
      ECOMON_RETURN_IF_ERROR(r.str_view(data));
      key.pollutant = p;
      auto it = stored.find(key);
      if (it == stored.end()) continue;  // another pollutant or station x month pair of the same query
      Status st = overlay(data, it->second, scratch);
      if (!st.ok())
        return st.with_context("clickhouse " + c_.shard(k).endpoint().to_string() + " block of station " +
                               std::to_string(key.station) + " month " + std::to_string(key.month));
    }
  }
  std::vector<RowBinaryWriter> rows(static_cast<size_t>(n));
  const uint64_t written = next_written();
  for (const HourlyBlock& b : blocks) {
    std::vector<Milli>& have = stored[BlockKey{b.station_id, index_of(b.pollutant), b.month.ordinal}];
    std::vector<Milli> delta(have.size(), kMissing);
    bool any = false;
    const Hour first = b.month.first_hour();
    for (size_t i = 0; i < have.size(); ++i) {
      const Milli in = b.values[i];
      if (in == kMissing) continue;
      if (have[i] == kMissing) {
        have[i] = delta[i] = in;
        any = true;
        ++stats.values_new;
      } else if (have[i] == in) {
        ++stats.values_same;
      } else {
        ++stats.values_conflicting;
        if (conflicts)
          conflicts->push_back({b.station_id, b.pollutant, first + static_cast<int64_t>(i), have[i], in});
      }
    }
    if (!any) continue;
    RowBinaryWriter& w = rows[static_cast<size_t>(c_.shard_of_station(b.station_id))];
    w.i64(b.station_id);
    w.u8(static_cast<uint8_t>(index_of(b.pollutant)));
    w.i32(b.month.ordinal);
    w.u64(written);
    w.str(encode_block(delta));
    ++stats.blocks_written;
  }
  // 3. The deltas: one insert per shard, at once.
  std::vector<Status> inserted(static_cast<size_t>(n));
  on_each_shard(n, [&](int k) {
    if (rows[static_cast<size_t>(k)].empty()) return;
    inserted[static_cast<size_t>(k)] =
        c_.insert(k,
                  "INSERT INTO " + c_.table("air_hourly_local") +
                      " (station_id, pollutant, month, written, data) FORMAT RowBinary",
                  rows[static_cast<size_t>(k)].data());
  });
  for (int k = 0; k < n; ++k) {
    const Status& st = inserted[static_cast<size_t>(k)];
    if (!st.ok())
      return st.with_context("merge hourly blocks (" +
                             block_where(blocks[by_shard[static_cast<size_t>(k)].front()]) + " ...)");
  }
  return Status();
}

Status ClickHouseTimeSeries::fetch(int64_t station_id, MonthKey from, MonthKey to) {
  if (!(from_ == from && to_ == to)) drop_read_ahead();
  from_ = from;
  to_ = to;
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(fetched_, [now](const auto& e) {
    return now - e.second.at >= kReadAheadTtl ||
           std::all_of(e.second.served.begin(), e.second.served.end(), [](bool b) { return b; });
  });
  constexpr size_t kMaxStations = 256;  // ~450 KB each for a year: bounded whatever the callers do
  if (fetched_.size() > kMaxStations) drop_read_ahead();
  const int shard = c_.shard_of_station(station_id);
  const int64_t last_id = station_id + kReadAhead * c_.shards() - 1;
  auto sql = sql_bind("SELECT station_id, pollutant, month, data FROM " + c_.table("air_hourly_local") +
                          " WHERE station_id BETWEEN ? AND ? AND month BETWEEN ? AND ? "
                          "ORDER BY station_id, pollutant, month, written, data FORMAT RowBinary",
                      {station_id, last_id, int64_t{from.ordinal}, int64_t{to.ordinal}});
  if (!sql.ok()) return sql.status();
  ClickHouseHttp& conn = c_.shard(shard);
  auto body = c_.query(shard, *sql);
  if (!body.ok())
    return body.status().with_context("read hourly values of station " + std::to_string(station_id));
  const auto hours = static_cast<size_t>(to.first_hour() + to.hours() - from.first_hour());
  const auto entry = [&](int64_t id) -> Fetched& {
    auto [it, fresh] = fetched_.try_emplace(id);
    if (fresh)
      it->second =
          Fetched{now, std::vector<std::vector<Milli>>(kPollutantCount, std::vector<Milli>(hours, kMissing)),
                  std::vector<bool>(kPollutantCount, false)};
    return it->second;
  };
  // The shard's stations in the window without rows are read too (all missing), the asked one always;
  // what was read before for them is replaced.
  for (int64_t id = station_id; id <= last_id; ++id) {
    if (c_.shard_of_station(id) != shard) continue;
    fetched_.erase(id);
    entry(id);
  }
  RowBinaryReader r(
      *body, "hourly blocks of stations " + std::to_string(station_id) + ".." + std::to_string(last_id));
  std::vector<Milli> block, scratch;
  while (!r.done()) {
    int64_t id = 0;
    uint8_t pol = 0;
    int32_t month = 0;
    std::string_view data;
    ECOMON_RETURN_IF_ERROR(r.i64(id));
    ECOMON_RETURN_IF_ERROR(r.u8(pol));
    ECOMON_RETURN_IF_ERROR(r.i32(month));
    ECOMON_RETURN_IF_ERROR(r.str_view(data));
    if (pol >= kPollutantCount) continue;  // a pollutant this program does not know (a newer writer)
    const MonthKey m{month};
    std::vector<Milli>& all = entry(id).values[pol];
    const auto at = static_cast<std::ptrdiff_t>(m.first_hour() - from.first_hour());
    block.assign(all.begin() + at, all.begin() + at + m.hours());
    Status st = overlay(data, block, scratch);
    if (!st.ok()) {
      drop_read_ahead();
      return st.with_context("clickhouse " + conn.endpoint().to_string() + " block of station " +
                             std::to_string(id) + " month " + std::to_string(month));
    }
    std::copy(block.begin(), block.end(), all.begin() + at);
  }
  return Status();
}

Status ClickHouseTimeSeries::read_hourly(int64_t station_id, Pollutant p, Hour first, int64_t count,
                                         std::vector<Milli>& out) {
  out.assign(static_cast<size_t>(std::max<int64_t>(count, 0)), kMissing);
  if (count <= 0) return Status();
  const Hour last = first + (count - 1);
  const MonthKey m0 = MonthKey::of(first.day()), m1 = MonthKey::of(last.day());
  const auto pi = static_cast<size_t>(index_of(p));
  auto it = fetched_.find(station_id);
  const bool cached = it != fetched_.end() && from_ <= m0 && m1 <= to_ && !it->second.served[pi] &&
                      std::chrono::steady_clock::now() - it->second.at < kReadAheadTtl;
  if (!cached) {
    ECOMON_RETURN_IF_ERROR(fetch(station_id, m0, m1));
    it = fetched_.find(station_id);
  }
  const std::vector<Milli>& all = it->second.values[pi];
  const int64_t offset = first - from_.first_hour();
  std::copy(all.begin() + offset, all.begin() + offset + count, out.begin());
  it->second.served[pi] = true;
  return Status();
}

StatusOr<std::optional<DayRange>> ClickHouseTimeSeries::hourly_extent(int64_t station_id) {
  auto sql = sql_bind("SELECT count(), min(month), max(month) FROM " + c_.table("air_hourly_local") +
                          " WHERE station_id = ? FORMAT RowBinary",
                      {station_id});
  if (!sql.ok()) return sql.status();
  auto body = c_.query(c_.shard_of_station(station_id), *sql);
  if (!body.ok()) return body.status().with_context("extent of station " + std::to_string(station_id));
  RowBinaryReader r(*body, "extent of station " + std::to_string(station_id));
  uint64_t rows = 0;
  int32_t lo = 0, hi = 0;
  ECOMON_RETURN_IF_ERROR(r.u64(rows));
  ECOMON_RETURN_IF_ERROR(r.i32(lo));
  ECOMON_RETURN_IF_ERROR(r.i32(hi));
  if (rows == 0) return std::optional<DayRange>();
  const MonthKey a{lo}, b{hi};
  return std::optional<DayRange>(DayRange{a.first_day(), b.first_day() + (b.days() - 1)});
}

// ---- ClickHouseSourceUploads ----

namespace {

constexpr const char* kSourceColumns = "shard_key, mn, cn, data_time, qn, received_ms, flag, cp, written";

struct RecordKey {
  std::string_view mn;
  int cn = 0;
  int64_t data_time = 0;
  bool operator==(const RecordKey&) const = default;
};
struct RecordKeyHash {
  size_t operator()(const RecordKey& k) const {
    return std::hash<std::string_view>()(k.mn) ^
           (std::hash<int64_t>()(k.data_time) * 31 + static_cast<size_t>(k.cn));
  }
};

void put_record(RowBinaryWriter& w, const SourceRecordView& r, uint64_t written) {
  w.u32(ClickHouseCluster::device_key(r.mn));
  w.str(r.mn);
  w.i32(r.cn);
  w.i64(r.data_time);
  w.str(r.qn);
  w.i64(r.received_ms);
  w.i32(r.flag);
  w.str(r.cp);
  w.u64(written);
}

Status read_record(RowBinaryReader& r, SourceRecord& out) {
  ECOMON_RETURN_IF_ERROR(r.str(out.mn));
  int32_t cn = 0, flag = 0;
  ECOMON_RETURN_IF_ERROR(r.i32(cn));
  ECOMON_RETURN_IF_ERROR(r.i64(out.data_time));
  ECOMON_RETURN_IF_ERROR(r.str(out.qn));
  ECOMON_RETURN_IF_ERROR(r.i64(out.received_ms));
  ECOMON_RETURN_IF_ERROR(r.i32(flag));
  ECOMON_RETURN_IF_ERROR(r.str(out.cp));
  out.cn = cn;
  out.flag = flag;
  return Status();
}

StatusOr<std::vector<SourceRecord>> read_records(ClickHouseCluster& c, int k, const std::string& sql,
                                                 const std::string& what) {
  auto body = c.query(k, sql);
  if (!body.ok()) return body.status().with_context(what);
  RowBinaryReader r(*body, what);
  std::vector<SourceRecord> out;
  while (!r.done()) {
    SourceRecord rec;
    ECOMON_RETURN_IF_ERROR(read_record(r, rec));
    out.push_back(std::move(rec));
  }
  return out;
}

}  // namespace

StatusOr<int64_t> ClickHouseSourceUploads::insert_source_records(std::span<const SourceRecord> records) {
  const std::vector<SourceRecordView> views = views_of(records);
  return insert_source_records(std::span<const SourceRecordView>(views));
}

StatusOr<std::vector<ClickHouseSourceUploads::Fate>> ClickHouseSourceUploads::classify(
    std::span<const SourceRecordView> records, std::vector<Top>* tops) {
  std::vector<Fate> fate(records.size(), Fate::kNew);
  if (tops) tops->clear();
  const int n = c_.shards();
  std::vector<std::vector<size_t>> by_shard(static_cast<size_t>(n));
  for (size_t i = 0; i < records.size(); ++i)
    by_shard[static_cast<size_t>(c_.shard_of_device(records[i].mn))].push_back(i);
  for (int k = 0; k < n; ++k) {
    const auto& mine = by_shard[static_cast<size_t>(k)];
    if (mine.empty()) continue;
    // The stored versions of the batch's keys: records and conflicts of its devices over its DataTime span.
    std::set<std::string> mn_set;
    int64_t lo = records[mine[0]].data_time, hi = lo;
    for (size_t i : mine) {
      mn_set.emplace(records[i].mn);
      lo = std::min(lo, records[i].data_time);
      hi = std::max(hi, records[i].data_time);
    }
    const std::vector<std::string> mns(mn_set.begin(), mn_set.end());
    if (tops) hi = std::numeric_limits<int64_t>::max();  // every stored key from lo up: the tops
    const std::string cond = " WHERE mn IN ? AND data_time BETWEEN ? AND ?";
    auto sql =
        sql_bind("SELECT 0, mn, cn, data_time, cp FROM " + c_.table("source_record_local") + cond +
                     " UNION ALL SELECT 1, mn, cn, data_time, cp FROM " +
                     c_.table("source_record_conflict_local") + cond + " FORMAT RowBinary",
                 {std::span<const std::string>(mns), lo, hi, std::span<const std::string>(mns), lo, hi});
    if (!sql.ok()) return sql.status();
    auto body = c_.query(k, *sql);
    if (!body.ok()) return body.status().with_context("read the stored keys of source records");
    // Keys point into `body` (stored) or into the caller's records (added by this batch).
    std::unordered_map<RecordKey, std::string_view, RecordKeyHash> stored;
    std::unordered_set<std::string> versions;  // key + cp of every version kept as a conflict
    const auto version_id = [](const RecordKey& key, std::string_view cp) {
      return std::string(key.mn) + '\x1f' + std::to_string(key.cn) + '\x1f' + std::to_string(key.data_time) +
             '\x1f' + std::string(cp);
    };
    RowBinaryReader r(*body, "stored source record keys");
    while (!r.done()) {
      uint8_t which = 0;
      RecordKey key;
      std::string_view cp;
      int32_t cn = 0;
      ECOMON_RETURN_IF_ERROR(r.u8(which));
      ECOMON_RETURN_IF_ERROR(r.str_view(key.mn));
      ECOMON_RETURN_IF_ERROR(r.i32(cn));
      ECOMON_RETURN_IF_ERROR(r.i64(key.data_time));
      ECOMON_RETURN_IF_ERROR(r.str_view(cp));
      key.cn = cn;
      if (which == 0)
        stored.emplace(key, cp);  // the first stored row of a key is its record (a race's twin is ignored)
      else
        versions.insert(version_id(key, cp));
    }
    if (tops) {
      std::map<std::pair<std::string_view, int>, int64_t> top;
      for (size_t i : mine) top.emplace(std::pair(records[i].mn, records[i].cn), lo - 1);
      for (const auto& [key, cp] : stored) {
        auto it = top.find({key.mn, key.cn});
        if (it != top.end()) it->second = std::max(it->second, key.data_time);
      }
      for (const auto& [mn_cn, t] : top) tops->push_back({std::string(mn_cn.first), mn_cn.second, t});
    }
    for (size_t i : mine) {
      const SourceRecordView& rec = records[i];
      const RecordKey key{rec.mn, rec.cn, rec.data_time};
      auto it = stored.find(key);
      if (it == stored.end()) {
        stored.emplace(key, rec.cp);
        continue;  // kNew
      }
      if (it->second == rec.cp || !versions.insert(version_id(key, rec.cp)).second)
        fate[i] = Fate::kSame;  // an identical re-send, or this version is kept already
      else
        fate[i] = Fate::kOtherVersion;
    }
  }
  return fate;
}

Status ClickHouseSourceUploads::append(int k, std::span<const SourceRecordView> records,
                                       std::span<const SourceRecordView> versions) {
  const std::string head = std::string(" (") + kSourceColumns + ") FORMAT RowBinary";
  const uint64_t written = next_written();
  for (auto [rows, table] :
       {std::pair{records, "source_record_local"}, {versions, "source_record_conflict_local"}}) {
    if (rows.empty()) continue;
    RowBinaryWriter w;
    for (const SourceRecordView& rec : rows) put_record(w, rec, written);
    Status s = c_.insert(k, "INSERT INTO " + c_.table(table) + head, w.data());
    if (!s.ok()) return s.with_context(std::string("insert into ") + table);
  }
  return Status();
}

StatusOr<int64_t> ClickHouseSourceUploads::insert_source_records(std::span<const SourceRecordView> records,
                                                                 std::vector<size_t>* conflicts) {
  if (conflicts) conflicts->clear();
  auto fate = classify(records);
  if (!fate.ok()) return fate.status().with_context("insert source records");
  const int n = c_.shards();
  std::vector<std::vector<SourceRecordView>> fresh(static_cast<size_t>(n)), other(static_cast<size_t>(n));
  int64_t added = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    const auto k = static_cast<size_t>(c_.shard_of_device(records[i].mn));
    if ((*fate)[i] == Fate::kNew) {
      fresh[k].push_back(records[i]);
      ++added;
    } else if ((*fate)[i] == Fate::kOtherVersion) {
      other[k].push_back(records[i]);
      if (conflicts) conflicts->push_back(i);
    }
  }
  for (int k = 0; k < n; ++k) {
    Status s = append(k, fresh[static_cast<size_t>(k)], other[static_cast<size_t>(k)]);
    if (!s.ok()) return s.with_context("insert source records");
  }
  return added;
}

StatusOr<std::vector<SourceRecord>> ClickHouseSourceUploads::device_rows(const char* table, const char* order,
                                                                         const std::string& mn, int cn,
                                                                         int64_t from, int64_t to,
                                                                         int64_t limit) {
  if (limit <= 0) return std::vector<SourceRecord>();
  auto sql =
      sql_bind(std::string("SELECT mn, cn, data_time, qn, received_ms, flag, cp FROM ") + c_.table(table) +
                   " WHERE mn = ? AND (? = 0 OR cn = ?) AND data_time BETWEEN ? AND ? ORDER BY " + order +
                   " LIMIT ? FORMAT RowBinary",
               {std::string_view(mn), int64_t{cn}, int64_t{cn}, from, to, limit});
  if (!sql.ok()) return sql.status();
  return read_records(c_, c_.shard_of_device(mn), *sql, std::string("read ") + table + " of " + mn);
}

StatusOr<std::vector<SourceRecord>> ClickHouseSourceUploads::source_records(const std::string& mn, int cn,
                                                                            int64_t from, int64_t to,
                                                                            int64_t limit) {
  return device_rows("source_record_local", "data_time, cn, written LIMIT 1 BY mn, cn, data_time", mn, cn,
                     from, to, limit);
}

StatusOr<std::vector<SourceRecord>> ClickHouseSourceUploads::source_record_conflicts(const std::string& mn,
                                                                                     int cn, int64_t from,
                                                                                     int64_t to,
                                                                                     int64_t limit) {
  return device_rows("source_record_conflict_local",
                     "data_time, cn, received_ms, written LIMIT 1 BY mn, cn, data_time, cp", mn, cn, from, to,
                     limit);
}

StatusOr<std::vector<SourceRecord>> ClickHouseSourceUploads::latest_source_records(int cn) {
  auto sql =
      sql_bind("SELECT mn, cn, data_time, qn, received_ms, flag, cp FROM " + c_.table("source_record") +
                   " WHERE cn = ? ORDER BY mn, data_time DESC, written LIMIT 1 BY mn FORMAT RowBinary",
               {int64_t{cn}});
  if (!sql.ok()) return sql.status();
  return read_records(c_, 0, *sql, "latest source records");
}

StatusOr<int64_t> ClickHouseSourceUploads::count_source_records() {
  int64_t total = 0;
  for (int k = 0; k < c_.shards(); ++k) {
    auto n = count_keys(k, {});
    if (!n.ok()) return n.status();
    total += n->first;
  }
  return total;
}

StatusOr<std::pair<int64_t, int64_t>> ClickHouseSourceUploads::count_keys(
    int k, std::span<const SourceRecordView> among) {
  // Distinct keys, not rows: a batch shipped twice (store/cluster_ingest.h) or a race's twin counts once. A
  // device's rows are all on its shard, so the shards' counts add up.
  std::string in = "0";
  if (!among.empty()) {
    in = "(mn, cn, data_time) IN (";
    for (size_t i = 0; i < among.size(); ++i) {
      auto t = sql_bind("(?, ?, ?)", {among[i].mn, int64_t{among[i].cn}, among[i].data_time});
      if (!t.ok()) return t.status();
      in += (i ? "," : "") + *t;
    }
    in += ")";
  }
  auto body = c_.query(k,
                       "SELECT toUInt64(uniqExact(mn, cn, data_time)), toUInt64(uniqExactIf(mn, cn, "
                       "data_time, " +
                           in + ")) FROM " + c_.table("source_record_local") + " FORMAT RowBinary");
  if (!body.ok()) return body.status().with_context("count source records");
  RowBinaryReader r(*body, "count source records");
  uint64_t all = 0, found = 0;
  ECOMON_RETURN_IF_ERROR(r.u64(all));
  ECOMON_RETURN_IF_ERROR(r.u64(found));
  return std::pair<int64_t, int64_t>(static_cast<int64_t>(all), static_cast<int64_t>(found));
}

}  // namespace ecomon

namespace ecomon {

StatusOr<std::vector<SourceRecordSpan>> ClickHouseSourceUploads::source_record_spans() {
  const auto part = [&](const char* table, bool conflicts) {
    return std::string("SELECT mn, min(data_time) AS t0, max(data_time) AS t1, ") +
           (conflicts ? "toUInt64(0) AS r, count() AS c" : "count() AS r, toUInt64(0) AS c") + " FROM " +
           c_.table(table) + " GROUP BY mn";
  };
  const std::string sql = "SELECT mn, min(t0), max(t1), sum(r), sum(c) FROM (" +
                          part("source_record", false) + " UNION ALL " +
                          part("source_record_conflict", true) + ") GROUP BY mn ORDER BY mn FORMAT RowBinary";
  auto body = c_.query(0, sql);
  if (!body.ok()) return body.status().with_context("source record spans");
  RowBinaryReader r(*body, "source record spans");
  std::vector<SourceRecordSpan> out;
  while (!r.done()) {
    SourceRecordSpan s;
    uint64_t records = 0, conflicts = 0;
    ECOMON_RETURN_IF_ERROR(r.str(s.mn));
    ECOMON_RETURN_IF_ERROR(r.i64(s.first));
    ECOMON_RETURN_IF_ERROR(r.i64(s.last));
    ECOMON_RETURN_IF_ERROR(r.u64(records));
    ECOMON_RETURN_IF_ERROR(r.u64(conflicts));
    s.records = static_cast<int64_t>(records);
    s.conflicts = static_cast<int64_t>(conflicts);
    out.push_back(std::move(s));
  }
  return out;
}

StatusOr<std::vector<SourceDay>> ClickHouseSourceUploads::record_days() {
  const std::string sql = "SELECT mn, toInt32(cn) AS c, toInt64(intDiv(data_time, 1000000)) AS d FROM " +
                          c_.table("source_record") + " GROUP BY mn, c, d ORDER BY mn, c, d FORMAT RowBinary";
  auto body = c_.query(0, sql);
  if (!body.ok()) return body.status().with_context("the uploads' days");
  RowBinaryReader r(*body, "the uploads' days");
  std::vector<SourceDay> out;
  while (!r.done()) {
    SourceDay d;
    int32_t cn = 0;
    ECOMON_RETURN_IF_ERROR(r.str(d.mn));
    ECOMON_RETURN_IF_ERROR(r.i32(cn));
    ECOMON_RETURN_IF_ERROR(r.i64(d.day));
    d.cn = cn;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace ecomon
