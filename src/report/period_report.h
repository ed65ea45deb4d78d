// Period reports (月报, 季报): the annual bulletin's generator (report/bulletin.h) over a month or a quarter
// — the city's air quality with the ranking of the cities in the store, the surface-water sections, the
// source devices' transmission and exceedances, and the ledger's progress by county — as the same data model,
// so that render_html, bulletin_json and the PDF serve both (docs/bulletin.md). app/period_report.h gathers
// the figures; `ecomon bulletin --month|--quarter` and the scheduled reports of `ecomon serve` call these.
//
//   auto period = report::parse_report_period("2019-Q1");     // StatusOr<ReportPeriod>
//   report::PeriodReportRequest req{"晋城", *period};
//   req.air = ...;                                            // app::period_report_figures fills them
//   auto b = report::build_period_report(req);                // StatusOr<Bulletin>
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "air/assessment.h"
#include "core/status.h"
#include "core/time.h"
#include "ledger/tracking.h"
#include "report/bulletin.h"
#include "sources/listings.h"
#include "water/water_format.h"

namespace ecomon::report {

// A month ("2019-01") or a quarter ("2019-Q1") of a year 1900-2999.
struct ReportPeriod {
  enum class Kind { kMonth, kQuarter };
  Kind kind = Kind::kMonth;
  int year = 0;
  int index = 0;      // the month 1-12 or the quarter 1-4
  std::string label;  // "2019-01", "2019-Q1"
  DayRange range;     // its days
  std::vector<MonthKey> months;
  ReportPeriod previous_year() const;  // the same period a year before
  std::string name() const;            // "2019年1月", "2019年第一季度"
  std::string report_name() const;     // "月报", "季报"
};
// invalid_argument naming the text and the forms it may take.
StatusOr<ReportPeriod> parse_report_period(std::string_view text);
// The periods of `kind` that have closed by `today` (the day after their last day has come), the newest
// first, `count` of them: on 2026-12-07, months 2026-11, 2026-10, ...; quarters 2026-Q3, 2026-Q2, ...
std::vector<ReportPeriod> closed_periods(ReportPeriod::Kind kind, CivilDay today, int count);

struct PeriodAirFigures {
  PeriodAssessment assessment;
  std::optional<YearOnYear> year_on_year;
  std::optional<PeriodAssessment> previous;                      // the same period a year before
  std::vector<std::pair<std::string, PeriodAssessment>> months;  // a quarter's months ("2019-01"), with data
};

struct PeriodReportRequest {
  std::string city;
  ReportPeriod period;
  // Each a query's result; an error is noted (Bulletin::notes) and its part left out.
  StatusOr<PeriodAirFigures> air = not_found("not gathered");
  StatusOr<std::vector<RankRow>> ranking = not_found("not gathered");  // the cities in the store
  // The city's counties (`air rank --counties --city C`); empty: the city's stations name no county.
  StatusOr<std::vector<RankRow>> county_ranking = std::vector<RankRow>{};
  StatusOr<water::WaterReport> water = not_found("not gathered");
  StatusOr<std::vector<sources::RateList>> rates = not_found("not gathered");  // the period's months
  StatusOr<sources::EventList> events = not_found("not gathered");
  StatusOr<std::vector<ScoreRow>> scorecard = not_found("not gathered");  // as of the period's last day
  // The loads from 1 January to the period's last day against the year's permitted amounts (`ecomon
  // emissions --from Y-01-01 --to LAST`): a permit's amount is a calendar year's, so the year to date is set
  // against the whole amount, with the year's elapsed share (时间进度) beside it — not pro rata
  // (docs/bulletin.md). Empty: no amounts for the year.
  StatusOr<std::vector<sources::PermitUse>> permits = std::vector<sources::PermitUse>{};
};

// 1 January of the period's year to its last day: the days a period report sets against a year's amount.
DayRange year_to_date(const ReportPeriod& p);

// Fails when the city is empty or no part has data.
StatusOr<Bulletin> build_period_report(const PeriodReportRequest& request);

}  // namespace ecomon::report
