#include "ingest/cnemc.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "air/audit_view.h"
#include "core/decimal.h"
#include "core/text_table.h"
#include "core/time.h"
#include "core/utf8.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;

constexpr int kHoursPerFile = 24;
constexpr size_t kMaxIssuesPerKindPerFile = ImportReport::kMaxListedPerKind;
constexpr std::string_view kSitesPrefix = "china_sites_";
constexpr std::string_view kCitiesPrefix = "china_cities_";
constexpr std::string_view kCityCodePrefix = "city:";  // station code of a city-level series
constexpr size_t kQuotedHeaderBytes = 60;              // of a bad header, quoted in the report

enum class FileKind : uint8_t { kSites, kCities };

struct ArchiveFile {
  fs::path path;
  std::string name;
  CivilDay date;
  FileKind kind = FileKind::kSites;
};

// The 15 row types of an archive file: the six raw hourly pollutants are kept, the derived ones (AQI, 24-h
// and 8-h moving values the centre computed) are recognised and left out: the platform computes its own.
int type_slot(std::string_view t) {
  if (t == "PM2.5") return index_of(Pollutant::kPM25);
  if (t == "PM10") return index_of(Pollutant::kPM10);
  if (t == "SO2") return index_of(Pollutant::kSO2);
  if (t == "NO2") return index_of(Pollutant::kNO2);
  if (t == "O3") return index_of(Pollutant::kO3);
  if (t == "CO") return index_of(Pollutant::kCO);
  static const std::unordered_set<std::string_view> kDerived = {
      "AQI", "PM2.5_24h", "PM10_24h", "SO2_24h", "NO2_24h", "O3_24h", "O3_8h", "O3_8h_24h", "CO_24h"};
  return kDerived.count(t) ? -1 : -2;
}

// One parsed archive file: values[(hour * 6 + pollutant) * columns + column].
struct ParsedFile {
  ArchiveFile file;
  bool rejected = false;
  std::vector<std::string> columns;
  std::vector<Milli> values;
  std::array<int32_t, kHoursPerFile * kPollutantCount> line_of{};  // 0 = row absent
  int64_t bytes = 0, rows = 0, rows_rejected = 0, cells_rejected = 0, value_count = 0;
  std::vector<ImportIssue> issues;
  std::map<std::string, int64_t> issue_counts;

  void issue(std::string kind, int64_t line, std::string field, std::string message) {
    int64_t& n = issue_counts[kind];
    ++n;
    if (static_cast<size_t>(n) <= kMaxIssuesPerKindPerFile) {
      issues.push_back({std::move(kind), file.name, line, std::move(field), std::move(message)});
    }
  }
};

// Splits a line on commas into fields (the centre's files have no quoting).
void split(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      out.push_back(line.substr(start));
      return;
    }
    out.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
}

// Where a comma-separated line stops being UTF-8: the field (0-based) and the offset inside it.
std::optional<InvalidField> invalid_utf8_field(std::string_view line) {
  const std::optional<size_t> bad = first_invalid_utf8(line);
  if (!bad) return std::nullopt;
  const std::string_view before = line.substr(0, *bad);
  const size_t comma = before.rfind(',');
  return InvalidField{static_cast<size_t>(std::count(before.begin(), before.end(), ',')),
                      comma == std::string_view::npos ? *bad : *bad - comma - 1};
}

// "column N" (1-based), for a field no header names.
std::string column_number(size_t field) { return "column " + std::to_string(field + 1); }

// Parses an unsigned decimal cell into Milli quickly; nullopt when it is not a plain number.
std::optional<int64_t> cell_value(std::string_view s) {
  if (s.empty() || s.size() > 16) return std::nullopt;
  int64_t whole = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) whole = whole * 10 + (s[i] - '0');
  if (i == s.size()) return whole * kMilliPerUnit;
  return parse_milli(s);  // decimals, signs and everything unusual
}

