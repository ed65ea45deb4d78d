// QualityStore: the environmental quality records (surface-water sections and their monthly values,
// groundwater wells and their samplings, drinking-water sources and their samples, noise points and
// measurements, acid-rain samples) as the CSV templates (ingest/quality_csv.h) deliver them, checked.
//
//   QualityBatch batch;                                   // one file's checked rows
//   batch.water_sections.push_back({"陟椒", "沁河", "阳城县", "river", "II", "national"});
//   ECOMON_RETURN_IF_ERROR(stores.quality().write(batch));  // all or nothing
//   auto values = stores.quality().water_values("2025-01", "2025-12");
//
// Values are kept as the exact decimal text that was imported, so judgements read them back exactly. A
// registry row (section, well, source, point) replaces the one of the same name; a value replaces the one of
// the same subject, period and item: writing the same batch twice changes nothing. Reads return a period's
// rows in one call (no per-row round trips), in the order the backend keeps them (registries in import
// order, values by subject and period).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace ecomon {

struct WaterSectionRecord {
  std::string name, river, county, body, target, level;
};
struct ValueRecord {                         // one measured value of a section, well or drinking-water source
  std::string subject, period, item, value;  // period: YYYY-MM (water, sources) or YYYY-MM-DD (wells)
  bool not_detected = false;                 // wells only
  std::string volume;                        // drinking-water samples only
};
struct SiteRecord {  // a well or drinking-water source (name, county, kind) or noise point (name, kind, zone,
                     // length; county "")
  std::string name, county, kind, zone, length;
};
struct NoiseRecord {
  std::string point, date, part, leq, lmax;
};
struct RainRecord {
  std::string site, date, ph, rainfall;
};

// Checked rows of one import, written in one transaction.
struct QualityBatch {
  std::vector<WaterSectionRecord> water_sections;
  std::vector<ValueRecord> water_values;
  std::vector<SiteRecord> wells;
  std::vector<ValueRecord> well_values;
  std::vector<SiteRecord> sources;
  std::vector<ValueRecord> source_values;
  std::vector<SiteRecord> noise_points;
  std::vector<NoiseRecord> noise_values;
  std::vector<RainRecord> rain_samples;
};

class QualityStore {
 public:
  virtual ~QualityStore() = default;

  // Every row of the batch, or none (a failure of the store leaves what was stored).
  virtual Status write(const QualityBatch& batch) = 0;

  virtual StatusOr<std::vector<WaterSectionRecord>> water_sections() = 0;
  // Months in [first, last] ("YYYY-MM").
  virtual StatusOr<std::vector<ValueRecord>> water_values(const std::string& first_month,
                                                          const std::string& last_month) = 0;
  virtual StatusOr<std::vector<SiteRecord>> wells() = 0;
  // Days in [first, last] ("YYYY-MM-DD").
  virtual StatusOr<std::vector<ValueRecord>> well_values(const std::string& first_day,
                                                         const std::string& last_day) = 0;
  virtual StatusOr<std::vector<SiteRecord>> sources() = 0;
  virtual StatusOr<std::vector<ValueRecord>> source_values(const std::string& first_month,
                                                           const std::string& last_month) = 0;
  virtual StatusOr<std::vector<SiteRecord>> noise_points() = 0;
  virtual StatusOr<std::vector<NoiseRecord>> noise_values(const std::string& first_day,
                                                          const std::string& last_day) = 0;
  virtual StatusOr<std::vector<RainRecord>> rain_samples(const std::string& first_day,
                                                         const std::string& last_day) = 0;
};

}  // namespace ecomon
