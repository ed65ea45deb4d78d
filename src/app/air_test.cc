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