// Parses the text of an archive file.
ParsedFile parse_text(const ArchiveFile& f, std::string_view all) {
  ParsedFile p;
  p.file = f;
  p.bytes = static_cast<int64_t>(all.size());
  if (all.substr(0, 3) == "\xEF\xBB\xBF") all.remove_prefix(3);  // UTF-8 BOM

  std::vector<std::string_view> cells;
  size_t pos = 0;
  int64_t line_no = 0;
  bool have_header = false;
  size_t ncols = 0;
  const std::string expected_date = f.date.to_compact();
  const bool all_utf8 = is_valid_utf8(all);  // the usual case: no line needs checking on its own
  constexpr std::array<std::string_view, 3> kKeyColumns = {"date", "hour", "type"};
  while (pos < all.size()) {
    size_t nl = all.find('\n', pos);
    std::string_view line = all.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? all.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    split(line, cells);
    if (!all_utf8) {
      if (const std::optional<InvalidField> bad = invalid_utf8_field(line)) {
        const std::string message = describe_invalid_utf8(cells[bad->field], bad->offset);
        if (!have_header) {
          p.rejected = true;
          p.issue("bad_utf8", line_no, column_number(bad->field), "header: " + message);
          return p;
        }
        ++p.rows;
        ++p.rows_rejected;
        const size_t c = bad->field;
        p.issue("bad_utf8", line_no,
                c < kKeyColumns.size()           ? std::string(kKeyColumns[c])
                : c - kKeyColumns.size() < ncols ? p.columns[c - kKeyColumns.size()]
                                                 : column_number(c),
                message);
        continue;
      }
    }
    if (!have_header) {
      if (cells.size() < 4 || cells[0] != "date" || cells[1] != "hour" || cells[2] != "type") {
        p.rejected = true;
        p.issue("bad_layout", line_no, "",
                "header must start with date,hour,type and name at least one column; got '" +
                    truncate_utf8(line, kQuotedHeaderBytes) + "'");
        return p;
      }
      for (size_t c = 3; c < cells.size(); ++c) {
        if (cells[c].empty()) {
          p.rejected = true;
          p.issue("bad_layout", line_no, "column " + std::to_string(c + 1),
                  "empty column name in the header");
          return p;
        }
        p.columns.emplace_back(cells[c]);
      }
      ncols = p.columns.size();
      std::unordered_set<std::string_view> seen;
      for (size_t c = 0; c < ncols; ++c) {
        if (!seen.insert(p.columns[c]).second) {
          p.issue("duplicate_column", line_no, p.columns[c],
                  "column " + p.columns[c] +
                      " appears more than once in the header; its values are compared and "
                      "the first one kept");
        }
      }
      p.values.assign(static_cast<size_t>(kHoursPerFile * kPollutantCount) * ncols, kMissing);
      have_header = true;
      continue;
    }
    ++p.rows;
    if (cells.size() != ncols + 3) {
      ++p.rows_rejected;
      p.issue(
          "truncated_row", line_no, "",
          "row has " + std::to_string(cells.size()) + " cells, the header has " + std::to_string(ncols + 3));
      continue;
    }
    if (cells[0] != expected_date) {
      ++p.rows_rejected;
      p.issue("bad_date", line_no, "date",
              "date '" + std::string(cells[0]) + "' does not match the file's date " + expected_date);
      continue;
    }
    int hour = -1;
    if (cells[1].size() <= 2 && !cells[1].empty() &&
        std::all_of(cells[1].begin(), cells[1].end(), [](char c) { return c >= '0' && c <= '9'; })) {
      hour = std::stoi(std::string(cells[1]));
    }
    if (hour < 0 || hour >= kHoursPerFile) {
      ++p.rows_rejected;
      p.issue("bad_hour", line_no, "hour", "hour '" + std::string(cells[1]) + "' is not 0..23");
      continue;
    }
    int slot = type_slot(cells[2]);
    if (slot == -1) continue;  // a derived value the platform computes itself
    if (slot == -2) {
      ++p.rows_rejected;
      p.issue("unknown_type", line_no, "type", "unknown type '" + std::string(cells[2]) + "'");
      continue;
    }
    size_t row = static_cast<size_t>(hour * kPollutantCount + slot);
    bool repeated = p.line_of[row] != 0;
    int32_t first_line = p.line_of[row];
    if (!repeated) p.line_of[row] = static_cast<int32_t>(line_no);
    Milli* out = p.values.data() + row * ncols;
    for (size_t c = 0; c < ncols; ++c) {
      std::string_view cell = cells[c + 3];
      if (cell.empty()) continue;
      auto v = cell_value(cell);
      if (!v || *v < 0 || *v > std::numeric_limits<Milli>::max()) {
        ++p.cells_rejected;
        p.issue(v ? "bad_value" : "bad_number", line_no, p.columns[c],
                std::string(cells[2]) + " '" + std::string(cell) + "' is " +
                    (v ? "out of range (negative or too large)" : "not a number"));
        continue;
      }
      Milli m = static_cast<Milli>(*v);
      if (repeated && out[c] != kMissing) {
        if (out[c] != m) {
          p.issue("conflict", line_no, p.columns[c],
                  std::string(cells[2]) + " hour " + std::to_string(hour) + " is " + std::string(cell) +
                      " here but " + Decimal{out[c], 3}.to_string() + " on line " +
                      std::to_string(first_line) + "; the first value is kept");
        }
        continue;
      }
      out[c] = m;
      ++p.value_count;
    }
  }
  if (!have_header) {
    p.rejected = true;
    p.issue("bad_layout", 0, "", "empty file");
  }
  return p;
}

