// `ecomon soil import|assess|plots`.
#include "cli/soil_commands.h"

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/table_output.h"
#include "cli/views.h"
#include "core/json_text.h"
#include "ingest/soil_csv.h"
#include "soil/rates.h"
#include "standards/water/exact.h"
#include "store/sqlite_stores.h"

namespace ecomon::cli {
namespace {

using nlohmann::json;

struct SoilOpts {
  std::string county, format = "table";
};

int fail(const Status& s) {
  last_view_error() = s;
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

Status check_format(const std::string& f) {
  if (f == "table" || f == "csv" || f == "json") return Status();
  return invalid_argument("--format must be table, csv or json");
}

std::string value_text(const Rational& v, bool not_detected) {
  return not_detected ? exact::to_string(v) + "L" : exact::to_string(v);
}

json rate_json(const soil::SafeUseRate& r, int64_t target) {
  return {{"numerator", exact::to_string(r.numerator)},
          {"denominator", exact::to_string(r.denominator)},
          {"counted", r.parcels_counted},
          {"percent", r.shown ? json(r.shown->to_string()) : json(nullptr)},
          {"target_percent", target},
          {"meets_target", r.meets_target}};
}

// One farmland point: its items and the point's judgement.
json farm_json(const soil::FarmPointResult& f) {
  json items = json::array();
  for (const soil::FarmItemResult& r : f.items) {
    items.push_back({{"item", soil::farm_item_info(r.item).key},
                     {"name", soil::farm_item_info(r.item).name_cn},
                     {"value", exact::to_string(r.value)},
                     {"not_detected", r.not_detected},
                     {"screening", exact::to_string(r.screening)},
                     {"control", r.control ? json(exact::to_string(*r.control)) : json(nullptr)},
                     {"index", r.index.to_string()},
                     {"risk", soil::risk_key(r.risk)},
                     {"risk_name", soil::risk_name(r.risk)}});
  }
  return {{"ph_band", soil::ph_band_name(f.band)},
          {"category", soil::category_key(f.category)},
          {"category_name", soil::category_name(f.category)},
          {"worst", soil::risk_key(f.worst)},
          {"items", items}};
}

json dev_json(const soil::DevPointResult& d) {
  json items = json::array();
  for (const soil::DevItemResult& r : d.items) {
    items.push_back({{"item", soil::dev_item_info(r.item).name_cn},
                     {"value", exact::to_string(r.value)},
                     {"not_detected", r.not_detected},
                     {"screening", exact::to_string(r.screening)},
                     {"control", exact::to_string(r.control)},
                     {"risk", soil::dev_risk_key(r.risk)},
                     {"risk_name", soil::dev_risk_name(r.risk)}});
  }
  return {{"class", soil::dev_class_key(d.cls)}, {"worst", soil::dev_risk_key(d.worst)}, {"items", items}};
}

// The items at the point's worst level, "Cd 0.45 (筛选值 0.4)".
std::string determining_text(const soil::PointAssessment& a) {
  std::string s;
  if (a.farm) {
    for (const soil::FarmItemResult& r : a.farm->items) {
      if (r.risk != a.farm->worst || r.risk == soil::FarmRisk::kLow) continue;
      s += (s.empty() ? "" : "、") + std::string(soil::farm_item_info(r.item).name_cn) + " " +
           value_text(r.value, r.not_detected) + " (筛选值 " + exact::to_string(r.screening) +
           (r.control ? ", 管制值 " + exact::to_string(*r.control) : "") + ")";
    }
  } else if (a.dev) {
    for (const soil::DevItemResult& r : a.dev->items) {
      if (r.risk != a.dev->worst || r.risk == soil::DevRisk::kNegligible) continue;
      s += (s.empty() ? "" : "、") + std::string(soil::dev_item_info(r.item).name_cn) + " " +
           value_text(r.value, r.not_detected) + " (筛选值 " + exact::to_string(r.screening) + ", 管制值 " +
           exact::to_string(r.control) + ")";
    }
  }
  return s.empty() ? "-" : s;
}

// 水田, 第一类用地, ... (the stored key when it is not one).
std::string land_use_text(const soil::SoilPoint& p) {
  auto use = soil::parse_land_use(p.land_use);
  return use.ok() ? std::string(soil::land_use_name(*use)) : p.land_use;
}

struct Assessed {
  std::vector<soil::SoilPoint> points;
  std::vector<soil::PointAssessment> results;
  std::vector<SoilPlotRow> plots;
  std::vector<SoilParcelRow> parcels;
};

StatusOr<Assessed> load_and_assess(const std::string& db, const std::string& county) {
  auto stores = open_sqlite_stores(db);
  if (!stores.ok()) return stores.status();
  SoilStore* store = &(*stores)->soil();
  Assessed a;
  auto points = store->points(county);
  if (!points.ok()) return points.status();
  a.points = std::move(*points);
  auto plots = store->plots(county);
  if (!plots.ok()) return plots.status();
  a.plots = std::move(*plots);
  auto parcels = store->parcels(county);
  if (!parcels.ok()) return parcels.status();
  a.parcels = std::move(*parcels);
  for (const soil::SoilPoint& p : a.points) {
    a.results.push_back(soil::assess_point(p, soil::FarmParams{}, soil::DevParams{}));
  }
  return a;
}

json assessment_json(const Assessed& a, const std::string& county) {
  json j = {{"county", county.empty() ? json(nullptr) : json(county)}, {"points", json::array()}};
  for (size_t i = 0; i < a.points.size(); ++i) {
    const soil::SoilPoint& p = a.points[i];
    const soil::PointAssessment& r = a.results[i];
    json pj = {{"point", p.id},
               {"county", p.county},
               {"land_use", p.land_use},
               {"land_use_name", land_use_text(p)},
               {"ph", p.ph.empty() ? json(nullptr) : json(p.ph)}};
    // Every point has the same keys (the API's CSV takes its columns from the first item).
    pj["verdict"] = r.farm  ? std::string(soil::category_name(r.farm->category))
                    : r.dev ? std::string(soil::dev_risk_name(r.dev->worst))
                            : "未判定";
    pj["farmland"] = r.farm ? farm_json(*r.farm) : json(nullptr);
    pj["development"] = r.dev ? dev_json(*r.dev) : json(nullptr);
    pj["error"] = r.error.ok() ? json(nullptr) : json(r.error.message());
    j["points"].push_back(pj);
  }
  j["summary"] = json::array();
  for (const soil::SurveySummary& s : soil::summarize(a.points, a.results)) {
    j["summary"].push_back({{"county", s.county.empty() ? json(nullptr) : json(s.county)},
                            {"farmland_points", s.farm_points},
                            {"priority", s.by_category[0]},
                            {"safe_use", s.by_category[1]},
                            {"strict", s.by_category[2]},
                            {"development_points", s.dev_points},
                            {"negligible", s.by_dev_risk[0]},
                            {"below_background", s.by_dev_risk[1]},
                            {"investigate", s.by_dev_risk[2]},
                            {"control", s.by_dev_risk[3]},
                            {"not_judged", s.not_judged}});
  }
  soil::FarmRateParams fp;
  soil::PlotRateParams pp;
  j["rates"] = {
      {"farmland_safe_use",
       rate_json(soil::farmland_safe_use_rate(to_parcels(a.parcels), fp), fp.target_percent)},
      {"plot_safe_use", rate_json(soil::plot_safe_use_rate(to_plots(a.plots), pp), pp.target_percent)}};
  return j;
}

std::string rate_text(const json& r) {
  if (r["percent"].is_null()) return "- (nothing counted)";
  return r["percent"].get<std::string>() + "% (" + r["numerator"].get<std::string>() + "/" +
         r["denominator"].get<std::string>() + ", " + (r["meets_target"].get<bool>() ? "达到" : "未达到") +
         " " + std::to_string(r["target_percent"].get<int64_t>()) + "%)";
}

int run_assess(const std::string& db, const SoilOpts& o) {
  if (Status s = check_format(o.format); !s.ok()) return fail(s);
  auto a = load_and_assess(db, o.county);
  if (!a.ok()) return fail(a.status());
  json j = assessment_json(*a, o.county);
  int64_t not_judged = j["summary"].back()["not_judged"].get<int64_t>();
  if (o.format == "json") {
    std::cout << json_text(j, 2) << "\n";
    return not_judged > 0 ? 1 : 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < a->points.size(); ++i) {
    const soil::SoilPoint& p = a->points[i];
    const soil::PointAssessment& r = a->results[i];
    std::string band = r.farm ? std::string(soil::ph_band_name(r.farm->band)) : "-";
    std::string verdict = j["points"][i]["verdict"].get<std::string>();
    if (!r.error.ok()) verdict += ": " + r.error.message();
    rows.push_back(
        {p.id, p.county, land_use_text(p), p.ph.empty() ? "-" : p.ph, band, verdict, determining_text(r)});
  }
  print_rows(o.format == "csv", "土壤监测点位" + (o.county.empty() ? std::string() : " " + o.county),
             {"点位", "区县", "用地类型", "pH", "pH分档", "判定", "超筛选值项目"}, rows);
  std::vector<std::vector<std::string>> sums;
  for (const json& s : j["summary"]) {
    sums.push_back(
        {s["county"].is_null() ? "合计" : s["county"].get<std::string>(),
         std::to_string(s["farmland_points"].get<int64_t>()), std::to_string(s["priority"].get<int64_t>()),
         std::to_string(s["safe_use"].get<int64_t>()), std::to_string(s["strict"].get<int64_t>()),
         std::to_string(s["development_points"].get<int64_t>()),
         std::to_string(s["investigate"].get<int64_t>()), std::to_string(s["control"].get<int64_t>()),
         std::to_string(s["not_judged"].get<int64_t>())});
  }
  print_rows(o.format == "csv", "点位统计",
             {"区县", "农用地点位", "优先保护类", "安全利用类", "严格管控类", "建设用地点位", "需详细调查",
              "需管控修复", "未判定"},
             sums);
  if (o.format == "table") {
    std::cout << "受污染耕地安全利用率: " << rate_text(j["rates"]["farmland_safe_use"]) << "\n"
              << "污染地块安全利用率: " << rate_text(j["rates"]["plot_safe_use"]) << "\n";
  }
  return not_judged > 0 ? 1 : 0;
}

int run_plots(const std::string& db, const SoilOpts& o) {
  if (Status s = check_format(o.format); !s.ok()) return fail(s);
  auto stores = open_sqlite_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto plots = (*stores)->soil().plots(o.county);
  if (!plots.ok()) return fail(plots.status());
  soil::PlotRateParams pp;
  json rate = rate_json(soil::plot_safe_use_rate(to_plots(*plots), pp), pp.target_percent);
  json j = {{"county", o.county.empty() ? json(nullptr) : json(o.county)},
            {"plots", json::array()},
            {"rate", rate}};
  std::vector<std::vector<std::string>> rows;
  for (const SoilPlotRow& p : *plots) {
    auto status = soil::parse_plot_status(p.status);
    auto use = soil::parse_land_use(p.planned_use);
    std::string status_name = status ? std::string(soil::plot_status_name(*status)) : p.status;
    std::string use_name = use.ok() ? std::string(soil::land_use_name(*use)) : p.planned_use;
    bool meets = status && soil::plot_meets_requirement(*status);
    rows.push_back({p.plot, p.name, p.county, use_name, p.area, status_name, p.redeveloped ? "是" : "否",
                    meets ? "是" : "否"});
    j["plots"].push_back({{"plot", p.plot},
                          {"name", p.name},
                          {"county", p.county},
                          {"planned_use", p.planned_use},
                          {"area_m2", p.area},
                          {"status", p.status},
                          {"status_name", status_name},
                          {"redeveloped", p.redeveloped},
                          {"meets_requirement", meets}});
  }
  if (o.format == "json") {
    std::cout << json_text(j, 2) << "\n";
    return 0;
  }
  print_rows(o.format == "csv", "建设用地地块名录",
             {"地块", "名称", "区县", "规划用途", "面积(m²)", "阶段", "再开发利用", "达到要求"}, rows);
  if (o.format == "table") std::cout << "污染地块安全利用率: " << rate_text(rate) << "\n";
  return 0;
}

}  // namespace

StatusOr<nlohmann::json> soil_assessment(const std::string& db, const std::string& county) {
  auto a = load_and_assess(db, county);
  if (!a.ok()) return a.status();
  return assessment_json(*a, county);
}

int import_soil_files(const std::string& db, const std::string& path) {
  auto stores = open_sqlite_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto r = import_soil_path((*stores)->soil(), path);
  if (!r.ok()) return fail(r.status());
  std::cout << "soil: " << r->files << " files, " << r->rows << " rows, " << r->values << " stored ("
            << r->merge.values_new << " new values, " << r->merge.values_same << " already stored, "
            << r->merge.values_conflicting << " conflicting, stored values kept), " << r->rows_rejected
            << " rejected\n";
  for (const ImportIssue& i : r->issues)
    std::cout << "  " << i.kind << ": " << i.where() << ": " << i.message << "\n";
  for (const auto& [kind, n] : r->issue_counts) {
    if (static_cast<size_t>(n) > ImportReport::kMaxListedPerKind) {
      std::cout << "  " << kind << ": " << n - static_cast<int64_t>(ImportReport::kMaxListedPerKind)
                << " more not listed\n";
    }
  }
  return r->issue_total() > 0 || r->files_rejected > 0 ? 1 : 0;
}

void register_soil(CLI::App& app, GlobalOptions& global) {
  CLI::App* soil_cmd =
      app.add_subcommand("soil", "soil (GB 15618-2018 farmland, GB 36600-2018 development land)");
  soil_cmd->require_subcommand(1);

  auto path = std::make_shared<std::string>();
  CLI::App* imp =
      soil_cmd->add_subcommand("import", "import soil CSV templates: one file, or every one in a directory");
  imp->add_option("path", *path, "file or directory (docs/soil.md)")->required();
  imp->callback([path, &global] { set_exit_code(import_soil_files(global.db, *path)); });

  auto opts = std::make_shared<SoilOpts>();
  CLI::App* assess =
      soil_cmd->add_subcommand("assess", "points judged, categories, counts per county, both rates");
  assess->add_option("--county", opts->county, "one county (区县)");
  assess->add_option("--format", opts->format, "table|csv|json");
  assess->callback([opts, &global] { set_exit_code(run_assess(global.db, *opts)); });

  auto popts = std::make_shared<SoilOpts>();
  CLI::App* plots =
      soil_cmd->add_subcommand("plots", "the development-land plot registry and 污染地块安全利用率");
  plots->add_option("--county", popts->county, "one county (区县)");
  plots->add_option("--format", popts->format, "table|csv|json");
  plots->callback([popts, &global] { set_exit_code(run_plots(global.db, *popts)); });
}

}  // namespace ecomon::cli
