// The emergency list's CSV templates (docs/emergency.md "Templates"): their file names and header lines, in
// the order a directory is imported (references point backwards). The parser is ingest/emergency_csv.h's; the
// demo list (demo/emergency_demo.h) writes them.
#pragma once

#include <cstdint>

namespace ecomon {

enum class EmergencyTemplate : uint8_t {
  kEnterprises,  // enterprises.csv  id,name,county,industry,grade,guarantee,source_enterprise
  kLines,        // lines.csv        enterprise,line,name,process,unit,so2,nox,pm,vocs
  kMeasures,  // measures.csv     enterprise,line,level,measure,cut_percent,process,unit,so2,nox,pm,vocs,note
  kInspections,  // inspections.csv  enterprise,time,inspector,result,note
};
inline constexpr int kEmergencyTemplateCount = 4;

struct EmergencyTemplateInfo {
  EmergencyTemplate t;
  const char* file;
  const char* header;
};
inline constexpr EmergencyTemplateInfo kEmergencyTemplates[kEmergencyTemplateCount] = {
    {EmergencyTemplate::kEnterprises, "enterprises.csv",
     "id,name,county,industry,grade,guarantee,source_enterprise"},
    {EmergencyTemplate::kLines, "lines.csv", "enterprise,line,name,process,unit,so2,nox,pm,vocs"},
    {EmergencyTemplate::kMeasures, "measures.csv",
     "enterprise,line,level,measure,cut_percent,process,unit,so2,nox,pm,vocs,note"},
    {EmergencyTemplate::kInspections, "inspections.csv", "enterprise,time,inspector,result,note"},
};

inline const char* emergency_template_file(EmergencyTemplate t) {
  return kEmergencyTemplates[static_cast<int>(t)].file;
}
inline const char* emergency_template_header(EmergencyTemplate t) {
  return kEmergencyTemplates[static_cast<int>(t)].header;
}

// The forecast template (forecast.csv: date,aqi), read by ingest's read_forecast_csv and not stored.
inline constexpr const char* kForecastHeader = "date,aqi";

}  // namespace ecomon