ParsedFile parse_file(const ArchiveFile& f) {
  std::ifstream in(f.path, std::ios::binary);
  std::string text;
  if (in) {
    in.seekg(0, std::ios::end);
    text.resize(static_cast<size_t>(std::max<std::streamoff>(0, in.tellg())));
    in.seekg(0);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
  }
  if (!in) {
    ParsedFile p;
    p.file = f;
    p.rejected = true;
    p.issue("unreadable_file", 0, "", "cannot read " + f.path.string());
    return p;
  }
  return parse_text(f, text);
}

// Adds what parsing a file found to the report: its counts and issues (the listed ones and the number of the
// rest).
void add_parsed(ImportReport& report, ParsedFile& p) {
  ++report.files;
  report.bytes += p.bytes;
  report.rows += p.rows;
  report.rows_rejected += p.rows_rejected;
  report.cells_rejected += p.cells_rejected;
  report.values += p.value_count;
  for (auto& i : p.issues) report.add(std::move(i));
  for (const auto& [kind, n] : p.issue_counts) {
    int64_t listed = std::min<int64_t>(n, static_cast<int64_t>(kMaxIssuesPerKindPerFile));
    report.issue_counts[kind] += n - listed;  // add() counted the listed ones
  }
  if (p.rejected) ++report.files_rejected;
}

// An archive file by its name, or nullopt for any other file. A name of the archive's form whose date is not
// a day (china_sites_20190230.csv) is not skipped silently: `bad_date` receives why, for the report.
std::optional<ArchiveFile> classify(const fs::path& path, std::string* bad_date = nullptr) {
  std::string name = path.filename().string();
  FileKind kind;
  std::string_view rest;
  if (name.rfind(kSitesPrefix, 0) == 0) {
    kind = FileKind::kSites;
    rest = std::string_view(name).substr(kSitesPrefix.size());
  } else if (name.rfind(kCitiesPrefix, 0) == 0) {
    kind = FileKind::kCities;
    rest = std::string_view(name).substr(kCitiesPrefix.size());
  } else {
    return std::nullopt;
  }
  constexpr size_t kDateChars = 8;
  constexpr std::string_view kSuffix = ".csv";
  if (rest.size() != kDateChars + kSuffix.size() || rest.substr(kDateChars) != kSuffix) return std::nullopt;
  const std::string_view digits = rest.substr(0, kDateChars);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  auto d = CivilDay::parse(digits);
  if (!d.ok()) {
    if (bad_date)
      *bad_date = "the file is named for " + std::string(digits) +
                  ", which is not a day: " + d.status().message() + "; the file is not read";
    return std::nullopt;
  }
  return ArchiveFile{path, name, *d, kind};
}

