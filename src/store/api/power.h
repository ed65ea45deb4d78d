// PowerStore: power-use monitoring (用电监控, issue 22; docs/power.md): the registry of metered lines — per
// enterprise, production (生产设施) or treatment (治污设施) lines, linked to the outlets and emergency-list
// lines they serve, with the power at which each counts as running — the lines' power readings (HJ 212-2025
// ST 44 uploads, one mean power per interval) and the grid company's dedicated-transformer energy (专变,
// daily or monthly kWh per meter).
//
//   stores.power().write_lines(rows);                    // a registry: a row replaces its line
//   auto outcomes = stores.power().write_readings(rs);   // kNew / kSame / kConflict per reading
//   auto rs = stores.power().readings({"E01/P1"}, span);
//   auto sums = stores.power().reading_sums({"E01/P1"}, span);  // count and Σ kW per line, in SQL
//
// Readings and grid energy merge like the other time series: a value stored for the same key is kept (the
// same value: kSame; another: kConflict, the stored value kept and returned). Writing the same rows twice
// changes nothing. Values are exact decimal text (kW, kWh).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "sources/record.h"

namespace ecomon {

struct PowerLineRow {
  std::string line;  // unique within the platform, e.g. "E01/P1"
  std::string enterprise, name;
  std::string role;        // "production" | "treatment"
  std::string running_kw;  // running at a reading >= this, exact decimal text
  int64_t interval_s = 60;
  std::string mn, code;                 // the power module (HJ 212 MN) and the line's code in its uploads
  std::vector<std::string> serves;      // treatment lines: the production lines they treat
  std::vector<std::string> outlets;     // the source registry's outlets the line serves
  std::vector<std::string> list_lines;  // the emergency reduction list's lines (em_measure.line)
  bool operator==(const PowerLineRow&) const = default;
};

// A site that must draw no power (关停/取缔 or 散乱污), read against the grid company's meter.
struct PowerSiteRow {
  std::string site, name, county, meter;
  std::string status;        // "closed" | "scattered" (散乱污)
  std::string closed_since;  // "YYYY-MM-DD"
  bool operator==(const PowerSiteRow&) const = default;
};

struct PowerReadingRow {
  std::string line;
  sources::SourceTime at;  // the interval's start
  std::string kw;          // mean power over the interval, exact decimal text
};

// What the means of a line's readings over a span need (the required cut, power::cut_compliance): the
// readings' count and the sum of their kW in thousandths, computed by the store; `unsummed` holds the
// readings it could not sum (text that is no number of at most 3 decimals, or stored before the thousandths
// were: SQLite migration 14, PostgreSQL 16), as text, by time, for the caller to read or report.
struct PowerReadingSum {
  std::string line;
  int64_t readings = 0;  // summed (the unsummed not counted)
  int64_t milli_kw = 0;
  std::vector<PowerReadingRow> unsummed;
};

struct GridEnergyRow {
  std::string enterprise, meter;
  std::string period;  // "day" | "month"
  std::string start;   // "YYYY-MM-DD" (day) or "YYYY-MM" (month)
  std::string kwh;     // exact decimal text
};

// An enforcement case (issue 22): a closed or 散乱污 site drawing power — one per site and run of days
// above the threshold (power::sites_drawing_power), stored by app::evaluate_power_cases.
struct PowerCaseRow {
  std::string site;
  std::string opened;  // "YYYY-MM-DD": the run's first day above the threshold
  std::string closed;  // "YYYY-MM-DD": the first day at or below it (or without a figure); "" while open
  std::string name, county, meter, status;  // the site's when found
  int64_t days = 0;                         // days in the run
  std::string threshold_kwh;                // the threshold it was judged on (exact decimal text)
  int64_t found_ms = 0, updated_ms = 0;     // first stored, last changed (UTC ms)
  bool operator==(const PowerCaseRow&) const = default;
};

struct PowerWriteOutcome {
  enum class Kind : uint8_t { kNew, kSame, kConflict };
  Kind kind = Kind::kNew;
  std::string stored;  // kConflict: the stored value
};

class PowerStore {
 public:
  virtual ~PowerStore() = default;

  // Registries: a row replaces what is stored for its key (line / site), in one transaction.
  virtual Status write_lines(const std::vector<PowerLineRow>& rows) = 0;
  virtual Status write_sites(const std::vector<PowerSiteRow>& rows) = 0;
  // enterprise "" = every enterprise; by line id.
  virtual StatusOr<std::vector<PowerLineRow>> lines(const std::string& enterprise) = 0;
  virtual StatusOr<std::vector<PowerSiteRow>> sites() = 0;

  // Time series, merged as above, in one transaction; one outcome per row.
  virtual StatusOr<std::vector<PowerWriteOutcome>> write_readings(
      const std::vector<PowerReadingRow>& rows) = 0;
  virtual StatusOr<std::vector<PowerWriteOutcome>> write_grid(const std::vector<GridEnergyRow>& rows) = 0;
  // The readings of the lines whose interval starts in [span.begin, span.end), by line then time.
  virtual StatusOr<std::vector<PowerReadingRow>> readings(const std::vector<std::string>& lines,
                                                          sources::TimeSpan span) = 0;
  // The sums of each line's readings whose interval starts in [span.begin, span.end), by line (one per line
  // asked, once; a line without readings has 0 and 0).
  virtual StatusOr<std::vector<PowerReadingSum>> reading_sums(const std::vector<std::string>& lines,
                                                              sources::TimeSpan span) = 0;
  // Grid rows of the meters (empty: all) whose period starts in [from, to] (text compare of `start`), by
  // meter, period, start.
  virtual StatusOr<std::vector<GridEnergyRow>> grid(const std::vector<std::string>& meters,
                                                    const std::string& from, const std::string& to) = 0;

  // Enforcement cases, keyed by (site, opened), in one transaction: a new key is added (found_ms =
  // updated_ms = now_ms); a stored one is updated (closed, days, threshold; updated_ms = now_ms) only when
  // one of those differs. Returns the rows changed (0: everything was stored as it is).
  virtual StatusOr<int64_t> write_cases(const std::vector<PowerCaseRow>& rows, int64_t now_ms) = 0;
  // county "" = every county; by opened, then site.
  virtual StatusOr<std::vector<PowerCaseRow>> cases(const std::string& county) = 0;
};

}  // namespace ecomon
