#include "store/cluster_ingest.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "core/hex.h"

namespace ecomon {
namespace {

// The advisory lock of shard k's shipper (one shipper per shard in the cluster), scoped to the store's schema
// (PostgreSQL's two-key form: the schema's hash and this; a store is a schema, and tests run one per schema
// at once).
int64_t shipper_lock(int k) { return SpoolShipper::kShipperLockBase + k; }

// encode(x, 'hex') back to bytes.
StatusOr<std::string> bytes_of(std::string_view hex, const char* what) {
  auto bytes = from_hex(hex);
  if (!bytes) return internal_error(std::string("spool: not hex in ") + what);
  return std::move(*bytes);
}

constexpr const char* kColumns =
    "mn, cn, data_time, encode(qn, 'hex'), received_ms, flag, encode(cp, 'hex'), conflict, seq, shipping";

struct Spooled {
  SourceRecord record;
  bool conflict = false;
  int64_t seq = 0;
  bool shipping = false;
};

StatusOr<std::vector<Spooled>> read_spooled(const pg::Result& r) {
  std::vector<Spooled> out(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    Spooled& s = out[static_cast<size_t>(i)];
    s.record.mn = r.str(i, 0);
    s.record.cn = static_cast<int>(r.int64(i, 1));
    s.record.data_time = r.int64(i, 2);
    auto qn = bytes_of(r.text(i, 3), "qn");
    if (!qn.ok()) return qn.status();
    s.record.qn = std::move(*qn);
    s.record.received_ms = r.int64(i, 4);
    s.record.flag = static_cast<int>(r.int64(i, 5));
    auto cp = bytes_of(r.text(i, 6), "cp");
    if (!cp.ok()) return cp.status();
    s.record.cp = std::move(*cp);
    s.conflict = r.text(i, 7) == "t";
    s.seq = r.int64(i, 8);
    s.shipping = r.text(i, 9) == "t";
  }
  return out;
}

// The batch's rows that are not in ClickHouse already go in; in the same statement the spool's own check:
// an upload whose key and CP are spooled changes nothing (ON CONFLICT on the unique key and md5(CP), which
// also settles two writers racing on it; a NOT EXISTS probe before it measured 35% of the statement's time
// and decided nothing more), a key spooled as a record with another CP makes it another version (EXISTS),
// as does `forced` (another version of a key in ClickHouse or earlier in the batch). Returns each row's
// index and whether it was kept as a version. In the same statement, so in the same transaction, each
// (MN, CN, day) that gained a record raises its day-loads' stale mark once (store/api/source_day_loads.h;
// in key order, the MN as ctext (code points): PgDayLoadStore::replace_day_loads locks the marks so too).
constexpr const char* kSpoolInsert = R"sql(
WITH b AS (
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[],
                       $7::bigint[], $8::text[], $9::bigint[], $10::bigint[])
    AS b(shard, mn, cn, data_time, qn, received_ms, flag, cp, forced, i)),
ins AS (
  INSERT INTO source_spool(shard, mn, cn, data_time, qn, received_ms, flag, cp, conflict)
  SELECT b.shard, b.mn, b.cn, b.data_time, decode(b.qn, 'hex'), b.received_ms, b.flag, decode(b.cp, 'hex'),
         b.forced <> 0 OR EXISTS (SELECT 1 FROM source_spool s WHERE s.mn = b.mn AND s.cn = b.cn
                                  AND s.data_time = b.data_time AND NOT s.conflict)
  FROM b
  ORDER BY b.i
  ON CONFLICT DO NOTHING
  RETURNING mn, cn, data_time, cp, conflict),
marks AS (
  INSERT INTO source_day_stale AS s(mn, cn, day, mark)
  SELECT DISTINCT mn::ctext, cn, data_time / 1000000, 1 FROM ins WHERE NOT conflict ORDER BY 1, 2, 3
  ON CONFLICT (mn, cn, day) DO UPDATE SET mark = s.mark + 1)
SELECT b.i, ins.conflict FROM ins JOIN b ON b.mn = ins.mn AND b.cn = ins.cn AND b.data_time = ins.data_time
  AND decode(b.cp, 'hex') = ins.cp
)sql";

}  // namespace

