// libFuzzer target for the CNEMC archive file parser (the text of one china_sites_YYYYMMDD.csv, as an import
// parses it; no store, no files).
//
// Checked properties:
//  - nothing crashes, leaks, stalls or trips a sanitizer, whatever the bytes;
//  - the counts add up: rows rejected <= rows read, values and cells rejected >= 0, at most one file
//  rejected;
//  - every problem's place and message is UTF-8: the parser never passes a byte of the file on raw, even when
//    the file is not UTF-8 (a bad row is refused at the boundary, a quoted header is cut at a character);
//  - the same text parsed twice gives the same report (no hidden state).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/time.h"
#include "core/utf8.h"
#include "ingest/cnemc.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ecomon::CivilDay date = ecomon::CivilDay::from_ymd(2019, 1, 1);  // the seeds' rows are dated 20190101
  const ecomon::ImportReport r = ecomon::parse_archive_text(text, date, "china_sites_20190101.csv");
  require(r.files == 1 && r.files_rejected <= 1);
  require(r.rows >= 0 && r.rows_rejected >= 0 && r.rows_rejected <= r.rows);
  require(r.values >= 0 && r.cells_rejected >= 0);
  for (const ecomon::ImportIssue& i : r.issues) {
    require(ecomon::is_valid_utf8(i.where()));
    require(ecomon::is_valid_utf8(i.message));
  }
  const ecomon::ImportReport again = ecomon::parse_archive_text(text, date, "china_sites_20190101.csv");
  require(again.rows == r.rows && again.values == r.values && again.issue_counts == r.issue_counts);
  return 0;
}
