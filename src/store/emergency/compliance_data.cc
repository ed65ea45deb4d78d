#include "store/emergency/compliance_data.h"

#include <memory>
#include <optional>

#include "ingest/hj212/codec.h"
#include "ingest/hj212/encoder.h"
#include "store/sources/registry_store.h"
#include "store/sources/stored_record.h"
#include "store/sqlite_store.h"

namespace ecomon {
namespace {

constexpr int kHourlyCn = 2061;
constexpr int64_t kMaxRecordsPerDevice = 1'000'000;

}  // namespace

MonitoringReader hj212_monitoring(const std::string& db_path) {
  struct Opened {
    std::unique_ptr<SourceRegistryStore> registry_store;
    RegistryLoad registry;
    std::unique_ptr<SqliteStore> uploads;
  };
  auto opened = std::make_shared<std::optional<Opened>>();
  return [db_path, opened](const std::string& source_enterprise,
                           const CompliancePeriod& period) -> StatusOr<MonitoredSeries> {
    if (!*opened) {
      auto rs = SourceRegistryStore::open(db_path);
      if (!rs.ok()) return rs.status();
      auto reg = (*rs)->load();
      if (!reg.ok()) return reg.status();
      auto st = SqliteStore::open(db_path);
      if (!st.ok()) return st.status();
      *opened = Opened{std::move(*rs), std::move(*reg), std::move(*st)};
    }
    const auto& registry = (*opened)->registry.registry;
    SqliteStore& uploads = *(*opened)->uploads;
    MonitoredSeries out;
    out.registered = registry.find_enterprise(source_enterprise) != nullptr;
    auto read = [&](const sources::Device& d, const sources::TimeSpan& span,
                    std::vector<sources::MonitoringRecord>& into) -> Status {
      auto recs = uploads.source_records(d.mn, kHourlyCn, span.begin.to_digits(), (span.end - 1).to_digits(),
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
    for (const sources::Outlet* o : registry.outlets_of(source_enterprise)) {
      if (o->kind != sources::OutletKind::kGas) continue;
      for (const sources::Device* d : registry.devices_of(o->id)) {
        emergency::DeviceSeries s{.mn = d->mn};
        ECOMON_RETURN_IF_ERROR(read(*d, period.baseline, s.baseline));
        ECOMON_RETURN_IF_ERROR(read(*d, period.warning, s.warning));
        out.devices.push_back(std::move(s));
      }
    }
    return out;
  };
}

}  // namespace ecomon