namespace {

// ECOMON_SPOOL_TRACE=1: one line per batch on standard error with the time of each step (where a writer's
// time goes: bench/cluster_gateway.sh, docs/performance.md).
struct StepClock {
  bool on = std::getenv("ECOMON_SPOOL_TRACE") != nullptr;
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
  std::string line;
  void step(const char* name) {
    if (!on) return;
    const auto now = std::chrono::steady_clock::now();
    line += fmt_step(name, std::chrono::duration<double, std::milli>(now - last).count());
    last = now;
  }
  static std::string fmt_step(const char* name, double ms) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " %s %.1f ms", name, ms);
    return buf;
  }
  void print(size_t rows, size_t asked) const {
    if (on) std::fprintf(stderr, "spool: %zu rows, %zu asked:%s\n", rows, asked, line.c_str());
  }
};

}  // namespace

void ClickHouseTops::learn(const std::vector<ClickHouseSourceUploads::Top>& tops, Clock::time_point at) {
  for (const auto& t : tops) tops_[key(t.mn, t.cn)] = {t.data_time, at};
}

bool ClickHouseTops::above(const SourceRecordView& r, Clock::time_point now, Clock::time_point* at) const {
  auto it = tops_.find(key(r.mn, r.cn));
  if (it == tops_.end() || now - it->second.at >= kTrusted || r.data_time <= it->second.data_time)
    return false;
  *at = it->second.at;
  return true;
}

std::string ClickHouseTops::key(std::string_view mn, int cn) {
  std::string k(mn);
  k += '\x1f';
  k += std::to_string(cn);
  return k;
}

namespace {

using Fate = ClickHouseSourceUploads::Fate;

// The fates of `records` (one chunk) against ClickHouse: rows whose (MN, CN) `tops` vouches for are new to
// ClickHouse without a read (among themselves a key's first CP is the record, another CP a version, as
// classify does); the others are classified by one read per shard, which also refreshes `tops`. *oldest:
// the moment of the oldest ClickHouse read the fates stand for; *n_asked grows by the rows read for.
StatusOr<std::vector<Fate>> check_clickhouse(ClickHouseSourceUploads& ch, ClickHouseTops* tops,
                                             std::span<const SourceRecordView> records,
                                             ClickHouseTops::Clock::time_point* oldest, size_t* n_asked) {
  using Clock = ClickHouseTops::Clock;
  const auto now = Clock::now();
  *oldest = now;
  std::vector<Fate> fate(records.size(), Fate::kNew);
  std::vector<size_t> ask;
  std::map<std::tuple<std::string_view, int, int64_t>, std::string_view> first;  // vouched keys: first CP
  std::set<std::tuple<std::string_view, int, int64_t, std::string_view>> versions;
  for (size_t i = 0; i < records.size(); ++i) {
    const SourceRecordView& r = records[i];
    Clock::time_point at;
    if (!tops || !tops->above(r, now, &at)) {
      ask.push_back(i);
      continue;
    }
    *oldest = std::min(*oldest, at);
    auto [it, fresh] = first.emplace(std::tuple(r.mn, r.cn, r.data_time), r.cp);
    if (fresh) continue;
    const bool kept = it->second == r.cp || !versions.emplace(r.mn, r.cn, r.data_time, r.cp).second;
    fate[i] = kept ? Fate::kSame : Fate::kOtherVersion;
  }
  *n_asked += ask.size();
  if (ask.empty()) return fate;
  std::vector<SourceRecordView> asked;
  asked.reserve(ask.size());
  for (size_t i : ask) asked.push_back(records[i]);
  std::vector<ClickHouseSourceUploads::Top> got;
  const auto sent = Clock::now();
  auto f = ch.classify(asked, tops ? &got : nullptr);
  if (!f.ok()) return f.status();
  *oldest = std::min(*oldest, sent);
  for (size_t j = 0; j < ask.size(); ++j) fate[ask[j]] = (*f)[j];
  if (tops) tops->learn(got, sent);
  return fate;
}

}  // namespace

