#include "app/bulletin.h"

#include "app/air.h"
#include "app/quality.h"

namespace ecomon::app {
namespace {

std::optional<PeriodAssessment> assessment(Stores& stores, const Actor& who, const std::string& city,
                                           DayRange range) {
  auto p = air_period(stores, who, AirRequest{city, "", range, RuleChoice{}, false});
  if (!p.ok()) return std::nullopt;
  return std::move(p->assessment);
}

}  // namespace

StatusOr<BulletinQuality> bulletin_quality(Stores& stores, const Actor& who, int year) {
  constexpr int kMinYear = 1900, kMaxYear = 2999;
  if (year < kMinYear || year > kMaxYear)
    return invalid_argument("--year " + std::to_string(year) + " is out of range");
  auto period = quality_period(year, "");
  if (!period.ok()) return period.status();
  return BulletinQuality{water_assessment(stores, who, *period), groundwater_assessment(stores, who, *period),
                         noise_assessment(stores, who, *period), rain_assessment(stores, who, *period)};
}

StatusOr<AirYearFigures> bulletin_air(Stores& stores, const Actor& who, const std::string& city, int year) {
  constexpr int kMinYear = 1900, kMaxYear = 2999;
  if (year < kMinYear || year > kMaxYear)
    return invalid_argument("--year " + std::to_string(year) + " is out of range");
  if (city.empty()) return invalid_argument("--city is empty");
  AirYearFigures f;
  auto a = air_period(stores, who, AirRequest{city, "", DayRange::year(year), RuleChoice{}, true});
  if (!a.ok()) {
    f.annual_error = a.status();
    return f;
  }
  f.annual = std::move(a->assessment);
  f.annual_year_on_year = a->year_on_year;
  if (f.annual->days.valid == 0) return f;
  f.previous = assessment(stores, who, city, DayRange::year(year - 1));
  constexpr int kMonths = 12;
  for (int m = 1; m <= kMonths; ++m) {
    f.months[static_cast<size_t>(m - 1)] = assessment(stores, who, city, DayRange::month(year, m));
    f.previous_months[static_cast<size_t>(m - 1)] =
        assessment(stores, who, city, DayRange::month(year - 1, m));
  }
  auto days = air_daily(stores, who, AirRequest{city, "", DayRange::year(year), RuleChoice{}, true});
  if (days.ok()) {
    f.daily = std::move(*days);
  } else {
    f.daily_error = days.status();
  }
  return f;
}

}  // namespace ecomon::app
