// app::power_check over a store (docs/power.md): an orange warning declared while a demo enterprise keeps its
// production line (停产 at orange) running → a stop-order event; its other line cut by 20 % where 30 % is
// required → "not cutting"; its treatment line switched off mid-day → the event opens and closes at the right
// minutes; a closed site drawing power; the roles' cut.
#include "app/power.h"

#include <gtest/gtest.h>

#include "app/emergency.h"
#include "app/networks.h"
#include "app/sources.h"
#include "power/power_format.h"
#include "store/sqlite_stores.h"
#include "testing/temp_dir.h"

namespace ecomon::app {
namespace {

using sources::SourceTime;
using sources::TimeSpan;

SourceTime at(int day, int hour, int minute = 0) {
  return SourceTime::of(CivilDay::from_ymd(2026, day > 20 ? 11 : 12, day), hour, minute);
}

class PowerCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_sqlite_stores((dir_.path() / "p.db").string());
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    stores_ = std::move(*s);
    // The reduction list: E01's 烧结 stops at orange, its 球团 cuts 30 % at orange.
    emergency::Enterprise e;
    e.id = "E01";
    e.name = "演示钢铁";
    e.county = "城区";
    emergency::Line sinter;
    sinter.id = "烧结";
    sinter.measures[emergency::level_index(emergency::WarningLevel::kOrange)].kind =
        emergency::MeasureKind::kStop;
    emergency::Line pellet;
    pellet.id = "球团";
    emergency::Measure& cut = pellet.measures[emergency::level_index(emergency::WarningLevel::kOrange)];
    cut.kind = emergency::MeasureKind::kCutProduction;
    cut.cut_percent = 30;
    e.lines = {sinter, pellet};
    ASSERT_TRUE(stores_->emergency().write_list({e}, {}).ok());
    PowerLineRow p1{"E01/P1", "E01", "烧结机", "production", "50", 60, "", "", {}, {}, {"烧结"}};
    PowerLineRow t1{"E01/T1", "E01", "脱硫", "treatment", "20", 60, "", "", {"E01/P1"}, {}, {}};
    PowerLineRow p2{"E01/P2", "E01", "球团", "production", "10", 3600, "", "", {}, {}, {"球团"}};
    ASSERT_TRUE(stores_->power().write_lines({p1, t1, p2}).ok());
    std::vector<PowerReadingRow> rs;
    // P1 and T1 every minute from 12-01 00:00 to 12-02 06:00 (1,800 each): P1 at 100 kW (running, >= 50);
    // T1 at 30 kW (running, >= 20) except 10:00-10:29 on 12-01 at 0 kW (30 minutes off) and 14:00-14:09 at
    // 5 kW (10 minutes off: shorter than the 15 minutes an event needs).
    for (SourceTime t = at(1, 0); t < at(2, 6); t = t + 60) {
      rs.push_back({"E01/P1", t, "100"});
      const bool off = (t >= at(1, 10) && t < at(1, 10, 30)) || (t >= at(1, 14) && t < at(1, 14, 10));
      rs.push_back({"E01/T1", t, off ? (t < at(1, 12) ? "0" : "5") : "30"});
    }
    // P2 hourly: 200 kW over the 7 baseline days before the warning (11-25 00:00 .. 12-01 23:00, 168
    // readings), 160 kW during it (12-02 00:00 .. 05:00, 6 readings).
    for (SourceTime t = at(25, 0); t < at(2, 6); t = t + 3600)
      rs.push_back({"E01/P2", t, t < at(2, 0) ? "200" : "160"});
    ASSERT_TRUE(stores_->power().write_readings(rs).ok());
    // A closed site: 30 kWh on 12-01 (above 5), 4 kWh on 12-02.
    ASSERT_TRUE(stores_->power().write_sites({{"S1", "砖厂", "城区", "M9", "closed", "2026-11-30"}}).ok());
    ASSERT_TRUE(
        stores_->power()
            .write_grid({{"X", "M9", "day", "2026-12-01", "30"}, {"X", "M9", "day", "2026-12-02", "4"}})
            .ok());
    ASSERT_TRUE(declare_warning(*stores_, Actor::operator_cli(), emergency::WarningLevel::kOrange,
                                "2026-12-02 00:00", "重污染天气橙色预警")
                    .ok());
  }
  testing::TempDir dir_{"power_check"};
  std::unique_ptr<Stores> stores_;
};

