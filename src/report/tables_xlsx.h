// A report's tables as an .xlsx workbook (libxlsxwriter): one sheet per table, named 表1, 表2, ... as the
// tables are numbered, the caption in the first row, a bold frozen header, figures that are plain numbers
// ("62.5", "41") written as numbers, the rest ("98.2%", "Ⅲ", "—") as text — what an analyst opens in Excel
// to work on a month's figures.
#pragma once

#include <filesystem>

#include "core/status.h"
#include "report/bulletin.h"

namespace ecomon::report {

// Writes the workbook to `path` (through `path` + ".tmp", renamed when complete). not_found when the report
// has no table.
Status write_tables_xlsx(const Bulletin& b, const std::filesystem::path& path);

}  // namespace ecomon::report
