// Test support (not part of the library): a targets store's fixtures — the city known by one station (its
// list imported, no air data), and a plan directory (plans.csv, targets.csv) imported into the ledger.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "app/ledger.h"
#include "ingest/cnemc.h"

namespace ecomon::test_support {

// 演示市 with one assessment station, 9160A.
inline void import_city_station(Stores& stores, const std::filesystem::path& dir) {
  std::ofstream(dir / "sites.csv") << "监测点编码,监测点名称,城市,经度,纬度,对照点\n"
                                      "9160A,市监测站,演示市,112.8502,35.4981,N\n";
  ImportReport report;
  ASSERT_TRUE(import_station_list(stores.records(), dir / "sites.csv", report).ok());
}

// A plan `plan_row` ("id,title,document,issued,year,seed,note" values) with the target rows given (the
// targets.csv columns), imported by the console operator.
inline void import_plan(Stores& stores, const std::filesystem::path& dir, const std::string& plan_row,
                        const std::string& target_rows) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "plans.csv") << "plan,title,document,issued,year,seed,note\n" << plan_row << "\n";
  std::ofstream(dir / "targets.csv") << "plan,indicator,label,scope,comparison,value,unit,period,owner,note\n"
                                     << target_rows;
  auto imp = app::ledger_import(stores, Actor::operator_cli(), dir);
  ASSERT_TRUE(imp.ok()) << imp.status().message();
}

}  // namespace ecomon::test_support
