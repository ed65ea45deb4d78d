// Runs the declarative golden cases of the pollution-source domain:
//   tests/cases/transmission_rates.csv  传输率 / 有效率 / 有效传输率 of one device or an aggregate of devices
//   tests/cases/source_events.csv       event transitions of an EventTracker, scenario by scenario
// Each row carries its hand working in the `working` column; the file headers explain the columns.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "sources/events.h"
#include "sources/rates.h"
#include "sources/test_registry.h"
#include "testing/csv_cases.h"

namespace ecomon::sources {
namespace {

using ecomon::testing::CaseRow;
using ecomon::testing::read_cases;
using test_support::at;

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep)) {
    const size_t b = part.find_first_not_of(' '), e = part.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(part.substr(b, e - b + 1));
  }
  return out;
}

std::string percent_text(const std::optional<Decimal>& d) { return d ? d->to_string() : "-"; }

// ---- transmission rates ----

// One record of the golden device: flags "-" (none), one letter (both rated pollutants) or two (a21026,
// a21002).
MonitoringRecord rate_record(DataKind kind, SourceTime t, const std::string& flags) {
  MonitoringRecord r{.mn = std::string(test_support::kMnG), .kind = kind, .data_time = t};
  const std::string f1 = flags.substr(0, 1), f2 = flags.size() > 1 ? flags.substr(1, 1) : f1;
  r.values.push_back({.code = "a21026", .avg = Decimal{20, 0}, .flag = parse_data_flag(f1)});
  r.values.push_back({.code = "a21002", .avg = Decimal{30, 0}, .flag = parse_data_flag(f2)});
  r.values.push_back({.code = "a19001", .avg = Decimal{8, 0}, .flag = DataFlag::kNormal});
  return r;
}

struct RateCase {
  Device device;
  TimeSpan period;
  std::vector<MonitoringRecord> records;
};

RateCase build_rate_case(const CaseRow& row) {
  RateCase c;
  c.device = test_support::gas_device(test_support::kMnG);
  std::erase_if(c.device.pollutants, [](const MonitoredPollutant& p) { return p.code == "a34013"; });
  c.device.registered_at = row.get("registered").empty() ? at("2020-01-01 00:00") : at(row.get("registered"));
  const std::string kind_text = row.get("kind").empty() ? "hourly" : row.get("kind");
  const std::optional<DataKind> kind = parse_data_kind(kind_text);
  EXPECT_TRUE(kind.has_value()) << row.where() << ": kind " << kind_text;
  if (kind == DataKind::kMinute) c.device.intervals.minute_min = std::stoi(row.get("interval"));
  if (kind == DataKind::kRealtime) c.device.intervals.realtime_s = std::stoi(row.get("interval"));
  EXPECT_TRUE(validate_device(c.device, {}).ok()) << row.where();
  for (const std::string& s : split(row.get("stops"), ';')) {
    const size_t dots = s.find("..");
    c.device.stops.push_back({.span = {at(s.substr(0, dots)), at(s.substr(dots + 2))}});
  }
  const CivilDay first = CivilDay::parse(row.get("month") + "-01").value();
  c.period = month_span(MonthKey::of(first));
  const int64_t interval = c.device.intervals.interval_seconds(*kind);
  // Slot DataTime -> the flag strings of the records at it (in order); plus records at arbitrary times.
  std::map<int64_t, std::vector<std::string>> slots;
  std::vector<std::pair<SourceTime, std::string>> extra;
  for (const std::string& d : split(row.get("records"), ';')) {
    if (d.rfind("all=", 0) == 0) {
      for (SourceTime t = c.period.begin; t < c.period.end; t = t + interval)
        slots[t.seconds] = {d.substr(4)};
    } else if (d.rfind("at ", 0) == 0) {
      const size_t eq = d.find('=');
      extra.emplace_back(at(d.substr(3, eq - 3)), d.substr(eq + 1));
    } else {
      const bool dup = d.rfind("dup ", 0) == 0;
      const std::string body = dup ? d.substr(4) : d;
      const size_t plus = body.find('+'), eq = body.find('=');
      const SourceTime from = at(body.substr(0, plus));
      const int count =
          std::stoi(body.substr(plus + 1, eq == std::string::npos ? std::string::npos : eq - plus - 1));
      for (int i = 0; i < count; ++i) {
        auto& v = slots[(from + i * interval).seconds];
        if (dup) {
          v.push_back(v.front());
        } else {
          v = {body.substr(eq + 1)};
        }
      }
    }
  }
  for (const auto& [t, flags] : slots) {
    for (const std::string& f : flags) {
      if (f != "-") c.records.push_back(rate_record(*kind, SourceTime::of_seconds(t), f));
    }
  }
  for (const auto& [t, f] : extra) c.records.push_back(rate_record(*kind, t, f));
  return c;
}

