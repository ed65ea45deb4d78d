#include "store/emergency/compliance_data.h"

#include "ingest/hj212/codec.h"
#include "ingest/hj212/encoder.h"
#include "store/sources/registry_store.h"
#include "store/sources/stored_record.h"
#include "store/sqlite_store.h"

namespace ecomon {
namespace {

constexpr int kHourlyCn = 2061;
constexpr int64_t kMaxRecordsPerDevice = 1'000'000;

std::string civil_minute(sources::SourceTime t) { return t.to_string().substr(0, 16); }  // "YYYY-MM-DD hh:mm"

}  // namespace

StatusOr<ComplianceReport> list_compliance(EmergencyStore& es, const std::string& db_path,
                                           const CompliancePeriod& period,
                                           const emergency::ComplianceParams& params) {
  if (period.level == emergency::WarningLevel::kNone) return invalid_argument("compliance: no warning level");
  if (!(period.warning.begin < period.warning.end) || !(period.baseline.begin < period.baseline.end))
    return invalid_argument("compliance: a period is empty");
  auto list = es.load_list();
  if (!list.ok()) return list.status();
  auto inspections = es.inspections();
  if (!inspections.ok()) return inspections.status();
  auto rs = SourceRegistryStore::open(db_path);
  if (!rs.ok()) return rs.status();
  auto reg = (*rs)->load();
  if (!reg.ok()) return reg.status();
  auto st = SqliteStore::open(db_path);
  if (!st.ok()) return st.status();

  ComplianceReport out;
  auto read = [&](const sources::Device& d, const sources::TimeSpan& span,
                  std::vector<sources::MonitoringRecord>& into) -> Status {
    auto recs = (*st)->source_records(d.mn, kHourlyCn, span.begin.to_digits(), (span.end - 1).to_digits(),
                                      kMaxRecordsPerDevice);
    if (!recs.ok()) return recs.status();
    for (const SourceRecord& r : *recs) {
      ++out.records;
      auto m = monitoring_record(r, d.password);
      if (m.ok()) {
        into.push_back(std::move(*m));
      } else {
        ++out.undecodable;
      }
    }
    return Status::ok_status();
  };
  for (const emergency::Enterprise& e : list->enterprises) {
    std::vector<emergency::DeviceSeries> series;
    if (!e.source_enterprise.empty()) {
      if (!reg->registry.find_enterprise(e.source_enterprise)) {
        out.problems.push_back(e.id + ": source enterprise " + e.source_enterprise +
                               " is not in the source registry");
      }
      for (const sources::Outlet* o : reg->registry.outlets_of(e.source_enterprise)) {
        if (o->kind != sources::OutletKind::kGas) continue;
        for (const sources::Device* d : reg->registry.devices_of(o->id)) {
          emergency::DeviceSeries s{.mn = d->mn};
          ECOMON_RETURN_IF_ERROR(read(*d, period.baseline, s.baseline));
          ECOMON_RETURN_IF_ERROR(read(*d, period.warning, s.warning));
          series.push_back(std::move(s));
        }
      }
    }
    out.results.push_back(emergency::check_compliance(e, period.level, series, *inspections,
                                                      civil_minute(period.warning.begin),
                                                      civil_minute(period.warning.end), params));
  }
  return out;
}

}  // namespace ecomon
