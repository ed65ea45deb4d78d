// The air services on 晋城 2019 (the CNEMC archive in the shared data): the period, ranking, real-time and
// monthly services agree with the domain functions they call, the ranking is the same on one thread as on
// many, and the bulletin's air figures are the services' results. The period parser alone needs no data.
#include "app/air.h"

#include <gtest/gtest.h>

#include "app/bulletin.h"
#include "ingest/cnemc.h"
#include "store/sqlite_stores.h"
#include "testing/csv_cases.h"
#include "testing/temp_dir.h"

namespace ecomon::app {
namespace {

TEST(AirPeriodRange, ExactlyOnePeriodOfEachKind) {
  EXPECT_EQ(air_period_range({.year = 2019})->to_string(), DayRange::year(2019).to_string());
  EXPECT_EQ(air_period_range({.month = "2019-02"})->size(), 28);
  EXPECT_EQ(air_period_range({.quarter = "2019-Q2"})->first.to_string(), "2019-04-01");
  EXPECT_EQ(air_period_range({.ytd = "2019-03-01"})->last.to_string(), "2019-02-28");
  EXPECT_EQ(air_period_range({.from = "2019-01-03", .to = "2019-01-05"})->size(), 3);
  EXPECT_EQ(air_period_range({}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(air_period_range({.year = 2019, .month = "2019-01"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(air_period_range({.ytd = "2019-01-01"}).ok());
  EXPECT_FALSE(air_period_range({.from = "2019-01-05", .to = "2019-01-03"}).ok());
  EXPECT_FALSE(air_period_range({.quarter = "2019-Q5"}).ok());
  EXPECT_FALSE(air_period_range({.year = 1800}).ok());
  // The CLI's messages name its flags, the API's its query parameters.
  EXPECT_EQ(air_period_range({.year = 1800}).status().message(), "--year 1800 is out of range");
  EXPECT_EQ(air_period_range({.year = 1800, .query_parameters = true}).status().message(),
            "query parameter year=1800 is out of range");
  EXPECT_EQ(air_period_range({.month = "2019-13", .query_parameters = true}).status().message(),
            "query parameter month='2019-13' is not YYYY-MM");
  EXPECT_EQ(air_period_range({.from = "2019-01-05", .to = "2019-01-03", .query_parameters = true})
                .status()
                .message(),
            "query parameter to=2019-01-03 is before query parameter from=2019-01-05");
  EXPECT_EQ(air_period_range({.quarter = "2019-Q5", .query_parameters = true}).status().message(),
            "query parameter quarter='2019-Q5' is not YYYY-Qn");
}

// `air rank --counties`: a city's counties ranked as cities are, each from the assessment stations registered
// in it. Constant hours over March 2019 (and the February hours before it), worked by hand with GB
// 3095-2012's S_i (SO2 60, NO2 40, PM10 70, PM2.5 35 ug/m3, CO 4 mg/m3, O3 160 ug/m3):
//   东区 (one national station): 60/60 + 40/40 + 70/70 + 35/35 + 4/4 + 160/160 = 6.00;
//   西区 (one national station): 30/60 + 20/40 + 35/70 + 35/35 + 2/4 + 80/160 = 3.50, its largest share
//   PM2.5;
//     its micro station (PM2.5 500) never enters the value;
//   北区 has only a micro station: left out (kNotFound); a station with no county is in no county.
// So 西区 ranks 1 (3.50) and 东区 2 (6.00).
TEST(AirCountyRanking, CountiesFromTheirAssessmentStations) {
  testing::TempDir dir("app_air_counties");
  auto opened = open_sqlite_stores((dir.path() / "c.db").string());
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Stores& stores = **opened;
  RecordStore& rs = stores.records();
  struct Site {
    const char *code, *county, *kind;
    std::array<Milli, kPollutantCount> values;  // SO2 NO2 PM10 PM2.5 CO O3
  };
  const Site sites[] = {
      {"E1", "东区", "national", {60'000, 40'000, 70'000, 35'000, 4'000, 160'000}},
      {"W1", "西区", "national", {30'000, 20'000, 35'000, 35'000, 2'000, 80'000}},
      {"W9", "西区", "micro", {30'000, 20'000, 35'000, 500'000, 2'000, 80'000}},
      {"N9", "北区", "micro", {30'000, 20'000, 35'000, 35'000, 2'000, 80'000}},
      {"X1", "", "national", {90'000, 90'000, 90'000, 90'000, 9'000, 300'000}},
  };
  ASSERT_TRUE(rs.begin_write().ok());
  for (const Site& site : sites) {
    const bool micro = std::string(site.kind) == "micro";
    StationInfo st{.code = site.code, .name = site.code, .city = "测试市", .in_site_list = true};
    st.kind = site.kind;
    st.assessment = !micro;
    st.county = site.county;
    auto id = rs.upsert_station(st);
    ASSERT_TRUE(id.ok()) << id.status().message();
    for (MonthKey m : {MonthKey::of(2019, 2), MonthKey::of(2019, 3)}) {
      for (Pollutant p : kAllPollutants) {
        HourlyBlock b{*id, p, m, {}};
        b.values.assign(static_cast<size_t>(m.hours()), site.values[static_cast<size_t>(index_of(p))]);
        MergeStats stats;
        ASSERT_TRUE(stores.time_series().merge_hourly({&b, 1}, stats, nullptr).ok());
      }
    }
  }
  ASSERT_TRUE(rs.commit().ok());
  const Actor who = Actor::operator_cli();
  AirRankRequest req{{}, DayRange::month(2019, 3), RuleChoice{}};
  req.counties_of = "测试市";
  auto r = air_rank(stores, who, req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].city, "西区");
  EXPECT_EQ(r->rows[0].rank, 1);
  ASSERT_TRUE(r->rows[0].composite);
  EXPECT_EQ(r->rows[0].composite->to_string(), "3.50");
  EXPECT_EQ(r->rows[0].primary_share, "PM2.5");
  EXPECT_EQ(r->rows[1].city, "东区");
  EXPECT_EQ(r->rows[1].rank, 2);
  ASSERT_TRUE(r->rows[1].composite);
  EXPECT_EQ(r->rows[1].composite->to_string(), "6.00");
  ASSERT_EQ(r->left_out.size(), 1u);
  EXPECT_EQ(r->left_out[0].first, "北区");
  EXPECT_EQ(r->left_out[0].second.code(), StatusCode::kNotFound);
  // Bad requests: cities and counties together; a city with no station in a county; an unknown city.
  AirRankRequest both = req;
  both.cities = {"测试市"};
  EXPECT_EQ(air_rank(stores, who, both).status().code(), StatusCode::kInvalidArgument);
  req.counties_of = "无此城";
  EXPECT_EQ(air_rank(stores, who, req).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(assess_county(stores.time_series(), rs, "测试市", "", req.range, RuleChoice{}).status().code(),
            StatusCode::kInvalidArgument);

  // One station's hourly report reads that station alone (a station-year export), and gives the hours the
  // whole city's load gives for it: E1 (national), W9 (micro: its PM2.5 500 µg/m³ every hour of March).
  const DayRange march = DayRange::month(2019, 3);
  auto all = load_city(stores.time_series(), rs, "测试市", march, RuleChoice{}.params, NonAssessment::kLoad);
  ASSERT_TRUE(all.ok()) << all.status().message();
  for (const char* code : {"E1", "W9"}) {
    AirRequest one{"测试市", code, march, RuleChoice{}, true};
    auto hours = air_hourly(stores, who, one);
    ASSERT_TRUE(hours.ok()) << code << ": " << hours.status().message();
    auto whole = city_hour_reports(*all, march, RuleChoice{}, code);
    ASSERT_TRUE(whole.ok()) << whole.status().message();
    ASSERT_EQ(hours->size(), 31u * 24u);  // 744 hours
    ASSERT_EQ(hours->size(), whole->size());
    for (size_t i = 0; i < hours->size(); ++i) {
      ASSERT_EQ((*hours)[i].value, (*whole)[i].value) << code << " hour " << i;
      ASSERT_EQ((*hours)[i].aqi.aqi, (*whole)[i].aqi.aqi) << code << " hour " << i;
    }
    EXPECT_EQ((*hours)[100].value[static_cast<size_t>(index_of(Pollutant::kPM25))],
              std::string(code) == "W9" ? 500'000 : 35'000);
  }
  // A code that is no station of the city.
  AirRequest none{"测试市", "Z9", march, RuleChoice{}, true};
  auto missing = air_hourly(stores, who, none);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("station Z9 is not an assessment station of 测试市"),
            std::string::npos)
      << missing.status().message();
}

TEST(AirRulesCover, NamesTheRulesOptionBeforeAnyStoreIsRead) {
  EXPECT_TRUE(air_rules_cover(RuleChoice{}, DayRange::year(2019), true).ok());
  Status s = air_rules_cover(RuleChoice{}, DayRange::year(2005), false);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--rules"), std::string::npos) << s.message();
}

class AirServices : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string why;
    auto shared = testing::shared_dir(&why);
    if (!shared) {
      skip_reason = new std::string(why);
      return;
    }
    dir = new testing::TempDir("app_air");
    db = new std::string((dir->path() / "jc.db").string());
    auto s = open_sqlite_stores(*db);
    ASSERT_TRUE(s.ok()) << s.status().message();
    stores = s->release();
    ImportOptions opt;
    opt.stations_file = *shared / "data/cnemc-2019/sites-2022.csv";
    auto r =
        import_cnemc(stores->time_series(), stores->records(), *shared / "data/cnemc-2019/jincheng", opt);
    ASSERT_TRUE(r.ok()) << r.status().message();
  }
  static void TearDownTestSuite() {
    delete stores;
    delete db;
    delete dir;
    delete skip_reason;
    stores = nullptr;
    db = nullptr;
    dir = nullptr;
    skip_reason = nullptr;
  }
  void SetUp() override {
    if (skip_reason) GTEST_SKIP() << *skip_reason;
  }
  static inline testing::TempDir* dir = nullptr;
  static inline std::string* db = nullptr;
  static inline Stores* stores = nullptr;
  static inline std::string* skip_reason = nullptr;
  const Actor who = Actor::operator_cli();
};

TEST_F(AirServices, PeriodIsTheDomainsAssessment) {
  AirRequest req{"晋城", "", DayRange::year(2019), RuleChoice{}, true};
  auto p = air_period(*stores, who, req);
  ASSERT_TRUE(p.ok()) << p.status().message();
  auto a = assess_city(stores->time_series(), stores->records(), "晋城", req.range, req.choice);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(p->assessment.days.valid, a->days.valid);
  EXPECT_GT(p->assessment.days.valid, 300);
  ASSERT_TRUE(p->assessment.composite && a->composite);
  EXPECT_EQ(p->assessment.composite->value, a->composite->value);
  EXPECT_FALSE(p->year_on_year.has_value());  // no 2018 in the archive
  EXPECT_EQ(air_period(*stores, who, {"无此城", "", req.range, RuleChoice{}, true}).status().code(),
            StatusCode::kNotFound);
}

TEST_F(AirServices, HourlyDailyTodayAndMonthly) {
  AirRequest req{"晋城", "", DayRange::month(2019, 1), RuleChoice{}, true};
  auto days = air_daily(*stores, who, req);
  ASSERT_TRUE(days.ok());
  EXPECT_EQ(days->size(), 31u);
  auto hours = air_hourly(*stores, who, req);
  ASSERT_TRUE(hours.ok());
  EXPECT_EQ(hours->size(), 31u * 24u);
  req.station = "no-such-station";
  EXPECT_EQ(air_hourly(*stores, who, req).status().code(), StatusCode::kNotFound);
  auto today = air_today(*stores, who, "晋城", std::nullopt);
  ASSERT_TRUE(today.ok()) << today.status().message();
  EXPECT_FALSE(today->city_hours.empty());
  EXPECT_EQ(today->stations.size(), today->station_hours.size());
  auto months = air_monthly(*stores, who, "晋城", 2019);
  ASSERT_TRUE(months.ok());
  EXPECT_EQ(months->size(), 12u);
  EXPECT_EQ(months->front().month, "2019-01");
  auto cities = air_cities(*stores, who);
  ASSERT_TRUE(cities.ok());
  ASSERT_FALSE(cities->empty());
}

TEST_F(AirServices, RankingIsTheSameOnOneThreadAndOnMany) {
  AirRankRequest req{{}, DayRange::year(2019), RuleChoice{}};
  auto one = air_rank(*stores, who, req);
  ASSERT_TRUE(one.ok()) << one.status().message();
  const StoresOpener opener = sqlite_stores_opener(*db);
  auto many = air_rank(*stores, who, req, &opener);
  ASSERT_TRUE(many.ok()) << many.status().message();
  ASSERT_EQ(one->rows.size(), many->rows.size());
  for (size_t i = 0; i < one->rows.size(); ++i) {
    EXPECT_EQ(one->rows[i].city, many->rows[i].city);
    EXPECT_EQ(one->rows[i].rank, many->rows[i].rank);
  }
  EXPECT_EQ(one->left_out.size(), many->left_out.size());
}

TEST_F(AirServices, BulletinFiguresAreTheServicesResults) {
  auto f = bulletin_air(*stores, who, "晋城", 2019);
  ASSERT_TRUE(f.ok()) << f.status().message();
  ASSERT_TRUE(f->annual.has_value());
  EXPECT_TRUE(!f->previous || f->previous->days.valid == 0);  // the archive has no 2018 day
  ASSERT_TRUE(f->daily.has_value());
  EXPECT_EQ(f->daily->size(), 365u);
  EXPECT_TRUE(f->months[0].has_value());
  EXPECT_TRUE(!f->previous_months[0] || f->previous_months[0]->days.valid == 0);
  auto none = bulletin_air(*stores, who, "无此城", 2019);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->annual.has_value());
  EXPECT_EQ(none->annual_error.code(), StatusCode::kNotFound);
  EXPECT_FALSE(bulletin_air(*stores, who, "晋城", 99999).ok());
}

}  // namespace
}  // namespace ecomon::app