RateParams rate_params(const CaseRow& row) {
  RateParams p;
  if (!row.get("kind").empty()) p.data_kind = parse_data_kind(row.get("kind")).value_or(DataKind::kHourly);
  p.extra_valid_flags = FlagSet::parse(row.get("extra_valid")).value();
  if (row.get("counting") == "pollutant") p.counting = CountingUnit::kPollutant;
  if (row.get("aggregation") == "mean") p.aggregation = RateAggregation::kMeanOfDeviceRates;
  if (row.get("comparison") == "rounded") p.comparison = PassComparison::kRoundedValue;
  return p;
}

void expect_rate(const CaseRow& row, const TransmissionRate& r) {
  const std::string w = row.where() + " " + row.get("id") + ": " + row.get("working");
  const RateCounts& c = r.counts;
  EXPECT_EQ(std::to_string(c.slots), row.get("slots")) << w;
  EXPECT_EQ(std::to_string(c.not_registered), row.get("not_registered")) << w;
  EXPECT_EQ(std::to_string(c.stopped), row.get("stopped")) << w;
  EXPECT_EQ(std::to_string(c.expected), row.get("expected")) << w;
  EXPECT_EQ(std::to_string(c.received), row.get("received")) << w;
  EXPECT_EQ(std::to_string(c.valid), row.get("valid")) << w;
  EXPECT_EQ(std::to_string(c.duplicates), row.get("duplicates")) << w;
  EXPECT_EQ(std::to_string(c.ignored), row.get("ignored")) << w;
  EXPECT_EQ(percent_text(r.transmission_percent), row.get("transmission")) << w;
  EXPECT_EQ(percent_text(r.validity_percent), row.get("validity")) << w;
  EXPECT_EQ(percent_text(r.effective_percent), row.get("effective")) << w;
  EXPECT_EQ(std::string(rate_verdict_name(r.verdict)), row.get("verdict")) << w;
  EXPECT_EQ(c.slots, c.not_registered + c.stopped + c.expected) << w;
}

TEST(SourcesGolden, TransmissionRates) {
  const auto rows = read_cases("transmission_rates.csv");
  ASSERT_GE(rows.size(), 30u);
  std::map<std::string, TransmissionRate> by_id;
  for (const CaseRow& row : rows) {
    const RateParams params = rate_params(row);
    ASSERT_TRUE(validate_rate_params(params).ok()) << row.where();
    if (row.get("level") == "device") {
      const RateCase c = build_rate_case(row);
      const TransmissionRate r = device_transmission_rate(c.device, c.period, c.records, params);
      expect_rate(row, r);
      by_id[row.get("id")] = r;
      continue;
    }
    ASSERT_EQ(row.get("level"), "aggregate") << row.where();
    std::vector<TransmissionRate> parts;
    for (const std::string& id : split(row.get("parts"), ' ')) {
      ASSERT_TRUE(by_id.contains(id)) << row.where() << ": unknown part " << id;
      parts.push_back(by_id[id]);
    }
    StatusOr<TransmissionRate> r = aggregate_transmission_rates(parts, params);
    ASSERT_TRUE(r.ok()) << row.where() << ": " << r.status().message();
    expect_rate(row, *r);
  }
}

