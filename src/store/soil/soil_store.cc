#include "store/soil/soil_store.h"

#include <chrono>
#include <filesystem>
#include <map>

#include "standards/water/exact.h"
#include "store/sources/sql_db.h"

namespace ecomon {
namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS soil_point(point TEXT PRIMARY KEY, county TEXT NOT NULL, land_use TEXT NOT NULL,
  ph TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS soil_value(point TEXT NOT NULL, item TEXT NOT NULL, value TEXT NOT NULL,
  nd INTEGER NOT NULL, PRIMARY KEY(point, item));
CREATE TABLE IF NOT EXISTS soil_plot(plot TEXT PRIMARY KEY, name TEXT NOT NULL, county TEXT NOT NULL,
  planned_use TEXT NOT NULL, area TEXT NOT NULL, status TEXT NOT NULL, redeveloped INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS soil_parcel(parcel TEXT PRIMARY KEY, county TEXT NOT NULL, area TEXT NOT NULL,
  category TEXT NOT NULL, light INTEGER NOT NULL, measures INTEGER NOT NULL, produce TEXT NOT NULL);
)SQL";

std::string flag(bool b) { return b ? "1" : "0"; }

}  // namespace

SoilStore::SoilStore(std::unique_ptr<SqlDb> db) : db_(std::move(db)) {}
SoilStore::~SoilStore() = default;

StatusOr<std::unique_ptr<SoilStore>> SoilStore::open(const std::string& path) {
  auto db = SqlDb::open(path, kSchema);
  if (!db.ok()) return db.status();
  return std::unique_ptr<SoilStore>(new SoilStore(std::move(*db)));
}

Status SoilStore::write_samples(const std::vector<SoilSampleRow>& rows, const std::string& file,
                                ImportReport& report) {
  // Stored points and values, to keep what is there and report what differs.
  auto stored_points = db_->query("SELECT point, county, land_use, ph FROM soil_point", {});
  if (!stored_points.ok()) return stored_points.status();
  std::map<std::string, SqlRow> points;
  for (SqlRow& r : *stored_points) points[r[0]] = r;
  auto stored_values = db_->query("SELECT point, item, value, nd FROM soil_value", {});
  if (!stored_values.ok()) return stored_values.status();
  std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> values;
  for (SqlRow& r : *stored_values) values[{r[0], r[1]}] = {r[2], r[3]};

  return db_->in_transaction([&]() -> Status {
    for (const SoilSampleRow& s : rows) {
      auto p = points.find(s.point);
      if (p != points.end()) {
        const SqlRow& st = p->second;
        std::string field = st[1] != s.county     ? "county"
                            : st[2] != s.land_use ? "land_use"
                            : st[3] != s.ph       ? "ph"
                                                  : "";
        if (!field.empty()) {
          report.add(ImportIssue{"conflict", file, s.line, field,
                                 "point '" + s.point + "' is stored with county '" + st[1] + "', land use '" +
                                     st[2] + "', pH '" + st[3] + "': row not imported"});
          ++report.rows_rejected;
          --report.values;
          continue;
        }
      } else {
        ECOMON_RETURN_IF_ERROR(
            db_->run("INSERT INTO soil_point(point, county, land_use, ph) VALUES(?1,?2,?3,?4)",
                     {s.point, s.county, s.land_use, s.ph}));
        points[s.point] = {s.point, s.county, s.land_use, s.ph};
      }
      auto v = values.find({s.point, s.item});
      if (v == values.end()) {
        ECOMON_RETURN_IF_ERROR(db_->run("INSERT INTO soil_value(point, item, value, nd) VALUES(?1,?2,?3,?4)",
                                        {s.point, s.item, s.value, flag(s.not_detected)}));
        values[{s.point, s.item}] = {s.value, flag(s.not_detected)};
        ++report.merge.values_new;
      } else if (v->second.first == s.value && v->second.second == flag(s.not_detected)) {
        ++report.merge.values_same;
      } else {
        ++report.merge.values_conflicting;
        report.add(ImportIssue{"conflict", file, s.line, "value",
                               s.point + " " + s.item + ": stored " + v->second.first + " mg/kg" +
                                   (v->second.second == "1" ? " (未检出)" : "") + ", the file says " +
                                   s.value + " mg/kg" + (s.not_detected ? " (未检出)" : "") +
                                   "; the stored value is kept"});
      }
    }
    return Status();
  });
}

StatusOr<ImportReport> SoilStore::import_file(SoilTemplate t, const std::string& path) {
  auto started = std::chrono::steady_clock::now();
  auto csv = read_soil_csv(t, path);
  if (!csv.ok()) return csv.status();
  ImportReport& report = csv->report;
  std::string file = std::filesystem::path(path).filename().string();
  Status s;
  if (t == SoilTemplate::kSamples) {
    s = write_samples(csv->samples, file, report);
  } else if (t == SoilTemplate::kPlots) {
    s = db_->in_transaction([&]() -> Status {
      for (const SoilPlotRow& p : csv->plots) {
        ECOMON_RETURN_IF_ERROR(db_->run(
            "INSERT OR REPLACE INTO soil_plot(plot, name, county, planned_use, area, status, redeveloped) "
            "VALUES(?1,?2,?3,?4,?5,?6,?7)",
            {p.plot, p.name, p.county, p.planned_use, p.area, p.status, flag(p.redeveloped)}));
      }
      return Status();
    });
  } else {
    s = db_->in_transaction([&]() -> Status {
      for (const SoilParcelRow& p : csv->parcels) {
        ECOMON_RETURN_IF_ERROR(db_->run(
            "INSERT OR REPLACE INTO soil_parcel(parcel, county, area, category, light, measures, produce) "
            "VALUES(?1,?2,?3,?4,?5,?6,?7)",
            {p.parcel, p.county, p.area, p.category, flag(p.light), flag(p.measures), p.produce}));
      }
      return Status();
    });
  }
  if (!s.ok()) return s.with_context("importing " + file + " (nothing stored)");
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return std::move(report);
}

StatusOr<ImportReport> SoilStore::import_path(const std::string& path) {
  if (!std::filesystem::is_directory(path)) {
    auto t = detect_soil_template(path);
    if (!t.ok()) return t.status();
    return import_file(*t, path);
  }
  ImportReport total;
  bool any = false;
  for (int t = 0; t < kSoilTemplateCount; ++t) {
    std::filesystem::path p = std::filesystem::path(path) / soil_template_file(static_cast<SoilTemplate>(t));
    if (!std::filesystem::exists(p)) continue;
    any = true;
    auto r = import_file(static_cast<SoilTemplate>(t), p.string());
    if (!r.ok()) return r.status();
    total.absorb(*r);
  }
  if (!any)
    return not_found("no soil template file in '" + path +
                     "' (soil_samples.csv, soil_plots.csv, soil_parcels.csv)");
  return total;
}

StatusOr<std::vector<soil::SoilPoint>> SoilStore::points(const std::string& county) {
  auto rows = db_->query(
      "SELECT p.point, p.county, p.land_use, p.ph, v.item, v.value, v.nd FROM soil_point p "
      "JOIN soil_value v ON v.point = p.point WHERE ?1 = '' OR p.county = ?1 ORDER BY p.point, v.rowid",
      {county});
  if (!rows.ok()) return rows.status();
  std::vector<soil::SoilPoint> out;
  for (const SqlRow& r : *rows) {
    if (out.empty() || out.back().id != r[0]) out.push_back({r[0], r[1], r[2], r[3], {}});
    out.back().values.push_back({r[4], r[5], r[6] == "1"});
  }
  return out;
}

StatusOr<std::vector<SoilPlotRow>> SoilStore::plots(const std::string& county) {
  auto rows = db_->query(
      "SELECT plot, name, county, planned_use, area, status, redeveloped FROM soil_plot "
      "WHERE ?1 = '' OR county = ?1 ORDER BY plot",
      {county});
  if (!rows.ok()) return rows.status();
  std::vector<SoilPlotRow> out;
  for (const SqlRow& r : *rows) out.push_back({r[0], r[1], r[2], r[3], r[4], r[5], r[6] == "1"});
  return out;
}

StatusOr<std::vector<SoilParcelRow>> SoilStore::parcels(const std::string& county) {
  auto rows = db_->query(
      "SELECT parcel, county, area, category, light, measures, produce FROM soil_parcel "
      "WHERE ?1 = '' OR county = ?1 ORDER BY parcel",
      {county});
  if (!rows.ok()) return rows.status();
  std::vector<SoilParcelRow> out;
  for (const SqlRow& r : *rows) out.push_back({r[0], r[1], r[2], r[3], r[4] == "1", r[5] == "1", r[6]});
  return out;
}

std::vector<soil::Plot> to_plots(const std::vector<SoilPlotRow>& rows) {
  std::vector<soil::Plot> out;
  for (const SoilPlotRow& r : rows) {
    out.push_back({r.plot, exact::parse(r.area).value_or(Rational{}),
                   soil::parse_plot_status(r.status).value_or(soil::PlotStatus::kSuspected), r.redeveloped});
  }
  return out;
}

std::vector<soil::FarmParcel> to_parcels(const std::vector<SoilParcelRow>& rows) {
  std::vector<soil::FarmParcel> out;
  for (const SoilParcelRow& r : rows) {
    soil::FarmParcel f;
    f.id = r.parcel;
    f.area = exact::parse(r.area).value_or(Rational{});
    f.category = soil::parse_category(r.category).value_or(soil::FarmCategory::kPriorityProtection);
    f.light_pollution = r.light;
    f.measures_applied = r.measures;
    if (!r.produce.empty()) f.produce_passes = r.produce == "pass";
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace ecomon