// Hands parsed files to the importing thread in file order, parsing ahead on worker threads.
class ParsePipeline {
 public:
  ParsePipeline(const std::vector<ArchiveFile>& files, int threads) : files_(files) {
    lookahead_ = static_cast<size_t>(threads) * 2 + 2;
    results_.resize(files.size());
    for (int t = 0; t < threads; ++t) workers_.emplace_back([this] { work(); });
  }
  ~ParsePipeline() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& w : workers_) w.join();
  }
  ParsedFile take(size_t i) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return results_[i].has_value(); });
    ParsedFile p = std::move(*results_[i]);
    results_[i].reset();
    consumed_ = i + 1;
    cv_.notify_all();
    return p;
  }

 private:
  void work() {
    while (true) {
      size_t i;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || (next_ < files_.size() && next_ < consumed_ + lookahead_); });
        if (stop_) return;
        i = next_++;
      }
      ParsedFile p = parse_file(files_[i]);
      {
        std::lock_guard<std::mutex> lock(mu_);
        results_[i] = std::move(p);
      }
      cv_.notify_all();
    }
  }

  const std::vector<ArchiveFile>& files_;
  size_t lookahead_;
  std::vector<std::optional<ParsedFile>> results_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t next_ = 0, consumed_ = 0;
  bool stop_ = false;
};

struct BlockKey {
  int64_t station_id;
  int pollutant;
  int32_t month;
  bool operator==(const BlockKey&) const = default;
};
struct BlockKeyHash {
  size_t operator()(const BlockKey& k) const {
    return std::hash<int64_t>()(k.station_id * 1'000'003 + k.pollutant * 7919 + k.month);
  }
};

// The store conflicts as the centre's republished values (ImportOptions::audit): each becomes a version over
// the real-time value (action republish, source: its file), unless its file's value was recorded before or
// the audited value is that value already (the same file imported again). Returns the conflicts that stay
// conflicts: the values of closed months.
template <typename Place>
StatusOr<std::vector<HourConflict>> record_republished(AuditStore& audit,
                                                       const std::vector<HourConflict>& conflicts,
                                                       const Place& place, const std::string& who,
                                                       ImportReport& report) {
  Hour lo = conflicts[0].hour, hi = conflicts[0].hour;
  std::vector<int64_t> stations;
  for (const HourConflict& c : conflicts) {
    lo = std::min(lo, c.hour);
    hi = std::max(hi, c.hour);
    stations.push_back(c.station_id);
  }
  auto closings = audit.month_closings(MonthKey::of(lo.day()), MonthKey::of(hi.day()));
  if (!closings.ok()) return closings.status();
  std::map<int32_t, bool> closed;
  for (const MonthClosing& m : *closings) closed[m.month.ordinal] = m.closed;
  auto stored = audit.versions(stations, lo, hi);
  if (!stored.ok()) return stored.status();
  std::map<std::tuple<int64_t, int, int64_t>, std::vector<AuditVersion>> trails;
  for (AuditVersion& v : *stored)
    trails[{v.station_id, index_of(v.pollutant), v.hour.index()}].push_back(std::move(v));
  std::vector<HourConflict> kept;
  std::vector<AuditVersion> versions;
  for (const HourConflict& c : conflicts) {
    auto m = closed.find(MonthKey::of(c.hour.day()).ordinal);
    if (m != closed.end() && m->second) {
      kept.push_back(c);
      continue;
    }
    const std::string file = place(c).first;
    const auto& trail = trails[{c.station_id, index_of(c.pollutant), c.hour.index()}];
    const bool before = std::any_of(trail.begin(), trail.end(), [&](const AuditVersion& v) {
      return v.action == AuditAction::kRepublish && v.source == file && v.value == c.incoming;
    });
    const AuditedHour now = apply_versions(c.stored, trail);
    --report.merge.values_conflicting;
    if (before || (now.value == c.incoming && now.state != AuditedHour::State::kRealtime)) {
      ++report.values_republished_before;
      continue;
    }
    versions.push_back({.station_id = c.station_id,
                        .pollutant = c.pollutant,
                        .hour = c.hour,
                        .action = AuditAction::kRepublish,
                        .value = c.incoming,
                        .previous = now.value,
                        .reason = std::string(kReasonRepublished),
                        .source = file,
                        .who = who});
    ++report.values_republished;
  }
  ECOMON_RETURN_IF_ERROR(audit.append(versions));
  return kept;
}

}  // namespace

