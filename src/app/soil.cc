#include "app/soil.h"

#include "standards/water/exact.h"

namespace ecomon::app {
namespace {

// The county the actor reads: a county user its own, others the one asked for ("" = all).
std::string county_of(const Actor& who, const std::string& asked) {
  return who.role == Role::kCounty ? who.county : asked;
}

std::vector<soil::PlotEntry> plot_entries(const std::vector<SoilPlotRow>& rows) {
  std::vector<soil::PlotEntry> out;
  for (const SoilPlotRow& p : rows)
    out.push_back({p.plot, p.name, p.county, p.planned_use, p.area, p.status, p.redeveloped});
  return out;
}

}  // namespace

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

StatusOr<soil::SurveyReport> soil_assessment(Stores& stores, const Actor& who, const std::string& asked) {
  soil::SurveyReport r;
  r.county = county_of(who, asked);
  SoilStore& store = stores.soil();
  auto points = store.points(r.county);
  if (!points.ok()) return points.status();
  r.points = std::move(*points);
  auto plots = store.plots(r.county);
  if (!plots.ok()) return plots.status();
  auto parcels = store.parcels(r.county);
  if (!parcels.ok()) return parcels.status();
  for (const soil::SoilPoint& p : r.points)
    r.results.push_back(soil::assess_point(p, soil::FarmParams{}, soil::DevParams{}));
  r.summary = soil::summarize(r.points, r.results);
  soil::FarmRateParams fp;
  soil::PlotRateParams pp;
  r.farmland_rate = soil::farmland_safe_use_rate(to_parcels(*parcels), fp);
  r.farmland_target_percent = fp.target_percent;
  r.plot_rate = soil::plot_safe_use_rate(to_plots(*plots), pp);
  r.plot_target_percent = pp.target_percent;
  return r;
}

StatusOr<soil::PlotReport> soil_plots(Stores& stores, const Actor& who, const std::string& asked) {
  soil::PlotReport r;
  r.county = county_of(who, asked);
  auto plots = stores.soil().plots(r.county);
  if (!plots.ok()) return plots.status();
  soil::PlotRateParams pp;
  r.rate = soil::plot_safe_use_rate(to_plots(*plots), pp);
  r.target_percent = pp.target_percent;
  r.plots = plot_entries(*plots);
  return r;
}

}  // namespace ecomon::app