StatusOr<int64_t> spool_insert(pg::Conn& pg, ClickHouseSourceUploads& ch,
                               std::span<const SourceRecordView> records, std::vector<size_t>* conflicts,
                               ClickHouseTops* tops) {
  if (conflicts) conflicts->clear();
  if (records.empty()) return int64_t{0};
  StepClock clock;
  ClickHouseCluster& cluster = ch.cluster();
  auto tx = pg::Tx::begin(pg);
  if (!tx.ok()) return tx.status().with_context("spool uploads");
  clock.step("begin");
  int64_t added = 0;
  size_t asked = 0;  // rows checked by a read of ClickHouse (the others: by the writer's memory)
  // Chunks, each checked against ClickHouse just before its INSERT (header: a chunk's INSERT must come
  // within kLongest of the ClickHouse read it stands on); each INSERT sees the chunks before it.
  for (size_t from = 0; from < records.size(); from += kSpoolChunkRows) {
    const auto chunk = records.subspan(from, std::min(kSpoolChunkRows, records.size() - from));
    ClickHouseTops::Clock::time_point oldest;
    auto fate = check_clickhouse(ch, tops, chunk, &oldest, &asked);
    if (!fate.ok()) return fate.status().with_context("spool uploads");
    clock.step("clickhouse check");
    std::vector<int64_t> shard, cn, data_time, received, flag, forced, index;
    std::vector<std::string> mn, qn, cp;
    for (size_t i = 0; i < chunk.size(); ++i) {
      const auto f = (*fate)[i];
      if (f == Fate::kSame) continue;
      const SourceRecordView& r = chunk[i];
      shard.push_back(cluster.shard_of_device(r.mn));
      mn.emplace_back(r.mn);
      cn.push_back(r.cn);
      data_time.push_back(r.data_time);
      qn.push_back(to_hex(r.qn));
      received.push_back(r.received_ms);
      flag.push_back(r.flag);
      cp.push_back(to_hex(r.cp));
      forced.push_back(f == Fate::kOtherVersion ? 1 : 0);
      index.push_back(static_cast<int64_t>(from + i));
    }
    if (index.empty()) continue;
    auto r = pg.run(kSpoolInsert, pg::Params()
                                      .add_array(shard)
                                      .add_array(mn)
                                      .add_array(cn)
                                      .add_array(data_time)
                                      .add_array(qn)
                                      .add_array(received)
                                      .add_array(flag)
                                      .add_array(cp)
                                      .add_array(forced)
                                      .add_array(index));
    if (!r.ok()) return r.status().with_context("spool uploads");
    clock.step("insert");
    // The INSERT's snapshot is older than now: if now is within kLongest of the read, the snapshot still
    // held every row shipped after the read (a shipped row is swept kGrace after it was shipped).
    if (ClickHouseTops::Clock::now() - oldest >= kLongest) {
      return Status(StatusCode::kUnavailable,
                    "spool uploads: the batch took longer than " + std::to_string(kLongest.count()) +
                        " ms from its ClickHouse check to its INSERT (refused: the devices send again)");
    }
    for (int row = 0; row < r->rows(); ++row) {
      if (r->text(row, 1) == "t") {
        if (conflicts) conflicts->push_back(static_cast<size_t>(r->int64(row, 0)));
      } else {
        ++added;
      }
    }
  }
  if (Status s = tx->commit(); !s.ok()) return s.with_context("spool uploads");
  clock.step("commit");
  clock.print(records.size(), asked);
  if (conflicts) std::sort(conflicts->begin(), conflicts->end());
  return added;
}