ImportReport parse_archive_text(std::string_view text, CivilDay date, const std::string& file_name) {
  ImportReport report;
  ParsedFile p = parse_text(ArchiveFile{file_name, file_name, date, FileKind::kSites}, text);
  add_parsed(report, p);
  return report;
}

Status import_station_list(RecordStore& rs, const fs::path& file, ImportReport& report) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return not_found("cannot open station list " + file.string());
  std::string name = file.filename().string();
  std::string line;
  int64_t n = 0;
  bool header = false;
  std::vector<std::string_view> cells;
  while (std::getline(in, line)) {
    ++n;
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    split(line, cells);
    if (const std::optional<InvalidField> bad = invalid_utf8_field(line)) {
      const std::string message = describe_invalid_utf8(cells[bad->field], bad->offset);
      if (!header) {
        report.add({"bad_utf8", name, n, column_number(bad->field), "header: " + message});
        return invalid_argument(file.string() + ":" + std::to_string(n) + " [" + column_number(bad->field) +
                                "]: station list header: " + message);
      }
      static constexpr std::array<std::string_view, 6> kStationColumns = {
          "监测点编码", "监测点名称", "城市", "经度", "纬度", "对照点"};
      ++report.rows_rejected;
      report.add({"bad_utf8", name, n,
                  bad->field < kStationColumns.size() ? std::string(kStationColumns[bad->field])
                                                      : column_number(bad->field),
                  message});
      continue;
    }
    if (!header) {
      if (cells.size() < 6 || cells[0] != "监测点编码" || cells[1] != "监测点名称" || cells[2] != "城市" ||
          cells[5] != "对照点") {
        report.add({"bad_layout", name, n, "",
                    "station list header must be 监测点编码,监测点名称,城市,经度,纬度,对照点"});
        return invalid_argument(
            file.string() + ":" + std::to_string(n) +
            ": not a station list (expected the header 监测点编码,监测点名称,城市,经度,纬度,对照点)");
      }
      header = true;
      continue;
    }
    if (cells.size() != 6) {
      ++report.rows_rejected;
      report.add(
          {"truncated_row", name, n, "", "row has " + std::to_string(cells.size()) + " cells, expected 6"});
      continue;
    }
    if (cells[0].empty()) {
      ++report.rows_rejected;
      report.add({"missing_field", name, n, "监测点编码", "station code is empty"});
      continue;
    }
    StationInfo s;
    s.code = std::string(cells[0]);
    s.name = std::string(cells[1]);
    s.city = std::string(cells[2]);
    s.in_site_list = true;
    auto coord = [&](std::string_view text, const char* field) -> std::optional<double> {
      if (text.empty() || text == "-") return std::nullopt;
      try {
        size_t used = 0;
        double v = std::stod(std::string(text), &used);
        if (used == text.size()) return v;
      } catch (const std::exception&) {
      }
      report.add(
          {"bad_number", name, n, field, "'" + std::string(text) + "' is not a coordinate; left empty"});
      return std::nullopt;
    };
    s.longitude = coord(cells[3], "经度");
    s.latitude = coord(cells[4], "纬度");
    if (cells[5] == "Y") {
      s.is_reference = true;
    } else if (cells[5] != "N" && !cells[5].empty()) {
      report.add(
          {"bad_value", name, n, "对照点", "'" + std::string(cells[5]) + "' is not Y or N; taken as N"});
    }
    auto id = rs.upsert_station(s);
    if (!id.ok()) return id.status();
    ++report.stations_listed;
  }
  if (!header) return invalid_argument(file.string() + ": empty station list");
  return Status();
}