// ---- events ----

std::string mn_of(const std::string& letter) {
  if (letter == "G") return std::string(test_support::kMnG);
  if (letter == "S") return std::string(test_support::kMnS);
  if (letter == "W") return std::string(test_support::kMnW);
  return "0000000000000000000000FF";  // not registered
}

// "a21026 Avg=30 ZsAvg=36.2 Flag=N; a21002 ..." -> values.
std::vector<PollutantValue> parse_values(const CaseRow& row) {
  std::vector<PollutantValue> out;
  for (const std::string& item : split(row.get("values"), ';')) {
    const std::vector<std::string> parts = split(item, ' ');
    PollutantValue v{.code = parts.at(0)};
    for (size_t i = 1; i < parts.size(); ++i) {
      const size_t eq = parts[i].find('=');
      const std::string name = parts[i].substr(0, eq), value = parts[i].substr(eq + 1);
      if (name == "Flag") {
        v.flag = parse_data_flag(value);
        continue;
      }
      const std::optional<Decimal> d = hj212::parse_decimal(value);
      EXPECT_TRUE(d.has_value()) << row.where() << ": bad number " << value;
      if (name == "Avg")
        v.avg = d;
      else if (name == "ZsAvg")
        v.zs_avg = d;
      else if (name == "Rtd")
        v.rtd = d;
      else
        ADD_FAILURE() << row.where() << ": unknown field " << name;
    }
    out.push_back(v);
  }
  return out;
}

std::string described(const std::vector<EventTransition>& ts) {
  std::string out;
  for (const EventTransition& t : ts) {
    std::string d = describe(t);
    for (const char* letter : {"G", "S", "W"}) {
      const std::string mn = mn_of(letter);
      if (const size_t p = d.find(mn); p != std::string::npos) d.replace(p, mn.size(), letter);
    }
    out += (out.empty() ? "" : " | ") + d;
  }
  return out;
}

TEST(SourcesGolden, SourceEvents) {
  const auto rows = read_cases("source_events.csv");
  ASSERT_GE(rows.size(), 40u);
  // Scenario -> the device letters it names, so that its registry holds only those.
  std::map<std::string, std::string> letters;
  for (const CaseRow& row : rows) letters[row.get("scenario")] += row.get("device");
  std::string scenario;
  std::optional<SourceRegistry> registry;
  std::optional<EventTracker> tracker;
  for (const CaseRow& row : rows) {
    const std::string w =
        row.where() + " " + row.get("scenario") + "#" + row.get("step") + ": " + row.get("working");
    if (row.get("scenario") != scenario) {
      scenario = row.get("scenario");
      registry.emplace(test_support::test_registry(letters[scenario]));
      tracker.emplace();
    }
    const std::string action = row.get("action");
    if (action == "evaluate") {
      EXPECT_EQ(described(tracker->evaluate(*registry, at(row.get("time")))), row.get("expected")) << w;
      continue;
    }
    MonitoringRecord r{.mn = mn_of(row.get("device")), .data_time = at(row.get("time"))};
    const std::optional<DataKind> kind = parse_data_kind(row.get("cn"));
    ASSERT_TRUE(kind.has_value()) << w;
    r.kind = *kind;
    if (!row.get("received").empty()) r.received_at = at(row.get("received"));
    r.values = parse_values(row);
    StatusOr<std::vector<EventTransition>> t = tracker->feed(*registry, r);
    if (action == "feed_error") {
      ASSERT_FALSE(t.ok()) << w;
      EXPECT_NE(t.status().message().find(row.get("expected")), std::string::npos)
          << w << t.status().message();
      continue;
    }
    ASSERT_EQ(action, "feed") << w;
    ASSERT_TRUE(t.ok()) << w << ": " << t.status().message();
    EXPECT_EQ(described(*t), row.get("expected")) << w;
  }
}

}  // namespace
}  // namespace ecomon::sources