TEST_F(PowerCheckTest, WarningStopOrderCutAndTreatmentOutage) {
  auto r = power_check(*stores_, Actor::operator_cli(), {.span = {at(1, 0), at(2, 6)}});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_TRUE(r->problems.empty());
  ASSERT_EQ(r->events.size(), 3u);
  // By rule name: production_during_stop, site_drawing_power, treatment_not_running.
  const power::PowerEvent& stop = r->events[0];
  EXPECT_EQ(stop.rule, "production_during_stop");
  EXPECT_EQ(stop.line, "E01/P1");
  EXPECT_EQ(stop.related, "橙色预警 停产 (烧结)");
  EXPECT_EQ(stop.opened, at(2, 0));       // the order takes effect at 00:00, P1 still at 100 kW
  EXPECT_FALSE(stop.closed.has_value());  // still running at the last reading (05:59), order in force
  EXPECT_EQ(stop.readings, 360);          // 00:00 .. 05:59
  const power::PowerEvent& site = r->events[1];
  EXPECT_EQ(site.rule, "site_drawing_power");
  EXPECT_EQ(site.opened, at(1, 0));  // 30 kWh > 5 on 12-01
  EXPECT_EQ(site.closed, at(2, 0));  // 4 kWh <= 5 on 12-02
  const power::PowerEvent& outage = r->events[2];
  EXPECT_EQ(outage.rule, "treatment_not_running");
  EXPECT_EQ(outage.line, "E01/P1");
  EXPECT_EQ(outage.related, "E01/T1");
  EXPECT_EQ(outage.opened, at(1, 10));      // first minute off
  EXPECT_EQ(outage.closed, at(1, 10, 30));  // first minute back on
  EXPECT_EQ(outage.readings, 30);           // the 14:00 dip (10 min < 15) is none

  ASSERT_EQ(r->cuts.size(), 1u);
  const PowerCut& cut = r->cuts[0];
  EXPECT_EQ(cut.line, "E01/P2");
  EXPECT_EQ(cut.list_line, "球团");
  EXPECT_EQ(cut.level, "orange");
  EXPECT_EQ(cut.during.begin, at(2, 0));
  EXPECT_EQ(cut.during.end, at(2, 6));  // the warning inside the period judged
  // Baseline 168 readings x 200 kW = 33,600 kWh over 168 h: 200 kW; during 6 x 160 = 960 kWh over 6 h:
  // 160 kW. Achieved 1 - 160/200 = 1/5 = 20 % < 30 % required: not cutting.
  EXPECT_EQ(cut.compliance.baseline.readings, 168);
  EXPECT_EQ(cut.compliance.during.readings, 6);
  EXPECT_EQ(*cut.compliance.baseline_kw, (Rational{200, 1}));
  EXPECT_EQ(*cut.compliance.during_kw, (Rational{160, 1}));
  EXPECT_EQ(*cut.compliance.achieved_cut, (Rational{1, 5}));
  EXPECT_EQ(cut.compliance.verdict, power::CutVerdict::kNotCutting);
}

