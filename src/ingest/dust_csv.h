// The fugitive-dust point template (dust_points.csv, docs/dust.md):
//   id,name,type,owner,county,lon,lat,mn
// type: boundary (厂界/无组织), construction (工地), road (道路), other (其他); lon/lat decimal degrees; mn
// the point's HJ 212 MN. Each row is checked; a bad row is reported at file:line [column] and skipped, the
// good rows go to the store in one batch (DustStore, one transaction). Idempotent: a row equal to the stored
// point is counted as same and not written; a changed row replaces the point.
//
//   auto imp = import_dust_points(stores.dust(), "dust_points.csv");
//   std::cout << imp->summary();     // exit code 1 when imp->has_rejections()
#pragma once

#include <string>

#include "core/status.h"
#include "ingest/import_report.h"
#include "store/api/dust.h"

namespace ecomon {

inline constexpr const char* kDustPointsHeader = "id,name,type,owner,county,lon,lat,mn";

// Fails (Status) only when the file cannot be read or the store fails (then nothing of the file is stored).
StatusOr<ImportReport> import_dust_points(DustStore& store, const std::string& path);

}  // namespace ecomon
