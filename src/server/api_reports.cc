// /api/reports: the period reports (月报, 季报) that `ecomon serve` writes on schedule into its reports
// directory (cli/period_reports.h: DIR/<city>/<period>/bulletin.{html,json,xlsx,pdf}), listed newest first
// and downloaded. For staff. The directory is read as it is at each request; a report appears when its
// directory has been renamed into place, never half-written.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/utf8.h"
#include "server/api.h"

namespace ecomon::server {
namespace {

namespace fs = std::filesystem;

const Param kCity{"city", "the city reported on (as listed)", true};
const Param kPeriod{"period", "the month YYYY-MM or the quarter YYYY-Qn (as listed)", true};
const Param kFile{"file", "bulletin.html, bulletin.json, bulletin.xlsx or bulletin.pdf", true};

struct FileKind {
  const char* name;
  const char* content_type;
};
constexpr FileKind kFiles[] = {
    {"bulletin.pdf", "application/pdf"},
    {"bulletin.html", "text/html; charset=utf-8"},
    {"bulletin.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"bulletin.json", "application/json"},
};

// "2026-11" or "2026-Q3": what the schedule names its directories (and nothing that could leave them).
bool is_period(const std::string& p) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  constexpr size_t kLength = 7;
  if (p.size() != kLength || p[4] != '-') return false;
  for (size_t i = 0; i < 4; ++i) {
    if (!digit(p[i])) return false;
  }
  return (p[5] == 'Q' && p[6] >= '1' && p[6] <= '4') || (digit(p[5]) && digit(p[6]));
}
// A city directory's name: one path component of valid UTF-8, not hidden.
bool is_city(const std::string& c) {
  constexpr size_t kMaxCity = 64;
  return !c.empty() && c.size() <= kMaxCity && c[0] != '.' && c.find('/') == std::string::npos &&
         c.find('\0') == std::string::npos && is_valid_utf8(c);
}

StatusOr<fs::path> reports_dir(const ApiContext& ctx) {
  if (ctx.reports_dir.empty())
    return not_found("this server keeps no period reports (ecomon serve --reports-dir)");
  return fs::path(ctx.reports_dir);
}

std::string title_of(const fs::path& json_file) {
  std::ifstream in(json_file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  json j = json::parse(s.str(), nullptr, false);
  return j.is_object() && j.contains("title") && j["title"].is_string() ? j["title"].get<std::string>() : "";
}

StatusOr<ApiReply> list_reports(ApiContext& ctx, const ApiRequest&) {
  auto dir = reports_dir(ctx);
  if (!dir.ok()) return dir.status();
  json items = json::array();
  std::vector<json> rows;
  std::error_code ec;
  for (fs::directory_iterator c(*dir, ec), end; !ec && c != end; c.increment(ec)) {
    const std::string city = c->path().filename().string();
    if (!c->is_directory(ec) || !is_city(city)) continue;
    for (fs::directory_iterator p(c->path(), ec), pend; !ec && p != pend; p.increment(ec)) {
      const std::string period = p->path().filename().string();
      if (!p->is_directory(ec) || !is_period(period)) continue;
      json files = json::array();
      for (const FileKind& f : kFiles) {
        if (fs::exists(p->path() / f.name, ec)) files.push_back(f.name);
      }
      rows.push_back({{"city", city},
                      {"period", period},
                      {"kind", period[5] == 'Q' ? "quarter" : "month"},
                      {"title", title_of(p->path() / "bulletin.json")},
                      {"files", files}});
    }
  }
  // Newest first ("2026-Q3" sorts after "2026-09": a quarter after its last month), then by city.
  std::sort(rows.begin(), rows.end(), [](const json& a, const json& b) {
    if (a["period"] != b["period"]) return a["period"].get<std::string>() > b["period"].get<std::string>();
    return a["city"].get<std::string>() < b["city"].get<std::string>();
  });
  for (json& r : rows) items.push_back(std::move(r));
  return items_reply(std::move(items));
}

StatusOr<ApiReply> report_file(ApiContext& ctx, const ApiRequest& req) {
  auto dir = reports_dir(ctx);
  if (!dir.ok()) return dir.status();
  const std::string city = req.param("city"), period = req.param("period"), file = req.param("file");
  if (!is_city(city)) return invalid_argument("query parameter city: not a city name");
  if (!is_period(period)) return invalid_argument("query parameter period: expected YYYY-MM or YYYY-Qn");
  const FileKind* kind = nullptr;
  for (const FileKind& f : kFiles) {
    if (file == f.name) kind = &f;
  }
  if (!kind) return invalid_argument("query parameter file: expected bulletin.html, .json, .xlsx or .pdf");
  const fs::path path = *dir / city / period / kind->name;
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("no " + file + " of " + city + " " + period);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in && !in.eof()) return internal_error("cannot read " + file + " of " + city + " " + period);
  ApiReply r;
  r.file = ApiFile{bytes.str(), kind->content_type, city + "-" + period + "-" + file};
  return r;
}

}  // namespace

void add_report_routes(Router& r) {
  r.add({.method = "GET",
         .pattern = "/api/reports",
         .access = Access::kStaff,
         .summary = "the period reports (月报, 季报) written on schedule, newest first, with their files",
         .paged = true,
         .handler = list_reports});
  r.add({.method = "GET",
         .pattern = "/api/reports/file",
         .access = Access::kStaff,
         .summary = "one file of a period report (HTML, JSON, xlsx tables or PDF) as a download",
         .params = {kCity, kPeriod, kFile},
         .handler = report_file});
}

}  // namespace ecomon::server
