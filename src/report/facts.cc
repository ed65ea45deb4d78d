#include "report/facts.h"
#include "core/json_text.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace ecomon::report {
namespace {

using nlohmann::json;

constexpr int kMaxDecimals = 9;
constexpr int kPercentDecimals = 1;
constexpr int kTopIndustries = 3;
constexpr size_t kMaxFactsBytes = 1 << 20;
constexpr int kMinYear = 1900, kMaxYear = 2999;

int64_t pow10(int n) {
  int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

Decimal rescale(const Decimal& d, int scale) { return {d.units * pow10(scale - d.scale), scale}; }

Decimal add(const Decimal& a, const Decimal& b) {
  int s = std::max(a.scale, b.scale);
  return {rescale(a, s).units + rescale(b, s).units, s};
}

// Reads the fields of one JSON object, remembering the first error with the field's path.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  const Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }

  void fail(const std::string& path, const std::string& message) {
    if (status_.ok()) status_ = invalid_argument(file_ + ": " + path + ": " + message);
  }
  // Checks that `j` is an object with no key outside `allowed`.
  bool object(const json& j, const std::string& path, std::initializer_list<const char*> allowed) {
    if (!j.is_object()) {
      fail(path, "expected an object");
      return false;
    }
    std::set<std::string> keys(allowed.begin(), allowed.end());
    for (const auto& [k, v] : j.items()) {
      if (!keys.count(k)) fail(path.empty() ? k : path + "." + k, "unknown field");
    }
    return ok();
  }
  std::optional<std::string> text(const json& j, const std::string& key, const std::string& path,
                                  bool required) {
    if (!j.contains(key)) return missing(path, key, required), std::nullopt;
    if (!j[key].is_string() || j[key].get<std::string>().empty()) {
      fail(join(path, key), "expected a non-empty string");
      return std::nullopt;
    }
    return j[key].get<std::string>();
  }
  std::optional<int64_t> count(const json& j, const std::string& key, const std::string& path,
                               bool required) {
    if (!j.contains(key)) return missing(path, key, required), std::nullopt;
    if (!j[key].is_number_integer() || j[key].get<int64_t>() < 0) {
      fail(join(path, key), "expected a whole number >= 0, got " + json_text(j[key]));
      return std::nullopt;
    }
    return j[key].get<int64_t>();
  }
  std::optional<Decimal> decimal(const json& j, const std::string& key, const std::string& path,
                                 bool required) {
    if (!j.contains(key)) return missing(path, key, required), std::nullopt;
    const json& v = j[key];
    std::optional<Decimal> d;
    if (v.is_string()) d = parse_decimal(v.get<std::string>());
    if (v.is_number()) d = parse_decimal(json_text(v));
    if (!d || d->units < 0) {
      fail(join(path, key), "expected a decimal number >= 0 (e.g. 1234.5), got " + json_text(v));
      return std::nullopt;
    }
    return d;
  }

 private:
  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  void missing(const std::string& path, const std::string& key, bool required) {
    if (required) fail(join(path, key), "missing");
  }
  std::string file_;
  Status status_;
};

void read_radiation(Reader& r, const json& j, Facts& f) {
  if (!r.object(j, "radiation", {"gamma_min", "gamma_max", "sealed_sources", "ray_devices", "assessment"}))
    return;
  Radiation x;
  x.gamma_min = r.decimal(j, "gamma_min", "radiation", false);
  x.gamma_max = r.decimal(j, "gamma_max", "radiation", false);
  x.sealed_sources = r.count(j, "sealed_sources", "radiation", false);
  x.ray_devices = r.count(j, "ray_devices", "radiation", false);
  x.assessment = r.text(j, "assessment", "radiation", false).value_or("");
  if (x.gamma_min.has_value() != x.gamma_max.has_value())
    r.fail("radiation", "gamma_min and gamma_max go together");
  f.radiation = x;
}

void read_nature(Reader& r, const json& j, Facts& f) {
  if (!r.object(j, "nature", {"reserves", "forest_cover_percent"})) return;
  Nature n;
  n.forest_cover_percent = r.decimal(j, "forest_cover_percent", "nature", false);
  if (j.contains("reserves")) {
    if (!j["reserves"].is_array()) return r.fail("nature.reserves", "expected an array");
    for (size_t i = 0; i < j["reserves"].size(); ++i) {
      const json& e = j["reserves"][i];
      std::string path = "nature.reserves[" + std::to_string(i) + "]";
      if (!r.object(e, path, {"name", "level", "area_km2"})) return;
      Reserve x;
      x.name = r.text(e, "name", path, true).value_or("");
      x.level = r.text(e, "level", path, true).value_or("");
      x.area_km2 = r.decimal(e, "area_km2", path, true).value_or(Decimal{});
      n.reserves.push_back(x);
    }
  }
  f.nature = n;
}

void read_emissions(Reader& r, const json& j, Facts& f) {
  if (!j.is_array()) return r.fail("emissions_by_industry", "expected an array");
  for (size_t i = 0; i < j.size(); ++i) {
    std::string path = "emissions_by_industry[" + std::to_string(i) + "]";
    if (!r.object(j[i], path, {"pollutant", "unit", "industries"})) return;
    IndustryEmissions e;
    e.pollutant = r.text(j[i], "pollutant", path, true).value_or("");
    e.unit = r.text(j[i], "unit", path, true).value_or("");
    const json& list = j[i].contains("industries") ? j[i]["industries"] : json();
    if (!list.is_array() || list.empty()) return r.fail(path + ".industries", "expected a non-empty array");
    for (size_t k = 0; k < list.size(); ++k) {
      std::string p = path + ".industries[" + std::to_string(k) + "]";
      if (!r.object(list[k], p, {"industry", "amount"})) return;
      e.industries.push_back({r.text(list[k], "industry", p, true).value_or(""),
                              r.decimal(list[k], "amount", p, true).value_or(Decimal{})});
    }
    f.emissions.push_back(e);
  }
}

}  // namespace