StatusOr<int64_t> SpoolShipper::ship(int64_t batch_rows, int max_batches) {
  auto got = pg_.run("SELECT pg_try_advisory_lock(hashtext(current_schema()), $1::integer)",
                     pg::Params().add(shipper_lock(shard_)));
  if (!got.ok()) return got.status().with_context("ship the spool of shard " + std::to_string(shard_));
  if (got->text(0, 0) != "t") return int64_t{0};  // another process ships this shard now
  int64_t shipped = 0;
  Status failed;
  for (int b = 0; max_batches < 0 || b < max_batches; ++b) {
    // 1. Mark the oldest rows not shipped yet (committed: a crash after the insert below leaves them
    // marked, and they are picked again).
    auto marked = pg_.run(
        std::string("UPDATE source_spool SET shipping = true WHERE seq IN (SELECT seq FROM source_spool "
                    "WHERE shard = $1 AND shipped_at IS NULL ORDER BY seq LIMIT $2) RETURNING ") +
            kColumns,
        pg::Params().add(shard_).add(batch_rows));
    if (!marked.ok()) {
      failed = marked.status();
      break;
    }
    auto rows = read_spooled(*marked);
    if (!rows.ok()) {
      failed = rows.status();
      break;
    }
    if (rows->empty()) break;
    // 2. Into the shard's tables, in spool order (a key's record before its later versions).
    std::sort(rows->begin(), rows->end(), [](const Spooled& x, const Spooled& y) { return x.seq < y.seq; });
    std::vector<SourceRecordView> recs, versions;
    std::vector<int64_t> seqs;
    for (const Spooled& s : *rows) {
      (s.conflict ? versions : recs).push_back(view_of(s.record));
      seqs.push_back(s.seq);
    }
    if (Status s = ch_.append(shard_, recs, versions); !s.ok()) {
      failed = s;
      break;
    }
    // 3. Shipped: ClickHouse answered, so the rows are there from now on. They stay in the spool for the
    // grace period (a writer's check may stand on a ClickHouse read from before they arrived there).
    auto done =
        pg_.run("UPDATE source_spool SET shipped_at = clock_timestamp() WHERE seq = ANY($1::bigint[])",
                pg::Params().add_array(seqs));
    if (!done.ok()) {
      failed = done.status();
      break;
    }
    shipped += static_cast<int64_t>(rows->size());
    if (static_cast<int64_t>(rows->size()) < batch_rows) break;
  }
  // 4. Out of the spool: the rows shipped longer ago than the grace period.
  if (failed.ok()) {
    auto swept = pg_.run(
        "DELETE FROM source_spool WHERE shard = $1 AND shipped_at < clock_timestamp() - $2 * interval '1 ms'",
        pg::Params().add(shard_).add(static_cast<int64_t>(grace_.count())));
    if (!swept.ok()) failed = swept.status();
  }
  (void)pg_.run("SELECT pg_advisory_unlock(hashtext(current_schema()), $1::integer)",
                pg::Params().add(shipper_lock(shard_)));
  if (!failed.ok()) return failed.with_context("ship the spool of shard " + std::to_string(shard_));
  return shipped;
}

StatusOr<int64_t> ship_spool(const SpoolConfig& config) {
  pg::OpenOptions o = config.pg_options;
  o.migrate = true;
  auto pg = pg::Conn::open(config.pg_uri, o);
  if (!pg.ok()) return pg.status().with_context("PostgreSQL");
  auto cluster = ClickHouseCluster::open(config.clickhouse);
  if (!cluster.ok()) return cluster.status().with_context("ClickHouse");
  ClickHouseSourceUploads uploads(**cluster);
  int64_t total = 0;
  for (int k = 0; k < (*cluster)->shards(); ++k) {
    auto n = SpoolShipper(**pg, uploads, k).ship();
    if (!n.ok()) return n.status();
    total += *n;
  }
  return total;
}

// ---- the gateway's side

