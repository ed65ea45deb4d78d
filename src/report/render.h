// Renders a bulletin (report/bulletin.h) as one self-contained HTML page: inline CSS and SVG, no script, A4
// print layout. Each figure links to its query's footnote (the `ecomon ...` command line) and carries the
// footnote's number, so that the printed PDF keeps the reference. Chromium prints the page to PDF
// (report/pdf.h).
#pragma once

#include <string>

#include "report/bulletin.h"

namespace ecomon::report {

// The bulletin's fonts, first to last: Noto Sans CJK (fonts-noto-cjk) has every glyph the text uses, the
// Roman numerals of the water classes included; WenQuanYi Micro Hei, kept as a fallback, draws Ⅴ as a blank.
inline constexpr const char* kBulletinFontFamily =
    "\"Noto Sans CJK SC\", \"Noto Sans CJK\", \"WenQuanYi Micro Hei\", sans-serif";
inline constexpr const char* kBulletinMonoFontFamily = "\"Noto Sans Mono CJK SC\", monospace";

struct RenderOptions {
  std::string store;      // the store file the queries ran against, named in the notes ("" = not named)
  std::string generated;  // e.g. "2026-11-28"; "" = not printed (keeps the output reproducible)
};

std::string render_html(const Bulletin& b, const RenderOptions& options = {});

// The bulletin as JSON: sections, their text and tables with every figure and its query number, and the
// queries (for programs and tests; docs/bulletin.md).
nlohmann::json bulletin_json(const Bulletin& b);

}  // namespace ecomon::report
