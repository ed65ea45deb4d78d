// Test helper: the stores opened on one file, with the quality importer's entry points (ingest/quality_csv.h)
// and the quality reads, for the quality store, demo and CLI tests.
#pragma once

#include <memory>
#include <string>

#include "ingest/quality_csv.h"
#include "store/sqlite_stores.h"

namespace ecomon {

// The stores opened on one file, with the importer's entry points (ingest/quality_csv.h) and the reads.
class TestQualityStore {
 public:
  static StatusOr<std::unique_ptr<TestQualityStore>> open(const std::string& path) {
    auto s = open_sqlite_stores(path);
    if (!s.ok()) return s.status();
    auto t = std::make_unique<TestQualityStore>();
    t->owned_ = std::move(*s);
    t->stores_ = t->owned_.get();
    return t;
  }
  // Over stores someone else keeps (store/test_store_backends.h: any backend).
  static std::unique_ptr<TestQualityStore> over(Stores& stores) {
    auto t = std::make_unique<TestQualityStore>();
    t->stores_ = &stores;
    return t;
  }
  StatusOr<ImportReport> import_file(QualityTemplate t, const std::string& path) {
    return import_quality_file(stores_->quality(), t, path);
  }
  StatusOr<ImportReport> import_dir(const std::string& dir) {
    return import_quality_dir(stores_->quality(), dir);
  }
  QualityStore& q() { return stores_->quality(); }
  auto water_sections() { return q().water_sections(); }
  auto water_values(const std::string& a, const std::string& b) { return q().water_values(a, b); }
  auto wells() { return q().wells(); }
  auto well_values(const std::string& a, const std::string& b) { return q().well_values(a, b); }
  auto sources() { return q().sources(); }
  auto source_values(const std::string& a, const std::string& b) { return q().source_values(a, b); }
  auto noise_points() { return q().noise_points(); }
  auto noise_values(const std::string& a, const std::string& b) { return q().noise_values(a, b); }
  auto rain_samples(const std::string& a, const std::string& b) { return q().rain_samples(a, b); }

 private:
  std::unique_ptr<Stores> owned_;
  Stores* stores_ = nullptr;
};

}  // namespace ecomon
