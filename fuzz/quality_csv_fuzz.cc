// libFuzzer target for the quality CSV templates' checks (docs/quality-import.md), as an import runs them on
// a file's text; no store, no files.
//
// The first input byte picks the template (water sections and values, wells and their values, drinking-water
// sources and samples, noise points and values, rain); the rest is the file's text. Checked properties:
//  - nothing crashes, leaks, stalls or trips a sanitizer, whatever the bytes;
//  - the counts add up: every row read is stored or rejected (values + rows rejected == rows), and a rejected
//    file yields no row;
//  - every row to store, and every problem's place and message, is UTF-8: text that is not UTF-8 is refused
//  at
//    the boundary and never quoted raw.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "ingest/quality_csv.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  constexpr size_t kTemplates = std::size(ecomon::kQualityTemplates);
  const ecomon::QualityTemplate t = ecomon::kQualityTemplates[data[0] % kTemplates];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  // Registered names the rows may refer to (the demo's, so that value rows can pass).
  ecomon::TemplateRefs refs;
  refs.known = {"赵庄", "J01", "网格01", "水源地A"};
  refs.source_kind = {{"水源地A", "ground"}};
  ecomon::ImportReport report;
  const std::vector<std::vector<std::string>> rows =
      ecomon::check_template_text(t, text, ecomon::template_file_name(t), refs, report);
  require(report.files == 1 && report.files_rejected <= 1);
  require(report.files_rejected == 0 || rows.empty());
  require(report.values == static_cast<int64_t>(rows.size()));
  require(report.values + report.rows_rejected == report.rows);
  for (const auto& row : rows) {
    for (const std::string& cell : row) require(ecomon::is_valid_utf8(cell));
  }
  for (const ecomon::ImportIssue& i : report.issues) {
    require(ecomon::is_valid_utf8(i.where()));
    require(ecomon::is_valid_utf8(i.message));
  }
  return 0;
}