namespace {

// A writer and a maintainer hold their own connections to both servers.
struct Connections {
  std::unique_ptr<pg::Conn> pg;
  std::unique_ptr<ClickHouseCluster> cluster;
  std::unique_ptr<ClickHouseSourceUploads> uploads;
};

StatusOr<Connections> connect(const SpoolConfig& config, const std::string& what) {
  Connections c;
  pg::OpenOptions o = config.pg_options;
  o.migrate = false;  // the Stores that opened this migrated
  auto pg = pg::Conn::open(config.pg_uri, o);
  if (!pg.ok()) return pg.status().with_context(what + ": PostgreSQL");
  ClickHouseConfig ch = config.clickhouse;
  ch.create_schema = false;
  auto cluster = ClickHouseCluster::open(ch);
  if (!cluster.ok()) return cluster.status().with_context(what + ": ClickHouse");
  c.pg = std::move(*pg);
  c.cluster = std::move(*cluster);
  c.uploads = std::make_unique<ClickHouseSourceUploads>(*c.cluster);
  return c;
}

class SpoolWriter final : public SourceShardWriter {
 public:
  SpoolWriter(Connections c, int shard) : c_(std::move(c)), shard_(shard) {}
  StatusOr<int64_t> insert(std::span<const SourceRecordView> records,
                           std::vector<size_t>* conflicts) override {
    // The gateway gives a writer only its shard's devices; a stray one is refused.
    for (const SourceRecordView& r : records) {
      if (c_.cluster->shard_of_device(r.mn) != shard_) {
        return internal_error("device " + std::string(r.mn) + " is not in shard " + std::to_string(shard_));
      }
    }
    auto n = spool_insert(*c_.pg, *c_.uploads, records, conflicts, &tops_);
    if (n.ok()) since_ += static_cast<int64_t>(records.size());
    return n;
  }
  // Wakes the shipper every kShipRows rows or kShipEvery with something spooled.
  bool settle() override {
    const auto now = std::chrono::steady_clock::now();
    if (since_ == 0 || (since_ < kShipRows && now - last_ < kShipEvery)) return false;
    since_ = 0;
    last_ = now;
    return true;
  }
  static constexpr int64_t kShipRows = 10000;
  static constexpr std::chrono::milliseconds kShipEvery{200};

 private:
  Connections c_;
  int shard_;
  ClickHouseTops tops_;
  int64_t since_ = 0;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

class SpoolMaintainer final : public SourceShardMaintainer {
 public:
  SpoolMaintainer(Connections c, int shard) : c_(std::move(c)), shipper_(*c_.pg, *c_.uploads, shard) {}
  // At most kRound batches a call (the maintenance thread also reloads the registry), all when the writer
  // has ended.
  Status maintain(bool writer_ended) override {
    auto n = shipper_.ship(SpoolShipper::kBatchRows, writer_ended ? -1 : kRound);
    return n.ok() ? Status() : n.status();
  }
  static constexpr int kRound = 8;

 private:
  Connections c_;
  SpoolShipper shipper_;
};

class SpoolShards final : public SourceShards {
 public:
  SpoolShards(SpoolConfig config, int shards) : config_(std::move(config)), shards_(shards) {}
  int shards() override { return shards_; }
  int shard_of(std::string_view mn, int shards) const override {
    return static_cast<int>(ClickHouseCluster::device_key(mn) % static_cast<uint32_t>(shards));
  }
  Status set_shards(int n) override {
    if (n == shards_) return Status();
    return failed_precondition("the cluster's uploads have " + std::to_string(shards_) +
                               " shards, its ClickHouse shards; `--writers` sets SQLite's shard files only");
  }
  StatusOr<std::unique_ptr<SourceShardWriter>> open_writer(int shard) override {
    if (shard < 0 || shard >= shards_) return invalid_argument("no shard " + std::to_string(shard));
    auto c = connect(config_, "writer of shard " + std::to_string(shard));
    if (!c.ok()) return c.status();
    return std::unique_ptr<SourceShardWriter>(new SpoolWriter(std::move(*c), shard));
  }
  StatusOr<std::unique_ptr<SourceShardMaintainer>> open_maintainer(int shard) override {
    if (shard < 0 || shard >= shards_) return invalid_argument("no shard " + std::to_string(shard));
    auto c = connect(config_, "shipper of shard " + std::to_string(shard));
    if (!c.ok()) return c.status();
    return std::unique_ptr<SourceShardMaintainer>(new SpoolMaintainer(std::move(*c), shard));
  }