// `ecomon emergency compliance` over the orange warning 12-02 00:00..06:00: E01 has no online monitoring
// (not inspected, the emission-based verdict), and beside it the electricity verdict of its 球团 line (30 %
// at orange): baseline 200 kW (the 7 days before), 160 kW during, cut 1 - 160/200 = 20.0 % < 30 %: not
// cutting. The 烧结 line stops (no cut asked: its stop order is an event, not a verdict). A county user of
// another county sees neither; the JSON of the CLI and the API carries it in the enterprise's "power".
TEST_F(PowerCheckTest, ElectricityVerdictBesideTheEmissionCompliance) {
  ComplianceRequest req{.query = {"orange", "2026-12-02 00:00", "2026-12-02 06:00", "", ""}};
  auto c = emergency_compliance(*stores_, Actor::operator_cli(), req, hj212_monitoring(*stores_));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  ASSERT_EQ(c->report.results.size(), 1u);
  EXPECT_EQ(c->report.results[0].enterprise, "E01");
  EXPECT_EQ(c->report.results[0].verdict, emergency::Verdict::kNotInspected);
  ASSERT_EQ(c->power.size(), 1u);
  const PowerCut& cut = c->power[0];
  EXPECT_EQ(cut.line, "E01/P2");
  EXPECT_EQ(cut.list_enterprise, "E01");
  EXPECT_EQ(cut.county, "城区");
  EXPECT_EQ(cut.compliance.verdict, power::CutVerdict::kNotCutting);
  nlohmann::json j = {{"enterprises", {{{"enterprise", "E01"}}, {{"enterprise", "E02"}}}}};
  power::attach_cuts(j["enterprises"], c->power);
  const nlohmann::json& p = j["enterprises"][0]["power"][0];
  EXPECT_EQ(p["line"], "E01/P2");
  EXPECT_EQ(p["list_line"], "球团");
  EXPECT_EQ(p["level"], "orange");
  EXPECT_EQ(p["baseline_kw"], "200.0");
  EXPECT_EQ(p["during_kw"], "160.0");
  EXPECT_EQ(p["cut_percent"], "20.0");
  EXPECT_EQ(p["required_percent"], 30);
  EXPECT_EQ(p["verdict"], "not_cutting");
  EXPECT_EQ(p["baseline_readings"], 168);
  EXPECT_EQ(p["during_readings"], 6);
  EXPECT_TRUE(j["enterprises"][1]["power"].empty());
  EXPECT_EQ(power::cut_summary(cut), "E01/P2 球团 200.0→160.0 kW 20.0%/30% not_cutting");
  // Another county: cut away (the county's own user, and the bureau asking for that county).
  Actor county{"c", Role::kCounty, "泽州县", ""};
  auto other = emergency_compliance(*stores_, county, req, hj212_monitoring(*stores_));
  ASSERT_TRUE(other.ok()) << other.status().to_string();
  EXPECT_TRUE(other->power.empty());
  req.county = "泽州县";
  EXPECT_TRUE(
      emergency_compliance(*stores_, Actor::operator_cli(), req, hj212_monitoring(*stores_))->power.empty());
}