std::optional<Decimal> parse_decimal(const std::string& text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  int64_t units = 0;
  int scale = 0, digits = 0;
  bool point = false;
  constexpr int kMaxDigits = 17;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (++digits > kMaxDigits) return std::nullopt;
    units = units * 10 + (c - '0');
    if (point && ++scale > kMaxDecimals) return std::nullopt;
  }
  if (digits == 0 || (point && scale == 0)) return std::nullopt;
  return Decimal{negative ? -units : units, scale};
}

std::optional<Decimal> ratio_percent(const Decimal& a, const Decimal& b) {
  int s = std::max(a.scale, b.scale);
  int64_t bu = rescale(b, s).units;
  if (bu == 0) return std::nullopt;
  constexpr int64_t kHundred = 100;
  return round_half_even(Rational{rescale(a, s).units * kHundred, bu}, kPercentDecimals);
}

IndustryRanking rank_industries(const IndustryEmissions& e) {
  IndustryRanking out;
  for (const IndustryAmount& i : e.industries) {
    out.total = add(out.total, i.amount);
    out.ranked.push_back({i.industry, i.amount, std::nullopt});
  }
  std::stable_sort(out.ranked.begin(), out.ranked.end(),
                   [](const RankedIndustry& a, const RankedIndustry& b) {
                     if (a.amount != b.amount) return a.amount > b.amount;
                     return a.industry < b.industry;
                   });
  Decimal top{};
  for (size_t i = 0; i < out.ranked.size(); ++i) {
    out.ranked[i].share = ratio_percent(out.ranked[i].amount, out.total);
    if (i < kTopIndustries) top = add(top, out.ranked[i].amount);
  }
  out.top3_share = ratio_percent(top, out.total);
  return out;
}

StatusOr<Facts> parse_facts(const std::string& text, const std::string& file) {
  if (text.size() > kMaxFactsBytes) return invalid_argument(file + ": larger than 1 MiB");
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann's message says "at line L, column C".
    return invalid_argument(file + ": not valid JSON: " + e.what());
  }
  Reader r(file);
  Facts f;
  f.file = file;
  if (!r.object(j, "",
                {"city", "year", "radiation", "nature", "enforcement", "online_monitoring", "permit_trading",
                 "solid_waste", "emissions_by_industry"})) {
    return r.status();
  }
  f.city = r.text(j, "city", "", true).value_or("");
  f.year = static_cast<int>(r.count(j, "year", "", true).value_or(0));
  if (r.ok() && (f.year < kMinYear || f.year > kMaxYear))
    r.fail("year", "out of range: " + std::to_string(f.year));
  if (j.contains("radiation")) read_radiation(r, j["radiation"], f);
  if (j.contains("nature")) read_nature(r, j["nature"], f);
  if (j.contains("enforcement") &&
      r.object(j["enforcement"], "enforcement",
               {"cases", "fines_10k_yuan", "cases_previous", "fines_previous_10k_yuan"})) {
    const json& e = j["enforcement"];
    f.enforcement = Enforcement{r.count(e, "cases", "enforcement", true).value_or(0),
                                r.decimal(e, "fines_10k_yuan", "enforcement", true).value_or(Decimal{}),
                                r.count(e, "cases_previous", "enforcement", false),
                                r.decimal(e, "fines_previous_10k_yuan", "enforcement", false)};
  }
  if (j.contains("online_monitoring") && r.object(j["online_monitoring"], "online_monitoring",
                                                  {"enterprises", "sets", "effective_transmission_rate"})) {
    const json& e = j["online_monitoring"];
    f.online_monitoring = OnlineMonitoring{
        r.count(e, "enterprises", "online_monitoring", true).value_or(0),
        r.count(e, "sets", "online_monitoring", true).value_or(0),
        r.decimal(e, "effective_transmission_rate", "online_monitoring", true).value_or(Decimal{})};
    constexpr int64_t kHundred = 100;
    if (f.online_monitoring->effective_transmission_rate > Decimal::of_int(kHundred)) {
      r.fail("online_monitoring.effective_transmission_rate", "a rate above 100%");
    }
  }
  if (j.contains("permit_trading") &&
      r.object(j["permit_trading"], "permit_trading", {"deals", "amount_10k_yuan"})) {
    const json& e = j["permit_trading"];
    f.permit_trading =
        PermitTrading{r.count(e, "deals", "permit_trading", true).value_or(0),
                      r.decimal(e, "amount_10k_yuan", "permit_trading", true).value_or(Decimal{})};
  }
  if (j.contains("solid_waste") && r.object(j["solid_waste"], "solid_waste",
                                            {"industrial_generated_10k_t", "industrial_utilised_10k_t",
                                             "hazardous_generated_t", "hazardous_disposed_t"})) {
    const json& e = j["solid_waste"];
    f.solid_waste =
        SolidWaste{r.decimal(e, "industrial_generated_10k_t", "solid_waste", true).value_or(Decimal{}),
                   r.decimal(e, "industrial_utilised_10k_t", "solid_waste", true).value_or(Decimal{}),
                   r.decimal(e, "hazardous_generated_t", "solid_waste", false),
                   r.decimal(e, "hazardous_disposed_t", "solid_waste", false)};
  }
  if (j.contains("emissions_by_industry")) read_emissions(r, j["emissions_by_industry"], f);
  if (!r.ok()) return r.status();
  return f;
}

StatusOr<Facts> read_facts_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot open facts file '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return parse_facts(s.str(), path);
}

}  // namespace ecomon::report