 private:
  SpoolConfig config_;
  int shards_;
};

}  // namespace

std::unique_ptr<SourceShards> spool_source_shards(SpoolConfig config, int shards) {
  return std::make_unique<SpoolShards>(std::move(config), shards);
}

// ---- reads

Status ClusterUploads::connected() const {
  if (!pg_) return internal_error("the cluster's uploads have no PostgreSQL connection");
  return Status();
}

StatusOr<int64_t> ClusterUploads::insert_source_records(std::span<const SourceRecord> records) {
  ECOMON_RETURN_IF_ERROR(connected());
  return spool_insert(*pg_, ch_, views_of(records), nullptr);
}

namespace {

// Merges the spool's rows into ClickHouse's (both in `order`), keeping the first row of each `key` with
// ClickHouse's before the spool's, and at most `limit`.
template <typename Order, typename Key>
std::vector<SourceRecord> merged(std::vector<SourceRecord> ch, std::vector<SourceRecord> spool, int64_t limit,
                                 Order order, Key key) {
  std::vector<SourceRecord> all = std::move(ch);
  for (SourceRecord& r : spool) all.push_back(std::move(r));
  std::stable_sort(all.begin(), all.end(), order);
  std::vector<SourceRecord> out;
  std::set<decltype(key(all.front()))> seen;
  for (SourceRecord& r : all) {
    if (static_cast<int64_t>(out.size()) >= limit) break;
    if (!seen.insert(key(r)).second) continue;
    out.push_back(std::move(r));
  }
  return out;
}

StatusOr<std::vector<SourceRecord>> spool_rows(pg::Conn& pg, const std::string& mn, int cn, int64_t from,
                                               int64_t to, int64_t limit, bool conflict) {
  auto r =
      pg.run(std::string("SELECT ") + kColumns +
                 " FROM source_spool WHERE mn = $1 AND ($2 = 0 OR cn = $2) AND data_time BETWEEN $3 AND "
                 "$4 AND conflict = ($5 <> 0) AND shipped_at IS NULL ORDER BY data_time, cn, received_ms, "
                 "seq LIMIT $6",
             pg::Params().add(mn).add(cn).add(from).add(to).add(conflict).add(limit));
  if (!r.ok()) return r.status().with_context("read the spool of " + mn);
  auto rows = read_spooled(*r);
  if (!rows.ok()) return rows.status();
  std::vector<SourceRecord> out;
  out.reserve(rows->size());
  for (Spooled& s : *rows) out.push_back(std::move(s.record));
  return out;
}

// ClickHouse's limit for a merge with `spooled` spool rows: the caller's plus those (a spooled row may
// hide one of ClickHouse's), saturating — "no limit" (INT64_MAX, as `store copy` asks) stays no limit.
int64_t with_spooled(int64_t limit, size_t spooled) {
  const auto n = static_cast<int64_t>(spooled);
  return limit > std::numeric_limits<int64_t>::max() - n ? std::numeric_limits<int64_t>::max() : limit + n;
}

}  // namespace

StatusOr<std::vector<SourceRecord>> ClusterUploads::source_records(const std::string& mn, int cn,
                                                                   int64_t from, int64_t to, int64_t limit) {
  ECOMON_RETURN_IF_ERROR(connected());
  if (limit <= 0) return std::vector<SourceRecord>();
  // The spool first: a row shipped meanwhile is then in ClickHouse (header).
  auto spool = spool_rows(*pg_, mn, cn, from, to, limit, false);
  if (!spool.ok()) return spool.status();
  // Up to spool->size() of ClickHouse's first rows may be the spool's keys again.
  auto ch = ch_.source_records(mn, cn, from, to, with_spooled(limit, spool->size()));
  if (!ch.ok()) return ch.status();
  return merged(
      std::move(*ch), std::move(*spool), limit,
      [](const SourceRecord& a, const SourceRecord& b) {
        return std::tie(a.data_time, a.cn) < std::tie(b.data_time, b.cn);
      },
      [](const SourceRecord& r) { return std::pair<int64_t, int>(r.data_time, r.cn); });
}

StatusOr<std::vector<SourceRecord>> ClusterUploads::source_record_conflicts(const std::string& mn, int cn,
                                                                            int64_t from, int64_t to,
                                                                            int64_t limit) {
  ECOMON_RETURN_IF_ERROR(connected());
  if (limit <= 0) return std::vector<SourceRecord>();
  auto spool = spool_rows(*pg_, mn, cn, from, to, limit, true);
  if (!spool.ok()) return spool.status();
  auto ch = ch_.source_record_conflicts(mn, cn, from, to, with_spooled(limit, spool->size()));
  if (!ch.ok()) return ch.status();
  return merged(
      std::move(*ch), std::move(*spool), limit,
      [](const SourceRecord& a, const SourceRecord& b) {
        return std::tie(a.data_time, a.cn, a.received_ms) < std::tie(b.data_time, b.cn, b.received_ms);
      },
      [](const SourceRecord& r) { return std::tuple<int64_t, int, std::string>(r.data_time, r.cn, r.cp); });
}

StatusOr<std::vector<SourceRecord>> ClusterUploads::latest_source_records(int cn) {
  ECOMON_RETURN_IF_ERROR(connected());
  auto r =
      pg_->run(std::string("SELECT DISTINCT ON (mn) ") + kColumns +
                   " FROM source_spool WHERE cn = $1 AND NOT conflict AND shipped_at IS NULL ORDER BY mn, "
                   "data_time DESC, seq",
               pg::Params().add(cn));
  if (!r.ok()) return r.status().with_context("read the spool's latest uploads");
  auto spool = read_spooled(*r);
  if (!spool.ok()) return spool.status();
  auto ch = ch_.latest_source_records(cn);
  if (!ch.ok()) return ch.status();
  std::map<std::string, SourceRecord> by_mn;
  for (SourceRecord& rec : *ch) by_mn.emplace(rec.mn, std::move(rec));
  for (Spooled& s : *spool) {
    auto [it, fresh] = by_mn.emplace(s.record.mn, s.record);
    if (!fresh && s.record.data_time > it->second.data_time) it->second = std::move(s.record);
  }
  std::vector<SourceRecord> out;
  out.reserve(by_mn.size());
  for (auto& [mn, rec] : by_mn) out.push_back(std::move(rec));
  return out;
}

StatusOr<int64_t> ClusterUploads::count_source_records() {
  ECOMON_RETURN_IF_ERROR(connected());
  int64_t total = 0;
  for (int k = 0; k < ch_.cluster().shards(); ++k) {
    // No row of shard k moves while it is counted: its shipper's lock, waited for.
    auto locked = pg_->run("SELECT pg_advisory_lock(hashtext(current_schema()), $1::integer)",
                           pg::Params().add(shipper_lock(k)));
    if (!locked.ok()) return locked.status().with_context("count source records");
    StatusOr<int64_t> n = [&]() -> StatusOr<int64_t> {
      auto r = pg_->run(
          std::string("SELECT ") + kColumns +
              " FROM source_spool WHERE shard = $1 AND NOT conflict AND shipping AND shipped_at IS NULL",
          pg::Params().add(k));
      if (!r.ok()) return r.status();
      auto shipping = read_spooled(*r);
      if (!shipping.ok()) return shipping.status();
      auto waiting =
          pg_->run("SELECT count(*) FROM source_spool WHERE shard = $1 AND NOT conflict AND NOT shipping",
                   pg::Params().add(k));
      if (!waiting.ok()) return waiting.status();
      std::vector<SourceRecordView> keys;
      for (const Spooled& s : *shipping) keys.push_back(view_of(s.record));
      auto ch = ch_.count_keys(k, keys);
      if (!ch.ok()) return ch.status();
      // ClickHouse's keys, the rows not handed to it, and the marked ones it does not have.
      return ch->first + waiting->int64(0, 0) + static_cast<int64_t>(keys.size()) - ch->second;
    }();
    (void)pg_->run("SELECT pg_advisory_unlock(hashtext(current_schema()), $1::integer)",
                   pg::Params().add(shipper_lock(k)));
    if (!n.ok()) return n.status().with_context("count source records");
    total += *n;
  }
  return total;
}

// ---- the day-loads (store/api/source_day_loads.h): PostgreSQL's, beside the spool

void ClusterUploads::set_connection(pg::Conn* pg) {
  pg_ = pg;
  days_ = pg ? std::make_unique<PgDayLoadStore>(*pg) : nullptr;
  clickhouse_days_marked_ = false;
}

Status ClusterUploads::mark_clickhouse_days() {
  if (clickhouse_days_marked_) return Status();
  ECOMON_RETURN_IF_ERROR(connected());
  constexpr const char* kRead = "SELECT value FROM meta WHERE key = 'day_loads_clickhouse_marked'";
  auto done = pg_->run(kRead);
  if (!done.ok()) return done.status().with_context("day-loads");
  if (done->rows() == 1 && done->text(0, 0) == "1") {
    clickhouse_days_marked_ = true;
    return Status();
  }
  // Once per store: one process marks (the others wait for the lock and find it done).
  auto tx = pg::Tx::begin(*pg_, pg::kLockDayLoads);
  if (!tx.ok()) return tx.status().with_context("day-loads");
  auto now = pg_->run(kRead);
  if (!now.ok()) return now.status().with_context("day-loads");
  if (now->rows() != 1 || now->text(0, 0) != "1") {
    auto days = ch_.record_days();
    if (!days.ok()) return days.status().with_context("mark the days of the uploads in ClickHouse");
    ECOMON_RETURN_IF_ERROR(days_->mark_unmarked(*days));
    auto set = pg_->run(
        "INSERT INTO meta(key, value) VALUES ('day_loads_clickhouse_marked', '1') "
        "ON CONFLICT (key) DO UPDATE SET value = '1'");
    if (!set.ok()) return set.status().with_context("day-loads");
  }
  ECOMON_RETURN_IF_ERROR(tx->commit());
  clickhouse_days_marked_ = true;
  return Status();
}

StatusOr<std::vector<SourceDay>> ClusterUploads::stale_days(int cn, int64_t first, int64_t last) {
  ECOMON_RETURN_IF_ERROR(mark_clickhouse_days());
  return days_->stale_days(cn, first, last);
}

StatusOr<std::vector<StoredDayLoad>> ClusterUploads::day_loads(const std::string& mn, int cn, int64_t first,
                                                               int64_t last) {
  ECOMON_RETURN_IF_ERROR(mark_clickhouse_days());
  return days_->day_loads(mn, cn, first, last);
}

Status ClusterUploads::replace_day_loads(std::span<const SourceDay> days,
                                         std::span<const StoredDayLoad> rows) {
  ECOMON_RETURN_IF_ERROR(mark_clickhouse_days());
  return days_->replace_day_loads(days, rows);
}

StatusOr<std::vector<SourceRecordSpan>> ClusterUploads::source_record_spans() {
  ECOMON_RETURN_IF_ERROR(connected());
  auto ch = ch_.source_record_spans();
  if (!ch.ok()) return ch.status();
  auto r = pg_->run(
      "SELECT mn, min(data_time), max(data_time), count(*) FILTER (WHERE NOT conflict), "
      "count(*) FILTER (WHERE conflict) FROM source_spool WHERE shipped_at IS NULL GROUP BY mn");
  if (!r.ok()) return r.status().with_context("the spool's spans");
  std::map<std::string, SourceRecordSpan> by_mn;
  for (SourceRecordSpan& s : *ch) by_mn.emplace(s.mn, std::move(s));
  for (int i = 0; i < r->rows(); ++i) {
    SourceRecordSpan s{r->str(i, 0), r->int64(i, 1), r->int64(i, 2), r->int64(i, 3), r->int64(i, 4)};
    auto [it, fresh] = by_mn.emplace(s.mn, s);
    if (fresh) continue;
    it->second.first = std::min(it->second.first, s.first);
    it->second.last = std::max(it->second.last, s.last);
    it->second.records += s.records;
    it->second.conflicts += s.conflicts;
  }
  std::vector<SourceRecordSpan> out;
  out.reserve(by_mn.size());
  for (auto& [mn, s] : by_mn) out.push_back(std::move(s));
  return out;
}

}  // namespace ecomon
