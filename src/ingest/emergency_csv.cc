#include "ingest/emergency_csv.h"

#include <filesystem>
#include <fstream>

#include "emergency/list_csv.h"

namespace ecomon {
namespace {

namespace em = emergency;
namespace fs = std::filesystem;

StatusOr<em::TemplateText> read_file_if_present(const std::string& path) {
  std::error_code ec;
  em::TemplateText t;
  if (!fs::exists(path, ec)) return t;
  t.present = true;
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) return not_found("cannot read " + path + ": " + ec.message());
  if (size > em::kMaxTemplateBytes) {
    t.too_large = true;
    return t;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot read " + path);
  t.content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return t;
}

em::TemplateLoader dir_loader(const std::string& dir) {
  return [dir](EmergencyTemplate t) {
    return read_file_if_present((fs::path(dir) / emergency_template_file(t)).string());
  };
}

// The domain's report in the import report: counts, and the problems (listed and counted alike).
void absorb(const em::ListReport& from, ImportReport& into) {
  into.files += from.files;
  into.files_rejected += from.files_rejected;
  into.bytes += from.bytes;
  into.rows += from.rows;
  into.rows_rejected += from.rows_rejected;
  std::map<std::string, int64_t> listed;
  for (const em::ListIssue& i : from.issues) {
    ++listed[i.kind];
    into.add({i.kind, i.file, i.line, i.field, i.message});
  }
  for (const auto& [kind, n] : from.issue_counts) into.issue_counts[kind] += n - listed[kind];
}

}  // namespace

StatusOr<std::vector<em::ForecastDay>> read_forecast_csv(const std::string& path) {
  auto t = read_file_if_present(path);
  if (!t.ok()) return t.status();
  if (!t->present) return not_found("cannot read " + path);
  return em::parse_forecast(fs::path(path).filename().string(), *t);
}

StatusOr<std::vector<em::Enterprise>> read_list_dir(const std::string& dir, const em::ListRules& rules,
                                                    ImportReport* report) {
  em::ParsedList p;
  em::ListReport r;
  Status s = em::parse_list(dir_loader(dir), Actor::operator_cli(), rules, p, r);
  absorb(r, *report);
  if (!s.ok()) return s;
  return p.enterprises;
}

StatusOr<ListImport> parse_list_import(const std::string& dir, const Actor& actor,
                                       const em::ReductionList& stored, const em::ListRules& rules) {
  bool any = false;
  for (const EmergencyTemplateInfo& t : kEmergencyTemplates) any = any || fs::exists(fs::path(dir) / t.file);
  if (!any)
    return not_found(
        "no emergency list template (enterprises.csv, lines.csv, measures.csv, inspections.csv) in " + dir);
  ListImport out;
  em::ParsedList p;
  em::ListReport r;
  Status s = em::parse_list(dir_loader(dir), actor, rules, p, r);
  if (s.ok()) {
    const std::string ip =
        (fs::path(dir) / emergency_template_file(EmergencyTemplate::kInspections)).string();
    auto text = read_file_if_present(ip);
    if (!text.ok()) {
      s = text.status();
    } else if (text->present) {
      em::parse_inspections(*text, actor, stored, p, r);
    }
  }
  absorb(r, out.report);
  if (!s.ok()) return s;
  out.enterprises = std::move(p.enterprises);
  out.inspections = std::move(p.inspections);
  return out;
}

}  // namespace ecomon
