#include "store/store_copy.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "core/json_text.h"

namespace ecomon {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kRecordBatch = 500;   // record rows per read and per write transaction
constexpr int64_t kUploadPage = 20000;  // uploads per read of one device
constexpr int64_t kBlockBatch = 4000;   // month blocks per write (whole stations)

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string value_text(const RecordValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return "NULL";
  if (const int64_t* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (const double* d = std::get_if<double>(&v)) {
    std::ostringstream o;
    o.precision(17);
    o << *d;
    return o.str();
  }
  const std::string& s = std::get<std::string>(v);
  return "'" + (s.size() > 60 ? s.substr(0, 60) + "..." : s) + "'";
}

// Columns whose values a report never shows: a device key as sealed, passwords (a device's PW, a 1001's),
// the hashes of passwords, tokens and sessions. A difference there is named, its values are not.
bool secret_column(const std::string& name) {
  static const std::set<std::string> kSecret = {"sealed",     "password", "pw",  "password_hash",
                                                "token_hash", "id_hash",  "csrf"};
  return kSecret.contains(name);
}

std::string shown_value(const std::string& column, const RecordValue& v) {
  if (!secret_column(column) || std::holds_alternative<std::monostate>(v)) return value_text(v);
  return "(not shown)";
}

std::string key_text(const RecordTable& t, const RecordRow& row) {
  std::string out;
  for (size_t i = 0; i < t.key_columns && i < row.size(); ++i)
    out += (i ? ", " : "") + t.columns[i] + "=" + shown_value(t.columns[i], row[i]);
  return out;
}

// A key as one string (values typed, so 1 and '1' differ).
std::string key_of(const RecordTable& t, const RecordRow& row) {
  std::string k;
  for (size_t i = 0; i < t.key_columns && i < row.size(); ++i) {
    k += static_cast<char>('0' + row[i].index());
    k += value_text(row[i]);
    k += '\x1f';
  }
  return k;
}

class Copier {
 public:
  Copier(Stores& from, Stores& to, const CopyOptions& o) : from_(from), to_(to), o_(o) {}

  StatusOr<CopyReport> run() {
    const auto start = Clock::now();
    // Pass 1 compares everything and writes nothing; pass 2 writes what pass 1 found missing, and re-reads
    // only the stations and devices that have something to write.
    ECOMON_RETURN_IF_ERROR(pass(false));
    if (!report_.first_difference.empty() && !o_.force) {
      return failed_precondition("the destination holds other data than the source: " +
                                 report_.first_difference + " (nothing was copied; --force copies anyway)");
    }
    if (report_.written() > 0) {
      const CopyReport checked = report_;
      report_.parts.clear();
      ECOMON_RETURN_IF_ERROR(pass(true));
      // What the source holds and what the destination held: pass 1's counts; what was written: pass 2's.
      for (size_t i = 0; i < checked.parts.size(); ++i) {
        const CopiedPart& c = checked.parts[i];
        if (i >= report_.parts.size())
          report_.parts.push_back({.name = c.name, .concern = c.concern, .unit = c.unit});
        CopiedPart& p = report_.parts[i];
        p.read = c.read;
        p.same = c.same;
        p.differing = c.differing;
      }
      if (!stopped_) ECOMON_RETURN_IF_ERROR(to_.record_tables().finish());
    }
    report_.complete = !stopped_;
    report_.seconds = seconds_since(start);
    return report_;
  }

 private:
  Status pass(bool write) {
    write_ = write;
    ECOMON_RETURN_IF_ERROR(records());
    if (!stopped_) ECOMON_RETURN_IF_ERROR(observations());
    if (!stopped_) ECOMON_RETURN_IF_ERROR(uploads());
    return Status();
  }
  CopiedPart& begin_part(std::string name, std::string concern, std::string unit) {
    report_.parts.push_back(
        {.name = std::move(name), .concern = std::move(concern), .unit = std::move(unit)});
    part_start_ = Clock::now();
    last_progress_ = part_start_;
    return report_.parts.back();
  }
  void tick(CopiedPart& p, bool done) {
    p.seconds = seconds_since(part_start_);
    if (!o_.progress) return;
    const auto now = Clock::now();
    if (!done && now - last_progress_ < std::chrono::seconds(1)) return;
    last_progress_ = now;
    o_.progress({.part = &p, .checking = !write_, .done = done});
  }
  void difference(const std::string& what) {
    if (report_.first_difference.empty()) report_.first_difference = what;
  }
  // Counts rows written against the budget; true when the copy must stop.
  bool spend(int64_t rows) {
    spent_ += rows;
    if (o_.max_rows > 0 && spent_ >= o_.max_rows) stopped_ = true;
    return stopped_;
  }

  // ---- records: table by table, in batches of kRecordBatch rows
  Status records() {
    RecordTables& src = from_.record_tables();
    RecordTables& dst = to_.record_tables();
    for (const RecordTable& t : src.tables()) {
      CopiedPart& p = begin_part(t.name, t.concern, "rows");
      std::unordered_map<std::string, RecordRow> held;  // the destination's rows by key
      for (int64_t off = 0;; off += kRecordBatch) {
        auto rows = dst.read(t.name, off, kRecordBatch);
        if (!rows.ok()) return rows.status().with_context("destination");
        for (RecordRow& r : *rows) held.emplace(key_of(t, r), std::move(r));
        if (static_cast<int64_t>(rows->size()) < kRecordBatch) break;
      }
      for (int64_t off = 0;; off += kRecordBatch) {
        auto rows = src.read(t.name, off, kRecordBatch);
        if (!rows.ok()) return rows.status().with_context("source");
        std::vector<RecordRow> fresh, replacing;
        for (RecordRow& r : *rows) {
          ++p.read;
          auto it = held.find(key_of(t, r));
          if (it == held.end()) {
            fresh.push_back(std::move(r));
          } else if (it->second == r) {
            ++p.same;
          } else {
            ++p.differing;
            difference(t.name + " (" + t.concern + ") row " + key_text(t, r) + ": " +
                       row_difference(t, it->second, r));
            if (o_.force) replacing.push_back(std::move(r));
          }
        }
        p.written += static_cast<int64_t>(fresh.size() + replacing.size());
        if (write_) {
          Status s = dst.write(t.name, fresh, /*replace=*/false);
          if (s.ok()) s = dst.write(t.name, replacing, /*replace=*/true);
          if (!s.ok()) return s.with_context("copy " + t.name);
          if (spend(static_cast<int64_t>(fresh.size() + replacing.size()))) break;
        }
        tick(p, false);
        if (static_cast<int64_t>(rows->size()) < kRecordBatch) break;
      }
      tick(p, true);
      if (stopped_) return Status();
    }
    return Status();
  }
  static std::string row_difference(const RecordTable& t, const RecordRow& held, const RecordRow& source) {
    for (size_t i = 0; i < t.columns.size() && i < held.size() && i < source.size(); ++i) {
      if (held[i] != source[i]) {
        if (secret_column(t.columns[i]) && !std::holds_alternative<std::monostate>(held[i]) &&
            !std::holds_alternative<std::monostate>(source[i]))
          return t.columns[i] + " differs (the values are not shown)";
        return t.columns[i] + " is " + shown_value(t.columns[i], held[i]) + " in the destination, " +
               shown_value(t.columns[i], source[i]) + " in the source";
      }
    }
    return "the rows differ";
  }

  // ---- observations: per station, every pollutant over the station's months
  // Writes the blocks of whole stations in one transaction (one insert per shard on the cluster).
  Status flush_blocks(std::vector<HourlyBlock>& blocks, const std::string& last_station) {
    if (blocks.empty()) return Status();
    RecordStore& rs = to_.records();
    ECOMON_RETURN_IF_ERROR(rs.begin_write());
    MergeStats stats;
    Status st = to_.time_series().merge_hourly(blocks, stats, nullptr);
    if (st.ok()) st = rs.commit();
    if (!st.ok()) {
      rs.rollback();
      return st.with_context("copy the observations of the stations up to " + last_station);
    }
    spend(static_cast<int64_t>(blocks.size()));
    blocks.clear();
    return Status();
  }

  Status observations() {
    CopiedPart& p = begin_part("air_hourly", "observations", "values");
    std::vector<HourlyBlock> pending;  // whole stations' blocks, written kBlockBatch or more at a time
    auto stations = from_.records().all_stations();
    if (!stations.ok()) return stations.status().with_context("source stations");
    for (const StationInfo& s : *stations) {
      if (write_ && !stations_to_write_.contains(s.id)) continue;  // pass 1 found it complete
      auto extent = from_.time_series().hourly_extent(s.id);
      if (!extent.ok()) return extent.status().with_context("source station " + s.code);
      if (!*extent) continue;
      const MonthKey first = MonthKey::of((*extent)->first), last = MonthKey::of((*extent)->last);
      const Hour h0 = first.first_hour();
      const int64_t hours = MonthKey{last.ordinal + 1}.first_hour().index() - h0.index();
      std::vector<Milli> src, dst;
      for (Pollutant pol : kAllPollutants) {
        ECOMON_RETURN_IF_ERROR(from_.time_series().read_hourly(s.id, pol, h0, hours, src));
        ECOMON_RETURN_IF_ERROR(to_.time_series().read_hourly(s.id, pol, h0, hours, dst));
        int64_t offset = 0;
        for (MonthKey m = first; m <= last; m = MonthKey{m.ordinal + 1}) {
          const int64_t n = m.hours();
          int64_t fresh = 0;
          for (int64_t i = offset; i < offset + n; ++i) {
            const auto k = static_cast<size_t>(i);
            if (src[k] == kMissing) continue;
            ++p.read;
            if (dst[k] == kMissing) {
              ++fresh;
            } else if (dst[k] == src[k]) {
              ++p.same;
            } else {
              ++p.differing;
              difference("air_hourly station " + s.code + " (id " + std::to_string(s.id) + ") " +
                         std::string(pollutant_code(pol)) + " hour " +
                         Hour::from_index(h0.index() + i).to_string() + ": " + std::to_string(dst[k]) +
                         " in the destination, " + std::to_string(src[k]) + " in the source (milli-units)");
            }
          }
          if (fresh > 0) {
            p.written += fresh;
            if (write_) {
              pending.push_back(
                  {.station_id = s.id,
                   .pollutant = pol,
                   .month = m,
                   .values = std::vector<Milli>(src.begin() + offset, src.begin() + offset + n)});
            } else {
              stations_to_write_.insert(s.id);
            }
          }
          offset += n;
        }
      }
      if (write_ && static_cast<int64_t>(pending.size()) >= kBlockBatch) {
        ECOMON_RETURN_IF_ERROR(flush_blocks(pending, s.code));
        if (stopped_) break;
      }
      tick(p, false);
    }
    if (write_ && !stopped_) ECOMON_RETURN_IF_ERROR(flush_blocks(pending, "(the last)"));
    tick(p, true);
    return Status();
  }

  // ---- uploads: per device, in pages of its records by DataTime
  Status uploads() {
    CopiedPart& p = begin_part("source_record", "uploads", "records");
    auto spans = from_.sources().source_record_spans();
    if (!spans.ok()) return spans.status().with_context("source uploads");
    SourceIngest& ingest = to_.source_ingest();
    for (const SourceRecordSpan& span : *spans) {
      if (write_ && !devices_to_write_.contains(span.mn)) continue;
      int64_t cursor = span.first;
      while (cursor <= span.last) {
        auto page = from_.sources().source_records(span.mn, 0, cursor, span.last, kUploadPage);
        if (!page.ok()) return page.status().with_context("source uploads of " + span.mn);
        int64_t to = span.last;
        if (static_cast<int64_t>(page->size()) == kUploadPage) {
          // A full page may end inside one DataTime: leave that DataTime to the next page (unless it is all
          // the page holds: then the page takes every record of it).
          to = page->back().data_time - 1;
          if (to < cursor) {
            to = cursor;
            page = from_.sources().source_records(span.mn, 0, cursor, cursor, INT64_MAX);
            if (!page.ok()) return page.status().with_context("source uploads of " + span.mn);
          } else {
            std::erase_if(*page, [&](const SourceRecord& r) { return r.data_time > to; });
          }
        }
        ECOMON_RETURN_IF_ERROR(upload_window(p, ingest, span.mn, cursor, to, *page));
        if (stopped_) break;
        cursor = to + 1;
        tick(p, false);
      }
      if (stopped_) break;
    }
    if (write_ && !stopped_) ECOMON_RETURN_IF_ERROR(flush_all_uploads(ingest));
    tick(p, true);
    return Status();
  }

  Status upload_window(CopiedPart& p, SourceIngest& ingest, const std::string& mn, int64_t from, int64_t to,
                       const std::vector<SourceRecord>& records) {
    auto src_versions = from_.sources().source_record_conflicts(mn, 0, from, to, INT64_MAX);
    if (!src_versions.ok()) return src_versions.status().with_context("source uploads of " + mn);
    auto held = to_.sources().source_records(mn, 0, from, to, INT64_MAX);
    if (!held.ok()) return held.status().with_context("destination uploads of " + mn);
    auto held_versions = to_.sources().source_record_conflicts(mn, 0, from, to, INT64_MAX);
    if (!held_versions.ok()) return held_versions.status().with_context("destination uploads of " + mn);
    std::map<std::pair<int, int64_t>, std::string_view> stored;  // (CN, DataTime) -> CP
    std::set<std::tuple<int, int64_t, std::string_view>> versions;
    for (const SourceRecord& r : *held) stored.emplace(std::pair(r.cn, r.data_time), r.cp);
    for (const SourceRecord& r : *held_versions) versions.emplace(r.cn, r.data_time, r.cp);
    std::vector<const SourceRecord*> out, out_versions;
    for (const SourceRecord& r : records) {
      ++p.read;
      auto it = stored.find({r.cn, r.data_time});
      if (it == stored.end()) {
        out.push_back(&r);
      } else if (it->second == r.cp) {
        ++p.same;
      } else if (versions.contains({r.cn, r.data_time, r.cp})) {
        ++p.same;  // a forced copy kept it as another version before
      } else {
        ++p.differing;
        difference("source_record MN " + mn + " CN " + std::to_string(r.cn) + " DataTime " +
                   std::to_string(r.data_time) + ": another CP in the destination");
        if (o_.force) out_versions.push_back(&r);
      }
    }
    for (const SourceRecord& r : *src_versions) {
      ++p.read;
      auto it = stored.find({r.cn, r.data_time});
      if ((it != stored.end() && it->second == r.cp) || versions.contains({r.cn, r.data_time, r.cp})) {
        ++p.same;
      } else {
        out_versions.push_back(&r);
      }
    }
    const auto n = static_cast<int64_t>(out.size() + out_versions.size());
    if (n == 0) return Status();
    p.written += n;
    if (!write_) {
      devices_to_write_.insert(mn);
      return Status();
    }
    // Queued per shard, written kUploadPage or more at a time (devices with few uploads share an insert).
    Pending& q = pending_[ingest.shard_of(mn, ingest.shards())];
    for (const SourceRecord* r : out) q.records.push_back(*r);
    for (const SourceRecord* r : out_versions) q.versions.push_back(*r);
    if (static_cast<int64_t>(q.records.size() + q.versions.size()) >= kUploadPage) {
      return flush_uploads(ingest, ingest.shard_of(mn, ingest.shards()));
    }
    return Status();
  }

  // Inserts what is queued for `shard` through its writer: the records first, then the other versions (a
  // version needs its key's record stored to be one). Each insert is durable when it returns.
  Status flush_uploads(SourceIngest& ingest, int shard) {
    Pending& q = pending_[shard];
    if (q.records.empty() && q.versions.empty()) return Status();
    auto w = writers_.find(shard);
    if (w == writers_.end()) {
      auto opened = ingest.open_writer(shard);
      if (!opened.ok()) return opened.status().with_context("destination uploads");
      w = writers_.emplace(shard, std::move(*opened)).first;
    }
    for (const auto* batch : {&q.records, &q.versions}) {
      if (batch->empty()) continue;
      const std::vector<SourceRecordView> views = views_of(*batch);
      auto added = w->second->insert(views, nullptr);
      if (!added.ok())
        return added.status().with_context("copy uploads (shard " + std::to_string(shard) + ")");
      (void)w->second->settle();
    }
    spend(static_cast<int64_t>(q.records.size() + q.versions.size()));
    q = Pending();
    return Status();
  }
  Status flush_all_uploads(SourceIngest& ingest) {
    for (auto& [shard, q] : pending_) {
      if (stopped_) break;
      ECOMON_RETURN_IF_ERROR(flush_uploads(ingest, shard));
    }
    return Status();
  }

  struct Pending {
    std::vector<SourceRecord> records, versions;
  };

  Stores& from_;
  Stores& to_;
  const CopyOptions& o_;
  CopyReport report_;
  bool write_ = false;
  bool stopped_ = false;
  int64_t spent_ = 0;
  std::set<int64_t> stations_to_write_;
  std::set<std::string> devices_to_write_;
  std::map<int, std::unique_ptr<SourceShardWriter>> writers_;
  std::map<int, Pending> pending_;  // uploads to write, by shard of the destination
  Clock::time_point part_start_, last_progress_;
};

}  // namespace

StatusOr<CopyReport> copy_stores(Stores& from, Stores& to, const CopyOptions& options) {
  return Copier(from, to, options).run();
}

std::string copy_report_json(const CopyReport& report, const std::string& from, const std::string& to) {
  nlohmann::json parts = nlohmann::json::array();
  for (const CopiedPart& p : report.parts) {
    parts.push_back({{"name", p.name},
                     {"concern", p.concern},
                     {"unit", p.unit},
                     {"read", p.read},
                     {"written", p.written},
                     {"same", p.same},
                     {"differing", p.differing}});
  }
  nlohmann::json j = {{"from", from},
                      {"to", to},
                      {"complete", report.complete},
                      {"changed", report.written() > 0},
                      {"written", report.written()},
                      {"differing", report.differing()},
                      {"first_difference", report.first_difference},
                      {"seconds", static_cast<double>(static_cast<int64_t>(report.seconds * 1000)) / 1000},
                      {"parts", parts}};
  return json_text(j, 2);
}

}  // namespace ecomon