// Enforcement cases from the closed site S1 (城区, meter M9, closed since 11-30): 30 kWh on 12-01 > 5 -> a
// case opened 12-01; 4 kWh on 12-02 <= 5 closes it at 12-02 (1 day). Stored once: the same evaluation again
// changes nothing; a threshold of 40 kWh (a named parameter) finds no run, and the stored case stays.
// Another county's user sees none; an enterprise user is refused, and so is a negative threshold.
TEST_F(PowerCheckTest, ClosedSiteDrawingPowerIsAStoredIdempotentCase) {
  PowerCasesRequest req{"2026-12-01", "2026-12-02", {}};
  auto r = evaluate_power_cases(*stores_, Actor::operator_cli(), req, 1000);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->found, 1);
  EXPECT_EQ(r->changed, 1);
  ASSERT_EQ(r->cases.size(), 1u);
  const power::EnforcementCase& c = r->cases[0];
  EXPECT_EQ(c.site, "S1");
  EXPECT_EQ(c.name, "砖厂");
  EXPECT_EQ(c.county, "城区");
  EXPECT_EQ(c.meter, "M9");
  EXPECT_EQ(c.status, "closed");
  EXPECT_EQ(c.opened, "2026-12-01");
  EXPECT_EQ(c.closed, "2026-12-02");
  EXPECT_EQ(c.days, 1);
  EXPECT_EQ(c.threshold_kwh, "5");
  EXPECT_EQ(c.found_ms, 1000);
  auto again = evaluate_power_cases(*stores_, Actor::operator_cli(), req, 2000);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->changed, 0);
  EXPECT_EQ(again->cases[0].updated_ms, 1000);
  req.site.max_kwh_per_day = Decimal{40, 0};
  auto high = evaluate_power_cases(*stores_, Actor::operator_cli(), req, 3000);
  ASSERT_TRUE(high.ok());
  EXPECT_EQ(high->found, 0);
  EXPECT_EQ(high->cases.size(), 1u);
  EXPECT_EQ(power_cases(*stores_, Actor{"c", Role::kCounty, "城区", ""})->size(), 1u);
  EXPECT_TRUE(power_cases(*stores_, Actor{"c", Role::kCounty, "泽州县", ""})->empty());
  EXPECT_EQ(power_cases(*stores_, Actor{"e", Role::kEnterprise, "", "E01"}).status().code(),
            StatusCode::kPermissionDenied);
  req.site.max_kwh_per_day = Decimal{-1, 0};
  EXPECT_EQ(evaluate_power_cases(*stores_, Actor::operator_cli(), req, 4000).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(evaluate_power_cases(*stores_, Actor::operator_cli(), {"2026-12-02", "2026-12-01", {}}, 4000)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(evaluate_power_cases(*stores_, Actor::operator_cli(), {"12/01", "2026-12-01", {}}, 4000)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  const nlohmann::json j = power::case_json(c);
  EXPECT_EQ(j["closed"], "2026-12-02");
  EXPECT_EQ(j["days"], 1);
}

TEST_F(PowerCheckTest, BeforeTheWarningNoStopOrderAndRolesCut) {
  // 12-01 only: no warning in force, so no order and no cut; the outage and the site remain.
  auto r = power_check(*stores_, Actor::operator_cli(), {.span = {at(1, 0), at(2, 0)}});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[0].rule, "site_drawing_power");
  EXPECT_TRUE(r->cuts.empty());
  // An enterprise user: its own only (no sites); another enterprise's: refused; the public: refused.
  Actor own{"e01", Role::kEnterprise, "", "E01"};
  auto mine = power_check(*stores_, own, {.span = {at(1, 0), at(2, 0)}});
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->events.size(), 1u);
  EXPECT_EQ(mine->events[0].rule, "treatment_not_running");
  Actor other{"e02", Role::kEnterprise, "", "E02"};
  EXPECT_TRUE(power_check(*stores_, other, {.span = {at(1, 0), at(2, 0)}})->events.empty());
  EXPECT_EQ(power_check(*stores_, other, {.span = {at(1, 0), at(2, 0)}, .enterprise = "E01"}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(power_check(*stores_, Actor{}, {.span = {at(1, 0), at(2, 0)}}).status().code(),
            StatusCode::kPermissionDenied);
  // Another county's user sees neither E01 nor the site.
  Actor county{"c", Role::kCounty, "泽州县", ""};
  EXPECT_TRUE(power_check(*stores_, county, {.span = {at(1, 0), at(2, 0)}})->events.empty());
  EXPECT_EQ(power_check(*stores_, Actor::operator_cli(), {.span = {at(2, 0), at(2, 0)}}).status().code(),
            StatusCode::kInvalidArgument);
}

// The lines, readings and stored live events as the API lists them (power_lines, power_readings,
// power_events), cut by role: E01 is 城区's on the list; an enterprise user sees its own only.
TEST_F(PowerCheckTest, LinesReadingsAndStoredEventsByRole) {
  const Actor county{"c", Role::kCounty, "城区", ""}, far{"c", Role::kCounty, "泽州县", ""};
  const Actor own{"e01", Role::kEnterprise, "", "E01"}, other{"e02", Role::kEnterprise, "", "E02"};
  auto lines = power_lines(*stores_, county, "");
  ASSERT_TRUE(lines.ok()) << lines.status().to_string();
  ASSERT_EQ(lines->size(), 3u);  // by line id
  EXPECT_EQ((*lines)[1].line, "E01/P2");
  EXPECT_TRUE(power_lines(*stores_, far, "")->empty());
  EXPECT_EQ(power_lines(*stores_, own, "")->size(), 3u);
  EXPECT_TRUE(power_lines(*stores_, other, "")->empty());
  EXPECT_EQ(power_lines(*stores_, other, "E01").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(power_lines(*stores_, Actor{}, "").status().code(), StatusCode::kPermissionDenied);

  // E01/T1 from 10:00 to 10:02 on 12-01: 0, 0 kW (the outage), one line's readings only.
  auto rs = power_readings(*stores_, own, {.line = "E01/T1", .span = {at(1, 10), at(1, 10, 2)}});
  ASSERT_TRUE(rs.ok());
  ASSERT_EQ(rs->size(), 2u);
  EXPECT_EQ((*rs)[0].kw, "0");
  EXPECT_EQ((*rs)[1].at, at(1, 10, 1));
  // The enterprise's three lines over the hour 12-02 00:00: P1 and T1 60 each, P2 1 (hourly) = 121.
  EXPECT_EQ(power_readings(*stores_, county, {.enterprise = "E01", .span = {at(2, 0), at(2, 1)}})->size(),
            121u);
  EXPECT_EQ(power_readings(*stores_, far, {.line = "E01/T1", .span = {at(1, 10), at(1, 11)}}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(power_readings(*stores_, own, {.span = {at(1, 10), at(1, 11)}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(power_readings(*stores_, own, {.line = "E01/T1", .span = {at(1, 11), at(1, 10)}}).status().code(),
            StatusCode::kInvalidArgument);

  // A stored live event of E01/T1 (the gateway's key: the module's MN, "treatment>production") and one of a
  // line nobody registered (left out).
  sources::EventTransition open{.transition = sources::Transition::kOpen,
                                .key = {"PWRMN01", sources::EventKind::kTreatmentNotRunning, "E01/T1>E01/P1"},
                                .at = at(1, 10),
                                .data_time = at(1, 10, 14),
                                .value = Decimal{0, 0},
                                .limit = Decimal{20, 0}};
  sources::EventTransition close = open;
  close.transition = sources::Transition::kClose;
  close.at = close.data_time = at(1, 10, 30);
  sources::EventTransition stray = open;
  stray.key.pollutant = "X/T9>X/P9";
  ASSERT_TRUE(stores_->source_events().apply(std::vector{open, close, stray}, 1000).ok());
  auto ev = power_events(*stores_, county, {.span = {at(1, 0), at(2, 0)}});
  ASSERT_TRUE(ev.ok()) << ev.status().to_string();
  ASSERT_EQ(ev->size(), 1u);
  const PowerEventView& e = (*ev)[0];
  EXPECT_EQ(e.kind, "treatment_not_running");
  EXPECT_EQ(e.enterprise, "E01");
  EXPECT_EQ(e.line, "E01/T1");
  EXPECT_EQ(e.related, "E01/P1");
  EXPECT_EQ(e.opened, at(1, 10));
  EXPECT_EQ(e.closed, at(1, 10, 30));
  EXPECT_EQ(e.kw, "0");
  EXPECT_EQ(e.running_kw, "20");
  EXPECT_TRUE(power_events(*stores_, far, {.span = {at(1, 0), at(2, 0)}})->empty());
  EXPECT_TRUE(power_events(*stores_, own, {.span = {at(1, 0), at(2, 0)}, .open_only = true})->empty());
  EXPECT_TRUE(power_events(*stores_, own, {.span = {at(1, 11), at(2, 0)}})->empty());  // closed before
}

// One enterprise, three networks (app/networks.h) for E01 over 12-01: no emission devices (no loads, no
// exceedances); its three lines with their energy, Σ kW × interval / 3600:
//   E01/P1 1,440 minute readings at 100 kW = 100 × 24 = 2400.0 kWh;
//   E01/T1 30 kW for the day but 30 minutes at 0 and 10 minutes at 5:
//          720 − 30 × 0.5 − (30 − 5) × 10/60 = 720 − 15 − 4.1666… = 700.8333… → 700.8 kWh;
//   E01/P2 24 hourly readings at 200 kW = 4800.0 kWh;
// and its boundary TSP point (owner E01) with no reading in the last day (no_data). Roles: another county's
// user and another enterprise refused, an enterprise not in the source registry not found.
TEST_F(PowerCheckTest, OneEnterpriseThreeNetworks) {
  ASSERT_TRUE(stores_->source_registry()
                  .put_enterprise({.id = "E01", .name = "演示钢铁", .county = "城区", .industry = "钢铁"})
                  .ok());
  ASSERT_TRUE(
      stores_->dust()
          .write_points({{"T01", "东厂界", "boundary", "E01", "城区", "112.85", "35.5", "DUST0001"},
                         {"T02", "工地", "construction", "城建一标段", "城区", "112.8", "35.4", "DUST0002"}})
          .ok());
  const Actor county{"c", Role::kCounty, "城区", ""};
  auto n = enterprise_networks(*stores_, county, {.enterprise = "E01", .span = {at(1, 0), at(2, 0)}});
  ASSERT_TRUE(n.ok()) << n.status().to_string();
  const nlohmann::json j = networks_json(*n);
  EXPECT_EQ(j["name"], "演示钢铁");
  EXPECT_EQ(j["from"], "2026-12-01 00:00:00");
  EXPECT_EQ(j["to"], "2026-12-02 00:00:00");
  EXPECT_TRUE(j["emissions"]["loads"].empty());
  EXPECT_TRUE(j["emissions"]["exceedances"].empty());
  EXPECT_EQ(j["power"]["lines"], nlohmann::json::parse(R"([
      {"line":"E01/P1","name":"烧结机","role":"production","readings":1440,"kwh":"2400.0"},
      {"line":"E01/P2","name":"球团","role":"production","readings":24,"kwh":"4800.0"},
      {"line":"E01/T1","name":"脱硫","role":"treatment","readings":1440,"kwh":"700.8"}])"));
  EXPECT_TRUE(j["power"]["events"].empty());
  EXPECT_EQ(j["tsp"]["points"],
            nlohmann::json::parse(R"([{"id":"T01","name":"东厂界","type":"boundary","state":"no_data"}])"));
  EXPECT_EQ(enterprise_networks(*stores_, Actor{"c", Role::kCounty, "泽州县", ""},
                                {.enterprise = "E01", .span = {at(1, 0), at(2, 0)}})
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(enterprise_networks(*stores_, Actor{"e", Role::kEnterprise, "", "E02"},
                                {.enterprise = "E01", .span = {at(1, 0), at(2, 0)}})
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(enterprise_networks(*stores_, county, {.enterprise = "E99", .span = {at(1, 0), at(2, 0)}})
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_EQ(enterprise_networks(*stores_, county, {.enterprise = "E01", .span = {at(2, 0), at(1, 0)}})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

// The required cut from the store's sums (PowerStore::reading_sums) is exactly the verdict of the readings
// read back (power::cut_compliance on them, the computation before the sums), on minute data with gaps and an
// unreadable reading. E01/P3 (球团 too, 30 % at orange, every minute): baseline 11-25 00:00 .. 12-02 00:00 =
// 10,080 minutes, minute i of it missing when i % 10 == 9 (1,008 gaps), "n/a" at i = 1 (reported, not
// counted), else 100.5 kW at even i and 99.5 at odd: 9,071 readings, 1,008 × (5 × 100.5 + 4 × 99.5) − 99.5
// = 907,604.5 kW summed, mean 907,604.5 / 9,071 = 1,815,209 / 18,142 kW (coverage 9,071 / 10,080 = 90 %).
// During 12-02 00:00 .. 06:00: 70.25 kW every minute but 01:00 .. 01:59: 300 readings (83 %), mean 70.25.
// Cut 1 − 70.25 × 18,142 / 1,815,209 = 1,081,467 / 3,630,418 = 29.79 % < 30 %: not cutting.
TEST_F(PowerCheckTest, CutFromTheStoresSumsIsTheVerdictOfTheReadings) {
  PowerLineRow p3{"E01/P3", "E01", "球团2", "production", "10", 60, "", "", {}, {}, {"球团"}};
  ASSERT_TRUE(stores_->power().write_lines({p3}).ok());
  std::vector<PowerReadingRow> rs;
  for (int i = 0; i < 10080; ++i) {
    if (i % 10 == 9) continue;
    rs.push_back({"E01/P3", at(25, 0) + int64_t{i} * 60, i == 1 ? "n/a" : i % 2 == 0 ? "100.5" : "99.5"});
  }
  for (SourceTime t = at(2, 0); t < at(2, 6); t = t + 60) {
    if (t < at(2, 1) || t >= at(2, 2)) rs.push_back({"E01/P3", t, "70.25"});
  }
  ASSERT_TRUE(stores_->power().write_readings(rs).ok());

  auto r = power_check(*stores_, Actor::operator_cli(), {.span = {at(1, 0), at(2, 6)}});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->problems,
            (std::vector<std::string>{"E01/P3: reading at 20261125000100 'n/a' is not a number"}));
  ASSERT_EQ(r->cuts.size(), 2u);
  const PowerCut& cut = r->cuts[1];
  ASSERT_EQ(cut.line, "E01/P3");
  const power::CutCompliance& c = cut.compliance;
  EXPECT_EQ(c.baseline.readings, 9071);
  EXPECT_EQ(c.baseline.expected, 10080);
  EXPECT_EQ(c.baseline.kwh, (Rational{1815209, 120}));  // 907,604.5 kW × 60 s / 3,600
  EXPECT_EQ(c.during.readings, 300);
  EXPECT_EQ(c.during.expected, 360);
  EXPECT_EQ(*c.baseline_kw, (Rational{1815209, 18142}));
  EXPECT_EQ(*c.during_kw, (Rational{281, 4}));
  EXPECT_EQ(*c.achieved_cut, (Rational{1081467, 3630418}));
  EXPECT_EQ(c.verdict, power::CutVerdict::kNotCutting);

  // The computation on the readings read back gives every figure alike.
  auto back = stores_->power().readings({"E01/P3"}, {at(25, 0), at(2, 6)});
  ASSERT_TRUE(back.ok());
  std::vector<power::Reading> readings;
  for (const PowerReadingRow& b : *back) {
    if (auto kw = parse_milli(b.kw)) readings.push_back({b.at, Decimal::of_milli(*kw)});
  }
  power::MeteredLine line{"E01/P3", "E01", "球团2", power::LineRole::kProduction, Decimal{10, 0}, {}, 60};
  const power::CutCompliance old = power::cut_compliance(line, readings, cut.during, 30, {});
  EXPECT_EQ(old.baseline.readings, c.baseline.readings);
  EXPECT_EQ(old.baseline.expected, c.baseline.expected);
  EXPECT_EQ(old.baseline.kwh, c.baseline.kwh);
  EXPECT_EQ(old.during.readings, c.during.readings);
  EXPECT_EQ(old.during.kwh, c.during.kwh);
  EXPECT_EQ(*old.baseline_kw, *c.baseline_kw);
  EXPECT_EQ(*old.during_kw, *c.during_kw);
  EXPECT_EQ(*old.achieved_cut, *c.achieved_cut);
  EXPECT_EQ(old.verdict, c.verdict);
}

}  // namespace
}  // namespace ecomon::app
