// SoilStore: soil monitoring data (docs/soil.md): survey points with their measured items, the
// development-land plot registry (疑似污染地块 → 污染地块 → 风险管控中 → 已修复 → 安全利用) and farmland
// parcels (图斑, for the safe-use rate), as the soil CSV templates (ingest/soil_csv.h) deliver them, checked.
//
//   auto outcomes = stores.soil().write_samples(rows);   // one outcome per row, all written or none
//   auto points = stores.soil().points("");              // soil::SoilPoint records, every county
//
// Samples merge: a value already stored for the same point and item is kept (the same value: kSame; another:
// kValueConflict, the stored value kept); a row that gives a stored point another county, land use or pH is
// not written (kPointConflict). Plots and parcels are registries: a row replaces what is stored for its id.
// Writing the same rows twice changes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "soil/survey.h"

namespace ecomon {

struct SoilSampleRow {
  std::string point, county, land_use,
      ph;             // land_use as a key (soil::land_use_key); ph "" for development land
  std::string item;   // GB 15618 key or GB 36600 official name
  std::string value;  // mg/kg, exact decimal text
  bool not_detected = false;
  int64_t line = 0;  // where it was read (for the importer's conflict reports)
};
struct SoilPlotRow {
  std::string plot, name, county, planned_use, area,
      status;  // planned_use: class1|class2|unclear; status key
  bool redeveloped = false;
};
struct SoilParcelRow {
  std::string parcel, county, area, category;  // category key: priority|safe_use|strict
  bool light = false, measures = false;
  std::string produce;  // "pass", "fail" or "" (not tested)
};

// What became of one sample row.
struct SoilSampleOutcome {
  enum class Kind : uint8_t { kNew, kSame, kValueConflict, kPointConflict };
  Kind kind = Kind::kNew;
  std::string field;                 // kPointConflict: "county", "land_use" or "ph"
  std::string county, land_use, ph;  // kPointConflict: the stored point
  std::string value;                 // kValueConflict: the stored value
  bool not_detected = false;         // kValueConflict: the stored value's flag
};

class SoilStore {
 public:
  virtual ~SoilStore() = default;

  // The rows in order, merged as above, in one transaction; one outcome per row.
  virtual StatusOr<std::vector<SoilSampleOutcome>> write_samples(const std::vector<SoilSampleRow>& rows) = 0;
  virtual Status write_plots(const std::vector<SoilPlotRow>& rows) = 0;
  virtual Status write_parcels(const std::vector<SoilParcelRow>& rows) = 0;

  // Points with their values, by point id; county "" = all.
  virtual StatusOr<std::vector<soil::SoilPoint>> points(const std::string& county) = 0;
  virtual StatusOr<std::vector<SoilPlotRow>> plots(const std::string& county) = 0;
  virtual StatusOr<std::vector<SoilParcelRow>> parcels(const std::string& county) = 0;
};

}  // namespace ecomon