StatusOr<ImportReport> import_cnemc(TimeSeriesStore& ts, RecordStore& rs, const fs::path& dir,
                                    const ImportOptions& options) {
  auto t0 = std::chrono::steady_clock::now();
  ImportReport report;
  std::vector<ArchiveFile> files;
  std::vector<std::pair<std::string, std::string>> misnamed;  // (file name, why) of files named for no day
  std::error_code ec;
  if (fs::is_regular_file(dir, ec)) {
    std::string why;
    auto f = classify(dir, &why);
    if (!why.empty()) misnamed.emplace_back(dir.filename().string(), why);
    if (!f && why.empty()) {
      return invalid_argument(dir.string() +
                              ": not an archive file (expected china_sites_YYYYMMDD.csv or "
                              "china_cities_YYYYMMDD.csv)");
    }
    if (f) files.push_back(*f);
  } else if (fs::is_directory(dir, ec)) {
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (!e.is_regular_file()) continue;
      std::string why;
      if (auto f = classify(e.path(), &why)) files.push_back(*f);
      if (!why.empty()) misnamed.emplace_back(e.path().filename().string(), why);
    }
    if (ec) return not_found("cannot list " + dir.string() + ": " + ec.message());
  } else {
    return not_found(dir.string() + ": no such file or directory");
  }
  std::sort(misnamed.begin(), misnamed.end());
  for (auto& [name, why] : misnamed) {
    ++report.files_rejected;
    report.add({"bad_file_name", name, 0, "", why});
  }
  if (files.empty() && misnamed.empty()) {
    return not_found(dir.string() +
                     ": no archive files (china_sites_YYYYMMDD.csv or china_cities_YYYYMMDD.csv)");
  }
  std::sort(files.begin(), files.end(), [](const ArchiveFile& a, const ArchiveFile& b) {
    return a.date != b.date ? a.date < b.date : a.name < b.name;
  });

  // A write transaction is held only while something is written, in batches of whole rows: the station list,
  // a file's new stations, and each month's values once the files have moved past that month (a row of a file
  // is one hour of one pollutant, so it lies in one month). Readers and other writers have the store between
  // the batches. A failure rolls back the batch under way; the batches before it stay, and importing again
  // completes the rest (their values count as already stored).
  bool in_write = false;
  auto begin = [&]() -> Status {
    if (in_write) return Status();
    ECOMON_RETURN_IF_ERROR(rs.begin_write());
    in_write = true;
    return Status();
  };
  auto commit = [&]() -> Status {
    if (!in_write) return Status();
    ECOMON_RETURN_IF_ERROR(rs.commit());
    in_write = false;
    return Status();
  };
  auto fail = [&](Status s) -> StatusOr<ImportReport> {
    if (in_write) rs.rollback();
    return s;
  };
  if (!options.stations_file.empty()) {
    Status st = begin();
    if (st.ok()) st = import_station_list(rs, options.stations_file, report);
    if (st.ok()) st = commit();
    if (!st.ok()) return fail(st);
  }
  std::unordered_map<std::string, int64_t> station_ids;
  bool any_listed = false;
  {
    auto all = rs.all_stations();
    if (!all.ok()) return fail(all.status());
    for (const StationInfo& s : *all) {
      station_ids[s.code] = s.id;
      any_listed = any_listed || s.in_site_list;
    }
  }
  std::unordered_set<std::string> unlisted_reported;
  int64_t unlisted = 0;

  std::unordered_map<BlockKey, std::vector<Milli>, BlockKeyHash> blocks;
  // Line tables of every file read, to place a store conflict at its file and line.
  std::map<std::pair<int32_t, int>,
           std::pair<std::string, std::array<int32_t, kHoursPerFile * kPollutantCount>>>
      lines;  // (date, kind) -> (file name, line_of)
  std::vector<HourConflict> conflicts;
  std::unordered_map<int64_t, std::string> code_of;

  // Months closed by the data audit: their gaps are not filled (the month's audited figures stay).
  std::set<int32_t> closed_months;
  if (options.audit) {
    auto closings = options.audit->month_closings(std::nullopt, std::nullopt);
    if (!closings.ok()) return fail(closings.status());
    for (const MonthClosing& m : *closings) {
      if (m.closed)
        closed_months.insert(m.month.ordinal);
      else
        closed_months.erase(m.month.ordinal);
    }
  }
  std::vector<Milli> stored;
  auto drop_closed_gaps = [&](HourlyBlock& b) -> Status {
    if (!closed_months.count(b.month.ordinal)) return Status();
    ECOMON_RETURN_IF_ERROR(
        ts.read_hourly(b.station_id, b.pollutant, b.month.first_hour(), b.month.hours(), stored));
    for (size_t i = 0; i < b.values.size(); ++i) {
      if (b.values[i] == kMissing || stored[i] != kMissing) continue;
      b.values[i] = kMissing;
      ++report.values_closed_month;
      const Hour h = b.month.first_hour() + static_cast<int64_t>(i);
      const std::string code =
          code_of.count(b.station_id) ? code_of[b.station_id] : std::to_string(b.station_id);
      report.add({"closed_month", "", 0, code,
                  std::string(pollutant_code(b.pollutant)) + " for " + h.to_string() + " is new, but month " +
                      std::to_string(b.month.year()) + "-" + (b.month.month() < 10 ? "0" : "") +
                      std::to_string(b.month.month()) +
                      " is closed (ecomon audit reopen first); not stored"});
    }
    return Status();
  };

  auto flush = [&](MonthKey before) -> Status {
    std::vector<HourlyBlock> out;
    for (auto it = blocks.begin(); it != blocks.end();) {
      if (it->first.month < before.ordinal) {
        out.push_back({it->first.station_id, static_cast<Pollutant>(it->first.pollutant),
                       MonthKey{it->first.month}, std::move(it->second)});
        it = blocks.erase(it);
      } else {
        ++it;
      }
    }
    if (out.empty()) return Status();
    for (HourlyBlock& b : out) ECOMON_RETURN_IF_ERROR(drop_closed_gaps(b));
    std::sort(out.begin(), out.end(), [](const HourlyBlock& a, const HourlyBlock& b) {
      return std::tie(a.station_id, a.pollutant, a.month.ordinal) <
             std::tie(b.station_id, b.pollutant, b.month.ordinal);
    });
    ECOMON_RETURN_IF_ERROR(begin());
    ECOMON_RETURN_IF_ERROR(ts.merge_hourly(out, report.merge, &conflicts));
    return commit();
  };

  int threads = options.threads > 0 ? options.threads
                                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ParsePipeline pipeline(files, threads);
  std::vector<int64_t> col_ids;
  for (size_t fi = 0; fi < files.size(); ++fi) {
    ParsedFile p = pipeline.take(fi);
    add_parsed(report, p);
    if (p.rejected) continue;
    bool cities = p.file.kind == FileKind::kCities;
    col_ids.assign(p.columns.size(), 0);
    for (size_t c = 0; c < p.columns.size(); ++c) {
      std::string code = cities ? std::string(kCityCodePrefix) + p.columns[c] : p.columns[c];
      auto it = station_ids.find(code);
      if (it == station_ids.end()) {
        StationInfo s;
        s.code = code;
        if (cities) {
          s.city = p.columns[c];
          s.name = p.columns[c] + "（城市）";
        }
        if (Status st = begin(); !st.ok()) return fail(st);
        auto id = rs.upsert_station(s);
        if (!id.ok()) return fail(id.status());
        it = station_ids.emplace(code, *id).first;
        if (!cities) {
          ++unlisted;
          if (any_listed && unlisted_reported.insert(code).second) {
            report.add({"unknown_station", p.file.name, 1, code,
                        "station " + code +
                            " is not in the station list: its data are kept, not assigned to a city"});
          }
        }
      }
      col_ids[c] = it->second;
      code_of[it->second] = code;
    }
    if (Status st = commit(); !st.ok()) return fail(st);  // the file's new stations, if any
    lines[{p.file.date.days_since_epoch(), static_cast<int>(p.file.kind)}] = {p.file.name, p.line_of};
    const size_t ncols = p.columns.size();
    for (int hour = 0; hour < kHoursPerFile; ++hour) {
      Hour h = Hour::from_cnemc(p.file.date, hour);
      MonthKey m = MonthKey::of(h.day());
      size_t idx = static_cast<size_t>(h - m.first_hour());
      for (int pol = 0; pol < kPollutantCount; ++pol) {
        size_t row = static_cast<size_t>(hour * kPollutantCount + pol);
        if (p.line_of[row] == 0) continue;
        const Milli* in = p.values.data() + row * ncols;
        for (size_t c = 0; c < ncols; ++c) {
          if (in[c] == kMissing) continue;
          std::vector<Milli>& b = blocks[BlockKey{col_ids[c], pol, m.ordinal}];
          if (b.empty()) b.assign(static_cast<size_t>(m.hours()), kMissing);
          Milli& slot = b[idx];
          if (slot == kMissing) {
            slot = in[c];
          } else if (slot == in[c]) {
            ++report.values_repeated;
          } else {
            ++report.values_conflicting;
            report.add({"conflict", p.file.name, p.line_of[row], p.columns[c],
                        std::string(pollutant_code(static_cast<Pollutant>(pol))) + " for " + h.to_string() +
                            " is " + Decimal{in[c], 3}.to_string() + " here but " +
                            Decimal{slot, 3}.to_string() +
                            " in an earlier file of this import; the first value is kept"});
          }
        }
      }
    }
    Status st = flush(MonthKey::of(p.file.date));
    if (!st.ok()) return fail(st);
    if (options.progress) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      options.progress(
          {static_cast<int64_t>(fi + 1), static_cast<int64_t>(files.size()), report.bytes, secs});
    }
  }
  Status st = flush(MonthKey{std::numeric_limits<int32_t>::max()});
  if (!st.ok()) return fail(st);
  if (!any_listed && unlisted > 0) {
    report.add({"no_station_list", dir.string(), 0, "",
                std::to_string(unlisted) + " stations are not assigned to cities: import a station list "
                                           "(--stations sites.csv) to assess cities"});
  }
  // Where each store conflict came from: the file (dated the hour's day, +1 for hour 24) and line.
  const auto place = [&](const HourConflict& c) -> std::pair<std::string, int32_t> {
    CivilDay file_day = c.hour.hour_ending() == 24 ? c.hour.day() + 1 : c.hour.day();
    int label = c.hour.hour_ending() % 24;
    for (int kind = 0; kind < 2; ++kind) {
      auto it = lines.find({file_day.days_since_epoch(), kind});
      if (it == lines.end()) continue;
      return {it->second.first,
              it->second.second[static_cast<size_t>(label * kPollutantCount + index_of(c.pollutant))]};
    }
    return {"?", 0};
  };
  if (options.audit && !conflicts.empty()) {
    auto kept = record_republished(*options.audit, conflicts, place, options.who, report);
    if (!kept.ok()) return fail(kept.status());
    conflicts = std::move(*kept);
  }
  for (const HourConflict& c : conflicts) {
    // Place the incoming value at its file and line: the file dated the hour's day (+1 for hour 24).
    CivilDay file_day = c.hour.hour_ending() == 24 ? c.hour.day() + 1 : c.hour.day();
    int label = c.hour.hour_ending() % 24;
    std::string file = "?";
    int32_t line = 0;
    for (int kind = 0; kind < 2; ++kind) {
      auto it = lines.find({file_day.days_since_epoch(), kind});
      if (it == lines.end()) continue;
      file = it->second.first;
      line = it->second.second[static_cast<size_t>(label * kPollutantCount + index_of(c.pollutant))];
      break;
    }
    std::string code = code_of.count(c.station_id) ? code_of[c.station_id] : std::to_string(c.station_id);
    report.add({"conflict", file, line, code,
                std::string(pollutant_code(c.pollutant)) + " for " + c.hour.to_string() + " is " +
                    Decimal{c.incoming, 3}.to_string() + " here but " + Decimal{c.stored, 3}.to_string() +
                    " is already stored; the stored value is kept"});
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

}  // namespace ecomon
