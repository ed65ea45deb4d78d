#include "app/bulletin.h"

#include <fmt/format.h>

#include "app/air.h"
#include "app/emergency.h"
#include "app/ledger.h"
#include "app/quality.h"
#include "app/soil.h"
#include "app/sources.h"
#include "emergency/registry.h"

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
  auto previous = quality_period(year - 1, "");
  if (!previous.ok()) return previous.status();
  return BulletinQuality{water_assessment(stores, who, *period), groundwater_assessment(stores, who, *period),
                         noise_assessment(stores, who, *period), rain_assessment(stores, who, *period),
                         noise_assessment(stores, who, *previous)};
}

StatusOr<std::optional<sources::YearTransmission>> bulletin_rates(Stores& stores, const Actor& who,
                                                                  int year) {
  constexpr int kMinYear = 1900, kMaxYear = 2999, kMonths = 12;
  if (year < kMinYear || year > kMaxYear)
    return invalid_argument("--year " + std::to_string(year) + " is out of range");
  sources::YearTransmission y;
  for (int m = 1; m <= kMonths; ++m) {
    SourceRatesRequest req{MonthKey::of(year, m), fmt::format("{}-{:02}", year, m), "hourly"};
    auto list = source_rates(stores, who, req);
    if (!list.ok()) return list.status().with_context("sources rates --month " + req.month_text);
    for (const sources::DeviceRate& d : list->devices) {
      if (d.rate.counts.expected == 0) continue;
      y.expected += d.rate.counts.expected;
      y.received += d.rate.counts.received;
      y.valid += d.rate.counts.valid;
      y.devices.insert(d.mn);
      if (!d.enterprise.empty()) y.enterprises.insert(d.enterprise);
    }
  }
  // No upload stored for the year at all: the store does not hold the year's online monitoring.
  if (y.expected == 0 || y.received == 0) return std::optional<sources::YearTransmission>();
  return std::optional<sources::YearTransmission>(std::move(y));
}

BulletinSoil bulletin_soil(Stores& stores, const Actor& who) {
  return BulletinSoil{soil_assessment(stores, who, ""), soil_plots(stores, who, "")};
}

StatusOr<std::vector<ChronicleEntry>> bulletin_chronicle(Stores& stores, const Actor& who, int year) {
  constexpr int kMinYear = 1900, kMaxYear = 2999;
  if (year < kMinYear || year > kMaxYear)
    return invalid_argument("--year " + std::to_string(year) + " is out of range");
  const DayRange range = DayRange::year(year);
  TasksRequest req;
  req.as_of = range.last;
  auto tasks = ledger_tasks(&stores, who, req);
  if (!tasks.ok()) return tasks.status();
  std::vector<ChronicleEntry> out = completed_milestones(*tasks, range);
  auto warnings = warnings_history(stores, who);
  if (!warnings.ok()) return warnings.status();
  for (const emergency::WarningEvent& w : *warnings) {
    auto day = CivilDay::parse(w.effective_from.substr(0, 10));
    if (!day.ok() || !range.contains(*day)) continue;
    const std::string at = w.effective_from.size() > 11 ? w.effective_from.substr(11) + "起" : "";
    std::string text;
    switch (w.action) {
      case emergency::WarningAction::kDeclare:
        text = at + "启动重污染天气" + std::string(emergency::level_name_zh(w.level)) + "预警";
        break;
      case emergency::WarningAction::kUpgrade:
        text = at + "重污染天气预警升级为" + std::string(emergency::level_name_zh(w.level)) + "预警";
        break;
      case emergency::WarningAction::kDowngrade:
        text = at + "重污染天气预警降级为" + std::string(emergency::level_name_zh(w.level)) + "预警";
        break;
      case emergency::WarningAction::kLift:
        text = at + "解除重污染天气预警";
        break;
    }
    if (!w.reason.empty()) text += "（" + w.reason + "）";
    out.push_back({*day, "emergency", text, std::to_string(w.id)});
  }
  sort_chronicle(out);
  return out;
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
