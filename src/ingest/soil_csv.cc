#include "ingest/soil_csv.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/csv.h"
#include "core/utf8.h"
#include "ingest/csv_row.h"
#include "soil/gb15618.h"
#include "soil/rates.h"
#include "soil/sample.h"
#include "soil/survey.h"
#include "soil/text.h"
#include "standards/water/exact.h"

namespace ecomon {
namespace {

constexpr int64_t kMaxPh = 14;

struct TemplateInfo {
  const char* file;
  const char* header;
};
constexpr TemplateInfo kTemplates[kSoilTemplateCount] = {
    {"soil_samples.csv", "point,county,land_use,ph,item,value,unit"},
    {"soil_plots.csv", "plot,name,county,planned_use,area_m2,status,redeveloped"},
    {"soil_parcels.csv", "parcel,county,area_mu,category,light,measures,produce"},
};

// The cells of one line, surrounding blanks dropped.
std::vector<std::string> cells(std::string_view line) { return csv_cells(line); }

// One row being checked: each problem is reported at file:line [column] (ingest/csv_row.h).
struct Row : CsvRow {
  // A decimal above 0 (areas).
  std::optional<Rational> positive(size_t column) {
    if (!need(column)) return std::nullopt;
    auto v = exact::parse(c[column]);
    if (!v || v->num <= 0) {
      fail("bad_number", column, "'" + c[column] + "' is not a number above 0");
      return std::nullopt;
    }
    return v;
  }
  // yes/no, 是/否, y/n, 1/0, true/false.
  std::optional<bool> flag(size_t column) {
    std::string v = soil::lower_ascii(c[column]);
    if (v == "yes" || v == "y" || v == "1" || v == "true" || v == "是") return true;
    if (v == "no" || v == "n" || v == "0" || v == "false" || v == "否" || v.empty()) return false;
    fail("bad_flag", column, "'" + c[column] + "' is not yes/no (是/否)");
    return std::nullopt;
  }
};

// What a point was first given in this file (its county, land use and pH must not change between rows).
struct PointSeen {
  int64_t line;
  std::string county, land_use, ph;
};

void check_sample(Row& row, std::map<std::string, PointSeen>& points, std::set<std::string>& keys,
                  SoilCsv& out) {
  const auto& c = row.c;
  enum Col : uint8_t { kPoint, kCounty, kLandUse, kPh, kItem, kValue, kUnit };
  row.need(kPoint);
  row.need(kCounty);
  auto use = soil::parse_land_use(c[kLandUse]);
  if (!use.ok()) row.fail("bad_land_use", kLandUse, use.status().message());
  std::string ph;
  if (c[kPh].empty()) {
    if (use.ok() && use->farmland) {
      row.fail("missing_ph", kPh,
               "a farmland point needs its pH: GB 15618 values depend on it and no band is assumed");
    }
  } else if (auto v = exact::parse(c[kPh]); !v || v->num < 0 || *v > Rational{kMaxPh, 1}) {
    row.fail("bad_ph", kPh, "'" + c[kPh] + "' is not a pH in 0..14");
  } else {
    ph = exact::to_string(*v);
  }
  std::string item;
  if (use.ok() && row.need(kItem)) {
    if (use->farmland) {
      if (auto i = soil::farm_item_by_name(c[kItem]))
        item = soil::farm_item_info(*i).key;
      else
        row.fail("unknown_item", kItem,
                 "'" + c[kItem] +
                     "' is not a GB 15618 item (Cd Hg As Pb Cr Cu Ni Zn, 六六六总量 滴滴涕总量 苯并[a]芘)");
    } else {
      if (auto i = soil::dev_item_by_name(c[kItem]))
        item = soil::dev_item_info(*i).name_cn;
      else
        row.fail("unknown_item", kItem, "'" + c[kItem] + "' is not a GB 36600 Table 1 or 2 item");
    }
  }
  std::string value;
  bool nd = false;
  if (row.need(kValue)) {
    auto lab = soil::parse_lab_value(c[kValue]);
    if (!lab.ok()) {
      row.fail("bad_number", kValue, lab.status().message());
    } else if (auto mg = soil::to_mg_per_kg(lab->value, c[kUnit]); !mg.ok()) {
      row.fail("bad_unit", kUnit, mg.status().message());
    } else if (value = exact::to_string(*mg); exact::parse(value) != mg.value()) {
      // The store keeps mg/kg as exact decimal text, which has at most 9 decimals (exact::to_string).
      row.fail(
          "bad_number", kValue,
          "'" + c[kValue] + " " + c[kUnit] + "' has more than 9 decimals in mg/kg (it would be rounded)");
    } else {
      nd = lab->not_detected;
    }
  }
  if (!row.ok) return;
  std::string use_key(soil::land_use_key(*use));
  auto [seen, first] = points.emplace(c[kPoint], PointSeen{row.line, c[kCounty], use_key, ph});
  if (!first) {
    const PointSeen& s = seen->second;
    std::string earlier = " than at line " + std::to_string(s.line);
    if (s.county != c[kCounty])
      row.fail("conflict", kCounty, "point '" + c[kPoint] + "' has another county" + earlier);
    else if (s.land_use != use_key)
      row.fail("conflict", kLandUse, "point '" + c[kPoint] + "' has another land use" + earlier);
    else if (s.ph != ph)
      row.fail("conflict", kPh, "point '" + c[kPoint] + "' has another pH" + earlier);
    if (!row.ok) return;
  }
  if (!keys.insert(c[kPoint] + "|" + item).second) {
    row.fail("duplicate", kItem, "point '" + c[kPoint] + "' has " + item + " earlier in this file");
    return;
  }
  out.samples.push_back({c[kPoint], c[kCounty], use_key, ph, item, value, nd, row.line});
}

void check_plot(Row& row, std::set<std::string>& keys, SoilCsv& out) {
  const auto& c = row.c;
  enum Col : uint8_t { kPlot, kName, kCounty, kPlannedUse, kArea, kStatus, kRedeveloped };
  row.need(kPlot);
  row.need(kCounty);
  auto use = soil::parse_land_use(c[kPlannedUse]);
  if (!use.ok() || use->farmland) {
    row.fail("bad_land_use", kPlannedUse,
             "'" + c[kPlannedUse] + "' is not 第一类用地|第二类用地|用途不明确 (class1|class2|unclear)");
  }
  auto area = row.positive(kArea);
  auto status = soil::parse_plot_status(c[kStatus]);
  if (!status) {
    row.fail("bad_status", kStatus,
             "'" + c[kStatus] +
                 "' is not suspected|confirmed|under_control|remediated|safely_used (疑似污染地块 污染地块 "
                 "风险管控中 已修复 安全利用)");
  }
  auto redeveloped = row.flag(kRedeveloped);
  if (!row.ok) return;
  if (!keys.insert(c[kPlot]).second) {
    row.fail("duplicate", kPlot, "plot '" + c[kPlot] + "' earlier in this file");
    return;
  }
  out.plots.push_back({c[kPlot], c[kName], c[kCounty], std::string(soil::land_use_key(*use)),
                       exact::to_string(*area), std::string(soil::plot_status_key(*status)), *redeveloped});
}

void check_parcel(Row& row, std::set<std::string>& keys, SoilCsv& out) {
  const auto& c = row.c;
  enum Col : uint8_t { kParcel, kCounty, kArea, kCategory, kLight, kMeasures, kProduce };
  row.need(kParcel);
  row.need(kCounty);
  auto area = row.positive(kArea);
  auto category = soil::parse_category(c[kCategory]);
  if (!category)
    row.fail("bad_category", kCategory,
             "'" + c[kCategory] + "' is not 优先保护类|安全利用类|严格管控类 (priority|safe_use|strict)");
  auto light = row.flag(kLight);
  auto measures = row.flag(kMeasures);
  std::string produce = soil::lower_ascii(c[kProduce]);
  if (produce == "达标" || produce == "合格") produce = "pass";
  if (produce == "超标" || produce == "不合格") produce = "fail";
  if (produce != "pass" && produce != "fail" && !produce.empty()) {
    row.fail("bad_produce", kProduce,
             "'" + c[kProduce] + "' is not pass|fail (达标|超标) or empty (not tested)");
  }
  if (!row.ok) return;
  if (!keys.insert(c[kParcel]).second) {
    row.fail("duplicate", kParcel, "parcel '" + c[kParcel] + "' earlier in this file");
    return;
  }
  out.parcels.push_back({c[kParcel], c[kCounty], exact::to_string(*area),
                         std::string(soil::category_key(*category)), *light, *measures, produce});
}

}  // namespace

const char* soil_template_file(SoilTemplate t) { return kTemplates[static_cast<int>(t)].file; }
const char* soil_template_header(SoilTemplate t) { return kTemplates[static_cast<int>(t)].header; }

StatusOr<SoilTemplate> detect_soil_template(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot read '" + path + "'");
  std::string line;
  std::getline(in, line);
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM
  std::vector<std::string> header = cells(line);
  for (int t = 0; t < kSoilTemplateCount; ++t) {
    if (header == cells(kTemplates[t].header)) return static_cast<SoilTemplate>(t);
  }
  return invalid_argument(std::filesystem::path(path).filename().string() +
                          ":1: the header is none of the soil templates ('" + kTemplates[0].header + "', '" +
                          kTemplates[1].header + "', '" + kTemplates[2].header + "')");
}

StatusOr<SoilCsv> read_soil_csv(SoilTemplate t, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot read '" + path + "'");
  SoilCsv out;
  ImportReport& report = out.report;
  report.files = 1;
  std::string file = std::filesystem::path(path).filename().string();
  std::vector<std::string> columns = cells(soil_template_header(t));
  if (!read_template_header(in, file, soil_template_header(t), report)) return out;
  std::map<std::string, PointSeen> points;
  std::set<std::string> keys;
  int64_t n = 1;
  std::vector<std::string> c;
  while (next_template_row(in, file, columns.size(), report, n, c)) {
    Row row{report, file, n, columns, c};
    if (!row.utf8()) {  // reported: the row is not judged further
    } else if (t == SoilTemplate::kSamples) {
      check_sample(row, points, keys, out);
    } else if (t == SoilTemplate::kPlots) {
      check_plot(row, keys, out);
    } else {
      check_parcel(row, keys, out);
    }
    if (!row.ok)
      ++report.rows_rejected;
    else
      ++report.values;
  }
  return out;
}

StatusOr<ImportReport> import_soil_file(SoilStore& store, SoilTemplate t, const std::string& path) {
  auto started = std::chrono::steady_clock::now();
  auto csv = read_soil_csv(t, path);
  if (!csv.ok()) return csv.status();
  ImportReport& report = csv->report;
  std::string file = std::filesystem::path(path).filename().string();
  Status s;
  if (t == SoilTemplate::kSamples) {
    auto outcomes = store.write_samples(csv->samples);
    if (outcomes.ok()) {
      for (size_t i = 0; i < outcomes->size(); ++i) {
        const SoilSampleRow& r = csv->samples[i];
        const SoilSampleOutcome& o = (*outcomes)[i];
        switch (o.kind) {
          case SoilSampleOutcome::Kind::kPointConflict:
            report.add(ImportIssue{"conflict", file, r.line, o.field,
                                   "point '" + r.point + "' is stored with county '" + o.county +
                                       "', land use '" + o.land_use + "', pH '" + o.ph +
                                       "': row not imported"});
            ++report.rows_rejected;
            --report.values;
            break;
          case SoilSampleOutcome::Kind::kNew:
            ++report.merge.values_new;
            break;
          case SoilSampleOutcome::Kind::kSame:
            ++report.merge.values_same;
            break;
          case SoilSampleOutcome::Kind::kValueConflict:
            ++report.merge.values_conflicting;
            report.add(ImportIssue{"conflict", file, r.line, "value",
                                   r.point + " " + r.item + ": stored " + o.value + " mg/kg" +
                                       (o.not_detected ? " (未检出)" : "") + ", the file says " + r.value +
                                       " mg/kg" + (r.not_detected ? " (未检出)" : "") +
                                       "; the stored value is kept"});
            break;
        }
      }
    }
    s = outcomes.status();
  } else if (t == SoilTemplate::kPlots) {
    s = store.write_plots(csv->plots);
  } else {
    s = store.write_parcels(csv->parcels);
  }
  if (!s.ok()) return s.with_context("importing " + file + " (nothing stored)");
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return std::move(report);
}

StatusOr<ImportReport> import_soil_path(SoilStore& store, const std::string& path) {
  if (!std::filesystem::is_directory(path)) {
    auto t = detect_soil_template(path);
    if (!t.ok()) return t.status();
    return import_soil_file(store, *t, path);
  }
  ImportReport total;
  bool any = false;
  for (int t = 0; t < kSoilTemplateCount; ++t) {
    std::filesystem::path p = std::filesystem::path(path) / soil_template_file(static_cast<SoilTemplate>(t));
    if (!std::filesystem::exists(p)) continue;
    any = true;
    auto r = import_soil_file(store, static_cast<SoilTemplate>(t), p.string());
    if (!r.ok()) return r.status();
    total.absorb(*r);
  }
  if (!any)
    return not_found("no soil template file in '" + path +
                     "' (soil_samples.csv, soil_plots.csv, soil_parcels.csv)");
  return total;
}

}  // namespace ecomon
